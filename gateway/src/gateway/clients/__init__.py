"""Typed clients for the backend services, bound per request to the caller."""
