"""Alembic environment of the supervision service."""

from certboard_core.migrations import run_env
from supervision.db import TABLES, metadata

run_env(metadata, TABLES)
