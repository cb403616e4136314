"""All mapped models, imported in one place for Alembic and the app."""

# Feature model modules register their tables on Base.metadata when imported.
from hub.db import alarms as _alarms  # noqa: F401
from hub.db import catalogue as _catalogue  # noqa: F401
from hub.db import feeds as _feeds  # noqa: F401
from hub.db import hj212 as _hj212  # noqa: F401
from hub.db import qc as _qc  # noqa: F401
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
