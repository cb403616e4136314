"""feed heads and forwarding

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:29:44.238097
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "feed_heads",
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_feed_heads")),
    )
    op.create_table(
        "forward_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("last_cursor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forward_outbox")),
    )
    with op.batch_alter_table("forward_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_forward_outbox_target_id", ["target", "id"], unique=False)

    op.create_table(
        "forward_state",
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("cursor", sa.String(length=100), nullable=False),
        sa.Column("forwarded", sa.BigInteger(), nullable=False),
        sa.Column("batches", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_forward_state")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_submission"))
        batch_op.create_index("ix_observations_submission", ["submission_id", "id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_submission")
        batch_op.create_index(
            batch_op.f("ix_observations_submission"), ["submission_id"], unique=False
        )

    op.drop_table("forward_state")
    with op.batch_alter_table("forward_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_forward_outbox_target_id")

    op.drop_table("forward_outbox")
    op.drop_table("feed_heads")
