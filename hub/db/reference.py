"""Reference data: departments, counties, networks, sites and the parameter vocabulary."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, JsonDoc


class Department(Base):
    """A department that owns sites and pushes data (``water``, ``marine``…)."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class County(Base):
    """A county-level unit of Yangjiang (districts, counties, the pilot and high-tech zones)."""

    __tablename__ = "counties"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    # GB/T 2260 administrative division code; the two functional zones have none.
    admin_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))


class Network(Base):
    """A monitoring network: a set of sites measured the same way."""

    __tablename__ = "networks"

    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    medium: Mapped[str] = mapped_column(String(32))
    # Expected reporting interval, used by the missing-data check; null: no regular schedule.
    expected_interval_seconds: Mapped[int | None] = mapped_column(Integer)


class Site(Base):
    """A monitoring point."""

    __tablename__ = "sites"
    __table_args__ = (
        CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="lat"),
        CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="lon"),
        Index("ix_sites_department_network", "department_code", "network_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    network_code: Mapped[str] = mapped_column(ForeignKey("networks.code"), index=True)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("counties.code"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    coordinates_approximate: Mapped[bool] = mapped_column(default=True)
    # Per-site targets: water_class, noise_zone, seawater_class, waterbody (river/lake)...
    targets: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="active")
    note: Mapped[str | None] = mapped_column(Text)


class Parameter(Base):
    """A measured quantity with its canonical unit and plausible range."""

    __tablename__ = "parameters"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The HJ 212-2017 Annex B factor code, where the standard has one.
    hj212_code: Mapped[str | None] = mapped_column(String(16))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))
    medium: Mapped[str] = mapped_column(String(32))
    plausible_min: Mapped[float | None] = mapped_column(Float)
    plausible_max: Mapped[float | None] = mapped_column(Float)
