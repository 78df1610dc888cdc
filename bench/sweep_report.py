"""The sweep benchmark's report: a row per round, and where the median round's time went."""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass

from applications.sweep.service import SweepResult
from bench.probe import ProbeResult
from bench.timing import Phases, StatementStats, median, statement_table

TARGET_SECONDS = 5.0


@dataclass
class Round:
    """One fresh database, filled and swept twice: the figures and where time went."""

    fill_seconds: float
    first_seconds: float
    second_seconds: float
    first: SweepResult
    second: SweepResult
    written: dict[str, int]
    forfeited: int
    stored_void: int
    statements: dict[str, StatementStats]
    phases: Phases
    unwatched: list[str]
    probe: ProbeResult | None = None


def rows_written(r: Round) -> int:
    """Rows inserted or updated by the first sweep (applications voided, fees forfeited)."""
    return sum(r.written.values()) + r.first.voided + r.first.expired + r.forfeited


def _row(label: str, r: Round) -> str:
    f, w = r.first, r.written
    return (
        f"| {label} | {r.fill_seconds:.1f} | **{r.first_seconds:.2f}** | {r.second_seconds:.3f} "
        f"| {f.voided:,} | {f.expired:,} | {f.void_reminders:,} | {f.expiry_reminders:,} "
        f"| {w['audit_record']:,} | {w['outbox_event']:,} | {w['outbox_delivery']:,} "
        f"| {w['notification']:,} | {r.forfeited:,} | {rows_written(r):,} "
        f"| {r.first_seconds / rows_written(r) * 1e6:.1f} |"
    )


def summarize(args: argparse.Namespace, rounds: list[Round], env: str) -> list[str]:
    """The report: what was measured, a row per round, and where the median round went."""
    firsts = [r.first_seconds for r in rounds]
    middle = sorted(rounds, key=lambda r: r.first_seconds)[len(rounds) // 2]
    met = "met" if median(firsts) < TARGET_SECONDS else "**missed**"
    lines = [
        *_setting(args, env),
        "",
        "| round | fill s | first sweep s | second sweep s | voided | expired | void reminders "
        "| expiry reminders | audit rows | outbox events | deliveries | notifications "
        "| fees forfeited | rows written | µs per row written |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
        *(_row(str(i), r) for i, r in enumerate(rounds, 1)),
        "",
        f"Median first sweep: **{median(firsts):.2f} s** (target < {TARGET_SECONDS:.0f} s: "
        f"{met}); median second sweep: {median([r.second_seconds for r in rounds]):.3f} s.",
        *(f"- problem: {p}" for p in _problems(args, rounds)),
        "",
        *_breakdown(middle),
    ]
    probes = [f"round {i}: {r.probe.summary()}" for i, r in enumerate(rounds, 1) if r.probe]
    if probes:
        lines += ["", "Requests during the sweep:", "", *(f"- {p}" for p in probes)]
    if middle.unwatched:
        lines.append(f"- not timed apart (renamed?): {', '.join(middle.unwatched)}")
    return lines


def _setting(args: argparse.Namespace, env: str) -> list[str]:
    """The machine, the data and what was measured."""
    lines = [
        f"- machine: {env}",
        f"- data: {args.count:,} incomplete applications past their last day to complete, "
        f"{args.others:,} not due (waiting on staff, incomplete with time left, approved, "
        f"final), a fee recorded for {args.paid_share:.0%} of them; policy CA; outbox to "
        "`exams`, `supervision` and the local `mailer`",
        "- measured: one `sweep_once` (chunks of 5,000, a transaction each, commits "
        f"included; {args.workers} at a time on PostgreSQL, one on SQLite), then a second one",
    ]
    if args.probe_interval:
        lines.append(
            f"- alongside: a status read from another thread every {args.probe_interval} s "
            "(it competes for the GIL, so these sweep times run a little slow)"
        )
    return lines


def _problems(args: argparse.Namespace, rounds: list[Round]) -> list[str]:
    """Rounds that did not void every due application, or whose second sweep did something."""
    return [
        f"round {i}: stored {r.stored_void:,} void, expected {args.count:,}"
        for i, r in enumerate(rounds, 1)
        if r.stored_void != args.count or r.first.voided != args.count
    ] + [
        f"round {i}: the second sweep was not empty: {asdict(r.second)}"
        for i, r in enumerate(rounds, 1)
        if any(asdict(r.second).values())
    ]


def _breakdown(middle: Round) -> list[str]:
    """Where the median round's first sweep went: by statement, then by step."""
    return [
        f"Where the median round's first sweep ({middle.first_seconds:.2f} s) went:",
        "",
        *statement_table(middle.statements, middle.first_seconds),
        "",
        "The same sweep by step (time excludes nested steps; `(all else)` is the session, "
        "the commit and the code between steps):",
        "",
        *middle.phases.table(middle.first_seconds),
    ]
