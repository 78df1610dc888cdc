"""The README's GraphQL examples, one per audience, stay valid against the schema."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import build_schema, parse, validate

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)


def test_every_graphql_example_in_the_readme_is_valid() -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text())
    examples = BLOCK.findall((ROOT / "README.md").read_text())
    assert len(examples) >= 5  # one per audience
    for example in examples:
        assert validate(schema, parse(example)) == [], example
