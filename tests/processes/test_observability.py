"""deploy/observability: the dashboard and the alert rules read only metrics that the
processes export, and the rules are well formed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI

import applications.config
import applications.main
import exams.config
import exams.main
import gateway.config
import gateway.main
import supervision.config
import supervision.main
import web.config
import web.main

FOLDER = Path(__file__).parents[2] / "deploy" / "observability"
# What the processes' client library exports beside certboard's own series.
PREFIXES = ("certboard_", "process_", "python_")
# A metric name in PromQL: a prefix of ours, not inside a label matcher's quotes.
NAME = re.compile(r"(?<![\w\"])((?:{})[a-z0-9_]+)".format("|".join(PREFIXES)))
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
}


def _apps(data_dir: Path) -> list[FastAPI]:
    common: dict[str, Any] = {"environment": "test", "data_dir": data_dir, "log_json": False}
    return [
        applications.main.create_app(applications.config.Settings(**common)),
        exams.main.create_app(exams.config.Settings(**common)),
        supervision.main.create_app(supervision.config.Settings(**common)),
        gateway.main.create_app(gateway.config.Settings(**common)),
        web.main.create_app(web.config.Settings(**common)),
    ]


def exported(data_dir: Path) -> set[str]:
    """Every series name some process can export (each family with its type's suffixes)."""
    names: set[str] = set()
    for app in _apps(data_dir):
        for family in app.state.metrics.registry.collect():
            names |= {family.name + s for s in SUFFIXES.get(family.type, ("",))}
            names |= {sample.name for sample in family.samples}
    return names


def expressions(node: Any) -> list[str]:
    """Every ``expr`` string anywhere in a parsed document."""
    if isinstance(node, dict):
        own = [node["expr"]] if isinstance(node.get("expr"), str) else []
        return own + [e for value in node.values() for e in expressions(value)]
    if isinstance(node, list):
        return [e for item in node for e in expressions(item)]
    return []


def test_alert_rules_are_well_formed_and_read_exported_metrics(tmp_path: Path) -> None:
    rules = yaml.safe_load((FOLDER / "alerts.yml").read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    names = {rule["alert"] for rule in alerts}
    assert {
        "CertboardOutboxBacklogAging",
        "CertboardWorkQueueBreachesRising",
        "CertboardHigh5xxRate",
    } <= names
    for rule in alerts:
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
    used = {name for expr in expressions(rules) for name in NAME.findall(expr)}
    assert used, "no metric names found in the rules"
    missing = used - exported(tmp_path)
    assert not missing, f"the alert rules read metrics nothing exports: {sorted(missing)}"


def test_the_dashboard_reads_exported_metrics(tmp_path: Path) -> None:
    dashboard = json.loads((FOLDER / "grafana-dashboard.json").read_text())
    assert dashboard["uid"] == "certboard-overview"
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])
    used = {
        name
        for expr in [*expressions(dashboard), dashboard["templating"]["list"][1]["definition"]]
        for name in NAME.findall(expr)
    }
    assert len(used) >= 8
    missing = used - exported(tmp_path)
    assert not missing, f"the dashboard reads metrics nothing exports: {sorted(missing)}"
