"""The console's pages over the in-process system: public verification, development sign-in,
the applicant's status, CSRF refusals, and the security headers on every answer."""

from __future__ import annotations

import base64
import json
import logging
import re
from html import unescape
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi.routing import APIRoute

from certboard_core.testing.plugin import Minter
from tests.e2e.conftest import System
from tests.e2e.helpers import approved_application, set_clock
from tests.e2e.test_certification import pass_from_exams
from web.config import Settings
from web.main import create_app
from web.pages import account, employer, public, signin
from web.pages.staff import application, dashboard, decisions, queue
from web.security import CONTENT_SECURITY_POLICY, require_csrf

from .conftest import Console, console_app

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def text_of(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def certified(system: System, mint: Minter, who: str = "alice", **kw: str) -> str:
    """``who`` approved and passed: their certification's number."""
    staff = mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint, who, **kw)
    await pass_from_exams(system, application, "2026-05-04")
    read = await system.gql(
        "{ me { applications { certification { number } } } }", token=mint("applicant", who)
    )
    number: str = read.json()["data"]["me"]["applications"][0]["certification"]["number"]
    return number


async def test_every_answer_carries_the_strict_policy(console: Console) -> None:
    assert CONTENT_SECURITY_POLICY == STRICT
    token = await console.csrf()
    answers = [
        await console.client.get("/"),
        await console.client.get("/verify"),
        await console.client.get("/verify?number=x"),
        await console.client.get("/signin"),
        await console.client.get("/me", follow_redirects=False),
        await console.client.get("/static/htmx.min.js"),
        await console.client.get("/static/app.css"),
        await console.client.get("/no-such-page"),
        await console.client.post("/signout", data={"csrf_token": "forged"}),
        await console.client.post("/language", data={"lang": "es", "csrf_token": token}),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 303, 200, 200, 404, 403, 303]
    for answer in answers:
        assert answer.headers["content-security-policy"] == STRICT, answer.request.url
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    # Nothing a page needs comes from elsewhere, and nothing runs inline.
    home = answers[0].text
    assert re.findall(r'(?:src|href)="([^"]+)"', home) == [
        "/static/app.css",
        "/static/htmx.min.js",
        "#content",
        "/",
        "/verify",
        "/signin",
        "/verify",
        "/signin",
    ]
    assert "<script>" not in home
    assert "style=" not in home
    assert "<style" not in home


async def test_the_public_verifies_a_number_and_reads_why_one_is_unknown(
    console: Console, mint: Minter
) -> None:
    number = await certified(console.system, mint)
    page = await console.client.get("/verify", params={"number": number.lower()})
    assert page.status_code == 200
    words = text_of(page.text)
    assert (
        f"Maria Lopez Number {number} Status Active Issued on 4 May 2026 "
        "Valid through 3 May 2028 Signed credential Download the credential"
    ) in words
    assert 'data-status="ACTIVE"' in page.text
    # The private facts of the application never reach the public page.
    for private in ("1990-05-17", "maria.lopez@example.org", "alice"):
        assert private not in page.text
    unknown = await console.client.get("/verify", params={"number": "AAAA-AAAA-AAAB"})
    assert unknown.status_code == 200
    assert "No certification has this number. Check it as printed." in text_of(unknown.text)
    # htmx asks for the results alone.
    partial = await console.client.get(
        "/verify", params={"number": number}, headers={"HX-Request": "true"}
    )
    assert partial.text.lstrip().startswith("<h2>Results</h2>")
    assert "<html" not in partial.text


