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
# "quý II", "tháng 9", "6 tháng đầu năm": a period whose year the plan's subject line gives.
_NO_YEAR = re.compile(r"^(?:trong\s+|hoàn thành trong\s+)?(?:quý\s+[IVX]+|tháng\s+\d{1,2}|6 tháng đầu năm|"
                      r"6 tháng cuối năm)$", re.IGNORECASE)
_PERIOD_ONLY = re.compile(r"^(?:trong\s+|hoàn thành trong\s+)", re.IGNORECASE)
_WORDY_DATE = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_MONTHS = re.compile(r"^tháng\s+(\d{1,2})\s*,\s*(\d{1,2})\s*/\s*(\d{4})$", re.IGNORECASE)
# Where the dated part of a timeframe ends: "… và thường xuyên", "…, Quý I/2014 và …".
_AND_MORE = re.compile(r"\s+và\s+(?!(?:quý|tháng|năm|ngày)\s)|\s*;\s*", re.IGNORECASE)
_D = r"(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
_P = rf"(?:(?:ngày\s+)?{_D}|tháng\s+\d{{1,2}}\s*/\s*\d{{4}}|quý\s+[IVX]+\s*/\s*\d{{4}}|năm\s+\d{{4}})"
# A timeframe written inside a task's text rather than on its own line.
_IN_TEXT = (
    re.compile(rf"\btừ\s+{_P}\s+đến\s+(?:hết\s+)?{_P}", re.IGNORECASE),
    re.compile(rf"\b(?:chậm nhất|trước|hoàn thành trước|hạn chót)\s+(?:là\s+)?(?:ngày\s+)?{_D}",
               re.IGNORECASE),
    re.compile(rf"\((?:trong\s+|hoàn thành\s+)?(?P<p>{_P}(?:\s*,\s*{_P})*[^()]{{0,40}})\)",
               re.IGNORECASE),
    re.compile(rf"\b(?:hoàn thành|cơ bản hoàn thành)\s+(?:trong\s+)?{_P}", re.IGNORECASE),
)


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


def read_timeframe(text: str, year: int | None = None) -> ReadTimeframe:
    """The timeframe of `text`, shortened to its dates when it says more than a date; a
    period written without its year ("trong quý II") takes `year`, the plan's own (from its
    subject line), and says so."""
    value = text.strip().rstrip(".;,").strip()
    if _parses(value):
        return ReadTimeframe(value)
    for candidate in _candidates(value):
        if candidate and _parses(candidate):
            return ReadTimeframe(candidate, value, f"thời gian “{value}” được ghi là “{candidate}”; "
                                                   "nguyên văn để ở ghi_chu")
    if year is not None:
        for candidate in _candidates(value):
            dated = f"{_PERIOD_ONLY.sub('', candidate)}/{year}"
            if _NO_YEAR.match(candidate) and _parses(dated):
                return ReadTimeframe(dated, value, f"thời gian “{value}” không ghi năm: ghi là "
                                                   f"“{dated}” theo năm của kế hoạch, hãy kiểm tra")
    return ReadTimeframe({"loai": "khac", "van_ban": value}, None,
                         f"không đọc được thời gian “{value}”: tạm ghi dạng tự do (loai: khac)")


def find_timeframe(text: str) -> str | None:
    """A timeframe phrase inside a task's text ("… ký ban hành trước ngày 31 tháng 12 năm
    2014", "Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026", "(trong năm 2013)"), if one."""
    for pattern in _IN_TEXT:
        matches = list(pattern.finditer(text))
        if matches:
            # Several deadlines in one task: the latest is the task's ("chậm nhất" of each step).
            match = max(matches, key=lambda m: _last_date(m.group(0)))
            found = match.groupdict().get("p") or match.group(0)
            return found.strip()
    return None


def _last_date(text: str) -> tuple[int, int, int]:
    dates = [tuple(int(n) for n in re.split(r"\s*/\s*", d)) for d in _DATE.findall(
        _WORDY_DATE.sub(lambda m: f"{m.group(1)}/{m.group(2)}/{m.group(3)}", text))]
    day, month, year = dates[-1] if dates else (0, 0, 0)
    return year, month, day


def _candidates(value: str) -> list[str]:
    """Shorter readings of `value`, most faithful first."""
    out: list[str] = []
    value = _WORDY_DATE.sub(lambda m: f"{m.group(1)}/{m.group(2)}/{m.group(3)}", value)
    if latest := _LATEST.findall(value):
        out.append("Chậm nhất ngày " + re.sub(r"\s+", "", latest[-1]))
    bare = _PAREN.sub("", value).strip().rstrip(".;,")
    bare = _DAY_OF_PERIOD.sub("", _EXPECTED.sub("", bare)).strip()
    out.append(bare)
    if match := _MONTHS.match(bare):
        # "Tháng 11, 12/2013": the two months, read as from the first to the second.
        out.append(f"Từ tháng {match.group(1)} đến tháng {match.group(2)}/{match.group(3)}")
    head = _AND_MORE.split(bare, maxsplit=1)[0].strip()
    if head != bare:
        out.append(head)  # "Tháng 12/2013 và thường xuyên": the dated part
        if match := _MONTHS.match(head):
            out.append(f"Từ tháng {match.group(1)} đến tháng {match.group(2)}/{match.group(3)}")
    dates = _DATE.findall(bare)
    if len(dates) == 1:
        out.append(re.sub(r"\s+", "", dates[0]))
    elif not dates and re.search(r"\bthường xuyên\b", bare, re.IGNORECASE):
        out.append("Thường xuyên")  # "Nhiệm vụ thường xuyên", "Duy trì thường xuyên …"
    return out
