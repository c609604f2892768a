"""Task statuses of Vietnamese task-tracking practice.

A task is chưa thực hiện / đang thực hiện / đã hoàn thành, crossed with đúng hạn / quá hạn
when it has a deadline; a task without one ("thường xuyên") is "không thời hạn".
"""

from __future__ import annotations

from enum import StrEnum

from kehoach_cli.errors import KehoachError
from kehoach_cli.text import fold


class Status(StrEnum):
    """Progress of a task, as a note reports it; the value is the stored spelling."""

    CHUA_THUC_HIEN = "chua_thuc_hien"
    DANG_THUC_HIEN = "dang_thuc_hien"
    HOAN_THANH = "hoan_thanh"


STATUS_LABELS = {
    Status.CHUA_THUC_HIEN: "chưa thực hiện",
    Status.DANG_THUC_HIEN: "đang thực hiện",
    Status.HOAN_THANH: "đã hoàn thành",
}


class Timeliness(StrEnum):
    """How a task stands against its deadline."""

    DUNG_HAN = "dung_han"  # completed by the deadline, or not yet due
    QUA_HAN = "qua_han"  # completed late, or still open past the deadline
    KHONG_THOI_HAN = "khong_thoi_han"  # ongoing task without a deadline


_ALIASES = {
    "chua thuc hien": Status.CHUA_THUC_HIEN,
    "chua": Status.CHUA_THUC_HIEN,
    "dang thuc hien": Status.DANG_THUC_HIEN,
    "dang": Status.DANG_THUC_HIEN,
    "dang lam": Status.DANG_THUC_HIEN,
    "da hoan thanh": Status.HOAN_THANH,
    "hoan thanh": Status.HOAN_THANH,
    "xong": Status.HOAN_THANH,
}
STATUS_EXAMPLES = "chưa thực hiện, đang thực hiện, hoàn thành (không dấu cũng được)"


class StatusError(KehoachError, ValueError):
    """A status that is not one of the three; the message lists them."""


def parse_status(text: str, label: str | None = None) -> Status:
    """Read a status as typed ("hoan thanh", "đang thực hiện", "dang_thuc_hien"); raise
    `StatusError`, after `label` (the option) when given."""
    key = fold(text).replace("_", " ").replace("-", " ")
    key = " ".join(key.split())
    if key in _ALIASES:
        return _ALIASES[key]
    prefix = f"{label}: " if label else ""
    raise StatusError(f"{prefix}không hiểu trạng thái “{text}”: hãy dùng {STATUS_EXAMPLES}")
