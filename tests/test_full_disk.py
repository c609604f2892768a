"""A full disk (ENOSPC injected into every file write) during log, nhap -o, report --xuat and
the caches: a Vietnamese message, the previous content intact, no stray file, no traceback.

Each command runs as a real process through a small launcher that makes `os.write` fail for
files (descriptors above 2) after writing half of what it was given: the way a disk fills
up mid-write. Python's own exit (garbage collection of a half-written ZipFile) runs too, so
a `ZipFile.__del__` traceback would show.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result, run_process

LAUNCHER = """
import errno, os, sys
real_write = os.write
def full_disk(fd, data):
    if fd <= 2:
        return real_write(fd, data)
    if len(data) > 1:
        real_write(fd, bytes(data[: len(data) // 2]))
    raise OSError(errno.ENOSPC, "No space left on device")
os.write = full_disk
from kehoach_cli.cli import main
main(sys.argv[1:])
"""
TODAY = "2025-11-20"


def _full_disk_run(*args: str, cwd: Path) -> Result:
    env = {**os.environ, "KEHOACH_HOM_NAY": TODAY}
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", check=False)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def logged(workspace: Path) -> Path:
    env = {**os.environ, "KEHOACH_HOM_NAY": TODAY}
    result = run_process("log", "3.2", "Đã giám sát", "--don-vi", "MTTQ", cwd=workspace, env=env)
    assert result.code == 0, result.err
    return workspace


def test_log(logged: Path) -> None:
    before = _listing(logged)
    result = _full_disk_run("log", "3.2", "Lần hai", "--don-vi", "MTTQ", cwd=logged)
    assert result.code == 6
    assert result.err.startswith("Lỗi: plans/kh160.nhat-ky/")
    assert result.err.endswith(": không ghi được nhật ký (ổ đĩa đã đầy)\n")
    assert _listing(logged) == before  # the half record was cut back
    assert run_process("check", cwd=logged).code == 0


def test_nhap_output(workspace: Path) -> None:
    source = workspace / "ke-hoach.md"
    source.write_text("# KẾ HOẠCH\n\n1. Tuyên truyền\n", encoding="utf-8")
    (workspace / "kh.yaml").write_text("# bản cũ\n", encoding="utf-8")
    before = _listing(workspace)
    result = _full_disk_run("nhap", str(source), "-o", "kh.yaml", "--ghi-de", cwd=workspace)
    assert result.code == 6
    assert "Lỗi: kh.yaml: không ghi được (ổ đĩa đã đầy)\n" in result.err
    assert "Traceback" not in result.err
    assert _listing(workspace) == before


def test_report_export(logged: Path) -> None:
    (logged / "bao-cao.docx").write_bytes(b"ban cu")
    before = _listing(logged)
    result = _full_disk_run("report", "--ky", "quý IV/2025", "--xuat", "bao-cao.docx",
                            "--ghi-de", cwd=logged)
    assert result.code == 6
    assert result.err == "Lỗi: bao-cao.docx: không ghi được (ổ đĩa đã đầy)\n"  # no ZipFile.__del__
    assert _listing(logged) == before


def test_caches(logged: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = Path(os.environ["KEHOACH_CACHE_DIR"])
    assert run_process("report", "--ky", "quý IV/2025", cwd=logged).code == 0  # fills the caches
    before = _listing(cache)
    assert before  # both caches hold something to keep
    (logged / "plans" / "kh160.yaml").write_text(
        (logged / "plans" / "kh160.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = _full_disk_run("report", "--ky", "quý IV/2025", cwd=logged)
    assert (result.code, result.err) == (0, "")  # a cache that cannot be written is only slower
    assert _listing(cache) == before
