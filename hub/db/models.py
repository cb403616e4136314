"""All mapped models, imported in one place for Alembic and the app."""

from hub.db.base import Base
from hub.db.records import Observation, Submission
from hub.db.reference import County, Department, Network, Parameter, Site

__all__ = [
    "Base",
    "County",
    "Department",
    "Network",
    "Observation",
    "Parameter",
    "Site",
    "Submission",
]
