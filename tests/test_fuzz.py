"""Property-based fuzzing: random and mutated inputs to every parser of user data raise the
tool's own errors (a Vietnamese message) or succeed; never another exception.

Targets: the YAML plan loader, the journal line decoder and reader, the period, timeframe
and date parsers, and the .docx reader. Inputs are random text and mutations of real ones
(the seed plan, tool-written journal lines, a Word file). The number of examples is set by
the Hypothesis profile in conftest.py: bounded in CI, HYPOTHESIS_PROFILE=long for a long run.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from kehoach_cli.dates import MAX_YEAR, MIN_YEAR, DateError, format_date, parse_date
from kehoach_cli.errors import KehoachError
from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.format import RecordError, decode, encode
from kehoach_cli.periods import Convention, PeriodError, parse_period, resolve_span
from kehoach_cli.plan.loader import validate_text
from kehoach_cli.plan.timeframe import TimeframeError, parse_timeframe
from tests.conftest import SEED_PLAN, Runner
from tests.hostile_docx import base_docx

SEED = SEED_PLAN.read_text(encoding="utf-8")
# Characters that matter to the parsers, besides whatever Hypothesis draws.
_SPECIAL = list(":-[]{}#&*!|>'\"%@`,?\t\n\r\\ \x00\x1b\x85\u2028\u202e\ufeffđĐ0123456789")
_edit = st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=40),
                  st.one_of(st.text(max_size=8), st.sampled_from(_SPECIAL)))


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (position, length, insert) edit applied: a slice replaced."""
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length:]
    return text


# --- YAML plans ---------------------------------------------------------------------------


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(_SPECIAL)), max_size=300))
@example("a: " + "[" * 600)
@example("luoc_do: 1\nke_hoach: {trich_yeu: x}\nnoi_dung: [{ma: '1', nhiem_vu: [{ma: [1]}]}]")
def test_yaml_loader_on_random_text(text: str) -> None:
    with contextlib.suppress(KehoachError):
        validate_text(Path("kh.yaml"), text)


@given(st.lists(_edit, min_size=1, max_size=6))
def test_yaml_loader_on_the_mutated_seed_plan(edits: list[tuple[int, int, str]]) -> None:
    text = _mutate(SEED, edits)
    try:
        plan, problems = validate_text(Path("kh.yaml"), text)
    except KehoachError:
        return
    assert (plan is None) == bool(problems)
    for problem in problems:
        str(problem)  # every problem can be printed


# --- journal lines ------------------------------------------------------------------------

_WHEN = datetime(2025, 11, 3, 9, 0, tzinfo=timezone(timedelta(hours=7)))
_ENTRY = Entry(id="k7m2x9abcd", ke_hoach="kh160", ma="3.2", ngay=date(2025, 11, 3), don_vi="MTTQ",
               nguoi_ghi="Nguyễn Văn A", ghi_luc=_WHEN, noi_dung="Đã giám sát 3 khu dân cư",
               so_lieu={"số cuộc": 3}, minh_chung="15-BC/MTTQ")
_LINE = encode(_ENTRY)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=5),
    max_leaves=20)
_KEYS = ["id", "ma", "ngay", "don_vi", "noi_dung", "nguoi_ghi", "ghi_luc", "trang_thai",
         "minh_chung", "so_lieu", "sua_cho", "huy"]


def _decode_line(raw: bytes) -> Entry | None:
    try:
        return decode(json.loads(raw), "kh160")
    except (ValueError, RecursionError):  # what the reader catches: JSON, UTF-8, RecordError
        return None


@given(st.dictionaries(st.sampled_from(_KEYS), _json, max_size=12))
def test_journal_decoder_on_random_records(record: dict[str, object]) -> None:
    good = json.loads(_LINE)
    good.update(record)
    try:
        entry = decode(good, "kh160")
    except RecordError:
        return
    assert json.loads(encode(entry))  # what was accepted can be written back


@given(st.lists(_edit, min_size=1, max_size=4))
def test_journal_decoder_on_mutated_lines(edits: list[tuple[int, int, str]]) -> None:
    line = _mutate(_LINE, edits)
    entry = _decode_line(line.encode("utf-8", "surrogatepass"))
    if entry is not None:
        encode(entry)


@given(st.binary(max_size=200))
def test_journal_decoder_on_random_bytes(raw: bytes) -> None:
    _decode_line(raw)


@given(st.lists(st.one_of(st.just(_LINE), st.text(max_size=60),
                          st.builds(_mutate, st.just(_LINE), st.lists(_edit, max_size=3))),
                max_size=8))
def test_journal_reader_on_a_mutated_file(workspace: Path, lines: list[str]) -> None:
    from kehoach_cli.journal.read import read_journal
    from kehoach_cli.plan.loader import load_plan

    folder = workspace / "plans" / "kh160.nhat-ky"
    folder.mkdir(exist_ok=True)
    (folder / "2025-11.a.jsonl").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    journal = read_journal(load_plan(workspace / "plans" / "kh160.yaml"))
    assert len(journal.entries) <= len(lines)


# --- periods, timeframes, dates -----------------------------------------------------------

_period_words = st.lists(st.sampled_from(
    ["quý", "quy", "Q", "tháng", "thang", "6", "9", "năm", "nam", "đầu", "cuối", "III", "IV",
     "3", "12", "13", "0", "/", "-", "2025", "9999", "0001", "10000", "trước", "truoc", " "]),
    max_size=6).map("".join)
