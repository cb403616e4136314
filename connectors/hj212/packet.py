"""The HJ 212 data segment: ``QN=;ST=;CN=;PW=;MN=;Flag=;[PNUM=;PNO=;]CP=&&...&&``.

Flag (table 3) is one byte ``V5 V4 V3 V2 V1 V0 D A``: bit 0 (A) = the command wants a reply,
bit 1 (D) = the packet carries PNUM/PNO (split packet), bits 2-7 = protocol version
(0 = HJ/T 212-2005, 1 = HJ 212-2017, so 2017 loggers send 4/5/6/7). Later versions (e.g. 2 -> 8/9)
are accepted: only A and D change how a packet is handled.

Leniency for real loggers (and Annex C's own typos): QN and Flag may be absent; header items
may be separated by ``,`` as well as ``;``; ``Flag=5CP=&&`` (missing ``;``) parses; spaces around
keys and values are ignored; unknown header keys are kept in ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from connectors.hj212.cp import CommandParams, format_cp, parse_cp, parse_hj_time
from connectors.hj212.errors import SegmentFieldError

FLAG_ACK = 0x01
"""Flag bit A: the receiver must answer (9014 for data uploads)."""
FLAG_SPLIT = 0x02
"""Flag bit D: the packet carries PNUM and PNO."""
VERSION_SHIFT = 2
VERSION_2005 = 0
VERSION_2017 = 1

_ST_RE = re.compile(r"[0-9A-Z]{2}")
_CN_RE = re.compile(r"\d{4}")
_MN_RE = re.compile(r"[0-9A-Za-z_-]{1,24}")
_Offset = Callable[[int], int]
_HEADER_KEYS = {
    "QN": "QN",
    "ST": "ST",
    "CN": "CN",
    "PW": "PW",
    "MN": "MN",
    "FLAG": "Flag",
    "PNUM": "PNUM",
    "PNO": "PNO",
}


def make_flag(*, version: int = VERSION_2017, ack: bool = False, split: bool = False) -> int:
    """Compose a Flag value: ``make_flag(ack=True)`` == 5, with ``split=True`` too == 7."""
    if not 0 <= version <= 0x3F:
        raise ValueError(f"protocol version must be 0..63, got {version}")
    return (version << VERSION_SHIFT) | (FLAG_ACK if ack else 0) | (FLAG_SPLIT if split else 0)


@dataclass(frozen=True, kw_only=True)
class Packet:
    """One HJ 212 data segment, parsed. ``pw`` is a secret: never log it (see ``frame.redact``)."""

    qn: str | None = None
    st: str | None = None
    cn: str
    pw: str | None = field(default=None, repr=False)  # a credential: kept out of repr
    mn: str
    flag: int | None = None
    pnum: int | None = None
    pno: int | None = None
    cp: CommandParams = field(default_factory=CommandParams)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ack_requested(self) -> bool:
        """True when Flag bit A is set (absent Flag: no reply wanted, as HJ/T 212-2005 loggers)."""
        return self.flag is not None and bool(self.flag & FLAG_ACK)

    @property
    def is_split(self) -> bool:
        """True when this is one part of a split packet (D bit or PNUM/PNO present)."""
        return self.pnum is not None or (self.flag is not None and bool(self.flag & FLAG_SPLIT))

    @property
    def version(self) -> int | None:
        """Protocol version bits of Flag (1 = HJ 212-2017), None without Flag."""
        return None if self.flag is None else self.flag >> VERSION_SHIFT

    @property
    def qn_time(self) -> datetime | None:
        """QN read as a Beijing-time timestamp, None if absent or not a valid time."""
        if self.qn is None:
            return None
        try:
            return parse_hj_time(self.qn, field_name="QN")
        except SegmentFieldError:
            return None


def parse_data_segment(text: str, *, base_offset: int = 0) -> Packet:
    """Parse a data segment; ``base_offset`` = byte offset of ``text`` in its frame (6 in a frame).

    Raises SegmentFieldError naming the field and byte offset of the first problem.
    """

    def at(pos: int) -> int:
        return base_offset + len(text[:pos].encode("utf-8"))

    cp_pos = text.find("CP=&&")
    if cp_pos < 0:
        raise SegmentFieldError("CP=&& not found", field="CP", offset=at(len(text)))
    tail = text.rstrip()
    if len(tail) < cp_pos + 7 or not tail.endswith("&&"):
        raise SegmentFieldError("CP must end with &&", field="CP", offset=at(len(tail)))
    header = _parse_header(text[:cp_pos], at)
    body_start = cp_pos + 5
    cp = parse_cp(text[body_start : len(tail) - 2], base_offset=at(body_start))
    return _build(header, cp, at(cp_pos), at)


def _parse_header(text: str, at: _Offset) -> dict[str, tuple[str, int]]:
    """Header items -> (value, char position); keys normalised to the standard's spelling."""
    items: dict[str, tuple[str, int]] = {}
    pos = 0
    for piece in re.split(r"[;,]", text):
        start = pos
        pos += len(piece) + 1
        if not piece.strip():
            continue
        key, eq, value = piece.partition("=")
        if not eq:
            raise SegmentFieldError(
                f"header item without '=': {piece.strip()[:20]!r}", field="header", offset=at(start)
            )
        name = key.strip()
        norm = _HEADER_KEYS.get(name.upper(), name)
        if norm in items:
            raise SegmentFieldError(f"duplicate header field {norm}", field=norm, offset=at(start))
        items[norm] = (value.strip(), start)
    return items


