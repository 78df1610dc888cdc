"""Session logs: every refusal, the lock after sign-off, the amendment after, owner scoping."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import select

from certboard_core.audit import AuditRecord
from certboard_core.db import is_sqlite
from supervision.config import Settings
from supervision.session import service
from supervision.session.models import SupervisionSession

from ..factories import agreement, supervisor
from .records import Callers, error, insert, log, session_body, sign, sign_body

PATH = "/v1/supervision/sessions"


@pytest.fixture
async def signed(app: FastAPI) -> Any:
    """Alice's agreement with dr-sam, signed by both, from 1 February 2026."""
    row = agreement()
    await insert(app, row)
    return row


async def test_the_peer_logs_a_session_with_every_field(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    body = await log(client, who.alice, session_body(signed.id))
    assert {k: v for k, v in body.items() if k not in {"id", "created_at"}} == {
        "agreement_id": str(signed.id),
        "peer_applicant_id": "alice",
        "supervisor_id": "dr-sam",
        "peer_name": "Alice Moreno",
        "peer_certification_number": "MT-PSS-0042",
        "supervisor_name": None,
        "supervisor_license_number": None,
        "held_on": "2026-03-09",
        "start_time": "10:00",
        "stop_time": "11:00",
        "minutes": 60,
        "format": "individual",
        "topics": ["planning", "referrals"],
        "signed_off_at": None,
        "signed_off_by": None,
        "locked": False,
        "current": True,
        "supersedes_id": None,
        "amendment_reason": None,
        "superseded_at": None,
        "superseded_by": None,
        "created_by": "applicant:alice",
        "version": 1,
    }


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        pytest.param({"stop_time": "10:00"}, 422, "STOP_NOT_AFTER_START", "stop_time", id="equal"),
        pytest.param({"stop_time": "09:45"}, 422, "STOP_NOT_AFTER_START", "stop_time", id="before"),
        pytest.param({"stop_time": "10:50"}, 422, "LENGTH_NOT_INCREMENT", "stop_time", id="50min"),
        pytest.param({"stop_time": "10:16"}, 422, "LENGTH_NOT_INCREMENT", "stop_time", id="16min"),
        # The clock is 11:00 local on the 10th: a session ending 11:15 has not ended yet.
        pytest.param(
            {"held_on": "2026-03-10", "start_time": "10:15", "stop_time": "11:15"},
            422,
            "IN_FUTURE",
            "stop_time",
            id="future",
        ),
        pytest.param(
            {"held_on": "2026-01-31"}, 422, "OUTSIDE_AGREEMENT", "held_on", id="before-start"
        ),
        pytest.param({"topics": []}, 422, "VALIDATION_ERROR", "topics", id="no-topic"),
        pytest.param({"topics": ["gossip"]}, 422, "VALIDATION_ERROR", "topics.0", id="bad-topic"),
        pytest.param(
            {"topics": ["planning", "planning"]}, 422, "VALIDATION_ERROR", "topics", id="twice"
        ),
        pytest.param({"start_time": "9:00"}, 422, "VALIDATION_ERROR", "start_time", id="h:mm"),
        pytest.param({"format": "duo"}, 422, "VALIDATION_ERROR", "format", id="format"),
    ],
)
async def test_refusals_name_the_field_and_store_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    who: Callers,
    signed: Any,
    overrides: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    response = await client.post(PATH, json=session_body(signed.id, **overrides), headers=who.alice)
    assert error(response) == (status, code, field)
    async with app.state.sessions() as db:
        assert (await db.exec(select(SupervisionSession))).all() == []


async def test_ending_exactly_now_is_not_in_the_future(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    body = await log(
        client,
        who.alice,
        session_body(signed.id, held_on="2026-03-10", start_time="10:00", stop_time="11:00"),
    )
    assert body["minutes"] == 60


@pytest.mark.parametrize(
    ("end", "status", "code"),
    [
        pytest.param({"ends_on": date(2026, 3, 8)}, 422, "OUTSIDE_AGREEMENT", id="ended"),
        pytest.param(
            {"terminated_on": date(2026, 3, 8), "termination_reason": "moved away"},
            409,
            "AGREEMENT_TERMINATED",
            id="terminated",
        ),
    ],
)
async def test_after_the_agreement_ends_or_is_terminated_is_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    who: Callers,
    end: dict[str, Any],
    status: int,
    code: str,
) -> None:
    ended = agreement(**end)
    await insert(app, ended)
    response = await client.post(PATH, json=session_body(ended.id), headers=who.alice)
    assert error(response) == (status, code, "held_on")
    on_the_last_day = session_body(ended.id, held_on="2026-03-08")
    assert (await client.post(PATH, json=on_the_last_day, headers=who.alice)).status_code == 201


