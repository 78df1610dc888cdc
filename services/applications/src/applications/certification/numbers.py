"""Certificate numbers: random, read out loud without confusion, and self-checking.

A number is 11 random symbols of Crockford's base 32 (no I, L, O or U, so nothing reads as
another) and a check symbol, in three groups of four: ``7KQ3-M9XD-2HTB``. Random, not
sequential, so one holder's number says nothing about another's (55 bits: guessing a valid
one is hopeless, and verification is rate limited besides). The check symbol (Luhn mod 32)
catches any single mistyped symbol and most swapped neighbours before a lookup is made.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 11
GROUP = 4
LENGTH = RANDOM_SYMBOLS + 1
# How people mistype Crockford symbols: read as the digit they resemble.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}


def check_symbol(symbols: str) -> str:
    """The Luhn mod 32 check symbol of ``symbols`` (all in ``ALPHABET``)."""
    base = len(ALPHABET)
    total = 0
    # From the right, every second value doubled, its base-32 digits summed.
    for position, symbol in enumerate(reversed(symbols)):
        value = _VALUE[symbol] * (2 if position % 2 == 0 else 1)
        total += value // base + value % base
    return ALPHABET[(base - total % base) % base]


def is_valid(compact: str) -> bool:
    """Whether ``compact`` (normalised, no hyphens) is a well-formed number with a right check."""
    if len(compact) != LENGTH or any(c not in _VALUE for c in compact):
        return False
    return check_symbol(compact[:-1]) == compact[-1]


def formatted(compact: str) -> str:
    """``compact`` in groups of four, the way a number is printed and stored."""
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def normalise(typed: str) -> str | None:
    """The stored form of a number as someone typed it (any case, spaces, hyphens, O for 0,
    I or L for 1), or None if it cannot be a number at all."""
    compact = "".join(typed.split()).replace("-", "").upper().translate(_LOOKALIKES)
    return formatted(compact) if is_valid(compact) else None


def new_number() -> str:
    """A fresh random number, formatted; the table's unique constraint settles collisions."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return formatted(body + check_symbol(body))