async def test_the_public_finds_holders_by_name_a_page_at_a_time(
    console: Console, mint: Minter
) -> None:
    first = await certified(console.system, mint, "alice")
    second = await certified(console.system, mint, "bob", email="m.lopez@example.org")
    app = console_app(console.system, Path(console.app.state.settings.data_dir), page_size=1)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        page = await web.get("/verify", params={"last_name": "lopez", "first_name": "m"})
        found = re.findall(r"<dd>(\w{4}-\w{4}-\w{4})</dd>", page.text)
        more = re.search(r'<a href="(/verify\?[^"]+)"[^>]*>Next page</a>', page.text)
        assert more, page.text
        then = await web.get(more.group(1).replace("&amp;", "&"))
        found += re.findall(r"<dd>(\w{4}-\w{4}-\w{4})</dd>", then.text)
        assert "Next page" not in then.text
    assert sorted(found) == sorted([first, second])
    refused = await console.client.get("/verify", params={"last_name": "!!", "first_name": "m"})
    words = text_of(refused.text)
    assert "This value is not accepted: a last name needs at least one letter" in words


async def test_an_applicant_signs_in_and_reads_the_timeline_in_either_language(
    console: Console, mint: Minter
) -> None:
    number = await certified(console.system, mint)
    signed = await console.sign_in("applicant", "alice")
    assert (signed.status_code, signed.headers["location"]) == (303, "/me")
    cookie = signed.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    page = await console.client.get("/me")
    words = text_of(page.text)
    assert "Application submitted on 10 March 2026: Certified" in words
    # Every date in order, each with its days from the board's today; the dates that no
    # longer bind a certified person say so rather than count down.
    assert (
        "Today: 10 March 2026 "
        "10 March 2026 Submitted today "
        "10 March 2026 The board's first notice was sent today "
        "9 April 2026 The board's first notice is due 30 days left "
        "4 May 2026 Certified 55 days left "
        "8 June 2026 Last day to complete the application does not apply now "
        "9 June 2026 Void from, if still incomplete does not apply now "
        "23 February 2027 Last day to request the exam does not apply now "
        "9 March 2027 Approval valid through does not apply now "
        "3 February 2028 Renewal window opens 695 days left "
        "3 May 2028 Certification valid through 785 days left "
        "3 May 2028 Renewal window closes 785 days left "
        "What is missing Nothing is missing. "
    ) in words
    assert "Notices Your application is approved 10 March 2026" in words
    assert "You are certified 10 March 2026 Congratulations" in words
    assert f"Number {number} Status Active" in words
    assert f'href="/verify?number={number}"' in page.text
    # The token stays in the cookie: never in a page.
    token = console.client.cookies.get("certboard_session")
    assert token
    assert token not in page.text
    assert "eyJ" not in page.text.replace(token, "")
    spanish = await console.client.get("/me", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert "Solicitud presentada el 10 de marzo de 2026: Certificada" in text_of(spanish.text)


async def test_a_post_without_the_sessions_token_is_refused_with_a_page(console: Console) -> None:
    for data in (
        {"role": "staff", "subject": "mallory"},
        {"role": "staff", "subject": "m", "csrf_token": "guessed"},
    ):
        refused = await console.client.post("/signin", data=data)
        assert refused.status_code == 403
        assert "This form has expired or did not come from this site." in text_of(refused.text)
    # Nobody was signed in by it.
    assert "mallory" not in (await console.client.get("/")).text
    # htmx's header carries the token just as well as the form field.
    token = await console.csrf()
    moved = await console.client.post(
        "/language", data={"lang": "es", "next": "//evil.example"}, headers={"X-CSRF-Token": token}
    )
    assert (moved.status_code, moved.headers["location"]) == (303, "/")


def test_every_post_route_checks_csrf() -> None:
    routes = [
        r
        for m in (public, account, signin, employer, dashboard, queue, application, decisions)
        for r in m.router.routes
    ]
    posts = [r for r in routes if isinstance(r, APIRoute) and "POST" in r.methods]
    staff_posts = {
        f"/staff/applications/{{application_id}}/{name}"
        for name in (
            "start-review",
            "request-revision",
            "approve",
            "deny",
            "record-payment",
            "background-check",
            "status-message",
        )
    }
    employer_posts = {
        "/employer/profile",
        "/employer/enrolments",
        "/employer/enrolments/{enrolment_id}/unenrol",
    }
    assert {r.path for r in posts} == {
        "/signin",
        "/signout",
        "/language",
    } | staff_posts | employer_posts
    for route in posts:
        assert any(d.call is require_csrf for d in route.dependant.dependencies), route.path


async def test_an_expired_session_is_sent_to_sign_in_with_words(
    console: Console, dev_data_dir: Path
) -> None:
    app = console_app(console.system, dev_data_dir, session_max_age_seconds=60)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        page = await web.get("/signin")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        # A subject the gateway refuses the token of: signed by another key.
        app.state.settings.data_dir = dev_data_dir / "elsewhere"
        await web.post(
            "/signin",
            data={"role": "applicant", "subject": "alice", "csrf_token": token.group(1)},
        )
        gone = await web.get("/me")
        assert (gone.status_code, gone.headers["location"]) == (303, "/signin?expired=true")
        again = await web.get("/signin?expired=true")
        assert "Your session has ended. Please sign in again." in text_of(again.text)
        assert (await web.get("/me")).headers["location"] == "/signin"


async def test_a_bad_subject_is_refused_with_the_field_and_kept(console: Console) -> None:
    token = await console.csrf("/signin")
    page = await console.client.post(
        "/signin", data={"role": "applicant", "subject": "a b", "csrf_token": token}
    )
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.text
    assert 'value="a b"' in page.text
    assert "Enter a subject of 1 to 64 letters" in text_of(page.text)


async def test_the_token_reaches_neither_a_log_line_nor_a_url(
    console: Console, mint: Minter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await certified(console.system, mint)
    signed = await console.sign_in("applicant", "alice")
    page = await console.client.get("/me", headers={"X-Request-ID": "web-test-7"})
    assert page.status_code == 200
    session = console.client.cookies["certboard_session"]
    token = json.loads(base64.b64decode(session.split(".")[0]))["token"]
    assert token.count(".") == 2
    assert token not in caplog.text
    assert token not in signed.headers.get("location", "")
    assert token not in page.text
    # The caller's request id is kept (and sent on to the gateway with each operation).
    assert page.headers["x-request-id"] == "web-test-7"


async def test_a_value_no_form_sends_gets_a_page_in_words(console: Console) -> None:
    page = await console.client.get("/verify", params={"number": "x" * 101})
    assert page.status_code == 422
    assert "This request is not one the site's forms send" in text_of(page.text)
    assert page.headers["content-security-policy"] == STRICT


async def test_ready_once_the_gateway_is_and_says_so_when_it_is_not(
    console: Console, tmp_path: Path
) -> None:
    assert (await console.client.get("/readyz")).json() == {"status": "ok"}

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    app = create_app(
        Settings(environment="test", data_dir=tmp_path, log_json=False),
        gateway_transport=httpx.MockTransport(refuse),
    )
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        down = await web.get("/readyz")
        assert (down.status_code, down.json()) == (503, {"status": "gateway unavailable"})
        page = await web.get("/verify", params={"number": "AAAA-AAAA-AAAB"})
        assert page.status_code == 503
        assert "The board's system cannot be reached just now." in text_of(page.text)


async def test_production_has_no_development_sign_in(tmp_path: Path) -> None:
    settings = Settings(
        environment="production",
        data_dir=tmp_path,
        jwt_issuer="https://id.board.example",
        jwt_jwks_url="https://id.board.example/jwks",
        session_secret="0123456789abcdefghijklmnopqrstuvwxyz",
        oidc_issuer="https://id.board.example",
        oidc_client_id="certboard-web",
        oidc_client_secret="abcdefghijklmnopqrstuvwxyz0123456789",
        log_json=False,
    )
    app = create_app(settings, gateway_transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://web") as web,
    ):
        home = await web.get("/")
        # Sign-in is the provider's (tests/web/test_oidc_flow.py); the development form is gone.
        assert 'href="/signin"' in home.text
        assert "secure" in home.headers["set-cookie"].lower()
        token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
        assert token
        posted = await web.post(
            "/signin", data={"role": "staff", "subject": "sam", "csrf_token": token.group(1)}
        )
        assert posted.status_code == 405
        me = await web.get("/me")
        assert (me.status_code, me.headers["location"]) == (303, "/signin")
    assert not (tmp_path / "web").exists()
