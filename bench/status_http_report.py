"""The HTTP status benchmark's tables and its targets, as ratios within the one run."""

from __future__ import annotations

import argparse
import math

from bench.common import machine, report
from bench.status_http import Target

# The targets.
SERVICE_CPU_VS_FLOOR = 2.0
GATEWAY_THROUGHPUT_VS_DIRECT = 0.5
P99_MS = 25.0
RESIDENT_MIB = 150.0
# "Holds the rate": answers at least this share of the requests the fixed load paced.
HELD = 0.97


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _pair(target: Target, process: str) -> str:
    figures = [target.cpu_ms(load, process) for load in ("throughput", "rate")]
    return " / ".join("" if math.isnan(f) else f"{f:.2f}" for f in figures)


def tables(args: argparse.Namespace, made: list[Target], memory: dict[str, float]) -> list[str]:
    lines = [
        f"| request | (a) answered/s, {args.connections} connections | (a) failed "
        f"| (b) answered/s at {args.rate:g}/s | (b) p50 ms | (b) p99 ms | (b) failed "
        "| gateway CPU ms/request (a / b) | applications CPU ms/request (a / b) "
        "| floor CPU ms/request (a / b) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in made:
        a, b = t.loads["throughput"], t.loads["rate"]
        lines.append(
            f"| {t.name} | **{a.per_second:.0f}** | {a.failed} | {b.per_second:.1f} "
            f"| {b.ms(50):.1f} | **{b.ms(99):.1f}** | {b.failed} | {_pair(t, 'gateway')} "
            f"| {_pair(t, 'applications')} | {_pair(t, 'floor')} |"
        )
    lines += [
        "",
        "Resident memory after the run: "
        + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in memory.items())
        + ".",
    ]
    return lines


def targets(args: argparse.Namespace, made: list[Target], memory: dict[str, float]) -> list[str]:
    """Each target of the issue, with the figures it compares (CPU on both loads)."""
    gateway, direct, typename, floor, verify, _verify_rest = made
    lines = ["| target | (a) | (b) | met |", "| --- | ---: | ---: | --- |"]

    def cpu_ratio(what: str, num: Target, p: str, den: Target, q: str, limit: float) -> None:
        ratios = [num.cpu_ms(k, p) / den.cpu_ms(k, q) for k in ("throughput", "rate")]
        lines.append(
            f"| {what} (at most {limit:g}x) | {ratios[0]:.2f}x | {ratios[1]:.2f}x "
            f"| {_met(all(r <= limit for r in ratios))} |"
        )

    cpu_ratio(
        "service CPU per status read / floor CPU per read",
        direct,
        "applications",
        floor,
        "floor",
        SERVICE_CPU_VS_FLOOR,
    )
    share = gateway.loads["throughput"].per_second / direct.loads["throughput"].per_second
    lines.append(
        f"| gateway status throughput / direct read's (at least "
        f"{GATEWAY_THROUGHPUT_VS_DIRECT:g}x) | {share:.2f}x | | "
        f"{_met(share >= GATEWAY_THROUGHPUT_VS_DIRECT)} |"
    )
    cpu_ratio(
        "gateway CPU per status query / service CPU per status read",
        gateway,
        "gateway",
        direct,
        "applications",
        1.0,
    )
    cpu_ratio(
        "gateway CPU per `{ __typename }` / floor CPU per read",
        typename,
        "gateway",
        floor,
        "floor",
        1.0,
    )
    rate = gateway.loads["rate"]
    held = rate.per_second >= HELD * args.rate and rate.failed == 0
    lines.append(
        f"| status views through the gateway at {args.rate:g}/s: answered/s, p99 "
        f"(under {P99_MS:g} ms) | | {rate.per_second:.1f}/s, {rate.ms(99):.1f} ms "
        f"| {_met(held and rate.ms(99) < P99_MS)} |"
    )
    share = verify.loads["throughput"].per_second / direct.loads["throughput"].per_second
    lines.append(
        f"| gateway verification by number throughput / direct read's (at least "
        f"{GATEWAY_THROUGHPUT_VS_DIRECT:g}x) | {share:.2f}x | | "
        f"{_met(share >= GATEWAY_THROUGHPUT_VS_DIRECT)} |"
    )
    rate = verify.loads["rate"]
    held = rate.per_second >= HELD * args.rate and rate.failed == 0
    lines.append(
        f"| verification by number through the gateway at {args.rate:g}/s: answered/s, p99 "
        f"(under {P99_MS:g} ms) | | {rate.per_second:.1f}/s, {rate.ms(99):.1f} ms "
        f"| {_met(held and rate.ms(99) < P99_MS)} |"
    )
    largest = max(memory.values())
    lines.append(
        f"| every process under {RESIDENT_MIB:g} MB resident | | largest {largest:.0f} MiB "
        f"| {_met(largest * 1.048576 < RESIDENT_MIB)} |"
    )
    failures = sum(t.loads["throughput"].failed for t in made)
    lines.append(f"| (a) without errors | {failures} failed | | {_met(failures == 0)} |")
    return lines


async def record(
    args: argparse.Namespace, made: list[Target], memory: dict[str, float], fill_seconds: float
) -> None:
    """Print the tables and, unless ``--no-record``, append them to RESULTS.md."""
    env = await machine("sqlite")
    lines = [
        f"- machine: {env}",
        f"- system: `certboard run` on SQLite (one uvicorn process per service and the gateway), "
        f"{args.applications:,} applications filled in {fill_seconds:.0f} s; the floor: a "
        "FastAPI + SQLModel app reading one row by key from a 100,000-row SQLite table",
        f"- load (`hey`, keep-alive): (a) {args.connections} connections for {args.seconds:g} s; "
        f"(b) {args.rate:g} requests/s over {args.rate_connections} connections for "
        f"{args.rate_seconds:g} s; CPU per request from `/proc/PID/stat` around each load",
        "- the status view: every field of the applicant's current application (incomplete, "
        "a revision request, a replaced diploma, notices, a fee), as GraphQL `application(id)` "
        "and as `GET /v1/applications/{id}`; public verification of the applicant's number, "
        "as GraphQL `verifyCertification` (every field) and as `GET /v1/verification/{number}`",
        "",
        *tables(args, made, memory),
        "",
        *targets(args, made, memory),
    ]
    report("status view over HTTP, sqlite", lines, keep=not args.no_record)
