"""Indexed cache packs: each blob read back as written, damage only ever a miss, never code
run, never a link followed, and the journal digests of a folder's plans in one pack."""

from __future__ import annotations

import os
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest

from kehoach_cli import cachepack
from kehoach_cli.journal import digest
from kehoach_cli.journal import read as journal_read
from kehoach_cli.plan.cache import cache_dir
from kehoach_cli.plan.loader import load_plan
from tests.conftest import Runner

VERSION = (3, "x")


def _pack(tmp_path: Path, blobs: dict[str, bytes]) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / "p.tom-tat"
    assert cachepack.write(target, VERSION, "/owner", blobs)
    return target


def test_each_blob_reads_back_as_written(tmp_path: Path) -> None:
    blobs = {"a": b"", "b": b"x" * 100_000, "c": "nội dung".encode(), "d": os.urandom(70_000)}
    target = _pack(tmp_path, blobs)
    pack = cachepack.Pack.open(target, VERSION, "/owner")
    assert pack is not None
    with pack:
        assert set(pack.names()) == set(blobs)
        assert {name: pack.get(name) for name in blobs} == blobs
        assert pack.get("missing") is None
    assert pack.get("a") is None  # closed: nothing more is read


def test_a_large_index_is_read_past_the_first_read(tmp_path: Path) -> None:
    blobs = {f"nhat-ky-{i:05d}-{'x' * 40}": i.to_bytes(4, "big") for i in range(5000)}
    target = _pack(tmp_path, blobs)
    pack = cachepack.Pack.open(target, VERSION, "/owner")
    assert pack is not None
    with pack:
        assert {name: pack.get(name) for name in blobs} == blobs


def test_another_version_or_owner_is_a_miss(tmp_path: Path) -> None:
    target = _pack(tmp_path, {"a": b"1"})
    assert cachepack.Pack.open(target, (4, "x"), "/owner") is None
    assert cachepack.Pack.open(target, VERSION, "/other") is None
    assert cachepack.Pack.open(target.with_name("none"), VERSION, "/owner") is None


def test_a_flipped_blob_is_a_miss_for_it_alone(tmp_path: Path) -> None:
    target = _pack(tmp_path, {"a": b"first blob", "b": b"second blob"})
    data = bytearray(target.read_bytes())
    data[data.index(b"second")] ^= 0x20
    target.write_bytes(bytes(data))
    pack = cachepack.Pack.open(target, VERSION, "/owner")
    assert pack is not None
    with pack:
        assert pack.get("a") == b"first blob"
        assert pack.get("b") is None


@pytest.mark.parametrize("cut", [0, 3, 8, 20, -1])
def test_a_torn_pack_is_a_miss(tmp_path: Path, cut: int) -> None:
    target = _pack(tmp_path, {"a": b"first blob", "b": b"second blob"})
    data = target.read_bytes()
    target.write_bytes(data[:cut])
    pack = cachepack.Pack.open(target, VERSION, "/owner")
    if pack is None:
        return
    with pack:  # the index survived the cut: the blob cut short is not given
        assert pack.get("b") is None


