"""Timeframes as plans write them, read into a form `kehoach check` accepts.

Plans write more around a date than the schema's forms: "Dự kiến tháng 11/2025 (sau khi tỉnh
ban hành Hướng dẫn)", "Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025 - 95 ngày trước bầu
cử)", "ngày Tháng 11/2025". The dates are read into
a timeframe the schema parses (the later date is the deadline: "chậm nhất" wins over "dự
kiến"), and the words as written are kept as a note, so nothing is lost and nothing invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kehoach_cli.plan.timeframe import TimeframeError, parse_timeframe

_PAREN = re.compile(r"\s*\([^()]*\)")
_EXPECTED = re.compile(r"^(?:dự kiến|khoảng|trong khoảng|dự kiến trong)\s+", re.IGNORECASE)
_LATEST = re.compile(r"(?:chậm nhất|muộn nhất|hạn chót)\s*(?:là\s*)?(?:vào\s*)?(?:ngày\s*)?"
                     r"(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})", re.IGNORECASE)
_DAY_OF_PERIOD = re.compile(r"^ngày\s+(?=(?:tháng|quý)\b)", re.IGNORECASE)
_DATE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}")


@dataclass(frozen=True)
class ReadTimeframe:
    """What to write as `thoi_gian`, the words as written when they were shortened (for the
    task's note), and why a reviewer should look (None when it was read as written)."""

    value: Any
    written: str | None = None
    doubt: str | None = None


def _parses(text: str) -> bool:
    try:
        parse_timeframe(text)
    except TimeframeError:
        return False
    return True


def read_timeframe(text: str) -> ReadTimeframe:
    """The timeframe of `text`, shortened to its dates when it says more than a date."""
    value = text.strip().rstrip(".;,").strip()
    if _parses(value):
        return ReadTimeframe(value)
    for candidate in _candidates(value):
        if candidate and _parses(candidate):
            return ReadTimeframe(candidate, value, f"thời gian “{value}” được ghi là “{candidate}”; "
                                                   "nguyên văn để ở ghi_chu")
    return ReadTimeframe({"loai": "khac", "van_ban": value}, None,
                         f"không đọc được thời gian “{value}”: tạm ghi dạng tự do (loai: khac)")


def _candidates(value: str) -> list[str]:
    """Shorter readings of `value`, most faithful first."""
    out: list[str] = []
    if latest := _LATEST.findall(value):
        out.append("Chậm nhất ngày " + re.sub(r"\s+", "", latest[-1]))
    bare = _PAREN.sub("", value).strip().rstrip(".;,")
    bare = _DAY_OF_PERIOD.sub("", _EXPECTED.sub("", bare)).strip()
    out.append(bare)
    dates = _DATE.findall(bare)
    if len(dates) == 1:
        out.append(re.sub(r"\s+", "", dates[0]))
    elif not dates and re.search(r"\bthường xuyên\b", bare, re.IGNORECASE):
        out.append("Thường xuyên")  # "Nhiệm vụ thường xuyên", "Duy trì thường xuyên …"
    return out
