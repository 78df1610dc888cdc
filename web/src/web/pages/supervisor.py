"""The supervisor's page: agreements waiting for their signature, sessions waiting for their
sign-off, and each supervisee's compliance as a chart of weeks with a table that says the same.

Two gateway requests, one per section, sent together: the supervision (``me { supervision }``,
agreements, sessions and compliance in one read) and the supervisor's own record (name and
license number for the sign-off form), which a supervisor not yet registered lacks."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from web.pages.caller import Caller, ask, role_or_refusal
from web.pages.public import error_words
from web.pages.supervisor_chart import chart
from web.render import language, page

router = APIRouter()

SUPERVISION = """
query Supervision($from: Date, $to: Date) {
  me {
    supervision(from: $from, to: $to) {
      agreements {
        id peerApplicantId employer startsOn endsOn relationshipAttested notFamilyAttested
        signedByPeerAt signedBySupervisorAt terminatedOn status atRisk atRiskFrom version
        sessions { id peerName heldOn startTime stopTime minutes format topics signedOffAt version }
      }
      agreementsComplete
      sessionsToSign {
        id agreementId peerApplicantId peerName peerCertificationNumber heldOn startTime
        stopTime minutes format topics version
      }
      compliance {
        startsOn endsOn
        peers {
          peerApplicantId compliant hoursWorked supervisedMinutes requiredMinutes
          shortfallMinutes firstCapExceededOn
          weeks {
            weekStartsOn hoursWorked supervisedMinutes sessions requiredMinutes
            shortfallMinutes missingSession capExceededOn compliant
          }
        }
      }
    }
  }
}
"""
RECORD = """
query Record($id: ID!) {
  supervisor(id: $id) {
    id name contactEmail licenseType licenseNumber licenseState licenseExpiresOn firstLicensedOn
    supervisionCeHours verification version
    qualification { qualified unmet { code message } }
  }
}
"""
# Weeks a chart shows: the gateway's default period, kept when paging to earlier weeks.
WEEKS = 12
# What a supervisor was told was done, by the ?done= a POST redirects with.
DONE = ("signed", "signed-off", "terminated", "amended", "registered", "updated")
# Agreements still running, which a party may end.
OPEN = ("AWAITING_SIGNATURES", "SIGNED", "ACTIVE")
# The choices of a session's correction: the gateway's SessionFormat and SessionTopic.
FORMATS = ("INDIVIDUAL", "GROUP")
TOPICS = ("ASSESSMENTS", "INTERPRETATIONS", "REFERRALS", "SUPPORT_INTERVENTIONS", "PLANNING")


def supervisor_or_refusal(request: Request) -> Caller | Response:
    return role_or_refusal(request, "supervisor", "supervisor.only")


def peer_names(agreements: list[dict[str, Any]]) -> dict[str, str]:
    """Each supervisee's name as their own session logs give it (agreements carry only ids)."""
    names: dict[str, str] = {}
    for agreement in agreements:
        for session in agreement.get("sessions") or []:
            names[agreement["peerApplicantId"]] = session["peerName"]
    return names


def signed_in(agreements: list[dict[str, Any]], starts: str, ends: str) -> list[dict[str, Any]]:
    """The sessions signed off that were held in the weeks shown, latest first: the ones a
    supervisor may correct from here."""
    held = [
        session
        for agreement in agreements
        for session in agreement.get("sessions") or []
        if session["signedOffAt"] and starts <= session["heldOn"] <= ends
    ]
    return sorted(held, key=lambda s: (s["heldOn"], s["startTime"]), reverse=True)


def period(to: date | None) -> dict[str, str | None]:
    """The weeks to report: the gateway's default (this one and the 11 before), or as many
    ending with the week of ``to``."""
    if to is None:
        return {"from": None, "to": None}
    return {"from": (to - timedelta(weeks=WEEKS - 1)).isoformat(), "to": to.isoformat()}


async def supervisor_page(
    request: Request,
    caller: Caller,
    *,
    status_code: int = 200,
    to: date | None = None,
    done: str | None = None,
    refusal: dict[str, Any] | None = None,
) -> Response:
    """Read both sections afresh and render them; ``refusal`` is a form the gateway refused."""
    supervision, record = await asyncio.gather(
        ask(request, caller, SUPERVISION, period(to)),
        ask(request, caller, RECORD, {"id": str(request.session.get("sub"))}),
    )
    if isinstance(supervision, Response):
        return supervision
    if isinstance(record, Response):
        return record
    view = ((supervision.data or {}).get("me") or {}).get("supervision")
    own = (record.data or {}).get("supervisor")
    context: dict[str, Any] = {
        "view": view,
        "errors": error_words(request, supervision),
        "record": own,
        # A supervisor not yet registered is not an error to show: the section says so.
        "record_errors": [] if record.code() == "NOT_FOUND" else error_words(request, record),
        "done": done if done in DONE else None,
        "refusal": refusal,
        "awaiting": [],
        "peers": [],
        "signed": [],
        "names": {},
        "open": OPEN,
        "formats": FORMATS,
        "topics": TOPICS,
    }
    if view is not None:
        lang = language(request)
        report = view["compliance"]
        names = peer_names(view["agreements"])
        context |= {
            "names": names,
            "earlier": date.fromisoformat(report["startsOn"]) - timedelta(days=1),
            "awaiting": [
                a
                for a in view["agreements"]
                if a["status"] == "AWAITING_SIGNATURES" and not a["signedBySupervisorAt"]
            ],
            "signed": signed_in(view["agreements"], report["startsOn"], report["endsOn"]),
            "peers": [
                {
                    **peer,
                    "name": names.get(peer["peerApplicantId"]),
                    "chart": chart(lang, report["startsOn"], report["endsOn"], peer["weeks"]),
                }
                for peer in report["peers"]
            ],
        }
    return page(request, "supervisor.html", status_code=status_code, **context)


@router.get("/supervisor", response_model=None)
async def supervisor(
    request: Request,
    to: Annotated[date | None, Query()] = None,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Agreements to sign, sessions to sign off, each supervisee's weeks."""
    caller = supervisor_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    return await supervisor_page(request, caller, to=to, done=done or None)
