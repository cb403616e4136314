"""alarms: alarms, their events, emission limits, webhook subscriptions and outbox,
the evaluation engine's state

Revision ID: 0008
Revises: 0003
Create Date: 2026-11-28 16:40:43.992022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_OPEN = sa.text("status <> 'closed'")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "alarm_engine_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("cursor", sa.String(length=100), nullable=False),
        sa.Column("evaluated", sa.BigInteger(), nullable=False),
        _ts("last_run_at", True),
        _ts("last_gap_sweep_at", True),
        _ts("last_falsification_sweep_at", True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alarm_engine_state")),
    )
    op.create_table(
        "alarm_subscriptions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("kinds", _JSON, nullable=True),
        sa.Column("counties", _JSON, nullable=True),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("description", sa.String(length=300), nullable=True),
        _ts("created_at"),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        _ts("lease_until", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_subscriptions")),
    )
    with op.batch_alter_table("alarm_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alarm_subscriptions_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "alarms",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("parameter", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _ts("start_at"),
        _ts("end_at"),
        _ts("recovery_anchor"),
        sa.Column("first_value", sa.Float(), nullable=True),
        sa.Column("last_value", sa.Float(), nullable=True),
        sa.Column("worst_value", sa.Float(), nullable=True),
        sa.Column("limit_value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("target", sa.String(length=120), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("detail", _JSON, nullable=False),
        _ts("opened_at"),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        _ts("updated_at"),
        _ts("acknowledged_at", True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("ack_note", sa.Text(), nullable=True),
        _ts("closed_at", True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_alarms_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
    )
    with op.batch_alter_table("alarms", schema=None) as batch_op:
        batch_op.create_index("ix_alarms_site_opened", ["site_id", "opened_at"], unique=False)
        batch_op.create_index("ix_alarms_status_kind", ["status", "kind"], unique=False)
        # At most one alarm per (site, parameter, kind) that is not closed.
        batch_op.create_index(
            "uq_alarms_one_open",
            ["site_id", "parameter", "kind"],
            unique=True,
            postgresql_where=_OPEN,
            sqlite_where=_OPEN,
        )

    op.create_table(
        "emission_limits",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("parameter_code", sa.String(length=32), nullable=False),
        sa.Column("limit_value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["parameter_code"],
            ["parameters.code"],
            name=op.f("fk_emission_limits_parameter_code_parameters"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_emission_limits_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "parameter_code", name=op.f("pk_emission_limits")),
    )
    op.create_table(
        "alarm_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("alarm_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        _ts("at"),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("payload", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["alarm_id"], ["alarms.id"], name=op.f("fk_alarm_events_alarm_id_alarms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_alarm_events_seq")),
    )
    with op.batch_alter_table("alarm_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alarm_events_alarm_id"), ["alarm_id"], unique=False)

    op.create_table(
        "alarm_deliveries",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        _ts("created_at"),
        _ts("delivered_at", True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["alarm_events.id"],
            name=op.f("fk_alarm_deliveries_event_id_alarm_events"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alarm_subscriptions.id"],
            name=op.f("fk_alarm_deliveries_subscription_id_alarm_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_deliveries")),
        sa.UniqueConstraint("subscription_id", "event_id", name="uq_alarm_deliveries_sub_event"),
    )
    with op.batch_alter_table("alarm_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alarm_deliveries_pending",
            ["subscription_id", "status", "event_seq"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("alarm_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_alarm_deliveries_pending")
    op.drop_table("alarm_deliveries")
    with op.batch_alter_table("alarm_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alarm_events_alarm_id"))
    op.drop_table("alarm_events")
    op.drop_table("emission_limits")
    with op.batch_alter_table("alarms", schema=None) as batch_op:
        batch_op.drop_index("uq_alarms_one_open", postgresql_where=_OPEN, sqlite_where=_OPEN)
        batch_op.drop_index("ix_alarms_status_kind")
        batch_op.drop_index("ix_alarms_site_opened")
    op.drop_table("alarms")
    with op.batch_alter_table("alarm_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alarm_subscriptions_client_id"))
    op.drop_table("alarm_subscriptions")
    op.drop_table("alarm_engine_state")
