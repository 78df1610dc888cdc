"""The callers of the matrix and the objects they own, made through the services' real APIs."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import inspect, text

from certboard_core.roles import Role
from certboard_core.testing.plugin import T0, Minter, bearer

from ..conftest import System
from ..helpers import JPEG, PDF, qualified_supervisor
from ..rest import academy, exam_form, ready_for_exam

# Every caller the matrix tries, by name: two of each role that owns things, so one can
# try the other's objects. The first of a role owns what a recipe builds.
CALLERS: dict[str, Role | None] = {
    "anonymous": None,
    "staff": Role.STAFF,
    "applicant A": Role.APPLICANT,
    "applicant B": Role.APPLICANT,
    "provider X": Role.PROVIDER,
    "provider Y": Role.PROVIDER,
    "supervisor S": Role.SUPERVISOR,
    "supervisor T": Role.SUPERVISOR,
    "service": Role.SERVICE,
    "employer E": Role.EMPLOYER,
    "employer F": Role.EMPLOYER,
}
OWNER = {
    Role.APPLICANT: "applicant A",
    Role.PROVIDER: "provider X",
    Role.SUPERVISOR: "supervisor S",
    Role.EMPLOYER: "employer E",
}
STRANGER = {
    Role.APPLICANT: "applicant B",
    Role.PROVIDER: "provider Y",
    Role.SUPERVISOR: "supervisor T",
    Role.EMPLOYER: "employer F",
}
# Tables whose rows are the migration tool's, not the service's.
NOT_STATE = {"alembic_version"}


@dataclass
class Graphql:
    """A GraphQL operation through the gateway; ``files`` maps variable paths to uploads."""

    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None
    # The id of the owner's object the call is about: no refused caller may see it.
    owned: str | None = None


@dataclass
class Http:
    """A plain HTTP request to one process (a service, or the gateway's own routes)."""

    method: str
    path: str
    json: Any = None
    params: dict[str, Any] | None = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    owned: str | None = None


Call = Graphql | Http


@dataclass
class Answer:
    """What a call got back, reduced to what the matrix judges."""

    status: int
    code: str | None  # the error code, None on success
    data: Any  # GraphQL: the field's data; HTTP: the JSON body (or None)
    text: str


def application_form(who: str) -> dict[str, str]:
    """A valid application form for one of the applicants (each a different person)."""
    last = who.split()[-1]
    return {
        "first_name": "Maria",
        "last_name": f"Lopez{last}",
        "date_of_birth": "1990-05-17",
        "email": f"maria.{last.lower()}@example.org",
        "code_of_ethics_agreed": "true",
        "lived_experience": "consumer",
        "willing_to_share_experience": "true",
    }


def documents() -> dict[str, tuple[str, bytes, str]]:
    return {
        "government_id": ("id.jpg", JPEG, "image/jpeg"),
        "diploma": ("diploma.pdf", PDF, "application/pdf"),
    }


def fee(reference: str) -> dict[str, Any]:
    """An application fee the board received, with its payment's reference."""
    return {
        "kind": "application",
        "amount_cents": 5000,
        "reference": reference,
        "paid_at": T0.isoformat(),
    }


def certificate_row(program_id: str, certificate_id: str, **overrides: Any) -> dict[str, Any]:
    """A certificate row that is accepted and matches no application (so stays unmatched)."""
    row: dict[str, Any] = {
        "certificate_id": certificate_id,
        "legal_name": "Ana Ruiz",
        "date_of_birth": "1985-02-01",
        "email": "ana.ruiz@example.org",
        "program_id": program_id,
        "completion_date": "2025-11-01",
        "hours": 80,
    }
    row.update(overrides)
    return row


def supervisor_registration(who: str) -> dict[str, Any]:
    """A licensed social worker's record, valid through 2030 (each supervisor's own number)."""
    return {
        "name": f"Dr {who.split()[-1]}",
        "contact_email": f"{who.split()[-1].lower()}@example.org",
        "license_type": "licensed_social_worker",
        "license_number": f"LSW-{who.split()[-1]}",
        "license_state": "MT",
        "license_expires_on": "2030-12-31",
        "first_licensed_on": "2015-06-01",
        "supervision_ce_hours": "20",
    }


def agreement_terms(supervisor_id: str) -> dict[str, Any]:
    """An open-ended agreement from 1 March 2026 with both attestations."""
    return {
        "supervisor_id": supervisor_id,
        "employer": "Bozeman Recovery Center",
        "starts_on": "2026-03-01",
        "relationship_attested": True,
        "not_family_attested": True,
    }


@dataclass
class Shared:
    """What every World on one system uses alike, made by the first World that needs it: no
    caller owns these, so sharing them hides nothing the matrix checks."""

    # The live form attempts are sat on (never changed: a key correction makes its own).
    sitting_form: dict[str, Any] | None = None
    # The provider and program whose training certificates make applicants ready for the exam.
    academy: tuple[str, str] | None = None
    # Each service's tables, as migrated before the first entry (no call adds one): reflecting
    # them again for every fingerprint cost about a tenth of its time.
    tables: dict[str, list[str]] = field(default_factory=dict)


class World:
    """One test's system, its callers' tokens and the objects recipes ask for (made once each)."""

    def __init__(self, system: System, mint: Minter, shared: Shared | None = None) -> None:
        self.system = system
        self.mint = mint
        self.shared = shared or Shared()
        self.tokens: dict[str, str | None] = {}
        self.providers: dict[str, dict[str, Any]] = {}
        self._applications: dict[str, dict[str, Any]] = {}
        self._programs: dict[str, str] = {}
        self._certificates: dict[str, dict[str, Any]] = {}
        self._exam_forms: dict[str, dict[str, Any]] = {}
        self._ready_for_exam: set[str] = set()
        self._authorizations: dict[str, dict[str, Any]] = {}
        self._accommodations: dict[str, dict[str, Any]] = {}
        # Supervision records the recipes ask for (supervision_agreement and after).
        self._agreements: dict[tuple[str, str], str] = {}
        self._sessions: dict[str, dict[str, Any]] = {}
        self._hours: dict[str, dict[str, Any]] = {}
        self._clients = {
            name: httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=f"http://{name}"
            )
            for name, app in system.services.items()
        }

    async def start(self) -> None:
        """Freeze every clock at T0, approve providers X and Y and mint every caller's token."""
        self.set_clocks(T0)
        staff = self.mint("staff", "sam")
        for name in ("provider X", "provider Y"):
            created = await self.service_call(
                "applications",
                Http("POST", "/v1/providers", json={"name": f"Academy {self.subject(name)}"}),
                staff,
            )
            assert created.status_code == 201, created.text
            self.providers[name] = created.json()
        for name, role in CALLERS.items():
            claims: dict[str, Any] = {}
            if role is Role.PROVIDER:
                claims["provider_id"] = self.providers[name]["id"]
            subject = name.replace(" ", "-")
            self.tokens[name] = None if role is None else self.mint(role, subject, **claims)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    def token(self, caller: str) -> str:
        """The token of a caller who has one (every caller but anonymous)."""
        token = self.tokens[caller]
        assert token is not None, caller
        return token

    def set_clocks(self, instant: datetime) -> None:
        """Every service's clock at ``instant``, frozen."""
        for app in self.system.services.values():
            app.state.clock.set(instant)

    def subject(self, caller: str) -> str:
        """The token subject of a caller (an applicant's id)."""
        return caller.replace(" ", "-")

    # -- calls ---------------------------------------------------------------------------

    async def service_call(self, process: str, call: Http, token: str | None) -> httpx.Response:
        """Send ``call`` to a service, or to the gateway's own routes for ``gateway``."""
        client = self.system.client if process == "gateway" else self._clients[process]
        headers = {**call.headers, **(bearer(token) if token else {})}
        return await client.request(
            call.method,
            call.path,
            json=call.json,
            params=call.params,
            data=call.data,
            files=call.files,
            headers=headers,
        )

    async def perform(self, process: str, call: Call, caller: str) -> Answer:
        """Make ``call`` as ``caller`` and reduce the answer."""
        token = self.tokens[caller]
        if isinstance(call, Graphql):
            response = await self.system.gql(
                call.query, call.variables, token=token, files=call.files
            )
            body = response.json()
            errors = body.get("errors") or []
            code = errors[0].get("extensions", {}).get("code") if errors else None
            data = body.get("data")
            field_data = next(iter(data.values()), None) if isinstance(data, dict) else None
            return Answer(response.status_code, code, field_data, response.text)
        response = await self.service_call(process, call, token)
        is_json = response.headers.get("content-type", "").startswith("application/json")
        body = response.json() if is_json else None
        code = None
        if response.status_code >= 400:
            error = body.get("error") if isinstance(body, dict) else None
            code = error.get("code") if isinstance(error, dict) else f"HTTP_{response.status_code}"
        return Answer(response.status_code, code, body, response.text)

    # -- what recipes ask for -------------------------------------------------------------

    async def _as_staff(self, process: str, call: Http) -> dict[str, Any]:
        response = await self.service_call(process, call, self.tokens["staff"])
        assert response.status_code < 300, response.text
        result: dict[str, Any] = response.json()
        return result

    async def application(
        self, who: str = "applicant A", state: str = "submitted"
    ) -> dict[str, Any]:
        """``who``'s application (submitted once), moved to ``state`` and read again.

        ``state``: ``submitted``, ``incomplete`` (a revision requested), ``paid`` (the
        application fee recorded, so staff may approve it) or ``approved`` (paid, then approved).
        """
        if who not in self._applications:
            response = await self.service_call(
                "applications",
                Http("POST", "/v1/applications", data=application_form(who), files=documents()),
                self.tokens[who],
            )
            assert response.status_code == 201, response.text
            self._applications[who] = response.json()
        view = self._applications[who]
        path = f"/v1/applications/{view['id']}"
        if state == "incomplete" and view["status"] != "incomplete":
            body = {"expected_version": view["version"], "items": ["diploma"]}
            view = await self._as_staff(
                "applications", Http("POST", f"{path}/revision-requests", json=body)
            )
        if state in ("paid", "approved") and not view["payments"]:
            paid = fee(f"fee-{view['id']}")
            await self._as_staff("applications", Http("POST", f"{path}/payments", json=paid))
            view = await self._as_staff("applications", Http("GET", path))
        if state == "approved" and view["status"] != "approved":
            approve = {"expected_version": view["version"]}
            view = await self._as_staff(
                "applications", Http("POST", f"{path}/approve", json=approve)
            )
        self._applications[who] = view
        return view

    async def program(self, provider: str = "provider X") -> str:
        """The id of an approved 80-hour program of ``provider``."""
        if provider not in self._programs:
            program = await self._as_staff(
                "applications",
                Http(
                    "POST",
                    f"/v1/providers/{self.providers[provider]['id']}/programs",
                    json={"name": "Peer Support Core", "hours": 80},
                ),
            )
            self._programs[provider] = program["id"]
        return self._programs[provider]

    async def certificate(self, provider: str = "provider X") -> dict[str, Any]:
        """A pending, unmatched certificate ``provider`` uploaded, with its scan."""
        if provider not in self._certificates:
            program_id = await self.program(provider)
            scan = {"file_base64": base64.b64encode(PDF).decode()}
            response = await self.service_call(
                "applications",
                Http(
                    "POST",
                    f"/v1/providers/{self.providers[provider]['id']}/certificates",
                    json={"certificates": [certificate_row(program_id, "FIXTURE-1", **scan)]},
                ),
                self.tokens[provider],
            )
            assert response.status_code == 200, response.text
            stored = response.json()["results"][0]
            assert stored["outcome"] == "accepted", stored
            uploads = f"/v1/providers/{self.providers[provider]['id']}/certificates"
            page = await self._as_staff("applications", Http("GET", uploads))
            self._certificates[provider] = next(c for c in page["items"] if c["id"] == stored["id"])
        return self._certificates[provider]

    async def certified(self, who: str = "applicant A") -> dict[str, Any]:
        """``who``'s application approved, then certified by a pass exams reported; its view."""
        view = await self.application(who, "approved")
        if view["certification"] is None:
            path = f"/v1/applications/{view['id']}"
            envelope = {
                "id": str(uuid.uuid4()),
                "type": "exam.passed",
                "source": "exams",
                "aggregate_type": "attempt",
                "aggregate_id": f"attempt-{view['id']}",
                "occurred_at": T0.isoformat(),
                "payload": {
                    "attempt_id": f"attempt-{view['id']}",
                    "application_id": view["id"],
                    "applicant_id": view["applicant_id"],
                    "taken_on": T0.date().isoformat(),
                    "correct": 100,
                    "total": 120,
                },
            }
            handed = await self.service_call(
                "applications",
                Http("POST", "/internal/events", json=envelope),
                self.tokens["service"],
            )
            assert handed.json()["outcome"] == "handled", handed.text
            view = await self._as_staff("applications", Http("GET", path))
            assert view["certification"] is not None, view
            self._applications[who] = view
        return view

    async def exam_form(self, status: str = "draft") -> dict[str, Any]:
        """A form of the policy's 120 items (keyed ``rest.FORM_KEY``), as staff made it:
        ``draft`` or ``live``."""
        if status not in self._exam_forms:
            self._exam_forms[status] = await exam_form(
                self._clients["exams"],
                self.token("staff"),
                f"M-{status}-{uuid.uuid4().hex[:8]}",
                live=status == "live",
            )
        return self._exam_forms[status]

    # -- exams: authorizations to test, attempts and accommodations --------------------------

    async def exam_application(self, who: str = "applicant A") -> dict[str, Any]:
        """``who``'s application, approved, with an accepted training certificate (from the
        shared academy) and an exam fee: what applications' exam-standing asks of a request."""
        view = await self.application(who, "approved")
        if who not in self._ready_for_exam:
            if self.shared.academy is None:
                self.shared.academy = await academy(
                    self._clients["applications"], self.token("staff"), "Exam Academy"
                )
            provider_id, program_id = self.shared.academy
            provider = self.mint("provider", "exam-academy", provider_id=provider_id)
            await ready_for_exam(
                self._clients["applications"],
                view,
                staff=self.token("staff"),
                provider=(provider, provider_id, program_id),
                completed_on=T0.date() - timedelta(days=30),
                paid_at=T0,
            )
            self._ready_for_exam.add(who)
        return view

    async def authorization(
        self, who: str = "applicant A", state: str = "granted"
    ) -> dict[str, Any]:
        """An authorization to test of ``who``, ``granted`` or ``scheduled`` (on T0's day)."""
        if who not in self._authorizations:
            view = await self.exam_application(who)
            body = {"application_id": view["id"], "language": "en", "delivery_mode": "test_centre"}
            response = await self.service_call(
                "exams", Http("POST", "/v1/exam-authorizations", json=body), self.tokens[who]
            )
            assert response.status_code == 200, response.text
            self._authorizations[who] = response.json()
        authorization = self._authorizations[who]
        if state == "scheduled" and authorization["status"] != "scheduled":
            schedule = {
                "expected_version": authorization["version"],
                "scheduled_on": "2026-03-10",
                "scheduled_at_time": "18:00",
                "site": "Sacramento",
            }
            path = f"/v1/exam-authorizations/{authorization['id']}/schedule"
            authorization = await self._as_staff("exams", Http("POST", path, json=schedule))
            self._authorizations[who] = authorization
        return authorization

    async def sitting_form(self) -> dict[str, Any]:
        """The live form every World's attempts are sat on (made once per system)."""
        if self.shared.sitting_form is None:
            self.shared.sitting_form = await exam_form(
                self._clients["exams"], self.token("staff"), "M-sitting", live=True
            )
        return self.shared.sitting_form

    async def exam_authorization(self, who: str = "applicant A") -> dict[str, Any]:
        """``who``'s granted authorization and the form to sit: ``{"id", "form_id"}``."""
        authorization = await self.authorization(who)
        return {"id": authorization["id"], "form_id": (await self.sitting_form())["id"]}

    async def exam_attempt(self, who: str = "applicant A") -> dict[str, Any]:
        """``who``'s attempt, taken at T0; the clocks then stand 8 days later, so its result
        notice may be sent."""
        authorization = await self.exam_authorization(who)
        body = {
            "authorization_id": authorization["id"],
            "form_id": authorization["form_id"],
            "taken_at": T0.isoformat(),
            "responses": {"1": "A", "2": "B", "3": "C", "4": "A"},
        }
        attempt = await self._as_staff("exams", Http("POST", "/v1/attempts", json=body))
        self.set_clocks(T0 + timedelta(days=8))
        return attempt

    async def accommodation(self, who: str = "applicant A") -> dict[str, Any]:
        """A pending accommodation request on ``who``'s granted authorization."""
        if who not in self._accommodations:
            authorization = await self.authorization(who)
            response = await self.service_call(
                "exams",
                Http(
                    "POST",
                    f"/v1/exam-authorizations/{authorization['id']}/accommodations",
                    data={"description": "extra time"},
                    files={"document": ("letter.pdf", PDF, "application/pdf")},
                ),
                self.tokens[who],
            )
            assert response.status_code == 201, response.text
            self._accommodations[who] = response.json()
        return self._accommodations[who]

    # -- supervision: supervisors and their agreements ----------------------------------

    @property
    def _supervision(self) -> dict[str, dict[str, Any]]:
        made: dict[str, dict[str, Any]] = self.__dict__.setdefault("_supervision_made", {})
        return made

    async def supervisor(self, who: str = "supervisor S") -> dict[str, Any]:
        """``who``'s supervisor record, registered by them and verified by staff."""
        if who not in self._supervision:
            registered = await self.service_call(
                "supervision",
                Http("POST", "/v1/supervisors", json=supervisor_registration(who)),
                self.tokens[who],
            )
            assert registered.status_code == 201, registered.text
            path = f"/v1/supervisors/{self.subject(who)}/verification"
            body = {"expected_version": registered.json()["version"], "decision": "verified"}
            self._supervision[who] = await self._as_staff(
                "supervision", Http("POST", path, json=body)
            )
        return self._supervision[who]

    async def agreement(self, state: str = "drafted") -> dict[str, Any]:
        """Applicant A's agreement with supervisor S: ``drafted`` or ``signed`` by both."""
        key = f"agreement {state}"
        if key not in self._supervision:
            supervisor = await self.supervisor("supervisor S")
            drafted = await self.service_call(
                "supervision",
                Http("POST", "/v1/agreements", json=agreement_terms(supervisor["id"])),
                self.tokens["applicant A"],
            )
            assert drafted.status_code == 201, drafted.text
            agreement: dict[str, Any] = drafted.json()
            if state == "signed":
                for signer in ("applicant A", "supervisor S"):
                    signed = await self.service_call(
                        "supervision",
                        Http(
                            "POST",
                            f"/v1/agreements/{agreement['id']}/signatures",
                            json={"expected_version": agreement["version"]},
                        ),
                        self.tokens[signer],
                    )
                    assert signed.status_code == 200, signed.text
                    agreement = signed.json()
            self._supervision[key] = agreement
        return self._supervision[key]

    # -- supervision (sessions, hours) ------------------------------------------------------
    # Agreements have no API on this branch yet: the factory writes one straight into the
    # supervision database, signed by both, as the agreements aggregate would have stored it.

    async def supervision_agreement(
        self, peer: str = "applicant A", supervisor: str = "supervisor S"
    ) -> str:
        """The id of ``peer``'s signed, open-ended agreement with ``supervisor`` (made once)."""
        key = (peer, supervisor)
        if key not in self._agreements:
            from supervision.agreement.models import SupervisionAgreement
            from supervision.supervisor.models import Supervisor

            row = SupervisionAgreement(
                peer_applicant_id=self.subject(peer),
                supervisor_id=self.subject(supervisor),
                employer="Matrix Recovery Center",
                starts_on=T0.date().replace(month=1, day=1),
                signed_by_peer_at=T0,
                signed_by_supervisor_at=T0,
                relationship_attested=True,
                created_at=T0,
            )
            async with self.system.services["supervision"].state.sessions() as session:
                # An agreement is active only with a qualified supervisor on record.
                if await session.get(Supervisor, row.supervisor_id) is None:
                    session.add(qualified_supervisor(row.supervisor_id))
                session.add(row)
                await session.commit()
            self._agreements[key] = str(row.id)
        return self._agreements[key]

    async def supervision_session(self, peer: str = "applicant A") -> dict[str, Any]:
        """A session ``peer`` logged yesterday under the agreement with supervisor S."""
        if peer not in self._sessions:
            body = {
                "agreement_id": await self.supervision_agreement(peer),
                "peer_name": "Maria Lopez",
                "held_on": "2026-03-09",
                "start_time": "10:00",
                "stop_time": "11:00",
                "format": "individual",
                "topics": ["planning"],
            }
            response = await self.service_call(
                "supervision",
                Http("POST", "/v1/supervision/sessions", json=body),
                self.tokens[peer],
            )
            assert response.status_code == 201, response.text
            self._sessions[peer] = response.json()
        return self._sessions[peer]

    async def hours_report(self, peer: str = "applicant A") -> dict[str, Any]:
        """Hours ``peer`` reported for yesterday under the agreement with supervisor S."""
        if peer not in self._hours:
            body = {
                "agreement_id": await self.supervision_agreement(peer),
                "period": "day",
                "starts_on": "2026-03-09",
                "hours": "8.00",
            }
            call = Http("POST", "/v1/supervision/hours", json=body)
            response = await self.service_call("supervision", call, self.tokens[peer])
            assert response.status_code == 201, response.text
            self._hours[peer] = response.json()
        return self._hours[peer]

    # -- what must not change -------------------------------------------------------------

    async def fingerprint(self) -> dict[str, str]:
        """Every service table's row count and a digest of all its rows, and every clock."""
        prints: dict[str, str] = {}
        for service, app in self.system.services.items():
            state = app.state.clock.state()
            prints[f"{service} clock"] = f"{state.now.isoformat()} frozen={state.frozen}"
            async with app.state.engine.connect() as connection:
                if service not in self.shared.tables:
                    names = await connection.run_sync(lambda c: inspect(c).get_table_names())
                    self.shared.tables[service] = sorted(set(names) - NOT_STATE)
                for table in self.shared.tables[service]:
                    rows = (await connection.execute(text(f'SELECT * FROM "{table}"'))).all()
                    digest = hashlib.sha256(
                        json.dumps(sorted(repr(tuple(r)) for r in rows)).encode()
                    ).hexdigest()[:16]
                    prints[f"{service}.{table}"] = f"{len(rows)} rows {digest}"
        return prints
