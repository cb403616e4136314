"""catalogue sync state (CKAN organizations and packages per portal)

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-28 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_sync_organizations",
        sa.Column("portal", sa.String(length=200), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("ckan_name", sa.String(length=100), nullable=False),
        sa.Column("ckan_id", sa.String(length=64), nullable=False),
        sa.Column("metadata_hash", sa.String(length=64), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "portal", "department_code", name=op.f("pk_catalogue_sync_organizations")
        ),
    )
    op.create_table(
        "catalogue_sync_entries",
        sa.Column("portal", sa.String(length=200), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("ckan_name", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=True),
        sa.Column("api_resource_id", sa.String(length=64), nullable=True),
        sa.Column("snapshot_resource_id", sa.String(length=64), nullable=True),
        sa.Column("metadata_hash", sa.String(length=64), nullable=True),
        sa.Column("schema_hash", sa.String(length=64), nullable=True),
        sa.Column("data_hash", sa.String(length=64), nullable=True),
        sa.Column(
            "row_digests",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("portal", "entry_id", name=op.f("pk_catalogue_sync_entries")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_sync_entries")
    op.drop_table("catalogue_sync_organizations")
