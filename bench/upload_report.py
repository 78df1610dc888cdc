"""Tables of the upload benchmark's runs (``bench/upload_bench.py``), printed and recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from bench import common, timing

RESULTS = Path(__file__).with_name("RESULTS-upload.md")
TARGET_SECONDS = 10.0
Stats = timing.StatementStats


@dataclass
class Sample:
    """One request: its time, its steps, its statements and the collector's share of it."""

    seconds: float
    phases: dict[str, timing.Phase]
    statements: dict[str, Stats]
    gc_seconds: float


@dataclass
class Run:
    total: int
    batch: int
    upload: list[Sample]
    replay: list[Sample]
    counts: dict[str, int]
    matched: int
    expected_matched: int
    stored: int
    analyzes: int

    @property
    def upload_seconds(self) -> float:
        return sum(s.seconds for s in self.upload)

    @property
    def replay_seconds(self) -> float:
        return sum(s.seconds for s in self.replay)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def data_line(r: Run, applications: int) -> str:
    return (
        f"- data: {applications:,} applications stored beforehand (waiting on staff, "
        f"incomplete, approved, final); one provider, one 80-hour program; "
        f"{r.total:,} certificates in batches of {r.batch:,}, each with its own "
        "Idempotency-Key; 5% name a stored applicant id, 5% match a stored email and date of "
        "birth, 10% name an unknown applicant id, 0.5% are rejected; no files attached"
    )


def merged(samples: Sequence[Sample]) -> tuple[dict[str, timing.Phase], dict[str, Stats]]:
    """The steps and the statements of several requests, added up."""
    phases: dict[str, timing.Phase] = {}
    statements: dict[str, Stats] = {}
    for sample in samples:
        for name, p in sample.phases.items():
            phase = phases.setdefault(name, timing.Phase())
            phase.calls += p.calls
            phase.wall += p.wall
            phase.driver += p.driver
        for shape, st in sample.statements.items():
            stats = statements.setdefault(shape, Stats())
            stats.calls += st.calls
            stats.seconds += st.seconds
            stats.rows += st.rows
    return phases, statements


