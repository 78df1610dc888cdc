"""GraphQL figures for Prometheus: operations by name and type, errors by name and code.

Operation names are the client's words, so a label value is kept only if it is a GraphQL name
of at most ``MAX_NAME`` characters and one of the first ``MAX_NAMES`` distinct names seen;
anything else counts as ``other`` (unnamed operations as ``anonymous``), which keeps the
series few whatever callers send. Codes are the gateway's own stable set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from prometheus_client import Counter
from strawberry.extensions import SchemaExtension

from certboard_core.metrics import Metrics
from gateway.errors import code_for_unlabelled

MAX_NAMES = 200
MAX_NAME = 100
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
ANONYMOUS = "anonymous"
OTHER = "other"


class GraphQLMetrics:
    """The gateway's GraphQL counters, in the process's registry."""

    def __init__(self, metrics: Metrics) -> None:
        self.operations = Counter(
            "certboard_graphql_operations",
            "GraphQL operations run, by operation name and type (query, mutation).",
            ("operation", "type"),
            registry=metrics.registry,
        )
        self.errors = Counter(
            "certboard_graphql_errors",
            "Errors in GraphQL answers, by operation name and extensions.code.",
            ("operation", "code"),
            registry=metrics.registry,
        )
        self._names: set[str] = set()

    def name(self, given: str | None) -> str:
        """The label for an operation name: itself if kept, else ``anonymous`` or ``other``."""
        if not given:
            return ANONYMOUS
        if given in self._names:
            return given
        if len(given) > MAX_NAME or len(self._names) >= MAX_NAMES or not _NAME.fullmatch(given):
            return OTHER
        self._names.add(given)
        return given

    def record(self, operation: str | None, kind: str, errors: list[GraphQLError]) -> None:
        """Count one operation and each error of its answer."""
        name = self.name(operation)
        self.operations.labels(name, kind).inc()
        for error in errors:
            self.errors.labels(name, code_of(error)).inc()

    def refused(self, code: str) -> None:
        """Count a request refused before GraphQL ran (too large, bad JSON, bad token)."""
        self.errors.labels(OTHER, code).inc()


def code_of(error: GraphQLError) -> str:
    """The ``extensions.code`` the client sees for ``error``."""
    extensions: dict[str, Any] = error.extensions or {}
    code = extensions.get("code")
    return str(code) if code else code_for_unlabelled(error.formatted)  # type: ignore[arg-type]


class OperationMetrics(SchemaExtension):
    """Counts each operation and its errors once the answer is final (errors masked)."""

    def __init__(self, metrics: GraphQLMetrics) -> None:
        self.metrics = metrics

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except Exception:  # no document (it did not parse), or no operation of that name
            kind = "unknown"
        result = context.result
        errors = list(getattr(result, "errors", None) or context.pre_execution_errors or [])
        self.metrics.record(context.operation_name, kind, errors)
