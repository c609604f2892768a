"""A progress note (ghi nhận) in a plan's journal, as every command sees it.

Storage (sidecar files, locking, corrections) is `journal.py`'s concern; this module only
says what an entry is, so listing, history and reports share one type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kehoach_cli.status import Status


@dataclass(frozen=True)
class Entry:
    """One note: what a body did on a task, when, and who recorded it.

    `sua_cho` names the entry this one corrects; `huy` marks a retraction of that entry.
    `ca_nhiem_vu` marks a status the office gives the whole task (every body's part), not
    only the reporting body's own part (`query/state.py`).
    """

    id: str
    ke_hoach: str  # plan key
    ma: str  # task id
    ngay: date  # when the work happened
    don_vi: str  # reporting body code
    nguoi_ghi: str  # who recorded it
    ghi_luc: datetime  # when it was recorded (with time zone)
    noi_dung: str
    trang_thai: Status | None = None
    minh_chung: str | None = None
    so_lieu: dict[str, float] = field(default_factory=dict)
    sua_cho: str | None = None
    huy: bool = False
    ca_nhiem_vu: bool = False
