"""Alembic environment of the exams service."""

from certboard_core.migrations import run_env
from exams.db import TABLES, metadata

run_env(metadata, TABLES)
