"""docker-compose.yml against the code: every process it runs, every setting and health path it
names exists, and it has the shape the deployment needs (a database per service, migrations
first, health checks, documents on volumes, only the gateway and console published).

No container engine runs these checks: they read the file as compose would (PyYAML resolves
its anchors and merge keys the same way).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from .code import BACKEND_NAMES, NAMES, ROOT, SUBSCRIPTIONS, command_settings, env_names

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
# The only services not running the certboard image.
DATABASE = "postgres"
PUBLISHED = {"gateway", "web"}


def _runs(service: dict[str, Any]) -> list[str]:
    return list(service.get("command", []))


def _process_service(process: str) -> dict[str, Any]:
    (service,) = (s for s in SERVICES.values() if _runs(s) == [process])
    return service


def _named_volumes(service: dict[str, Any]) -> dict[str, str]:
    """Mount point -> named volume (bind mounts, which name a path, left out)."""
    mounts = (v.split(":") for v in service.get("volumes", []))
    return {m[1]: m[0] for m in mounts if not m[0].startswith((".", "/"))}


def test_every_service_runs_a_process_or_task_the_image_has() -> None:
    image = {name: s for name, s in SERVICES.items() if name != DATABASE}
    for name, service in image.items():
        assert service["image"] == "certboard:dev", name
        command_settings(_runs(service))  # raises for a command the image does not run
    processes = sorted(_runs(s)[0] for s in image.values() if _runs(s)[0] in NAMES)
    assert processes == sorted(NAMES)


@pytest.mark.parametrize("name", sorted(set(SERVICES) - {DATABASE}))
def test_every_setting_named_is_one_the_process_reads(name: str) -> None:
    service = SERVICES[name]
    named = {key for key in service.get("environment", {}) if key.startswith("CERTBOARD_")}
    assert named, name
    unknown = named - env_names(command_settings(_runs(service)))
    assert not unknown, f"{name} sets {sorted(unknown)}, which nothing reads"


@pytest.mark.parametrize("process", NAMES)
def test_every_process_is_health_checked_on_a_path_it_serves(
    process: str, serves: Callable[[str, str], bool]
) -> None:
    service = _process_service(process)
    test = service["healthcheck"]["test"]
    assert test[:3] == ["CMD", "certboard-entrypoint", "healthcheck"]
    assert serves(process, test[3]), f"{process} has no GET {test[3]}"
    assert service["restart"] == "unless-stopped"


@pytest.mark.parametrize("process", NAMES)
def test_processes_start_once_what_they_call_is_healthy(process: str) -> None:
    service = _process_service(process)
    env = service["environment"]
    called = {
        host for value in env.values() for host in re.findall(r"https?://([\w-]+)", str(value))
    }
    after = service["depends_on"]
    for host in called - {process}:
        # Outbox subscribers are retried, so a service need not wait for its subscribers.
        if process in SUBSCRIPTIONS and host in SUBSCRIPTIONS[process]:
            assert host in SERVICES
            continue
        assert after[host]["condition"] == "service_healthy", (process, host)


def test_outbox_subscribers_follow_the_subscriptions() -> None:
    for process, peers in SUBSCRIPTIONS.items():
        subscribers = json.loads(
            _process_service(process)["environment"]["CERTBOARD_OUTBOX_SUBSCRIBERS"]
        )
        assert sorted(subscribers) == sorted(peers)
        assert all(url == f"http://{peer}:8000" for peer, url in subscribers.items())


def test_postgres_keeps_its_data_on_a_named_volume_and_is_health_checked() -> None:
    postgres = SERVICES[DATABASE]
    assert _named_volumes(postgres)["/var/lib/postgresql/data"] in COMPOSE["volumes"]
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert "ports" not in postgres


def test_each_service_has_its_own_database_made_on_first_start_and_migrated_first() -> None:
    init = next(v for v in SERVICES[DATABASE]["volumes"] if "docker-entrypoint-initdb.d" in v)
    script = (ROOT / init.split(":")[0]).read_text()
    assert sorted(re.findall(r"CREATE DATABASE (\w+);", script)) == sorted(BACKEND_NAMES)
    for backend in BACKEND_NAMES:
        service = _process_service(backend)
        url = service["environment"]["CERTBOARD_DATABASE_URL"]
        assert (make_url(url).host, make_url(url).database) == (DATABASE, backend)
        (migration,) = (n for n, s in SERVICES.items() if _runs(s) == ["migrate", backend])
        assert SERVICES[migration]["environment"]["CERTBOARD_DATABASE_URL"] == url
        assert SERVICES[migration]["depends_on"][DATABASE]["condition"] == "service_healthy"
        assert service["depends_on"][DATABASE]["condition"] == "service_healthy"
        assert service["depends_on"][migration]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", sorted(set(SERVICES) - {DATABASE}))
def test_every_folder_a_service_is_given_is_a_named_volume(name: str) -> None:
    """The data folder (the development key), the documents: kept across restarts, shared."""
    service = SERVICES[name]
    mounted = _named_volumes(service)
    folders = {k: v for k, v in service["environment"].items() if k.endswith("_DIR")}
    assert folders, name
    for key, folder in folders.items():
        assert mounted.get(folder) in COMPOSE["volumes"], f"{name}: {key}={folder} is no volume"


def test_one_shot_tasks_have_no_health_check_and_servers_do() -> None:
    for name, service in SERVICES.items():
        if name != DATABASE and _runs(service)[0] not in NAMES:
            assert service["healthcheck"] == {"disable": True}, name


def test_only_the_gateway_and_the_console_are_published_and_on_loopback() -> None:
    published = {name for name, s in SERVICES.items() if s.get("ports")}
    assert published == PUBLISHED
    for name in published:
        assert all(p.startswith("127.0.0.1:") for p in SERVICES[name]["ports"]), name
