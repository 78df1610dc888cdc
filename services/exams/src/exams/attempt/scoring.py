"""Exact scoring: responses against a key, per content domain, and the pass mark; no I/O.

Scoring runs once per attempt and again over every attempt of a form when its key is corrected,
so the key is turned once into plain tuples (item number, key letter) grouped by domain and
each attempt is a single pass over them: no Fractions until a percentage is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import eq
from typing import Any, NamedTuple

from exams.errors import InconsistentVendorScore, UnknownExamItem
from exams.rules import Score


@dataclass(frozen=True)
class KeyedItem:
    """One item of a form as scoring needs it: its number, content domain and key."""

    number: int
    domain: str
    key: str


@dataclass(frozen=True)
class AnswerKey:
    """A form's key, precomputed for scoring: item numbers and key letters as parallel tuples,
    per domain (in form order) and for the whole form (in number order)."""

    domains: tuple[str, ...]
    # Per domain, same order as ``domains``: (item numbers, their key letters).
    by_domain: tuple[tuple[tuple[int, ...], tuple[str, ...]], ...]
    numbers: tuple[int, ...]
    keys: tuple[str, ...]

    @classmethod
    def of(cls, items: Iterable[KeyedItem]) -> AnswerKey:
        """The key of ``items``; domains in the order their first item appears."""
        ordered = sorted(items, key=lambda i: i.number)
        if not ordered:
            raise ValueError("an answer key needs at least one item")
        grouped: dict[str, list[KeyedItem]] = {}
        for item in ordered:
            grouped.setdefault(item.domain, []).append(item)
        return cls(
            domains=tuple(grouped),
            by_domain=tuple(
                (tuple(i.number for i in group), tuple(i.key.upper() for i in group))
                for group in grouped.values()
            ),
            numbers=tuple(i.number for i in ordered),
            keys=tuple(i.key.upper() for i in ordered),
        )

    @property
    def items(self) -> list[tuple[int, str]]:
        """(number, key letter) of every item, by number."""
        return list(zip(self.numbers, self.keys, strict=True))

    @cached_property
    def sizes(self) -> tuple[int, ...]:
        """How many items each domain has, in domain order."""
        return tuple(len(numbers) for numbers, _ in self.by_domain)

    @property
    def domain_totals(self) -> dict[str, int]:
        """How many items each domain has, by name."""
        return dict(zip(self.domains, self.sizes, strict=True))


@dataclass(frozen=True)
class DomainScore:
    domain: str
    score: Score


class Result(NamedTuple):
    """A whole score and its split by content domain (the domains' counts add up to it).

    Plain counts, so scoring thousands of attempts makes one small tuple each; ``score`` and
    ``domains`` give the exact ``Score`` objects when read.
    """

    correct: int
    total: int
    # (domain, correct, total) per domain, in form order.
    counts: tuple[tuple[str, int, int], ...]

    @property
    def score(self) -> Score:
        """The whole score."""
        return Score(correct=self.correct, total=self.total)

    @property
    def domains(self) -> tuple[DomainScore, ...]:
        """The score per domain."""
        return tuple(DomainScore(d, Score(correct=c, total=t)) for d, c, t in self.counts)

    def domain_rows(self) -> list[dict[str, Any]]:
        """The per-domain counts as stored on an attempt."""
        return [{"domain": d, "correct": c, "total": t} for d, c, t in self.counts]


def check_items(responses: Mapping[int, str], key: AnswerKey) -> None:
    """Refuse responses naming items the form does not have (a mismatched form or feed)."""
    unknown = sorted(set(responses).difference(key.numbers))
    if unknown:
        shown = ", ".join(str(n) for n in unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise UnknownExamItem(
            f"responses for items the form does not have: {shown}", field="responses"
        )


def score_responses(responses: Mapping[int, str], key: AnswerKey) -> Result:
    """Count the responses that match the key, per domain; unanswered items count as wrong."""
    # map/eq/sum run in C: no Python-level loop per item (10,000 attempts of 120 items is
    # 1.2 million comparisons).
    get = responses.get
    counts = [sum(map(eq, map(get, numbers), keys)) for numbers, keys in key.by_domain]
    return Result(
        sum(counts), len(key.numbers), tuple(zip(key.domains, counts, key.sizes, strict=True))
    )


def marks(responses: Mapping[int, str], key: AnswerKey) -> list[bool]:
    """The 0/1 row of an attempt in item-number order (True: matches the key)."""
    return list(map(eq, map(responses.get, key.numbers), key.keys))


def passes(correct: int, total: int, pass_mark_percent: int) -> bool:
    """Whether ``correct`` of ``total`` reaches the mark, in integers:
    ``correct * 100 >= mark * total``."""
    # 96/120 is exactly 80%: no float or rounding may make it fall short (or 95/120 pass).
    return correct * 100 >= pass_mark_percent * total


def result_of(correct: int, total: int, domains: Sequence[Mapping[str, Any]]) -> Result:
    """A stored result (an attempt's counts and domain rows) as a ``Result``."""
    Score(correct=correct, total=total)  # refuses an impossible stored score
    return Result(correct, total, tuple((r["domain"], r["correct"], r["total"]) for r in domains))


def vendor_result(
    correct: int,
    total: int,
    domains: Sequence[Mapping[str, Any]],
    *,
    form_domains: Mapping[str, int] | None,
) -> Result:
    """A score the test vendor reported, refused unless it adds up (and fits the form, if
    known): domain corrects sum to ``correct``, domain totals to ``total``."""
    if not 0 <= correct <= total or total < 1:
        raise InconsistentVendorScore(
            f"{correct} correct of {total} items is impossible", field="correct"
        )
    names = [row["domain"] for row in domains]
    if len(set(names)) != len(names):
        raise InconsistentVendorScore("a content domain is listed twice", field="domains")
    for index, row in enumerate(domains):
        if not 0 <= row["correct"] <= row["total"] or row["total"] < 1:
            raise InconsistentVendorScore(
                f"domain {row['domain']!r}: {row['correct']} of {row['total']} is impossible",
                field=f"domains.{index}.correct",
            )
    if sum(row["correct"] for row in domains) != correct:
        raise InconsistentVendorScore(
            "the domains' correct answers do not add up to the score", field="domains"
        )
    if sum(row["total"] for row in domains) != total:
        raise InconsistentVendorScore(
            "the domains' items do not add up to the total", field="domains"
        )
    if form_domains is not None and {row["domain"]: row["total"] for row in domains} != dict(
        form_domains
    ):
        raise InconsistentVendorScore(
            "the domains and their item counts are not the form's", field="domains"
        )
    return result_of(correct, total, domains)
