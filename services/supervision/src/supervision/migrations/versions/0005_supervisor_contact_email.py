"""supervisor contact email

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 08:10:00.000000

Nullable: supervisors registered before it was asked for have none until they add it (the
short-week reminder logs each copy it cannot mail); registration requires it from now on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("supervisor", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact_email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("supervisor", schema=None) as batch_op:
        batch_op.drop_column("contact_email")
