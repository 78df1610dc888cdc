"""``certboard run`` started as its user would, awaited, and stopped with Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def clean_environment() -> dict[str, str]:
    """This process's environment without any ``CERTBOARD_*`` setting of its own."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CERTBOARD_")}


@contextlib.contextmanager
def launched(
    arguments: list[str], env: dict[str, str], log: Path, seconds: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """``certboard run <arguments>`` until it says it is running; stopped on exit."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "certboard_core.cli", "run", *arguments],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            # Its own process group, so a test that fails can still stop every child.
            start_new_session=True,
        )
    deadline = time.monotonic() + seconds
    while b"certboard is running" not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"certboard run did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C the launcher (it stops its children); if it hangs, end the whole group."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
