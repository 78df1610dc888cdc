"""The staff console: the dashboard of queues, the application work queue, the application page
and its decisions. Every page is for the staff role only; the gateway checks it again."""

from __future__ import annotations

from fastapi import APIRouter

from web.pages.staff import application, dashboard, decisions, queue

router = APIRouter()
for part in (dashboard, queue, application, decisions):
    router.include_router(part.router)
