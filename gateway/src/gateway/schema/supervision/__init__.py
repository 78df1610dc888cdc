"""Supervision: no GraphQL operations yet; its types, enums, queries and loaders go here."""
