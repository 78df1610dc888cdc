"""Certification through the gateway: a pass from exams' outbox certifies once, the holder and
staff see it on the application, and anyone verifies a number without a token."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import graphql
from sqlmodel import select

from applications.certification.models import Certification
from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import approved_application, data_of, error_of, set_clock

READ = """
query R($id: ID!) {
  application(id: $id) {
    status
    certification { id number holderName status issuedOn validThrough issuedAt }
    notifications { reason }
  }
}
"""
VERIFY = """
query V($number: String!) {
  verifyCertification(number: $number) { holderName status issuedOn validThrough }
}
"""


async def pass_from_exams(system: System, application: dict[str, Any], taken_on: str) -> None:
    """Publish ``exam.passed`` through the exams service's own outbox and deliver it."""
    exams = system.services["exams"].state
    async with exams.sessions() as session, session.begin():
        await exams.outbox.publish(
            session,
            type="exam.passed",
            aggregate_type="attempt",
            aggregate_id=str(uuid.uuid4()),
            payload={
                "attempt_id": str(uuid.uuid4()),
                "authorization_id": str(uuid.uuid4()),
                "application_id": application["id"],
                "applicant_id": application["applicant_id"],
                "taken_on": taken_on,
                "correct": 97,
                "total": 120,
            },
            at=exams.clock.now(),
        )
    assert await exams.dispatcher.dispatch_once() == 1


async def test_a_pass_certifies_and_anyone_verifies_it_without_a_token(
    system: System, mint: Minter
) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint)
    await pass_from_exams(system, application, "2026-05-04")

    own = (await data_of(system, READ, {"id": application["id"]}, token=alice))["application"]
    assert own["status"] == "CERTIFIED"
    certification = own["certification"]
    assert certification == {
        "id": certification["id"],
        "number": certification["number"],
        "holderName": "Maria Lopez",
        "status": "ACTIVE",
        "issuedOn": "2026-05-04",
        "validThrough": "2028-05-03",
        "issuedAt": "2026-03-10T17:00:00+00:00",
    }
    assert "CERTIFIED" in [n["reason"] for n in own["notifications"]]
    by_staff = await data_of(system, READ, {"id": application["id"]}, token=staff)
    assert by_staff["application"]["certification"] == certification

    number = certification["number"]
    # No token at all: the answer is the four public facts, and nothing else.
    response = await system.gql(VERIFY, {"number": number.lower().replace("-", " ")})
    assert response.json() == {
        "data": {
            "verifyCertification": {
                "holderName": "Maria Lopez",
                "status": "ACTIVE",
                "issuedOn": "2026-05-04",
                "validThrough": "2028-05-03",
            }
        }
    }
    await set_clock(system, staff, "2028-05-04T20:00:00+00:00")
    expired = await system.gql(VERIFY, {"number": number})
    assert expired.json()["data"]["verifyCertification"] == {
        "holderName": "Maria Lopez",
        "status": "EXPIRED",
        "issuedOn": "2026-05-04",
        "validThrough": "2028-05-03",
    }
    for private in ("1990-05-17", "maria.lopez@example.org", "alice", "97", "120"):
        assert private not in response.text + expired.text


async def test_verification_of_an_unknown_number(system: System) -> None:
    for typed in ("AAAA-AAAA-AAAB", "not/a/number", "x" * 41):
        error = await error_of(system, VERIFY, {"number": typed})
        assert (error["code"], error["field"]) == ("CERTIFICATE_NOT_FOUND", "number")
        assert error["message"] == "no certificate has this number"


async def test_a_pass_delivered_twice_certifies_once(system: System, mint: Minter) -> None:
    staff = mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint)
    await pass_from_exams(system, application, "2026-05-04")
    first = (await data_of(system, READ, {"id": application["id"]}, token=staff))["application"]
    await pass_from_exams(system, application, "2026-06-01")
    again = (await data_of(system, READ, {"id": application["id"]}, token=staff))["application"]
    assert again["certification"] == first["certification"]
    async with system.services["applications"].state.sessions() as session:
        stored = (await session.exec(select(Certification))).all()
    assert [c.number for c in stored] == [first["certification"]["number"]]


# Every field the public can reach from the two public lookups, by type; the test below fails
# on a field the schema adds to them without being listed here.
PUBLIC_TYPES = {
    "CertificateVerificationPage": {"items", "nextCursor"},
    "CertificateVerification": {
        "holderName",
        "number",
        "status",
        "issuedOn",
        "validThrough",
        "discipline",
        "credentialUrl",
    },
    "PublicDiscipline": {"outcome", "decidedOn", "endsOn", "inForce"},
}
FIND = """
query F($last: String!, $first: String!, $after: String) {
  findCertifications(lastName: $last, firstName: $first, first: 1, after: $after) {
    items {
      holderName number status issuedOn validThrough credentialUrl
      discipline { outcome decidedOn endsOn inForce }
    }
    nextCursor
  }
}
"""


def reachable(schema: graphql.GraphQLSchema, name: str) -> dict[str, set[str]]:
    """The object types reachable from ``name``'s fields, with their fields."""
    found: dict[str, set[str]] = {}
    pending = [name]
    while pending:
        current = schema.get_type(pending.pop())
        assert isinstance(current, graphql.GraphQLObjectType)
        if current.name in found:
            continue
        found[current.name] = set(current.fields)
        for field in current.fields.values():
            inner = graphql.get_named_type(field.type)
            if isinstance(inner, graphql.GraphQLObjectType):
                pending.append(inner.name)
    return found


def test_the_public_lookups_reach_only_public_fields() -> None:
    schema = graphql.build_schema((Path(__file__).parents[2] / "schema.graphql").read_text())
    query = schema.query_type
    assert query is not None
    found: dict[str, set[str]] = {}
    for field in ("verifyCertification", "findCertifications"):
        found |= reachable(schema, graphql.get_named_type(query.fields[field].type).name)
    assert found == PUBLIC_TYPES


async def test_anyone_finds_a_holder_by_name_a_page_at_a_time(system: System, mint: Minter) -> None:
    staff = mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    numbers = []
    for who in ("alice", "ana"):
        application = await approved_application(system, mint, who=who)
        await pass_from_exams(system, application, "2026-05-04")
        view = await data_of(system, READ, {"id": application["id"]}, token=staff)
        numbers.append(view["application"]["certification"]["number"])
    seen, after = [], None
    for _ in range(3):
        answer = await system.gql(FIND, {"last": "LÓPEZ", "first": "m", "after": after})
        page = answer.json()["data"]["findCertifications"]
        seen += page["items"]
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(item["number"] for item in seen) == sorted(numbers)
    assert seen[0] == {
        "holderName": "Maria Lopez",
        "number": min(numbers),
        "status": "ACTIVE",
        "issuedOn": "2026-05-04",
        "validThrough": "2028-05-03",
        "credentialUrl": f"http://127.0.0.1:8001/v1/verification/{min(numbers)}/credential",
        "discipline": [],
    }
    for private in ("1990-05-17", "maria.lopez@example.org", "alice", "97", "120"):
        assert private not in str(seen)
    error = await error_of(system, FIND, {"last": "Lopez", "first": "-"})
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "firstName")