def _build(h: dict[str, tuple[str, int]], cp: CommandParams, cp_offset: int, at: _Offset) -> Packet:
    def need(name: str) -> tuple[str, int]:
        if name not in h:
            raise SegmentFieldError(f"{name} is missing", field=name, offset=cp_offset)
        return h[name]

    cn, cn_pos = need("CN")
    if not _CN_RE.fullmatch(cn):
        raise SegmentFieldError(
            f"CN must be 4 digits, got {cn[:10]!r}", field="CN", offset=at(cn_pos)
        )
    mn, mn_pos = need("MN")
    if not _MN_RE.fullmatch(mn):
        raise SegmentFieldError(
            f"MN must be 1-24 letters/digits, got {mn[:30]!r}", field="MN", offset=at(mn_pos)
        )
    qn = h.get("QN")
    if qn is not None and not qn[0].isdigit():
        raise SegmentFieldError(
            f"QN must be digits, got {qn[0][:20]!r}", field="QN", offset=at(qn[1])
        )
    st = h.get("ST")
    if st is not None and not _ST_RE.fullmatch(st[0]):
        raise SegmentFieldError(
            f"ST must be 2 characters 0-9/A-Z, got {st[0][:10]!r}", field="ST", offset=at(st[1])
        )
    flag = _int(h, "Flag", 0, 255, at)
    pnum = _int(h, "PNUM", 1, 9999, at)
    pno = _int(h, "PNO", 1, 9999, at)
    if flag is not None and flag & FLAG_SPLIT and (pnum is None or pno is None):
        raise SegmentFieldError(
            "Flag has the split bit D but PNUM/PNO are missing", field="PNUM", offset=cp_offset
        )
    if (pnum is None) != (pno is None):
        raise SegmentFieldError("PNUM and PNO must come together", field="PNO", offset=cp_offset)
    if pnum is not None and pno is not None and pno > pnum:
        raise SegmentFieldError(
            f"PNO {pno} is greater than PNUM {pnum}", field="PNO", offset=at(h["PNO"][1])
        )
    pw = h.get("PW")
    extra = {k: v for k, (v, _) in h.items() if k not in _HEADER_KEYS.values()}
    return Packet(
        qn=None if qn is None else qn[0],
        st=None if st is None else st[0],
        cn=cn,
        pw=None if pw is None else pw[0],
        mn=mn,
        flag=flag,
        pnum=pnum,
        pno=pno,
        cp=cp,
        extra=extra,
    )


def _int(h: dict[str, tuple[str, int]], name: str, lo: int, hi: int, at: _Offset) -> int | None:
    if name not in h:
        return None
    text, pos = h[name]
    if not text.isdigit() or not lo <= int(text) <= hi:
        raise SegmentFieldError(
            f"{name} must be an integer {lo}..{hi}, got {text[:10]!r}", field=name, offset=at(pos)
        )
    return int(text)


def format_data_segment(packet: Packet) -> str:
    """Write the data segment of ``packet`` in the standard's field order."""
    parts: list[str] = []
    for name, value in (
        ("QN", packet.qn),
        ("ST", packet.st),
        ("CN", packet.cn),
        ("PW", packet.pw),
        ("MN", packet.mn),
        ("Flag", packet.flag),
        ("PNUM", packet.pnum),
        ("PNO", packet.pno),
    ):
        if value is not None:
            parts.append(f"{name}={value}")
    parts.extend(f"{k}={v}" for k, v in packet.extra.items())
    parts.append(f"CP=&&{format_cp(packet.cp)}&&")
    return ";".join(parts)