class _Payload:
    """Unpickling this creates a file: the proof that a pack ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def test_a_planted_pack_runs_no_code(tmp_path: Path) -> None:
    target = _pack(tmp_path, {"a": b"1"})
    marker = tmp_path / "da-chay-ma"
    planted = pickle.dumps(_Payload(marker))
    target.write_bytes(zlib.crc32(planted).to_bytes(4, "big") + len(planted).to_bytes(4, "big")
                       + planted)  # a sound checksum over a pickle
    assert cachepack.Pack.open(target, VERSION, "/owner") is None
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_a_link_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    real = _pack(tmp_path, {"a": b"1"})
    link = real.with_name("link.tom-tat")
    link.symlink_to(real)
    assert cachepack.Pack.open(link, VERSION, "/owner") is None
    before = real.read_bytes()
    assert not cachepack.write(link, VERSION, "/owner", {"a": b"2"})
    assert real.read_bytes() == before and link.is_symlink()


@pytest.mark.skipif(os.name == "nt", reason="POSIX rights")
def test_a_pack_others_may_write_is_not_read(tmp_path: Path) -> None:
    target = _pack(tmp_path, {"a": b"1"})
    target.chmod(0o666)
    assert cachepack.Pack.open(target, VERSION, "/owner") is None


# --------------------------------------------------------------------------- journal digests

def _two_plans(workspace: Path, cli: Runner) -> None:
    seed = workspace / "plans" / "kh160.yaml"
    text = seed.read_text(encoding="utf-8")
    (workspace / "plans" / "kh161.yaml").write_text(
        text.replace("ma: kh160", "ma: kh161"), encoding="utf-8")
    for plan in ("kh160", "kh161"):
        assert cli("log", f"{plan}:3.2", "đang làm", "-u", "MTTQ").code == 0


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest, "RACY_NS", 0)


def _held_plans() -> set[str]:
    [target] = cache_dir().glob(f"*{digest.PACK_SUFFIX}")
    pack = cachepack.Pack.open(target, digest.FORMAT,
                               os.path.dirname(os.path.abspath("plans/kh160.nhat-ky")))
    assert pack is not None
    with pack:
        return set(pack.names())


def test_a_folders_journals_share_one_pack(workspace: Path, cli: Runner, trusting: None) -> None:
    _two_plans(workspace, cli)
    assert "kh161" in (workspace / "plans" / "kh161.yaml").read_text(encoding="utf-8")
    assert cli("list", "--don-vi", "MTTQ").code == 0
    assert _held_plans() == {"kh160.nhat-ky", "kh161.nhat-ky"}


def test_a_digest_saved_alone_keeps_the_others(workspace: Path, cli: Runner,
                                               trusting: None) -> None:
    # Another run (outside a batch: one plan's digest, written at once) keeps what the pack
    # holds for the other plans.
    _two_plans(workspace, cli)
    assert cli("list", "--don-vi", "MTTQ").code == 0
    assert cli("log", "kh160:3.2", "thêm", "-u", "MTTQ").code == 0
    loaded = load_plan(workspace / "plans" / "kh160.yaml")
    files = journal_read._record_entries(loaded)
    digest.save(loaded, digest.stamps_of(files), journal_read.read_journal(loaded))
    assert _held_plans() == {"kh160.nhat-ky", "kh161.nhat-ky"}
    held, _ = digest.load(loaded, journal_read._record_entries(loaded))
    assert held is not None and len(held.notes()["3.2"]) == 2


def test_a_removed_plans_digest_leaves_the_pack(workspace: Path, cli: Runner,
                                                trusting: None) -> None:
    _two_plans(workspace, cli)
    assert cli("list", "--don-vi", "MTTQ").code == 0
    (workspace / "plans" / "kh161.yaml").unlink()
    shutil.rmtree(workspace / "plans" / "kh161.nhat-ky")
    assert cli("log", "kh160:3.2", "thêm", "-u", "MTTQ").code == 0
    assert cli("list", "--don-vi", "MTTQ").code == 0  # kh160 changed: the pack is written
    assert _held_plans() == {"kh160.nhat-ky"}


def test_a_damaged_digest_costs_only_its_plan_a_read(workspace: Path, cli: Runner,
                                                     trusting: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _two_plans(workspace, cli)
    assert cli("list", "--don-vi", "MTTQ").code == 0
    [target] = cache_dir().glob(f"*{digest.PACK_SUFFIX}")
    data = bytearray(target.read_bytes())
    data[-3] ^= 0xFF  # inside the last digest written: kh161's
    target.write_bytes(bytes(data))
    reads: list[str] = []
    real = journal_read._read_paths

    def spy(loaded: Any, paths: list[str], task_id: str | None = None) -> Any:
        reads.append(loaded.key)
        return real(loaded, paths, task_id)

    monkeypatch.setattr(journal_read, "_read_paths", spy)
    result = cli("list", "--don-vi", "MTTQ", "--dinh-dang", "json")
    assert result.code == 0
    assert reads == ["kh161"]
    reads.clear()
    assert cli("list", "--don-vi", "MTTQ").code == 0  # written again whole
    assert reads == []


def test_files_earlier_versions_left_in_the_cache_are_swept(workspace: Path, cli: Runner,
                                                           trusting: None,
                                                           tmp_path: Path) -> None:
    """The packs replaced a digest file per journal and a cache file per plan: the first
    pack written removes those (the user's own regular files by exactly those names)."""
    folder = cache_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    legacy = ["0036cf2542681307.nhat-ky", "00916b0d42ad130e.plan"]
    kept = ["ghi-chu.nhat-ky", "ABCDEF0123456789.plan", "0036cf2542681307.txt",
            "0036cf254268130.plan"]
    for name in legacy + kept:
        (folder / name).write_bytes(b"old")
    (folder / "2222222222222222.nhat-ky").mkdir()
    outside = tmp_path / "ngoai.txt"
    outside.write_bytes(b"keep")
    if hasattr(os, "symlink") and os.name != "nt":
        (folder / "1111111111111111.plan").symlink_to(outside)
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    assert cli("list", "--don-vi", "MTTQ").code == 0  # a full read: the digest pack written
    names = {p.name for p in folder.iterdir()}
    assert not names & set(legacy)
    assert set(kept) | {"2222222222222222.nhat-ky"} <= names
    assert outside.read_bytes() == b"keep"
    assert list(folder.glob(f"*{digest.PACK_SUFFIX}"))
