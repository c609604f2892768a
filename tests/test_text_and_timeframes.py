"""Text folding, Vietnamese order, dates and timeframes: the small pieces everything uses."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach_cli.dates import DateError, parse_date
from kehoach_cli.periods import Kind
from kehoach_cli.plan.timeframe import TimeframeError, TimeframeKind, parse_timeframe
from kehoach_cli.text import fold, printable, shorten, sort_key


@pytest.mark.parametrize(("typed", "folded"), [
    ("Mặt trận Tổ quốc", "mat tran to quoc"),
    ("Đảng uỷ", "dang uy"),
    ("Đảng ủy", "dang uy"),
    ("HĐND", "hdnd"),
    ("chính trị – xã hội", "chinh tri - xa hoi"),
    ("chính trị-xã hội", "chinh tri - xa hoi"),
    ("  Khối   Dân vận ", "khoi dan van"),
    ("Ma\u0302\u0323t tra\u0323\u0302n", "mat tran"),  # NFD, marks in either order
])
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_vietnamese_alphabetical_order() -> None:
    words = ["Đoàn", "Dân", "Ánh", "Ăn", "Ân", "Bình", "Ê", "Em", "Ơn", "Ô", "Ủy", "Ưu", "Uy"]
    assert sorted(words, key=sort_key) == [
        "Ánh", "Ăn", "Ân", "Bình", "Dân", "Đoàn", "Em", "Ê", "Ô", "Ơn", "Uy", "Ủy", "Ưu"]


def test_printable_shows_escapes_literally() -> None:
    assert printable("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert printable("dòng 1\ndòng 2") == "dòng 1\ndòng 2"


@given(st.text(alphabet=" \t\n\r\xa0\u2003\u3000\x85\u2028\u200bab ăệ,.;", max_size=40),
       st.integers(min_value=2, max_value=30))
def test_shorten_squeezes_every_kind_of_space_as_the_regex_does(text: str, width: int) -> None:
    # The fast path (no regex for a text with nothing to squeeze) must agree with squeezing
    # every run of whitespace, whatever the spaces: tabs, newlines, no-break, ideographic.
    squeezed = re.sub(r"\s+", " ", text).strip()
    assert shorten(text, width) == shorten(squeezed, width)
    assert "  " not in shorten(text, width) and "\n" not in shorten(text, width)


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("Tăng cường công tác kiểm tra, giám sát", 20) == "Tăng cường công tác…"
    assert shorten("ngắn", 20) == "ngắn"


@pytest.mark.parametrize(("text", "expected"), [
    ("15/3/2025", date(2025, 3, 15)),
    ("15/03/2025", date(2025, 3, 15)),
    ("2025-03-15", date(2025, 3, 15)),
    ("15.3.2025", date(2025, 3, 15)),
])
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("31/02/2025", "không có thật"),
    ("15/13/2025", "tháng phải từ 1 đến 12"),
    ("mai", "không đọc được ngày"),
])
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text)


@pytest.mark.parametrize(("text", "kind", "deadline"), [
    ("Thường xuyên", TimeframeKind.THUONG_XUYEN, None),
    ("thuong xuyen.", TimeframeKind.THUONG_XUYEN, None),
    ("Trước ngày 31/3/2025", TimeframeKind.HAN, date(2025, 3, 31)),
    ("Chậm nhất ngày 15/10/2025", TimeframeKind.HAN, date(2025, 10, 15)),
    ("Quý I/2025", TimeframeKind.KY, date(2025, 3, 31)),
    ("Tháng 9/2025", TimeframeKind.KY, date(2025, 9, 30)),
    ("Trong quý II/2025", TimeframeKind.KY, date(2025, 6, 30)),
    ("6 tháng đầu năm 2025", TimeframeKind.KY, date(2025, 6, 30)),
    ("Năm 2025", TimeframeKind.KY, date(2025, 12, 31)),
    ("Hằng quý", TimeframeKind.DINH_KY, None),
    ("Hàng năm", TimeframeKind.DINH_KY, None),
    ("6 tháng đầu năm và cuối năm 2025", TimeframeKind.DINH_KY, None),
])
def test_timeframes(text: str, kind: TimeframeKind, deadline: date | None) -> None:
    parsed = parse_timeframe(text)
    assert parsed.loai is kind
    assert parsed.han == deadline


def test_recurring_keeps_its_cycle() -> None:
    assert parse_timeframe("Hằng quý").chu_ky is Kind.QUY
    assert parse_timeframe("6 tháng đầu năm và cuối năm 2025").chu_ky is Kind.SAU_THANG


@pytest.mark.parametrize("text", ["Khi nào rảnh", "Trước ngày 31/02/2025", ""])
def test_unreadable_timeframes(text: str) -> None:
    with pytest.raises(TimeframeError):
        parse_timeframe(text)
