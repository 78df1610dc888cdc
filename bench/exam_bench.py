"""Exam scoring and item analysis at the issue's scale, in process, without a database.

``python -m bench.exam_bench``: 10,000 attempts of a 120-item form in four content domains
(responses made from a seeded ability model, so items discriminate as real ones do, with one
item miskeyed), then, each round (``--rounds``, median reported):

- ``floor``: only iterating every response of every attempt (a loop that reads each
  (item, letter) pair and does nothing): what any scorer in Python pays at least;
- ``score``: ``exams.attempt.scoring.score_responses`` and ``passes`` for every attempt, with
  per-domain results (target: under 1 s);
- ``analysis``: the 0/1 matrix (``marks``) for every attempt and ``analyse`` over it: p,
  corrected point-biserial and flags per item, KR-20 (target: under 2 s); also split into its
  two parts.

Prints a table with absolute times and ratios to the floor and appends it to RESULTS.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.common import _commit, _cpu_model, report
from exams.attempt.analysis import ItemFlag, analyse, fixed
from exams.attempt.scoring import AnswerKey, KeyedItem, marks, passes, score_responses

DOMAINS = {"ethics": 30, "recovery": 40, "advocacy": 20, "communication": 30}
LETTERS = "ABCD"
TARGETS = {"score": 1.0, "analysis": 2.0}
MISKEYED = 7


def make_form(rnd: random.Random) -> tuple[AnswerKey, dict[int, float]]:
    """120 keyed items and each item's difficulty."""
    items, difficulty, number = [], {}, 1
    for domain, size in DOMAINS.items():
        for _ in range(size):
            items.append(KeyedItem(number, domain, rnd.choice(LETTERS)))
            difficulty[number] = rnd.uniform(-2.0, 1.0)
            number += 1
    return AnswerKey.of(items), difficulty


def make_attempts(
    rnd: random.Random, key: AnswerKey, difficulty: dict[int, float], count: int
) -> list[dict[int, str]]:
    """``count`` attempts: right with a logistic chance of ability minus difficulty."""
    rights = dict(key.items)
    attempts = []
    for _ in range(count):
        ability = rnd.gauss(0.5, 1.0)
        responses: dict[int, str] = {}
        for number, right in rights.items():
            chance = 1 / (1 + math.exp(difficulty[number] - ability))
            wrong = [x for x in LETTERS if x != right]
            if number == MISKEYED:
                # The key names an option only weak candidates choose.
                chance = 1 - chance
            responses[number] = right if rnd.random() < chance else rnd.choice(wrong)
        attempts.append(responses)
    return attempts


def floor(attempts: list[dict[int, str]], key: AnswerKey) -> Any:
    seen = 0
    for responses in attempts:
        for _number, _letter in responses.items():
            seen += 1
    return seen


def score_all(attempts: list[dict[int, str]], key: AnswerKey) -> Any:
    return [
        (result, passes(result.correct, result.total, 80))
        for result in (score_responses(r, key) for r in attempts)
    ]


def matrix(attempts: list[dict[int, str]], key: AnswerKey) -> list[list[int]]:
    return [marks(r, key) for r in attempts]


def analysis(attempts: list[dict[int, str]], key: AnswerKey) -> Any:
    return analyse(matrix(attempts, key), len(key.items))


def timed(step: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    """The median seconds of ``rounds`` runs of ``step`` and its last result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    rnd = random.Random(args.seed)  # noqa: S311 (reproducible test data, not secrets)
    key, difficulty = make_form(rnd)
    attempts = make_attempts(rnd, key, difficulty, args.attempts)
    rows = matrix(attempts, key)

    base, _ = timed(lambda: floor(attempts, key), args.rounds)
    results = {
        "floor (iterate responses)": (base, None),
        "score": timed(lambda: score_all(attempts, key), args.rounds),
        "analysis": timed(lambda: analysis(attempts, key), args.rounds),
        "analysis: 0/1 matrix": timed(lambda: matrix(attempts, key), args.rounds),
        "analysis: statistics": timed(lambda: analyse(rows, len(key.items)), args.rounds),
    }
    stats = results["analysis"][1]
    scored = results["score"][1]
    lines = [
        f"{args.attempts:,} attempts of {len(key.items)} items in {len(DOMAINS)} domains, "
        f"median of {args.rounds} rounds; {os.cpu_count()} CPUs ({_cpu_model()}), "
        f"Python {platform.python_version()}; commit {_commit()}; load average "
        f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min).",
        "",
        "| step | seconds | x floor | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, (seconds, _) in results.items():
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"< {target:g} s: {'met' if seconds < target else '**missed**'}"
        lines.append(f"| {name} | {seconds:.3f} | {seconds / base:.1f} | {verdict} |")
    miskeyed = [i.index + 1 for i in stats.items if ItemFlag.LIKELY_MISKEY in i.flags]
    lines += [
        "",
        f"Check: {sum(1 for _, ok in scored if ok):,} passed; KR-20 "
        f"{fixed(stats.kr20) if stats.kr20 is not None else 'null'}; items flagged as "
        f"likely miskeys: {miskeyed} (item {MISKEYED} was miskeyed on purpose).",
    ]
    report("exam scoring and item analysis", lines, keep=not args.no_record)


if __name__ == "__main__":
    main()
