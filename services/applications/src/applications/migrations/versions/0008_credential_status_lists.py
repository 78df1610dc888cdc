"""Credential status lists: each certification's random index per list, and its flag

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
import certboard_core.db  # noqa: F401  (and certboard's column types)
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('credential_status',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('certification_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.Enum('revocation', 'suspension', name='statuspurpose', native_enum=False, length=32), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('updated_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_credential_status_certification_id_certification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_status')),
    sa.UniqueConstraint('certification_id', 'purpose', name=op.f('uq_credential_status_certification_id')),
    sa.UniqueConstraint('purpose', 'list_index', name=op.f('uq_credential_status_purpose'))
    )
    with op.batch_alter_table('credential_status', schema=None) as batch_op:
        batch_op.create_index('ix_credential_status_flagged', ['purpose', 'flagged', 'list_index'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('credential_status', schema=None) as batch_op:
        batch_op.drop_index('ix_credential_status_flagged')
    op.drop_table('credential_status')
