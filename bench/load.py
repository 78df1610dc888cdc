"""HTTP load from ``hey``, and what a process spent doing it, from ``/proc``.

``hey`` (Debian's and Ubuntu's package ``hey``; ``go install github.com/rakyll/hey`` elsewhere)
keeps its connections alive and reports a latency distribution; it is written in Go, so the
load generator costs little of this machine's two cores next to the Python processes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
_PERCENTILE = re.compile(r"^\s*(\d+)% in ([\d.]+) secs")
_STATUS = re.compile(r"^\s*\[(\d+)\]\s+(\d+) responses")
_ERROR = re.compile(r"^\s*\[(\d+)\]\s+(.+)$")
_TOTAL = re.compile(r"^\s*Total:\s+([\d.]+) secs")


def hey_path() -> str:
    """Where ``hey`` is; stops with how to install it if it is not."""
    found = shutil.which("hey")
    if found is None:
        raise SystemExit(
            "this benchmark needs `hey` (an HTTP load generator): `apt-get install hey` on "
            "Debian or Ubuntu, or `go install github.com/rakyll/hey@latest`"
        )
    return found


@dataclass(frozen=True)
class Request:
    """One request, as ``hey`` sends it over and over."""

    method: str
    url: str
    token: str
    body: str | None = None
    # A browser's session cookie instead of a token (the web console's pages).
    cookie: str | None = None

    def arguments(self) -> list[str]:
        args = ["-m", self.method]
        if self.token:
            args += ["-H", f"Authorization: Bearer {self.token}"]
        if self.cookie:
            args += ["-H", f"Cookie: {self.cookie}"]
        if self.body is not None:
            args += ["-T", "application/json", "-d", self.body]
        return [*args, self.url]


@dataclass
class LoadResult:
    """What ``hey`` reports of one run."""

    seconds: float
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    percentiles: dict[int, float] = field(default_factory=dict)

    @property
    def responses(self) -> int:
        return sum(self.statuses.values())

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def failed(self) -> int:
        """Requests without an answer, and answers other than 200."""
        return self.errors + self.responses - self.ok

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def ms(self, percentile: int) -> float:
        return self.percentiles.get(percentile, float("nan")) * 1000


def parse_hey(output: str) -> LoadResult:
    """The figures of ``hey``'s summary (its default output)."""
    result = LoadResult(seconds=0.0)
    section = ""
    for line in output.splitlines():
        if line.rstrip().endswith(":") and not line.startswith(" "):
            section = line.strip()
            continue
        if (total := _TOTAL.match(line)) and not result.seconds:
            result.seconds = float(total.group(1))
        elif section.startswith("Latency distribution") and (p := _PERCENTILE.match(line)):
            result.percentiles[int(p.group(1))] = float(p.group(2))
        elif section.startswith("Status code") and (s := _STATUS.match(line)):
            result.statuses[int(s.group(1))] = int(s.group(2))
        elif section.startswith("Error distribution") and (e := _ERROR.match(line)):
            result.errors += int(e.group(1))
    return result


def run_hey(
    request: Request, *, seconds: float, connections: int, rate: float | None = None
) -> LoadResult:
    """``connections`` keep-alive connections for ``seconds``; with ``rate``, that many
    requests per second in all (``hey`` paces each connection at its share)."""
    args = [hey_path(), "-z", f"{seconds:g}s", "-c", str(connections), "-t", "20"]
    if rate is not None:
        args += ["-q", f"{rate / connections:g}"]
    done = subprocess.run(  # noqa: S603 - our own arguments
        [*args, *request.arguments()], capture_output=True, text=True, check=True
    )
    return parse_hey(done.stdout)


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far, every thread included."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces; the fields after it are fixed.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def resident_mib(pid: int) -> float:
    """The process's resident memory now."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children_of(pid: int) -> dict[int, str]:
    """The process's children and their command lines."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            if parent == pid:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                found[int(entry.name)] = command.decode()
        except (OSError, ValueError):
            continue
    return found
