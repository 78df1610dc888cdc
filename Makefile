# certboard: `make run` starts everything on SQLite, `make test` runs every test.
# Needs only Python 3.11 and make: uv is installed into .tools/ on first use.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --locked --python 3.11

.PHONY: help run migrate run-postgres test crash load lint format sync sweep token schema clean backup restore

help:
	@echo "make run     start the three services, the gateway and the web console (SQLite, ./data)"
	@echo "make migrate  create and migrate each service's database on POSTGRES_URL"
	@echo "make run-postgres  start everything on those databases (make migrate first)"
	@echo "make test    run every test (SQLite and PostgreSQL at 127.0.0.1:5432)"
	@echo "make crash   kill services mid-delivery, with more events than make test (~2 min)"
	@echo "make load    20 clients writing for 30 s on SQLite and PostgreSQL (LOAD_SECONDS=30)"
	@echo "make lint    ruff, ruff format --check and mypy"
	@echo "make sweep   void, expire and send due reminders now (real time)"
	@echo "make token ROLE=applicant SUB=alice   mint a development token"
	@echo "make schema  regenerate schema.graphql (the gateway's development SDL)"
	@echo "make backup  dump every database and document store into backups/<time> (TO=dir)"
	@echo "make restore FROM=backups/<time>   load a backup into an empty system"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

sync: $(UV)
	$(UV) sync --locked --python 3.11 --quiet

run: sync
	$(RUN) certboard run

# One PostgreSQL server for every service: databases certboard_applications, _exams and
# _supervision on it (CERTBOARD_DATABASE_PREFIX changes the prefix).
POSTGRES_URL ?= $(or $(CERTBOARD_POSTGRES_URL),postgresql://postgres@127.0.0.1:5432)
migrate: sync
	$(RUN) certboard migrate all --postgres $(POSTGRES_URL)

run-postgres: sync
	$(RUN) certboard run --postgres $(POSTGRES_URL)

# One worker per core (`-n auto`), each test file on one worker (module fixtures are built
# once); TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= auto
test: sync
	$(RUN) pytest -n $(TEST_WORKERS) --dist loadfile

# The short forms run inside `make test`; these run them longer.
crash: sync
	CERTBOARD_CRASH_EVENTS=60 $(RUN) pytest tests/crash -m crash -v

LOAD_SECONDS ?= 30
load: sync
	CERTBOARD_LOAD_SECONDS=$(LOAD_SECONDS) $(RUN) pytest tests/crash -m load -v -s

lint: sync
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy libs/core/src libs/upload/src services/applications/src services/exams/src services/supervision/src gateway/src web/src

format: sync
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

sweep: sync
	$(RUN) certboard sweep

ROLE ?= applicant
SUB ?= alice
token: sync
	@$(RUN) certboard token --role $(ROLE) --sub $(SUB)

schema: sync
	$(RUN) python -m gateway.sdl schema.graphql

# Where `make run` keeps its state, unless CERTBOARD_<SERVICE>_DATABASE_URL and
# CERTBOARD_<SERVICE>_DOCUMENT_DIR say otherwise (README: Backups and restore).
TO ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup: sync
	$(RUN) certboard backup --to $(TO)

restore: sync
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/<folder>"; exit 2; }
	$(RUN) certboard restore --from $(FROM)

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
