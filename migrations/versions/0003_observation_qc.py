"""observation qc flags

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 16:25:11.280362
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("qc_status", sa.String(length=8), nullable=False, server_default="passed")
        )
        batch_op.add_column(
            sa.Column(
                "qc_flags",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("qc_flags")
        batch_op.drop_column("qc_status")
