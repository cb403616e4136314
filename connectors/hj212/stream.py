"""Incremental frame decoder for a TCP byte stream.

TCP delivers bytes, not frames: one read may hold several frames, part of one, or line noise
(modems and DTUs often emit AT responses or registration strings before ``##``). The decoder
buffers bytes, cuts complete frames, and reports a bad frame as an error event without losing
the frames that follow it.

Framing rule: a frame starts at ``##``; its end is where the declared length says, if CR LF is
there. Otherwise the frame ends at the next CR LF (a data segment never contains CR LF), unless
another ``##`` comes first -- then the broken frame was truncated and decoding resumes at that
``##``. The buffer is bounded by the largest legal frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.hj212.errors import FrameError, Hj212Error, LengthError
from connectors.hj212.frame import HEADER, MAX_DATA_LEN, OVERHEAD, TAIL, decode_frame
from connectors.hj212.packet import Packet


@dataclass(frozen=True)
class DecodedFrame:
    """One decoder event: a parsed packet, or an error for the bytes in ``raw``."""

    raw: bytes
    stream_offset: int
    packet: Packet | None = None
    error: Hj212Error | None = None


class FrameDecoder:
    """Feed bytes as they arrive; get complete frames (or per-frame errors) back."""

    def __init__(self, *, max_data_len: int = MAX_DATA_LEN) -> None:
        self.max_data_len = max_data_len
        # A frame whose length counts characters may hold up to 3 UTF-8 bytes per character.
        self.max_frame_bytes = 3 * max_data_len + OVERHEAD
        self._buf = bytearray()
        self._consumed = 0  # stream offset of self._buf[0]
        self.discarded_bytes = 0

    @property
    def buffered(self) -> int:
        """Number of bytes waiting for the rest of a frame."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[DecodedFrame]:
        """Add received bytes; return the events (frames, errors) they complete, in order."""
        self._buf.extend(data)
        events: list[DecodedFrame] = []
        while self._step(events):
            pass
        return events

    def _step(self, events: list[DecodedFrame]) -> bool:
        """Try to cut one event from the buffer; False when more bytes are needed."""
        buf = self._buf
        start = buf.find(HEADER)
        if start < 0:
            # Keep a trailing '#': it may be the first half of the next header.
            keep = 1 if buf.endswith(b"#") else 0
            if len(buf) > keep:
                self._garbage(len(buf) - keep, events)
            return False
        while start + 2 < len(buf) and buf[start + 2] == ord("#"):
            start += 1  # '###0101': the frame starts at the last '#' pair
        if start > 0:
            self._garbage(start, events)
            return True
        if len(buf) < 6:
            return False
        length_text = bytes(buf[2:6])
        if not length_text.isdigit():
            err = LengthError(f"length must be 4 decimal digits, got {length_text!r}",
                              field="length", offset=2)
            self._error(1, err, events)  # drop one '#' so '###0101' resyncs on the next '##'
            return True
        declared = int(length_text)
        if declared > self.max_data_len:
            err = LengthError(f"declared length {declared} exceeds maximum {self.max_data_len}",
                              field="length", offset=2)
            self._error(2, err, events)
            return True
        total = declared + OVERHEAD
        if len(buf) >= total and buf[total - 2 : total] == TAIL:
            self._frame(total, events)
            return True
        return self._mismatch(declared, total, events)

    def _mismatch(self, declared: int, total: int, events: list[DecodedFrame]) -> bool:
        """The CR LF is not where the length says (or has not arrived yet)."""
        buf = self._buf
        crlf = buf.find(TAIL, 6)
        next_header = buf.find(HEADER, 2, crlf if crlf >= 0 else len(buf))
        if crlf < 0:
            if next_header >= 0 and len(buf) >= total:
                self._error(next_header, _truncated(declared), events)
                return True
            if len(buf) > self.max_frame_bytes:
                err = LengthError(f"no CR LF within {self.max_frame_bytes} bytes", field="tail",
                                  offset=len(buf))
                self._error(next_header if next_header > 0 else len(buf), err, events)
                return True
            return False
        if next_header >= 0:
            self._error(next_header, _truncated(declared), events)
            return True
        # A complete frame with another length: decode_frame accepts a length that counts
        # characters and reports any other disagreement as a LengthError.
        self._frame(crlf + 2, events)
        return True

    def _frame(self, end: int, events: list[DecodedFrame]) -> None:
        raw = bytes(self._buf[:end])
        offset = self._consumed
        self._drop(end)
        try:
            packet = decode_frame(raw, max_data_len=self.max_data_len)
        except Hj212Error as exc:
            exc.stream_offset = offset
            events.append(DecodedFrame(raw=raw, stream_offset=offset, error=exc))
            return
        events.append(DecodedFrame(raw=raw, stream_offset=offset, packet=packet))

    def _error(self, count: int, err: Hj212Error, events: list[DecodedFrame]) -> None:
        err.stream_offset = self._consumed
        events.append(DecodedFrame(raw=bytes(self._buf[:count]), stream_offset=self._consumed,
                                   error=err))
        self.discarded_bytes += count
        self._drop(count)

    def _garbage(self, count: int, events: list[DecodedFrame]) -> None:
        err = FrameError(f"{count} byte(s) outside any frame discarded", field="header", offset=0)
        self._error(count, err, events)

    def _drop(self, count: int) -> None:
        del self._buf[:count]
        self._consumed += count


def _truncated(declared: int) -> LengthError:
    return LengthError(f"frame truncated: declared length {declared} but a new ## started first",
                       field="length", offset=2)
