"""`kehoach list`: who does what, filters, formats, literal text, several plans."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_PLAN, Runner, run_process

ALL = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4", "5.1", "5.2", "5.3"]
UBND = ["1.1", "2.1", "2.2", "3.2", "3.3", "4"]
HDND = ["1.1", "2.2", "3.2", "4"]
KDV = ["2.1", "2.2", "3.1", "3.3", "4", "5.1"]


def ids(cli: Runner, *args: str) -> list[str]:
    """The task ids `kehoach list ARGS --dinh-dang json` prints."""
    result = cli("list", *args, "--dinh-dang", "json")
    assert result.code == 0, result.err
    return [item["ma"] for item in json.loads(result.out)]


@pytest.mark.parametrize(("typed", "expected"), [
    ("MTTQ", ALL),
    ("mttq", ALL),
    ("mat tran", ALL),
    ("Mặt trận Tổ quốc", ALL),
    ("UBND", UBND),
    ("uỷ ban nhân dân", UBND),
    ("ủy ban nhân dân", UBND),
    ("UY BAN NHAN DAN PHUONG", UBND),
    (unicodedata.normalize("NFD", "Ủy ban nhân dân"), UBND),
    ("chính quyền", UBND),
    ("khoi dan van", KDV),
    ("thanh niên", ALL),
    ("Hội Phụ nữ", ALL),
    ("HĐND", HDND),
    ("hdnd", HDND),
    ("Đảng ủy", ALL),
    ("chi bo", ALL),
])
def test_each_way_of_naming_a_body(workspace: Path, cli: Runner, typed: str, expected: list[str]) -> None:
    assert ids(cli, "--don-vi", typed) == expected


def test_mttq_plain_table(workspace: Path, cli: Runner) -> None:
    result = cli("list", "--don-vi", "MTTQ")
    assert result.code == 0
    assert result.err == ""
    lines = result.out.splitlines()
    assert len(lines) == 12
    assert lines[0].split() == ["Mã", "Mục", "Nội", "dung", "Vai", "trò", "Thời", "gian"]
    assert [line.split()[0] for line in lines[1:]] == ALL
    assert all(line.endswith("tham mưu, thực hiện  Thường xuyên") for line in lines[1:])
    assert "\x1b" not in result.out  # piped: no colour codes
    assert all(len(line) < 250 for line in lines)


def test_exact_plain_output(workspace: Path, cli: Runner) -> None:
    result = cli("list", "--don-vi", "UBND", "--muc", "3")
    assert result.out.splitlines() == [
        "Mã   Mục" + " " * 36 + "Nội dung" + " " * 83 + "Vai trò              Thời gian",
        "3.2  3. Tiếp tục đổi mới nội dung, phương…  Nâng cao hiệu quả hoạt động giám sát, phản "
        "biện xã hội, góp ý xây dựng Đảng, xây dựng…     tham mưu, thực hiện  Thường xuyên",
        "3.3  3. Tiếp tục đổi mới nội dung, phương…  Tăng cường công tác phối hợp giữa Mặt trận "
        "Tổ quốc và các tổ chức chính trị - xã hội với…  tham mưu, thực hiện  Thường xuyên",
    ]
    assert result.out.endswith("Thường xuyên\n")


def test_member_sees_group_tasks_via_group(workspace: Path, cli: Runner) -> None:
    result = cli("list", "--don-vi", "thanh niên", "--dinh-dang", "json")
    data = json.loads(result.out)
    assert [d["ma"] for d in data] == ALL
    assert data[0]["vai_tro"] == [
        {"don_vi": "ĐTN", "vai_tro": "tham_muu_thuc_hien", "qua_nhom": "CT-XH"}]
    plain = cli("list", "--don-vi", "Đoàn Thanh niên").out
    assert plain.count("tham mưu, thực hiện (qua nhóm CT-XH)") == 11


def test_several_bodies_label_each_role(workspace: Path, cli: Runner) -> None:
    assert ids(cli, "--don-vi", "HĐND", "--don-vi", "khoi dan van") == [
        "1.1", "2.1", "2.2", "3.1", "3.2", "3.3", "4", "5.1"]
    line = cli("list", "--don-vi", "HĐND", "--don-vi", "KDV", "--muc", "2").out.splitlines()[2]
    assert line.endswith("HĐND: tham mưu, thực hiện; KDV: tham mưu, thực hiện  Thường xuyên")


def test_json_shape(workspace: Path, cli: Runner) -> None:
    data: list[dict[str, Any]] = json.loads(cli("list", "--don-vi", "UBND", "-d", "json").out)
    first = data[0]
    assert first["ke_hoach"] == "kh160"
    assert first["ma"] == "1.1"
    assert first["muc"] == "1"
    assert first["noi_dung"].startswith("Tiếp tục quán triệt")
    assert first["noi_dung"].endswith("phong cách Hồ Chí Minh.")
    assert first["vai_tro"] == [{"don_vi": "UBND", "vai_tro": "tham_muu_thuc_hien", "qua_nhom": None}]
    assert first["don_vi"] == {"chi_dao": ["ĐU"],
                               "tham_muu_thuc_hien": ["HĐND", "UBND", "MTTQ", "CT-XH", "CB"]}
    assert first["thoi_gian"] == {"van_ban": "Thường xuyên", "loai": "thuong_xuyen",
                                  "tu_ngay": None, "han": None, "chu_ky": None}
    assert first["trang_thai"] == "chua_thuc_hien"  # no note yet, as `list --help` says


def test_without_body_lists_every_task_with_its_bodies(workspace: Path, cli: Runner) -> None:
    result = cli("list")
    lines = result.out.splitlines()
    assert lines[0].startswith("Mã   Mục")
    assert "  Đơn vị  " in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ALL
    assert "chỉ đạo: ĐU; tham mưu, thực hiện: HĐND, UBND, MTTQ, CT-XH, CB" in lines[1]


@pytest.mark.parametrize(("args", "expected"), [
    (["--vai-tro", "chỉ đạo"], ALL),
    (["--don-vi", "MTTQ", "--vai-tro", "chi dao"], []),
    (["--don-vi", "ĐU", "--vai-tro", "chi_dao"], ALL),
    (["--don-vi", "UBND", "--vai-tro", "tham mưu"], UBND),
    (["--don-vi", "UBND", "--vai-tro", "thuc hien"], UBND),
    (["--vai-tro", "chủ trì"], []),
    (["--muc", "3"], ["3.1", "3.2", "3.3"]),
    (["--muc", "3", "--muc", "4"], ["3.1", "3.2", "3.3", "4"]),
    (["--muc", "kien toan"], ["5.1", "5.2", "5.3"]),
    (["--don-vi", "UBND", "--muc", "2", "--muc", "5"], ["2.1", "2.2"]),
    (["--loai-thoi-gian", "thường xuyên"], ALL),
    (["--loai-thoi-gian", "co han"], []),
    (["--trang-thai", "chưa thực hiện"], ALL),
    (["--trang-thai", "hoan thanh"], []),
    (["--don-vi", "UBND", "--don-vi", "HĐND", "--muc", "3", "--loai-thoi-gian", "thuong_xuyen"],
     ["3.2", "3.3"]),
])
def test_filters_combine(workspace: Path, cli: Runner, args: list[str], expected: list[str]) -> None:
    assert ids(cli, *args) == expected


def test_nothing_matches_says_so(workspace: Path, cli: Runner) -> None:
    result = cli("list", "--loai-thoi-gian", "có hạn")
    assert (result.code, result.out) == (0, "")
    assert result.err == "Không có nhiệm vụ nào khớp với điều kiện đã chọn.\n"


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--don-vi", "xyz"], 3,
     "Lỗi: không có đơn vị “xyz” trong danh mục (xem danh mục: kehoach don-vi)\n"),
    (["--don-vi", "Hoi nong dan xa"], 3,
     "Lỗi: không có đơn vị “Hoi nong dan xa” trong danh mục; có phải ý là: "
     "HND (Hội Nông dân phường)? (xem danh mục: kehoach don-vi)\n"),
    (["--don-vi", "ủy ban"], 4,
     "Lỗi: tên đơn vị “ủy ban” khớp với nhiều đơn vị: UBND (Ủy ban nhân dân phường); "
     "MTTQ (Ủy ban Mặt trận Tổ quốc Việt Nam phường); hãy gõ rõ hơn hoặc dùng mã đơn vị\n"),
    (["--vai-tro", "lam gi"], 2,
     "Lỗi: không hiểu vai trò “lam gi”: hãy dùng chỉ đạo; tham mưu, thực hiện; chủ trì; "
     "phối hợp (không dấu cũng được)\n"),
    (["--loai-thoi-gian", "hom nay"], 2,
     "Lỗi: không hiểu loại thời gian “hom nay”: hãy dùng thường xuyên; có hạn; theo kỳ; "
     "khoảng thời gian; định kỳ; khác (không dấu cũng được)\n"),
    (["--muc", "9"], 3,
     "Lỗi: không có mục nào khớp với “9”; hãy dùng số mục (ví dụ 3) hoặc một cụm từ trong "
     "tiêu đề mục\n"),
])
def test_bad_input_is_a_message_not_a_traceback(workspace: Path, cli: Runner, args: list[str],
                                                code: int, message: str) -> None:
    result = cli("list", *args)
    assert (result.code, result.out, result.err) == (code, "", message)


def test_bad_status_message(workspace: Path, cli: Runner) -> None:
    result = cli("list", "--trang-thai", "tam dung")
    assert result.code == 2
    assert result.err.startswith("Lỗi: không hiểu trạng thái “tam dung”")
    assert "Traceback" not in result.err


def test_csv_has_bom_and_neutralises_formulas(workspace: Path, tmp_path: Path,
                                              capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    _replace_task_53(workspace, "'=HYPERLINK(\"http://x\")'")
    from kehoach_cli.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["list", "--don-vi", "MTTQ", "--dinh-dang", "csv"])
    assert exited.value.code == 0
    raw = capsysbinary.readouterr().out
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Kế hoạch", "Mã", "Mục", "Nội dung", "Vai trò", "Thời gian", "Trạng thái"]
    assert [r[1] for r in rows[1:]] == ALL
    assert rows[-1][3] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][3].endswith("phong cách Hồ Chí Minh.")  # full text, not shortened


def test_markdown(workspace: Path, cli: Runner) -> None:
    out = cli("list", "--don-vi", "KDV", "--muc", "3", "-d", "md").out
    lines = out.splitlines()
    assert lines[0] == "| Kế hoạch | Mã | Mục | Nội dung | Vai trò | Thời gian | Trạng thái |"
    assert lines[1] == "|---|---|---|---|---|---|---|"
    assert [line.split(" | ")[1] for line in lines[2:]] == ["3.1", "3.3"]


def _replace_task_53(workspace: Path, yaml_value: str) -> None:
    """Give task 5.3 of the workspace's plan new content, written as a YAML scalar."""
    plan = workspace / "plans" / "kh160.yaml"
    text = plan.read_text(encoding="utf-8")
    old = ("        noi_dung: >-\n"
           "          Phát huy vai trò lực lượng nòng cốt và người có uy tín trong cộng đồng dân cư.")
    assert old in text
    plan.write_text(text.replace(old, f"        noi_dung: {yaml_value}"), encoding="utf-8")


