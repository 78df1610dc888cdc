"""What a request sees while the sweep runs: status reads from another thread.

The probe has its own thread, event loop and engine (as another request handler or another
process would), reads one application's status view as staff every ``interval`` seconds,
and records how long each read took and which failed.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from dataclasses import dataclass, field

from applications.application.service import read_application
from applications.context import ActionContext
from applications.policy import ApplicationPolicy
from bench.common import NOW, deployment_outbox
from bench.timing import median
from certboard_core.auth import Principal, Role
from certboard_core.clock import TestClock
from certboard_core.db import create_engine, session_factory


@dataclass
class ProbeResult:
    seconds: list[float] = field(default_factory=list)
    failures: list[tuple[float, str]] = field(default_factory=list)

    def summary(self) -> str:
        done = len(self.seconds) + len(self.failures)
        if not done:
            return "no read finished"
        ok = (
            f"{len(self.seconds)} succeeded (median {median(self.seconds) * 1000:.0f} ms, "
            f"slowest {max(self.seconds):.2f} s)"
            if self.seconds
            else "none succeeded"
        )
        failed = ""
        if self.failures:
            after, error = self.failures[0]
            failed = f"; {len(self.failures)} failed, the first after {after:.1f} s: {error}"
        return f"{done} status reads during the sweep: {ok}{failed}"


class ReadProbe:
    def __init__(
        self, url: str, application_id: uuid.UUID, policy: ApplicationPolicy, interval: float
    ) -> None:
        self.url, self.application_id, self.policy = url, application_id, policy
        self.interval = interval
        self.result = ProbeResult()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> ReadProbe:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    async def _run(self) -> None:
        engine = create_engine(self.url)
        sessions = session_factory(engine)
        staff = Principal(subject="probe", roles=frozenset({Role.STAFF}), claims={}, token="")
        clock = TestClock()
        clock.set(NOW)
        outbox = deployment_outbox()
        try:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    async with sessions() as session:
                        ctx = ActionContext(
                            session=session,
                            principal=staff,
                            clock=clock,
                            policy=self.policy,
                            outbox=outbox,
                        )
                        await read_application(ctx, self.application_id)
                        await session.commit()
                    self.result.seconds.append(time.perf_counter() - started)
                except Exception as exc:
                    message = f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
                    self.result.failures.append((time.perf_counter() - started, message))
                await asyncio.sleep(self.interval)
        finally:
            await engine.dispose()
