"""`kehoach dong-bo` with a bare shared repository and three clones, run as real processes
with no git identity configured and an editor that fails if it is ever started."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SEED_PLAN, Result, run_process

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# English that git prints on its own; none of it may reach the user without --chi-tiet.
_ENGLISH = re.compile(r"\b(fatal|error|hint|warning|Author identity|rejected|divergent|"
                      r"Merge branch|Please|remote:)\b")


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment with no git identity, no global config and a failing editor."""
    fake_home = tmp_path / "home"
    fake_home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "EMAIL"))}
    env.update({"HOME": str(fake_home), "GIT_CONFIG_GLOBAL": os.devnull,
                "GIT_CONFIG_NOSYSTEM": "1", "EDITOR": "false", "VISUAL": "false",
                "GIT_EDITOR": "false", "KEHOACH_HOM_NAY": "2025-11-20"})
    return env


def run(folder: Path, env: dict[str, str], who: str, *args: str) -> Result:
    result = run_process(*args, cwd=folder, env={**env, "KEHOACH_NGUOI_GHI": who})
    assert not _ENGLISH.search(result.out + result.err), result.out + result.err
    return result


def log(folder: Path, env: dict[str, str], who: str, note: str, body: str = "MTTQ") -> str:
    result = run(folder, env, who, "log", "3.2", note, "--don-vi", body)
    assert result.code == 0, result.err
    return result.out.split()[3].rstrip(":")


def ids(folder: Path, env: dict[str, str]) -> list[str]:
    result = run_process("nhat-ky", "--so-dong", "0", "-d", "json", cwd=folder, env=env)
    assert result.code == 0, result.err
    return sorted(entry["id"] for entry in json.loads(result.out))


@pytest.fixture
def office(tmp_path: Path, home: dict[str, str]) -> tuple[Path, Path, Path, Path]:
    """The office creates the shared repository; two bodies join it."""
    shared = tmp_path / "chia-se" / "kehoach.git"
    first = tmp_path / "van-phong"
    (first / "plans").mkdir(parents=True)
    shutil.copy(SEED_PLAN, first / "plans" / "kh160.yaml")
    log(first, home, "Văn phòng", "văn phòng ghi trước khi tạo kho")
    made = run(first, home, "Văn phòng", "dong-bo", "--tao", str(shared))
    assert made.code == 0, made.err
    assert made.out == (f"Đã đồng bộ với kho chung {shared}: gửi đi 1 bản ghi nhật ký, "
                        "nhận về 0 bản ghi.\n")
    clones = []
    for name, who in (("mat-tran", "Mặt trận"), ("doan", "Đoàn Thanh niên")):
        folder = tmp_path / name
        folder.mkdir()
        joined = run(folder, home, who, "dong-bo", "--tham-gia", str(shared))
        assert joined.code == 0, joined.err
        assert "nhận về 1 bản ghi" in joined.out
        clones.append(folder)
    return shared, first, clones[0], clones[1]


def test_identity_is_set_locally_from_the_persons_name(office: tuple[Path, Path, Path, Path]) -> None:
    _, first, second, _ = office
    for folder, who in ((first, "Văn phòng"), (second, "Mặt trận")):
        name = subprocess.run(["git", "config", "--local", "user.name"], cwd=folder,
                              capture_output=True, text=True, check=True).stdout.strip()
        assert name == who
    message = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=first, capture_output=True,
                             text=True, check=True).stdout.strip()
    assert message.startswith("kehoach dong-bo: 1 bản ghi nhật ký")


@pytest.mark.parametrize("order", [(1, 2, 3), (3, 2, 1), (2, 3, 1)])
def test_concurrent_work_in_every_order_loses_and_duplicates_nothing(
        office: tuple[Path, Path, Path, Path], home: dict[str, str],
        order: tuple[int, int, int]) -> None:
    _, *folders = office
    names = ["Văn phòng", "Mặt trận", "Đoàn Thanh niên"]
    bodies = ["MTTQ", "MTTQ", "ĐTN"]
    written = set(ids(folders[0], home))
    for round_ in range(2):
        # Everyone writes before anyone syncs: every push after the first is behind.
        for index, folder in enumerate(folders):
            written.add(log(folder, home, names[index], f"việc {round_} của {index}", bodies[index]))
        for index in order:
            result = run(folders[index - 1], home, names[index - 1], "dong-bo")
            assert result.code == 0, result.err
    for index in order:  # a last round brings everyone up to date
        assert run(folders[index - 1], home, names[index - 1], "dong-bo").code == 0
    for folder in folders:
        got = ids(folder, home)
        assert len(got) == len(set(got)) == 7
        assert set(got) == written


