"""The parsed-journal cache: it saves work, never hides a change or a damaged line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import msgspec
import pytest

from kehoach_cli.journal import cache as journal_cache
from kehoach_cli.journal import read as journal_read
from kehoach_cli.journal import store as journal
from kehoach_cli.plan.loader import LoadedPlan, load_plan
from tests.test_journal import make, sidecar


@pytest.fixture
def plan(workspace: Path) -> LoadedPlan:
    return load_plan(workspace / "plans" / "kh160.yaml")


def _age(path: Path, seconds: int = 60) -> None:
    """Make a file look settled: caching skips files modified in the last seconds."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def _cached_names(plan: LoadedPlan) -> set[str]:
    store = journal_cache.JournalCache(journal.sidecar_dir(plan.path))
    return set(store.files)


def test_settled_files_are_cached_and_read_back_the_same(plan: LoadedPlan) -> None:
    for n in range(3):
        journal.append_entry(plan, make(f"a{n:09d}", day=n + 1))
    _age(sidecar(plan))
    first = journal_read.read_journal(plan)
    assert _cached_names(plan) == {sidecar(plan).name}
    again = journal_read.read_journal(plan)
    assert again.entries == first.entries
    assert [e.id for e in again.entries] == ["a000000000", "a000000001", "a000000002"]


def test_fresh_files_are_not_cached(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("b000000000"))
    journal_read.read_journal(plan)
    assert _cached_names(plan) == set()


def test_an_append_after_caching_is_seen(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("c000000000", day=1))
    _age(sidecar(plan))
    journal_read.read_journal(plan)
    journal.append_entry(plan, make("c000000001", day=2))
    assert [e.id for e in journal_read.read_journal(plan).entries] == ["c000000000", "c000000001"]


def test_a_line_torn_after_caching_is_reported(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("d000000000"))
    _age(sidecar(plan))
    journal_read.read_journal(plan)
    with sidecar(plan).open("ab") as handle:
        handle.write(b'{"id": "d0000')
    _age(sidecar(plan))
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["d000000000"]
    assert [(p.line, "cắt dở" in p.message) for p in read.problems] == [(2, True)]
    assert journal_read.read_journal(plan).problems == read.problems  # damage is never cached


def test_a_corrupt_cache_file_is_ignored(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("e000000000"))
    _age(sidecar(plan))
    journal_read.read_journal(plan)
    store = journal_cache.JournalCache(journal.sidecar_dir(plan.path))
    store.path.write_bytes(b"\x00not a cache at all")
    assert [e.id for e in journal_read.read_journal(plan).entries] == ["e000000000"]
    assert _cached_names(plan) == {sidecar(plan).name}  # rewritten whole


def test_a_cache_that_fails_its_checksum_is_ignored(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("f000000000"))
    _age(sidecar(plan))
    journal_read.read_journal(plan)
    store = journal_cache.JournalCache(journal.sidecar_dir(plan.path))
    data = bytearray(store.path.read_bytes())
    position = data.index(b"f000000000")
    data[position:position + 10] = b"x999999999"  # a flipped id: same length, wrong CRC
    store.path.write_bytes(bytes(data))
    assert [e.id for e in journal_read.read_journal(plan).entries] == ["f000000000"]


def test_rows_rebuild_the_same_entries(plan: LoadedPlan) -> None:
    from datetime import datetime, timedelta, timezone

    from kehoach_cli.journal.format import from_row, to_row
    from kehoach_cli.status import Status

    entry = make("g000000000", trang_thai=Status.HOAN_THANH, minh_chung="05-BC/MTTQ",
                 so_lieu={"số cuộc": 3.0}, sua_cho="a000000000",
                 ghi_luc=datetime(2025, 11, 20, 9, 30, 1, 5000, tzinfo=timezone(timedelta(hours=7))))
    stored = msgspec.msgpack.encode((3, {"f.jsonl": ((1, 2, 3), [to_row(entry)])}))
    _, files = journal_cache._decoder().decode(stored)
    assert from_row(files["f.jsonl"][1][0], "kh160") == entry