async def test_an_agreement_signed_by_one_side_is_not_active(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    half = agreement(signed_by_supervisor_at=None)
    await insert(app, half)
    response = await client.post(PATH, json=session_body(half.id), headers=who.alice)
    assert error(response) == (422, "AGREEMENT_NOT_ACTIVE", "agreement_id")


async def test_a_supervisor_no_longer_qualified_is_refused(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    lapsed = agreement(supervisor_id="dr-lapsed")
    await insert(app, supervisor(id="dr-lapsed", license_expires_on=date(2026, 3, 8)), lapsed)
    response = await client.post(PATH, json=session_body(lapsed.id), headers=who.alice)
    assert error(response) == (409, "SUPERVISOR_NOT_QUALIFIED", "supervisor_id")
    assert [r["code"] for r in response.json()["error"]["reasons"]] == ["LICENSE_EXPIRED"]
    # The license was still valid on its last day.
    while_valid = session_body(lapsed.id, held_on="2026-03-08")
    assert (await client.post(PATH, json=while_valid, headers=who.alice)).status_code == 201


async def test_overlapping_a_session_of_the_same_supervisor_is_refused(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    other_peer = agreement(peer_applicant_id="bob")
    other_supervisor = agreement(peer_applicant_id="bob", supervisor_id="dr-kim")
    await insert(app, other_peer, other_supervisor)
    await log(client, who.alice, session_body(signed.id))
    clash = session_body(other_peer.id, start_time="10:45", stop_time="11:15")
    response = await client.post(PATH, json=clash, headers=who.bob)
    assert error(response) == (409, "SESSION_OVERLAP", "start_time")
    # Back to back is no overlap; another supervisor at the same time is none either.
    after = session_body(other_peer.id, start_time="11:00", stop_time="11:30")
    assert (await client.post(PATH, json=after, headers=who.bob)).status_code == 201
    same_time = session_body(other_supervisor.id)
    assert (await client.post(PATH, json=same_time, headers=who.bob)).status_code == 201


async def test_of_two_overlapping_sessions_logged_at_once_one_is_stored(
    app: FastAPI,
    client: httpx.AsyncClient,
    who: Callers,
    signed: Any,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bobs = agreement(peer_applicant_id="bob")
    await insert(app, bobs)
    if not is_sqlite(settings.database_url):
        # Each request waits after its reads until the other has made them too: without the
        # supervisor's row lock both overlap checks would then pass. (SQLite cannot interleave
        # two writers at all: the second one's BEGIN IMMEDIATE waits for the first's commit.)
        both_read = asyncio.Barrier(2)
        checked = service.require_active

        async def then_wait(*args: Any, **kwargs: Any) -> None:
            await checked(*args, **kwargs)
            await both_read.wait()

        monkeypatch.setattr(service, "require_active", then_wait)
    answers = await asyncio.gather(
        client.post(PATH, json=session_body(signed.id), headers=who.alice),
        client.post(
            PATH,
            json=session_body(bobs.id, start_time="10:30", stop_time="11:30"),
            headers=who.bob,
        ),
    )
    assert sorted(a.status_code for a in answers) == [201, 409]
    (refused,) = (a for a in answers if a.status_code == 409)
    assert error(refused) == (409, "SESSION_OVERLAP", "start_time")
    async with app.state.sessions() as db:
        assert len((await db.exec(select(SupervisionSession))).all()) == 1


async def test_one_group_meeting_may_be_logged_by_each_peer(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    bobs = agreement(peer_applicant_id="bob")
    await insert(app, bobs)
    await log(client, who.alice, session_body(signed.id, format="group"))
    await log(client, who.bob, session_body(bobs.id, format="group"))
    shifted = session_body(bobs.id, format="group", start_time="10:30", stop_time="11:30")
    response = await client.post(PATH, json=shifted, headers=who.bob)
    assert error(response) == (409, "SESSION_OVERLAP", "start_time")


async def test_any_length_when_the_policy_sets_no_increment(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    app.state.policy = app.state.policy.model_copy(update={"session_increment_minutes": None})
    body = await log(client, who.alice, session_body(signed.id, stop_time="10:50"))
    assert body["minutes"] == 50


async def test_sign_off_locks_and_only_an_amendment_changes_it(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    logged = await log(client, who.alice, session_body(signed.id))
    done = await sign(client, who.sam, logged)
    assert done["locked"] is True
    assert done["supervisor_name"] == "Dr. Sam Ortiz"
    assert done["supervisor_license_number"] == "LCSW-1234"
    assert done["signed_off_by"] == "supervisor:dr-sam"
    assert done["signed_off_at"] == "2026-03-10T17:00:00Z"
    again = await client.post(
        f"{PATH}/{logged['id']}/sign-off", json=sign_body(done["version"]), headers=who.sam
    )
    assert error(again) == (409, "SESSION_LOCKED", "session_id")

    amendment = {
        **session_body(signed.id, stop_time="11:30"),
        "expected_version": done["version"],
        "reason": "the session ran half an hour longer",
        "supervisor_name": "Dr. Sam Ortiz",
        "supervisor_license_number": "LCSW-1234",
    }
    amendment.pop("agreement_id")
    amend_path = f"{PATH}/{logged['id']}/amendments"
    amended = await client.post(amend_path, json=amendment, headers=who.sam)
    assert amended.status_code == 201, amended.text
    new = amended.json()
    assert (new["minutes"], new["supersedes_id"], new["locked"], new["current"]) == (
        90,
        logged["id"],
        True,
        True,
    )
    assert new["peer_name"] == "Alice Moreno"
    assert new["amendment_reason"] == "the session ran half an hour longer"

    history = await client.get(PATH, params={"include_superseded": "true"}, headers=who.staff)
    rows = {row["id"]: row for row in history.json()["items"]}
    old = rows[logged["id"]]
    assert (old["current"], old["minutes"], old["superseded_by"]) == (
        False,
        60,
        "supervisor:dr-sam",
    )
    current = await client.get(PATH, headers=who.staff)
    assert [row["id"] for row in current.json()["items"]] == [new["id"]]
    # The replaced entry can be neither signed nor amended again.
    stale = await client.post(amend_path, json=amendment, headers=who.sam)
    assert error(stale) == (409, "SUPERSEDED", "session_id")
    async with app.state.sessions() as db:
        actions = (await db.exec(select(AuditRecord.action))).all()
    assert sorted(actions) == sorted(
        [
            "supervision_session.log",
            "supervision_session.sign_off",
            "supervision_session.supersede",
            "supervision_session.amend",
        ]
    )


async def test_a_stale_version_is_refused(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    logged = await log(client, who.alice, session_body(signed.id))
    response = await client.post(
        f"{PATH}/{logged['id']}/sign-off", json=sign_body(7), headers=who.sam
    )
    assert error(response) == (409, "VERSION_CONFLICT", "expected_version")


async def test_the_amendment_obeys_the_session_rules(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    logged = await log(client, who.alice, session_body(signed.id))
    amendment = {
        **session_body(signed.id, stop_time="10:20"),
        "expected_version": 1,
        "reason": "typo",
        "supervisor_name": "Dr. Sam Ortiz",
        "supervisor_license_number": "LCSW-1234",
    }
    response = await client.post(
        f"{PATH}/{logged['id']}/amendments", json=amendment, headers=who.sam
    )
    assert error(response) == (422, "LENGTH_NOT_INCREMENT", "stop_time")


class TestScoping:
    async def test_another_supervisor_cannot_sign_or_amend(
        self, client: httpx.AsyncClient, who: Callers, signed: Any
    ) -> None:
        logged = await log(client, who.alice, session_body(signed.id))
        response = await client.post(
            f"{PATH}/{logged['id']}/sign-off", json=sign_body(), headers=who.kim
        )
        assert error(response) == (404, "NOT_FOUND", "session_id")
        assert logged["id"] not in response.text

    async def test_another_peer_cannot_log_under_the_agreement(
        self, client: httpx.AsyncClient, who: Callers, signed: Any
    ) -> None:
        response = await client.post(PATH, json=session_body(signed.id), headers=who.bob)
        assert error(response) == (404, "NOT_FOUND", "agreement_id")

    async def test_each_sees_only_their_own_sessions(
        self, app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any
    ) -> None:
        kims = agreement(peer_applicant_id="bob", supervisor_id="dr-kim")
        await insert(app, kims)
        alices = await log(client, who.alice, session_body(signed.id))
        bobs = await log(client, who.bob, session_body(kims.id))

        async def ids(headers: dict[str, str], **params: Any) -> list[str]:
            response = await client.get(PATH, params=params, headers=headers)
            assert response.status_code == 200, response.text
            return [row["id"] for row in response.json()["items"]]

        assert await ids(who.alice) == [alices["id"]]
        assert await ids(who.bob) == [bobs["id"]]
        assert await ids(who.sam) == [alices["id"]]
        assert await ids(who.kim) == [bobs["id"]]
        assert sorted(await ids(who.staff)) == sorted([alices["id"], bobs["id"]])
        assert await ids(who.kim, peer_applicant_id="alice") == []
        assert await ids(who.staff, peer_applicant_id="alice") == [alices["id"]]

    @pytest.mark.parametrize("role", ["staff", "supervisor", "provider", "service"])
    async def test_only_the_peer_logs(
        self, client: httpx.AsyncClient, mint: Any, signed: Any, role: str
    ) -> None:
        headers = {"Authorization": f"Bearer {mint(role, 'dr-sam')}"}
        response = await client.post(PATH, json=session_body(signed.id), headers=headers)
        assert error(response)[:2] == (403, "FORBIDDEN")

    async def test_pages_follow_the_cursor(
        self, client: httpx.AsyncClient, who: Callers, signed: Any
    ) -> None:
        for start, stop in (("08:00", "08:15"), ("09:00", "09:15"), ("10:00", "10:15")):
            await log(client, who.alice, session_body(signed.id, start_time=start, stop_time=stop))
        first = (await client.get(PATH, params={"limit": 2}, headers=who.alice)).json()
        assert [r["start_time"] for r in first["items"]] == ["08:00", "09:00"]
        rest = await client.get(
            PATH, params={"limit": 2, "after": first["next_cursor"]}, headers=who.alice
        )
        assert [r["start_time"] for r in rest.json()["items"]] == ["10:00"]
        assert rest.json()["next_cursor"] is None
