"""`kehoach check`: every kind of bad input gives file:line:column, the field and a fix."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from kehoach_cli.errors import ExitCode
from kehoach_cli.plan.loader import load_plan
from tests.conftest import SEED_PLAN, Runner

SEED = SEED_PLAN.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _write(folder: Path, text: str, name: str = "kh160.yaml") -> Path:
    path = folder / "plans" / name
    path.write_text(text, encoding="utf-8")
    return path


# (case, old text, new text, expected message part, the field path or "" when none,
#  lines after the replaced text where the problem is reported)
BROKEN: list[tuple[str, ...] | tuple[str, str, str, str, str, int]] = [
    ("cú pháp", "  ma: kh160", "  ma: [kh160", "lỗi cú pháp YAML", "", 1),
    ("khóa gõ nhầm", "  trich_yeu: >-", "  trich_yue: >-", "khóa “trich_yue” không có trong "
     "lược đồ kế hoạch; có phải ý là “trich_yeu”?", "ke_hoach.trich_yue"),
    ("mã nhiệm vụ trùng", 'ma: "1.2"', 'ma: "1.1"', "mã nhiệm vụ “1.1” bị trùng",
     "noi_dung[1].nhiem_vu[1.1].ma"),
    ("mã đơn vị lạ", "tham_muu_thuc_hien: [KDV, MTTQ, CT-XH, CB]\n        thoi_gian: Thường xuyên\n"
     "      - ma: \"3.2\"", "tham_muu_thuc_hien: [KDV, MTTQ, CTXH2, CB]\n        thoi_gian: "
     "Thường xuyên\n      - ma: \"3.2\"", "mã đơn vị “CTXH2” không có trong danh mục `don_vi`; "
     "có phải ý là “CT-XH”?", "noi_dung[3].nhiem_vu[3.1].tham_muu_thuc_hien[#3]"),
    ("một tên cho hai đơn vị", "ten_khac: [UBND phường,", "ten_khac: [Mặt trận, UBND phường,",
     "tên “Mặt trận” đã dùng cho đơn vị “UBND”", "don_vi[MTTQ].ten_khac[#2]", 3),
    ("thành viên nhóm lạ", "thanh_vien: [ĐTN, HLHPN, HND, HCCB]",
     "thanh_vien: [ĐTN, HLHPN, HND, HCCB, HNCT]", "thành viên nhóm: mã đơn vị “HNCT”",
     "don_vi[CT-XH].thanh_vien[#5]"),
    ("ngày không có thật", "ngay: 02/11/2022", "ngay: 31/02/2025",
     "ngày “31/02/2025” không có thật", "ke_hoach.can_cu[#1].ngay"),
    ("thời gian không đọc được", "thoi_gian: Thường xuyên\n        van_ban_lien_quan",
     "thoi_gian: Khi nào rảnh\n        van_ban_lien_quan", "không đọc được thời gian “Khi nào rảnh”",
     "noi_dung[1].nhiem_vu[1.1].thoi_gian"),
    ("khóa trùng", "  loai_van_ban: Kế hoạch", "  loai_van_ban: Kế hoạch\n  ma: kh161",
     "khóa “ma” xuất hiện hai lần", "", 1),
    ("thẻ YAML tạo đối tượng", "  dia_danh: null",
     "  dia_danh: !!python/object/apply:os.system ['echo pwned']", "thẻ YAML", ""),
    ("danh sách để trống", "    ten_khac: [Khối Dân vận]", "    ten_khac:",
     "đang để trống", "don_vi[KDV].ten_khac"),
]


@pytest.mark.parametrize(("case", "old", "new", "message", "field", "delta"),
                         [row if len(row) == 6 else (*row, 0) for row in BROKEN],
                         ids=[row[0] for row in BROKEN])
def test_broken_plan_is_located(workspace: Path, cli: Runner, case: str, old: str, new: str,
                                message: str, field: str, delta: int) -> None:
    assert old in SEED, case
    text = SEED.replace(old, new, 1)
    _write(workspace, text)
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "Traceback" not in result.err
    line = _line_of(SEED, old) + delta
    located = [row for row in result.err.splitlines() if message in row]
    assert located, result.err
    expected_prefix = f"{Path('plans') / 'kh160.yaml'}:{line}:"
    assert any(expected_prefix in row for row in located), (line, result.err)
    if field:
        assert any(f": {field}: " in row for row in located), result.err
    # One mistake, one error: a mistyped key is not also reported as a missing one.
    assert result.err.rstrip().endswith("Có 1 lỗi trong 1 tệp."), result.err


def test_tab_indentation(workspace: Path, cli: Runner) -> None:
    text = SEED.replace("  ma: kh160", "\tma: kh160", 1)
    _write(workspace, text)
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    line = _line_of(text, "\tma: kh160")
    assert f"kh160.yaml:{line}:1: thụt lề bằng phím Tab" in result.err


def test_not_utf8(workspace: Path, cli: Runner) -> None:
    path = workspace / "plans" / "kh160.yaml"
    path.write_bytes(SEED.replace("Đức Phố", "Duc Pho").encode("utf-8").replace(
        "Thị ủy".encode(), "Th\xef \xfay".encode("latin-1"), 1))
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "tệp không phải UTF-8" in result.err
    assert "Traceback" not in result.err


def test_alias_bomb_refused(workspace: Path, cli: Runner) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        levels.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    _write(workspace, "\n".join(levels) + "\n")
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "không dùng neo/bí danh YAML" in result.err


def test_huge_file_refused(workspace: Path, cli: Runner) -> None:
    _write(workspace, SEED + "#" + "x" * (5 * 1024 * 1024) + "\n")
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "tệp quá lớn" in result.err


def test_not_a_mapping(workspace: Path, cli: Runner) -> None:
    _write(workspace, "- chỉ là một danh sách\n")
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "phải là một bảng" in result.err


def test_bom_crlf_and_nfd_are_accepted(workspace: Path, cli: Runner) -> None:
    text = unicodedata.normalize("NFD", SEED).replace("\n", "\r\n")
    path = workspace / "plans" / "kh160.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = cli("check")
    assert result.code == 0, result.err
    plan = load_plan(path).plan
    first = plan.noi_dung[0].nhiem_vu[0]
    assert first.noi_dung == unicodedata.normalize("NFC", first.noi_dung)
    assert plan.don_vi[0].ma == "ĐU"  # NFD "Đ" is one code point anyway; codes compare as NFC
    assert first.tham_muu_thuc_hien[0] == "HĐND"


def test_several_problems_all_reported(workspace: Path, cli: Runner) -> None:
    text = SEED.replace('ma: "1.2"', 'ma: "1.1"', 1).replace("ngay: 02/11/2022", "ngay: 30/02/2022")
    _write(workspace, text)
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "Có 2 lỗi trong 1 tệp." in result.err


def test_duplicate_plan_keys_across_files(workspace: Path, cli: Runner) -> None:
    _write(workspace, SEED, name="kh160-ban-sao.yaml")
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert "mã kế hoạch “kh160” đã dùng" in result.err


def test_missing_file(workspace: Path, cli: Runner) -> None:
    result = cli("check", "plans/khong-co.yaml")
    assert result.code == ExitCode.NOT_FOUND
    assert result.err.startswith("Lỗi: plans/khong-co.yaml: không tìm thấy")


def test_no_plans_folder(tmp_path: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.code == ExitCode.NOT_FOUND
    assert "--ke-hoach" in result.err


def test_fixed_file_is_revalidated_not_served_from_cache(workspace: Path, cli: Runner) -> None:
    assert cli("check").code == 0
    path = workspace / "plans" / "kh160.yaml"
    path.write_text(SEED.replace("ngay: 02/11/2022", "ngay: 31/02/2022"), encoding="utf-8")
    assert cli("check").code == ExitCode.INVALID_PLAN
    path.write_text(SEED, encoding="utf-8")
    assert cli("check").code == 0


def test_damaged_journal_line_is_reported(workspace: Path, cli: Runner,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "2025-11-20")
    assert cli("log", "3.2", "đã giám sát", "--don-vi", "MTTQ").code == 0
    (sidecar,) = (workspace / "plans" / "kh160.nhat-ky").glob("*.jsonl")
    with sidecar.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "hong')
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert f"{sidecar.relative_to(workspace)}:2: dòng cuối bị cắt dở" in result.err


def test_same_plan_named_twice_is_read_once(workspace: Path, cli: Runner) -> None:
    # `-k plans -k plans/kh160.yaml` (or the same file twice) is one plan, not two with one key.
    for args in (["-k", "plans", "-k", "plans/kh160.yaml"],
                 ["-k", "plans/kh160.yaml", "-k", str(workspace / "plans" / "kh160.yaml")]):
        result = cli("list", *args, "-d", "json")
        assert result.code == 0, result.err
        assert len(json.loads(result.out)) == 11
    assert cli("check", "plans/kh160.yaml", "plans/kh160.yaml").code == 0


def test_os_errors_are_explained_in_vietnamese(workspace: Path, cli: Runner) -> None:
    result = cli("report", "--ky", "quý III/2025", "--xuat", "khong-co-thu-muc/bc.docx")
    assert result.code == ExitCode.IO
    assert "không ghi được (thư mục hoặc tệp không tồn tại)" in result.err


def test_plan_key_in_a_task_reference_ignores_case(workspace: Path, cli: Runner) -> None:
    result = cli("show", "KH160:3.2", "-d", "json")
    assert result.code == 0, result.err
    assert '"ma": "3.2"' in result.out


def test_task_without_bodies_is_a_warning_not_an_error(workspace: Path, cli: Runner) -> None:
    old = "        tham_muu_thuc_hien: [MTTQ, CT-XH, CB]\n        thoi_gian: Thường xuyên\n\n"
    assert old in SEED
    text = SEED.replace(old, "        thoi_gian: Thường xuyên\n\n", 1)
    _write(workspace, text)
    result = cli("check")
    assert result.code == 0, result.err
    assert "1 cảnh báo" in result.out
    line = _line_of(text, 'ma: "1.2"')
    assert (f"kh160.yaml:{line}:9: noi_dung[1].nhiem_vu[1.2]: cảnh báo: nhiệm vụ 1.2 chưa giao "
            "cho đơn vị thực hiện nào") in result.err


@pytest.mark.parametrize(("text", "reason"), [
    ("ke_hoach:\n  trich_yeu: [x\n", "thiếu dấu “,” hoặc “]”"),
    ("ke_hoach:\n  trich_yeu: a: b\n", "có dấu “: ” giữa dòng"),
    ('ke_hoach:\n  trich_yeu: "abc\n', "tệp kết thúc khi chuỗi trong ngoặc kép chưa đóng"),
])
def test_yaml_syntax_reasons_are_vietnamese(workspace: Path, cli: Runner, text: str,
                                            reason: str) -> None:
    _write(workspace, text)
    result = cli("check")
    assert result.code == ExitCode.INVALID_PLAN
    assert f"lỗi cú pháp YAML ({reason}" in result.err
