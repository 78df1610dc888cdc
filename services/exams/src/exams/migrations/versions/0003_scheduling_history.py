"""when staff recorded an exam's schedule, and authorizations by their last valid day: the
scheduling queue's last days

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import certboard_core.db
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('exam_authorization') as batch_op:
        batch_op.add_column(sa.Column('schedule_recorded_at', certboard_core.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index('ix_exam_authorization_valid_through', 'exam_authorization', ['valid_through'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_exam_authorization_valid_through', table_name='exam_authorization')
    with op.batch_alter_table('exam_authorization') as batch_op:
        batch_op.drop_column('schedule_recorded_at')
