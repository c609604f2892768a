"""The review's kept lines (`query/review_cache.py`): a report served from them is the report
computed from the journal, in every format, and any change to what they were computed from
(a note, a plan edit, the span, the reference date, damage) is seen."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_cli.journal import digest
from kehoach_cli.plan.cache import cache_dir
from kehoach_cli.query import review
from kehoach_cli.query.review_cache import FORMAT

from .conftest import Runner

TASKS = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4", "5.1", "5.2", "5.3"]
BODIES = ["ĐU", "UBND", "MTTQ", "CT-XH", "ĐTN", "HLHPN", "HND", "HCCB", "KDV", "CB"]
STATUSES = [None, None, "dang_thuc_hien", "hoan_thanh", "chua_thuc_hien"]
QUARTER = ["--ky", "quý III/2025", "--ngay", "15/10/2025"]
OUTPUTS = [["-d", "json"], ["-d", "md"], ["-d", "csv", "--nhom", "don-vi"],
           ["-d", "csv", "--bang", "don-vi"]]


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled (no racy window)."""
    monkeypatch.setattr(digest, "RACY_NS", 0)


@pytest.fixture
def recalls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans whose lines a review took from the cache."""
    seen: list[str] = []
    real = review._Build.recalled

    def spy(self: Any, loaded: Any, stored: Any) -> None:
        seen.append(loaded.key)
        real(self, loaded, stored)

    monkeypatch.setattr(review._Build, "recalled", spy)
    return seen


def _record(rng: random.Random, number: int) -> dict[str, Any]:
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
    record: dict[str, Any] = {
        "id": f"r{number:05d}x", "ma": rng.choice(TASKS), "ngay": day.isoformat(),
        "don_vi": rng.choice(BODIES), "noi_dung": f"ghi nhận số {number}",
        "nguoi_ghi": "Người kiểm thử",
        "ghi_luc": f"{(day + timedelta(days=rng.randrange(3))).isoformat()}T09:30:00+07:00"}
    if (status := rng.choice(STATUSES)) is not None:
        record["trang_thai"] = status
    if rng.random() < 0.3:
        record["so_lieu"] = {rng.choice(["số cuộc", "so cuoc", "lượt người"]):
                             rng.choice([1, 2, 2.5, 10])}
    if rng.random() < 0.05:
        record["ca_nhiem_vu"] = True
    return record


def _write_journal(workspace: Path, records: list[dict[str, Any]]) -> None:
    folder = workspace / "plans" / "kh160.nhat-ky"
    folder.mkdir(exist_ok=True)
    by_month: dict[str, list[str]] = {}
    for record in records:
        by_month.setdefault(record["ngay"][:7], []).append(
            json.dumps(record, ensure_ascii=False))
    for month, lines in by_month.items():
        (folder / f"{month}.nguoi-kiem-thu.jsonl").write_text("\n".join(lines) + "\n",
                                                            encoding="utf-8")


def _uncached(cli: Runner, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("KEHOACH_NO_CACHE", "1")
    try:
        result = cli("report", *args)
    finally:
        monkeypatch.delenv("KEHOACH_NO_CACHE")
    assert result.code == 0, result.err
    return result.out


def _packs() -> Iterator[Path]:
    return cache_dir().glob("*.bao-cao")


def test_a_report_from_kept_lines_is_the_report_from_the_journal(
        workspace: Path, cli: Runner, trusting: None, recalls: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(160)
    _write_journal(workspace, [_record(rng, n) for n in range(300)])
    expected = {tuple(out): _uncached(cli, monkeypatch, *QUARTER, *out) for out in OUTPUTS}
    first = cli("report", *QUARTER, "-d", "json")  # computes and keeps
    assert first.out == expected[("-d", "json")]
    assert recalls == [] and len(list(_packs())) == 1
    for out in OUTPUTS:
        assert cli("report", *QUARTER, *out).out == expected[tuple(out)], out
    assert recalls == ["kh160"] * len(OUTPUTS)


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32), count=st.integers(0, 60),
       day=st.dates(date(2025, 1, 1), date(2025, 12, 31)),
       ky=st.sampled_from(["quy", "thang", "6thang", "nam", "quy-truoc"]),
       chot=st.sampled_from(["lich", "nd09"]))
def test_kept_lines_agree_with_the_journal_on_any_journal_and_span(
        workspace: Path, cli: Runner, trusting: None, monkeypatch: pytest.MonkeyPatch,
        seed: int, count: int, day: date, ky: str, chot: str) -> None:
    rng = random.Random(seed)
    for path in (workspace / "plans").glob("kh160.nhat-ky/*.jsonl"):
        path.unlink()
    _write_journal(workspace, [_record(rng, n) for n in range(count)])
    args = ["--ky", ky, "--chot", chot, "--ngay", day.strftime("%d/%m/%Y"), "-d", "json"]
    expected = _uncached(cli, monkeypatch, *args)
    assert cli("report", *args).out == expected  # computed (or kept by an earlier example)
    assert cli("report", *args).out == expected  # kept


def test_a_new_note_an_edit_and_another_date_are_each_seen(
        workspace: Path, cli: Runner, trusting: None, recalls: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    _write_journal(workspace, [_record(rng, n) for n in range(80)])
    args = [*QUARTER, "-d", "json"]
    cli("report", *args)
    assert cli("log", "3.2", "đã giám sát", "-u", "MTTQ", "-n", "30/9/2025", "-t",
               "hoàn thành").code == 0
    assert cli("report", *args).out == _uncached(cli, monkeypatch, *args)
    assert "đã giám sát" in cli("report", *args).out
    assert len(recalls) == 1  # after the note: computed again, then kept

    plan = workspace / "plans" / "kh160.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("Mặt trận Tổ quốc", "Mặt trận Tổ quốc Việt Nam", 1),
                    encoding="utf-8")
    assert cli("report", *args).out == _uncached(cli, monkeypatch, *args)
    assert len(recalls) == 1

    other = ["--ky", "quý III/2025", "--ngay", "20/9/2025", "-d", "json"]
    assert cli("report", *other).out == _uncached(cli, monkeypatch, *other)
    assert cli("report", *args).out == _uncached(cli, monkeypatch, *args)
    assert len(recalls) == 1  # each span replaced the other's lines


def test_a_correction_and_a_retraction_are_seen(
        workspace: Path, cli: Runner, trusting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    args = [*QUARTER, "-d", "json"]
    assert cli("log", "3.2", "giám sát lần một", "-u", "MTTQ", "-n", "5/8/2025").code == 0
    cli("report", *args)
    (entry_id,) = [json.loads(line)["id"] for path in
                   (workspace / "plans" / "kh160.nhat-ky").glob("*.jsonl")
                   for line in path.read_text(encoding="utf-8").splitlines()]
    assert cli("sua", entry_id, "-t", "hoàn thành").code == 0
    fixed = cli("report", *args).out
    assert fixed == _uncached(cli, monkeypatch, *args) and "hoan_thanh" in fixed
    assert cli("huy", entry_id).code == 0
    gone = cli("report", *args).out
    assert gone == _uncached(cli, monkeypatch, *args) and "giám sát lần một" not in gone


def test_a_damaged_journal_is_never_kept(
        workspace: Path, cli: Runner, trusting: None, recalls: list[str]) -> None:
    rng = random.Random(3)
    _write_journal(workspace, [_record(rng, n) for n in range(20)])
    with (workspace / "plans" / "kh160.nhat-ky" / "2025-08.nguoi-kiem-thu.jsonl").open(
            "a", encoding="utf-8") as handle:
        handle.write('{"id": "hong", "ma": "3.2"\n')
    for _ in range(2):  # the warning comes from a read, every time
        result = cli("report", *QUARTER, "-d", "json")
        assert result.code == 0 and "Cảnh báo" in result.err
    assert recalls == []


def test_lines_of_a_journal_written_a_moment_ago_are_not_kept(
        workspace: Path, cli: Runner, recalls: list[str]) -> None:
    # No `trusting`: the file just written lies within the racy window.
    assert cli("log", "3.2", "vừa ghi", "-u", "MTTQ", "-n", "5/8/2025").code == 0
    for _ in range(2):
        assert cli("report", *QUARTER, "-d", "json").code == 0
    assert recalls == []


def test_a_narrowed_review_and_a_document_read_the_journal(
        workspace: Path, cli: Runner, trusting: None, recalls: list[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rng = random.Random(11)
    _write_journal(workspace, [_record(rng, n) for n in range(60)])
    cli("report", *QUARTER, "-d", "json")
    narrowed = [*QUARTER, "--don-vi", "MTTQ", "-d", "json"]
    assert cli("report", *narrowed).out == _uncached(cli, monkeypatch, *narrowed)
    assert cli("report", *QUARTER, "--xuat", str(tmp_path / "bc.docx")).code == 0
    assert recalls == []


@pytest.mark.parametrize("damage", ["flip", "empty", "foreign"])
def test_a_damaged_or_foreign_pack_is_only_a_miss(
        workspace: Path, cli: Runner, trusting: None, recalls: list[str],
        monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    rng = random.Random(5)
    _write_journal(workspace, [_record(rng, n) for n in range(60)])
    args = [*QUARTER, "-d", "json"]
    expected = _uncached(cli, monkeypatch, *args)
    cli("report", *args)
    (pack,) = _packs()
    data = bytearray(pack.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "empty":
        data = bytearray()
    else:  # a sound file of another format: its CRC holds, its content is not ours
        import zlib

        import msgspec

        body = msgspec.msgpack.encode((FORMAT + 1, [], "", (0, 0), {}))
        data = bytearray(zlib.crc32(body).to_bytes(4, "big") + body)
    pack.write_bytes(bytes(data))
    os.chmod(pack, 0o600)
    assert cli("report", *args).out == expected
    assert recalls == []
    assert cli("report", *args).out == expected  # written again whole
    assert recalls == ["kh160"]


def test_no_cache_turns_it_off(workspace: Path, cli: Runner, trusting: None,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(9)
    _write_journal(workspace, [_record(rng, n) for n in range(10)])
    _uncached(cli, monkeypatch, *QUARTER, "-d", "json")
    assert list(_packs()) == []


def test_recalled_lines_hold_what_computed_lines_hold(workspace: Path, trusting: None) -> None:
    """Field by field, the notes with their time zones included (no output shows them all)."""
    from kehoach_cli.periods import Convention, resolve_span
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.review_cache import ReviewCache

    rng = random.Random(21)
    records = [_record(rng, n) for n in range(200)]
    # The latest note of its task (no other is recorded after it), in another time zone.
    records[0]["ghi_luc"] = "2025-10-05T23:59:59.123+05:30"
    records[0]["ngay"] = "2025-09-30"
    records[0]["minh_chung"] = "biên bản số 12"
    _write_journal(workspace, records)
    plans = Workspace.load([workspace / "plans"]).plans
    span = resolve_span("quý III/2025", date(2025, 10, 15), Convention.LICH, None, None)

    def build() -> review.Report:
        source, memo = review.JournalSource(), ReviewCache()
        made = review.build_report(plans, source, span, date(2025, 10, 15), None,
                                   source.problems, every_note=False, memo=memo)
        memo.flush()
        return made

    computed, recalled = build(), build()
    assert [b.tally for b in recalled.bodies] == [b.tally for b in computed.bodies]
    assert [(b.ma, b.active, b.last_note, b.ongoing, [t.ref for t, _ in b.tasks])
            for b in recalled.bodies] == [(b.ma, b.active, b.last_note, b.ongoing,
                                           [t.ref for t, _ in b.tasks])
                                          for b in computed.bodies]
    for old, new in zip(computed.tasks, recalled.tasks, strict=True):
        assert new.entries == old.entries
        assert [e.ghi_luc.utcoffset() for e in new.entries] == [
            e.ghi_luc.utcoffset() for e in old.entries]
        assert (new.count, new.reporters, new.so_lieu, new.so_lieu_don_vi, new.due_next,
                new.not_expected, new.ref) == (old.count, old.reporters, old.so_lieu,
                                               old.so_lieu_don_vi, old.due_next,
                                               old.not_expected, old.ref)
        assert new.state == old.state and new.state.by_body == old.state.by_body
    assert any(t.entries and t.entries[-1].minh_chung for t in recalled.tasks)


def test_lines_kept_by_a_table_serve_json_and_the_next_period_is_part_of_the_key(
        workspace: Path, cli: Runner, trusting: None, recalls: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(13)
    _write_journal(workspace, [_record(rng, n) for n in range(120)])
    quarter = ["--ky", "quý I/2025", "--ngay", "15/3/2025"]
    half = ["--ky", "6 tháng đầu năm 2025", "--ngay", "15/3/2025"]  # same days, other next
    assert cli("report", *quarter).code == 0  # a table: lines kept without their JSON
    assert cli("report", *quarter, "-d", "json").out == _uncached(
        cli, monkeypatch, *quarter, "-d", "json")
    assert recalls == ["kh160"]
    expected = _uncached(cli, monkeypatch, *half, "-d", "json")
    assert expected != _uncached(cli, monkeypatch, *quarter, "-d", "json")
    assert cli("report", *half, "-d", "json").out == expected
    assert recalls == ["kh160"]
    assert cli("report", *half, "-d", "json").out == expected
    assert recalls == ["kh160", "kh160"]


def test_a_review_lists_and_stamps_each_journal_once(
        workspace: Path, cli: Runner, trusting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept lines and the digest are keyed by the same stamps: a run that misses
    lists the journal folder once for both, not once each."""
    from kehoach_cli.journal import read as journal_read

    rng = random.Random(17)
    _write_journal(workspace, [_record(rng, n) for n in range(40)])
    listed: list[str] = []
    real = journal_read._record_entries

    def spy(loaded: Any) -> Any:
        listed.append(loaded.key)
        return real(loaded)

    monkeypatch.setattr(journal_read, "_record_entries", spy)
    for _ in range(3):  # a full read (writes the digest), one by the digest, one kept
        listed.clear()
        cli("report", *QUARTER, "-d", "json")
        cli("report", "--ky", "quý II/2025", "--ngay", "15/10/2025", "-d", "json")
        assert listed == ["kh160", "kh160"]
