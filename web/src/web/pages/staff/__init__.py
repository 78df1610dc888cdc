"""The staff console: the dashboard of queues, the application work queue, the application page
and its decisions, every other list with its decisions (work.py), and the providers and exam
forms staff read (catalogue.py) and change (catalogue_actions.py). Every page is for the staff
role only; the gateway checks it again."""

from __future__ import annotations

from fastapi import APIRouter

from web.pages.staff import (
    application,
    catalogue,
    catalogue_actions,
    dashboard,
    decisions,
    documents,
    queue,
    work,
)

router = APIRouter()
PARTS = (dashboard, queue, application, decisions, documents, work, catalogue, catalogue_actions)
for part in PARTS:
    router.include_router(part.router)
