"""`kehoach log`, `sua`, `huy` and `nhat-ky` through the CLI, on plans/kh160.yaml."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

TODAY = "2025-11-20"
SIDECAR = Path("plans") / "kh160.nhat-ky" / "2025-11.nguoi-kiem-thu.jsonl"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)


def records(root: Path) -> list[dict[str, Any]]:
    path = root / SIDECAR
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def logged_id(out: str) -> str:
    assert out.startswith("Đã ghi nhận "), out
    return out.split()[3].rstrip(":")


def test_log_records_every_field(workspace: Path, cli: Runner) -> None:
    plan_before = (workspace / "plans" / "kh160.yaml").read_bytes()
    result = cli("log", "3.2", "Đã giám sát 3 khu dân cư", "--don-vi", "MTTQ",
                 "--ngay", "15/11/2025", "--trang-thai", "dang thuc hien",
                 "--minh-chung", "15-BC/MTTQ", "--so-lieu", "số cuộc giám sát=3",
                 "--so-lieu", "tỷ lệ hài lòng=92,5")
    assert result.code == 0, result.err
    entry_id = logged_id(result.out)
    assert "kh160:3.2" in result.out and "15/11/2025" in result.out
    assert str(SIDECAR) in result.out
    [record] = records(workspace)
    assert record["id"] == entry_id
    assert {k: record[k] for k in ("ma", "ngay", "don_vi", "noi_dung", "trang_thai",
                                   "minh_chung", "so_lieu", "nguoi_ghi")} == {
        "ma": "3.2", "ngay": "2025-11-15", "don_vi": "MTTQ",
        "noi_dung": "Đã giám sát 3 khu dân cư", "trang_thai": "dang_thuc_hien",
        "minh_chung": "15-BC/MTTQ", "so_lieu": {"số cuộc giám sát": 3, "tỷ lệ hài lòng": 92.5},
        "nguoi_ghi": "Người kiểm thử"}
    assert record["ghi_luc"].startswith(TODAY)
    raw = (workspace / SIDECAR).read_text(encoding="utf-8")
    assert "Đã giám sát" in raw and "\\u" not in raw  # Vietnamese as text, not escapes
    assert (workspace / "plans" / "kh160.yaml").read_bytes() == plan_before


@pytest.mark.parametrize("typed", ["15/3/2025", "15/03/2025", "2025-03-15"])
def test_log_date_forms(workspace: Path, cli: Runner, typed: str) -> None:
    result = cli("log", "3.2", "việc cũ", "-u", "MTTQ", "--ngay", typed)
    assert result.code == 0, result.err
    assert records(workspace)[0]["ngay"] == "2025-03-15"


def test_log_defaults_to_today(workspace: Path, cli: Runner) -> None:
    assert cli("log", "3.2", "hôm nay", "-u", "MTTQ").code == 0
    assert records(workspace)[0]["ngay"] == TODAY


@pytest.mark.parametrize(("typed", "code"), [
    ("MTTQ", "MTTQ"), ("mat tran", "MTTQ"), ("Mặt trận Tổ quốc", "MTTQ"),
    (unicodedata.normalize("NFD", "Ủy ban nhân dân"), "UBND"), ("uỷ ban nhân dân", "UBND"),
    ("thanh niên", "ĐTN"),  # a member of CT-XH reports on a task given to its group
    ("hoi phu nu", "HLHPN"), ("CT-XH", "CT-XH"), ("ĐU", "ĐU"),
])
def test_log_body_named_as_people_type_it(workspace: Path, cli: Runner, typed: str,
                                          code: str) -> None:
    result = cli("log", "3.2", "đã làm", "--don-vi", typed)
    assert result.code == 0, result.err
    assert records(workspace)[0]["don_vi"] == code


def test_log_with_nfd_note_stores_nfc(workspace: Path, cli: Runner) -> None:
    note = unicodedata.normalize("NFD", "Đã tổ chức hội nghị")
    assert cli("log", "3.2", note, "-u", "MTTQ").code == 0
    assert records(workspace)[0]["noi_dung"] == "Đã tổ chức hội nghị"


def test_log_multiline_note_stays_one_line(workspace: Path, cli: Runner) -> None:
    assert cli("log", "3.2", "dòng một\r\ndòng hai\tcột", "-u", "MTTQ").code == 0
    assert records(workspace)[0]["noi_dung"] == "dòng một\ndòng hai\tcột"
    assert len((workspace / SIDECAR).read_bytes().splitlines()) == 1


def test_log_note_of_exactly_10000_characters_is_accepted(workspace: Path, cli: Runner) -> None:
    assert cli("log", "3.2", "ả" * 10_000, "-u", "MTTQ").code == 0


SINGLE_BODY_PLAN = """\
luoc_do: 1
ke_hoach:
  ma: kh9
  trich_yeu: thử nghiệm
  ngay: 01/06/2025
