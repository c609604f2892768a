""""Today" and "now", read in one place so tests and reproducible runs can set them.

KEHOACH_HOM_NAY (15/3/2025, 15/03/2025 or 2025-03-15) replaces today's date; the time of
day stays the real one, so entries recorded in a row keep their order. Logic never reads
the clock itself: commands call `today()` / `now()` here and pass the values down.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from kehoach_cli.dates import parse_date

ENV_TODAY = "KEHOACH_HOM_NAY"


def _override() -> date | None:
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return None
    return parse_date(text, f"biến môi trường {ENV_TODAY}")


def now() -> datetime:
    """The current local time with its UTC offset (on KEHOACH_HOM_NAY when it is set)."""
    current = datetime.now().astimezone()
    day = _override()
    if day is not None:
        current = current.replace(year=day.year, month=day.month, day=day.day)
    return current


def today() -> date:
    """Today's date (KEHOACH_HOM_NAY when it is set)."""
    return _override() or datetime.now().astimezone().date()
