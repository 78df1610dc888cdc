"""The exams service's lists (authorizations to schedule, accommodation requests, formal
result notices) and supervision's shortfalls."""

from __future__ import annotations

from web.pages.staff.worklist import DECISION_VARIABLES as V
from web.pages.staff.worklist import Decision, Input, WorkList

SCHEDULING = WorkList(
    slug="exams/scheduling",
    title="queue.scheduling",
    root="examSchedulingQueue",
    fields="""id applicationId applicantId kind language deliveryMode status grantedOn
    validThrough reviewDueOn scheduledOn scheduledAtTime site version""",
    page="breaches",
    due="reviewDueOn",
    one="examAuthorization",
    decisions=(
        Decision(
            "schedule-exam",
            f"mutation D({V}, $scheduledOn: Date!, $scheduledAtTime: String!, $site: String) "
            "{ scheduleExam(id: $id, expectedVersion: $v, input: {scheduledOn: $scheduledOn, "
            "scheduledAtTime: $scheduledAtTime, site: $site}) { id } }",
            (Input("scheduledOn", "day"), Input("scheduledAtTime", "time"), Input("site")),
        ),
        # Offered on every item: the exams service says which apply to a status, and how not.
        Decision(
            "cancel-schedule",
            f"mutation D({V}) {{ cancelExamSchedule(id: $id, expectedVersion: $v) {{ id }} }}",
        ),
        Decision(
            "record-no-show",
            f"mutation D({V}, $reason: String) "
            "{ recordExamNoShow(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (Input("reason"),),
        ),
        Decision(
            "record-vendor-fault",
            f"mutation D({V}, $incident: String!, $reason: String) {{ recordExamVendorFault("
            "id: $id, expectedVersion: $v, incident: $incident, reason: $reason) { id } }",
            (Input("incident", "required"), Input("reason")),
        ),
        Decision(
            "void-authorization",
            f"mutation D({V}, $reason: String!) "
            "{ voidExamAuthorization(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (Input("reason", "required"),),
        ),
    ),
)
ACCOMMODATIONS = WorkList(
    slug="exams/accommodations",
    title="queue.accommodations",
    root="accommodationQueue",
    fields="""id authorizationId applicationId applicantId description documentContentType
    documentName submittedOn reviewDueOn status overdue version""",
    page="breaches",
    due="reviewDueOn",
    one="accommodationRequest",
    decisions=(
        Decision(
            "approve-accommodation",
            f"mutation D({V}, $reason: String) "
            "{ approveAccommodation(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (Input("reason"),),
        ),
        Decision(
            "deny-accommodation",
            f"mutation D({V}, $reason: String!) "
            "{ denyAccommodation(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (Input("reason", "required"),),
        ),
    ),
)
RESULT_NOTICES = WorkList(
    slug="exams/notices",
    title="queue.result_notices",
    root="resultNoticeQueue",
    fields="""id applicationId applicantId takenOn percent passed passMarkPercent
    resultNoticeDueOn resultNoticeSentAt version""",
    page="unsent breaches",
    due="resultNoticeDueOn",
    one="examAttempt",
    decisions=(
        Decision(
            "send-notice",
            f"mutation D({V}) {{ sendResultNotice(id: $id, expectedVersion: $v) {{ id }} }}",
        ),
    ),
)
SHORTFALLS = WorkList(
    slug="supervision/shortfalls",
    title="queue.shortfalls",
    root="supervisionShortfalls",
    fields="""peerApplicantId followUpBy week { weekStartsOn hoursWorked supervisedMinutes
    sessions requiredMinutes shortfallMinutes missingSession capExceededOn }""",
    page="total overdue startsOn endsOn",
    due="followUpBy",
)
EXAM_LISTS = (SCHEDULING, ACCOMMODATIONS, RESULT_NOTICES, SHORTFALLS)
