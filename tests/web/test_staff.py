"""The staff console over the in-process system: the dashboard of queues, a work queue with
its clocks, who may see them, and their words in Spanish (the application page's decisions
are in test_staff_decisions.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import Minter
from tests.e2e.conftest import System
from tests.e2e.helpers import (
    SUBMIT_FOR_APPROVAL,
    advance_clock,
    application_input,
    data_of,
    set_clock,
    uploads,
)

from .conftest import Console, console_app
from .test_pages import text_of

START = "mutation S($id: ID!, $v: Int!) { startReview(id: $id, expectedVersion: $v) { version } }"
STATUS = "query A($id: ID!) { application(id: $id) { status version missing } }"


async def submitted(system: System, mint: Minter, who: str = "alice") -> dict[str, Any]:
    """``who``'s application, submitted through the gateway: ``{"id", "version"}``."""
    form = {"input": application_input(email=f"{who}@example.org", lastName=who.capitalize())}
    found: dict[str, Any] = (
        await data_of(
            system, SUBMIT_FOR_APPROVAL, form, token=mint("applicant", who), files=uploads()
        )
    )["submitApplication"]
    return found


async def two_late(console: Console, mint: Minter) -> list[dict[str, Any]]:
    """Alice's and Bob's applications submitted on 10 March 2026, read 40 days later: both
    past the first notice's due day (9 April)."""
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    made = [await submitted(console.system, mint, who) for who in ("alice", "bob")]
    await advance_clock(console.system, staff, days=40)
    return made


def version_on(page: str) -> str:
    found = re.search(r'name="expectedVersion" value="(\d+)"', page)
    assert found, page
    return found.group(1)


