"""complaints and discipline; a suspension's last day on the certification

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
import certboard_core.db  # noqa: F401  (and certboard's column types)
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = ('dismissed', 'letter_of_warning', 'probation', 'suspension', 'revocation', 'voluntary_surrender')


def upgrade() -> None:
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_through', sa.Date(), nullable=True))
    op.create_table('complaint',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('certification_id', sa.Uuid(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('complainant_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('complainant_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('filed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('received_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('received', 'investigating', 'decided', name='complaintstatus', native_enum=False, length=32), nullable=False),
    sa.Column('investigator', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('investigation_note', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
    sa.Column('investigation_started_at', certboard_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum(*OUTCOMES, name='outcome', native_enum=False, length=32), nullable=True),
    sa.Column('reasons', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
    sa.Column('conditions', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('decided_at', certboard_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('appeal_until', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_complaint_certification_id_certification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_certification', ['certification_id'], unique=False)
        batch_op.create_index('ix_complaint_queue', ['status', 'received_at', 'id'], unique=False)
    op.create_table('complaint_attachment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('complaint_id', sa.Uuid(), nullable=False),
    sa.Column('storage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_attachment_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_attachment'))
    )
    with op.batch_alter_table('complaint_attachment', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_attachment_complaint', ['complaint_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('complaint_attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_attachment_complaint')
    op.drop_table('complaint_attachment')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_queue')
        batch_op.drop_index('ix_complaint_certification')
    op.drop_table('complaint')
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.drop_column('suspended_through')