def test_a_push_behind_the_shared_repository_integrates_and_retries(
        office: tuple[Path, Path, Path, Path], home: dict[str, str]) -> None:
    _, first, second, _ = office
    log(first, home, "Văn phòng", "một")
    assert run(first, home, "Văn phòng", "dong-bo").code == 0
    log(second, home, "Mặt trận", "hai")
    result = run(second, home, "Mặt trận", "dong-bo")
    assert result.code == 0
    assert "gửi đi 1 bản ghi nhật ký, nhận về 1 bản ghi" in result.out


def test_unreachable_shared_repository_keeps_local_notes(
        office: tuple[Path, Path, Path, Path], home: dict[str, str]) -> None:
    shared, first, second, _ = office
    moved = shared.with_name("tam-cat.git")
    shared.rename(moved)
    note = log(second, home, "Mặt trận", "ghi lúc mất mạng")
    result = run(second, home, "Mặt trận", "dong-bo")
    assert result.code == 7
    assert result.err.startswith(f"Lỗi: không kết nối được kho chung {shared}")
    assert "ghi nhận mới đã được lưu lại trên máy này, không mất gì" in result.err
    assert note in ids(second, home)
    moved.rename(shared)
    assert run(second, home, "Mặt trận", "dong-bo").code == 0
    assert run(first, home, "Văn phòng", "dong-bo").code == 0
    assert note in ids(first, home)


def test_plan_conflict_is_explained_then_resolved_with_the_shared_version(
        office: tuple[Path, Path, Path, Path], home: dict[str, str]) -> None:
    _, first, second, _ = office
    plan = first / "plans" / "kh160.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Thường xuyên", "Quý IV/2025", 1),
                    encoding="utf-8")
    assert run(first, home, "Văn phòng", "dong-bo").code == 0
    mine = second / "plans" / "kh160.yaml"
    mine.write_text(mine.read_text(encoding="utf-8").replace("Thường xuyên", "Hằng quý", 1),
                    encoding="utf-8")
    note = log(second, home, "Mặt trận", "ghi trước khi gộp")
    stopped = run(second, home, "Mặt trận", "dong-bo")
    assert stopped.code == 5
    assert "plans/kh160.yaml bị sửa khác nhau ở máy này và ở máy khác" in stopped.err
    assert "--theo-kho-chung" in stopped.err
    assert not (second / ".git" / "MERGE_HEAD").exists()
    assert "Hằng quý" in mine.read_text(encoding="utf-8") and note in ids(second, home)
    taken = run(second, home, "Mặt trận", "dong-bo", "--theo-kho-chung")
    assert taken.code == 0, taken.err
    assert "Quý IV/2025" in mine.read_text(encoding="utf-8")
    assert "Hằng quý" in (second / "kh160.yaml.ban-cua-may-nay").read_text(encoding="utf-8")
    assert run(first, home, "Văn phòng", "dong-bo").code == 0
    assert note in ids(first, home)


def test_not_set_up_and_details(tmp_path: Path, home: dict[str, str]) -> None:
    folder = tmp_path / "moi"
    (folder / "plans").mkdir(parents=True)
    shutil.copy(SEED_PLAN, folder / "plans" / "kh160.yaml")
    result = run(folder, home, "A", "dong-bo")
    assert result.code == 3
    assert "thư mục này chưa dùng chung với máy nào" in result.err
    assert "kehoach dong-bo --tao" in result.err and "--tham-gia" in result.err
    empty = tmp_path / "trong.git"
    subprocess.run(["git", "init", "-q", "--bare", str(empty)], check=True)
    joined = run(tmp_path / "moi", home, "A", "dong-bo", "--tham-gia", str(tmp_path / "khong-co.git"))
    assert joined.code == 7 and "không mở được kho chung" in joined.err
    assert not (folder / ".git").exists()
    detailed = run_process("dong-bo", "--tao", str(tmp_path / "kho.git"), "--chi-tiet", cwd=folder,
                           env={**home, "KEHOACH_NGUOI_GHI": "A"})
    assert detailed.code == 0 and "$ git push" in detailed.err


