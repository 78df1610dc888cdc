"""What the applicant's status page reads, in one gateway request, and its timeline of dates."""

from __future__ import annotations

from datetime import date
from typing import Any

STATUS = """
query MyStatus {
  me {
    applications {
      id status submittedOn version decisionReason
      deadlines {
        today firstNotificationDueOn firstNotificationDaysLeft firstNotifiedOn
        lastDayToComplete voidFrom daysLeftToComplete validThrough daysLeftValid
        examRequestCutoff daysLeftToRequestExam
      }
      missing
      revisionRequests { items note requestedAt resolvedAt }
      documents { id kind version current originalFilename uploadedAt }
      notifications { reason subject body createdAt }
      trainingCertificates {
        id providerCertificateId completedOn hours validThrough status reviewDueOn
        reviewedAt reviewReason
      }
      exams {
        attemptsUsed attemptsLeft attemptsLimit
        authorizations {
          id kind language deliveryMode status grantedOn validThrough scheduledOn
          scheduledAtTime site endedOn endReason countsAsAttempt
          result {
            takenOn correct total percent passed passMarkPercent
            domains { domain correct total percent }
          }
        }
      }
      certification {
        id number status statusRule issuedOn validThrough
        renewal {
          status windowOpensOn windowClosesOn mayRenew code message newValidThrough
          fees { kind amountCents recordedReference }
          ce {
            startsOn endsOn requiredHours earnedHours carriedInHours stillNeededHours carryNote
            categories { category requiredHours earnedHours stillNeededHours dueOn }
          }
        }
      }
    }
  }
}
"""
# Which dates of the application make the timeline, each with its label's key and the
# gateway's days-left field for it: when the gateway leaves that null, the date does not bind
# the application now (it is not waiting on the applicant, or no longer approved), and the
# page says so instead of counting days. A date the application does not have is left out.
TIMELINE = (
    ("submittedOn", "date.submitted", None),
    ("firstNotifiedOn", "date.first_notified", None),
    ("firstNotificationDueOn", "date.first_notice_due", "firstNotificationDaysLeft"),
    ("lastDayToComplete", "date.last_day_to_complete", "daysLeftToComplete"),
    ("voidFrom", "date.void_from", "daysLeftToComplete"),
    ("validThrough", "date.valid_through", "daysLeftValid"),
    ("examRequestCutoff", "date.exam_cutoff", "daysLeftToRequestExam"),
)
# An authorization binds while it may still be used; after, its window is history.
OPEN_AUTHORIZATION = ("GRANTED", "SCHEDULED")
# The certification's own period binds while it can still be renewed or relied on.
LIVE_CERTIFICATION = ("ACTIVE", "IN_RENEWAL_WINDOW", "LAPSED")


def _entry(key: str, on: str | None, applies: bool) -> dict[str, Any] | None:
    return {"key": key, "on": on, "applies": applies} if on else None


def _exam_dates(exams: dict[str, Any] | None) -> list[dict[str, Any] | None]:
    entries: list[dict[str, Any] | None] = []
    for authorization in (exams or {}).get("authorizations", []):
        usable = authorization["status"] in OPEN_AUTHORIZATION
        entries.append(_entry("date.authorization_granted", authorization["grantedOn"], True))
        entries.append(_entry("date.authorization_ends", authorization["validThrough"], usable))
        scheduled = authorization["status"] == "SCHEDULED"
        entries.append(_entry("date.exam_scheduled", authorization["scheduledOn"], scheduled))
        result = authorization.get("result") or {}
        entries.append(_entry("date.exam_taken", result.get("takenOn"), True))
    return entries


def _certification_dates(certification: dict[str, Any] | None) -> list[dict[str, Any] | None]:
    if not certification:
        return []
    live = certification["status"] in LIVE_CERTIFICATION
    renewal = certification.get("renewal") or {}
    return [
        _entry("date.certified", certification.get("issuedOn"), True),
        _entry("date.renewal_opens", renewal.get("windowOpensOn"), live),
        _entry("date.certification_valid", certification["validThrough"], live),
        _entry("date.renewal_closes", renewal.get("windowClosesOn"), live),
    ]


def timeline(application: dict[str, Any]) -> list[dict[str, Any]]:
    """Every date of the application in order, with its days from the board's today, or
    ``applies: False`` where it does not bind now."""
    deadlines = application["deadlines"]
    today = date.fromisoformat(deadlines["today"])
    dated = {"submittedOn": application["submittedOn"], **deadlines}
    found: list[dict[str, Any] | None] = [
        _entry(label, dated.get(name), days_field is None or deadlines.get(days_field) is not None)
        for name, label, days_field in TIMELINE
    ]
    found += _exam_dates(application.get("exams"))
    found += _certification_dates(application.get("certification"))
    entries = [entry for entry in found if entry]
    for entry in entries:
        entry["days"] = (date.fromisoformat(entry["on"]) - today).days
    # Stable: two dates on one day keep the order above (submitted before notified).
    return sorted(entries, key=lambda e: str(e["on"]))


def uploadable(application: dict[str, Any]) -> list[str]:
    """The document kinds the open revision request asks for, which an upload answers."""
    return [item for item in application["missing"] if item in ("GOVERNMENT_ID", "DIPLOMA")]


def open_request(application: dict[str, Any]) -> dict[str, Any] | None:
    """The revision request still waiting on the applicant, if any."""
    waiting = [r for r in application["revisionRequests"] if r["resolvedAt"] is None]
    return waiting[-1] if waiting else None
