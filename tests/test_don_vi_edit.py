"""`kehoach don-vi them/sua/gop/nhom`: the registry edited without opening YAML, the file's
comments and layout kept, every edit validated first and written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kehoach_cli.plan.model import Role
from tests.conftest import Runner

COMMENT = "# Ghi chú của Văn phòng: danh mục này dùng chung cho các kế hoạch năm 2025.\n"


def _plan(workspace: Path) -> Path:
    return workspace / "plans" / "kh160.yaml"


def _with_comment(workspace: Path) -> str:
    path = _plan(workspace)
    text = COMMENT + path.read_text(encoding="utf-8").replace(
        "  - ma: HND\n", "  - ma: HND  # Hội Nông dân: đã sáp nhập vào MTTQ từ 2025\n")
    path.write_text(text, encoding="utf-8")
    return text


def _data(workspace: Path) -> Any:
    return yaml.safe_load(_plan(workspace).read_text(encoding="utf-8"))


def _body(workspace: Path, code: str) -> dict[str, Any]:
    return next(b for b in _data(workspace)["don_vi"] if b["ma"] == code)


def test_them_adds_a_body_and_keeps_comments(workspace: Path, cli: Runner) -> None:
    before = _with_comment(workspace)
    result = cli("don-vi", "them", "HNCT", "Hội Người cao tuổi phường", "--ten-khac", "Hội NCT")
    assert result.code == 0, result.err
    assert "đã thêm đơn vị HNCT" in result.err
    after = _plan(workspace).read_text(encoding="utf-8")
    assert after.startswith(COMMENT)
    assert "  - ma: HND  # Hội Nông dân: đã sáp nhập vào MTTQ từ 2025\n" in after
    assert _body(workspace, "HNCT") == {"ma": "HNCT", "ten": "Hội Người cao tuổi phường",
                                        "ten_khac": ["Hội NCT"]}
    # Only the new body's lines were added: the rest of the file is byte for byte the same.
    added = "  - ma: HNCT\n    ten: Hội Người cao tuổi phường\n    ten_khac: [Hội NCT]\n"
    assert after.replace(added, "") == before
    assert cli("check").code == 0
    assert "HNCT" in cli("don-vi").out


def test_sua_changes_name_and_aliases(workspace: Path, cli: Runner) -> None:
    result = cli("don-vi", "sua", "hlhpn", "--ten", "Hội LHPN phường", "--ten-khac", "Phụ nữ",
                 "--bot-ten-khac", "Hội Phụ nữ")
    assert result.code == 0, result.err
    assert _body(workspace, "HLHPN") == {"ma": "HLHPN", "ten": "Hội LHPN phường",
                                         "ten_khac": ["Hội LHPN", "Phụ nữ"]}


def _codes_anywhere(data: Any) -> list[str]:
    codes = [m for b in data["don_vi"] for m in b.get("thanh_vien", [])]
    codes += [b["ma"] for b in data["don_vi"]]
    codes += [c for item in data["ke_hoach"]["to_chuc_thuc_hien"] for c in item["don_vi"]]
    for section in data["noi_dung"]:
        for task in section["nhiem_vu"]:
            for role in Role:
                codes += task.get(role.value, [])
    return codes


def test_gop_leaves_no_reference_to_the_merged_code(workspace: Path, cli: Runner) -> None:
    _with_comment(workspace)
    assert "KDV" in _codes_anywhere(_data(workspace))
    result = cli("don-vi", "gop", "KDV", "ĐU")
    assert result.code == 0, result.err
    assert "đã gộp KDV vào ĐU: 7 chỗ giao việc" in result.err
    data = _data(workspace)
    assert "KDV" not in _codes_anywhere(data)
    assert "KDV" not in _plan(workspace).read_text(encoding="utf-8").replace(
        "ten_khac: [Đảng ủy, BCH Đảng bộ, Ban Chấp hành Đảng bộ phường, KDV,", "")
    assert _body(workspace, "ĐU")["ten_khac"][-3:] == ["KDV", "Khối Dân vận Đảng ủy", "Khối Dân vận"]
    task = next(t for s in data["noi_dung"] for t in s["nhiem_vu"] if t["ma"] == "2.1")
    assert task["tham_muu_thuc_hien"] == ["UBND", "ĐU", "MTTQ", "CT-XH", "CB"]
    assert _plan(workspace).read_text(encoding="utf-8").startswith(COMMENT)
    assert cli("check").code == 0
    # The old code still finds the body, now as one of its names.
    listed = cli("list", "--don-vi", "KDV")
    assert listed.code == 0, listed.err


def test_nhom_adds_and_removes_members(workspace: Path, cli: Runner) -> None:
    assert cli("don-vi", "them", "CĐ", "Công đoàn phường").code == 0
    result = cli("don-vi", "nhom", "CT-XH", "--them", "CĐ", "--bot", "HCCB")
    assert result.code == 0, result.err
    assert "nhóm CT-XH: ĐTN, HLHPN, HND, CĐ" in result.err
    assert _body(workspace, "CT-XH")["thanh_vien"] == ["ĐTN", "HLHPN", "HND", "CĐ"]


@pytest.mark.parametrize("args,code,message", [
    (["them", "MTTQ", "Mặt trận"], 5, "đã có đơn vị mã “MTTQ”"),
    (["them", "MT", "Mặt trận Tổ quốc"], 1, "tên “Mặt trận Tổ quốc” đã dùng cho đơn vị “MTTQ”"),
    (["sua", "XX", "--ten", "Gì đó"], 3, "không có đơn vị “XX” trong danh mục"),
    (["gop", "MTTQ", "MTTQ"], 2, "không có gì để gộp"),
    (["nhom", "CT-XH", "--them", "CT-XH"], 2, "không thể là thành viên của chính nó"),
    (["nhom", "CT-XH", "--bot", "UBND"], 3, "UBND không phải thành viên của nhóm CT-XH"),
])
def test_refusals_leave_the_file_as_it_was(workspace: Path, cli: Runner, args: list[str],
                                           code: int, message: str) -> None:
    before = _plan(workspace).read_bytes()
    result = cli("don-vi", *args)
    assert result.code == code, result.err
    assert message in result.err and "Traceback" not in result.err
    assert _plan(workspace).read_bytes() == before
    assert [p.name for p in _plan(workspace).parent.iterdir()] == ["kh160.yaml"]


def test_refuses_a_plan_with_errors(workspace: Path, cli: Runner) -> None:
    path = _plan(workspace)
    broken = path.read_text(encoding="utf-8").replace("chi_dao: [ĐU]", "chi_dao: [ĐUX]", 1)
    path.write_text(broken, encoding="utf-8")
    result = cli("don-vi", "them", "HNCT", "Hội Người cao tuổi")
    assert result.code == 1
    assert "kế hoạch đang có lỗi" in result.err and "ĐUX" in result.err
    assert path.read_text(encoding="utf-8") == broken


def test_several_plans_ask_which(workspace: Path, cli: Runner) -> None:
    (workspace / "plans" / "khac.yaml").write_bytes(_plan(workspace).read_bytes().replace(
        b"ma: kh160", b"ma: khac"))
    result = cli("don-vi", "them", "HNCT", "Hội Người cao tuổi")
    assert result.code == 2 and "--ke-hoach" in result.err
    result = cli("don-vi", "them", "HNCT", "Hội Người cao tuổi", "-k", "plans/khac.yaml")
    assert result.code == 0, result.err
    assert "HNCT" not in _plan(workspace).read_text(encoding="utf-8")


def test_a_windows_saved_plan_keeps_its_bom_and_crlf(workspace: Path, cli: Runner) -> None:
    path = _plan(workspace)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = cli("don-vi", "them", "CĐ", "Công đoàn cơ sở phường")
    assert result.code == 0, result.err
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")  # every line still ends in CRLF
    assert "Công đoàn cơ sở phường" in raw.decode("utf-8-sig")
    assert cli("check").code == 0


@pytest.mark.parametrize("typed", ["mat tran", "Mặt trận Tổ quốc", "mttq"])
def test_bodies_named_as_people_type_them(workspace: Path, cli: Runner, typed: str) -> None:
    result = cli("don-vi", "sua", typed, "--ten-khac", "UBMTTQVN")
    assert result.code == 0, result.err
    assert "UBMTTQVN" in _body(workspace, "MTTQ")["ten_khac"]


def test_an_unknown_name_gets_a_suggestion(workspace: Path, cli: Runner) -> None:
    result = cli("don-vi", "nhom", "CT-XH", "--bot", "hoi nong dn")
    assert result.code == 3
    assert "HND" in result.err


def test_an_edit_that_changes_nothing_says_so(workspace: Path, cli: Runner) -> None:
    before = _plan(workspace).read_bytes()
    result = cli("don-vi", "sua", "MTTQ")
    assert result.code == 0
    assert "không có gì thay đổi" in result.out + result.err
    assert _plan(workspace).read_bytes() == before


def test_merging_a_group_into_a_body_warns_it_becomes_a_group(workspace: Path, cli: Runner) -> None:
    result = cli("don-vi", "gop", "CT-XH", "MTTQ")
    assert result.code == 0, result.err
    assert "MTTQ nay là một nhóm" in result.err