def _plant_markup(workspace: Path) -> None:
    _replace_task_53(workspace, '"[bold]Phát huy[/bold] vai trò [red]nòng cốt[/red] ở khu dân cư."')


def test_markup_printed_literally(workspace: Path, cli: Runner) -> None:
    _plant_markup(workspace)
    out = cli("list", "--don-vi", "MTTQ", "--muc", "5").out
    assert "[bold]Phát huy[/bold] vai trò [red]nòng cốt[/red] ở khu dân cư." in out


def test_markup_literal_on_a_terminal(workspace: Path, cli: Runner,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _plant_markup(workspace)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "300")
    out = cli("list", "--don-vi", "MTTQ", "--muc", "5").out
    assert "Nhiệm vụ của MTTQ (Ủy ban Mặt trận Tổ quốc Việt Nam phường): 3" in out
    assert "[bold]Phát huy[/bold] vai trò [red]nòng cốt[/red]" in out


@pytest.mark.parametrize(("escape", "code"), [("\\x1b[31m", "điều khiển U+001B"),
                                              ("\\u202e", "đảo chiều chữ U+202E"),
                                              ("\\x9b2J", "điều khiển U+009B")])
def test_escapes_in_plan_text_are_refused(workspace: Path, cli: Runner, escape: str,
                                          code: str) -> None:
    _replace_task_53(workspace, f'"Phát huy vai trò {escape}nòng cốt ở khu dân cư."')
    result = cli("list")
    assert result.code == 1
    assert (f"plans/kh160.yaml:332:19: noi_dung[5].nhiem_vu[5.3].noi_dung: văn bản có ký tự "
            f"{code} ở vị trí 18") in result.err
    assert not re.search("[\x1b\x9b\u202e]", result.err + result.out)
    assert cli("check").code == 1


