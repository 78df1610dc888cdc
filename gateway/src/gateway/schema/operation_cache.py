"""Each distinct operation is parsed and validated once, not on every request.

Parsing and validating the applicant's status query cost the gateway more than executing it
(graphql-core walks the whole document with every validation rule). Clients send the same few
operation texts over and over, so the document of a text that passed validation is kept and
reused: the next request with that text skips both steps. Only valid operations are kept, and
only texts up to ``MAX_TEXT`` characters, in a bounded LRU, so odd or hostile queries cannot
grow it: they are parsed and validated each time, as before. The rules (depth, aliases,
tokens, introspection) are fixed per schema, so a text valid once is valid every time; each
schema has its own cache.

strawberry's ``ParserCache`` and ``ValidationCache`` do each step apart, but the latter keys
its cache on the parsed document, which graphql-core hashes node by node on every lookup.
The gateway's own limits (the token count the parser stops at, its validation rules) are set
here too, and only when a text is parsed and validated: strawberry's ``MaxTokensLimiter`` and
``AddValidationRules`` would each cost every request an extension's hooks for nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence

from graphql import ASTValidationRule, DocumentNode
from strawberry.extensions import SchemaExtension

# Longer texts are not kept: real clients' operations are a few KiB at most.
MAX_TEXT = 16 * 1024


class OperationCache:
    """Validated documents by their operation text, the ``size`` most recently used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, text: str) -> DocumentNode | None:
        """The document of ``text`` if it is kept (it is then the most recently used)."""
        document = self._documents.get(text)
        if document is not None:
            self._documents.move_to_end(text)
        return document

    def keep(self, text: str, document: DocumentNode) -> None:
        """Keep the validated ``document`` of ``text``, dropping the least recently used."""
        if len(text) > MAX_TEXT or self.size == 0:
            return
        self._documents[text] = document
        self._documents.move_to_end(text)
        while len(self._documents) > self.size:
            self._documents.popitem(last=False)


class CachedOperations(SchemaExtension):
    """Reuses the parsed and validated document of an operation text seen before; a new text
    is parsed with at most ``max_tokens`` tokens and validated with ``rules`` as well."""

    def __init__(
        self,
        cache: OperationCache,
        *,
        max_tokens: int,
        rules: Sequence[type[ASTValidationRule]],
    ) -> None:
        self.cache = cache
        self.max_tokens = max_tokens
        self.rules = tuple(rules)
        self.hit = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        document = self.cache.get(context.query) if context.query else None
        if document is not None:
            # strawberry parses only when no document is set yet.
            context.graphql_document = document
            self.hit = True
        else:
            context.parse_options["max_tokens"] = self.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.hit:
            # strawberry validates only while no errors (not even an empty list) are set.
            context.pre_execution_errors = []
        else:
            context.validation_rules = (*context.validation_rules, *self.rules)
        yield
        if (
            not self.hit
            and context.query
            and context.graphql_document is not None
            and context.pre_execution_errors == []
        ):
            self.cache.keep(context.query, context.graphql_document)
