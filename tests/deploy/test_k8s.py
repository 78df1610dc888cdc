"""The Kubernetes manifests, as rendered (``kubectl kustomize`` of the production overlay, the
``rendered`` fixture): valid against the Kubernetes schemas, and in step with the code (every
process deployed, every sweep scheduled, every setting and probe path one the process has).
"""

from __future__ import annotations

from collections.abc import Callable

import kubernetes_validate
import pytest

from .code import BACKEND_NAMES, NAMES, ROOT, command_settings, env_names, has_module, sweeps
from .manifests import WORKLOADS, kind, pod_of, workloads

README = (ROOT / "deploy" / "README.md").read_text()
# The oldest Kubernetes the manifests support and the newest whose schemas kubernetes-validate
# ships: both must accept every document.
KUBERNETES = ("1.30.0", kubernetes_validate.latest_version())
# Read by uvicorn itself, not by certboard's settings: the services trust the gateway's
# X-Forwarded-For.
UVICORN = {"FORWARDED_ALLOW_IPS"}


def test_every_document_is_valid_against_the_kubernetes_schemas(rendered) -> None:
    for version in KUBERNETES:
        for doc in rendered:
            # strict: a misspelt or misplaced field is an error, not silently dropped.
            kubernetes_validate.validate(doc, version, strict=True)
    assert {d["kind"] for d in rendered} >= {*WORKLOADS, "Service", "PodDisruptionBudget"}


def test_every_process_runs_two_replicas_behind_a_service_and_a_disruption_budget(
    rendered,
) -> None:
    deployments = kind(rendered, "Deployment")
    services = kind(rendered, "Service")
    budgets = kind(rendered, "PodDisruptionBudget")
    assert sorted(deployments) == sorted(NAMES)
    for name, deployment in deployments.items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["replicas"] >= 2, name
        (container,) = pod_of(deployment)["containers"]
        assert container["args"] == [name]
        selector = services[name]["spec"]["selector"]
        assert selector.items() <= labels.items(), name
        ports = {p["name"] for p in container["ports"]}
        assert {p["targetPort"] for p in services[name]["spec"]["ports"]} <= ports
        budget = budgets[name]["spec"]
        assert budget["selector"]["matchLabels"].items() <= labels.items(), name
        assert budget["maxUnavailable"] < deployment["spec"]["replicas"], name


@pytest.mark.parametrize("process", NAMES)
def test_probes_ask_paths_the_process_serves(
    rendered, process: str, serves: Callable[[str, str], bool]
) -> None:
    (container,) = pod_of(kind(rendered, "Deployment")[process])["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        path = container[probe]["httpGet"]["path"]
        assert serves(process, path), f"{process}'s {probe} asks GET {path}, which it lacks"
    assert container["readinessProbe"] != container["livenessProbe"]


def test_every_service_is_migrated_by_a_job(rendered) -> None:
    jobs = kind(rendered, "Job")
    migrations = sorted(
        j["spec"]["template"]["spec"]["containers"][0]["args"] for j in jobs.values()
    )
    assert migrations == sorted(["migrate", name] for name in BACKEND_NAMES)


def test_every_sweep_is_scheduled_in_its_deployments_pod(rendered) -> None:
    cronjobs = kind(rendered, "CronJob")
    deployments = kind(rendered, "Deployment")
    pods = {}
    for cronjob in cronjobs.values():
        (container,) = pod_of(cronjob)["containers"]
        command = container["args"]
        assert command[:2] == ["python", "-m"], command
        assert has_module(command[2]), command
        pods[command[2]] = (pod_of(cronjob), container)
        assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    assert sorted(pods) == sorted(f"{name}.sweep" for name in sweeps())
    for name in sweeps():
        # The same settings (above all the database, and who hears the events it publishes)
        # and the same folders, which production checks for at start.
        pod, sweep = pods[f"{name}.sweep"]
        server_pod = pod_of(deployments[name])
        (server,) = server_pod["containers"]
        for key in ("env", "envFrom", "volumeMounts"):
            assert sweep[key] == server[key], (name, key)
        assert pod["volumes"] == server_pod["volumes"], name


def test_every_setting_named_is_one_the_process_reads(rendered) -> None:
    configmaps = kind(rendered, "ConfigMap")
    for workload, pod in workloads(rendered):
        for container in pod["containers"]:
            named = {e["name"] for e in container.get("env", [])}
            for source in container.get("envFrom", []):
                named |= set(configmaps[source["configMapRef"]["name"]]["data"])
            readable = env_names(command_settings(container["args"])) | UVICORN
            assert named - readable == set(), f"{workload} sets settings nothing reads"


def test_every_service_address_named_is_a_service(rendered) -> None:
    services = kind(rendered, "Service")
    for workload, pod in workloads(rendered):
        for container in pod["containers"]:
            for env in container.get("env", []):
                for word in env.get("value", "").replace('"', " ").split():
                    if word.startswith("http://"):
                        assert word.removeprefix("http://") in services, (workload, env)


def test_every_secret_referenced_is_documented(rendered) -> None:
    """The manifests hold no Secret; deploy/README.md says which to create, with which key."""
    assert "Secret" not in {d["kind"] for d in rendered}
    for workload, pod in workloads(rendered):
        refs = [
            (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
            for c in pod["containers"]
            for e in c.get("env", [])
            if "secretKeyRef" in e.get("valueFrom", {})
        ]
        refs += [(v["secret"]["secretName"], None) for v in pod.get("volumes", []) if "secret" in v]
        for name, key in refs:
            rows = [line for line in README.splitlines() if line.startswith(f"| `{name}` |")]
            assert rows, f"{workload} needs the Secret {name}, not in deploy/README.md"
            assert key is None or f"`{key}`" in rows[0], f"{name} has no key {key} in the README"


def test_every_pod_is_non_root_read_only_and_bounded(rendered) -> None:
    accounts = kind(rendered, "ServiceAccount")
    for workload, pod in workloads(rendered):
        assert pod["securityContext"]["runAsNonRoot"] is True, workload
        # No pod talks to the Kubernetes API, so none holds a token for it.
        assert accounts[pod["serviceAccountName"]]["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, workload
            assert security["allowPrivilegeEscalation"] is False, workload
            assert security["capabilities"]["drop"] == ["ALL"], workload
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, workload


def test_only_certboards_own_pods_reach_the_services(rendered) -> None:
    """The services trust X-Forwarded-For, so only certboard's pods may reach them."""
    policies = kind(rendered, "NetworkPolicy")
    callers: dict[str, set[str]] = {name: set() for name in BACKEND_NAMES}
    for deployment in kind(rendered, "Deployment").values():
        (container,) = pod_of(deployment)["containers"]
        for env in container.get("env", []):
            for backend in callers:
                if f"http://{backend}" in env.get("value", ""):
                    callers[backend].add(deployment["metadata"]["name"])
    assert callers["applications"] >= {"gateway", "exams", "supervision"}
    for backend, calling in callers.items():
        spec = policies[backend]["spec"]
        assert spec["podSelector"]["matchLabels"] == {"app": backend}
        (rule,) = spec["ingress"]
        (peer,) = rule["from"]
        (allowed,) = peer["podSelector"]["matchExpressions"]
        assert (allowed["key"], allowed["operator"]) == ("app", "In")
        assert calling <= set(allowed["values"]) <= {"gateway", *BACKEND_NAMES}, backend
