"""The fast whole-file decoding of journal lines (msgspec) agrees with `decode`, line by line.

`decode_lines` must build exactly the entries `decode` builds from the same lines, and must
decline (return None, so the reader goes line by line and names the damage) every file
holding a line that `decode` would refuse or change.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.format import RecordError, decode, decode_lines, encode
from kehoach_cli.status import Status

KEY = "kh160"
_texts = st.text(min_size=1, max_size=40)
_codes = st.sampled_from(["MTTQ", "ĐTN", "HLHPN", "CT-XH", "Hội Nông dân"])


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    fixes = draw(st.none() | st.text("0123456789abcdef", min_size=10, max_size=10))
    offset = timezone(timedelta(minutes=draw(st.integers(-12 * 60, 14 * 60))))
    moment = draw(st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)))
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=offset)
    # Figures are counts and rates: the decoder refuses negative ones (and NaN, Infinity).
    figures = draw(st.dictionaries(_texts, st.integers(0, 10**9)
                                   | st.floats(min_value=0, allow_nan=False, allow_infinity=False),
                                   max_size=3))
    return Entry(
        id=draw(st.text("0123456789abcdefghjkmnpqrstvwxyz", min_size=10, max_size=10)),
        ke_hoach=KEY, ma=draw(st.sampled_from(["1.1", "3.2", "4"])),
        ngay=draw(st.dates(date(2000, 1, 1), date(2100, 1, 1))), don_vi=draw(_codes),
        nguoi_ghi=draw(_texts), ghi_luc=moment, noi_dung=draw(_texts),
        trang_thai=draw(st.none() | st.sampled_from(list(Status))),
        minh_chung=draw(st.none() | _texts), so_lieu=figures, sua_cho=fixes,
        huy=draw(st.booleans()) if fixes else False, ca_nhiem_vu=draw(st.booleans()))


def _lines(records: list[Entry]) -> bytes:
    return b"".join((encode(entry) + "\n").encode("utf-8") for entry in records)


@settings(max_examples=200, deadline=None)
@given(st.lists(entries(), min_size=1, max_size=8))
def test_whole_file_decoding_builds_what_decode_builds(records: list[Entry]) -> None:
    data = _lines(records)
    slow = [decode(json.loads(line), KEY) for line in data.splitlines()]
    assert decode_lines(data, len(records), KEY) == slow == records
    for fast, one in zip(decode_lines(data, len(records), KEY) or [], slow, strict=True):
        assert fast.ghi_luc.utcoffset() == one.ghi_luc.utcoffset()  # the zone, not only the instant
        assert {k: type(v) for k, v in fast.so_lieu.items()} == {k: type(v) for k, v in one.so_lieu.items()}


GOOD = ('{"id": "a000000000", "ma": "3.2", "ngay": "2025-11-01", "don_vi": "MTTQ", '
        '"noi_dung": "Đã giám sát", "nguoi_ghi": "Nguyễn Văn A", '
        '"ghi_luc": "2025-11-20T09:30:00.000+07:00"}')


@pytest.mark.parametrize(("line", "refused"), [
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "minh_chung": ""'), False),  # becomes None
    (GOOD.replace('"MTTQ"', '"' + unicodedata.normalize("NFD", "ĐTN Hội") + '"'), False),
    ('{"ma": "3.2", "id": "b000000000"' + GOOD[len('{"id": "a000000000"'):], False),
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "huy": true'), True),  # retracts nothing
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "so_lieu": {"x": NaN}'), True),
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "so_lieu": {"x": -2}'), True),
    (GOOD.replace('"2025-11-01"', '"9999-01-01"'), True),
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "so_lieu": {"x": true}'), True),
    (GOOD.replace('+07:00', ''), True),  # no time zone
    (GOOD.replace('"Đã giám sát"', '""'), True),
    (GOOD.replace('"2025-11-01"', '"01/11/2025"'), True),
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "trang_thai": "xong"'), True),
    (GOOD.replace('"ma": "3.2"', '"ma": "3.2", "ca_nhiem_vu": 1'), True),
])
def test_lines_decode_would_change_or_refuse_go_line_by_line(line: str, refused: bool) -> None:
    data = (GOOD + "\n" + line + "\n").encode("utf-8")
    assert decode_lines(data, 2, KEY) is None
    try:
        entry = decode(json.loads(line), KEY)
    except RecordError:
        assert refused
    else:
        assert not refused and entry.ke_hoach == KEY
        assert unicodedata.is_normalized("NFC", entry.don_vi)


def test_a_line_cannot_name_another_plan() -> None:
    line = GOOD.replace('"ma": "3.2"', '"ma": "3.2", "ke_hoach": "khac"')
    data = (GOOD + "\n" + line + "\n").encode("utf-8")
    fast = decode_lines(data, 2, KEY)
    slow = [decode(json.loads(raw), KEY) for raw in data.splitlines()]
    assert fast in (None, slow)
    assert [entry.ke_hoach for entry in slow] == [KEY, KEY]
