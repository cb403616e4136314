"""HJ 212-2017 protocol for the hub: parse/write frames, stream framing, split-packet
reassembly, replies, factor codes, and an asyncio TCP server independent of the database.

Quick use::

    from connectors.hj212 import FrameDecoder, decode_frame, encode_packet, Hj212Server

All protocol times are local Beijing time (UTC+8) and are returned as aware datetimes.
"""

from connectors.hj212.commands import (
    COMMANDS,
    ST_SYSTEM_INTERACTION,
    CommandKind,
    CommandSpec,
    DataKind,
    ExeRtn,
    QnFactory,
    QnRtn,
    build_data_ack,
    build_execution_result,
    build_history_request,
    build_notify_reply,
    build_request_reply,
    classify,
    data_kind,
    lookup_command,
    new_qn,
)
from connectors.hj212.cp import (
    BEIJING,
    CommandParams,
    FactorReading,
    format_cp,
    format_hj_time,
    make_cp,
    parse_cp,
    parse_hj_time,
)
from connectors.hj212.crc import crc16, crc_hex, crc_matches
from connectors.hj212.errors import (
    CrcError,
    FieldError,
    FrameError,
    Hj212Error,
    LengthError,
    UnknownCommandError,
)
from connectors.hj212.factors import FACTORS, Factor, get_factor, is_known
from connectors.hj212.frame import (
    MAX_CP_LEN,
    MAX_DATA_LEN,
    check_frame,
    decode_frame,
    encode_packet,
    encode_segment,
    redact,
)
from connectors.hj212.packet import (
    FLAG_ACK,
    FLAG_SPLIT,
    VERSION_2005,
    VERSION_2017,
    Packet,
    format_data_segment,
    make_flag,
    parse_data_segment,
)
from connectors.hj212.reassembly import (
    Completed,
    DroppedSet,
    Reassembler,
    merge_parts,
    split_packet,
)
from connectors.hj212.server import Hj212Server
from connectors.hj212.server_types import (
    AsyncDeviceRegistry,
    AuthFailure,
    AuthResult,
    Delivery,
    DeviceInfo,
    DeviceNotConnectedError,
    DeviceRegistry,
    PacketSink,
    RequestStatus,
    ServerConfig,
    ServerCounters,
)
from connectors.hj212.stream import DecodedFrame, FrameDecoder

__all__ = [
    "BEIJING", "COMMANDS", "FACTORS", "FLAG_ACK", "FLAG_SPLIT", "MAX_CP_LEN", "MAX_DATA_LEN",
    "ST_SYSTEM_INTERACTION", "VERSION_2005", "VERSION_2017", "AsyncDeviceRegistry", "AuthFailure",
    "AuthResult", "CommandKind", "CommandParams", "CommandSpec", "Completed", "CrcError",
    "DataKind", "DecodedFrame", "Delivery", "DeviceInfo", "DeviceNotConnectedError",
    "DeviceRegistry", "DroppedSet", "ExeRtn", "Factor", "FactorReading", "FieldError",
    "FrameDecoder", "FrameError", "Hj212Error", "Hj212Server", "LengthError", "Packet",
    "PacketSink", "QnFactory", "QnRtn", "Reassembler", "RequestStatus", "ServerConfig",
    "ServerCounters", "UnknownCommandError", "build_data_ack", "build_execution_result",
    "build_history_request", "build_notify_reply", "build_request_reply", "check_frame",
    "classify", "crc16", "crc_hex", "crc_matches", "data_kind", "decode_frame", "encode_packet",
    "encode_segment", "format_cp", "format_data_segment", "format_hj_time", "get_factor",
    "is_known", "lookup_command", "make_cp", "make_flag", "merge_parts", "new_qn", "parse_cp",
    "parse_data_segment", "parse_hj_time", "redact", "split_packet",
]
