"""Exact scoring: responses against a key, per content domain, and the pass mark; no I/O.

Scoring runs once per attempt and again over every attempt of a form when its key is corrected,
so the key is turned once into plain tuples (item number, key letter) grouped by domain and
each attempt is a single pass over them: no Fractions until a percentage is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
    """A form's key, precomputed for scoring: item pairs grouped by domain in form order."""

    domains: tuple[str, ...]
    # Per domain (same order as ``domains``): ((item number, key letter), ...).
    by_domain: tuple[tuple[tuple[int, str], ...], ...]
    # Every item in number order, for 0/1 rows in item analysis.
    items: tuple[tuple[int, str], ...]

    @classmethod
    def of(cls, items: Iterable[KeyedItem]) -> AnswerKey:
        """The key of ``items``; domains in the order their first item appears."""
        ordered = sorted(items, key=lambda i: i.number)
        if not ordered:
            raise ValueError("an answer key needs at least one item")
        grouped: dict[str, list[tuple[int, str]]] = {}
        for item in ordered:
            grouped.setdefault(item.domain, []).append((item.number, item.key.upper()))
        return cls(
            domains=tuple(grouped),
            by_domain=tuple(tuple(pairs) for pairs in grouped.values()),
            items=tuple((i.number, i.key.upper()) for i in ordered),
        )

    @property
    def numbers(self) -> frozenset[int]:
        """The item numbers of the form."""
        return frozenset(number for number, _ in self.items)

    @property
    def domain_totals(self) -> dict[str, int]:
        """How many items each domain has."""
        return {d: len(pairs) for d, pairs in zip(self.domains, self.by_domain, strict=True)}


@dataclass(frozen=True)
class DomainScore:
    domain: str
    score: Score


@dataclass(frozen=True)
class Result:
    """A whole score and its split by content domain (the domains' scores add up to it)."""

    score: Score
    domains: tuple[DomainScore, ...]

    def domain_rows(self) -> list[dict[str, object]]:
        """The per-domain counts as stored on an attempt."""
        return [
            {"domain": d.domain, "correct": d.score.correct, "total": d.score.total}
            for d in self.domains
        ]


def check_items(responses: Mapping[int, str], key: AnswerKey) -> None:
    """Refuse responses naming items the form does not have (a mismatched form or feed)."""
    unknown = sorted(set(responses) - key.numbers)
    if unknown:
        shown = ", ".join(str(n) for n in unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise UnknownExamItem(
            f"responses for items the form does not have: {shown}", field="responses"
        )


def score_responses(responses: Mapping[int, str], key: AnswerKey) -> Result:
    """Count the responses that match the key, per domain; unanswered items count as wrong."""
    get = responses.get
    domains = tuple(
        DomainScore(
            domain,
            Score(
                correct=sum(1 for number, right in pairs if get(number) == right), total=len(pairs)
            ),
        )
        for domain, pairs in zip(key.domains, key.by_domain, strict=True)
    )
    correct = sum(d.score.correct for d in domains)
    return Result(Score(correct=correct, total=len(key.items)), domains)


def marks(responses: Mapping[int, str], key: AnswerKey) -> list[int]:
    """The 0/1 row of an attempt in item-number order (1: matches the key)."""
    get = responses.get
    return [1 if get(number) == right else 0 for number, right in key.items]


def passes(score: Score, pass_mark_percent: int) -> bool:
    """Whether ``score`` reaches the mark, in integers: ``correct * 100 >= mark * items``."""
    # 96/120 is exactly 80%: no float or rounding may make it fall short (or 95/120 pass).
    return score.correct * 100 >= pass_mark_percent * score.total


def result_of(correct: int, total: int, domains: Sequence[Mapping[str, Any]]) -> Result:
    """A stored result (an attempt's counts and domain rows) as a ``Result``."""
    return Result(
        Score(correct=correct, total=total),
        tuple(DomainScore(row["domain"], Score(row["correct"], row["total"])) for row in domains),
    )


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
