"""reference network, observations, submissions

Revision ID: 0001
Revises:
Create Date: 2026-11-28 16:03:07.615581
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "counties",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("admin_code", sa.String(length=6), nullable=True),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_counties")),
        sa.UniqueConstraint("admin_code", name=op.f("uq_counties_admin_code")),
    )
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    op.create_table(
        "parameters",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("hj212_code", sa.String(length=16), nullable=True),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("medium", sa.String(length=32), nullable=False),
        sa.Column("plausible_min", sa.Float(), nullable=True),
        sa.Column("plausible_max", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_parameters")),
    )
    op.create_table(
        "networks",
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("medium", sa.String(length=32), nullable=False),
        sa.Column("expected_interval_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_networks_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_networks")),
    )
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_networks_department_code"), ["department_code"], unique=False
        )

    op.create_table(
        "submissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_submissions_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_submissions_department_received", ["department_code", "received_at"], unique=False
        )

    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("network_code", sa.String(length=48), nullable=False),
        sa.Column("county_code", sa.String(length=32), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("coordinates_approximate", sa.Boolean(), nullable=False),
        sa.Column(
            "targets",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name=op.f("ck_sites_lat")
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name=op.f("ck_sites_lon")
        ),
        sa.ForeignKeyConstraint(
            ["county_code"], ["counties.code"], name=op.f("fk_sites_county_code_counties")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_sites_department_code_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["network_code"], ["networks.code"], name=op.f("fk_sites_network_code_networks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("code", name=op.f("uq_sites_code")),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sites_county_code"), ["county_code"], unique=False)
        batch_op.create_index(
            "ix_sites_department_network", ["department_code", "network_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sites_network_code"), ["network_code"], unique=False)

    op.create_table(
        "observations",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("parameter_code", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("flag", sa.String(length=1), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_observations_revision")),
        sa.ForeignKeyConstraint(
            ["parameter_code"],
            ["parameters.code"],
            name=op.f("fk_observations_parameter_code_parameters"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_observations_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_observations_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint(
            "site_id",
            "parameter_code",
            "period_start",
            "period",
            "revision",
            name="uq_observations_key_revision",
        ),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observations_param_time", ["parameter_code", "period_start"], unique=False
        )
        batch_op.create_index(
            "ix_observations_site_param_time",
            ["site_id", "parameter_code", "period_start"],
            unique=False,
        )
        batch_op.create_index("ix_observations_submission", ["submission_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_submission")
        batch_op.drop_index("ix_observations_site_param_time")
        batch_op.drop_index("ix_observations_param_time")

    op.drop_table("observations")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_network_code"))
        batch_op.drop_index("ix_sites_department_network")
        batch_op.drop_index(batch_op.f("ix_sites_county_code"))

    op.drop_table("sites")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_department_received")
        batch_op.drop_index(batch_op.f("ix_submissions_client_id"))

    op.drop_table("submissions")
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networks_department_code"))

    op.drop_table("networks")
    op.drop_table("parameters")
    op.drop_table("departments")
    op.drop_table("counties")