don_vi:
  - ma: MTTQ
    ten: Ủy ban Mặt trận Tổ quốc Việt Nam phường
  - ma: UBND
    ten: Ủy ban nhân dân phường
  - ma: ĐU
    ten: Đảng ủy phường
noi_dung:
  - ma: "1"
    tieu_de: Nhóm một
    nhiem_vu:
      - ma: "1.1"
        noi_dung: Việc của Mặt trận.
        chi_dao: [ĐU]
        tham_muu_thuc_hien: [MTTQ]
      - ma: "1.2"
        noi_dung: Việc của hai đơn vị.
        chu_tri: [UBND]
        phoi_hop: [MTTQ]
"""


@pytest.fixture
def small_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "kh9.yaml").write_text(SINGLE_BODY_PLAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_log_without_body_takes_the_only_implementing_body(small_plan: Path, cli: Runner) -> None:
    result = cli("log", "1.1", "đã làm")
    assert result.code == 0, result.err
    assert "MTTQ" in result.out


def test_log_without_body_on_a_shared_task_asks_which(small_plan: Path, cli: Runner) -> None:
    result = cli("log", "1.2", "đã làm")
    assert result.code == 2
    assert result.err == "Lỗi: hãy chỉ rõ đơn vị báo cáo bằng --don-vi; nhiệm vụ 1.2 giao " \
                         "cho: UBND, MTTQ. Để khỏi gõ mỗi lần, khai báo đơn vị của mình một " \
                         "lần: kehoach cau-hinh --don-vi MÃ_ĐƠN_VỊ (hoặc đặt biến môi trường " \
                         "KEHOACH_DON_VI)\n"


def test_log_on_a_task_no_body_holds_says_so(small_plan: Path, cli: Runner) -> None:
    plan = small_plan / "plans" / "kh9.yaml"
    plan.write_text(SINGLE_BODY_PLAN + '      - ma: "1.3"\n        noi_dung: Chưa giao.\n',
                    encoding="utf-8")
    for args in (["1.3", "đã làm"], ["1.3", "đã làm", "-u", "MTTQ"]):
        result = cli("log", *args)
        assert result.code in (2, 3)
        assert "nhiệm vụ 1.3 chưa giao cho đơn vị nào" in result.err, result.err
        assert not result.err.rstrip().endswith(":")
    assert not (small_plan / "plans" / "kh9.nhat-ky").exists()


def test_log_before_the_plan_date_is_refused(small_plan: Path, cli: Runner) -> None:
    result = cli("log", "1.1", "đã làm", "--ngay", "31/5/2025")
    assert result.code == 2
    assert "trước ngày ban hành kế hoạch kh9 (01/06/2025)" in result.err
    assert cli("log", "1.1", "đã làm", "--ngay", "1/6/2025").code == 0


BAD_INPUTS = [
    (["3.9", "x", "-u", "MTTQ"], 3, "không có nhiệm vụ “3.9”; có phải ý là: 3.3, 3.2, 3.1?"),
    (["kh999:3.2", "x", "-u", "MTTQ"], 3, "không có kế hoạch “kh999”"),
    (["3.2", "", "-u", "MTTQ"], 2, "nội dung ghi nhận đang để trống"),
    (["3.2", "   \n ", "-u", "MTTQ"], 2, "nội dung ghi nhận đang để trống"),
    (["3.2", "a" * 10_001, "-u", "MTTQ"], 2, "dài 10.001 ký tự, quá giới hạn 10.000"),
    (["3.2", "đỏ\x1b[31m", "-u", "MTTQ"], 2, "ký tự điều khiển U+001B ở vị trí 3"),
    (["3.2", "a\x00b", "-u", "MTTQ"], 2, "ký tự điều khiển U+0000"),
    (["3.2", "a\u202eb", "-u", "MTTQ"], 2, "ký tự đảo chiều chữ U+202E"),
    (["3.2", "x", "-u", "Hội Người cao tuổi"], 3, "không có đơn vị “Hội Người cao tuổi”"),
    (["3.2", "x", "-u", "KDV"], 3, "đơn vị KDV (Khối Dân vận Đảng ủy) không có vai trò trong "
     "nhiệm vụ 3.2"),
    (["5.2", "x", "-u", "UBND"], 3, "không có vai trò"),
    (["3.2", "x", "-u", "MTTQ", "--ngay", "31/02/2025"], 2,
     "ngày “31/02/2025” không có thật (tháng 2 năm 2025 không có ngày 31)"),
    (["3.2", "x", "-u", "MTTQ", "--ngay", "15/13/2025"], 2, "tháng phải từ 1 đến 12"),
    (["3.2", "x", "-u", "MTTQ", "--ngay", "hôm qua"], 2, "không đọc được ngày"),
    (["3.2", "x", "-u", "MTTQ", "--ngay", "21/11/2025"], 2,
     "ngày 21/11/2025 chưa tới (hôm nay là 20/11/2025)"),
    (["3.2", "x", "-u", "MTTQ", "-t", "tạm dừng"], 2, "không hiểu trạng thái “tạm dừng”"),
    (["3.2", "x", "-u", "MTTQ", "-s", "số cuộc"], 2, "phải có dạng TÊN=SỐ"),
    (["3.2", "x", "-u", "MTTQ", "-s", "số cuộc=ba"], 2, "giá trị phải là số không âm"),
    (["3.2", "x", "-u", "MTTQ", "-s", "số cuộc=-1"], 2, "giá trị phải là số không âm"),
    (["3.2", "x", "-u", "MTTQ", "-s", "kinh phí=1.000"], 2, "một nghìn hay một phẩy"),
    (["3.2", "x", "-u", "MTTQ", "-s", "a=1", "-s", "a=2"], 2, "ghi hai lần"),
    (["3.2", "x", "-u", "MTTQ", "-s", "Số cuộc=1", "-s", "so cuoc=2"], 2,
     "số liệu “so cuoc” ghi hai lần (đã có “Số cuộc”)"),
    (["3.2", "x", "-u", "MTTQ", "-m", "dòng\nhai"], 2, "minh chứng có ký tự điều khiển"),
    (["3.2", "x", "-u", "MTTQ", "-m", " "], 2,
     "minh chứng đang để trống: hãy ghi số văn bản minh chứng, hoặc bỏ --minh-chung"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_INPUTS)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    workspace: Path, cli: Runner, args: list[str], code: int, message: str,
) -> None:
    result = cli("log", *args)
    assert result.code == code, result
    assert result.err.startswith("Lỗi: ")
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert not (workspace / "plans" / "kh160.nhat-ky").exists()


def test_figures_accept_decimal_comma_and_point(workspace: Path, cli: Runner) -> None:
    assert cli("log", "3.2", "x", "-u", "MTTQ", "-s", "a=2,5", "-s", " b  c = 7 ",
               "-s", "d=0.25").code == 0
    assert records(workspace)[0]["so_lieu"] == {"a": 2.5, "b c": 7, "d": 0.25}


# --- corrections ---------------------------------------------------------------------------


def test_sua_appends_a_correction_and_history_shows_it(workspace: Path, cli: Runner) -> None:
    entry_id = logged_id(cli("log", "3.2", "Đã giám sát", "-u", "MTTQ", "-n", "10/11/2025",
                             "-s", "số cuộc=2").out)
    result = cli("sua", entry_id[:5], "Đã giám sát 2 khu dân cư", "--trang-thai", "xong")
    assert result.code == 0, result.err
    assert result.out.startswith(f"Đã sửa ghi nhận {entry_id} (bản sửa ")
    original, fix = records(workspace)
    assert original["noi_dung"] == "Đã giám sát"  # the original line is untouched
    assert fix["sua_cho"] == entry_id and fix["noi_dung"] == "Đã giám sát 2 khu dân cư"
    assert (fix["ngay"], fix["don_vi"], fix["so_lieu"]) == ("2025-11-10", "MTTQ", {"số cuộc": 2})
    assert fix["trang_thai"] == "hoan_thanh"

    data = json.loads(cli("nhat-ky", "--dinh-dang", "json").out)
    assert len(data) == 1
    assert (data[0]["id"], data[0]["noi_dung"]) == (entry_id, "Đã giám sát 2 khu dân cư")
    assert data[0]["cac_ban_sua"] == [fix["id"]]
    table = cli("nhat-ky", "--dinh-dang", "md").out
    assert "đã sửa 1 lần" in table
    full = json.loads(cli("nhat-ky", "--day-du", "--dinh-dang", "json").out)
    assert {r["id"] for r in full} == {entry_id, fix["id"]}


def test_sua_changes_date_and_body_with_the_same_checks(workspace: Path, cli: Runner) -> None:
    entry_id = logged_id(cli("log", "3.2", "x", "-u", "MTTQ").out)
    assert cli("sua", entry_id, "-u", "KDV").code == 3
    assert cli("sua", entry_id, "-n", "21/11/2025").code == 2
    assert cli("sua", entry_id, "-u", "Đoàn Thanh niên", "-n", "2/11/2025").code == 0
    [entry] = json.loads(cli("nhat-ky", "-d", "json").out)
    assert (entry["don_vi"], entry["ngay"]) == ("ĐTN", "2025-11-02")


def test_sua_twice_builds_on_the_last_version(workspace: Path, cli: Runner) -> None:
    entry_id = logged_id(cli("log", "3.2", "bản đầu", "-u", "MTTQ", "-m", "1-BC").out)
    assert cli("sua", entry_id, "bản hai").code == 0
    assert cli("sua", entry_id, "-m", "2-BC").code == 0
    [entry] = json.loads(cli("nhat-ky", "-d", "json").out)
    assert (entry["noi_dung"], entry["minh_chung"]) == ("bản hai", "2-BC")
    assert len(entry["cac_ban_sua"]) == 2 and len(records(workspace)) == 3


@pytest.mark.parametrize(("args", "code", "message"), [
    (["zzzz"], 3, "không có ghi nhận mã “zzzz”"),
    (["ab"], 3, "quá ngắn"),
    (["{id}"], 2, "không có gì để sửa"),
    (["{id}", "bản đầu"], 2, "đã đúng như vậy"),
    (["{id}", ""], 2, "đang để trống"),
])
def test_sua_refusals(workspace: Path, cli: Runner, args: list[str], code: int,
                      message: str) -> None:
    entry_id = logged_id(cli("log", "3.2", "bản đầu", "-u", "MTTQ").out)
    result = cli("sua", *[a.replace("{id}", entry_id) for a in args])
    assert result.code == code, result
    assert message in result.err and "Traceback" not in result.err
    assert len(records(workspace)) == 1


def test_huy_withdraws_an_entry_but_keeps_its_record(workspace: Path, cli: Runner) -> None:
    kept = logged_id(cli("log", "3.2", "giữ", "-u", "MTTQ").out)
    gone = logged_id(cli("log", "3.2", "ghi nhầm", "-u", "MTTQ").out)
    result = cli("huy", gone, "--ly-do", "ghi nhầm nhiệm vụ")
    assert result.code == 0, result.err
    assert result.out.startswith(f"Đã hủy ghi nhận {gone}")
    assert [e["id"] for e in json.loads(cli("nhat-ky", "-d", "json").out)] == [kept]
    lines = records(workspace)
    assert len(lines) == 3 and lines[1]["noi_dung"] == "ghi nhầm"
    assert lines[2]["huy"] is True and lines[2]["noi_dung"] == "ghi nhầm nhiệm vụ"
    raw = cli("nhat-ky", "--day-du", "-d", "md").out
    assert f"hủy {gone}" in raw
    empty_reason = cli("huy", kept, "--ly-do", "")
    assert empty_reason.code == 2
    assert "lý do hủy đang để trống: hãy ghi vì sao hủy, hoặc bỏ --ly-do" in empty_reason.err
    again = cli("huy", gone)
    assert again.code == 5 and "đã bị hủy" in again.err
    assert cli("sua", gone, "mới").code == 5
    assert len(records(workspace)) == 3


# --- history -------------------------------------------------------------------------------


@pytest.fixture
def history(workspace: Path, cli: Runner) -> dict[str, str]:
    ids = {}
    for key, args in {
        "a": ["3.2", "MTTQ giám sát", "-u", "MTTQ", "-n", "1/10/2025"],
        "b": ["3.2", "Đoàn ra quân", "-u", "ĐTN", "-n", "5/11/2025"],
        "c": ["1.1", "UBND đối thoại", "-u", "UBND", "-n", "10/11/2025"],
        "d": ["1.1", "Hội Phụ nữ", "-u", "HLHPN", "-n", "12/11/2025"],
    }.items():
        result = cli("log", *args)
        assert result.code == 0, result.err
        ids[key] = logged_id(result.out)
    return ids


def _ids(cli: Runner, *args: str) -> list[str]:
    result = cli("nhat-ky", "-d", "json", *args)
    assert result.code == 0, result.err
    return [e["id"] for e in json.loads(result.out)]


def test_nhat_ky_newest_first_with_required_json_fields(history: dict[str, str],
                                                        cli: Runner) -> None:
    data = json.loads(cli("nhat-ky", "--dinh-dang", "json").out)
    assert [e["id"] for e in data] == [history[k] for k in "dcba"]
    for key in ("id", "ma", "ngay", "don_vi", "noi_dung", "ke_hoach", "nguoi_ghi", "ghi_luc"):
        assert key in data[0]
    assert data[0]["ngay"] == "2025-11-12"


@pytest.mark.parametrize(("args", "expected"), [
    (["--don-vi", "MTTQ"], "a"),
    (["--don-vi", "mat tran", "--don-vi", "UBND"], "ca"),
    (["--don-vi", "CT-XH"], "db"),  # a group covers its members
    (["--ma", "3.2"], "ba"),
    (["--ma", "kh160:1.1"], "dc"),
    (["--tu", "1/11/2025"], "dcb"),
    (["--tu", "2025-11-05", "--den", "10/11/2025"], "cb"),
    (["--ma", "1.1", "--don-vi", "hoi phu nu"], "d"),
    (["--so-dong", "2"], "dc"),
])
def test_nhat_ky_filters(history: dict[str, str], cli: Runner, args: list[str],
                         expected: str) -> None:
    assert _ids(cli, *args) == [history[k] for k in expected]


def test_nhat_ky_limit_says_so_on_stderr(history: dict[str, str], cli: Runner) -> None:
    result = cli("nhat-ky", "--so-dong", "1", "-d", "md")
    assert "Hiện 1/4 ghi nhận gần nhất" in result.err


@pytest.mark.parametrize(("args", "message"), [
    (["--tu", "12/11/2025", "--den", "1/11/2025"], "--tu 12/11/2025 sau --den 01/11/2025"),
    (["--tu", "30/02/2025"], "--tu: ngày “30/02/2025” không có thật"),
    (["--ma", "9.9"], "không có nhiệm vụ “9.9”"),
    (["--don-vi", "xyz"], "không có đơn vị “xyz”"),
])
def test_nhat_ky_bad_filters(history: dict[str, str], cli: Runner, args: list[str],
                             message: str) -> None:
    result = cli("nhat-ky", *args)
    assert result.code != 0 and message in result.err and "Traceback" not in result.err


def test_nhat_ky_csv_for_excel(history: dict[str, str], cli: Runner) -> None:
    result = cli("nhat-ky", "-d", "csv")
    assert result.code == 0 and result.out.startswith("\ufeff")  # UTF-8 BOM for Excel
    rows = list(csv.reader(io.StringIO(result.out[1:])))
    assert rows[0][:5] == ["Mã", "Nhiệm vụ", "Ngày", "Đơn vị", "Nội dung"]
    assert len(rows) == 5 and rows[1][4] == "Hội Phụ nữ"


def test_nhat_ky_table_and_empty(workspace: Path, cli: Runner) -> None:
    empty = cli("nhat-ky")
    assert empty.code == 0 and "Chưa có ghi nhận nào" in empty.out
    cli("log", "3.2", "[bold]đậm[/bold] \u200bnhé", "-u", "MTTQ")
    table = cli("nhat-ky")
    assert table.code == 0 and "[bold]đậm[/bold]" in table.out  # printed literally
    assert "Nhật ký thực hiện (1 ghi nhận)" in table.out


def test_nhat_ky_warns_of_damaged_lines_and_still_lists(workspace: Path, cli: Runner) -> None:
    cli("log", "3.2", "tốt", "-u", "MTTQ")
    with (workspace / SIDECAR).open("ab") as handle:
        handle.write(b'{"id": "torn')
    result = cli("nhat-ky", "-d", "json")
    assert result.code == 0
    assert len(json.loads(result.out)) == 1
    assert result.err.startswith("Cảnh báo: ") and "2025-11.nguoi-kiem-thu.jsonl:2:" in result.err
    assert "cắt dở" in result.err


def test_task_history_for_show(history: dict[str, str], workspace: Path) -> None:
    from kehoach_cli.journal.read import read_journal
    from kehoach_cli.plan.loader import load_plan

    plan = load_plan(workspace / "plans" / "kh160.yaml")
    assert [e.id for e in read_journal(plan, "3.2").entries] == [history["a"], history["b"]]


@pytest.mark.parametrize("command", ["log", "sua", "huy", "nhat-ky"])
def test_help_is_vietnamese(workspace: Path, cli: Runner, command: str) -> None:
    result = cli(command, "--help")
    assert result.code == 0
    assert "Hiện hướng dẫn này rồi thoát." in result.out
    assert any(word in result.out for word in ("Ghi nhận", "Sửa", "Hủy", "Nhật ký"))
