"""Typed errors for HJ 212 parsing, framing and reassembly.

Every error says *what* is wrong and *where*: ``field`` names the protocol field (``QN``,
``Flag``, ``DataTime``, ``length`` ...) and ``offset`` is a byte offset counted from the first
``#`` of the frame (or from the start of the data segment when a bare data segment is parsed).
The stream decoder additionally sets ``stream_offset``: the position of the frame in the
connection's byte stream, so a log line can point at the exact bytes.
"""

from __future__ import annotations


class Hj212Error(Exception):
    """Base class of every HJ 212 protocol error."""

    def __init__(self, reason: str, *, field: str | None = None, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.offset = offset
        self.stream_offset: int | None = None

    def where(self) -> str:
        """Human readable location, e.g. ``field Flag, byte 91``; empty when unknown."""
        parts: list[str] = []
        if self.field is not None:
            parts.append(f"field {self.field}")
        if self.offset is not None:
            parts.append(f"byte {self.offset}")
        if self.stream_offset is not None:
            parts.append(f"stream byte {self.stream_offset}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{self.reason} ({where})" if where else self.reason


class FrameError(Hj212Error):
    """The bytes are not a frame: no ``##`` header, no CR LF tail, or data outside any frame."""


class LengthError(Hj212Error):
    """The 4-digit length is malformed, exceeds the maximum, or disagrees with the data."""


class CrcError(Hj212Error):
    """The CRC is not 4 hex digits or does not match the data segment."""


class SegmentFieldError(Hj212Error):
    """A field of the data segment (header or CP) is missing or malformed."""


class UnknownCommandError(Hj212Error):
    """A command code (CN) that is not in the standard's command table."""
