"""A progress note (ghi nhận) in a plan's journal, as every command sees it.

Storage (sidecar files, locking, corrections) is `journal/store.py`'s and `journal/read.py`'s
concern; this module only says what an entry is, so listing, history and reports share one
type.

An `Entry` is a frozen msgspec `Struct`: journals are read by the hundred thousand, and a
Struct is built straight from a line's JSON in C (`journal/format.py`), about a quarter of
the cost of `json.loads` alone, in a quarter of a dataclass's memory. The annotations are
the checks every line must pass (non-empty texts, a time with its zone); `format.decode`
gives the Vietnamese reason when one does not. Entries hold no reference cycles, so they
stay out of the cyclic collector (`gc=False`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from kehoach_cli.status import Status

Text = Annotated[str, msgspec.Meta(min_length=1)]
ZonedTime = Annotated[datetime, msgspec.Meta(tz=True)]


class Entry(msgspec.Struct, frozen=True, gc=False):
    """One note: what a body did on a task, when, and who recorded it.

    `sua_cho` names the entry this one corrects; `huy` marks a retraction of that entry.
    `ca_nhiem_vu` marks a status the office gives the whole task (every body's part), not
    only the reporting body's own part (`query/state.py`).
    """

    id: Text
    ke_hoach: str  # plan key (not stored in the line: the folder names the plan)
    ma: Text  # task id
    ngay: date  # when the work happened
    don_vi: Text  # reporting body code
    nguoi_ghi: Text  # who recorded it
    ghi_luc: ZonedTime  # when it was recorded (with time zone)
    noi_dung: Text
    trang_thai: Status | None = None
    minh_chung: Text | None = None
    so_lieu: dict[str, int | float] = msgspec.field(default_factory=dict)
    sua_cho: Text | None = None
    huy: bool = False
    ca_nhiem_vu: bool = False


def replace(entry: Entry, **changes: object) -> Entry:
    """A copy of `entry` with some fields changed."""
    return msgspec.structs.replace(entry, **changes)
