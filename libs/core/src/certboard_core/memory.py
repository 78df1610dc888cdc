"""Giving freed memory back to the operating system after bulk work.

glibc keeps what a process frees for its next allocations; after a sweep has read a large
table through a widened SQLite page cache (``sqlite.bulk_cache``), that is tens of MiB the
process holds while serving small requests. ``malloc_trim`` hands the free part back. On a C
library without it (musl, macOS) nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: ctypes._NamedFuncPointer = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_freed_memory() -> bool:
    """Return the heap's free memory to the operating system; whether the C library could."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
