"""The matrix for supervision session logs, hours worked and the compliance report.

The peer (applicant A) logs and reports under an agreement with supervisor S; S signs off and
amends. Lists and the report show others nothing of theirs rather than NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .matrix import (
    APPLICANT,
    SERVICE,
    STAFF,
    SUPERVISOR,
    Entry,
    Own,
    Recipe,
    fixed,
    mutation,
    query,
    route,
)
from .world import Call, Graphql, Http, World

OWN_PEER = Own(APPLICANT, "the peer's own sessions and hours, under their agreement")
OWN_SUPERVISOR = Own(SUPERVISOR, "the sessions under the supervisor's agreements")
PEERS_LIST = Own(APPLICANT, "a peer sees only their own", listing=True)
SUPERVISORS_LIST = Own(SUPERVISOR, "a supervisor sees only their agreements'", listing=True)
S = "/v1/supervision/sessions"
DAY = "2026-03-09"
H = "/v1/supervision/hours"
TIMES = {
    "heldOn": "2026-03-09",
    "startTime": "10:00",
    "stopTime": "11:30",
    "format": "INDIVIDUAL",
    "topics": ["PLANNING"],
}
REST_TIMES = {
    "held_on": "2026-03-09",
    "start_time": "10:00",
    "stop_time": "11:30",
    "format": "individual",
    "topics": ["planning"],
}
SIGN = {"supervisor_name": "Dr. S", "supervisor_license_number": "LCSW-7"}


def on_agreement(build: Callable[[str], Call]) -> Recipe:
    """A call on applicant A's agreement with supervisor S."""

    async def recipe(world: World) -> Call:
        agreement = await world.supervision_agreement()
        call = build(agreement)
        call.owned = agreement
        return call

    return recipe


