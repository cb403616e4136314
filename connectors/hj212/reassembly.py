"""Split packets (Flag bit D, PNUM/PNO) reassembled into one logical packet.

Which parts belong together? The brief's key is (MN, QN, CN) and many loggers do repeat the QN
in every part -- but Annex C (tables C.49/C.50) gives each part its *own* QN (...534, ...535)
and repeats the DataTime instead. So a part joins an open set when it matches on
(MN, CN, PNUM, QN), or else on (MN, CN, PNUM, DataTime) if the set lacks that PNO.

Memory stays bounded: incomplete sets expire ``timeout`` seconds after their last part, at most
``max_sets`` sets are open (the least recently active is evicted), and PNUM is capped.
A completed set stays until ``release`` so that, if storing it fails, a retransmitted part
completes it again instead of starting from nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from connectors.hj212.cp import CommandParams, FactorReading
from connectors.hj212.errors import LengthError, SegmentFieldError
from connectors.hj212.frame import MAX_CP_LEN, MAX_DATA_LEN
from connectors.hj212.packet import FLAG_SPLIT, Packet, format_data_segment, make_flag


@dataclass(frozen=True)
class DroppedSet:
    """An incomplete set given up on (``reason``: ``timeout`` or ``evicted``)."""

    mn: str
    cn: str
    qn: str | None
    pnum: int
    received: int
    reason: str


@dataclass(frozen=True)
class Completed:
    """A reassembled packet; pass it to ``Reassembler.release`` once it has been stored."""

    packet: Packet
    set_id: int


@dataclass
class _PartSet:
    set_id: int
    mn: str
    cn: str
    pnum: int
    qn_key: tuple[str, str, int, str] | None
    dt_key: tuple[str, str, int, str | None] | None
    last_seen: float
    parts: dict[int, Packet] = field(default_factory=dict)


class Reassembler:
    """Collects split parts and returns the merged packet when all PNUM parts are in."""

    def __init__(
        self,
        *,
        timeout: float = 120.0,
        max_sets: int = 1000,
        max_pnum: int = 100,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.max_sets = max_sets
        self.max_pnum = max_pnum
        self._clock = clock
        self._sets: dict[int, _PartSet] = {}
        self._by_qn: dict[tuple[str, str, int, str], int] = {}
        self._by_dt: dict[tuple[str, str, int, str | None], int] = {}
        self._next_id = 0
        self._dropped: list[DroppedSet] = []

    @property
    def pending(self) -> int:
        """Number of open (incomplete or unreleased) sets."""
        return len(self._sets)

    def add(self, part: Packet) -> Completed | None:
        """Add one part; return the merged packet when the set is complete, else None."""
        if part.pnum is None or part.pno is None:
            raise SegmentFieldError("not a split packet part (PNUM/PNO missing)", field="PNUM")
        if part.pnum > self.max_pnum:
            raise SegmentFieldError(
                f"PNUM {part.pnum} exceeds the limit {self.max_pnum}", field="PNUM"
            )
        now = self._clock()
        self._expire(now)
        qn_key = None if part.qn is None else (part.mn, part.cn, part.pnum, part.qn)
        dt_key = None
        if part.qn is None or "DataTime" in part.cp.fields:
            dt_key = (part.mn, part.cn, part.pnum, part.cp.fields.get("DataTime"))
        sid = self._by_qn.get(qn_key) if qn_key is not None else None
        if sid is None and dt_key is not None:
            candidate = self._by_dt.get(dt_key)
            if candidate is not None and part.pno not in self._sets[candidate].parts:
                sid = candidate
        entry = self._sets.get(sid) if sid is not None else None
        if entry is None:
            entry = self._open(part, qn_key, dt_key, now)
        elif qn_key is not None and qn_key not in self._by_qn:
            self._by_qn[qn_key] = entry.set_id  # Annex C style: the next part has its own QN
        entry.parts[part.pno] = part  # a retransmitted part replaces the earlier copy
        entry.last_seen = now
        if len(entry.parts) < entry.pnum:
            return None
        return Completed(
            packet=merge_parts([entry.parts[i] for i in sorted(entry.parts)]), set_id=entry.set_id
        )

    def release(self, done: Completed) -> None:
        """Forget a completed set after its packet was stored."""
        entry = self._sets.pop(done.set_id, None)
        if entry is not None:
            self._unindex(entry)

    def expire(self) -> list[DroppedSet]:
        """Drop timed-out sets; return them and any evicted since the last call."""
        self._expire(self._clock())
        dropped, self._dropped = self._dropped, []
        return dropped

    def _open(
        self,
        part: Packet,
        qn_key: tuple[str, str, int, str] | None,
        dt_key: tuple[str, str, int, str | None] | None,
        now: float,
    ) -> _PartSet:
        while len(self._sets) >= self.max_sets:
            oldest = min(self._sets.values(), key=lambda s: s.last_seen)
            self._drop(oldest, "evicted")
        self._next_id += 1
        entry = _PartSet(
            set_id=self._next_id,
            mn=part.mn,
            cn=part.cn,
            pnum=part.pnum or 0,
            qn_key=qn_key,
            dt_key=dt_key,
            last_seen=now,
        )
        self._sets[entry.set_id] = entry
        if qn_key is not None:
            self._by_qn[qn_key] = entry.set_id
        if dt_key is not None:
            self._by_dt[dt_key] = entry.set_id
        return entry

    def _expire(self, now: float) -> None:
        for entry in [s for s in self._sets.values() if now - s.last_seen > self.timeout]:
            self._drop(entry, "timeout")

    def _drop(self, entry: _PartSet, reason: str) -> None:
        self._sets.pop(entry.set_id, None)
        self._unindex(entry)
        qn = entry.qn_key[3] if entry.qn_key else None
        self._dropped.append(
            DroppedSet(
                mn=entry.mn,
                cn=entry.cn,
                qn=qn,
                pnum=entry.pnum,
                received=len(entry.parts),
                reason=reason,
            )
        )

    def _unindex(self, entry: _PartSet) -> None:
        for qn_key in [k for k, v in self._by_qn.items() if v == entry.set_id]:
            del self._by_qn[qn_key]
        for dt_key in [k for k, v in self._by_dt.items() if v == entry.set_id]:
            del self._by_dt[dt_key]


def merge_parts(parts: list[Packet]) -> Packet:
    """Merge parts (in PNO order) into one packet: header of the first part, D bit cleared."""
    first = parts[0]
    fields: dict[str, str] = {}
    factors: dict[str, FactorReading] = {}
    unparsed: list[str] = []
    warnings: list[str] = []
    for part in parts:
        for key, value in part.cp.fields.items():
            if key in fields and fields[key] != value:
                warnings.append(f"{key} differs between parts; first kept")
            fields.setdefault(key, value)
        for code, reading in part.cp.factors.items():
            old = factors.get(code)
            factors[code] = (
                reading
                if old is None
                else FactorReading(
                    code=code,
                    raw={**old.raw, **reading.raw},
                    values={**old.values, **reading.values},
                    sample_time=reading.sample_time or old.sample_time,
                )
            )
        unparsed.extend(part.cp.unparsed)
        warnings.extend(part.cp.warnings)
    cp = CommandParams(
        fields=fields,
        factors=factors,
        data_time=first.cp.data_time,
        unparsed=tuple(unparsed),
        warnings=tuple(warnings),
    )
    flag = None if first.flag is None else first.flag & ~FLAG_SPLIT
    return replace(first, flag=flag, pnum=None, pno=None, cp=cp)


def split_packet(packet: Packet, *, max_data_len: int = MAX_DATA_LEN) -> list[Packet]:
    """Split ``packet`` into parts that each fit a frame (the logger side; used in tests).

    Every part repeats the plain CP fields (DataTime...) and carries whole factor groups, as in
    Annex C table C.49; all parts keep the packet's QN.
    """
    flag = (packet.flag if packet.flag is not None else make_flag()) | FLAG_SPLIT
    groups: list[list[str]] = [[]]
    for code in packet.cp.factors:
        trial = _part(packet, groups[-1] + [code], flag, 9999, 9999)
        if _fits(trial, max_data_len):
            groups[-1].append(code)
        elif groups[-1]:
            groups.append([code])
        else:
            raise LengthError(f"factor {code} alone does not fit in a frame", field="CP")
    if len(groups) == 1 and _fits(packet, max_data_len):
        return [packet]
    return [_part(packet, codes, flag, len(groups), i) for i, codes in enumerate(groups, 1)]


def _part(packet: Packet, codes: list[str], flag: int, pnum: int, pno: int) -> Packet:
    cp = replace(
        packet.cp, factors={c: packet.cp.factors[c] for c in codes}, unparsed=(), warnings=()
    )
    return replace(packet, flag=flag, pnum=pnum, pno=pno, cp=cp)


def _fits(packet: Packet, max_data_len: int) -> bool:
    segment = format_data_segment(packet)
    cp_len = len(segment.encode("utf-8")) - segment.find("CP=&&")
    return len(segment.encode("utf-8")) <= max_data_len and cp_len <= MAX_CP_LEN
