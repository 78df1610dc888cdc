"""The web console's pages under load, against ``certboard run`` (issue 15's benchmark).

``python -m bench.web_bench`` fills a fresh data folder as the status benchmark does
(``--applications``, the measured applicant among them), starts ``certboard run`` on it, signs
in through the console's development sign-in page as that applicant and as staff (as a browser
does: the form's CSRF token, then the session cookie), and loads each page with ``hey`` and
the session's cookie: (a) flat out over ``--connections`` connections, for CPU per page, and
(b) at the pace of ``--connections`` people each loading a page every ``--think-seconds``,
for the latency they see. Sessions live in a signed cookie, so one cookie over many
connections is many sessions to the server. CPU per page comes from ``/proc/PID/stat`` of the
console and of the gateway (each page is one gateway query). Targets (issue 15): p99 under
100 ms for a page at the sessions' pace, and the console's CPU per page no more than the
gateway's per query.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import machine, quiet_logs, report
from bench.load import LoadResult, Request, cpu_seconds, hey_path, run_hey
from bench.status_data import APPLICANT
from bench.status_http import prepare
from bench.status_system import Running, running, settle

P99_TARGET_MS = 100.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGES = {"applicant": ("/me",), "staff": ("/staff",)}


def signed_in(web: str, role: str, subject: str) -> str:
    """The session cookie of ``subject`` signed in as ``role`` through the console's form."""
    with httpx.Client(base_url=web) as browser:
        form = browser.get("/signin")
        found = _CSRF.search(form.text)
        if found is None:
            raise SystemExit(f"no CSRF token on the sign-in page: {form.status_code}")
        answer = browser.post(
            "/signin", data={"role": role, "subject": subject, "csrf_token": found.group(1)}
        )
        if answer.status_code >= 400:
            raise SystemExit(f"sign-in as {role} refused: {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


@dataclass
class Measured:
    """One page: (a) as fast as ``--connections`` sessions go, (b) at the sessions' pace."""

    name: str
    throughput: LoadResult
    paced: LoadResult
    # CPU seconds of the console and the gateway during (a).
    cpu: dict[str, float]


def measure(system: Running, args: argparse.Namespace) -> list[Measured]:
    """Each page under both loads, with the console's and the gateway's CPU around (a)."""
    measured: list[Measured] = []
    for role, subject in (("applicant", APPLICANT), ("staff", "bench-staff")):
        cookie = signed_in(system.web, role, subject)
        for path in PAGES[role]:
            page = Request("GET", f"{system.web}{path}", "", cookie=cookie)
            probe = httpx.get(page.url, headers={"Cookie": cookie})
            if probe.status_code != 200:
                print(f"skipped {path}: {probe.status_code}", flush=True)
                continue
            run_hey(page, seconds=args.warmup, connections=10)
            settle(system.pids)
            before = {n: cpu_seconds(system.pids[n]) for n in ("web", "gateway")}
            result = run_hey(page, seconds=args.seconds, connections=args.connections)
            cpu = {n: cpu_seconds(system.pids[n]) - before[n] for n in before}
            settle(system.pids)
            paced = run_hey(
                page,
                seconds=args.seconds,
                connections=args.rate_connections,
                rate=args.connections / args.think_seconds,
            )
            measured.append(Measured(f"{role}: {path}", result, paced, cpu))
            print(
                f"{path}: {result.per_second:.0f}/s flat out; paced p99 {paced.ms(99):.1f} ms",
                flush=True,
            )
    return measured


def table(measured: list[Measured], args: argparse.Namespace) -> list[str]:
    rate = args.connections / args.think_seconds
    lines = [
        f"| page | (a) answered/s, {args.connections} connections | (a) p99 ms "
        f"| (b) answered/s at {rate:g}/s | (b) p50 ms | (b) p99 ms (under 100) | failed "
        "| console CPU ms/page | gateway CPU ms/page | console / gateway (at most 1x) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measured:
        answered = m.throughput.responses or 1
        web, gateway = (m.cpu[n] / answered * 1000 for n in ("web", "gateway"))
        met = "met" if m.paced.ms(99) < P99_TARGET_MS else "**missed**"
        ratio = web / gateway if gateway else float("nan")
        ratio_met = "met" if ratio <= 1 else "**missed**"
        lines.append(
            f"| {m.name} | {m.throughput.per_second:.0f} | {m.throughput.ms(99):.1f} "
            f"| {m.paced.per_second:.1f} | {m.paced.ms(50):.1f} | **{m.paced.ms(99):.1f}** "
            f"({met}) | {m.throughput.failed + m.paced.failed} | {web:.2f} | {gateway:.2f} "
            f"| {ratio:.2f}x ({ratio_met}) |"
        )
    return lines


async def run(args: argparse.Namespace) -> None:
    quiet_logs()
    hey_path()
    folder = Path(tempfile.mkdtemp(prefix="certboard-bench-"))
    try:
        data_dir = folder / "data"
        _, fill_seconds = await prepare(data_dir, args.applications)
        with running(data_dir) as system:
            settle(system.pids)
            measured = measure(system, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = [
        f"- machine: {await machine('sqlite')}",
        f"- system: `certboard run` on SQLite, {args.applications:,} applications filled in "
        f"{fill_seconds:.0f} s; each page loaded by `hey` with a signed-in session's cookie, "
        f"{args.seconds:g} s per load after a {args.warmup:g} s warm-up: (a) flat out over "
        f"{args.connections} connections, CPU per page from `/proc/PID/stat` of the console "
        f"and the gateway; (b) {args.connections} sessions each loading the page every "
        f"{args.think_seconds:g} s ({args.connections / args.think_seconds:g} pages/s over "
        f"{args.rate_connections} connections), the latency a person sees",
        "",
        *table(measured, args),
    ]
    report("web console pages, sqlite", lines, keep=not args.no_record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=3)
    # A person reads a page before asking for the next: 50 sessions are not 50 connections
    # asking back to back (that is load (a), which no 2-core machine answers in 100 ms: 50 in
    # flight at 141 pages/s wait 350 ms each whatever the page costs).
    parser.add_argument(
        "--think-seconds", type=float, default=1, help="each session's pause between pages"
    )
    # hey's per-connection tickers fire together (see bench.status_http): 2 connections.
    parser.add_argument("--rate-connections", type=int, default=2)
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
