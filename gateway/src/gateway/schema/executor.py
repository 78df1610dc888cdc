"""Plain fields resolved without graphql-core's per-field machinery.

Most of what the gateway answers is plain data: an attribute of an object built from a
service's JSON, a string, a day, an enum. graphql-core still treats each such field as if it
had a resolver: it builds a resolve-info record (fourteen entries and a list of nodes), calls
strawberry's default resolver through two wrappers, then walks the type (non-null, list, leaf)
to coerce the value. For the applicant's status view that was most of the execution time.

A field is plain when strawberry resolves it by attribute (no resolver, no field extension)
and its type is a scalar or enum, or a list of them. Such a field is read and coerced here
directly. Anything unusual (a null where the type forbids it, a value the scalar refuses, a
graphql middleware) takes graphql-core's own path, which reports it exactly as before.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import CollectedFields, FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path, UndefinedType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.types.field import StrawberryField

from gateway.schema.subfields import SUBFIELDS, SubfieldCache

# The key in a graphql-core field's ``extensions`` under which its plain reading is kept.
PLAIN = "certboard.plain"


@dataclass(frozen=True, slots=True)
class PlainField:
    """How to answer a plain field: the attribute to read and the leaf type to coerce with;
    ``listed`` for a list of leaves, ``nullable`` where null is an answer."""

    attribute: str
    leaf: GraphQLLeafType
    listed: bool
    nullable: bool
    # An enum's names by member: strawberry's own coercion scans every value per answer.
    names: Mapping[enum.Enum, str] | None = None


def _plain_field(field: GraphQLField) -> PlainField | None:
    definition = field.extensions.get("strawberry-definition")
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    kind: GraphQLOutputType = field.type
    nullable = not isinstance(kind, GraphQLNonNull)
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    listed = isinstance(kind, GraphQLList)
    if isinstance(kind, GraphQLList):
        # Only lists of non-null leaves: a null item would need graphql-core's error path.
        if not isinstance(kind.of_type, GraphQLNonNull):
            return None
        kind = kind.of_type.of_type
    if not isinstance(kind, GraphQLLeafType):
        return None
    names = None
    if isinstance(kind, CustomGraphQLEnumType):
        by_value = {value.value: name for name, value in kind.values.items()}
        members: list[enum.Enum] = list(kind.wrapped_cls)
        names = {member: by_value[member.value] for member in members}
    return PlainField(definition.python_name, kind, listed, nullable, names)


def mark_plain_fields(schema: GraphQLSchema) -> int:
    """Record each plain field's reading on the field itself; how many were marked."""
    marked = 0
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for field in named.fields.values():
            plain = _plain_field(field)
            if plain is not None:
                field.extensions[PLAIN] = plain
                marked += 1
    return marked


class _Refused(Exception):
    """The value needs graphql-core's own path (and its error, if it is one)."""


def _coerce(plain: PlainField, value: Any) -> Any:
    if plain.names is not None:
        # A member of another enum, or a bare value, is not in ``names``: the usual path.
        return plain.names[value]
    coerced = plain.leaf.coerce_output_value(value)
    if coerced is None or coerced is Undefined:
        raise _Refused
    return coerced


def _answer(plain: PlainField, source: Any) -> Any:
    value = getattr(source, plain.attribute)
    if value is None:
        if plain.nullable:
            return None
        raise _Refused
    if not plain.listed:
        return _coerce(plain, value)
    if isinstance(value, (str, bytes, dict)):
        raise _Refused
    return [_coerce(plain, item) for item in value]


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, answering plain fields directly and collecting each
    object's subfields once per operation (``subfields.py``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cache: SubfieldCache | None = self.schema.extensions.get(SUBFIELDS)
        self._kept = cache.of(self.operation, self.fragments) if cache else None

    def collect_subfields(
        self, return_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> CollectedFields:
        kept = self._kept
        if kept is None:
            return super().collect_subfields(return_type, field_details_list)
        key = (return_type.name, tuple(id(details.node) for details in field_details_list))
        found = kept.get(key)
        if found is None:
            found = kept[key] = super().collect_subfields(return_type, field_details_list)
        return found

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        field = parent_type.fields.get(field_details_list[0].node.name.value)
        plain: PlainField | None = field.extensions.get(PLAIN) if field is not None else None
        # strawberry always passes a middleware manager, empty unless an extension resolves.
        manager = self.middleware_manager
        if plain is not None and (manager is None or not manager.middlewares):
            # Whatever does not fit (and its error) is graphql-core's path below.
            with contextlib.suppress(Exception):
                return _answer(plain, source)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
