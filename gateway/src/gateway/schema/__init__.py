"""The one GraphQL schema over the three services."""
