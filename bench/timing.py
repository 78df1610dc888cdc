"""Where time goes: per statement shape (in the driver) and per step of a service call.

Each wrapped coroutine function becomes a phase; time inside it is split into what the
driver took (statements) and what Python took, excluding nested phases. Wrapping costs
microseconds per call, and the sweep makes a few dozen such calls.
"""

from __future__ import annotations

import functools
import inspect
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, ExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class StatementStats:
    calls: int = 0
    seconds: float = 0.0
    rows: int = 0


PLACEHOLDER = re.compile(
    r"\$\d+(?:::(?:TIMESTAMP WITH(?:OUT)? TIME ZONE|DOUBLE PRECISION|[A-Z]+(?:\(\d+\))?))?"
)


def _shape(statement: str) -> str:
    """A statement's text reduced to its shape: IN lists, VALUES lists and spaces collapsed."""
    shape = PLACEHOLDER.sub("?", re.sub(r"\s+", " ", statement).strip())
    shape = re.sub(r"\(\?(?:, \?)*\)", "(…)", shape)
    shape = re.sub(r"\(…\)(?:, \(…\))+", "(…), …", shape)
    return shape if len(shape) <= 110 else shape[:107] + "..."


@dataclass
class StatementTimer:
    """Wall time spent in the driver per statement shape (what the database costs)."""

    engine: AsyncEngine
    stats: dict[str, StatementStats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(self.engine.sync_engine, "after_cursor_execute", self._after)
        event.listen(self.engine.sync_engine, "commit", self._commit)
        self._commit_started: float | None = None

    def _commit(self, _conn: Connection) -> None:
        self._commit_started = time.perf_counter()

    def committed(self, finished: float) -> None:
        """Count the last COMMIT, which ran from its start until ``finished`` (no event marks
        its end, and the timed call returns right after it)."""
        if self._commit_started is not None:
            entry = self.stats.setdefault("COMMIT", StatementStats())
            entry.calls += 1
            entry.seconds += finished - self._commit_started
            self._commit_started = None

    def _before(self, _conn: Connection, _cursor: Any, *_args: Any, **_kw: Any) -> None:
        self._started = time.perf_counter()

    def _after(
        self,
        _conn: Connection,
        cursor: Any,
        statement: str,
        _parameters: Any,
        _context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        elapsed = time.perf_counter() - self._started
        entry = self.stats.setdefault(_shape(statement), StatementStats())
        entry.calls += 1
        entry.seconds += elapsed
        entry.rows += max(getattr(cursor, "rowcount", 0) or 0, 0)

    def take(self) -> dict[str, StatementStats]:
        """The statistics so far, and start afresh."""
        taken, self.stats = self.stats, {}
        return taken

    def close(self) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", self._before)
        event.remove(self.engine.sync_engine, "after_cursor_execute", self._after)
        event.remove(self.engine.sync_engine, "commit", self._commit)


def statement_table(stats: dict[str, StatementStats], total: float, top: int = 12) -> list[str]:
    """Markdown rows: the statements that took longest, and what was left for Python."""
    in_db = sum(s.seconds for s in stats.values())
    lines = [
        "| statement | calls | rowcount | s | share |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for shape, s in sorted(stats.items(), key=lambda kv: -kv[1].seconds)[:top]:
        shown = shape.replace("|", "\\|")
        lines.append(
            f"| `{shown}` | {s.calls} | {s.rows} | {s.seconds:.3f} | {s.seconds / total:.0%} |"
        )
    lines.append(
        f"| (all statements and the commit, in the driver) "
        f"| {sum(s.calls for s in stats.values())} | "
        f"| {in_db:.3f} | {in_db / total:.0%} |"
    )
    lines.append(
        f"| (Python outside the driver) | | | {total - in_db:.3f} | {(total - in_db) / total:.0%} |"
    )
    return lines


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Phase:
    calls: int = 0
    wall: float = 0.0  # exclusive of nested phases
    driver: float = 0.0  # exclusive of nested phases


class Phases:
    """Phase timings of the wrapped functions; ``(all else)`` is time in none of them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.phases: dict[str, Phase] = {}
        self._stack: list[str] = ["(all else)"]
        self._started: list[float] = []
        self._cursor_started = 0.0

    def _enter(self, name: str) -> None:
        now = time.perf_counter()
        self._charge(now)
        path = f"{self._stack[-1]} > {name}" if len(self._stack) > 1 else name
        self._stack.append(path)
        self.phases.setdefault(path, Phase()).calls += 1

    def _exit(self) -> None:
        self._charge(time.perf_counter())
        self._stack.pop()

    def _charge(self, now: float) -> None:
        """Give the time since the last change of phase to the phase on top."""
        if self._started:
            self.phases.setdefault(self._stack[-1], Phase()).wall += now - self._started[-1]
            self._started[-1] = now
        else:
            self._started.append(now)

    def _before(self, *_args: Any, **_kw: Any) -> None:
        self._cursor_started = time.perf_counter()

    def _after(self, *_args: Any, **_kw: Any) -> None:
        elapsed = time.perf_counter() - self._cursor_started
        self.phases.setdefault(self._stack[-1], Phase()).driver += elapsed

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` timed as the phase ``name``: a coroutine function or a plain one (a step
        that only builds rows in Python)."""
        if not inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            def timed(*args: Any, **kwargs: Any) -> Any:
                self._enter(name)
                try:
                    return fn(*args, **kwargs)
                finally:
                    self._exit()

            return timed

        @functools.wraps(fn)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            self._enter(name)
            try:
                return await fn(*args, **kwargs)
            finally:
                self._exit()

        return timed_async

    @contextmanager
    def watching(self, targets: list[tuple[object, str]]) -> Iterator[list[str]]:
        """Wrap each ``getattr(owner, name)`` while the block runs; yields names not found."""
        missing = [f"{getattr(o, '__name__', o)}.{n}" for o, n in targets if not hasattr(o, n)]
        found = [(o, n, getattr(o, n)) for o, n in targets if hasattr(o, n)]
        for owner, name, original in found:
            setattr(owner, name, self.wrap(name, original))
        sync = self.engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._before)
        event.listen(sync, "after_cursor_execute", self._after)
        self._started = [time.perf_counter()]
        try:
            yield missing
        finally:
            self._charge(time.perf_counter())
            event.remove(sync, "before_cursor_execute", self._before)
            event.remove(sync, "after_cursor_execute", self._after)
            for owner, name, original in found:
                setattr(owner, name, original)

    def table(self, total: float) -> list[str]:
        """Markdown rows, in the order the phases were first entered."""
        lines = [
            "| phase (nested: a > b) | calls | s | in the driver s | Python s | share |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, p in self.phases.items():
            lines.append(
                f"| {name} | {p.calls} | {p.wall:.3f} | {p.driver:.3f} | "
                f"{p.wall - p.driver:.3f} | {p.wall / total:.0%} |"
            )
        return lines


class GcTimer:
    """Time the interpreter spends in garbage collection (it grows with what the heap holds)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def take(self) -> float:
        taken, self.seconds = self.seconds, 0.0
        return taken
