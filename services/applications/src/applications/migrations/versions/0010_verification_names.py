"""public verification by name: each certification's name keys, and their index

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:40:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    # A frozen copy of applications.certification.names.name_key as it was when this ran: a
    # migration must not change meaning when the application's code does.
    decomposed = unicodedata.normalize('NFKD', unicodedata.normalize('NFKD', name).casefold())
    return ''.join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def upgrade() -> None:
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_name_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('first_name_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    connection = op.get_bind()
    certification = sa.table('certification', sa.column('id'), sa.column('application_id'), sa.column('last_name_key'), sa.column('first_name_key'))
    application = sa.table('application', sa.column('id'), sa.column('first_name'), sa.column('last_name'))
    rows = connection.execute(
        sa.select(certification.c.id, application.c.first_name, application.c.last_name)
        .join(application, application.c.id == certification.c.application_id)
    ).all()
    for ident, first, last in rows:
        connection.execute(
            certification.update().where(certification.c.id == ident)
            .values(last_name_key=_key(last), first_name_key=_key(first))
        )
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.alter_column('last_name_key', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False)
        batch_op.alter_column('first_name_key', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False)
        batch_op.create_index('ix_certification_name', ['last_name_key', 'first_name_key', 'number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.drop_index('ix_certification_name')
        batch_op.drop_column('first_name_key')
        batch_op.drop_column('last_name_key')
