"""`kehoach nhap` through the CLI: output, safe writes, validation of the result, bad input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Runner, run_process

SEED_MD = FIXTURES / "ke-hoach-160.md"


def test_prints_yaml_and_reports_valid(workspace: Path, cli: Runner) -> None:
    result = cli("nhap", str(SEED_MD))
    assert result.code == 0, result.err
    assert result.out.startswith("# Nhập từ ke-hoach-160.md")
    assert "tham_muu_thuc_hien: [HĐND, UBND, MTTQ, CT-XH, CB]" in result.out
    assert "Đã nhập 11 nhiệm vụ" in result.err
    assert "Kết quả hợp lệ" in result.err
    assert "Cần kiểm tra" not in result.err  # bodies matched against ./plans/kh160.yaml


def test_writes_file_that_check_accepts(workspace: Path, cli: Runner) -> None:
    out = workspace / "moi.yaml"
    result = cli("nhap", str(SEED_MD), "-o", str(out))
    assert result.code == 0, result.err
    assert result.out == ""
    assert "vào" in result.err and "hợp lệ" in result.err
    assert cli("check", str(out)).code == 0
    assert not [p for p in workspace.iterdir() if p.name.endswith(".tmp")]


def test_never_overwrites_without_ghi_de(workspace: Path, cli: Runner) -> None:
    out = workspace / "moi.yaml"
    out.write_text("giữ nguyên\n", encoding="utf-8")
    result = cli("nhap", str(SEED_MD), "-o", str(out))
    assert result.code == 5
    assert "--ghi-de" in result.err
    assert out.read_text(encoding="utf-8") == "giữ nguyên\n"
    result = cli("nhap", str(SEED_MD), "-o", str(out), "--ghi-de")
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8").startswith("# Nhập từ")


def test_failed_write_leaves_old_file_and_no_temp(workspace: Path, cli: Runner,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = workspace / "moi.yaml"
    out.write_text("bản cũ\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = cli("nhap", str(SEED_MD), "-o", str(out), "--ghi-de")
    assert result.code == 6
    assert "không ghi được" in result.err and "Traceback" not in result.err
    assert out.read_text(encoding="utf-8") == "bản cũ\n"
    assert sorted(p.name for p in workspace.iterdir()) == ["moi.yaml", "plans"]


def test_registry_from_option_and_without_any(tmp_path: Path, cli: Runner,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("nhap", str(SEED_MD))
    assert result.code == 0, result.err
    # No registry anywhere: the built-in one gives the usual codes, and "Mặt trận" and
    # "Mặt trận Tổ quốc" (both in the seed) are one body.
    assert "danh mục đơn vị dựng sẵn" in result.out
    assert "tham_muu_thuc_hien: [HĐND, UBND, MTTQ, CT-XH, CB]" in result.out
    assert "mã đề xuất" not in result.err
    import yaml

    codes = [body["ma"] for body in yaml.safe_load(result.out)["don_vi"]]
    assert codes == ["ĐU", "HĐND", "UBND", "MTTQ", "CT-XH", "ĐTN", "HLHPN", "HND", "HCCB", "CĐ",
                     "KDV", "CB"]
    assert "thanh_vien: [ĐTN, HLHPN, HND, HCCB, CĐ]" in result.out
    plan = FIXTURES.parent.parent / "plans" / "kh160.yaml"
    result = cli("nhap", str(SEED_MD), "--don-vi-tu", str(plan))
    assert result.code == 0, result.err
    assert "Cần kiểm tra" not in result.err
    assert "Đơn vị được đối chiếu với danh mục của" in result.out


def test_result_with_gaps_says_what_is_left(workspace: Path, cli: Runner) -> None:
    source = workspace / "thieu.md"
    source.write_text("II. NỘI DUNG\n1. Việc duy nhất\n- Đơn vị chủ trì: Mặt trận\n"
                      "- Thời gian: Hằng tháng\n", encoding="utf-8")
    result = cli("nhap", str(source))
    assert result.code == 1
    assert "trich_yeu" in result.err
    assert "chưa hợp lệ" in result.err
    assert "CẦN ĐIỀN" in result.out


@pytest.mark.parametrize("name,content,code,message", [
    ("khong-co.md", None, 3, "không tìm thấy tệp"),
    ("ke-hoach.pdf", b"%PDF-1.4", 2, "chưa đọc được loại tệp"),
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0", 2, "lưu lại dưới dạng .docx"),
    ("hong.docx", b"khong phai zip", 2, "không mở được tệp Word"),
    ("rong.md", "KẾ HOẠCH\nvề việc gì đó\n\nChỉ có một đoạn văn.\n".encode(), 2,
     "không tìm thấy nhiệm vụ nào"),
    ("cp1258.txt", "KẾ HOẠCH".encode("cp1258", errors="replace") + b"\xd2\xe8", 2,
     "không phải UTF-8"),
    ("thu-muc.md", "DIR", 2, "thư mục"),
])
def test_bad_input(workspace: Path, cli: Runner, name: str, content: bytes | str | None,
                   code: int, message: str) -> None:
    path = workspace / name
    if content == "DIR":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = cli("nhap", str(path))
    assert result.code == code, result.err
    assert result.err.startswith("Lỗi: ")
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_help_is_vietnamese(cli: Runner) -> None:
    result = cli("nhap", "--help")
    assert result.code == 0
    assert "Nhập kế hoạch từ văn bản Word" in result.out
    assert "--ghi-de" in result.out and "--don-vi-tu" in result.out


def test_end_to_end_process(workspace: Path) -> None:
    shutil.copy(FIXTURES / "nhap" / "ke-hoach-chuyen-doi-so.md", workspace / "cds.md")
    result = run_process("nhap", "cds.md", "-o", "plans/cds.yaml", cwd=workspace)
    assert result.code == 0, result.err
    assert "cds.md:54: “Công an phường” chưa có trong danh mục" in result.err
    assert "Kết quả hợp lệ" in result.err
    check = run_process("check", cwd=workspace)
    assert check.code == 0, check.err