def test_terminal_table_wraps_to_width(workspace: Path, cli: Runner,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "90")
    out = cli("list", "--don-vi", "MTTQ").out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(len(line) for line in plain.splitlines()) <= 90
    assert "Nhiệm vụ của MTTQ" in plain
    assert " 5.3 " in plain


def _second_plan(workspace: Path) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8").replace("ma: kh160", "ma: kh12", 1)
    # In this ward the youth union is not in the CT-XH group, and there is no UBND.
    text = text.replace("thanh_vien: [ĐTN, HLHPN, HND, HCCB]", "thanh_vien: [HLHPN, HND, HCCB]")
    (workspace / "plans" / "kh12.yaml").write_text(text, encoding="utf-8")


def test_several_plans_label_rows(workspace: Path, cli: Runner) -> None:
    _second_plan(workspace)
    data = json.loads(cli("list", "--don-vi", "UBND", "-d", "json").out)
    assert [(d["ke_hoach"], d["ma"]) for d in data] == (
        [("kh12", m) for m in UBND] + [("kh160", m) for m in UBND])
    assert [d["ke_hoach"] for d in json.loads(cli("list", "--don-vi", "doan thanh nien",
                                                 "-d", "json").out)] == ["kh160"] * 11
    lines = cli("list", "--don-vi", "UBND", "--muc", "4").out.splitlines()
    assert lines[0].startswith("Kế hoạch  Mã  Mục")
    assert [line.split()[:2] for line in lines[1:]] == [["kh12", "4"], ["kh160", "4"]]