def on_session(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call on the session applicant A logged under the agreement with supervisor S."""

    async def recipe(world: World) -> Call:
        logged = await world.supervision_session()
        call = build(logged)
        call.owned = logged["id"]
        return call

    return recipe


def on_hours(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call on the hours applicant A reported under the agreement with supervisor S."""

    async def recipe(world: World) -> Call:
        reported = await world.hours_report()
        call = build(reported)
        call.owned = reported["id"]
        return call

    return recipe


def on_compliance(call: Call) -> Recipe:
    """The report once applicant A has hours and a session; it must not name A to others."""

    async def recipe(world: World) -> Call:
        await world.hours_report()
        await world.supervision_session()
        call.owned = world.subject("applicant A")
        return call

    return recipe


LOG = "mutation($input: SessionLogInput!) { logSupervisionSession(input: $input) { id } }"
SIGN_OFF = (
    "mutation($id: ID!, $v: Int!) { signOffSupervisionSession(id: $id, expectedVersion: $v, "
    'supervisorName: "Dr. S", supervisorLicenseNumber: "LCSW-7") { id } }'
)
AMEND = (
    "mutation($id: ID!, $v: Int!, $input: SessionAmendmentInput!) { "
    "amendSupervisionSession(id: $id, expectedVersion: $v, input: $input) { id } }"
)
REPORT = (
    "mutation($a: ID!) { reportHoursWorked(agreementId: $a, period: DAY, "
    'startsOn: "2026-03-08", hours: "6.5") { id } }'
)
AMEND_HOURS = (
    "mutation($id: ID!, $v: Int!) { amendHoursWorked(id: $id, expectedVersion: $v, "
    'hours: "7.25", reason: "corrected") { id } }'
)
REPORT_QUERY = (
    '{ supervisionCompliance(from: "2026-03-09", to: "2026-03-09") '
    "{ peers { peerApplicantId weeks { compliant } } } }"
)

GRAPHQL: list[Entry] = [
    query(
        "supervisionSessions",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=SUPERVISORS_LIST,
        recipe=on_session(lambda _: Graphql("{ supervisionSessions { items { id } } }")),
    ),
    query(
        "hoursWorked",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=PEERS_LIST,
        recipe=on_hours(lambda _: Graphql("{ hoursWorked { items { id } } }")),
    ),
    query(
        "supervisionCompliance",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=PEERS_LIST,
        recipe=on_compliance(Graphql(REPORT_QUERY)),
    ),
    mutation(
        "logSupervisionSession",
        APPLICANT,
        own=OWN_PEER,
        recipe=on_agreement(
            lambda a: Graphql(
                LOG, {"input": {**TIMES, "agreementId": a, "peerName": "Maria Lopez"}}
            )
        ),
    ),
    mutation(
        "signOffSupervisionSession",
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_session(lambda s: Graphql(SIGN_OFF, {"id": s["id"], "v": s["version"]})),
    ),
    mutation(
        "amendSupervisionSession",
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_session(
            lambda s: Graphql(
                AMEND,
                {
                    "id": s["id"],
                    "v": s["version"],
                    "input": {
                        **TIMES,
                        "reason": "ran longer",
                        "supervisorName": "Dr. S",
                        "supervisorLicenseNumber": "LCSW-7",
                    },
                },
            )
        ),
    ),
    mutation(
        "reportHoursWorked",
        APPLICANT,
        own=OWN_PEER,
        recipe=on_agreement(lambda a: Graphql(REPORT, {"a": a})),
    ),
    mutation(
        "amendHoursWorked",
        APPLICANT,
        own=OWN_PEER,
        recipe=on_hours(lambda h: Graphql(AMEND_HOURS, {"id": h["id"], "v": h["version"]})),
    ),
]

SERVICE_ROUTES: list[Entry] = [
    route(
        "supervision",
        f"POST {S}",
        APPLICANT,
        own=OWN_PEER,
        recipe=on_agreement(
            lambda a: Http(
                "POST", S, json={**REST_TIMES, "agreement_id": a, "peer_name": "Maria Lopez"}
            )
        ),
    ),
    route(
        "supervision",
        f"POST {S}/{{session_id}}/sign-off",
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_session(
            lambda s: Http(
                "POST", f"{S}/{s['id']}/sign-off", json={**SIGN, "expected_version": s["version"]}
            )
        ),
    ),
    route(
        "supervision",
        f"POST {S}/{{session_id}}/amendments",
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_session(
            lambda s: Http(
                "POST",
                f"{S}/{s['id']}/amendments",
                json={
                    **REST_TIMES,
                    **SIGN,
                    "expected_version": s["version"],
                    "reason": "ran longer",
                },
            )
        ),
    ),
    route(
        "supervision",
        f"GET {S}",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=SUPERVISORS_LIST,
        recipe=on_session(lambda _: Http("GET", S)),
    ),
    route(
        "supervision",
        "GET /v1/supervision/agreement-sessions",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=SUPERVISORS_LIST,
        recipe=on_session(
            lambda logged: Http(
                "GET",
                "/v1/supervision/agreement-sessions",
                params={"agreement_id": logged["agreement_id"]},
            )
        ),
    ),
    route(
        "supervision",
        f"POST {H}",
        APPLICANT,
        own=OWN_PEER,
        recipe=on_agreement(
            lambda a: Http(
                "POST",
                H,
                json={"agreement_id": a, "period": "day", "starts_on": "2026-03-08", "hours": 6},
            )
        ),
    ),
    route(
        "supervision",
        f"POST {H}/{{hours_id}}/amendments",
        APPLICANT,
        own=OWN_PEER,
        recipe=on_hours(
            lambda h: Http(
                "POST",
                f"{H}/{h['id']}/amendments",
                json={"expected_version": h["version"], "hours": "7.25", "reason": "corrected"},
            )
        ),
    ),
    route(
        "supervision",
        f"GET {H}",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=PEERS_LIST,
        recipe=on_hours(lambda _: Http("GET", H)),
    ),
    route(
        "supervision",
        "GET /v1/supervision/compliance",
        STAFF,
        APPLICANT,
        SUPERVISOR,
        own=PEERS_LIST,
        recipe=on_compliance(
            Http(
                "GET",
                "/v1/supervision/compliance",
                params={"from": "2026-03-09", "to": "2026-03-09"},
            )
        ),
    ),
    route(
        "supervision",
        "POST /internal/sweep",
        SERVICE,
        STAFF,
        recipe=fixed(Http("POST", "/internal/sweep")),
    ),
]
