"""The board's own lists (the applications service's): training certificates to review and to
link, self-reported CE to verify, certifications ending, CE audits, complaints."""

from __future__ import annotations

from web.pages.staff.worklist import DECISION_VARIABLES as V
from web.pages.staff.worklist import Decision, Input, WorkList

CERTIFICATE = """
id providerId programId providerCertificateId legalName dateOfBirth email completedOn hours
validThrough applicationId receivedAt reviewDueOn status reviewReason hasFile version
"""
REASON = Input("reason")
REASON_REQUIRED = Input("reason", "required")
AUDIT_OUTCOMES = ("ACCEPTED", "DEFICIENT", "REFERRED")
DISCIPLINE_OUTCOMES = (
    "DISMISSED",
    "LETTER_OF_WARNING",
    "PROBATION",
    "SUSPENSION",
    "REVOCATION",
    "VOLUNTARY_SURRENDER",
)

CERTIFICATES = WorkList(
    slug="certificates",
    title="queue.certificates",
    root="certificateReviewQueue",
    fields=CERTIFICATE,
    due="reviewDueOn",
    decisions=(
        Decision(
            "accept-certificate",
            f"mutation D({V}, $reason: String) "
            "{ acceptCertificate(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (REASON,),
        ),
        Decision(
            "reject-certificate",
            f"mutation D({V}, $reason: String!) "
            "{ rejectCertificate(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (REASON_REQUIRED,),
        ),
    ),
)
UNMATCHED = WorkList(
    slug="certificates/unmatched",
    title="queue.unmatched",
    root="unmatchedCertificates",
    fields=CERTIFICATE,
    template="certificates",
    decisions=(
        Decision(
            "link-certificate",
            f"mutation D({V}, $applicationId: ID!) {{ linkCertificate(id: $id, "
            "expectedVersion: $v, applicationId: $applicationId) { id } }",
            (Input("applicationId", "uuid"),),
        ),
    ),
)
CE_VERIFICATION = WorkList(
    slug="ce/verification",
    title="queue.ce_verification",
    root="ceVerificationQueue",
    fields="""id certificationId applicantId source courseTitle providerName hours category
    completedOn receivedAt status hasDocument version""",
    decisions=(
        Decision(
            "accept-ce",
            f"mutation D({V}, $reason: String) "
            "{ acceptCeRecord(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (REASON,),
        ),
        Decision(
            "reject-ce",
            f"mutation D({V}, $reason: String!) "
            "{ rejectCeRecord(id: $id, expectedVersion: $v, reason: $reason) { id } }",
            (REASON_REQUIRED,),
        ),
    ),
)
RENEWALS = WorkList(
    slug="renewals",
    title="queue.expiring_month",
    root="certificationsExpiring",
    fields="certification { id number holderName status validThrough statusRule "
    "renewal { version } } ceStillNeededHours",
    page="total startsOn endsOn",
    due="certification.validThrough",
    late_is_breach=False,
    key="certification.id",
    version="certification.renewal.version",
    decisions=(
        # What the holder attests on paper, recorded by staff; the gateway checks the rest.
        Decision(
            "renew",
            "mutation D($id: ID!, $v: Int!, $ceAttested: Boolean!, $codeOfEthicsSigned: "
            "Boolean!) { renewCertification(certificationId: $id, expectedVersion: $v, "
            "ceAttested: $ceAttested, codeOfEthicsSigned: $codeOfEthicsSigned) { id } }",
            (Input("ceAttested", "check"), Input("codeOfEthicsSigned", "check")),
        ),
    ),
)
CE_AUDITS = WorkList(
    slug="ce/audits",
    title="queue.ce_audits",
    root="ceAudits",
    args="openOnly: true",
    fields="""id renewalId certificationId applicantId drawId status proofDueOn cureDueOn dueOn
    overdue proofName proofReceivedAt reviewReason version""",
    due="dueOn",
    one="ceAudit",
    actions=(
        Decision(
            "draw-audits",
            "mutation D($periodsFrom: Date!, $periodsTo: Date!, $seed: String) { done: "
            "drawCeAudits(periodsFrom: $periodsFrom, periodsTo: $periodsTo, seed: $seed) "
            "{ id periodsFrom periodsTo seed sharePercent population selected } }",
            (Input("periodsFrom", "day"), Input("periodsTo", "day"), Input("seed")),
            versioned=False,
        ),
    ),
    decisions=(
        Decision(
            "decide-audit",
            f"mutation D({V}, $outcome: AuditOutcome!, $reason: String) {{ decideCeAudit("
            "id: $id, expectedVersion: $v, outcome: $outcome, reason: $reason) { id } }",
            (Input("outcome", "choice", AUDIT_OUTCOMES, "AUDIT_"), REASON),
        ),
    ),
)
COMPLAINTS = WorkList(
    slug="complaints",
    title="queue.complaints",
    root="complaints",
    fields="""id certificationId description complainantName complainantEmail filedBy
    receivedAt status investigator investigationNote outcome reasons conditions endsOn
    decidedOn appealUntil version attachments { id contentType name sizeBytes }""",
    page="received investigating",
    one="complaint",
    decisions=(
        Decision(
            "take-up-complaint",
            f"mutation D({V}, $note: String!) "
            "{ takeUpComplaint(id: $id, expectedVersion: $v, note: $note) { id } }",
            (Input("note", "required"),),
        ),
        Decision(
            "decide-complaint",
            f"mutation D({V}, $outcome: DisciplineOutcome!, $reasons: String!, "
            "$conditions: String, $endsOn: Date) { decideComplaint(id: $id, expectedVersion: "
            "$v, outcome: $outcome, reasons: $reasons, conditions: $conditions, "
            "endsOn: $endsOn) { id } }",
            (
                Input("outcome", "choice", DISCIPLINE_OUTCOMES),
                Input("reasons", "required"),
                Input("conditions"),
                Input("endsOn", "date"),
            ),
        ),
    ),
)
DECIDED_COMPLAINTS = WorkList(
    slug="complaints/decided",
    title="queue.complaints_decided",
    root="complaints",
    args="decided: true",
    fields=COMPLAINTS.fields,
    template="complaints",
)
BOARD_LISTS = (
    CERTIFICATES,
    UNMATCHED,
    CE_VERIFICATION,
    RENEWALS,
    CE_AUDITS,
    COMPLAINTS,
    DECIDED_COMPLAINTS,
)
