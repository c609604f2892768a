"""Dates as Vietnamese officials write them: 15/3/2025, 15/03/2025, 2025-03-15."""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
DATE_EXAMPLES = "15/3/2025, 15/03/2025 hoặc 2025-03-15"


class DateError(ValueError):
    """A date that cannot be read or does not exist; the message is Vietnamese."""


def parse_date(text: str) -> date:
    """Read a day/month/year or ISO date; raise `DateError` naming what is wrong."""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise DateError(f"không đọc được ngày “{text}”: hãy viết {DATE_EXAMPLES}")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(
            f"ngày “{text.strip()}” không có thật (tháng {month} năm {year} không có ngày {day})"
            if 1 <= month <= 12
            else f"ngày “{text.strip()}” không có thật: tháng phải từ 1 đến 12"
        ) from None


def format_date(value: date) -> str:
    """The form used in Vietnamese documents: 05/03/2025."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def parse_option(text: str, option: str) -> date:
    """The date given to a command-line option; a bad one is a user error naming it."""
    from kehoach_cli.errors import KehoachError

    try:
        return parse_date(text)
    except DateError as exc:
        raise KehoachError(f"{option}: {exc}") from None


def option_date(text: str | None, option: str) -> date | None:
    """`parse_option`, or None when the option was not given."""
    return None if text is None else parse_option(text, option)
