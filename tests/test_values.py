"""One rendering of each value: numbers, figures and entries read the same in every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kehoach_cli.render.values import figures_text, format_number
from tests.conftest import Runner


@pytest.mark.parametrize(("value", "shown"), [
    (3, "3"), (3.0, "3"), (2.5, "2,5"), (1000, "1.000"), (1234567.5, "1.234.567,5"),
    (35500000, "35.500.000"), (0.125, "0,12"), (-4, "-4"), (1.005, "1"),
])
def test_format_number_vietnamese(value: float, shown: str) -> None:
    assert format_number(value) == shown


def test_figures_text_joins_in_order() -> None:
    assert figures_text({"số cuộc": 2, "kinh phí": 1234567.5}) == "số cuộc: 2; kinh phí: 1.234.567,5"


@pytest.fixture
def logged(workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "2025-11-20")
    result = cli("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ", "--ngay", "10/11/2025",
                 "--so-lieu", "kinh phí=1234567.5", "--so-lieu", "số người=1000")
    assert result.code == 0, result.err
    return workspace


def test_nhat_ky_and_report_print_a_figure_the_same_way(logged: Path, cli: Runner) -> None:
    journal = cli("nhat-ky", "--dinh-dang", "md")
    report = cli("report", "--ky", "quý IV/2025", "--dinh-dang", "md")
    for out in (journal.out, report.out):
        assert "kinh phí: 1.234.567,5" in out
        assert "số người: 1.000" in out
    assert "e+06" not in journal.out


def test_show_and_nhat_ky_give_one_entry_shape(logged: Path, cli: Runner) -> None:
    shown = json.loads(cli("show", "3.2", "--dinh-dang", "json").out)["lich_su"]
    listed = json.loads(cli("nhat-ky", "--dinh-dang", "json").out)
    assert shown == listed
    entry = shown[0]
    assert {"ke_hoach", "sua_cho", "huy", "cac_ban_sua"} <= set(entry)
    assert entry["ke_hoach"] == "kh160"
    assert "." not in entry["ghi_luc"]  # seconds, no microseconds


def test_plain_columns_align_wide_and_control_characters_per_cell() -> None:
    # One column of Vietnamese only (every character one column wide) and one holding a
    # wide character and an escape: each is measured on its own, the second cell by cell.
    from kehoach_cli.render.output import TableData, cell_width, to_plain

    table = TableData(["Mã", "Nội dung", "Đơn vị"],
                      [["1.1", "Tuyên truyền", "MTTQ"],
                       ["1.2", "会议 ở khu dân cư", "ĐTN\x1b[31m"],
                       ["10.3", "dòng\nhai", "HLHPN"]])
    lines = to_plain(table).splitlines()
    assert lines[0].startswith("Mã    Nội dung")
    starts = [cell_width(line[: line.index(code)]) for line, code in
              zip(lines[1:], ["MTTQ", "ĐTN", "HLHPN"], strict=True)]
    assert len(set(starts)) == 1  # the third column starts at one screen column
    assert "\x1b" not in to_plain(table) and "\\x1b[31m" in lines[2]
    assert "dòng hai" in lines[3]
