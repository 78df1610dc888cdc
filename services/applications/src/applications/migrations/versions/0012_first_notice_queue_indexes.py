"""the first-notice work queues' partial indexes: applications awaiting their first notice,
and those notified late

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text('first_notified_on IS NULL')
LATE = sa.text('first_notified_on > first_notification_due_on')
INDEXES = (
    ('ix_application_awaiting_first_notice', ['status', 'first_notification_due_on'], WAITING),
    ('ix_application_awaiting_first_notice_due', ['first_notification_due_on'], WAITING),
    ('ix_application_notified_late', ['first_notification_due_on'], LATE),
)


def upgrade() -> None:
    for name, columns, where in INDEXES:
        op.create_index(name, 'application', columns, unique=False, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, _, _ in INDEXES:
        op.drop_index(name, table_name='application')
