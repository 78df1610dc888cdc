"""Bitstring Status List v1.0 (W3C Recommendation, 2025) encoding, no I/O.

Index 0 is the left-most bit: the most significant bit of the first byte. ``encodedList`` is
the GZIP-compressed bitstring in multibase base64url without padding (the ``u`` prefix).
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

# The Recommendation's minimum: 16 KiB of bits, so that one holder hides among many.
LIST_SIZE = 131_072
MULTIBASE_BASE64URL = "u"


class BadEncodedList(ValueError):
    """Not a multibase base64url GZIP bitstring."""


def bitstring(size: int, set_indexes: Iterable[int]) -> bytes:
    """``size`` bits (a multiple of 8), those at ``set_indexes`` on."""
    if size <= 0 or size % 8:
        raise ValueError("a bitstring is a positive whole number of bytes")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a list of {size}")
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(bits: bytes) -> str:
    """The ``encodedList`` of ``bits``."""
    # mtime=0: the same bits encode the same, whenever (caches and tests see no churn).
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    """The bits of an ``encodedList``."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise BadEncodedList("the list is not multibase base64url ('u')")
    body = encoded[1:]
    try:
        # validate: a character outside base64url is an error, not silently dropped.
        padded = body + "=" * (-len(body) % 4)
        bits = gzip.decompress(base64.b64decode(padded, altchars=b"-_", validate=True))
    except (ValueError, OSError, EOFError) as exc:
        raise BadEncodedList(f"the list does not decode: {exc}") from exc
    if not bits:
        raise BadEncodedList("the list is empty")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    """Whether the bit at ``index`` is on."""
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"index {index} is outside a list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_indexes(bits: bytes) -> list[int]:
    """Every index whose bit is on, in order."""
    return [
        byte_index * 8 + offset
        for byte_index, byte in enumerate(bits)
        if byte
        for offset in range(8)
        if byte & (0x80 >> offset)
    ]