_dates = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@given(st.one_of(st.text(max_size=30), _period_words), _dates, st.sampled_from(Convention))
@example("năm 9999", date(2025, 1, 1), Convention.LICH)
@example("quy-truoc", date(MIN_YEAR, 1, 1), Convention.ND09)
@example("nam", date(MAX_YEAR, 12, 31), Convention.ND09)
def test_period_parser(text: str, as_of: date, convention: Convention) -> None:
    try:
        period = parse_period(text, default_year=as_of.year)
        period.dates(convention)
        period.label()
    except PeriodError:
        pass
    try:
        span = resolve_span(text, as_of, convention)
    except KehoachError:
        return
    assert span.tu <= span.den
    span.next()
    span.dates_text()


@given(st.one_of(st.text(max_size=40), _period_words.map(lambda t: "Trước ngày " + t),
                 _period_words))
@example("Trước ngày 31/12/9999")
@example("Từ 01/01/2200 đến 31/12/2200")
def test_timeframe_parser(text: str) -> None:
    with contextlib.suppress(TimeframeError):
        parse_timeframe(text)


@given(st.one_of(st.text(max_size=20), st.from_regex(r"\d{1,3}[/.-]\d{1,3}[/.-]\d{1,5}",
                                                     fullmatch=True)))
@example("31/12/9999")
@example("29/2/1900")
def test_date_parser(text: str) -> None:
    with contextlib.suppress(DateError):
        parse_date(text)


@given(_dates)
def test_date_written_reads_back(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day


# --- .docx --------------------------------------------------------------------------------

_BASE_DOCX = base_docx()
_DOC = "word/document.xml"
with zipfile.ZipFile(io.BytesIO(_BASE_DOCX)) as _archive:
    _DOCUMENT_XML = _archive.read(_DOC).decode("utf-8")


def _with_document(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_BASE_DOCX)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, xml if item.filename == _DOC else source.read(item))
    return out.getvalue()


def _read(tmp_path: Path, data: bytes) -> None:
    from kehoach_cli.importer.source import read_source

    path = tmp_path / "kh.docx"
    path.write_bytes(data)
    with contextlib.suppress(KehoachError):
        read_source(path)


@given(st.lists(_edit, min_size=1, max_size=5))
def test_docx_reader_on_mutated_xml(tmp_path: Path, edits: list[tuple[int, int, str]]) -> None:
    xml = _mutate(_DOCUMENT_XML, edits)
    _read(tmp_path, _with_document(xml.encode("utf-8", "surrogatepass")))


@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
                min_size=1, max_size=8))
def test_docx_reader_on_flipped_bytes(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(_BASE_DOCX)
    for position, value in flips:
        data[position % len(data)] = value
    _read(tmp_path, bytes(data))


@given(st.sampled_from(["w:ilvl", "w:numId", "w:gridSpan", "w:vMerge", "w:val"]),
       st.one_of(st.text(max_size=12), st.integers().map(str)))
def test_docx_reader_on_odd_attribute_values(tmp_path: Path, name: str, value: str) -> None:
    assume("\x00" not in value)
    escaped = (value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;"))
    numbered = (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{escaped if name == "w:ilvl" else 0}"/>'
                f'<w:numId w:val="{escaped if name == "w:numId" else 1}"/></w:numPr></w:pPr>'
                f"<w:r><w:t>Mục</w:t></w:r></w:p>")
    table = (f'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{escaped}"/>'
             f'<w:vMerge w:val="{escaped}"/></w:tcPr><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:tc>'
             "</w:tr></w:tbl>")
    body = _DOCUMENT_XML.replace("<w:body>", f"<w:body>{numbered}{table}", 1)
    try:
        xml = body.encode("utf-8")
    except UnicodeEncodeError:
        return
    _read(tmp_path, _with_document(xml))


@pytest.mark.parametrize("name", ["kh.md", "kh.txt"])
@given(text=st.text(max_size=300))
def test_text_reader(tmp_path: Path, name: str, text: str) -> None:
    from kehoach_cli.importer.source import read_source

    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with contextlib.suppress(KehoachError):
        read_source(path)


def _future_zip(data: bytes) -> bytes:
    """The zip with every central directory entry claiming a version zipfile does not
    know (6.4), as a damaged or unusual archive can: zipfile raises NotImplementedError."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        out[at + 6] = 64  # extract_version
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_a_zip_of_a_version_zipfile_does_not_know_is_refused_in_words(
        tmp_path: Path, cli: Runner) -> None:
    # Found by test_docx_reader_on_flipped_bytes: a traceback instead of a message.
    path = tmp_path / "kh.docx"
    path.write_bytes(_future_zip(_BASE_DOCX))
    result = cli("nhap", str(path), "-o", str(tmp_path / "kh.yaml"))
    assert result.code != 0 and "không mở được tệp Word" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "kh.yaml").exists()


def test_a_workbook_of_a_version_zipfile_does_not_know_is_not_a_workbook(tmp_path: Path) -> None:
    from kehoach_cli.forms.xlsx import NotXlsx, read_cells

    path = tmp_path / "phieu.xlsx"
    path.write_bytes(_future_zip(_BASE_DOCX))  # any zip: the directory is what fails
    with pytest.raises(NotXlsx):
        read_cells(path, ["Phiếu"])
