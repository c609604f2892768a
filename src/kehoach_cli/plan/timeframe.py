"""Timeframes (thời gian thực hiện) as plans write them, read into a kind and dates.

"Thường xuyên" (ongoing, no deadline), "Trước ngày 31/3/2025" (a deadline), "Quý I/2025"
or "Tháng 9/2025" (a named period, due at its end), "Từ tháng 12/2025 đến quý I/2026" (a
range: from the start of the first to the end of the second), "Hằng quý" (recurring), and free text
only when the plan says so explicitly (`loai: khac`), so a typo never passes as free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from kehoach_cli.dates import DateError, parse_date
from kehoach_cli.errors import KehoachError
from kehoach_cli.lazyre import LazyPattern
from kehoach_cli.periods import Kind, PeriodError, parse_period
from kehoach_cli.text import fold


class TimeframeKind(StrEnum):
    """What kind of timeframe a task has; the value is the YAML spelling."""

    THUONG_XUYEN = "thuong_xuyen"  # ongoing, no deadline
    HAN = "han"  # a deadline date
    KY = "ky"  # a named period, due at its end
    KHOANG = "khoang"  # from a date or period to another: "Từ tháng 12/2025 đến quý I/2026"
    DINH_KY = "dinh_ky"  # recurring every month, quarter, half-year or year
    KHAC = "khac"  # free text, written as such by the plan's author


KIND_LABELS = {
    TimeframeKind.THUONG_XUYEN: "thường xuyên",
    TimeframeKind.HAN: "có hạn",
    TimeframeKind.KY: "theo kỳ",
    TimeframeKind.KHOANG: "khoảng thời gian",
    TimeframeKind.DINH_KY: "định kỳ",
    TimeframeKind.KHAC: "khác",
}

TIMEFRAME_EXAMPLES = (
    "Thường xuyên; Trước ngày 31/3/2025; Quý I/2025; Tháng 9/2025; 6 tháng đầu năm 2025; "
    "Từ tháng 12/2025 đến quý I/2026; Hằng quý; Hằng năm"
)


class TimeframeError(KehoachError, ValueError):
    """A timeframe that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Timeframe:
    """A task's timeframe: its text as written, its kind and, where known, its dates."""

    van_ban: str
    loai: TimeframeKind
    tu_ngay: date | None = None  # start of a named period or a range
    han: date | None = None  # the deadline, for `han`, `ky` and `khoang`
    chu_ky: Kind | None = None  # the recurrence, for `dinh_ky`


_ONGOING = LazyPattern(r"^(thuong xuyen|lien tuc|hang ngay|suot nhiem ky.*)$")
_DEADLINE = LazyPattern(
    r"^(?:hoan thanh\s+)?(?:truoc|cham nhat|han|den|trong)?\s*(?:ngay\s*)?"
    r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$"
)
_RECURRING = LazyPattern(r"^(?:dinh ky\s+)?(?:hang|hang)\s+(thang|quy|nam)$")
_RECUR_KIND = {"thang": Kind.THANG, "quy": Kind.QUY, "nam": Kind.NAM}
_HALVES = LazyPattern(r"^(?:dinh ky\s+)?6 thang(?: dau nam va cuoi nam| mot lan)(?: nam)?(?: \d{4})?$")
_PREFIX = LazyPattern(r"^(?:trong|trong nam|hoan thanh trong|hoan thanh truoc|truoc)\s+")
# "từ A đến B"; "A và B", "A, B" (two periods: "Quý IV/2025 và Quý I/2026", "Tháng 11,
# 12/2013") are read the same way.
_RANGE = LazyPattern(r"^(?:thoi gian\s+)?(?:tu\s+)?(?P<a>.+?)\s*(?:\bden\b|\bva\b|,|–|—)\s*"
                    r"(?:het\s+)?(?P<b>.+)$")
_DATE_ONLY = LazyPattern(r"^(?:ngay\s*)?(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$")


def _bounds(key: str, default_year: int | None = None) -> tuple[date, date]:
    """The first and last day of a date ("ngày 04/02/2026") or a period ("quý I/2026")."""
    if match := _DATE_ONLY.match(key):
        day = parse_date(match.group(1))
        return day, day
    return parse_period(_PREFIX.sub("", key), default_year).dates()


def _range(key: str) -> tuple[date, date] | None:
    """The dates of "từ A đến B", A and B each a date or a period; the first may leave out
    the year the second gives ("từ tháng 11 đến tháng 12/2025")."""
    match = _RANGE.match(key)
    if not match:
        return None
    try:
        end_first, end = _bounds(match.group("b"))
        start = _bounds(match.group("a"), end_first.year)[0]
    except (PeriodError, DateError):
        return None
    return (start, end) if start <= end else None


@lru_cache(maxsize=4096)
def parse_timeframe(text: str) -> Timeframe:
    """Read a timeframe; raise `TimeframeError` naming the forms it understands.

    Remembered per text: a workspace repeats a few dozen timeframes over thousands of tasks
    (1,000 plans: 20,000 calls, a quarter of validating them), and a `Timeframe` is frozen.
    """
    cleaned = text.strip().rstrip(".;")
    key = fold(cleaned)
    key = re.sub(r"\s*([/-])\s*", r"\1", key)
    if not key:
        raise TimeframeError("thời gian thực hiện đang để trống")
    if _ONGOING.match(key):
        return Timeframe(cleaned, TimeframeKind.THUONG_XUYEN)
    if match := _DEADLINE.match(key):
        try:
            return Timeframe(cleaned, TimeframeKind.HAN, han=parse_date(match.group(1)))
        except DateError as exc:
            raise TimeframeError(str(exc)) from None
    if match := _RECURRING.match(key):
        return Timeframe(cleaned, TimeframeKind.DINH_KY, chu_ky=_RECUR_KIND[match.group(1)])
    if _HALVES.match(key):
        return Timeframe(cleaned, TimeframeKind.DINH_KY, chu_ky=Kind.SAU_THANG)
    if (span := _range(key)) is not None:
        return Timeframe(cleaned, TimeframeKind.KHOANG, tu_ngay=span[0], han=span[1])
    try:
        period = parse_period(_PREFIX.sub("", key))
    except PeriodError:
        raise TimeframeError(
            f"không đọc được thời gian “{cleaned}”: hãy viết như {TIMEFRAME_EXAMPLES}; "
            "nếu cần ghi tự do, viết `thoi_gian: {loai: khac, van_ban: \"...\"}`"
        ) from None
    start, end = period.dates()
    return Timeframe(cleaned, TimeframeKind.KY, tu_ngay=start, han=end)
