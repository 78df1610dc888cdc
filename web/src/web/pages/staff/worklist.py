"""What every staff list besides the applications shares: what a list is (one gateway query a
page at a time, each item with a due day), the clock of an item, and the decisions on it as
forms. The lists themselves are data (``lists_*.py``); the routes are in ``work.py``."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from web.gateway import Answer, GraphQLError

# Every decision sends the item's id and the version its page was read at.
DECISION_VARIABLES = "$id: ID!, $v: Int!"
MAX_TYPED = 2000
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Input:
    """One field of a decision's form: its name is also the GraphQL variable's. ``kind``:
    ``text`` (optional words), ``required`` (words), ``choice`` (one of ``choices``, shown as
    ``words(prefix + value)``), ``date`` (optional day), ``day`` (a day), ``time`` (HH:MM),
    ``uuid`` (an id), ``number`` (a whole number), ``check`` (yes when sent as "true"),
    ``file`` (an upload, which the route sends itself)."""

    name: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    prefix: str = ""

    @property
    def optional(self) -> bool:
        return self.kind in ("text", "date")


@dataclass(frozen=True)
class Decision:
    """A decision on one item: ``name`` is its address and its words' key; ``document`` a
    mutation taking ``$id``, ``$v`` (unless not ``versioned``) and a variable per input. Its
    answer's ``done`` field is shown where the page has a way to (a draw's seed)."""

    name: str
    document: str
    inputs: tuple[Input, ...] = ()
    versioned: bool = True


@dataclass(frozen=True)
class WorkList:
    """A list staff work through. ``root``/``args`` the gateway's list field and its fixed
    arguments, ``fields`` an item's, ``page`` the page's own (counts), ``due`` the path of an
    item's due day ("" none), ``one`` the field that reads one item (None: no such read)."""

    slug: str
    title: str
    root: str
    fields: str
    due: str = ""
    args: str = ""
    page: str = ""
    one: str | None = None
    # False where a passed day is no one's breach (a certification that ended this month).
    late_is_breach: bool = True
    decisions: tuple[Decision, ...] = field(default=())
    # Decisions on the list as a whole: no item, no version; their answer is shown.
    actions: tuple[Decision, ...] = field(default=())
    # Where in an item the id and the version its decisions send are (a renewal's are its
    # certification's).
    key: str = "id"
    version: str = "version"
    # The template of an item's heading and facts (templates/staff/work/); default: the slug's.
    template: str = ""

    @property
    def part(self) -> str:
        return f"staff/work/{self.template or self.slug.replace('/', '-')}.html"

    def decision(self, name: str) -> Decision | None:
        return next((d for d in (*self.decisions, *self.actions) if d.name == name), None)

    def query(self, with_current: bool, *, whole: bool = True) -> str:
        """One operation for the whole page: the board's today, a page of the list (unless
        not ``whole``: an item's own page) and, after a refused decision or on an item's own
        page, the item as it is now."""
        args = f"{self.args}, " if self.args else ""
        current = f"current: {self.one}(id: $id) {{ {self.fields} }}" if with_current else ""
        listed = (
            f"list: {self.root}({args}first: $first, after: $after) {{\n"
            f"    items {{ {self.fields} }} nextCursor {self.page}\n  }}"
        )
        variables = ["$first: Int!, $after: String"] if whole else []
        variables += ["$id: ID!"] if with_current else []
        return (
            f"query StaffList({', '.join(variables)}) {{\n"
            "  counts: workQueueCounts { today }\n"
            f"  {listed if whole else ''}\n  {current}\n}}"
        )


def path_of(item: dict[str, Any], path: str) -> Any:
    """``certification.validThrough`` of an item."""
    value: Any = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def clock(work: WorkList, item: dict[str, Any], today: str | None) -> dict[str, Any]:
    """The item's due day, its days left (None: no due day, or no today to count from) and
    whether it is a breach: the day has passed, or the gateway says the item is overdue."""
    due = path_of(item, work.due) if work.due else None
    days = (date.fromisoformat(due) - date.fromisoformat(today)).days if due and today else None
    late = (days is not None and days < 0) or item.get("overdue") is True
    return {"due": due, "days": days, "breach": work.late_is_breach and late}


def read_item(work: WorkList, item: dict[str, Any], today: str | None) -> dict[str, Any]:
    """The item with its clock, and the id and version its decisions send."""
    return {
        **item,
        "clock": clock(work, item, today),
        "key": path_of(item, work.key),
        "read_version": path_of(item, work.version),
    }


def invalid(name: str, what: str) -> GraphQLError:
    return GraphQLError("INVALID_INPUT", f"{name}: not {what}", name)


def read_form(
    decision: Decision, form: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str], list[GraphQLError]]:
    """The decision's variables from the form, what was typed (to keep in the form) and what
    could not even be sent (checked here only because GraphQL would refuse the operation
    whole, without naming the field); the gateway checks everything else."""
    variables: dict[str, Any] = {}
    typed: dict[str, str] = {}
    errors: list[GraphQLError] = []
    for one in decision.inputs:
        if one.kind == "file":
            continue
        value = form.get(one.name, "").strip()
        typed[one.name] = value
        if len(value) > MAX_TYPED:
            errors.append(invalid(one.name, f"at most {MAX_TYPED} characters"))
        elif one.kind == "choice" and value not in one.choices:
            errors.append(invalid(one.name, "one of the choices"))
        elif one.kind in ("date", "day") and (value or one.kind == "day") and not _is_day(value):
            errors.append(invalid(one.name, "a date"))
        elif one.kind == "time" and not _TIME.match(value):
            errors.append(invalid(one.name, "a time such as 09:30"))
        elif one.kind == "uuid" and not _is_uuid(value):
            errors.append(invalid(one.name, "an id"))
        # GraphQL's Int is 32 bits: a longer number could not even be sent.
        elif one.kind == "number" and not (value.isdigit() and len(value) <= 9):
            errors.append(invalid(one.name, "a whole number"))
        if one.kind == "check":
            variables[one.name] = value == "true"
        elif one.kind == "number":
            variables[one.name] = int(value) if value.isdigit() else None
        else:
            variables[one.name] = (value or None) if one.optional else value
    return variables, typed, errors


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def at_fault(decision: Decision, answer: Answer) -> set[str]:
    """The decision's inputs an error names, however it spells them (the services'
    ``application_id`` is the form's ``applicationId``)."""
    named = {e.field.replace("_", "").lower() for e in answer.errors if e.field}
    return {one.name for one in decision.inputs if one.name.lower() in named}


def local_refusal(errors: list[GraphQLError]) -> Answer:
    return Answer(data=None, errors=errors)
