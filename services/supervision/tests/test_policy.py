from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import ValidationError

from supervision.config import Settings
from supervision.main import create_app
from supervision.policy import LICENSE_LISTS, LicenseType, build_policy


class TestPresets:
    def test_ca_switches_every_supervision_rule_off(self) -> None:
        policy = build_policy("CA")
        assert policy.time_zone == "America/Los_Angeles"
        assert policy.supervision_required is False
        assert policy.weekly_supervision_required is False
        assert policy.worked_hours_per_supervision_hour is None
        assert policy.max_hours_worked_without_supervision is None
        assert policy.session_increment_minutes is None
        assert policy.min_years_post_licensure is None
        assert policy.min_supervision_ce_hours is None
        assert policy.accepted_license_types is None
        assert policy.records_retention_years is None

    def test_mt_numbers(self) -> None:
        policy = build_policy("mt")
        assert policy.board == "MT"
        assert str(policy.zone) == "America/Denver"
        assert policy.supervision_required is True
        assert policy.worked_hours_per_supervision_hour == 20
        assert policy.max_hours_worked_without_supervision == 40
        assert policy.session_increment_minutes == 15
        assert policy.weekly_supervision_required is False
        assert policy.min_years_post_licensure == 3
        assert policy.min_supervision_ce_hours == 20
        assert policy.records_retention_years == 7
        assert policy.accepted_license_types == LICENSE_LISTS["MT"]

    def test_policy_is_frozen(self) -> None:
        policy = build_policy("MT")
        with pytest.raises(ValidationError):
            policy.session_increment_minutes = 5  # type: ignore[misc]


class TestOverrides:
    def test_override_replaces_a_preset_value(self) -> None:
        policy = build_policy("MT", {"max_hours_worked_without_supervision": 30})
        assert policy.max_hours_worked_without_supervision == 30
        assert policy.worked_hours_per_supervision_hour == 20

    def test_override_switches_a_rule_on(self) -> None:
        policy = build_policy("MT", {"weekly_supervision_required": True})
        assert policy.weekly_supervision_required is True

    def test_override_switches_a_rule_off(self) -> None:
        policy = build_policy("MT", {"max_hours_worked_without_supervision": None})
        assert policy.max_hours_worked_without_supervision is None

    def test_license_names_become_enum_values(self) -> None:
        policy = build_policy("MT", {"accepted_license_types": ["physician"]})
        assert policy.accepted_license_types == (LicenseType.PHYSICIAN,)

    def test_unknown_preset_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown policy preset 'WA'"):
            build_policy("WA")

    def test_unknown_override_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="supervision_hours_per_week"):
            build_policy("MT", {"supervision_hours_per_week": 1})

    @pytest.mark.parametrize(
        "overrides",
        [
            {"session_increment_minutes": 0},
            {"worked_hours_per_supervision_hour": 0},
            {"accepted_license_types": ["astrologer"]},
            {"time_zone": "Mars/Olympus_Mons"},
        ],
    )
    def test_impossible_values_are_refused(self, overrides: dict[str, object]) -> None:
        with pytest.raises(ValidationError):
            build_policy("MT", overrides)

    def test_supervision_numbers_need_supervision_required(self) -> None:
        with pytest.raises(ValidationError, match="worked_hours_per_supervision_hour"):
            build_policy("CA", {"worked_hours_per_supervision_hour": 20})
        with pytest.raises(ValidationError, match="weekly_supervision_required"):
            build_policy("CA", {"weekly_supervision_required": True})

    def test_unknown_preset_stops_the_app_from_building(self, tmp_path) -> None:
        settings = Settings(environment="test", data_dir=tmp_path, policy_preset="XX")
        with pytest.raises(ValueError, match="unknown policy preset"):
            create_app(settings)


class TestPolicyEndpoint:
    async def test_anyone_reads_the_policy(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/policy")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["board"] == "CA"
        assert body["supervision_required"] is False
        assert body["worked_hours_per_supervision_hour"] is None

    async def test_configured_preset_and_overrides_are_served(
        self, settings: Settings, clock
    ) -> None:
        configured = settings.model_copy(
            update={"policy_preset": "MT", "policy_overrides": {"session_increment_minutes": 5}}
        )
        app = create_app(configured, clock=clock)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as http,
        ):
            body = (await http.get("/v1/policy")).json()
        assert body["board"] == "MT"
        assert body["session_increment_minutes"] == 5
        assert body["accepted_license_types"][0] == "physician"
        assert len(body["accepted_license_types"]) == 7


class TestHealth:
    async def test_healthz(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    async def test_readyz_reaches_the_database(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ready", "database": "ok"}
