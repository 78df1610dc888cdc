"""The fields to execute under each object of an operation, worked out once per operation.

graphql-core collects an object's subfields (walking its selection set, following fragments,
evaluating ``@skip``/``@include``) once per request and object type; for the status view that
walk was a tenth of the gateway's CPU at a steady 100 requests/s. Clients send the same few
operations again and again, and their documents are kept (``operation_cache.py``), so the
collected subfields of an operation are kept with it and reused by the next request.

Only operations with no directive anywhere in their selections are kept: a directive's
arguments may take variables (``@skip(if: $x)``), and then the fields differ by request. The
collected fields hold the operation's own nodes, keyed by their identity; an entry keeps its
operation alive, so those identities stay its own. At most ``size`` operations are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.execution.collect_fields import CollectedFields, FragmentDetails

# The key under which the schema's cache is kept in the graphql-core schema's ``extensions``.
SUBFIELDS = "certboard.subfields"
# An object type's name and the identities of the field nodes whose selections it collects.
Key = tuple[str, tuple[int, ...]]


def _selection_sets(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDetails], seen: set[str]
) -> Iterator[SelectionSetNode]:
    yield selection_set
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                yield from _selection_sets(
                    fragments[name].definition.selection_set, fragments, seen
                )
        elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set:
            yield from _selection_sets(selection.selection_set, fragments, seen)


def without_directives(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDetails]
) -> bool:
    """Whether no selection of ``operation`` (fragments included) carries a directive."""
    return not any(
        selection.directives
        for selection_set in _selection_sets(operation.selection_set, fragments, set())
        for selection in selection_set.selections
    )


class SubfieldCache:
    """Collected subfields per operation, for the ``size`` operations most recently run."""

    def __init__(self, size: int) -> None:
        self.size = size
        # By the operation's identity: the operation itself (kept alive) and its entries, or
        # None for an operation whose fields may differ by request.
        self._operations: OrderedDict[
            int, tuple[OperationDefinitionNode, dict[Key, CollectedFields] | None]
        ] = OrderedDict()

    def of(
        self, operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDetails]
    ) -> dict[Key, CollectedFields] | None:
        """The entries of ``operation``; None when its fields may differ by request."""
        found = self._operations.get(id(operation))
        if found is not None and found[0] is operation:
            self._operations.move_to_end(id(operation))
            return found[1]
        if self.size == 0:
            return None
        entries: dict[Key, CollectedFields] | None = (
            {} if without_directives(operation, fragments) else None
        )
        self._operations[id(operation)] = (operation, entries)
        while len(self._operations) > self.size:
            self._operations.popitem(last=False)
        return entries
