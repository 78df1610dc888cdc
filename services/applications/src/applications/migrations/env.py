"""Alembic environment of the applications service."""

from applications.db import TABLES, metadata
from certboard_core.migrations import run_env

run_env(metadata, TABLES)
