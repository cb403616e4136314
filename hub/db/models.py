"""All mapped models, imported in one place for Alembic and the app."""

from hub.db.auth import OAuthClient, RevokedToken
from hub.db.base import Base
from hub.db.records import AuditHead, Observation, Submission
from hub.db.reference import County, Department, Network, Parameter, Site

__all__ = [
    "AuditHead",
    "Base",
    "County",
    "Department",
    "Network",
    "OAuthClient",
    "Observation",
    "Parameter",
    "RevokedToken",
    "Site",
    "Submission",
]
