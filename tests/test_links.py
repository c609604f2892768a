"""No write ever goes through a symbolic link a collaborator could have committed.

A journal file linked to ~/.bashrc, a linked journal folder or lock file, a linked `nhap -o`
or `report --xuat` target: each is refused with a message naming the link, the link's target
is untouched, and `check` reports links in the journal folder. Skipped where the platform
cannot make links (Windows without developer mode).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Runner

TODAY = "2025-11-20"
SIDECAR = "2025-11.nguoi-kiem-thu.jsonl"


def _link(target: Path, link: Path) -> None:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):
        pytest.skip("không tạo được liên kết tượng trưng trên hệ thống này")


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file outside the workspace, as ~/.bashrc would be."""
    path = tmp_path / "ngoai" / ".bashrc"
    path.parent.mkdir()
    path.write_text("# tệp của người dùng\n", encoding="utf-8")
    return path


@pytest.fixture
def journal_folder(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)
    folder = workspace / "plans" / "kh160.nhat-ky"
    folder.mkdir()
    return folder


def test_a_linked_journal_file_is_refused(journal_folder: Path, victim: Path, cli: Runner) -> None:
    link = journal_folder / SIDECAR
    _link(victim, link)
    result = cli("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 6
    assert result.err == (f"Lỗi: plans/kh160.nhat-ky/{SIDECAR}: tệp nhật ký là liên kết tượng "
                          f"trưng (symlink) trỏ tới {victim}; kehoach không ghi qua liên kết. "
                          "Hãy xóa liên kết (có thể do ai đó đưa vào git) rồi thử lại\n")
    assert victim.read_text(encoding="utf-8") == "# tệp của người dùng\n"
    check = cli("check")
    assert check.code == 1
    assert check.err == (f"plans/kh160.nhat-ky/{SIDECAR}: tệp là liên kết tượng trưng (symlink): "
                         "nhật ký không được là liên kết; hãy xóa nó\nCó 1 lỗi trong 1 tệp.\n")


def test_a_linked_lock_file_is_refused(journal_folder: Path, victim: Path, cli: Runner) -> None:
    _link(victim, journal_folder / ".lock")  # the lock is opened with O_TRUNC
    result = cli("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 6
    assert "plans/kh160.nhat-ky/.lock: tệp khóa là liên kết tượng trưng" in result.err
    assert victim.read_text(encoding="utf-8") == "# tệp của người dùng\n"
    assert not (journal_folder / SIDECAR).exists()


def test_a_linked_journal_folder_is_refused(workspace: Path, victim: Path, cli: Runner,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)
    _link(victim.parent, workspace / "plans" / "kh160.nhat-ky")
    result = cli("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 6
    assert "plans/kh160.nhat-ky: thư mục nhật ký là liên kết tượng trưng" in result.err
    assert sorted(p.name for p in victim.parent.iterdir()) == [".bashrc"]
    check = cli("check")
    assert check.code == 1
    assert "thư mục nhật ký là liên kết tượng trưng (symlink)" in check.err


def test_a_linked_export_target_is_refused(workspace: Path, victim: Path, cli: Runner) -> None:
    _link(victim, workspace / "bao-cao.docx")
    result = cli("report", "--ky", "quý IV/2025", "--ngay", TODAY, "--xuat", "bao-cao.docx",
                 "--ghi-de")
    assert result.code == 6
    assert "bao-cao.docx: tệp là liên kết tượng trưng (symlink) trỏ tới" in result.err
    assert victim.read_text(encoding="utf-8") == "# tệp của người dùng\n"


def test_a_linked_import_target_is_refused(workspace: Path, victim: Path, cli: Runner) -> None:
    source = workspace / "ke-hoach.md"
    source.write_text("# KẾ HOẠCH\n\n1. Tuyên truyền\n", encoding="utf-8")
    _link(victim, workspace / "kh.yaml")
    result = cli("nhap", str(source), "-o", "kh.yaml", "--ghi-de")
    assert result.code == 6
    assert "kh.yaml: tệp là liên kết tượng trưng (symlink)" in result.err
    assert victim.read_text(encoding="utf-8") == "# tệp của người dùng\n"


def test_a_plain_journal_still_writes(journal_folder: Path, cli: Runner) -> None:
    result = cli("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ")
    assert result.code == 0, result.err
    assert cli("check").code == 0


def test_check_warns_of_a_linked_plan(workspace: Path, cli: Runner) -> None:
    plans = workspace / "plans"
    (plans / "kh160.yaml").rename(workspace / "kh160.yaml")
    _link(workspace / "kh160.yaml", plans / "kh160.yaml")
    result = cli("check")
    assert result.code == 0
    assert ("plans/kh160.yaml: cảnh báo: tệp kế hoạch là liên kết tượng trưng (symlink): kehoach "
            "đọc nó nhưng không ghi qua liên kết") in result.err
