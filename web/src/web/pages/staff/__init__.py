"""The staff console: the dashboard of queues, the application work queue, the application page
and its decisions. Every page is for the staff role only; the gateway checks it again."""

from __future__ import annotations

from fastapi import APIRouter

from web.pages.staff import application, dashboard, decisions, queue, work

router = APIRouter()
for part in (dashboard, queue, application, decisions, work):
    router.include_router(part.router)
