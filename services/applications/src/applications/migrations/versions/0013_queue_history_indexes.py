"""the queues' history indexes: the first-notice queue's stays by their days; what left the
certificate review, unmatched, CE verification and incomplete queues; certifications by their
last valid day

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text('first_notified_on IS NULL')
NOTIFIED = sa.text('first_notified_on IS NOT NULL')
REVIEWED = sa.text('reviewed_at IS NOT NULL')
MATCHED_LATER = sa.text('matched_at > received_at')
INDEXES = (
    ('ix_application_first_notice_waiting', 'application', ['submitted_on', 'first_notification_due_on', 'status'], WAITING),
    ('ix_application_first_notice_sent', 'application', ['first_notified_on', 'submitted_on', 'first_notification_due_on'], NOTIFIED),
    ('ix_training_certificate_reviewed', 'training_certificate', ['reviewed_at'], REVIEWED),
    ('ix_training_certificate_matched_later', 'training_certificate', ['matched_at'], MATCHED_LATER),
    ('ix_ce_record_reviewed', 'ce_record', ['reviewed_at'], REVIEWED),
    ('ix_revision_request_resolved', 'revision_request', ['resolved_at'], None),
    ('ix_certification_valid_through', 'certification', ['valid_through', 'status'], None),
)


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, unique=False, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
