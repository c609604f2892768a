"""The plan cache: never stale, never code, never in someone else's folder,
never a stray temporary file; and the GC policy a command sets is put back."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from kehoach_cli import cachefiles
from kehoach_cli.errors import PlanInvalid
from kehoach_cli.plan import cache as plan_cache
from kehoach_cli.plan.loader import load_plan
from tests.conftest import Runner

posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owner and mode bits are POSIX")


def _plan_path(workspace: Path) -> Path:
    return workspace / "plans" / "kh160.yaml"


def _cache_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_an_edit_keeping_size_and_mtime_is_seen(workspace: Path, cli: Runner) -> None:
    path = _plan_path(workspace)
    first = load_plan(path)
    assert plan_cache.get(path, path.read_bytes()) == first.plan  # cached
    before = path.stat()
    assert first.plan.ke_hoach.co_quan_ban_hanh == "Đảng ủy"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("co_quan_ban_hanh: Đảng ủy", "co_quan_ban_hanh: Đảng ủX", 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old time put back
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert load_plan(path).plan.ke_hoach.co_quan_ban_hanh == "Đảng ủX"


class _Payload:
    """Unpickling this creates a file: the proof that a cache file ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def test_a_planted_plan_cache_file_runs_no_code(workspace: Path, cli: Runner) -> None:
    path = _plan_path(workspace)
    marker = workspace / "da-chay-ma"
    target = plan_cache._entry(plan_cache._key(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    planted = pickle.dumps(_Payload(marker))
    import zlib

    target.write_bytes(zlib.crc32(planted).to_bytes(4, "big") + planted)  # a sound checksum
    os.chmod(target, 0o600)
    result = cli("list", "--don-vi", "MTTQ")
    assert result.code == 0 and "3.2" in result.out
    assert not marker.exists()


@posix_only
def test_a_cache_folder_others_can_write_is_not_used(workspace: Path, capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    folder = plan_cache.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o777)
    path = _plan_path(workspace)
    load_plan(path)
    assert _cache_files(folder) == []  # nothing written there
    assert f"không dùng bộ đệm {folder}" in capsys.readouterr().err
    os.chmod(folder, 0o700)
    load_plan(path)
    assert len(_cache_files(folder)) == 1  # the same folder, once private, is used


@posix_only
def test_a_cache_file_others_can_write_is_not_trusted(workspace: Path, tmp_path: Path) -> None:
    path = _plan_path(workspace)
    raw = path.read_bytes()
    other = tmp_path / "khac.yaml"
    other.write_text(raw.decode("utf-8").replace("ma: kh160", "ma: khac", 1), encoding="utf-8")
    planted = load_plan(other).plan
    assert planted.ke_hoach.ma == "khac"
    plan_cache.put(path, raw, planted)  # an entry for kh160.yaml holding another plan
    assert plan_cache.get(path, raw) == planted  # as the owner wrote it, it would be used
    os.chmod(plan_cache._entry(plan_cache._key(path)), 0o666)
    assert plan_cache.get(path, raw) is None
    assert load_plan(path).plan.ke_hoach.ma == "kh160"


def _fail_replace(*args: Any, **kwargs: Any) -> None:
    raise PermissionError(13, "tệp đang mở ở chương trình khác")


def test_failed_cache_writes_leave_no_temporary_file(workspace: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = plan_cache.cache_dir()
    load_plan(_plan_path(workspace))  # the folder exists, a plan cached
    cached = _cache_files(folder)
    monkeypatch.setattr(os, "replace", _fail_replace)  # as on Windows with the file open
    path = _plan_path(workspace)
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_plan(path).key == "kh160"
    assert _cache_files(folder) == cached  # no .tmp file, no new entry
    assert not cachefiles.write(folder / "thu.plan", b"x")


def test_a_cache_file_written_in_pieces_reads_back_whole(tmp_path: Path) -> None:
    target = tmp_path / "thu.bao-cao"
    pieces: list[bytes | memoryview] = [b"\x95", b"", memoryview("mặt trận".encode()),
                                        b"x" * 70_000]
    assert cachefiles.write(target, *pieces)
    assert cachefiles.read(target) == b"".join(pieces)
    raw = target.read_bytes()  # one checksum over the joined pieces, ahead of them
    assert raw[:4] == zlib.crc32(b"".join(pieces)).to_bytes(4, "big")


def test_a_damaged_cache_file_is_a_miss(workspace: Path) -> None:
    path = _plan_path(workspace)
    load_plan(path)
    target = plan_cache._entry(plan_cache._key(path))
    data = bytearray(target.read_bytes())
    data[-5] ^= 0xFF
    target.write_bytes(bytes(data))
    assert plan_cache.get(path, path.read_bytes()) is None
    assert load_plan(path).key == "kh160"



def _copies(workspace: Path, count: int) -> list[Path]:
    """`count` more plans beside kh160.yaml, each with its own key."""
    seed = _plan_path(workspace).read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        path = workspace / "plans" / f"kh{i}.yaml"
        path.write_text(seed.replace("ma: kh160", f"ma: kh{i}", 1), encoding="utf-8")
        paths.append(path)
    return paths


def _pack_names(path: Path) -> set[str]:
    """The plan files the pack of `path`'s folder holds entries for, as a new run sees it."""
    data = cachefiles.read(plan_cache._entry(plan_cache._key(path)))
    assert data is not None
    return set(plan_cache._pack_decoder().decode(data)[2])


def test_a_batch_writes_one_pack_once(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [_plan_path(workspace), *_copies(workspace, 4)]
    writes: list[Path] = []
    real_write = cachefiles.write

    def counting(path: Path, *chunks: bytes | memoryview) -> bool:
        writes.append(path)
        return real_write(path, *chunks)

    monkeypatch.setattr(cachefiles, "write", counting)
    with plan_cache.batch():
        loaded = [load_plan(path) for path in paths]
        assert writes == []  # nothing written yet, but the entries are already used
        assert all(plan_cache.get(p, p.read_bytes()) == item.plan
                   for p, item in zip(paths, loaded, strict=True))
    assert len(writes) == 1
    assert _cache_files(plan_cache.cache_dir()) == [writes[0].name]
    assert _pack_names(paths[0]) == {p.name for p in paths}


def test_a_stale_entry_is_a_miss_and_the_plan_is_validated_again(workspace: Path) -> None:
    path = _plan_path(workspace)
    load_plan(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ma: kh160", "ma: kh161", 1), encoding="utf-8")
    assert plan_cache.get(path, path.read_bytes()) is None
    assert load_plan(path).key == "kh161"
    path.write_text(text.replace("trich_yeu:", "trich_yeu: [", 1), encoding="utf-8")
    assert plan_cache.get(path, path.read_bytes()) is None  # broken now: never the old plan
    with pytest.raises(PlanInvalid):
        load_plan(path)


def test_a_truncated_or_foreign_pack_is_a_miss(workspace: Path) -> None:
    path = _plan_path(workspace)
    load_plan(path)
    target = plan_cache._entry(plan_cache._key(path))
    whole = target.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"\x00\x00",
                    zlib.crc32(b"\x93\x01\x02\x03").to_bytes(4, "big") + b"\x93\x01\x02\x03"):
        target.write_bytes(damaged)
        assert plan_cache.get(path, path.read_bytes()) is None
        assert load_plan(path).key == "kh160"  # validated again, and the pack written anew
        assert plan_cache.get(path, path.read_bytes()) is not None


def test_a_pack_of_another_code_version_is_not_used(workspace: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = _plan_path(workspace)
    load_plan(path)
    monkeypatch.setattr(plan_cache, "_code_version", lambda: ("0.0.0", 1, 2))
    plan_cache._PACKS.clear()  # a new run, of other code
    assert plan_cache.get(path, path.read_bytes()) is None


def test_another_runs_entries_are_kept_and_deleted_plans_dropped(workspace: Path) -> None:
    first, second, third = _copies(workspace, 3)
    load_plan(first)
    # Another run writes the pack meanwhile: this run's view of it is then out of date.
    ours = dict(plan_cache._PACKS)
    plan_cache._PACKS.clear()
    load_plan(second)
    plan_cache._PACKS.clear()
    plan_cache._PACKS.update(ours)
    third.unlink()
    load_plan(_plan_path(workspace))
    assert _pack_names(first) == {first.name, second.name, "kh160.yaml"}
    second.unlink()
    load_plan(first)  # nothing new: no write
    _plan_path(workspace).write_text(_plan_path(workspace).read_text(encoding="utf-8") + "\n",
                                     encoding="utf-8")
    load_plan(_plan_path(workspace))
    assert _pack_names(first) == {first.name, "kh160.yaml"}


WRITER = """
import sys
import zlib
from pathlib import Path
from kehoach_cli.plan.loader import load_plan
path = Path(sys.argv[1])
seed = path.read_text(encoding="utf-8")
for n in range(int(sys.argv[2])):
    path.write_text(seed + "#" * n + "\\n", encoding="utf-8")  # new bytes: a new entry
    assert load_plan(path).plan.ke_hoach.ma == path.stem
"""


def test_concurrent_writers_leave_a_sound_pack(workspace: Path) -> None:
    import subprocess

    paths = _copies(workspace, 4)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), "15"],
                                stderr=subprocess.PIPE, text=True) for path in paths]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    assert _pack_names(paths[0]) <= {p.name for p in paths}  # sound, whoever wrote last
    assert [p.name for p in plan_cache.cache_dir().iterdir()] == [
        plan_cache._entry(plan_cache._key(paths[0])).name]  # and no temporary file left
    plan_cache._PACKS.clear()
    for path in paths:
        assert load_plan(path).key == path.stem


@pytest.mark.parametrize("args", [
    ("report", "--ky", "quý IV/2025", "--ngay", "20/11/2025", "-d", "json"),
    ("report", "--ky", "quý 7/2025"),  # fails: an unknown period
    ("list", "--don-vi", "MTTQ"),
])
def test_a_command_puts_the_collector_back(workspace: Path, cli: Runner,
                                           args: tuple[str, ...]) -> None:
    assert gc.isenabled()
    cli(*args)
    assert gc.isenabled()
    gc.disable()
    try:
        cli(*args)
        assert not gc.isenabled()  # put back as it was, not simply turned on
    finally:
        gc.enable()


def test_the_collector_is_paused_while_a_command_runs(workspace: Path, cli: Runner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from kehoach_cli.plan import workspace as workspace_module

    seen: list[bool] = []
    real = load_plan

    def spy(path: Path) -> Any:
        seen.append(gc.isenabled())
        return real(path)

    monkeypatch.setattr(workspace_module, "load_plan", spy)
    assert cli("list").code == 0
    assert seen == [False] and gc.isenabled()


assert sys.version_info >= (3, 11)


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux lets a name hold non-UTF-8 bytes")
def test_a_folder_named_in_bytes_that_are_not_utf8_is_read_uncached(
        tmp_path: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    # A name copied from an old Windows-1258 disk: Python sees its bytes as lone surrogates,
    # which MessagePack cannot hold. Commands must work; the caches are simply not kept.
    from tests.conftest import SEED_PLAN

    root = tmp_path / os.fsdecode(b"k\xe8 ho\xb9ch")
    try:
        (root / "plans").mkdir(parents=True)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses such names")
    (root / "plans" / "kh160.yaml").write_bytes(SEED_PLAN.read_bytes())
    monkeypatch.chdir(root)
    cache = Path(os.environ["KEHOACH_CACHE_DIR"])
    for args in (["list", "--don-vi", "MTTQ"], ["log", "3.2", "đã giám sát", "--don-vi", "MTTQ"],
                 ["list", "--don-vi", "MTTQ"], ["report", "--ky", "quy"], ["check"]):
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    assert "đang thực hiện" in cli("list", "--don-vi", "MTTQ").out
    assert not [p for p in cache.iterdir() if p.suffix in {".pack", ".tom-tat"}]
