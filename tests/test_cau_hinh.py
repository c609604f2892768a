"""Saying once who you are: `kehoach cau-hinh`, the person's config, KEHOACH_DON_VI, and the
card's `kehoach log 3.2 "đã giám sát"` working as typed."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

TODAY = "2025-11-20"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)


def config_file() -> Path:
    return Path(os.environ["KEHOACH_CONFIG_DIR"]) / "config.toml"


def journal(root: Path) -> list[dict[str, Any]]:
    folder = root / "plans" / "kh160.nhat-ky"
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_card_command_fails_on_a_fresh_setup_and_says_how_to_set_the_body_once(
        workspace: Path, cli: Runner) -> None:
    result = cli("log", "3.2", "đã giám sát")
    assert result.code == 2
    assert "nhiệm vụ 3.2 giao cho: ĐU, HĐND, UBND, MTTQ, CT-XH, CB" in result.err
    assert "kehoach cau-hinh --don-vi MÃ_ĐƠN_VỊ" in result.err
    assert "KEHOACH_DON_VI" in result.err
    assert not (workspace / "plans" / "kh160.nhat-ky").exists()


def test_card_command_works_after_cau_hinh(workspace: Path, cli: Runner,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEHOACH_NGUOI_GHI")
    setup = cli("cau-hinh", "--ten", "Nguyễn Văn A", "--don-vi", "mat tran")
    assert setup.code == 0, setup.err
    assert config_file().read_text(encoding="utf-8").splitlines()[1:] == [
        'nguoi_ghi = "Nguyễn Văn A"', 'don_vi = "MTTQ"']
    result = cli("log", "3.2", "đã giám sát")
    assert result.code == 0, result.err
    assert "nhiệm vụ kh160:3.2, MTTQ, ngày 20/11/2025" in result.out
    [record] = journal(workspace)
    assert (record["don_vi"], record["nguoi_ghi"]) == ("MTTQ", "Nguyễn Văn A")
    assert (workspace / "plans" / "kh160.nhat-ky" / "2025-11.nguyen-van-a.jsonl").exists()


def test_card_command_works_with_the_environment(workspace: Path, cli: Runner,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_DON_VI", "MTTQ")
    result = cli("log", "3.2", "đã giám sát")
    assert result.code == 0, result.err
    assert [r["don_vi"] for r in journal(workspace)] == ["MTTQ"]


def test_environment_beats_the_config_and_the_option_beats_both(
        workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("cau-hinh", "--don-vi", "UBND").code == 0
    monkeypatch.setenv("KEHOACH_DON_VI", "MTTQ")
    assert cli("log", "3.2", "một").code == 0
    assert cli("log", "3.2", "hai", "--don-vi", "HĐND").code == 0
    monkeypatch.delenv("KEHOACH_DON_VI")
    assert cli("log", "3.2", "ba").code == 0
    assert [r["don_vi"] for r in journal(workspace)] == ["MTTQ", "HĐND", "UBND"]


def test_cau_hinh_asks_in_vietnamese_and_asks_again_for_an_unknown_body(
        workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Trần Thị B\nmat tranx\nHội Phụ nữ\n"))
    result = cli("cau-hinh")
    assert result.code == 0, result.err
    assert "Họ và tên người ghi nhận" in result.out
    assert "Đơn vị của bạn" in result.out
    assert "Chưa được: không có đơn vị “mat tranx”" in result.out
    assert 'don_vi = "HLHPN"' in config_file().read_text(encoding="utf-8")
    assert 'nguoi_ghi = "Trần Thị B"' in config_file().read_text(encoding="utf-8")


def test_cau_hinh_refuses_an_unknown_body_and_writes_nothing(workspace: Path, cli: Runner) -> None:
    result = cli("cau-hinh", "--don-vi", "Hội Người cao tuổi")
    assert result.code == 3
    assert "không có đơn vị “Hội Người cao tuổi” trong danh mục" in result.err
    assert not config_file().exists()


def test_cau_hinh_keeps_other_keys_and_xem_shows_the_source(
        workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file().write_text('chot = "nd09"\nnguoi_ghi = "Cũ"\n', encoding="utf-8")
    assert cli("cau-hinh", "--don-vi", "MTTQ").code == 0
    text = config_file().read_text(encoding="utf-8")
    assert 'nguoi_ghi = "Cũ"' in text and 'chot = "nd09"' in text and 'don_vi = "MTTQ"' in text
    monkeypatch.setenv("KEHOACH_DON_VI", "UBND")
    shown = cli("cau-hinh", "--xem")
    assert "đơn vị: UBND (từ biến môi trường KEHOACH_DON_VI)" in shown.out


def test_workspace_file_refuses_person_keys_saying_where_they_belong(
        workspace: Path, cli: Runner) -> None:
    (workspace / "plans" / "kehoach.toml").write_text('nguoi_ghi = "Văn phòng Đảng ủy"\n',
                                                       encoding="utf-8")
    result = cli("log", "3.2", "đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 2
    assert result.err.startswith("Lỗi: plans/kehoach.toml: nguoi_ghi là thông tin riêng của "
                                 "từng người, không đặt trong tệp dùng chung")
    assert "kehoach cau-hinh" in result.err and str(config_file()) in result.err
    assert not (workspace / "plans" / "kh160.nhat-ky").exists()


def test_shared_setting_in_the_workspace_beats_the_persons_own(
        workspace: Path, cli: Runner) -> None:
    config_file().write_text('chot = "lich"\n', encoding="utf-8")
    (workspace / "plans" / "kehoach.toml").write_text('chot = "nd09"\n', encoding="utf-8")
    result = cli("report", "--ky", "quý IV/2025", "--dinh-dang", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["tu_ngay"] == "2025-09-15"


@pytest.mark.parametrize(("text", "message"), [
    ("don_vi = 3\n", "don_vi phải là một chuỗi trong ngoặc kép"),
    ('don_vi = ""\n', "don_vi phải là một chuỗi trong ngoặc kép"),
    ('chot = "quy"\n', "chot = “quy” không hợp lệ: dùng “lich”, “nd09”"),
    ('ten = "A"\n', "khóa không hợp lệ ten"),
    ("don_vi = [\n", "tệp cấu hình không hợp lệ"),
])
def test_config_values_are_type_checked(workspace: Path, cli: Runner, text: str,
                                        message: str) -> None:
    config_file().write_text(text, encoding="utf-8")
    result = cli("log", "3.2", "đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 2
    assert message in result.err
    assert str(config_file()) in result.err


def test_configured_body_without_a_role_names_the_config(workspace: Path, cli: Runner) -> None:
    assert cli("cau-hinh", "--don-vi", "KDV").code == 0
    result = cli("log", "3.2", "đã giám sát")
    assert result.code == 3
    assert "đơn vị KDV (Khối Dân vận Đảng ủy), lấy từ" in result.err
    assert str(config_file()) in result.err and "ghi rõ --don-vi" in result.err


@pytest.mark.parametrize(("typed", "stored"), [
    ("35.500.000", 35500000), ("1.234,5", 1234.5), ("35,500,000", 35500000),
    ("1,234.5", 1234.5), ("12.345.678,25", 12345678.25), ("35 500 000", 35500000),
])
def test_amounts_with_thousands_separators_are_numbers(workspace: Path, cli: Runner, typed: str,
                                                       stored: float) -> None:
    result = cli("log", "3.2", "chi hỗ trợ", "-u", "MTTQ", "-s", f"kinh phí={typed}")
    assert result.code == 0, result.err
    assert journal(workspace)[0]["so_lieu"] == {"kinh phí": stored}


def test_identical_note_is_refused_unless_van_ghi(workspace: Path, cli: Runner) -> None:
    first = cli("log", "3.2", "Đã giám sát  3 khu", "-u", "MTTQ", "-n", "15/11/2025")
    assert first.code == 0
    again = cli("log", "3.2", "Đã giám sát 3 khu", "-u", "mat tran", "-n", "2025-11-15")
    assert again.code == 5
    assert "ghi nhận này đã có" in again.err and "--van-ghi" in again.err
    assert len(journal(workspace)) == 1
    other_day = cli("log", "3.2", "Đã giám sát 3 khu", "-u", "MTTQ", "-n", "16/11/2025")
    other_body = cli("log", "3.2", "Đã giám sát 3 khu", "-u", "UBND", "-n", "15/11/2025")
    forced = cli("log", "3.2", "Đã giám sát 3 khu", "-u", "MTTQ", "-n", "15/11/2025", "--van-ghi")
    assert (other_day.code, other_body.code, forced.code) == (0, 0, 0)
    assert len(journal(workspace)) == 4
