"""GraphQL errors with a stable ``extensions.code``, the same codes the services use."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class CodedError(Exception):
    """An expected failure; graphql-core copies ``extensions`` onto the GraphQL error."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        status: int | None = None,
        reasons: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.status = status
        self.extensions: dict[str, Any] = {"code": code}
        if field is not None:
            self.extensions["field"] = field
        if status is not None:
            self.extensions["status"] = status
        if reasons:
            # Every unmet condition of a refusal that has several, as the service listed them.
            self.extensions["reasons"] = reasons


def is_expected(error: GraphQLError) -> bool:
    """Errors we raised on purpose, and the schema's own parse/validation errors, are shown."""
    return error.original_error is None or isinstance(
        error.original_error, CodedError | GraphQLError
    )


def code_for_unlabelled(error: dict[str, Any]) -> str:
    """Codes for errors graphql-core raises itself (they carry no extensions of ours)."""
    message = str(error.get("message", ""))
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable "):
        return "BAD_USER_INPUT"
    if message.startswith("Maximum introspection depth exceeded"):
        return "QUERY_TOO_DEEP"  # strawberry's rule for lists nested in introspection
    if "path" not in error:
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL"