def test_real_process_piped(workspace: Path) -> None:
    result = run_process("list", "--don-vi", "mat tran", cwd=workspace)
    assert result.code == 0, result.err
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == ALL
    assert "\x1b" not in result.out


def test_real_process_unknown_body(workspace: Path) -> None:
    result = run_process("list", "--don-vi", "cong an", cwd=workspace)
    assert result.code == 3
    assert result.out == ""
    assert result.err == "Lỗi: không có đơn vị “cong an” trong danh mục (xem danh mục: kehoach don-vi)\n"


def test_without_filter_lists_a_task_no_body_is_assigned_yet(workspace: Path, cli: Runner) -> None:
    # A task whose bodies are still to be decided (no role lines) is still a task of the plan.
    plan = workspace / "plans" / "kh160.yaml"
    text = plan.read_text(encoding="utf-8")
    block = ("        chi_dao: [ĐU]\n"
             "        # Mặt trận Tổ quốc và các tổ chức chính trị - xã hội phường; các chi bộ trực thuộc\n"
             "        # Đảng ủy.\n"
             "        tham_muu_thuc_hien: [MTTQ, CT-XH, CB]\n"
             "        thoi_gian: Thường xuyên\n")
    assert text.endswith(block)
    plan.write_text(text[: -len(block)] + "        thoi_gian: Thường xuyên\n", encoding="utf-8")
    assert ids(cli) == ALL
    assert ids(cli, "--muc", "5") == ["5.1", "5.2", "5.3"]
    assert ids(cli, "--don-vi", "MTTQ") == ALL[:-1]
    assert ids(cli, "--vai-tro", "chỉ đạo") == ALL[:-1]
