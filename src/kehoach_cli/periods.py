"""Reporting periods (kỳ báo cáo) and the dates they cover under two conventions.

- calendar (`lich`): quý III = 01/07 to 30/09;
- data cut-off of Nghị định 09/2019/NĐ-CP, Điều 12 (`nd09`): a month runs from the 15th of
  the previous month to the 14th; quarters, halves, nine months and the year start on the
  15th of the month before and end on the 14th of their last month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kehoach_cli.dates import MAX_YEAR, MIN_YEAR
from kehoach_cli.errors import KehoachError
from kehoach_cli.lazyre import LazyPattern
from kehoach_cli.text import fold


class Convention(StrEnum):
    """How a period maps to dates."""

    LICH = "lich"
    ND09 = "nd09"


class Kind(StrEnum):
    """Period kinds; the value is the short form used on the command line."""

    THANG = "thang"
    QUY = "quy"
    SAU_THANG = "6thang"
    CHIN_THANG = "9thang"
    NAM = "nam"


# Number of periods of each kind in a year, and the first month each one covers.
_COUNT = {Kind.THANG: 12, Kind.QUY: 4, Kind.SAU_THANG: 2, Kind.CHIN_THANG: 1, Kind.NAM: 1}
_MONTHS = {Kind.THANG: 1, Kind.QUY: 3, Kind.SAU_THANG: 6, Kind.CHIN_THANG: 9, Kind.NAM: 12}
ROMAN = ["I", "II", "III", "IV"]
PERIOD_EXAMPLES = (
    "quý III/2025, quy 3/2025, Q3/2025, 2025-Q3, tháng 11/2025, 11/2025, "
    "6 tháng đầu năm 2025, 6 tháng cuối năm 2025, 9 tháng 2025, năm 2025"
)


class PeriodError(KehoachError, ValueError):
    """A period phrase that cannot be read; the message is Vietnamese with examples."""


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """One period: its kind, year and index in the year (month 1-12, quarter 1-4, half 1-2)."""

    kind: Kind
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.index <= _COUNT[self.kind]:
            raise PeriodError(f"kỳ {self.kind.value} không có số thứ tự {self.index}")
        # Users name years MIN_YEAR..MAX_YEAR (parse_period, parse_date); periods computed
        # from them (the next, the previous, two years back) only need `date` to hold their
        # days and those of their neighbours (years 1 and 9999 are its limits).
        if not 2 <= self.year <= 9998:
            raise PeriodError(f"kỳ {self.label()}: năm phải từ {MIN_YEAR} đến {MAX_YEAR}")

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _MONTHS[self.kind] - 1

    def dates(self, convention: Convention = Convention.LICH) -> tuple[date, date]:
        """The first and last day the period covers, both inclusive."""
        if convention is Convention.LICH:
            return date(self.year, self.first_month, 1), _month_end(self.year, self.last_month)
        start_month = self.first_month - 1
        start = (
            date(self.year - 1, 12, 15) if start_month == 0 else date(self.year, start_month, 15)
        )
        return start, date(self.year, self.last_month, 14)

    def label(self) -> str:
        """The period as officials write it: "quý III/2025", "6 tháng đầu năm 2025"."""
        if self.kind is Kind.THANG:
            return f"tháng {self.index}/{self.year}"
        if self.kind is Kind.QUY:
            return f"quý {ROMAN[self.index - 1]}/{self.year}"
        if self.kind is Kind.SAU_THANG:
            half = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {half} năm {self.year}"
        if self.kind is Kind.CHIN_THANG:
            return f"9 tháng năm {self.year}"
        return f"năm {self.year}"

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, _COUNT[self.kind])

    def next(self) -> Period:
        if self.index < _COUNT[self.kind]:
            return Period(self.kind, self.year, self.index + 1)
        return Period(self.kind, self.year + 1, 1)


def containing(kind: Kind, day: date, convention: Convention = Convention.LICH) -> Period:
    """The period of `kind` whose dates hold `day`.

    Under nd09 the days after the 14th belong to the next month's period, so 20/12/2025 is
    in quý I/2026. A nine-month period does not tile the year; a day after it falls in the
    next year's nine months.
    """
    year, month = day.year, day.month
    if convention is Convention.ND09 and day.day >= 15:
        month += 1
        if month == 13:
            year, month = year + 1, 1
    index = (month - 1) // _MONTHS[kind] + 1
    if index > _COUNT[kind]:  # only the nine-month kind: past September
        return Period(kind, year + 1, 1)
    return Period(kind, year, index)


_ROMAN_TO_INT = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:/|\s+nam\s+|\s+|-)?(\d{4})"
_PATTERNS: list[tuple[LazyPattern, Kind]] = [
    # Any number is read as a quarter so that "quý 5/2025" is told the range, not the forms.
    (LazyPattern(r"^(?:quy\s*|q)(iv|iii|ii|i|\d{1,2})" + _YEAR + "?$"), Kind.QUY),
    (LazyPattern(r"^(\d{4})\s*-?\s*q(\d{1,2})$"), Kind.QUY),
    (LazyPattern(r"^thang\s*(\d{1,2})" + _YEAR + "?$"), Kind.THANG),
    (LazyPattern(r"^(\d{1,2})/(\d{4})$"), Kind.THANG),
    (LazyPattern(r"^(\d{4})-(\d{1,2})$"), Kind.THANG),
    (LazyPattern(r"^6\s*thang\s*(dau|cuoi)?(?:\s*nam)?" + _YEAR + "?$"), Kind.SAU_THANG),
    (LazyPattern(r"^9\s*thang(?:\s*dau)?(?:\s*nam)?" + _YEAR + "?$"), Kind.CHIN_THANG),
    (LazyPattern(r"^(?:ca\s+)?nam\s*(\d{4})?$"), Kind.NAM),
    (LazyPattern(r"^(\d{4})$"), Kind.NAM),
]


def parse_period(text: str, default_year: int | None = None) -> Period:
    """Read a period as officials write it; the year may be left out when `default_year`
    is given. Raise `PeriodError` with examples otherwise."""
    key = re.sub(r"\s*([/-])\s*", r"\1", fold(text))
    for pattern, kind in _PATTERNS:
        match = pattern.match(key)
        if not match:
            continue
        groups = match.groups()
        year_text: str | None
        index = 1
        if kind is Kind.QUY and pattern.pattern.startswith("^(\\d{4})"):
            year_text, index = groups[0], int(groups[1])
        elif kind is Kind.QUY:
            raw, year_text = groups
            index = _ROMAN_TO_INT.get(raw) or int(raw)
        elif kind is Kind.THANG and pattern.pattern.startswith("^(\\d{4})"):
            year_text, index = groups[0], int(groups[1])
        elif kind is Kind.THANG:
            index, year_text = int(groups[0]), groups[1]
        elif kind is Kind.SAU_THANG:
            index = 2 if groups[0] == "cuoi" else 1
            year_text = groups[1]
        else:
            year_text = groups[0] if groups else None
        if year_text is None:
            if default_year is None:
                raise PeriodError(f"kỳ “{text}” thiếu năm: ví dụ {PERIOD_EXAMPLES}")
            year = default_year
        else:
            year = int(year_text)
        if kind is Kind.THANG and not 1 <= index <= 12:
            raise PeriodError(f"kỳ “{text}”: tháng phải từ 1 đến 12")
        if kind is Kind.QUY and not 1 <= index <= 4:
            raise PeriodError(f"kỳ “{text}”: quý phải từ I đến IV (1 đến 4)")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(f"kỳ “{text}”: năm phải từ {MIN_YEAR} đến {MAX_YEAR}")
        return Period(kind, year, index)
    raise PeriodError(f"không đọc được kỳ “{text}”: hãy viết như {PERIOD_EXAMPLES}")


# --- Report spans: what `--ky`, `--tu`/`--den` and `--ngay` resolve to ------------------

RELATIVE_EXAMPLES = (
    "thang, quy, 6thang, 9thang, nam (kỳ chứa ngày tính đến) và thang-truoc, quy-truoc, "
    "6thang-truoc, 9thang-truoc, nam-truoc (kỳ liền trước)"
)
CONVENTION_LABELS = {
    Convention.LICH: "theo lịch",
    Convention.ND09: "chốt số liệu theo Nghị định 09/2019/NĐ-CP",
}

# Folded, with spaces, hyphens and underscores removed: "quý trước" -> "quytruoc".
_RELATIVE_KIND = {"thang": Kind.THANG, "quy": Kind.QUY, "6thang": Kind.SAU_THANG,
                  "9thang": Kind.CHIN_THANG, "nam": Kind.NAM, "canam": Kind.NAM}
_CURRENT_SUFFIXES = ("", "nay", "hientai")
_PREVIOUS_SUFFIXES = ("truoc", "vuaqua", "lientruoc")


@dataclass(frozen=True)
class Span:
    """The dates a report covers, both inclusive, and how to name them.

    `period` is the named period when there is one (not for `--tu/--den`).
    """

    tu: date
    den: date
    chot: Convention = Convention.LICH
    period: Period | None = None

    def __post_init__(self) -> None:
        if self.den < self.tu:
            raise PeriodError(
                f"ngày kết thúc {_dmy(self.den)} trước ngày bắt đầu {_dmy(self.tu)}"
            )

    @property
    def label(self) -> str:
        """"quý III/2025", or "từ 01/07/2025 đến 15/08/2025" for an explicit range."""
        if self.period is not None:
            return self.period.label()
        return f"từ {_dmy(self.tu)} đến {_dmy(self.den)}"

    def dates_text(self) -> str:
        """"từ ngày 01/07/2025 đến ngày 30/09/2025": every report prints it."""
        return f"từ ngày {_dmy(self.tu)} đến ngày {_dmy(self.den)}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.tu <= day <= self.den

    def next(self) -> Span:
        """The following period of the same kind; after an explicit range, a range of the
        same length starting the day after it ends."""
        if self.period is not None:
            nxt = self.period.next()
            if self.period.kind is Kind.CHIN_THANG:
                # Nine months do not tile the year; what follows them is the last quarter.
                nxt = Period(Kind.QUY, self.period.year, 4)
            return span_of(nxt, self.chot)
        length = self.den - self.tu
        start = self.den + timedelta(days=1)
        return Span(start, start + length, self.chot)


def _dmy(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def span_of(period: Period, chot: Convention = Convention.LICH) -> Span:
    """The span a named period covers under a convention."""
    start, end = period.dates(chot)
    return Span(start, end, chot, period)


def relative_period(text: str, ref: date, chot: Convention = Convention.LICH) -> Period | None:
    """Read `thang`, `quy`, `6thang`, `9thang`, `nam` (the period holding `ref`) and their
    previous ones (`quy-truoc`, "quý trước" ...); None when `text` is not one of them.

    The nine months holding a date after September do not exist; `9thang` then means the
    latest nine months that have begun, those of the reference year.
    """
    key = re.sub(r"[\s_-]", "", fold(text))
    for suffixes, back in ((_PREVIOUS_SUFFIXES, True), (_CURRENT_SUFFIXES, False)):
        for suffix in suffixes:
            if suffix and not key.endswith(suffix):
                continue
            kind = _RELATIVE_KIND.get(key[: len(key) - len(suffix)] if suffix else key)
            if kind is None:
                continue
            if kind is Kind.CHIN_THANG:
                period = Period(kind, containing(Kind.NAM, ref, chot).year)
            else:
                period = containing(kind, ref, chot)
            return period.previous() if back else period
    return None


def resolve_span(
    ky: str | None,
    ref: date,
    chot: Convention = Convention.LICH,
    tu: date | None = None,
    den: date | None = None,
) -> Span:
    """The span a report covers, from `--ky` or `--tu/--den`, relative to `ref` ("tính đến
    ngày"). Without either, the quarter holding `ref`. Raise `PeriodError` with examples."""
    if ky is not None and (tu is not None or den is not None):
        raise PeriodError("dùng --ky hoặc --tu/--den, không dùng cả hai")
    if tu is not None or den is not None:
        if tu is None:
            raise PeriodError("--den cần đi kèm --tu: ví dụ --tu 01/07/2025 --den 30/09/2025")
        return Span(tu, den if den is not None else ref, chot)
    if ky is None:
        return span_of(containing(Kind.QUY, ref, chot), chot)
    if not ky.strip():  # `--ky ""`: a forgotten value, not a request for the default
        raise PeriodError(f"--ky đang để trống: hãy ghi kỳ, ví dụ {PERIOD_EXAMPLES}; "
                          f"hoặc {RELATIVE_EXAMPLES}")
    period = relative_period(ky, ref, chot)
    if period is None:
        try:
            period = parse_period(ky, default_year=ref.year)
        except PeriodError as exc:
            if not str(exc).startswith("không đọc được"):
                raise
            raise PeriodError(f"{exc}; hoặc {RELATIVE_EXAMPLES}") from None
    return span_of(period, chot)


# How many days into a period a report still most likely means the one just closed: an
# office writing on 20/12/2025 with the ND 09 cut-off means năm 2025, not năm 2026 that
# began on 15/12. About a sixth of a month, a third of a month for the longer periods.
_FRESH_DAYS = {Kind.THANG: 5, Kind.QUY: 10, Kind.SAU_THANG: 15, Kind.CHIN_THANG: 15,
               Kind.NAM: 15}


def just_begun(ky: str | None, span: Span, ref: date) -> Span | None:
    """When the report's period was chosen relative to `ref` ("the period holding the
    date": no `--ky`, or `--ky quy`) and `ref` falls in its first days, the period just
    closed, for the report to name; else None. Explicit periods are taken as written."""
    if span.period is None or (ky is not None and relative_period(ky, ref, span.chot) is None):
        return None
    if ky is not None and re.sub(r"[\s_-]", "", fold(ky)).endswith(_PREVIOUS_SUFFIXES):
        return None  # already the previous one
    if (ref - span.tu).days >= _FRESH_DAYS[span.period.kind] or span.period.kind is Kind.CHIN_THANG:
        return None
    return span_of(span.period.previous(), span.chot)


def previous_option(kind: Kind) -> str:
    """The `--ky` value that selects the period before the current one: "quy-truoc"."""
    return f"{kind.value}-truoc"
