from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import ValidationError

from certboard_core.clock import TestClock
from exams.config import Settings
from exams.main import create_app
from exams.policy import PRESETS, ExamPolicy, build_policy


class TestPresets:
    def test_ca(self) -> None:
        policy = build_policy("CA")
        assert policy == ExamPolicy(
            board="CA",
            time_zone="America/Los_Angeles",
            items_per_exam=120,
            duration_minutes=150,
            pass_mark_percent=80,
            max_attempts_in_approval_period=3,
            retake_requires_new_training=False,
            accommodation_review_days=30,
            authorization_window_days=90,
            scheduling_review_days=14,
            unused_authorization_uses_attempt=True,
            result_notice_min_days=7,
            result_notice_max_days=14,
        )
        assert policy.zone.key == "America/Los_Angeles"

    def test_mt_differs_in_zone_attempts_and_retakes(self) -> None:
        ca, mt = build_policy("CA"), build_policy("MT")
        differing = {
            name for name in ExamPolicy.model_fields if getattr(ca, name) != getattr(mt, name)
        }
        assert differing == {
            "board",
            "time_zone",
            "max_attempts_in_approval_period",
            "retake_requires_new_training",
        }
        assert mt.time_zone == "America/Denver"
        assert mt.max_attempts_in_approval_period == 1
        assert mt.retake_requires_new_training is True

    def test_preset_names_are_case_insensitive(self) -> None:
        assert build_policy("mt") == build_policy("MT")

    def test_every_preset_is_valid(self) -> None:
        assert {build_policy(name).board for name in PRESETS} == set(PRESETS)


class TestOverrides:
    def test_override_replaces_one_number(self) -> None:
        policy = build_policy("MT", {"pass_mark_percent": 75, "max_attempts_in_approval_period": 2})
        assert policy.pass_mark_percent == 75
        assert policy.max_attempts_in_approval_period == 2
        assert policy.time_zone == "America/Denver"

    def test_unknown_preset_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown policy preset 'WA'"):
            build_policy("WA")

    def test_unknown_override_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="pass_mark"):
            build_policy("CA", {"pass_mark": 70})

    @pytest.mark.parametrize(
        "override",
        [
            {"pass_mark_percent": 101},
            {"pass_mark_percent": -1},
            {"max_attempts_in_approval_period": 0},
            {"items_per_exam": 0},
            {"time_zone": "America/Nowhere"},
        ],
    )
    def test_impossible_values_are_refused(self, override: dict[str, object]) -> None:
        with pytest.raises(ValidationError):
            build_policy("CA", override)

    def test_policy_is_frozen(self) -> None:
        with pytest.raises(ValidationError):
            build_policy("CA").pass_mark_percent = 50  # type: ignore[misc]


class TestPolicyEndpoint:
    async def test_anyone_reads_the_active_policy(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/policy")
        assert response.status_code == 200, response.text
        assert response.json() == build_policy("CA").model_dump(mode="json")

    async def test_shows_the_configured_preset_and_overrides(
        self, settings: Settings, clock: TestClock
    ) -> None:
        configured = settings.model_copy(
            update={"policy_preset": "MT", "policy_overrides": {"pass_mark_percent": 75}}
        )
        app = create_app(configured, clock=clock)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://exams"
            ) as http,
        ):
            body = (await http.get("/v1/policy")).json()
        assert body["board"] == "MT"
        assert body["pass_mark_percent"] == 75
        assert body["retake_requires_new_training"] is True

    def test_a_bad_preset_stops_the_app_from_building(self, tmp_path: Path) -> None:
        settings = Settings(environment="test", data_dir=tmp_path, policy_preset="XX")
        with pytest.raises(ValueError, match="unknown policy preset 'XX'"):
            create_app(settings)


class TestHealth:
    async def test_healthz(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    async def test_readyz_reaches_the_database(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ready", "database": "ok"}
