"""How deep, how wide and how aliased one GraphQL operation may be, measured with each
fragment once; each refusal has its own ``extensions.code``.

strawberry's own depth and alias limiters skip introspection fields, walk a fragment again at
every spread (a chain of fragments that each spread the previous twice costs 2^n walks) and
fail on a spread of an undefined fragment; this rule does none of that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from graphql import (
    SKIP,
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VisitorAction,
)


@dataclass(frozen=True)
class OperationLimits:
    """The most an operation may nest, ask at its root and alias; introspection nests by its
    own allowance."""

    max_depth: int
    max_introspection_depth: int
    max_aliases: int
    max_root_fields: int


@dataclass(frozen=True)
class _Measure:
    depth: int
    aliases: int


class _Measurer:
    """Depth and alias count of selection sets; a fragment is measured once and remembered."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._known: dict[str, _Measure] = {}
        self._open: set[str] = set()

    def selections(self, selection_set: SelectionSetNode) -> _Measure:
        """The deepest nesting below ``selection_set`` (0 for leaves) and its aliases."""
        depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                if selection.selection_set is None:
                    continue
                inner = self.selections(selection.selection_set)
                inner = _Measure(1 + inner.depth, inner.aliases)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selections(selection.selection_set)
            else:
                inner = self._fragment(cast(FragmentSpreadNode, selection).name.value)
            depth = max(depth, inner.depth)
            aliases += inner.aliases
        return _Measure(depth, aliases)

    def _fragment(self, name: str) -> _Measure:
        fragment = self._fragments.get(name)
        # Undefined fragments and cycles are refused by graphql-core's own rules.
        if fragment is None or name in self._open:
            return _Measure(0, 0)
        if name not in self._known:
            self._open.add(name)
            self._known[name] = self.selections(fragment.selection_set)
            self._open.discard(name)
        return self._known[name]

    def root_fields(self, selection_set: SelectionSetNode) -> list[FieldNode]:
        """The operation's root fields, whether written there or spread in by fragments."""
        fields: list[FieldNode] = []
        pending = [selection_set]
        seen: set[str] = set()
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    fields.append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name not in seen and name in self._fragments:
                        seen.add(name)
                        pending.append(self._fragments[name].selection_set)
        return fields


def _depth_of(field: FieldNode, measurer: _Measurer) -> int:
    if field.selection_set is None:
        return 0
    return 1 + measurer.selections(field.selection_set).depth


def operation_limits_rule(limits: OperationLimits) -> type[ASTValidationRule]:
    """A validation rule refusing operations deeper, wider or more aliased than ``limits``."""

    class OperationLimitsRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            self._measurer = _Measurer(fragments)

        # Measured while graphql-core visits, not before: it aborts first on documents nested
        # (through fragments too) deeper than its parser allows, so this walk stays shallow.
        def enter_operation_definition(
            self, operation: OperationDefinitionNode, *_args: object
        ) -> VisitorAction:
            self._check(operation)
            return SKIP

        def _check(self, operation: OperationDefinitionNode) -> None:
            measurer = self._measurer
            name = operation.name.value if operation.name else "anonymous"
            roots = measurer.root_fields(operation.selection_set)
            for field in roots:
                introspection = field.name.value.startswith("__")
                allowed = limits.max_introspection_depth if introspection else limits.max_depth
                depth = _depth_of(field, measurer)
                if depth > allowed:
                    what = "introspection" if introspection else "operation"
                    self.report_error(
                        GraphQLError(
                            f"'{name}' is nested {depth} levels deep; {what} allows {allowed}",
                            field,
                            extensions={"code": "QUERY_TOO_DEEP"},
                        )
                    )
                    return
            if len(roots) > limits.max_root_fields:
                self.report_error(
                    GraphQLError(
                        f"'{name}' asks for {len(roots)} root fields; at most "
                        f"{limits.max_root_fields} are allowed",
                        operation,
                        extensions={"code": "TOO_MANY_ROOT_FIELDS"},
                    )
                )
                return
            aliases = measurer.selections(operation.selection_set).aliases
            if aliases > limits.max_aliases:
                self.report_error(
                    GraphQLError(
                        f"'{name}' has {aliases} aliases; at most {limits.max_aliases} are allowed",
                        operation,
                        extensions={"code": "TOO_MANY_ALIASES"},
                    )
                )

    return OperationLimitsRule
