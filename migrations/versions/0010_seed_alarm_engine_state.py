"""seed the alarm engine's state row, so no worker ever races to create it

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database whose worker already ran has the row: keep its cursor.
    op.execute(
        "INSERT INTO alarm_engine_state (name, cursor, evaluated) "
        "SELECT 'default', '', 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM alarm_engine_state WHERE name = 'default')"
    )


def downgrade() -> None:
    # The row stays: the code of revision 0009 creates it when missing and uses it as is.
    pass
