"""HJ 212 frames: ``##`` + 4-digit length + data segment + 4-hex CRC + CR LF (table 2).

The length counts the data segment's bytes (0..1024, table 2). The standard says "ASCII
characters" but allows UTF-8 Chinese text (6.3); the writer counts bytes, and the reader also
accepts a length equal to the *character* count, because some loggers count characters.
"""

from __future__ import annotations

import re

from connectors.hj212.crc import crc_hex, crc_matches
from connectors.hj212.errors import CrcError, FrameError, LengthError, SegmentFieldError
from connectors.hj212.packet import Packet, format_data_segment, parse_data_segment

HEADER = b"##"
TAIL = b"\r\n"
MAX_DATA_LEN = 1024
"""Maximum data segment length (table 2: 0 <= n <= 1024)."""
MAX_CP_LEN = 950
"""Maximum length of ``CP=&&...&&`` (table 3: 0 <= n <= 950)."""
OVERHEAD = 12
"""Bytes around the data segment: ``##``, 4 length digits, 4 CRC digits, CR LF."""

_PW_RE = re.compile(r"(PW\s*=)[^;,]*?(?=[;,]|&&|$)", re.IGNORECASE)


def redact(text: str) -> str:
    """Return ``text`` with any ``PW=...`` value masked, for logs."""
    return _PW_RE.sub(r"\1***", text)


def encode_segment(segment: str, *, max_data_len: int = MAX_DATA_LEN) -> bytes:
    """Wrap a data segment into a frame, computing length and CRC."""
    data = segment.encode("utf-8")
    if len(data) > max_data_len:
        raise LengthError(
            f"data segment is {len(data)} bytes, maximum {max_data_len}; split the packet",
            field="length",
            offset=2,
        )
    return HEADER + f"{len(data):04d}".encode("ascii") + data + crc_hex(data).encode("ascii") + TAIL


def encode_packet(packet: Packet, *, max_data_len: int = MAX_DATA_LEN) -> bytes:
    """Write ``packet`` as a complete frame (raises LengthError if it exceeds the limits)."""
    segment = format_data_segment(packet)
    cp_len = len(segment.encode("utf-8")) - segment.find("CP=&&")
    if cp_len > MAX_CP_LEN:
        raise LengthError(
            f"CP is {cp_len} bytes, maximum {MAX_CP_LEN}; split the packet", field="CP"
        )
    return encode_segment(segment, max_data_len=max_data_len)


def decode_frame(frame: bytes, *, max_data_len: int = MAX_DATA_LEN) -> Packet:
    """Check and parse one complete frame (with or without its trailing CR LF).

    Raises FrameError, LengthError, CrcError or SegmentFieldError; offsets count from the
    first ``#``.
    """
    segment, _ = check_frame(frame, max_data_len=max_data_len)
    return parse_data_segment(segment, base_offset=6)


def check_frame(frame: bytes, *, max_data_len: int = MAX_DATA_LEN) -> tuple[str, str]:
    """Validate header, length, CRC and encoding; return (data segment text, received CRC)."""
    if not frame.startswith(HEADER):
        raise FrameError("frame does not start with ##", field="header", offset=0)
    body = frame[:-2] if frame.endswith(TAIL) else frame
    length_text = body[2:6]
    if len(length_text) < 4 or not length_text.isdigit():
        raise LengthError(
            f"length must be 4 decimal digits, got {length_text!r}", field="length", offset=2
        )
    declared = int(length_text)
    if declared > max_data_len:
        raise LengthError(
            f"declared length {declared} exceeds maximum {max_data_len}", field="length", offset=2
        )
    if len(body) < 10:
        raise FrameError("frame too short for length and CRC", field="CRC", offset=len(body))
    data, crc_text = body[6:-4], body[-4:]
    try:
        segment = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SegmentFieldError(
            f"data segment is not UTF-8: {exc.reason}", field="data", offset=6 + exc.start
        ) from exc
    if declared not in (len(data), len(segment)):
        raise LengthError(
            f"declared length {declared} but data segment is {len(data)} bytes",
            field="length",
            offset=2,
        )
    crc_str = crc_text.decode("ascii", errors="replace")
    if not crc_matches(data, crc_str):
        if re.fullmatch(r"[0-9A-Fa-f]{4}", crc_str) is None:
            raise CrcError(
                f"CRC must be 4 hex digits, got {crc_str!r}", field="CRC", offset=6 + len(data)
            )
        raise CrcError(
            f"CRC mismatch: received {crc_str}, computed {crc_hex(data)}",
            field="CRC",
            offset=6 + len(data),
        )
    return segment, crc_str
