"""The credentials the board signs, as data: an Open Badges 3.0 credential of a certification
and the Bitstring Status List credentials, both W3C VC Data Model 2.0; no I/O.

Both are secured as VC-JWT per "Securing Verifiable Credentials using JOSE and COSE" (W3C,
2025): the JWT claims set is the credential itself, header ``typ: vc+jwt``, ``cty: vc``. The
registered claims ``iss``, ``jti``, ``nbf``, ``exp`` and ``iat`` repeat the credential's own
fields, so an Open Badges 3.0 verifier of the older VC-JWT profile finds them too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from applications.credential.models import StatusPurpose

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWT_TYP = "vc+jwt"
JWT_CTY = "vc"
ACHIEVEMENT_NAME = "Peer Support Specialist"
STATUS_LIST_TTL_SECONDS = 300
# Credential ids are stable per certification and last day: the same credential fetched twice
# in a period is the same credential, signed again.
_CREDENTIAL_IDS = uuid.UUID("6f1f3a52-5c43-4f0e-9a53-2f7a3c0b9d41")


@dataclass(frozen=True)
class Board:
    """Who issues: the public origin credentials name, the board's name and time zone."""

    base_url: str
    name: str
    zone: ZoneInfo

    @property
    def issuer(self) -> dict[str, Any]:
        return {"id": self.base_url.rstrip("/"), "type": ["Profile"], "name": self.name}

    def credential_url(self, number: str) -> str:
        """Where anyone fetches the signed credential of a certificate number."""
        return f"{self.base_url.rstrip('/')}/v1/verification/{number}/credential"

    def status_list_url(self, purpose: StatusPurpose) -> str:
        """Where the list of ``purpose`` is served (``statusListCredential``)."""
        return f"{self.base_url.rstrip('/')}/v1/status-lists/{purpose.value}"


class Holding(NamedTuple):
    """What a credential says about one certification."""

    certification_id: uuid.UUID
    number: str
    issued_on: date
    last_day: date  # the last day it may be relied on: valid-through, or the lapse's end


def start_of(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of the local ``day``, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def end_of(day: date, zone: ZoneInfo) -> datetime:
    """The last whole second of the local ``day``, in UTC (DST-proof: next midnight - 1 s)."""
    return start_of(day + timedelta(days=1), zone) - timedelta(seconds=1)


def stamp(instant: datetime) -> str:
    """An XML Schema dateTime in UTC, to the second."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential(
    holding: Holding, indexes: Mapping[StatusPurpose, int], board: Board, *, now: datetime
) -> dict[str, Any]:
    """The Open Badges 3.0 credential of a certification, with its two status entries."""
    valid_from, valid_until = (
        start_of(holding.issued_on, board.zone),
        end_of(holding.last_day, board.zone),
    )
    credential_id = uuid.uuid5(_CREDENTIAL_IDS, f"{holding.certification_id}:{holding.last_day}")
    issuer = board.issuer
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{ACHIEVEMENT_NAME} certification",
        "issuer": issuer,
        "validFrom": stamp(valid_from),
        "validUntil": stamp(valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # The certificate number alone: anyone holding it can look up the public record;
            # no date of birth, contact data or anything else personal rides along.
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": False,
                    "identityHash": holding.number,
                }
            ],
            "achievement": {
                "id": f"{issuer['id']}/achievements/peer-support-specialist",
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": ACHIEVEMENT_NAME,
                "description": "Certified by the board as a peer support specialist.",
                "criteria": {
                    "narrative": "Approved application, accepted training, the board's exam "
                    "passed; kept current by renewal with continuing education."
                },
            },
        },
        "credentialStatus": [
            status_entry(purpose, indexes[purpose], board) for purpose in StatusPurpose
        ],
        "iss": issuer["id"],
        "jti": f"urn:uuid:{credential_id}",
        "nbf": int(valid_from.timestamp()),
        "exp": int(valid_until.timestamp()),
        "iat": int(now.timestamp()),
    }


def status_entry(purpose: StatusPurpose, index: int, board: Board) -> dict[str, str]:
    """One ``BitstringStatusListEntry``: which list, which bit."""
    url = board.status_list_url(purpose)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose.value,
        # A string per the Recommendation (an integer as base-10 digits).
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def status_list(
    purpose: StatusPurpose, encoded_list: str, board: Board, *, now: datetime
) -> dict[str, Any]:
    """The ``BitstringStatusListCredential`` of ``purpose`` as of ``now``."""
    url = board.status_list_url(purpose)
    issuer = board.issuer
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": stamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose.value,
            "encodedList": encoded_list,
            "ttl": STATUS_LIST_TTL_SECONDS * 1000,  # milliseconds, per the Recommendation
        },
        "iss": issuer["id"],
        "iat": int(now.timestamp()),
    }
