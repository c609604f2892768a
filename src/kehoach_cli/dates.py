"""Dates as Vietnamese officials write them: 15/3/2025, 15/03/2025, 2025-03-15."""

from __future__ import annotations

import re
from datetime import date

from kehoach_cli.errors import KehoachError

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
DATE_EXAMPLES = "15/3/2025, 15/03/2025 hoặc 2025-03-15"
# Plans, notes and reports of this century and the last: outside, a date is a typing slip,
# and periods around it (the next month, the previous year) must still exist.
MIN_YEAR, MAX_YEAR = 1900, 2200


class DateError(KehoachError, ValueError):
    """A date that cannot be read or does not exist; the message is Vietnamese.

    A `ValueError` too, so the plan schema reports it as a field's problem."""


def parse_date(text: str, label: str | None = None) -> date:
    """Read a day/month/year or ISO date; raise `DateError` naming what is wrong, after
    `label` (the option or variable it came from) when given."""
    prefix = f"{label}: " if label else ""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise DateError(f"{prefix}không đọc được ngày “{text}”: hãy viết {DATE_EXAMPLES}")
        year, month, day = (int(g) for g in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"{prefix}ngày “{text.strip()}”: năm phải từ {MIN_YEAR} đến {MAX_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(
            f"{prefix}ngày “{text.strip()}” không có thật (tháng {month} năm {year} không có "
            f"ngày {day})" if 1 <= month <= 12
            else f"{prefix}ngày “{text.strip()}” không có thật: tháng phải từ 1 đến 12"
        ) from None


def format_date(value: date) -> str:
    """The form used in Vietnamese documents: 05/03/2025."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def option_date(text: str | None, option: str) -> date | None:
    """The date given to a command-line option, or None when it was not given."""
    return None if text is None else parse_date(text, option)
