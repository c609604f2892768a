"""Whole-file writes: never torn, never over a file that appeared meanwhile."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from kehoach_cli import atomic
from kehoach_cli.errors import Conflict, ExitCode, KehoachError


def test_creates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.yaml"
    atomic.write_text(target, "một\n", overwrite=False)
    with pytest.raises(Conflict, match="--ghi-de"):
        atomic.write_text(target, "hai\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "một\n"
    atomic.write_text(target, "hai\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "hai\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.yaml"]


def test_a_file_created_by_another_writer_meanwhile_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kh12.yaml"
    real_mkstemp = tempfile.mkstemp

    def racing_mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = real_mkstemp(*args, **kwargs)
        target.write_text("của người kia\n", encoding="utf-8")  # the other writer wins
        return made

    monkeypatch.setattr(tempfile, "mkstemp", racing_mkstemp)
    with pytest.raises(Conflict):
        atomic.write_text(target, "của tôi\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "của người kia\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kh12.yaml"]


def test_crash_halfway_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(b"old")

    def half_then_crash(handle: BinaryIO) -> None:
        handle.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(KehoachError) as caught:
        atomic.write_file(target, half_then_crash, overwrite=True)
    assert caught.value.exit_code == ExitCode.IO
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.docx"]


def test_temp_files_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    import os
    import time

    target = tmp_path / "bao-cao.docx"
    stale = tmp_path / ".bao-cao.docx.abc123.tmp"  # left by `kill -9` an hour ago
    fresh = tmp_path / ".bao-cao.docx.def456.tmp"  # another writer's, still at work
    other = tmp_path / ".khac.docx.ghi789.tmp"  # another target's: not ours to remove
    for path in (stale, fresh, other):
        path.write_bytes("dở".encode())
    old = time.time() - atomic.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic.write_text(target, "mới\n", overwrite=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, fresh.name, other.name])


@pytest.mark.parametrize("writer", ["write_text", "replace_private"])
def test_a_full_disk_leaves_the_old_file_and_no_temp(tmp_path: Path, writer: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    target = tmp_path / "kh.yaml"
    target.write_text("cũ\n", encoding="utf-8")
    real_write = os.write

    def full(fd: int, data: Any) -> int:
        real_write(fd, bytes(data[:3]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(KehoachError, match=r"kh.yaml: không ghi được \(ổ đĩa đã đầy\)"):
        if writer == "write_text":
            atomic.write_text(target, "mới và dài hơn\n", overwrite=True)
        else:
            atomic.replace_private(target, "mới và dài hơn\n".encode())
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "cũ\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kh.yaml"]


def test_replace_private_puts_bytes_in_place_for_the_user_alone(tmp_path: Path) -> None:
    import os
    import stat

    target = tmp_path / "a.plan"
    atomic.replace_private(target, b"cu")
    atomic.replace_private(target, b"moi")
    assert target.read_bytes() == b"moi"
    assert [p.name for p in tmp_path.iterdir()] == ["a.plan"]
    if hasattr(os, "getuid"):
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_replace_private_refuses_a_planted_link(tmp_path: Path) -> None:
    from kehoach_cli.safe_fs import LinkRefused

    elsewhere = tmp_path / "bashrc"
    elsewhere.write_bytes(b"giu nguyen")
    target = tmp_path / "a.plan"
    target.symlink_to(elsewhere)
    with pytest.raises(LinkRefused):
        atomic.replace_private(target, b"x")
    assert elsewhere.read_bytes() == b"giu nguyen" and target.is_symlink()


def test_replace_private_never_writes_into_a_temp_name_already_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    # A dead process with this process's id left its temp file (or someone planted a link
    # under that name): a random name is used instead, and the other file is left alone.
    elsewhere = tmp_path / "khac"
    elsewhere.write_bytes(b"giu nguyen")
    monkeypatch.setattr(atomic, "_SERIAL", iter([7, 8]))
    target = tmp_path / "a.plan"
    squatter = tmp_path / f".a.plan.{os.getpid():x}-7.tmp"
    squatter.symlink_to(elsewhere)
    atomic.replace_private(target, b"moi")
    assert target.read_bytes() == b"moi" and elsewhere.read_bytes() == b"giu nguyen"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([squatter.name, "a.plan", "khac"])
