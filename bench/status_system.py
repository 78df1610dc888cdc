"""The system the HTTP status benchmark loads: ``certboard run`` on SQLite, and the floor app.

Both are started here, in a temporary folder removed afterwards: ``certboard run`` exactly as
``make run`` starts it (every service and the gateway, one uvicorn process each) on a free
block of ports, its data filled beforehand; the floor app on a port of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.floor_app import DB_ENV
from bench.load import children_of, cpu_seconds

# The uvicorn factory each measured process runs (``certboard_core.cli.PROCESSES``).
FACTORIES = {
    "gateway": "gateway.main:create_app",
    "applications": "applications.main:create_app",
    "exams": "exams.main:create_app",
    "supervision": "supervision.main:create_app",
    "web": "web.main:create_app",
}
CLI = (sys.executable, "-m", "certboard_core.cli")
FLOOR = (sys.executable, "-m", "uvicorn", "--factory", "bench.floor_app:create_app")


@dataclass(frozen=True)
class Running:
    """Where each process listens and its pid."""

    gateway: str
    applications: str
    floor: str
    pids: dict[str, int]
    web: str = ""


def free_ports(count: int) -> int:
    """The first of ``count`` free ports in a row."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + count > 65000:
            continue
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {count} free ports in a row")


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=2).is_success:
                return
        time.sleep(0.3)
    raise SystemExit(f"{url} did not start:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C (the launcher stops its children); if it hangs, end its whole group."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def settle(pids: dict[str, int], *, quiet: float = 0.05, longest: float = 180) -> None:
    """Wait until every process is idle (under ``quiet`` of a core for two seconds): the
    start-up sweep and the outbox deliveries it caused are done before anything is timed."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        time.sleep(2)
        used = max(cpu_seconds(pid) - before[name] for name, pid in pids.items())
        if used < 2 * quiet:
            return
    print("warning: the system did not settle; figures will include its own work", flush=True)


@contextlib.contextmanager
def running(data_dir: Path) -> Iterator[Running]:
    """``certboard run`` over ``data_dir`` (migrated and filled already) and the floor app
    over ``data_dir``/floor.db; stopped on the way out."""
    # The system's five processes (the web console is base + 4), then the floor.
    base = free_ports(6)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTBOARD_")}
    # One client sends every request: public verification's per-client limit would measure
    # only the limiter's 429s.
    env["CERTBOARD_RATE_LIMIT_PUBLIC"] = "100000000/minute"
    # Beside the data folder, so whoever removes that removes the logs too.
    logs = data_dir.parent / "logs"
    logs.mkdir(exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []
    try:
        with open(logs / "run.log", "wb") as out:
            launcher = subprocess.Popen(  # noqa: S603
                [*CLI, "run", "--port", str(base), "--data-dir", str(data_dir)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        started.append(launcher)
        floor_url = f"http://127.0.0.1:{base + 5}"
        with open(logs / "floor.log", "wb") as out:
            floor = subprocess.Popen(  # noqa: S603
                [*FLOOR, "--port", str(base + 5), "--no-access-log", "--log-level", "warning"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**env, DB_ENV: str(data_dir / "floor.db")},
                start_new_session=True,
            )
        started.append(floor)
        gateway = f"http://127.0.0.1:{base}"
        _wait_for(gateway, launcher, logs / "run.log")
        _wait_for(floor_url, floor, logs / "floor.log")
        children = children_of(launcher.pid)
        pids = {
            name: next(pid for pid, command in children.items() if factory in command)
            for name, factory in FACTORIES.items()
        }
        pids["floor"] = floor.pid
        yield Running(
            gateway,
            f"http://127.0.0.1:{base + 1}",
            floor_url,
            pids,
            web=f"http://127.0.0.1:{base + 4}",
        )
    finally:
        for process in started:
            _stop(process)
