"""employers who follow certifications, and their alerts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:24:21
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
import certboard_core.db  # noqa: F401  (and certboard's column types)
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('employer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('alert_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('webhook_url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('webhook_secret', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer')),
    sa.UniqueConstraint('subject', name=op.f('uq_employer_subject'))
    )
    op.create_table('employer_alert',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('employer_id', sa.Uuid(), nullable=False),
    sa.Column('enrolment_id', sa.Uuid(), nullable=False),
    sa.Column('certification_id', sa.Uuid(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sa.Enum('status_changed', 'expiring', 'renewed', 'disciplined', name='alertkind', native_enum=False, length=32), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_employer_alert_certification_id_certification')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employer_alert_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_alert')),
    sa.UniqueConstraint('enrolment_id', 'dedupe_key', name=op.f('uq_employer_alert_enrolment_id'))
    )
    with op.batch_alter_table('employer_alert', schema=None) as batch_op:
        batch_op.create_index('ix_employer_alert_listing', ['employer_id', 'created_at', 'id'], unique=False)

    op.create_table('employer_enrolment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('employer_id', sa.Uuid(), nullable=False),
    sa.Column('certification_id', sa.Uuid(), nullable=False),
    sa.Column('enrolled_at', certboard_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enrolled_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certification.id'], name=op.f('fk_employer_enrolment_certification_id_certification')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employer_enrolment_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_enrolment')),
    sa.UniqueConstraint('employer_id', 'certification_id', name=op.f('uq_employer_enrolment_employer_id'))
    )
    with op.batch_alter_table('employer_enrolment', schema=None) as batch_op:
        batch_op.create_index('ix_employer_enrolment_certification', ['certification_id'], unique=False)
        batch_op.create_index('ix_employer_enrolment_listing', ['employer_id', 'enrolled_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('employer_enrolment', schema=None) as batch_op:
        batch_op.drop_index('ix_employer_enrolment_listing')
        batch_op.drop_index('ix_employer_enrolment_certification')

    op.drop_table('employer_enrolment')
    with op.batch_alter_table('employer_alert', schema=None) as batch_op:
        batch_op.drop_index('ix_employer_alert_listing')

    op.drop_table('employer_alert')
    op.drop_table('employer')
