"""The CRC of HJ 212-2017 Annex A.

Annex A calls it "ANSI CRC16" with polynomial 0xA001 and initial value 0xFFFF, but its
reference C code feeds each byte in as ``crc = (crc >> 8) ^ byte`` -- the byte is XORed into the
register *after* shifting the high byte down, not into the low byte as CRC-16/MODBUS does. The two
algorithms give different results (Annex A example: 1C80 here, 0759 for MODBUS), so this module
follows the C code literally. The checksum is written as 4 upper-case hex digits, high byte first.
"""

from __future__ import annotations

_POLY = 0xA001


def crc16(data: bytes) -> int:
    """Return the Annex A CRC16 of ``data`` (the data segment bytes) as an integer."""
    crc = 0xFFFF
    for byte in data:
        crc = (crc >> 8) ^ byte
        for _ in range(8):
            carry = crc & 0x0001
            crc >>= 1
            if carry:
                crc ^= _POLY
    return crc


def crc_hex(data: bytes | str) -> str:
    """Return the Annex A CRC of ``data`` as 4 upper-case hex digits (str is UTF-8 encoded)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"{crc16(raw):04X}"


def crc_matches(data: bytes | str, received: str) -> bool:
    """True when ``received`` (4 hex digits, either case) is the CRC of ``data``."""
    text = received.strip()
    if len(text) != 4 or any(c not in "0123456789abcdefABCDEF" for c in text):
        return False
    return int(text, 16) == crc16(data.encode("utf-8") if isinstance(data, str) else data)