def step_table(samples: Sequence[Sample]) -> list[str]:
    """Markdown rows: each step's time (nested steps excluded), in the driver and in Python."""
    phases, _ = merged(samples)
    total = sum(s.seconds for s in samples)
    lines = [
        "| step (nested: a > b) | calls | s | in the driver s | Python s | share |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, p in phases.items():
        lines.append(
            f"| {name} | {p.calls} | {p.wall:.3f} | {p.driver:.3f} | {p.wall - p.driver:.3f} "
            f"| {p.wall / total:.0%} |"
        )
    collected = sum(s.gc_seconds for s in samples)
    lines.append(
        f"| (garbage collection, within the above) | | {collected:.3f} | | | "
        f"{collected / total:.0%} |"
    )
    return lines


def detail_lines(r: Run) -> list[str]:
    _, statements = merged(r.upload)
    return [
        f"Stored {r.stored:,} certificates, {r.matched:,} matched to an application "
        f"(expected {r.expected_matched:,}). Where the uploads' {r.upload_seconds:.2f} s went, "
        "per statement (time inside the driver; COMMIT is timed in the `commit` step below):",
        "",
        *timing.statement_table(statements, r.upload_seconds, top=10),
        "",
        "By step (`(all else)` is HTTP, JSON, auth and the request and response models; "
        "`receive_batch`'s own time is the row checks and building the results):",
        "",
        *step_table(r.upload),
    ]


def single_lines(r: Run) -> list[str]:
    verdict = "met" if r.upload_seconds < TARGET_SECONDS else "**missed**"
    lines = [
        "| batch | upload s | replay s |",
        "| ---: | ---: | ---: |",
        *(
            f"| {i + 1} | {u.seconds:.3f} | {p.seconds:.3f} |"
            for i, (u, p) in enumerate(zip(r.upload, r.replay, strict=True))
        ),
        f"| **all** | **{r.upload_seconds:.2f}** | **{r.replay_seconds:.2f}** |",
        "",
        f"{r.total:,} certificates uploaded in **{r.upload_seconds:.2f} s** (target < "
        f"{TARGET_SECONDS:.0f} s: {verdict}); accepted {r.counts['accepted']:,}, duplicate "
        f"{r.counts['duplicate']:,}, rejected {r.counts['rejected']:,}. All batches resent: "
        f"{r.replay_seconds:.2f} s, every one replayed.",
        "",
    ]
    return lines + detail_lines(r)


def drift_lines(r: Run, edge: int = 10) -> list[str]:
    """What one batch costs among the first ``edge`` batches and among the last ones."""
    head, tail = r.upload[:edge], r.upload[-edge:]
    (head_steps, head_sql), (tail_steps, tail_sql) = merged(head), merged(tail)
    rows = [
        ("(the whole request)", mean([s.seconds for s in head]), mean([s.seconds for s in tail]))
    ]
    rows += [
        (f"step: {name}", head_steps[name].wall / edge, p.wall / edge)
        for name, p in tail_steps.items()
        if name in head_steps
    ]
    rows.append(
        (
            "garbage collection",
            mean([s.gc_seconds for s in head]),
            mean([s.gc_seconds for s in tail]),
        )
    )
    for shape, st in sorted(tail_sql.items(), key=lambda kv: -kv[1].seconds)[:6]:
        first = head_sql[shape].seconds if shape in head_sql else 0.0
        rows.append(("`" + shape.replace("|", "\\|") + "`", first / edge, st.seconds / edge))
    lines = [
        f"Per batch, the first {edge} batches against the last {edge} "
        f"({r.stored:,} certificates stored by the end):",
        "",
        f"| what | s per batch, first {edge} | s per batch, last {edge} | growth |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, first, last in rows:
        growth = f"{last / first:.1f}x" if first > 0 else "n/a"
        lines.append(f"| {name} | {first:.4f} | {last:.4f} | {growth} |")
    tenth = max(1, len(r.upload) // 10)
    means = [
        mean([s.seconds for s in r.upload[i : i + tenth]]) for i in range(0, len(r.upload), tenth)
    ]
    lines += ["", "Mean batch s by tenth of the run: " + ", ".join(f"{m:.3f}" for m in means)]
    return lines


def growth_lines(runs: list[Run]) -> list[str]:
    lines = [
        "| certificates | batches | upload s | s per 1,000 | replay s | s per 1,000 replayed "
        "| stored | matched |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {r.total:,} | {len(r.upload)} | {r.upload_seconds:.2f} "
            f"| {r.upload_seconds / r.total * 1000:.3f} | {r.replay_seconds:.2f} "
            f"| {r.replay_seconds / r.total * 1000:.3f} | {r.stored:,} | {r.matched:,} |"
        )
    small, large = runs[0], runs[-1]
    ratio = (large.upload_seconds / large.total) / (small.upload_seconds / small.total)
    verdict = "linear" if ratio < 1.5 else "**not linear**"
    lines += [
        "",
        f"Cost per 1,000 at {large.total:,} / at {small.total:,}: **{ratio:.2f}x** "
        f"({verdict}; 1.0 is exactly linear).",
        "",
        *drift_lines(large),
        "",
        f"The {large.total:,} run in detail:",
        "",
    ]
    return lines + detail_lines(large)


def record(title: str, lines: list[str], *, keep: bool) -> None:
    """Print a section; if ``keep``, append it, dated, to bench/RESULTS-upload.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [f"## {stamp}: {title}", "", *lines, ""]
    print("\n".join(section), flush=True)
    if not keep:
        return
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Certificate upload benchmark results\n\nAppended by `bench/upload_bench.py`; "
            "see its docstring for what it measures.\n\n"
        )
    with RESULTS.open("a") as out:
        out.write("\n".join(section) + "\n")


async def server_line(autoanalyze: bool, runs: list[Run]) -> str:
    conn = await asyncpg.connect(common.PG_ADMIN_URL, timeout=10)
    try:
        autovacuum = await conn.fetchval("SHOW autovacuum")
    finally:
        await conn.close()
    if not autoanalyze:
        return (
            f"- server: autovacuum {autovacuum}; no ANALYZE after the fill's, so the planner "
            "keeps the statistics of the empty certificate table"
        )
    analyzed = ", ".join(f"{r.analyzes} at {r.total:,}" for r in runs)
    return (
        f"- server: autovacuum {autovacuum}; what-if `--autoanalyze`: ANALYZE between batches "
        f"(untimed) whenever autovacuum's default rule would have ({analyzed})"
    )


def check_answers(first: list[httpx.Response], second: list[httpx.Response]) -> dict[str, int]:
    """Every batch answered 200, every resend replayed the first answer; the row counts."""
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for a, b in zip(first, second, strict=True):
        assert a.status_code == 200, a.text[:500]
        assert "Idempotent-Replayed" not in a.headers
        assert b.status_code == 200, b.text[:500]
        assert b.headers.get("Idempotent-Replayed") == "true"
        body = a.json()
        assert b.json() == body, "a replay differs from the first answer"
        for outcome in counts:
            counts[outcome] += body["batch"][outcome]
    return counts