async def test_the_dashboard_shows_every_queue_from_one_gateway_request(
    console: Console, mint: Minter
) -> None:
    await two_late(console, mint)
    await console.sign_in("staff", "sam")
    gateway = console.app.state.gateway
    sent: list[str] = []
    query = gateway.query

    async def counted(document: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(document)
        return await query(document, *args, **kwargs)

    gateway.query = counted
    page = await console.client.get("/staff")
    assert page.status_code == 200
    assert len(sent) == 1
    assert "me {" in sent[0]
    assert "queues {" in sent[0]
    words = text_of(page.text)
    assert (
        "Queue Waiting Past due (breaches) Earliest due Last 30 days "
        "First notice to send 2 counted under “First notice late” 9 April 2026 "
        "30 days: 2 on 21 March 2026, 2 today, at most 2. Past due: at most 2. "
        "First notice late 2 Breach: 2 past their due day 9 April 2026 "
        "30 days: 0 on 21 March 2026, 2 today, at most 2. "
        "Waiting on the applicant 0 the applicant's clock, not staff's nothing due "
        "30 days: 0 on 21 March 2026, 0 today, at most 0. "
    ) in words
    # Every queue with its last 30 days, drawn and in words; none without.
    empty_month = "nothing due 30 days: 0 on 21 March 2026, 0 today, at most 0."
    for queue in (
        "Approvals expiring soon 0 the applicant's clock, not staff's",
        "Training certificates to review 0 none past due",
        "Certificates matching no application 0 no due day",
        "CE audits open 0 none past due",
        "Self-reported CE to verify 0 no due day",
        "Certifications ending this month 0 no due day",
        "Exam result notices to send 0 none past due",
        "Accommodation requests 0 none past due",
        "Exams to schedule 0 none past due",
        "Supervision shortfalls 0 none past due",
    ):
        assert f"{queue} {empty_month}" in words
    assert page.text.count('<svg class="spark"') == 13
    assert "not kept" not in words
    # A breach in colour (the class) and in words, never colour alone.
    assert '<span class="breach">Breach: 2 past their due day</span>' in page.text
    assert 'href="/staff/applications?queue=breaches"' in page.text
    spanish = await console.client.get("/staff", headers={"Accept-Language": "es"})
    assert "Incumplimiento: 2 pasaron su fecha límite" in text_of(spanish.text)


async def test_a_service_down_blanks_only_its_queues(console: Console, mint: Minter) -> None:
    await console.sign_in("staff", "sam")
    console.system.down.add("exams")
    words = text_of((await console.client.get("/staff")).text)
    unavailable = "Cannot be read just now: that part of the system is not answering."
    assert f"Exams to schedule {unavailable}" in words
    assert "First notice to send 0" in words


async def test_other_roles_get_a_403_page_and_nobody_is_sent_to_sign_in(
    console: Console, mint: Minter
) -> None:
    application = await submitted(console.system, mint)
    paths = ["/staff", "/staff/applications", f"/staff/applications/{application['id']}"]
    for path in paths:
        gone = await console.client.get(path)
        assert (gone.status_code, gone.headers["location"]) == (303, "/signin")
    await console.sign_in("applicant", "alice")
    for path in paths:
        refused = await console.client.get(path)
        assert refused.status_code == 403
        assert "This page is for board staff. You are signed in as applicant." in text_of(
            refused.text
        )
    token = await console.csrf("/me")
    posted = await console.client.post(
        f"/staff/applications/{application['id']}/start-review",
        data={"expectedVersion": application["version"], "csrf_token": token},
    )
    assert posted.status_code == 403
    read = await data_of(
        console.system, STATUS, {"id": application["id"]}, token=mint("staff", "sam")
    )
    assert read["application"]["status"] == "SUBMITTED"


async def test_a_work_queue_pages_with_each_rows_clock(
    console: Console, mint: Minter, dev_data_dir: Path
) -> None:
    made = await two_late(console, mint)
    app = console_app(console.system, dev_data_dir, page_size=1)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await web.get("/signin")).text)
        assert token
        await web.post(
            "/signin", data={"role": "staff", "subject": "sam", "csrf_token": token.group(1)}
        )
        first = await web.get("/staff/applications", params={"queue": "breaches"})
        assert first.status_code == 200
        words = text_of(first.text)
        assert "Today: 19 April 2026" in words
        assert (
            "Applicant Status Submitted Due Clock "
            "Alice, Maria Submitted 10 March 2026 9 April 2026 "
            "Breach: the due day passed 10 days ago"
        ) in words
        assert f'href="/staff/applications/{made[0]["id"]}"' in first.text
        assert 'class="breach-row"' in first.text
        more = re.search(
            r'<a href="(/staff/applications\?queue=breaches[^"]+)">Next page', first.text
        )
        assert more, first.text
        second = await web.get(more.group(1).replace("&amp;", "&"))
        assert "Bob, Maria Submitted 10 March 2026 9 April 2026" in text_of(second.text)
        assert "Next page" not in second.text
    await console.sign_in("staff", "sam")
    empty = await console.client.get("/staff/applications", params={"queue": "incomplete"})
    assert "Nothing waits in this queue." in text_of(empty.text)
    unknown = await console.client.get("/staff/applications", params={"queue": "nope"})
    assert unknown.status_code == 404


async def test_staff_find_their_queues_from_every_page(console: Console) -> None:
    await console.sign_in("staff", "sam")
    home = await console.client.get("/")
    assert home.text.count('href="/staff"') == 2
    assert 'href="/me"' not in home.text


async def test_every_staff_page_has_its_words_in_spanish(console: Console, mint: Minter) -> None:
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    spanish = {"Accept-Language": "es"}
    pages = [
        await console.client.get(p, headers=spanish)
        for p in ("/staff", "/staff/applications?queue=first-notification", path)
    ]
    stale = await console.client.post(
        f"{path}/deny",
        data={"expectedVersion": "7", "reason": "Motivo.", "csrf_token": await console.csrf(path)},
        headers=spanish,
    )
    for page in [*pages, stale]:
        words = text_of(page.text)
        # A key with no words would be shown as the key itself.
        assert not re.findall(r"\b(?:staff|decision|decided|queue|code)\.[a-z_-]+", words), words
    assert "Solicitar una revisión" in text_of(pages[2].text)
    assert "No se hizo: alguien cambió esta solicitud" in text_of(stale.text)
