"""The Kubernetes manifests as the cluster would get them: ``kubectl kustomize`` of the
production overlay, read into documents, and ways to look into them."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from .code import ROOT

OVERLAY = ROOT / "deploy" / "k8s" / "overlays" / "production"
WORKLOADS = ("Deployment", "Job", "CronJob")


def render() -> list[dict[str, Any]]:
    """The overlay's documents. kubectl renders offline; without it the caller is skipped,
    except in CI, where a check that did not run must not pass for one that did."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("kubectl is needed to render deploy/k8s (CI runs every check)")
        pytest.skip("kubectl is not installed: the Kubernetes manifests were not checked")
    out = subprocess.run(
        [kubectl, "kustomize", str(OVERLAY)], capture_output=True, text=True, check=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def kind(rendered: list[dict[str, Any]], name: str) -> dict[str, dict[str, Any]]:
    """The rendered documents of the kind ``name``, by their names."""
    return {d["metadata"]["name"]: d for d in rendered if d["kind"] == name}


def pod_of(workload: dict[str, Any]) -> dict[str, Any]:
    """The pod spec of a Deployment, Job or CronJob."""
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: dict[str, Any] = spec["template"]["spec"]
    return pod


def workloads(rendered: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(kind/name, pod spec)`` of every workload."""
    for doc in rendered:
        if doc["kind"] in WORKLOADS:
            yield f"{doc['kind']}/{doc['metadata']['name']}", pod_of(doc)
