"""Two clones of a plans repository log to the same task, pull and push: no conflict, and
every entry exactly once on both sides."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SEED_PLAN, run_process

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "GIT_AUTHOR_NAME": "Kiểm thử",
                               "GIT_AUTHOR_EMAIL": "kt@example.org",
                               "GIT_COMMITTER_NAME": "Kiểm thử",
                               "GIT_COMMITTER_EMAIL": "kt@example.org",
                               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    assert proc.returncode == 0, f"git {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def log(clone: Path, who: str, note: str, day: str = "2025-11-20") -> str:
    env = {**os.environ, "KEHOACH_NGUOI_GHI": who, "KEHOACH_HOM_NAY": day}
    result = run_process("log", "3.2", note, "--don-vi", "MTTQ", cwd=clone, env=env)
    assert result.code == 0, result.err
    return result.out.split()[3].rstrip(":")


def entry_ids(clone: Path) -> list[str]:
    """Every effective entry id, as `kehoach nhat-ky` lists them (duplicates kept)."""
    result = run_process("nhat-ky", "--so-dong", "0", "-d", "csv", cwd=clone)
    assert result.code == 0 and result.err == "", result.err
    return [line.split(",")[0].lstrip("\ufeff") for line in result.out.splitlines()[1:]]


def record_lines(clone: Path) -> list[str]:
    folder = clone / "plans" / "kh160.nhat-ky"
    return [line for path in sorted(folder.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    first = tmp_path / "van-phong"
    git(tmp_path, "clone", "-q", str(remote), str(first))
    (first / "plans").mkdir()
    shutil.copy(SEED_PLAN, first / "plans" / "kh160.yaml")
    git(first, "add", ".")
    git(first, "commit", "-q", "-m", "kế hoạch")
    git(first, "push", "-q", "origin", "main")
    second = tmp_path / "mat-tran"
    git(tmp_path, "clone", "-q", str(remote), str(second))
    return first, second


def commit_all(clone: Path, message: str) -> None:
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", message)


@pytest.mark.parametrize("pull", [["pull", "--no-rebase"], ["pull", "--rebase"]])
@pytest.mark.parametrize("same_writer", [False, True])
def test_two_clones_log_pull_push_without_conflict(
    clones: tuple[Path, Path], pull: list[str], same_writer: bool,
) -> None:
    first, second = clones
    writer_a, writer_b = "Nguyễn Văn A", ("Nguyễn Văn A" if same_writer else "Trần Thị B")
    # A history both sides share, so the second round appends to a file both already have.
    shared = log(first, writer_a, "ghi chung trước khi tách")
    commit_all(first, "ghi nhận chung")
    git(first, "push", "-q", "origin", "main")
    git(second, *pull, "-q", "origin", "main")

    mine = [log(first, writer_a, f"văn phòng ghi {n}") for n in range(3)]
    theirs = [log(second, writer_b, f"mặt trận ghi {n}") for n in range(3)]
    commit_all(first, "văn phòng ghi nhận")
    commit_all(second, "mặt trận ghi nhận")
    git(first, "push", "-q", "origin", "main")
    git(second, *pull, "-q", "origin", "main")  # no conflict: git would fail here
    git(second, "push", "-q", "origin", "main")
    git(first, *pull, "-q", "origin", "main")

    expected = sorted([shared, *mine, *theirs])
    for clone in (first, second):
        assert git(clone, "status", "--porcelain") == ""
        assert sorted(entry_ids(clone)) == expected  # each exactly once
        lines = record_lines(clone)
        assert len(lines) == len(expected) and not any(line.startswith("<<<<<<<") for line in lines)
    assert record_lines(first) == record_lines(second)


def test_both_clones_start_the_same_new_file(clones: tuple[Path, Path]) -> None:
    """The same person on two machines, first notes of a month on both: add/add merges."""
    first, second = clones
    a = log(first, "Nguyễn Văn A", "máy văn phòng")
    b = log(second, "Nguyễn Văn A", "máy xách tay")
    commit_all(first, "văn phòng")
    commit_all(second, "xách tay")
    git(first, "push", "-q", "origin", "main")
    git(second, "pull", "--no-rebase", "-q", "origin", "main")
    git(second, "push", "-q", "origin", "main")
    git(first, "pull", "--no-rebase", "-q", "origin", "main")
    for clone in (first, second):
        assert sorted(entry_ids(clone)) == sorted([a, b])
        assert git(clone, "status", "--porcelain") == ""


def test_lock_file_is_ignored_and_rules_are_committed(clones: tuple[Path, Path]) -> None:
    first, _ = clones
    log(first, "Nguyễn Văn A", "một")
    status = git(first, "status", "--porcelain", "--untracked-files=all")
    assert ".lock" not in status
    assert "plans/kh160.nhat-ky/.gitattributes" in status
    assert "merge: union" in git(first, "check-attr", "merge", "--",
                                 "plans/kh160.nhat-ky/2025-11.nguyen-van-a.jsonl")
