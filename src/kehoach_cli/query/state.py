"""A task's status at a date, from its timeframe and the notes reported on it.

The rule, in the words of Vietnamese task tracking:
- the status is the latest one a note reported up to the date (`trang_thai` of the latest
  note that carries one); notes without a status still show the task is being worked on,
  so a task with notes but no reported status is "đang thực hiện", and a task without any
  note is "chưa thực hiện";
- the deadline is the timeframe's (`Trước ngày 31/3/2025`, the end of `Quý I/2025`); for a
  recurring task (`Hằng quý`) it is the end of the occurrence holding the date, and only
  the notes of that occurrence count, since the work is due again each time;
- completed on or before the deadline is "đúng hạn", after it "quá hạn"; not completed and
  past the deadline is "quá hạn", otherwise "trong hạn"; without a deadline (`Thường
  xuyên`, free text) the task is "không thời hạn".
Deadlines use calendar dates, as plans write them; the ND 09 convention moves only the
dates a report's data covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kehoach_cli.journal.entry import Entry
from kehoach_cli.periods import Span, containing, span_of
from kehoach_cli.plan.timeframe import Timeframe, TimeframeKind
from kehoach_cli.status import STATUS_LABELS, Status, Timeliness


@dataclass(frozen=True)
class TaskState:
    """Where a task stands at a date."""

    status: Status
    timeliness: Timeliness
    han: date | None = None  # the deadline that applies at that date
    hoan_thanh_ngay: date | None = None  # the day the completing note reports
    # Plain fields, not properties: reports over 20,000 tasks ask them hundreds of
    # thousands of times, and an enum member lookup is not free.
    completed: bool = field(init=False, compare=False)
    late: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "completed", self.status is Status.HOAN_THANH)
        object.__setattr__(self, "late", self.timeliness is Timeliness.QUA_HAN)

    def label(self) -> str:
        """"đã hoàn thành, đúng hạn", "đang thực hiện, quá hạn", "chưa thực hiện, trong hạn",
        "đang thực hiện (không thời hạn)"."""
        # A dozen texts in all, asked for once or twice a task row: made once each.
        key = (self.status, self.timeliness)
        text = _LABELS.get(key)
        if text is None:
            text = _LABELS[key] = self._label()
        return text

    def _label(self) -> str:
        status = STATUS_LABELS[self.status]
        if self.timeliness is Timeliness.KHONG_THOI_HAN:
            return f"{status} (không thời hạn)"
        if self.timeliness is Timeliness.QUA_HAN:
            return f"{status}, quá hạn"
        return f"{status}, {'đúng hạn' if self.completed else 'trong hạn'}"


_LABELS: dict[tuple[Status, Timeliness], str] = {}


def occurrence(timeframe: Timeframe, day: date) -> Span | None:
    """For a recurring task, the occurrence (month, quarter, ...) holding `day`."""
    if timeframe.loai is not TimeframeKind.DINH_KY or timeframe.chu_ky is None:
        return None
    return span_of(containing(timeframe.chu_ky, day))


# Kinds with one deadline (a date, the end of a period or of a range), not recurring ones.
_ONE_DEADLINE = (TimeframeKind.HAN, TimeframeKind.KY, TimeframeKind.KHOANG)


def assess(timeframe: Timeframe | None, history: Sequence[Entry], at: date) -> TaskState:
    """The state of a task at `at`. `history` holds its notes in order of the day the work
    happened (then of recording); notes after `at` are ignored."""
    relevant = [e for e in history if e.ngay <= at]
    deadline: date | None = None
    if timeframe is not None:
        if timeframe.loai in _ONE_DEADLINE:
            deadline = timeframe.han
        elif (current := occurrence(timeframe, at)) is not None:
            deadline = current.den
            relevant = [e for e in relevant if e.ngay >= current.tu]
    reported = [e for e in relevant if e.trang_thai is not None]
    if reported:
        status = reported[-1].trang_thai or Status.DANG_THUC_HIEN
    else:
        status = Status.DANG_THUC_HIEN if relevant else Status.CHUA_THUC_HIEN
    done_on: date | None = None
    if status is Status.HOAN_THANH:
        # The task was completed when the latest unbroken run of "completed" notes began.
        for entry in reversed(reported):
            if entry.trang_thai is not Status.HOAN_THANH:
                break
            done_on = entry.ngay
    if deadline is None:
        timeliness = Timeliness.KHONG_THOI_HAN
    elif done_on is not None:
        timeliness = Timeliness.DUNG_HAN if done_on <= deadline else Timeliness.QUA_HAN
    else:
        timeliness = Timeliness.QUA_HAN if at > deadline else Timeliness.DUNG_HAN
    return TaskState(status, timeliness, deadline, done_on)


def deadlines_in(timeframe: Timeframe | None, span: Span) -> list[date]:
    """The deadlines of a task that fall within `span` (several for a monthly task)."""
    if timeframe is None:
        return []
    if timeframe.loai in _ONE_DEADLINE:
        return [timeframe.han] if timeframe.han is not None and timeframe.han in span else []
    out: list[date] = []
    current = occurrence(timeframe, span.tu)
    while current is not None and current.den <= span.den:
        out.append(current.den)
        current = current.next()
    return out


def starts_after(timeframe: Timeframe | None, day: date) -> bool:
    """Whether the task's timeframe begins after `day` (no work is expected before)."""
    return timeframe is not None and timeframe.tu_ngay is not None and timeframe.tu_ngay > day
