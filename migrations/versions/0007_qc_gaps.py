"""qc data gaps

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-28 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "qc_data_gaps",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("parameter_code", sa.String(length=32), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.String(length=16), nullable=True),
        sa.CheckConstraint("missing >= 1", name=op.f("ck_qc_data_gaps_missing")),
        sa.CheckConstraint('"end" > start', name=op.f("ck_qc_data_gaps_span")),
        sa.ForeignKeyConstraint(
            ["parameter_code"],
            ["parameters.code"],
            name=op.f("fk_qc_data_gaps_parameter_code_parameters"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_qc_data_gaps_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qc_data_gaps")),
    )
    with op.batch_alter_table("qc_data_gaps", schema=None) as batch_op:
        batch_op.create_index("ix_qc_data_gaps_closed_at", ["closed_at"], unique=False)
        batch_op.create_index(
            "ix_qc_data_gaps_site_param_start",
            ["site_id", "parameter_code", "start"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("qc_data_gaps", schema=None) as batch_op:
        batch_op.drop_index("ix_qc_data_gaps_site_param_start")
        batch_op.drop_index("ix_qc_data_gaps_closed_at")
    op.drop_table("qc_data_gaps")
