"""CE audits and their draws

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
import certboard_core.db  # noqa: F401  (and certboard's column types)
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ce_audit_draw',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('periods_from', sa.Date(), nullable=False),
    sa.Column('periods_to', sa.Date(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('selected', sa.Integer(), nullable=False),
    sa.Column('drawn_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('drawn_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_audit_draw'))
    )
    op.create_table('ce_audit',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('renewal_id', sa.Uuid(), nullable=False),
    sa.Column('certification_id', sa.Uuid(), nullable=False),
    sa.Column('applicant_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('draw_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('awaiting_proof', 'proof_submitted', 'deficient', 'accepted', 'referred', name='auditstatus', native_enum=False, length=32), nullable=False),
    sa.Column('proof_due_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('cure_due_on', sa.Date(), nullable=True),
    sa.Column('proof_storage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('proof_content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('proof_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('proof_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('proof_received_at', certboard_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('reviewed_at', certboard_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_ce_audit_certification_id_certification')),
    sa.ForeignKeyConstraint(['draw_id'], ['ce_audit_draw.id'], name=op.f('fk_ce_audit_draw_id_ce_audit_draw')),
    sa.ForeignKeyConstraint(['renewal_id'], ['certification_renewal.id'], name=op.f('fk_ce_audit_renewal_id_certification_renewal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_audit')),
    sa.UniqueConstraint('renewal_id', name=op.f('uq_ce_audit_renewal_id'))
    )
    with op.batch_alter_table('ce_audit', schema=None) as batch_op:
        batch_op.create_index('ix_ce_audit_applicant', ['applicant_id'], unique=False)
        batch_op.create_index('ix_ce_audit_queue', ['status', 'due_on', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ce_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_ce_audit_queue')
        batch_op.drop_index('ix_ce_audit_applicant')
    op.drop_table('ce_audit')
    op.drop_table('ce_audit_draw')
