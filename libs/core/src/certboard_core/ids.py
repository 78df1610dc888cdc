"""Record ids that sort by creation time (the UUIDv7 layout), so bulk inserts append to
primary-key indexes instead of scattering over their pages."""

from __future__ import annotations

import secrets
import time
import uuid

_MS_BITS = 48
# The nibble after the first 12 random bits holds the RFC 4122 variant (10xx) and 2 more.
_VARIANT = {f"{n:x}": f"{0b1000 | n & 0b11:x}" for n in range(16)}


def new_ids(count: int) -> list[str]:
    """``count`` ids as 32 hex digits (RFC 9562, version 7): the Unix time in milliseconds,
    then 74 random bits. Text, because set-wise writes hand ids to the database as text;
    made in one pass, because a sweep needs hundreds of thousands of them."""
    ms = time.time_ns() // 1_000_000 & ((1 << _MS_BITS) - 1)
    head = f"{ms:012x}7"
    noise = secrets.token_hex(10 * count)
    return [
        f"{head}{noise[k : k + 3]}{_VARIANT[noise[k + 3]]}{noise[k + 4 : k + 19]}"
        for k in range(0, 20 * count, 20)
    ]


def new_id() -> uuid.UUID:
    """One id, as a UUID."""
    return uuid.UUID(hex=new_ids(1)[0])
