"""What a careless user types or a collaborator commits: each ends in a Vietnamese message and
an exit code (never a traceback), or in the right result.

One test per case of issue 13's list, grouped as the issue groups them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import SEED_PLAN, Result, Runner, run_process

TODAY = "2025-11-20"
UNSAFE_OUTPUT = re.compile("[\x1b\x9b\u202e\x07]")


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)


def _journal(workspace: Path, *records: dict[str, object]) -> Path:
    folder = workspace / "plans" / "kh160.nhat-ky"
    folder.mkdir(exist_ok=True)
    path = folder / "2025-11.nguoi-kiem-thu.jsonl"
    base = {"ngay": "2025-11-03", "don_vi": "MTTQ", "noi_dung": "Đã giám sát",
            "nguoi_ghi": "Người kiểm thử", "ghi_luc": "2025-11-03T09:00:00.000+07:00"}
    lines = [json.dumps({"id": f"aaaa00000{i}", "ma": "3.2", **base, **record}, ensure_ascii=False)
             for i, record in enumerate(records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _plan_text(workspace: Path) -> str:
    return (workspace / "plans" / "kh160.yaml").read_text(encoding="utf-8")


def _write_plan(workspace: Path, text: str) -> None:
    (workspace / "plans" / "kh160.yaml").write_text(text, encoding="utf-8")


# --- unsafe: what reaches the terminal -----------------------------------------------------


@pytest.mark.parametrize("args", [
    ["log", "3.2", "x", "--don-vi", "M\x1b[2J\u202e"],  # an unknown body code echoed back
    ["show", "3.2\x9b31m"],  # the user's own argument
    ["list", "--trang-thai", "\x1b]8;;http://x\x07"],
    ["report", "--ky", "quý \u202eIII/2025"],
])
def test_echoed_arguments_are_shown_safely(workspace: Path, cli: Runner, today: None,
                                           args: list[str]) -> None:
    result = cli(*args)
    assert result.code in (2, 3)
    assert result.err.startswith("Lỗi: ")
    assert not UNSAFE_OUTPUT.search(result.err + result.out)
    assert re.search(r"\\x1b|\\x9b|\\u202e", result.err)


def test_journal_values_reach_messages_and_json_safely(workspace: Path, cli: Runner,
                                                       today: None) -> None:
    _journal(workspace, {"trang_thai": "xong\x1b[31m"}, {"noi_dung": "a\x9bb"},
             {"sua_cho": "zzzz\u202e"}, {"so_lieu": {"số\x1b": 1}})
    listed = cli("nhat-ky", "--dinh-dang", "json")
    assert listed.code == 0
    assert not UNSAFE_OUTPUT.search(listed.out + listed.err)
    assert "\\u009b" in listed.out  # escaped, and still the same string for a JSON reader
    assert json.loads(listed.out)[0]["noi_dung"] == "a\x9bb"
    check = cli("check")
    assert check.code == 1
    assert "trạng thái “xong\\x1b[31m” không hợp lệ" in check.err
    assert not UNSAFE_OUTPUT.search(check.err)
    report = cli("report", "--ky", "quý IV/2025", "--dinh-dang", "json")
    assert not UNSAFE_OUTPUT.search(report.out + report.err)
    json.loads(report.out)


def test_unknown_key_with_escape_is_shown_safely(workspace: Path, cli: Runner) -> None:
    _write_plan(workspace, _plan_text(workspace).replace("luoc_do: 1", 'luoc_do: 1\n"x\\e[2J": 1'))
    result = cli("check")
    assert result.code == 1
    assert "tên khóa có ký tự điều khiển U+001B ở vị trí 2" in result.err
    assert not UNSAFE_OUTPUT.search(result.err)


def test_journal_file_name_is_shown_safely(workspace: Path, cli: Runner) -> None:
    folder = workspace / "plans" / "kh160.nhat-ky"
    folder.mkdir()
    (folder / "2025-11.a\x1b[2J.jsonl").write_text("hỏng\n", encoding="utf-8")
    result = cli("check")
    assert result.code == 1
    assert "2025-11.a\\x1b[2J.jsonl:1: dòng hỏng" in result.err
    assert not UNSAFE_OUTPUT.search(result.err)


def test_body_codes_have_a_strict_alphabet(workspace: Path, cli: Runner) -> None:
    _write_plan(workspace, _plan_text(workspace).replace("ma: MTTQ\n", 'ma: "MTTQ$(touch X)"\n'))
    result = cli("check")
    assert result.code == 1
    assert ("mã đơn vị “MTTQ$(touch X)” chỉ được gồm chữ cái, chữ số và dấu “-” hoặc “.” "
            "giữa chúng (ví dụ MTTQ, CT-XH, HĐND)") in result.err
    assert cli("check", str(SEED_PLAN)).code == 0  # ĐU, CT-XH, HĐND pass


def test_nhap_review_notes_and_comments_are_visible_text(workspace: Path, cli: Runner) -> None:
    source = workspace / "ke-hoach.md"
    source.write_text("# KẾ HOẠCH\n\nII. NỘI DUNG\n\n1. Tuyên truyền \x1b[2J\u2028ma: x\n"
                      "- Cơ quan thực hiện: Ban \x1b[31mLạ\n", encoding="utf-8")
    result = cli("nhap", str(source))
    assert not UNSAFE_OUTPUT.search(result.out + result.err)
    assert "\u2028" not in result.out


# --- tracebacks that become messages ---------------------------------------------------------


@pytest.mark.parametrize("shape", ["[" * 600 + "]" * 600, "{a: " * 600 + "1" + "}" * 600])
def test_deep_yaml(tmp_path: Path, cli: Runner, shape: str) -> None:
    plan = tmp_path / "sau.yaml"
    plan.write_text(f"luoc_do: 1\nke_hoach: {shape}\n", encoding="utf-8")
    result = cli("check", str(plan))
    assert result.code == 1
    assert "danh sách và bảng lồng nhau quá 64 cấp" in result.err


def test_control_character_in_yaml_is_located(tmp_path: Path, cli: Runner) -> None:
    plan = tmp_path / "kh.yaml"
    plan.write_text("luoc_do: 1\nke_hoach: a\x01b\n", encoding="utf-8")
    result = cli("check", str(plan))
    assert result.err.startswith(f"{plan}:2:12: có ký tự điều khiển U+0001, YAML không cho phép")


@pytest.mark.parametrize(("yaml_text", "reason"), [
    ("a: b\n--- \nc: d\n", "tệp chỉ được có một tài liệu YAML"),
    ("? [a, b]\n: c\n", "tên khóa phải là văn bản"),
    ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "dòng %YAML ghi hai lần"),
    ("a: !!binary x\n", "thẻ YAML (như !!binary) không được phép"),
])
def test_yaml_reasons_are_vietnamese(tmp_path: Path, cli: Runner, yaml_text: str,
                                     reason: str) -> None:
    plan = tmp_path / "kh.yaml"
    plan.write_text(yaml_text, encoding="utf-8")
    result = cli("check", str(plan))
    assert result.code == 1
    assert reason in result.err
    assert not re.search(r"\b(found|expected|but|while|failed)\b", result.err)


def _raw_process(args: list[bytes], cwd: Path, env: dict[str, str] | None = None) -> Result:
    proc = subprocess.run([sys.executable, "-m", "kehoach_cli", *args], cwd=cwd,
                          capture_output=True, env={**os.environ, **(env or {})}, check=False)
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                  proc.stderr.decode("utf-8", "replace"))


@pytest.mark.skipif(sys.platform == "win32", reason="arguments are UTF-16 on Windows")
@pytest.mark.parametrize(("args", "label"), [
    ([b"log", b"3.2", b"ghi \xc3\x28 nh\xe1\xba\xadn", b"--don-vi", b"MTTQ"], "nội dung ghi nhận"),
    ([b"log", b"3.2", b"x", b"--minh-chung", b"\xff", b"--don-vi", b"MTTQ"], "minh chứng"),
    ([b"log", b"3.2", b"x", b"--so-lieu", b"\xff\xfe=3", b"--don-vi", b"MTTQ"], "tên số liệu"),
    ([b"log", b"3.2", b"x", b"--don-vi", b"\xff\xfe"], "tên đơn vị “\\xff\\xfe”"),  # not "empty"
])
def test_undecodable_bytes_in_arguments(workspace: Path, args: list[bytes], label: str) -> None:
    result = _raw_process(args, workspace, {"KEHOACH_HOM_NAY": TODAY})
    assert result.code in (2, 3)
    assert label in result.err and "có byte không phải UTF-8 (\\x" in result.err
    assert "Traceback" not in result.err
    assert not (workspace / "plans" / "kh160.nhat-ky").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="the environment is UTF-16 on Windows")
def test_undecodable_bytes_in_the_environment(workspace: Path) -> None:
    env = {**os.environ, "KEHOACH_HOM_NAY": TODAY}
    env_bytes = {k.encode(): v.encode() for k, v in env.items()}
    env_bytes[b"KEHOACH_NGUOI_GHI"] = b"\xff\xfe"
    proc = subprocess.run([sys.executable, "-m", "kehoach_cli", "log", "3.2", "x", "-u", "MTTQ"],
                          cwd=workspace, env=env_bytes, capture_output=True, check=False)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert err == ("Lỗi: nguoi_ghi (theo biến môi trường KEHOACH_NGUOI_GHI) có byte không phải "
                   "UTF-8 (\\xff) ở vị trí 1: hãy gõ lại; cửa sổ lệnh cần dùng bảng mã UTF-8\n")


@pytest.mark.skipif(sys.platform == "win32", reason="locales are a POSIX matter")
def test_ascii_locale(workspace: Path) -> None:
    result = run_process("log", "3.2", "Đã giám sát", "--don-vi", "Mặt trận", cwd=workspace,
                         env={**os.environ, "LC_ALL": "C", "LANG": "C", "KEHOACH_HOM_NAY": TODAY})
    assert result.code == 0, result.err
    assert "Đã giám sát" in (workspace / "plans" / "kh160.nhat-ky" /
                             "2025-11.nguoi-kiem-thu.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--ky", "năm 9999"], "Lỗi: kỳ “năm 9999”: năm phải từ 1900 đến 2200\n"),
    (["--ky", "tháng 12/9999"], "Lỗi: kỳ “tháng 12/9999”: năm phải từ 1900 đến 2200\n"),
    (["--ngay", "31/12/9999"], "Lỗi: --ngay: ngày “31/12/9999”: năm phải từ 1900 đến 2200\n"),
    (["--ky", "thang-truoc", "--ngay", "15/1/0001"],
     "Lỗi: --ngay: ngày “15/1/0001”: năm phải từ 1900 đến 2200\n"),
])
def test_years_out_of_range(workspace: Path, cli: Runner, args: list[str], message: str) -> None:
    result = cli("report", *args)
    assert (result.code, result.err) == (2, message)


@pytest.mark.parametrize("args", [["--ky", "năm 2200"], ["--ky", "quy-truoc", "--ngay", "1/1/1900"],
                                  ["--ky", "năm 2200", "--chot", "nd09"]])
def test_years_at_the_edges_still_report(workspace: Path, cli: Runner, args: list[str]) -> None:
    result = cli("report", *args)
    assert result.code == 0, result.err


def test_no_home_folder(workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch,
                        today: None) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    for name in ("HOME", "KEHOACH_CACHE_DIR", "KEHOACH_CONFIG_DIR", "XDG_CACHE_HOME",
                 "XDG_CONFIG_HOME", "USERPROFILE", "LOCALAPPDATA", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cli("list").code == 0
    result = cli("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 0, result.err


@pytest.mark.parametrize("shape", ["folder", "unreadable"])
def test_config_path_that_cannot_be_read(workspace: Path, cli: Runner, shape: str,
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "cau-hinh"
    if shape == "folder":
        (config / "config.toml").mkdir(parents=True)
        reason = "đây là thư mục, không phải tệp"
    else:
        if sys.platform == "win32" or os.geteuid() == 0:
            pytest.skip("root (or Windows) reads any file")
        config.mkdir()
        (config / "config.toml").write_text('nguoi_ghi = "A"\n', encoding="utf-8")
        (config / "config.toml").chmod(0)
        reason = "không có quyền truy cập"
    monkeypatch.setenv("KEHOACH_CONFIG_DIR", str(config))
    result = cli("log", "3.2", "x", "--don-vi", "MTTQ")
    assert (result.code, result.err) == (
        6, f"Lỗi: {config / 'config.toml'}: không đọc được tệp cấu hình ({reason})\n")


def test_workspace_config_that_is_a_folder(workspace: Path, cli: Runner) -> None:
    (workspace / "plans" / "kehoach.toml").mkdir()
    result = cli("report")
    assert (result.code, result.err) == (
        6, "Lỗi: plans/kehoach.toml: không đọc được tệp cấu hình (đây là thư mục, không phải tệp)\n")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell redirections")
@pytest.mark.parametrize(("redirect", "code", "message"), [
    (">&-", 0, "Cảnh báo: đầu ra chuẩn (stdout) đã bị đóng; kết quả không được in ra.\n"),
    ("> /dev/full", 6, "Lỗi: không ghi được kết quả ra đầu ra chuẩn (ổ đĩa đã đầy)\n"),
])
@pytest.mark.parametrize("command", ["list", "report --dinh-dang csv", "nhat-ky --dinh-dang json"])
def test_stdout_closed_or_full(workspace: Path, redirect: str, code: int, message: str,
                               command: str) -> None:
    if redirect.endswith("/dev/full") and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    proc = subprocess.run(f"{sys.executable} -m kehoach_cli {command} {redirect}", shell=True,
                          cwd=workspace, capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stderr) == (code, message)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_reader_closing_the_pipe_is_quiet(workspace: Path) -> None:
    for i in range(60):  # output far larger than a pipe's buffer
        text = _plan_text(workspace).replace("ma: kh160", f"ma: kh{i}", 1)
        (workspace / "plans" / f"kh{i}.yaml").write_text(text, encoding="utf-8")
    proc = subprocess.run(f"{sys.executable} -m kehoach_cli list --dinh-dang json | head -c 10",
                          shell=True, cwd=workspace, capture_output=True, text=True, check=False)
    assert (proc.stdout, proc.stderr) == ("[\n  {\n    ", "")


def test_control_character_in_a_note_does_not_block_the_word_draft(
        workspace: Path, cli: Runner) -> None:
    _journal(workspace, {"noi_dung": "Giám sát\x0b\x1b[31m khu dân cư", "ngay": "2025-11-03"})
    result = cli("report", "--ky", "quý IV/2025", "--ngay", TODAY, "--xuat", "bc.docx")
    assert result.code == 0, result.err
    from docx import Document

    text = "\n".join(p.text for p in Document(str(workspace / "bc.docx")).paragraphs)
    for table in Document(str(workspace / "bc.docx")).tables:
        text += "\n".join(cell.text for row in table.rows for cell in row.cells)
    assert "\x1b" not in text


def test_control_character_in_plan_text_is_refused_by_check(workspace: Path, cli: Runner) -> None:
    _write_plan(workspace, _plan_text(workspace).replace("ma: kh160", 'ma: "kh\\x0b160"', 1))
    result = cli("report", "--xuat", "bc.docx")
    assert result.code == 1
    assert "ke_hoach.ma: văn bản có ký tự điều khiển U+000B ở vị trí 3" in result.err
    assert not (workspace / "bc.docx").exists()


# --- wrong results ------------------------------------------------------------------------------


def test_nfd_path_is_tried_as_typed(workspace: Path, cli: Runner) -> None:
    name = unicodedata.normalize("NFD", "kế-hoạch.yaml")
    (workspace / "plans" / "kh160.yaml").rename(workspace / name)
    (workspace / "plans").rmdir()
    result = cli("check", name)
    assert result.code == 0, result.err
    nfc_name = unicodedata.normalize("NFC", name)
    if not (workspace / nfc_name).exists():  # a file system that does not normalise names
        assert cli("check", nfc_name).code == 3


def test_unplaced_entries_are_reported_and_counted(workspace: Path, cli: Runner) -> None:
    _journal(workspace, {"ma": "9.9"}, {"don_vi": "XYZ"}, {})
    check = cli("check")
    assert check.code == 1
    assert "ghi nhận aaaa000000: nhiệm vụ “9.9” không còn trong kế hoạch" in check.err
    assert ("ghi nhận aaaa000001: đơn vị “XYZ” không có trong danh mục `don_vi` của kế hoạch"
            in check.err)
    assert "aaaa000002" not in check.err
    report = cli("report", "--ky", "quý IV/2025", "--ngay", TODAY)
    assert ("2 ghi nhận không xếp được (nhiệm vụ hoặc đơn vị không còn trong kế hoạch); chạy "
            "`kehoach check` để xem.") in report.out
    data = json.loads(cli("report", "--ky", "quý IV/2025", "--ngay", TODAY, "-d", "json").out)
    assert data["ghi_nhan_khong_xep_duoc"] == 2


@pytest.mark.parametrize(("figure", "shown"), [("NaN", "nan"), ("Infinity", "inf"),
                                               ("-Infinity", "-inf"), ("-3", "-3")])
def test_bad_figures_are_refused(workspace: Path, cli: Runner, figure: str, shown: str) -> None:
    path = _journal(workspace, {})
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"noi_dung"', f'"so_lieu": {{"số cuộc": {figure}}}, "noi_dung"'), encoding="utf-8")
    check = cli("check")
    assert check.code == 1
    assert f"số liệu “số cuộc” = {shown} không hợp lệ: phải là số không âm" in check.err
    report = cli("report", "--ky", "quý IV/2025", "--ngay", TODAY, "-d", "json")
    json.loads(report.out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))


def test_entry_dated_9999_is_refused(workspace: Path, cli: Runner) -> None:
    _journal(workspace, {"ngay": "9999-01-01"})
    check = cli("check")
    assert check.code == 1
    assert "ngày “9999-01-01” không hợp lệ: năm phải từ 1900 đến 2200" in check.err


@pytest.mark.parametrize(("line", "message"), [
    ('chot = ["a", "b"]', 'chot phải là một chuỗi trong ngoặc kép, không rỗng, ví dụ chot = "nd09"'),
    ("chot = 3", 'chot phải là một chuỗi trong ngoặc kép, không rỗng, ví dụ chot = "nd09"'),
    ("nguoi_ghi = Nguyen", ":1:13: tệp cấu hình không hợp lệ (giá trị không hợp lệ"),
    ("nguoi ghi = 'A'", ":1:7: tệp cấu hình không hợp lệ (thiếu dấu “=” sau tên khóa"),
    ('nguoi_ghi = "A', ":1:15: tệp cấu hình không hợp lệ (chuỗi trong ngoặc kép chưa đóng"),
    ('nguoi_ghi = "A\\u001b"', "có ký tự điều khiển U+001B"),
])
def test_config_values_are_checked(workspace: Path, cli: Runner, line: str, message: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEHOACH_NGUOI_GHI")
    (Path(os.environ["KEHOACH_CONFIG_DIR"]) / "config.toml").write_text(line + "\n",
                                                                         encoding="utf-8")
    result = cli("log", "3.2", "x", "--don-vi", "MTTQ")
    assert result.code == 2
    assert message in result.err
    assert not re.search(r"\b(Invalid|Expected|Unterminated)\b", result.err)


def test_a_plan_without_tasks_is_warned(tmp_path: Path, cli: Runner) -> None:
    plan = tmp_path / "trong.yaml"
    plan.write_text("luoc_do: 1\nke_hoach:\n  trich_yeu: thử\ndon_vi: []\nnoi_dung: []\n",
                    encoding="utf-8")
    result = cli("check", str(plan))
    assert result.code == 0
    assert "cảnh báo: kế hoạch chưa có nhiệm vụ nào" in result.err


def test_excel_export_keeps_notes_as_text(workspace: Path, cli: Runner) -> None:
    _journal(workspace, {"noi_dung": '=HYPERLINK("http://x","bấm")\x1b[31m'})
    result = cli("report", "--ky", "quý IV/2025", "--ngay", TODAY, "--xuat", "bc.xlsx")
    assert result.code == 0, result.err
    from openpyxl import load_workbook

    cells = [cell for sheet in load_workbook(workspace / "bc.xlsx") for row in sheet.iter_rows()
             for cell in row if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells and all(cell.data_type == "s" and "\x1b" not in str(cell.value) for cell in cells)
