"""``python -m supervision.sweep``: one sweep against the configured database, for a scheduler."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict

from certboard_core.clock import SystemClock
from certboard_core.db import create_engine, session_factory
from certboard_core.logging import configure_logging
from certboard_core.outbox import Outbox
from supervision.compliance.sweep import sweep_once
from supervision.config import get_settings
from supervision.policy import build_policy


async def main() -> None:
    """One sweep as of the system clock; prints what it did as JSON."""
    settings = get_settings()
    configure_logging(service="supervision-sweep", level=settings.log_level, json=settings.log_json)
    engine = create_engine(settings.database_url)
    try:
        # Events are only written here; the running services' dispatchers deliver them.
        result = await sweep_once(
            session_factory(engine),
            clock=SystemClock(),
            policy=build_policy(settings.policy_preset, settings.policy_overrides),
            outbox=Outbox(source=settings.service_name, subscribers=settings.outbox_subscribers),
        )
        print(json.dumps(asdict(result)))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
