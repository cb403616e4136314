"""Command codes (table 9), what the hub does with each, and the replies/requests it sends.

Replies (Annex C): system interaction ST=91; they echo the received QN, PW and MN; their Flag
has no A/D bits (Annex C writes Flag=4 = version 1) -- we keep the peer's version bits so a
later-version logger gets its own version back. Data replies: 9014 with an empty CP
(``CP=&&&&``). Notification replies: 9013. 9011 (QnRtn) and 9012 (ExeRtn) are what a *logger*
returns to a hub request; builders are provided for simulators and tests.

The standard defines no heartbeat command (9015-9999 are reserved); loggers keep the link alive
with their regular uploads. Deployments whose loggers send a vendor heartbeat CN pass it in
``heartbeat_cns``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.hj212.cp import BEIJING, format_hj_time, make_cp
from connectors.hj212.errors import UnknownCommandError
from connectors.hj212.packet import FLAG_ACK, FLAG_SPLIT, VERSION_2017, Packet, make_flag

ST_SYSTEM_INTERACTION = "91"
"""ST of replies: system interaction (table 5)."""

CN_REALTIME = "2011"
CN_EQUIPMENT_STATUS = "2021"
CN_DAILY = "2031"
CN_MINUTE = "2051"
CN_HOURLY = "2061"
CN_TIME_CALIBRATION_REQUEST = "1013"
CN_REQUEST_REPLY = "9011"
CN_EXECUTION_RESULT = "9012"
CN_NOTIFY_REPLY = "9013"
CN_DATA_ACK = "9014"
HISTORY_REQUEST_CNS = frozenset({CN_MINUTE, CN_HOURLY, CN_DAILY})


class DataKind(enum.StrEnum):
    """The uploads the hub stores."""

    REALTIME = CN_REALTIME
    EQUIPMENT_STATUS = CN_EQUIPMENT_STATUS
    DAILY = CN_DAILY
    MINUTE = CN_MINUTE
    HOURLY = CN_HOURLY


_DATA_CNS = frozenset(kind.value for kind in DataKind)


def data_kind(cn: str) -> DataKind | None:
    """The DataKind of an upload CN, None for other commands."""
    return DataKind(cn) if cn in _DATA_CNS else None


class CommandKind(enum.Enum):
    """How the server handles a received CN."""

    DATA = "data"  # store via the sink, then 9014 if asked
    NOTIFICATION = "notification"  # reply 9013
    REQUEST_REPLY = "request_reply"  # 9011 from a logger: our request accepted/refused
    EXECUTION_RESULT = "execution_result"  # 9012 from a logger: our request done/failed
    HEARTBEAT = "heartbeat"  # configured vendor heartbeat
    IGNORED = "ignored"  # anything else: logged and counted


class QnRtn(enum.IntEnum):
    """Request reply codes (table 7)."""

    READY = 1
    REFUSED = 2
    PW_ERROR = 3
    MN_ERROR = 4
    ST_ERROR = 5
    FLAG_ERROR = 6
    QN_ERROR = 7
    CN_ERROR = 8
    CRC_ERROR = 9
    UNKNOWN_ERROR = 100


class ExeRtn(enum.IntEnum):
    """Execution result codes (table 6)."""

    SUCCESS = 1
    FAILED = 2
    BAD_CONDITION = 3
    TIMEOUT = 4
    BUSY = 5
    SYSTEM_FAULT = 6
    NO_DATA = 100


@dataclass(frozen=True)
class CommandSpec:
    """One table 9 entry."""

    cn: str
    name: str


COMMANDS: dict[str, CommandSpec] = {cn: CommandSpec(cn, name) for cn, name in (
    ("1000", "设置超时时间及重发次数"), ("1011", "提取/上传现场机时间"),
    ("1012", "设置现场机时间"), ("1013", "现场机时间校准请求"),
    ("1061", "提取/上传实时数据间隔"), ("1062", "设置实时数据间隔"),
    ("1063", "提取/上传分钟数据间隔"), ("1064", "设置分钟数据间隔"),
    ("1072", "设置现场机密码"), ("2011", "污染物实时数据"),
    ("2012", "停止察看污染物实时数据"), ("2021", "设备运行状态数据"),
    ("2022", "停止察看设备运行状态"), ("2031", "污染物日历史数据"),
    ("2041", "设备运行时间日历史数据"), ("2051", "污染物分钟数据"),
    ("2061", "污染物小时数据"), ("2081", "上传数采仪开机时间"),
    ("3011", "零点校准量程校准"), ("3012", "即时采样"), ("3013", "启动清洗/反吹"),
    ("3014", "比对采样"), ("3015", "超标留样"), ("3016", "设置采样时间周期"),
    ("3017", "提取/上传采样时间周期"), ("3018", "提取/上传出样时间"),
    ("3019", "提取/上传设备唯一标识"), ("3020", "提取/上传现场机信息"),
    ("3021", "设置现场机参数"), ("9011", "请求应答"), ("9012", "执行结果"),
    ("9013", "通知应答"), ("9014", "数据应答"),
)}


def lookup_command(cn: str) -> CommandSpec:
    """Return the table 9 entry for ``cn``; raise UnknownCommandError if it has none."""
    spec = COMMANDS.get(cn)
    if spec is None:
        raise UnknownCommandError(f"command {cn!r} is not in the standard's table 9", field="CN")
    return spec


def classify(cn: str, *, heartbeat_cns: frozenset[str] = frozenset()) -> CommandKind:
    """What the hub does with a received command code (never raises)."""
    if cn in heartbeat_cns:
        return CommandKind.HEARTBEAT
    if cn in _DATA_CNS:
        return CommandKind.DATA
    return {
        CN_TIME_CALIBRATION_REQUEST: CommandKind.NOTIFICATION,
        CN_REQUEST_REPLY: CommandKind.REQUEST_REPLY,
        CN_EXECUTION_RESULT: CommandKind.EXECUTION_RESULT,
    }.get(cn, CommandKind.IGNORED)


def _reply(to: Packet, cn: str, cp_fields: dict[str, int] | None = None) -> Packet:
    version = to.version if to.version is not None else VERSION_2017
    flag = None if to.flag is None else to.flag & ~(FLAG_ACK | FLAG_SPLIT)
    if flag is None:
        flag = make_flag(version=version)
    return Packet(qn=to.qn, st=ST_SYSTEM_INTERACTION, cn=cn, pw=to.pw, mn=to.mn, flag=flag,
                  cp=make_cp(cp_fields or {}))


def build_data_ack(packet: Packet) -> Packet:
    """9014 data acknowledgement for a received upload (tables C.14-C.18, C.50)."""
    return _reply(packet, CN_DATA_ACK)


def build_notify_reply(packet: Packet) -> Packet:
    """9013 reply to a notification such as 1013 (table C.4)."""
    return _reply(packet, CN_NOTIFY_REPLY)


def build_request_reply(request: Packet, qn_rtn: int = QnRtn.READY) -> Packet:
    """9011 ``QnRtn`` reply to a request (sent by a logger; table 7)."""
    return _reply(request, CN_REQUEST_REPLY, {"QnRtn": int(qn_rtn)})


def build_execution_result(request: Packet, exe_rtn: int = ExeRtn.SUCCESS) -> Packet:
    """9012 ``ExeRtn`` result of a request (sent by a logger; table 6)."""
    return _reply(request, CN_EXECUTION_RESULT, {"ExeRtn": int(exe_rtn)})


def build_history_request(*, cn: str, mn: str, pw: str | None, st: str, begin: datetime,
                          end: datetime, qn: str | None = None,
                          version: int = VERSION_2017) -> Packet:
    """A 2051/2061/2031 request for history between ``begin`` and ``end`` (tables C.20-C.22).

    Flag has bit A set (Flag=5 for 2017) as in Annex C: the logger answers 9011, uploads the
    data, then 9012. Times are written in Beijing time.
    """
    if cn not in HISTORY_REQUEST_CNS:
        raise UnknownCommandError(f"{cn!r} is not a history command (2051, 2061, 2031)",
                                  field="CN")
    if end < begin:
        raise ValueError("end is before begin")
    return Packet(qn=qn or new_qn(), st=st, cn=cn, pw=pw, mn=mn,
                  flag=make_flag(version=version, ack=True),
                  cp=make_cp({"BeginTime": begin, "EndTime": end}))


def new_qn(now: datetime | None = None) -> str:
    """A QN: the Beijing time in milliseconds, YYYYMMDDhhmmsszzz."""
    return format_hj_time((now or datetime.now(BEIJING)).astimezone(BEIJING), millis=True)


class QnFactory:
    """Strictly increasing QNs, so two requests in one millisecond still differ."""

    def __init__(self) -> None:
        self._last: datetime | None = None

    def next(self, now: datetime | None = None) -> str:
        """Return a QN later than every QN this factory returned before."""
        stamp = (now or datetime.now(BEIJING)).astimezone(BEIJING)
        stamp = stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)
        if self._last is not None and stamp <= self._last:
            stamp = self._last + timedelta(milliseconds=1)
        self._last = stamp
        return new_qn(stamp)
