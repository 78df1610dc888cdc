"""`certboard`: each subcommand loads only what it needs, so a token comes at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import jwt

from certboard_core.devissuer import DEV_ISSUER, key_paths

# What made `certboard token` take seconds: the web, database and migration stacks.
HEAVY = {"fastapi", "starlette", "sqlalchemy", "sqlmodel", "alembic", "uvicorn", "strawberry",
         "pydantic", "pydantic_settings", "httpx"}  # fmt: skip

# Runs the subcommand as the console script does, then reports what it loaded.
TOKEN_THEN_MODULES = """
import json, sys
from certboard_core.cli import main
code = main(["token", "--role", "staff", "--sub", "sam", "--data-dir", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_a_token_loads_no_web_or_database_stack(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", TOKEN_THEN_MODULES, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    loaded = {name.partition(".")[0] for name in report["modules"]}
    assert "jwt" in loaded  # the check sees third-party imports at all
    assert loaded & HEAVY == set()
    claims = jwt.decode(
        done.stdout.strip(),
        key_paths(tmp_path)[1].read_bytes(),
        algorithms=["EdDSA"],
        audience="certboard-applications",
        issuer=DEV_ISSUER,
    )
    assert (claims["sub"], claims["roles"]) == ("sam", ["staff"])


def test_migrate_still_loads_alembic_when_it_needs_it(tmp_path: Path) -> None:
    env = {**os.environ, "CERTBOARD_DATA_DIR": str(tmp_path)}
    env.pop("CERTBOARD_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "certboard_core.cli", "migrate", "applications"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "applications: migrated\n"
    with sqlite3.connect(tmp_path / "applications.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() is not None
