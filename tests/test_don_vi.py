"""`kehoach don-vi`: the registry, in Vietnamese order, with task counts per role."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kehoach_cli.plan.model import Body
from kehoach_cli.text import sort_key
from tests.conftest import SEED_PLAN, Runner, run_process

ORDER = ["CB", "CT-XH", "ĐTN", "ĐU", "HCCB", "HĐND", "HLHPN", "HND", "KDV", "MTTQ", "UBND"]


def test_registry_in_vietnamese_order(workspace: Path, cli: Runner) -> None:
    result = cli("don-vi")
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0].split("  ")[0] == "Mã"
    assert [line.split()[0] for line in lines[1:]] == ORDER  # Đ after D, before E
    assert lines[0].endswith("Thuộc nhóm  Chỉ đạo  Tham mưu, thực hiện")


def test_exact_rows(workspace: Path, cli: Runner) -> None:
    rows = {line.split()[0]: line for line in cli("don-vi").out.splitlines()[1:]}
    assert rows["ĐTN"] == (
        "ĐTN    Đoàn TNCS Hồ Chí Minh phường             Đoàn Thanh niên, Đoàn TN, Đoàn Thanh niên "
        "Cộng sản Hồ Chí Minh phường                         CT-XH       0        0 + 11 qua nhóm")
    assert rows["CT-XH"].endswith("CTXH           ĐTN, HLHPN, HND, HCCB              0        11")
    assert rows["ĐU"].endswith("11       0")
    assert rows["UBND"].endswith("0        6")
    assert rows["HĐND"].endswith("0        4")


def test_json_counts(workspace: Path, cli: Runner) -> None:
    data = json.loads(cli("don-vi", "--dinh-dang", "json").out)
    assert [d["ma"] for d in data] == ORDER
    by_code = {d["ma"]: d for d in data}
    assert by_code["MTTQ"] == {
        "ke_hoach": "kh160", "ma": "MTTQ", "ten": "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        "ten_khac": ["Mặt trận Tổ quốc", "Mặt trận", "UBMTTQ", "Mặt trận Tổ quốc phường"],
        "thanh_vien": [], "thuoc_nhom": [],
        "so_nhiem_vu": {"tham_muu_thuc_hien": 11}, "so_nhiem_vu_qua_nhom": {}}
    assert by_code["CT-XH"]["thanh_vien"] == ["ĐTN", "HLHPN", "HND", "HCCB"]
    assert by_code["HND"]["thuoc_nhom"] == ["CT-XH"]
    assert by_code["HND"]["so_nhiem_vu_qua_nhom"] == {"tham_muu_thuc_hien": 11}
    assert by_code["KDV"]["so_nhiem_vu"] == {"tham_muu_thuc_hien": 6}
    assert by_code["ĐU"]["so_nhiem_vu"] == {"chi_dao": 11}


def test_csv_numbers_in_their_own_columns(workspace: Path, cli: Runner) -> None:
    out = cli("don-vi", "-d", "csv").out
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0] == ["Kế hoạch", "Mã", "Tên đầy đủ", "Tên khác", "Thành viên", "Thuộc nhóm",
                       "Chỉ đạo", "Chỉ đạo (qua nhóm)", "Tham mưu, thực hiện",
                       "Tham mưu, thực hiện (qua nhóm)"]
    assert rows[3] == ["kh160", "ĐTN", "Đoàn TNCS Hồ Chí Minh phường",
                       "Đoàn Thanh niên, Đoàn TN, Đoàn Thanh niên Cộng sản Hồ Chí Minh phường",
                       "", "CT-XH", "0", "0", "0", "11"]


def test_markdown(workspace: Path, cli: Runner) -> None:
    lines = cli("don-vi", "-d", "md").out.splitlines()
    assert lines[0].startswith("| Kế hoạch | Mã | Tên đầy đủ |")
    assert lines[2].startswith("| kh160 | CB | các chi bộ trực thuộc Đảng ủy |")


def test_several_plans(workspace: Path, cli: Runner) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8").replace("ma: kh160", "ma: kh12", 1)
    (workspace / "plans" / "kh12.yaml").write_text(text, encoding="utf-8")
    lines = cli("don-vi").out.splitlines()
    assert lines[0].startswith("Kế hoạch  Mã ")
    assert [line.split()[:2] for line in lines[1:3]] == [["kh12", "CB"], ["kh12", "CT-XH"]]
    assert len(lines) == 1 + 2 * len(ORDER)


def test_literal_names(workspace: Path, cli: Runner) -> None:
    plan = workspace / "plans" / "kh160.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "ten_khac: [Khối Dân vận]", 'ten_khac: ["[bold]Khối[/bold] [red]Dân vận"]'),
        encoding="utf-8")
    out = cli("don-vi").out
    assert "[bold]Khối[/bold] [red]Dân vận" in out


def test_real_process(workspace: Path) -> None:
    result = run_process("don-vi", cwd=workspace)
    assert result.code == 0, result.err
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == ORDER


@pytest.mark.parametrize(("codes", "expected"), [
    (["UBND", "ĐTN", "DU", "ĐU", "Dân", "Ê", "E", "Z"], ["Dân", "DU", "ĐTN", "ĐU", "E", "Ê", "UBND", "Z"]),
])
def test_sort_key_puts_dd_after_d(codes: list[str], expected: list[str]) -> None:
    assert sorted(codes, key=sort_key) == expected
    assert [b.ma for b in sorted((Body(c, c) for c in codes), key=lambda b: sort_key(b.ma))] == expected


def test_help_texts_are_vietnamese(cli: Runner) -> None:
    for command, words in [("list", ["Liệt kê nhiệm vụ", "--don-vi", "--vai-tro", "--muc",
                                     "--loai-thoi-gian", "--trang-thai", "--dinh-dang"]),
                           ("show", ["Xem trọn một nhiệm vụ", "NHIỆM_VỤ"]),
                           ("don-vi", ["Danh mục đơn vị", "--ke-hoach"])]:
        result = cli(command, "--help")
        assert result.code == 0
        for word in words:
            assert word in result.out, (command, word)
    overview = cli("--help").out
    for command in ("list", "show", "don-vi"):
        assert command in overview
