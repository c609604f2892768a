"""Periods: every date in exactly one period, periods tiling the year, the ND 09 cut-off."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach_cli.periods import (
    Convention,
    Kind,
    Period,
    PeriodError,
    Span,
    containing,
    parse_period,
    relative_period,
    resolve_span,
    span_of,
)

TILING = [Kind.THANG, Kind.QUY, Kind.SAU_THANG, Kind.NAM]
COUNT = {Kind.THANG: 12, Kind.QUY: 4, Kind.SAU_THANG: 2, Kind.CHIN_THANG: 1, Kind.NAM: 1}
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
conventions = st.sampled_from(list(Convention))
years = st.integers(min_value=1990, max_value=2090)
ONE = timedelta(days=1)


def all_periods(kind: Kind, year: int) -> list[Period]:
    return [Period(kind, year, i) for i in range(1, COUNT[kind] + 1)]


@given(day=days, chot=conventions, kind=st.sampled_from(TILING))
def test_every_date_lies_in_exactly_one_period(day: date, chot: Convention, kind: Kind) -> None:
    candidates = [p for y in (day.year - 1, day.year, day.year + 1) for p in all_periods(kind, y)]
    holding = [p for p in candidates if p.dates(chot)[0] <= day <= p.dates(chot)[1]]
    assert holding == [containing(kind, day, chot)]


@given(year=years, chot=conventions, kind=st.sampled_from(TILING))
def test_periods_tile_the_year_without_gaps_or_overlaps(year: int, chot: Convention, kind: Kind) -> None:
    periods = all_periods(kind, year)
    year_start, year_end = Period(Kind.NAM, year).dates(chot)
    assert periods[0].dates(chot)[0] == year_start
    assert periods[-1].dates(chot)[1] == year_end
    for before, after in itertools.pairwise(periods):
        assert before.dates(chot)[1] + ONE == after.dates(chot)[0]
    # and the years themselves follow one another
    assert Period(Kind.NAM, year + 1).dates(chot)[0] == year_end + ONE


@given(day=days, chot=conventions, kind=st.sampled_from(TILING))
def test_previous_and_next_are_adjacent(day: date, chot: Convention, kind: Kind) -> None:
    period = containing(kind, day, chot)
    start, end = period.dates(chot)
    assert period.previous().dates(chot)[1] == start - ONE
    assert period.next().dates(chot)[0] == end + ONE
    assert period.previous().next() == period


@given(day=days, chot=conventions)
def test_nine_months_do_not_tile_but_hold_their_dates(day: date, chot: Convention) -> None:
    period = containing(Kind.CHIN_THANG, day, chot)
    start, end = period.dates(chot)
    year_start = Period(Kind.NAM, period.year).dates(chot)[0]
    assert start == year_start
    assert end == Period(Kind.QUY, period.year, 3).dates(chot)[1]
    # a day inside is held; a day of the last quarter belongs to the next nine months
    assert start <= day <= end or day < start


@given(year=years, chot=conventions, kind=st.sampled_from(list(Kind)), data=st.data())
def test_label_reads_back(year: int, chot: Convention, kind: Kind, data: st.DataObject) -> None:
    index = data.draw(st.integers(1, COUNT[kind]))
    period = Period(kind, year, index)
    assert parse_period(period.label()) == period


@pytest.mark.parametrize(
    ("period", "chot", "start", "end"),
    [
        (Period(Kind.QUY, 2025, 4), Convention.ND09, date(2025, 9, 15), date(2025, 12, 14)),
        (Period(Kind.QUY, 2025, 4), Convention.LICH, date(2025, 10, 1), date(2025, 12, 31)),
        (Period(Kind.QUY, 2026, 1), Convention.ND09, date(2025, 12, 15), date(2026, 3, 14)),
        (Period(Kind.QUY, 2025, 3), Convention.LICH, date(2025, 7, 1), date(2025, 9, 30)),
        (Period(Kind.THANG, 2026, 1), Convention.ND09, date(2025, 12, 15), date(2026, 1, 14)),
        (Period(Kind.THANG, 2024, 2), Convention.LICH, date(2024, 2, 1), date(2024, 2, 29)),
        (Period(Kind.SAU_THANG, 2025, 1), Convention.ND09, date(2024, 12, 15), date(2025, 6, 14)),
        (Period(Kind.SAU_THANG, 2025, 2), Convention.ND09, date(2025, 6, 15), date(2025, 12, 14)),
        (Period(Kind.CHIN_THANG, 2025), Convention.ND09, date(2024, 12, 15), date(2025, 9, 14)),
        (Period(Kind.CHIN_THANG, 2025), Convention.LICH, date(2025, 1, 1), date(2025, 9, 30)),
        (Period(Kind.NAM, 2025), Convention.ND09, date(2024, 12, 15), date(2025, 12, 14)),
    ],
)
def test_boundaries(period: Period, chot: Convention, start: date, end: date) -> None:
    assert period.dates(chot) == (start, end)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2025, 9, 14), "quý III/2025"),
        (date(2025, 9, 15), "quý IV/2025"),
        (date(2025, 12, 14), "quý IV/2025"),
        (date(2025, 12, 15), "quý I/2026"),
    ],
)
def test_cut_off_days_under_the_decree(day: date, label: str) -> None:
    assert containing(Kind.QUY, day, Convention.ND09).label() == label


@given(day=days, chot=conventions, kind=st.sampled_from(["thang", "quy", "6thang", "nam"]))
def test_relative_period_holds_the_reference_date(day: date, chot: Convention, kind: str) -> None:
    span = resolve_span(kind, day, chot)
    assert day in span
    previous = resolve_span(f"{kind}-truoc", day, chot)
    assert previous.den + ONE == span.tu
    assert previous.next() == span


@given(day=days, chot=conventions)
def test_nine_months_relative_is_the_latest_begun(day: date, chot: Convention) -> None:
    span = resolve_span("9thang", day, chot)
    assert span.tu <= day
    assert span.period is not None
    assert resolve_span("9thang-truoc", day, chot).period == span.period.previous()


@pytest.mark.parametrize(
    "text",
    ["quy truoc", "quý trước", "QUY-TRUOC", "quy_truoc", "quytruoc", "quý vừa qua"],
)
def test_previous_spellings(text: str) -> None:
    assert relative_period(text, date(2025, 11, 20)) == Period(Kind.QUY, 2025, 3)


@pytest.mark.parametrize("text", ["quy", "quý", "quý này", "QUY NAY", "quy-hien-tai"])
def test_current_spellings(text: str) -> None:
    assert relative_period(text, date(2025, 11, 20)) == Period(Kind.QUY, 2025, 4)


def test_explicit_phrase_without_year_takes_the_reference_year() -> None:
    span = resolve_span("quý 2", date(2025, 11, 20))
    assert (span.tu, span.den) == (date(2025, 4, 1), date(2025, 6, 30))


def test_explicit_range_and_its_next() -> None:
    span = resolve_span(None, date(2025, 11, 20), tu=date(2025, 7, 1), den=date(2025, 8, 15))
    assert span.label == "từ 01/07/2025 đến 15/08/2025"
    assert span.dates_text() == "từ ngày 01/07/2025 đến ngày 15/08/2025"
    assert span.next() == Span(date(2025, 8, 16), date(2025, 9, 30))


def test_range_without_end_runs_to_the_reference_date() -> None:
    span = resolve_span(None, date(2025, 11, 20), tu=date(2025, 11, 1))
    assert (span.tu, span.den) == (date(2025, 11, 1), date(2025, 11, 20))


def test_default_is_the_current_quarter() -> None:
    assert resolve_span(None, date(2025, 9, 20), Convention.ND09) == span_of(
        Period(Kind.QUY, 2025, 4), Convention.ND09
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ky": "tuần này"}, "không đọc được kỳ “tuần này”"),
        ({"ky": "quý 5/2025"}, "quý phải từ I đến IV"),
        ({"ky": "Q0/2025"}, "quý phải từ I đến IV"),
        ({"ky": "2025-Q7"}, "quý phải từ I đến IV"),
        ({"ky": "13/2025"}, "tháng phải từ 1 đến 12"),
        ({"ky": "quy", "tu": date(2025, 1, 1)}, "không dùng cả hai"),
        ({"ky": None, "den": date(2025, 1, 1)}, "--den cần đi kèm --tu"),
        ({"ky": None, "tu": date(2025, 2, 1), "den": date(2025, 1, 1)}, "trước ngày bắt đầu"),
    ],
)
def test_unreadable_periods_say_how_to_write_them(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        resolve_span(ref=date(2025, 11, 20), **kwargs)  # type: ignore[arg-type]
