"""hj212 devices and backfill requests

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-28 16:30:22.208646
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "hj212_devices",
        sa.Column("mn", sa.String(length=24), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("factor_map", _JSON, nullable=False),
        sa.Column("unit_overrides", _JSON, nullable=False),
        sa.Column("minute_interval", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("minute_interval > 0", name=op.f("ck_hj212_devices_minute_interval")),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_hj212_devices_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("mn", name=op.f("pk_hj212_devices")),
    )
    with op.batch_alter_table("hj212_devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hj212_devices_site_id"), ["site_id"], unique=False)

    op.create_table(
        "hj212_backfill_requests",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("mn", sa.String(length=24), nullable=False),
        sa.Column("cn", sa.String(length=4), nullable=False),
        sa.Column("begin_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("qn", sa.String(length=20), nullable=True),
        sa.Column("qn_rtn", sa.SmallInteger(), nullable=True),
        sa.Column("exe_rtn", sa.SmallInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["mn"], ["hj212_devices.mn"], name=op.f("fk_hj212_backfill_requests_mn_hj212_devices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hj212_backfill_requests")),
    )
    with op.batch_alter_table("hj212_backfill_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hj212_backfill_requests_mn_cn_begin", ["mn", "cn", "begin_time"], unique=False
        )
        batch_op.create_index(
            "ix_hj212_backfill_requests_status_mn", ["status", "mn"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hj212_backfill_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_hj212_backfill_requests_status_mn")
        batch_op.drop_index("ix_hj212_backfill_requests_mn_cn_begin")
    op.drop_table("hj212_backfill_requests")
    with op.batch_alter_table("hj212_devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hj212_devices_site_id"))
    op.drop_table("hj212_devices")
