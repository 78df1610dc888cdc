"""Record ids that sort by creation time (the UUIDv7 layout), so bulk inserts append to
primary-key indexes instead of scattering over their pages."""

from __future__ import annotations

import secrets
import time
import uuid

_MS_BITS = 48
_RANDOM_BITS = 74  # 12 bits before the variant, 62 after it


def new_id() -> uuid.UUID:
    """A UUID whose first 48 bits are the Unix time in milliseconds (RFC 9562, version 7)."""
    ms = time.time_ns() // 1_000_000 & ((1 << _MS_BITS) - 1)
    rand = secrets.randbits(_RANDOM_BITS)
    value = (
        ms << 80
        | 0x7 << 76  # version 7
        | (rand >> 62) << 64
        | 0b10 << 62  # the RFC 4122 variant
        | rand & ((1 << 62) - 1)
    )
    return uuid.UUID(int=value)
