"""certification renewals, and the renewal each fee paid for

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
import certboard_core.db  # noqa: F401  (and certboard's column types)
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('certification_renewal',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('certification_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('on_time', 'late', 'reinstatement', name='renewalkind', native_enum=False, length=32), nullable=False),
    sa.Column('renewed_on', sa.Date(), nullable=False),
    sa.Column('previous_valid_through', sa.Date(), nullable=False),
    sa.Column('valid_through', sa.Date(), nullable=False),
    sa.Column('ce_attested', sa.Boolean(), nullable=False),
    sa.Column('code_of_ethics_signed', sa.Boolean(), nullable=False),
    sa.Column('ce_earned_hundredths', sa.Integer(), nullable=False),
    sa.Column('ce_still_needed_hundredths', sa.Integer(), nullable=False),
    sa.Column('fees_cents', sa.Integer(), nullable=False),
    sa.Column('audit_required', sa.Boolean(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_certification_renewal_certification_id_certification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification_renewal')),
    sa.UniqueConstraint('certification_id', 'previous_valid_through', name=op.f('uq_certification_renewal_certification_id'))
    )
    with op.batch_alter_table('certification_renewal', schema=None) as batch_op:
        batch_op.create_index('ix_certification_renewal_period', ['previous_valid_through'], unique=False)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payment_renewal_id_certification_renewal'), 'certification_renewal', ['renewal_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_renewal_id_certification_renewal'), type_='foreignkey')
        batch_op.drop_column('renewal_id')
    with op.batch_alter_table('certification_renewal', schema=None) as batch_op:
        batch_op.drop_index('ix_certification_renewal_period')
    op.drop_table('certification_renewal')