def test_conflict_copies_of_journal_files_count_once_and_are_reported(
        tmp_path: Path, home: dict[str, str]) -> None:
    folder = tmp_path / "w"
    (folder / "plans").mkdir(parents=True)
    shutil.copy(SEED_PLAN, folder / "plans" / "kh160.yaml")
    first = log(folder, home, "A", "một")
    journal = folder / "plans" / "kh160.nhat-ky"
    [main] = journal.glob("*.jsonl")
    copy = journal / f"{main.stem} (conflicted copy 2025-11-20).jsonl"
    shutil.copy(main, copy)
    second = log(folder, home, "A", "hai")
    sync_copy = journal / f"{main.stem}.sync-conflict-20251120-101010-ABC.jsonl"
    shutil.copy(main, sync_copy)
    assert ids(folder, home) == sorted([first, second])
    checked = run(folder, home, "A", "check")
    assert checked.code == 0
    assert f"{copy.relative_to(folder)}: cảnh báo: bản xung đột do dịch vụ đồng bộ" in checked.err
    assert "sync-conflict" in checked.err and "không mất và không trùng" in checked.err
    shutil.copy(folder / "plans" / "kh160.yaml",
                folder / "plans" / "kh160 (conflicted copy 2025-11-20).yaml")
    refused = run(folder, home, "A", "nhat-ky")
    assert refused.code == 1
    assert "kh160 (conflicted copy 2025-11-20).yaml là bản xung đột của một tệp kế hoạch" in refused.err


def test_two_machines_syncing_at_the_same_instant_both_get_through(
        office: tuple[Path, Path, Path, Path], home: dict[str, str]) -> None:
    import sys

    _, first, second, third = office
    notes = {log(folder, home, who, f"cùng lúc {who}")
             for folder, who in ((first, "Văn phòng"), (second, "Mặt trận"), (third, "Đoàn"))}
    procs = [subprocess.Popen([sys.executable, "-m", "kehoach_cli", "dong-bo"], cwd=folder,
                              env={**home, "KEHOACH_NGUOI_GHI": who}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8")
             for folder, who in ((first, "Văn phòng"), (second, "Mặt trận"), (third, "Đoàn"))]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert not _ENGLISH.search(out + err), out + err
    for folder, who in ((first, "Văn phòng"), (second, "Mặt trận"), (third, "Đoàn")):
        assert run(folder, home, who, "dong-bo").code == 0
    for folder in (first, second, third):
        got = ids(folder, home)
        assert len(got) == len(set(got)) == 4 and notes <= set(got)


@pytest.mark.parametrize(("err", "denied", "offline", "rejected"), [
    ("fatal: could not read Username for 'https://git.example.org': terminal prompts disabled",
     True, False, False),
    ("git@git.example.org: Permission denied (publickey).\nfatal: Could not read from remote "
     "repository.", True, True, False),
    ("fatal: unable to access 'https://git.example.org/x.git/': Could not resolve host: "
     "git.example.org", False, True, False),
    ("fatal: '/media/usb/kehoach.git' does not appear to be a git repository", False, True, False),
    (" ! [rejected]        HEAD -> main (fetch first)\nerror: failed to push some refs",
     False, False, True),
    ("error: cannot lock ref 'refs/heads/main': is at 1a2b but expected 3c4d", False, False, True),
])
def test_git_failures_are_recognised(err: str, denied: bool, offline: bool, rejected: bool) -> None:
    from kehoach_cli.sync.git import Run, is_denied, is_offline, is_rejected

    run = Run(("push",), 1, "", err)
    assert (is_denied(run), is_offline(run), is_rejected(run)) == (denied, offline, rejected)
