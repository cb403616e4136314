"""What each department connector must do, as data: one module per department.

``test_connectors.py`` runs the same checks over every entry. An entry holds real-shaped
records with every canonical observation each must become, single pushed observations in
the department's own units, records that must be refused (and where), a parameter of
another department, units that must be refused, and the department's plausible ranges.
"""

from tests.connectors.cases import (
    agriculture,
    forestry,
    health,
    land,
    marine,
    maritime,
    meteorology,
    water,
)
from tests.connectors.cases.table import Bad, Department, Record

DEPARTMENTS = [
    m.CASE for m in (land, water, agriculture, forestry, marine, health, meteorology, maritime)
]

__all__ = ["DEPARTMENTS", "Bad", "Department", "Record"]
