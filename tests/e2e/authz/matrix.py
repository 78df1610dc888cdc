"""The authorization matrix: who may call each operation, and on whose objects.

One ``Entry`` per GraphQL field of Query and Mutation and per route of every process's
OpenAPI (plus the framework's documentation routes, which OpenAPI does not list). The table
itself is in ``table_*.py``, one file per domain; ``test_matrix.py`` fails when an operation
has no entry or an entry names nothing, and calls every entry as every caller of ``CALLERS``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from certboard_core.roles import Role

from .world import CALLERS, OWNER, Call, World

Recipe = Callable[[World], Awaitable[Call]]

STAFF, APPLICANT, PROVIDER, SUPERVISOR, SERVICE, EMPLOYER = (
    Role.STAFF,
    Role.APPLICANT,
    Role.PROVIDER,
    Role.SUPERVISOR,
    Role.SERVICE,
    Role.EMPLOYER,
)
# What a caller is expected to get.
OK = "ok"  # an answer with data (or a refusal the entry names in ``accepts``)
HIDDEN = "hidden"  # another owner's object: NOT_FOUND, or a list without the owner's objects
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"


@dataclass(frozen=True)
class Own:
    """Owner scoping: a caller of ``role`` reaches only its own objects (staff reach all).

    ``listing``: the operation lists objects, so another owner gets a list without this
    owner's objects instead of NOT_FOUND.
    """

    role: Role
    what: str
    listing: bool = False
    # Other roles that own the same object too (a supervision agreement: peer and supervisor).
    also: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One operation: where it lives, who may call it, and how to call it (``recipe``)."""

    process: str  # "graphql", "gateway" or a service's name
    operation: str  # "Query.application", "Mutation.startReview" or "GET /v1/policy"
    allowed: frozenset[Role]
    recipe: Recipe  # builds the call, on objects of the owner (applicant A, provider X, ...)
    public: bool = False  # anyone, signed in or not
    own: Own | None = None
    # Domain refusals an allowed caller may get from the recipe's object (prefer none).
    accepts: tuple[str, ...] = ()
    # Served by the framework and absent from OpenAPI: checked against the app's routes.
    documented: bool = True

    @property
    def name(self) -> str:
        return f"{self.process} {self.operation}"

    def expected(self, caller: str) -> str:
        """What ``caller`` must get from this operation."""
        role = CALLERS[caller]
        if self.public:
            return OK
        if role is None:
            return UNAUTHENTICATED
        if role not in self.allowed:
            return FORBIDDEN
        owners = () if self.own is None else (self.own.role, *self.own.also)
        if role in owners and caller != OWNER[role]:
            return HIDDEN
        return OK


def field(
    parent: str,
    name: str,
    *roles: Role,
    own: Own | None = None,
    recipe: Recipe,
    accepts: tuple[str, ...] = (),
) -> Entry:
    """A GraphQL field of ``parent``: Query, Mutation, or a type whose fields ask their own
    role (``Me``)."""
    return Entry("graphql", f"{parent}.{name}", frozenset(roles), recipe, own=own, accepts=accepts)


def query(
    name: str, *roles: Role, own: Own | None = None, recipe: Recipe, accepts: tuple[str, ...] = ()
) -> Entry:
    """A GraphQL query field."""
    return field("Query", name, *roles, own=own, recipe=recipe, accepts=accepts)


def mutation(
    name: str, *roles: Role, own: Own | None = None, recipe: Recipe, accepts: tuple[str, ...] = ()
) -> Entry:
    """A GraphQL mutation field."""
    return field("Mutation", name, *roles, own=own, recipe=recipe, accepts=accepts)


def route(
    process: str,
    operation: str,
    *roles: Role,
    own: Own | None = None,
    recipe: Recipe,
    accepts: tuple[str, ...] = (),
) -> Entry:
    """A route of a service's (or the gateway's) OpenAPI: ``"METHOD /path"``."""
    return Entry(process, operation, frozenset(roles), recipe, own=own, accepts=accepts)


def public(process: str, operation: str, *, recipe: Recipe, documented: bool = True) -> Entry:
    """An operation anyone may call, signed in or not."""
    return Entry(process, operation, frozenset(), recipe, public=True, documented=documented)


def fixed(call: Call) -> Recipe:
    """A recipe for a call that needs no object made first."""

    async def recipe(world: World) -> Call:
        return call

    return recipe


def versioned(field: str, **arguments: tuple[str, Any]) -> tuple[str, dict[str, Any]]:
    """``mutation { field(id: $id, expectedVersion: $v, ...) }`` and its fixed variables;
    ``arguments``: name=(GraphQL type, value)."""
    declared = "".join(f", ${name}: {kind}" for name, (kind, _) in arguments.items())
    passed = "".join(f", {name}: ${name}" for name in arguments)
    text = (
        f"mutation($id: ID!, $v: Int!{declared}) "
        f"{{ {field}(id: $id, expectedVersion: $v{passed}) {{ __typename }} }}"
    )
    return text, {name: value for name, (_, value) in arguments.items()}
