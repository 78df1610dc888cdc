"""Exam forms over HTTP: create, import, list, read, the key read, edit, publish, retire."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from certboard_core.testing.plugin import bearer
from exams.form.models import FormStatus, Language
from exams.form.repository import live_form_for, load_key
from exams.main import create_app

from .conftest import SECRET_KEY, create, csv_file, items, move


async def test_a_form_is_created_as_a_draft_and_read_without_keys(client, staff) -> None:
    form = await create(client, staff)
    assert form["language"] == "en"
    assert form["edition"] == "2026-A"
    assert form["status"] == "draft"
    assert form["item_count"] == 120
    assert form["created_by"] == "staff:sam"
    assert form["published_at"] is None
    assert form["version"] == 1
    assert "items" not in form

    read = await client.get(f"/v1/exam-forms/{form['id']}", headers=staff)
    assert read.status_code == 200
    body = read.json()
    assert body["items"][:2] == [
        {"number": 1, "domain": "Ethics"},
        {"number": 2, "domain": "Recovery"},
    ]
    assert len(body["items"]) == 120
    assert body["domains"] == [
        {"domain": "Advocacy", "items": 30},
        {"domain": "Communication", "items": 30},
        {"domain": "Ethics", "items": 30},
        {"domain": "Recovery", "items": 30},
    ]
    assert '"key"' not in read.text


async def test_the_admin_read_answers_the_key_and_is_audited(client, staff, app) -> None:
    form = await create(client, staff)
    answer = await client.get(f"/v1/exam-forms/{form['id']}/key", headers=staff)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["form_id"] == form["id"]
    assert body["version"] == 1
    assert "".join(item["key"] for item in body["items"]) == SECRET_KEY
    assert body["items"][0] == {"number": 1, "domain": "Ethics", "key": SECRET_KEY[0]}
    async with app.state.engine.connect() as connection:
        rows = (
            await connection.execute(
                text("SELECT action, actor FROM audit_record ORDER BY id"),
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("exam_form.created", "staff:sam"),
        ("exam_form.key_read", "staff:sam"),
    ]


async def test_only_staff_reach_forms(client, staff, mint) -> None:
    form = await create(client, staff)
    for role in ("applicant", "provider", "supervisor", "service"):
        headers = bearer(mint(role, f"{role}-1"))
        for method, path in (
            ("GET", "/v1/exam-forms"),
            ("GET", f"/v1/exam-forms/{form['id']}"),
            ("GET", f"/v1/exam-forms/{form['id']}/key"),
        ):
            refused = await client.request(method, path, headers=headers)
            assert refused.status_code == 403, (role, path)
            assert refused.json()["error"]["code"] == "FORBIDDEN"
            assert SECRET_KEY[:8] not in refused.text
    anonymous = await client.get(f"/v1/exam-forms/{form['id']}/key")
    assert anonymous.status_code == 401


async def test_an_unknown_form_is_not_found(client, staff) -> None:
    for path in ("", "/key"):
        missing = await client.get(f"/v1/exam-forms/{uuid.uuid4()}{path}", headers=staff)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_a_language_has_each_edition_once(client, staff) -> None:
    await create(client, staff)
    again = await client.post(
        "/v1/exam-forms",
        json={"language": "en", "edition": "2026-A", "items": items()},
        headers=staff,
    )
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "FORM_EDITION_EXISTS",
        "message": "the en form '2026-A' exists already",
        "field": "edition",
        "request_id": again.headers["x-request-id"],
    }
    spanish = await create(client, staff, language="es")
    assert spanish["edition"] == "2026-A"


async def test_bad_items_are_all_named_and_nothing_is_stored(client, staff) -> None:
    rows = items()
    rows[3]["key"] = "QXZZY"
    rows[7]["domain"] = "  "
    rows[9]["number"] = 9
    refused = await client.post(
        "/v1/exam-forms",
        json={"language": "en", "edition": "bad", "items": rows},
        headers=staff,
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "FORM_ITEMS_INVALID"
    assert error["field"] == "items[3].key"
    assert error["message"] == (
        "4 problem(s) with the items: items[3], key: must be one letter, A to D; "
        "items[7], domain: must not be blank; items[9], number: 9 repeats items[8]; "
        "file, number: no item numbered 10"
    )
    assert "QXZZY" not in refused.text
    listed = await client.get("/v1/exam-forms", headers=staff)
    assert listed.json() == {"items": [], "next_cursor": None}


async def test_a_csv_file_is_imported(client, staff) -> None:
    imported = await client.post(
        "/v1/exam-forms/import",
        data={"language": "es", "edition": "2026-ES"},
        files={"file": ("forma.csv", csv_file(items()), "text/csv")},
        headers=staff,
    )
    assert imported.status_code == 201, imported.text
    form = imported.json()
    assert (form["language"], form["status"], form["item_count"]) == ("es", "draft", 120)
    key = (await client.get(f"/v1/exam-forms/{form['id']}/key", headers=staff)).json()
    assert "".join(i["key"] for i in key["items"]) == SECRET_KEY


async def test_a_json_file_is_imported(client, staff) -> None:
    for edition, document in (("list", items()), ("object", {"items": items()})):
        imported = await client.post(
            "/v1/exam-forms/import",
            data={"language": "en", "edition": edition},
            files={"file": ("form.json", json.dumps(document).encode(), "application/json")},
            headers=staff,
        )
        assert imported.status_code == 201, imported.text


async def test_every_bad_line_of_a_file_is_named_with_its_field(client, staff) -> None:
    lines = csv_file(items()).decode().splitlines()
    lines[3] = "3,Advocacy,SECRETKEYZ"  # line 4 of the file
    lines[6] = "x,,B"  # line 7
    lines[11] = "11,Advocacy"  # line 12
    refused = await client.post(
        "/v1/exam-forms/import",
        data={"language": "en", "edition": "2026-B"},
        files={"file": ("form.csv", "\n".join(lines).encode(), "text/csv")},
        headers=staff,
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "FORM_ITEMS_INVALID"
    assert error["field"] == "line 4.key"
    assert error["message"] == (
        "5 problem(s) with the items: line 4, key: must be one letter, A to D; "
        "line 7, number: must be a whole number 1 to 120; line 7, domain: must not be blank; "
        "line 12, row: must have 3 cells: number,domain,key; file, number: no item numbered 6, 11"
    )
    assert "SECRETKEYZ" not in refused.text
    listed = await client.get("/v1/exam-forms", headers=staff)
    assert listed.json()["items"] == []


async def test_a_file_neither_json_nor_csv_is_refused(client, staff) -> None:
    refused = await client.post(
        "/v1/exam-forms/import",
        data={"language": "en", "edition": "x"},
        files={"file": ("form.xlsx", b"PK\x03\x04", "application/vnd.ms-excel")},
        headers=staff,
    )
    assert refused.status_code == 415
    assert refused.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_the_list_filters_and_pages_without_keys(client, staff, clock) -> None:
    made = []
    for n, language in enumerate(("en", "es", "en")):
        made.append(await create(client, staff, edition=f"E{n}", language=language))
        clock.advance(timedelta(minutes=1))
    live = await move(client, staff, made[2], "publish")
    assert live.status_code == 200

    first = await client.get("/v1/exam-forms", params={"limit": 2}, headers=staff)
    page = first.json()
    assert [f["edition"] for f in page["items"]] == ["E0", "E1"]
    second = await client.get(
        "/v1/exam-forms", params={"limit": 2, "after": page["next_cursor"]}, headers=staff
    )
    assert [f["edition"] for f in second.json()["items"]] == ["E2"]
    assert second.json()["next_cursor"] is None

    english = await client.get("/v1/exam-forms", params={"language": "en"}, headers=staff)
    assert [f["edition"] for f in english.json()["items"]] == ["E0", "E2"]
    live_only = await client.get(
        "/v1/exam-forms", params={"status": "live", "language": "en"}, headers=staff
    )
    assert [f["edition"] for f in live_only.json()["items"]] == ["E2"]
    for answer in (first, second, english, live_only):
        assert '"key"' not in answer.text
        assert '"items": [{"number"' not in answer.text
    bad_cursor = await client.get("/v1/exam-forms", params={"after": "zz"}, headers=staff)
    assert bad_cursor.status_code == 422


async def test_a_draft_is_edited_published_then_retired(client, staff, clock) -> None:
    form = await create(client, staff)
    new_keys = "A" * 120
    edited = await client.put(
        f"/v1/exam-forms/{form['id']}/items",
        json={"expected_version": 1, "items": items(keys=new_keys)},
        headers=staff,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    assert '"key"' not in edited.text
    key = (await client.get(f"/v1/exam-forms/{form['id']}/key", headers=staff)).json()
    assert {i["key"] for i in key["items"]} == {"A"}

    stale = await move(client, staff, form, "publish")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"

    published = await move(client, staff, edited.json(), "publish")
    assert published.status_code == 200
    assert published.json()["status"] == "live"
    assert published.json()["published_at"] is not None

    refused = await client.put(
        f"/v1/exam-forms/{form['id']}/items",
        json={"expected_version": 3, "items": items()},
        headers=staff,
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert refused.json()["error"]["message"] == "cannot edit a live form"

    retired = await move(client, staff, published.json(), "retire")
    assert retired.json()["status"] == "retired"
    assert retired.json()["retired_at"] is not None
    again = await move(client, staff, retired.json(), "publish")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "cannot publish a retired form"


async def test_the_audit_trail_counts_items_and_never_holds_a_key(client, staff, app) -> None:
    form = await create(client, staff)
    await client.put(
        f"/v1/exam-forms/{form['id']}/items",
        json={"expected_version": 1, "items": items(keys="A" * 120)},
        headers=staff,
    )
    async with app.state.engine.connect() as connection:
        rows = (
            await connection.execute(
                text("SELECT action, before, after FROM audit_record ORDER BY id")
            )
        ).all()
    assert [r[0] for r in rows] == ["exam_form.created", "exam_form.items_replaced"]
    replaced = json.loads(rows[1][2]) if isinstance(rows[1][2], str) else rows[1][2]
    domains = {"Advocacy": 30, "Communication": 30, "Ethics": 30, "Recovery": 30}
    assert replaced["items"] == {
        "count": 120,
        "domains": domains,
        "keys_changed": sum(1 for k in SECRET_KEY if k != "A"),
    }
    for row in rows:
        dumped = json.dumps([str(row[1]), str(row[2])])
        assert SECRET_KEY not in dumped
        assert "'key'" not in dumped
        assert '"key"' not in dumped


async def test_the_repository_gives_the_key_and_the_live_form(client, staff, app, clock) -> None:
    older = await create(client, staff, edition="old")
    newer = await create(client, staff, edition="new")
    async with app.state.sessions() as session:
        assert await live_form_for(session, Language.ENGLISH) is None
    await move(client, staff, older, "publish")
    clock.advance(timedelta(days=1))
    await move(client, staff, newer, "publish")
    async with app.state.sessions() as session:
        live = await live_form_for(session, Language.ENGLISH)
        assert live is not None
        assert live.edition == "new"
        assert live.status is FormStatus.LIVE
        assert await live_form_for(session, Language.SPANISH) is None
        key = await load_key(session, uuid.UUID(older["id"]))
        assert len(key) == 120
        assert key[1] == ("Ethics", SECRET_KEY[0])
        assert "".join(key[n][1] for n in range(1, 121)) == SECRET_KEY
        assert await load_key(session, uuid.uuid4()) == {}


async def test_a_malformed_id_is_not_found_and_import_is_post_only(client, staff) -> None:
    malformed = await client.get("/v1/exam-forms/not-a-form/key", headers=staff)
    assert malformed.status_code == 404
    assert malformed.json()["error"]["code"] == "NOT_FOUND"
    wrong_method = await client.get("/v1/exam-forms/import", headers=staff)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"


async def test_the_policy_sets_the_item_count_and_the_key_letters(
    settings, clock, staff, client
) -> None:
    older = await create(client, staff, edition="120")
    small = settings.model_copy(
        update={"policy_overrides": {"items_per_exam": 3, "options_per_item": 5}}
    )
    application = create_app(small, clock=clock)
    async with (
        LifespanManager(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://service"
        ) as small_client,
    ):
        made = await create(small_client, staff, rows=items(3, keys="EAB"))
        assert made["item_count"] == 3
        # A draft made under the default policy (120 items) cannot go live under this one.
        stale = await move(small_client, staff, older, "publish")
        refused = await small_client.post(
            "/v1/exam-forms",
            json={"language": "en", "edition": "4", "items": items(4, keys="FABC")},
            headers=staff,
        )
    assert refused.json()["error"]["message"] == (
        "3 problem(s) with the items: items[0], key: must be one letter, A to E; "
        "items[3], number: must be a whole number 1 to 3; "
        "file, items: there must be exactly 3 items, not 4"
    )
    assert stale.status_code == 422
    assert stale.json()["error"]["message"] == (
        "the form has 120 items and the policy asks for 3; replace its items first"
    )
