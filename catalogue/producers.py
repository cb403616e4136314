"""The producers an entry's query can name, and running one for an entry.

Each producer turns current observations into rows through a session it is given; it
never writes and never commits (services own transactions). Nothing on the ingest path
imports this module: the catalogue reads committed data after the fact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy.orm import Session

from catalogue import (
    aggregate,
    assess_air,
    assess_county,
    assess_drinking,
    assess_noise,
    assess_water,
)
from catalogue.model import Entry
from catalogue.series import Producer
from catalogue.table import Table

PRODUCERS: Final[dict[str, Producer]] = {
    p.name: p
    for p in (
        *aggregate.PRODUCERS,
        *assess_air.PRODUCERS,
        *assess_water.PRODUCERS,
        *assess_drinking.PRODUCERS,
        *assess_noise.PRODUCERS,
        *assess_county.PRODUCERS,
    )
}


def producer_of(entry: Entry) -> Producer:
    """The producer an entry names (the directory has checked that it exists)."""
    return PRODUCERS[entry.query.producer]


def produce(session: Session, entry: Entry, start: datetime, end: datetime) -> Table:
    """The entry's rows for [start, end), widened by the producer to whole hours/days/months."""
    producer = producer_of(entry)
    rows = producer.run(session, entry.query, start, end)
    return Table.build(producer.fields, producer.primary_key, rows)


def produce_recent(session: Session, entry: Entry, now: datetime) -> Table:
    """The entry's recent data: its window up to the end of ``now``'s local day."""
    start, end = entry.query.window.bounds(now)
    return produce(session, entry, start, end)
