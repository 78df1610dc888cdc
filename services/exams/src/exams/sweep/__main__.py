"""``python -m exams.sweep``: one sweep against the configured database, for a scheduler."""

from __future__ import annotations

import asyncio
import json

from certboard_core.clock import SystemClock
from certboard_core.db import create_engine, session_factory
from certboard_core.logging import configure_logging
from certboard_core.outbox import Outbox
from exams.config import get_settings
from exams.policy import build_policy
from exams.sweep.runner import sweep_once


async def main() -> None:
    """One sweep as of the system clock; prints what it did as JSON."""
    settings = get_settings()
    configure_logging(service="exams-sweep", level=settings.log_level, json=settings.log_json)
    engine = create_engine(settings.database_url)
    try:
        expired = await sweep_once(
            session_factory(engine),
            clock=SystemClock(),
            policy=build_policy(settings.policy_preset, settings.policy_overrides),
            outbox=Outbox(source=settings.service_name, subscribers=settings.outbox_subscribers),
        )
        print(json.dumps({"expired_unused": expired}))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
