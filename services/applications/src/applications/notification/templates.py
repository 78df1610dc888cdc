"""The words of automatic notices (staff write their own status messages)."""

from __future__ import annotations

from datetime import date

from applications.notification.models import NotificationReason

R = NotificationReason


def _d(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def revision_requested(items: list[str], note: str | None, last_day: date) -> tuple[str, str]:
    """What is missing, and the last day to complete."""
    listed = "\n".join(f"- {i.replace('_', ' ')}" for i in items)
    body = (
        f"Your application needs the following before we can continue:\n{listed}\n"
        + (f"\n{note}\n" if note else "")
        + f"\nPlease complete it by {_d(last_day)}. After that day an incomplete application "
        "is void, its fees are forfeited, and a new application with new documents and fees "
        "is needed."
    )
    return "Your application needs more information", body


def approved(valid_through: date, exam_cutoff: date) -> tuple[str, str]:
    """The approval, how long it lasts, and the last day to request the exam."""
    return "Your application is approved", (
        f"Your application is approved and valid through {_d(valid_through)}. Certification, "
        f"including the exam, must be completed by then. Exam requests are accepted until "
        f"{_d(exam_cutoff)}."
    )


def denied(reason: str) -> tuple[str, str]:
    """The denial and its reason."""
    return "Decision on your application", f"Your application was not approved.\n\nReason: {reason}"


def withdrawn() -> tuple[str, str]:
    """The withdrawal the applicant asked for."""
    return "Your application was withdrawn", "Your application has been withdrawn as you asked."


def voided(last_day: date) -> tuple[str, str]:
    """The void: not completed in time, fees forfeited."""
    return "Your application is void", (
        f"Your application was not completed by {_d(last_day)} and is now void. Its fees are "
        "forfeited. To apply again, submit a new application with new documents and fees."
    )


def expired(valid_through: date) -> tuple[str, str]:
    """The approval's end without certification."""
    return "Your approval has expired", (
        f"Your approval was valid through {_d(valid_through)} and has expired without "
        "certification. To continue, submit a new application."
    )


def void_reminder(last_day: date, days: int) -> tuple[str, str]:
    """The days left to complete before the application is void."""
    return f"Reminder: {days} days left to complete your application", (
        f"Your application is still incomplete. Complete it by {_d(last_day)}, or it becomes "
        "void and its fees are forfeited."
    )


def expiry_reminder(valid_through: date, days: int) -> tuple[str, str]:
    """The days left before the approval ends."""
    return f"Reminder: your approval ends in {days} days", (
        f"Your approval is valid through {_d(valid_through)}. Certification, including the "
        "exam, must be completed by then."
    )


def renewal_reminder(valid_through: date, days_left: int) -> tuple[str, str]:
    """The days left to renew the certification on time."""
    return f"Reminder: renew your certification within {days_left} days", (
        f"Your certification is valid through {_d(valid_through)}. Renew it by then: attest "
        "to your continuing education, sign the Code of Ethics again and pay the renewal fee."
    )


def certification_lapsed(valid_through: date, last_lapsed_day: date) -> tuple[str, str]:
    """The lapse: late, still lawful to practise, and the last day before it expires."""
    return "Your certification has lapsed", (
        f"Your certification was valid through {_d(valid_through)} and was not renewed. It is "
        f"lapsed: you may still practise and renew with the late fee through "
        f"{_d(last_lapsed_day)}. After that day it expires."
    )


def certification_expired(valid_through: date, last_expired_day: date | None) -> tuple[str, str]:
    """The expiry: reinstatement instead of renewal, and until when if it ends."""
    ending = (
        f" Reinstatement is possible through {_d(last_expired_day)}; after that day a new "
        "application is needed."
        if last_expired_day
        else ""
    )
    return "Your certification has expired", (
        f"Your certification was valid through {_d(valid_through)} and was not renewed. It "
        f"has expired: you may not practise as a certified peer support specialist until it "
        f"is reinstated.{ending}"
    )
