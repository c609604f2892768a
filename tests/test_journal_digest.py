"""The journal digest `list` reads instead of the journal: never stale, never code, never
written for a damaged journal or one changed a moment ago."""

from __future__ import annotations

import json
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

import pytest

from kehoach_cli.journal import digest
from kehoach_cli.journal import read as journal_read
from kehoach_cli.plan.cache import cache_dir
from kehoach_cli.query import review_cache
from tests.conftest import Runner


def _digests() -> list[Path]:
    folder = cache_dir()
    return sorted(folder.glob(f"*{digest.PACK_SUFFIX}")) if folder.is_dir() else []


def _listed(cli: Runner, *args: str) -> dict[str, str]:
    result = cli("list", *args, "--dinh-dang", "json")
    assert result.code == 0, result.err
    return {item["ma"]: item["trang_thai"] for item in json.loads(result.out)}


def _journal_file(workspace: Path) -> Path:
    [found] = (workspace / "plans" / "kh160.nhat-ky").glob("*.jsonl")
    return found


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled (no racy window)."""
    monkeypatch.setattr(digest, "RACY_NS", 0)


@pytest.fixture
def no_full_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every full journal read, so a test can tell the digest was used."""
    reads: list[str] = []
    real = journal_read._read_paths  # what every read of record files goes through

    def spy(loaded: Any, paths: list[str], task_id: str | None = None) -> Any:
        reads.append(loaded.key)
        return real(loaded, paths, task_id)

    monkeypatch.setattr(journal_read, "_read_paths", spy)
    return reads


def test_list_reads_the_digest_once_written(workspace: Path, cli: Runner, trusting: None,
                                            no_full_read: list[str]) -> None:
    assert cli("log", "3.2", "đã giám sát", "-u", "MTTQ", "-t", "hoàn thành",
               "--ca-nhiem-vu").code == 0
    assert cli("log", "1.1", "đang làm", "-u", "MTTQ").code == 0
    no_full_read.clear()  # `log` reads the journal too (to refuse a repeated note)
    full = _listed(cli, "--don-vi", "MTTQ")
    assert no_full_read == ["kh160"] and len(_digests()) == 1
    assert _listed(cli, "--don-vi", "MTTQ") == full
    assert no_full_read == ["kh160"]  # the second list read no journal
    assert full["3.2"] == "hoan_thanh" and full["1.1"] == "dang_thuc_hien"
    assert full["2.1"] == "chua_thuc_hien"


def test_the_digest_gives_what_a_full_read_gives(workspace: Path, cli: Runner, trusting: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A group's note, a whole-task note, a later "not done" after "done", notes for
    # several bodies: every rule of the state reads the four fields the digest keeps.
    for args in (["3.2", "MTTQ xong", "-u", "MTTQ", "-t", "hoàn thành", "-n", "1/3/2025"],
                 ["3.2", "MTTQ làm lại", "-u", "MTTQ", "-t", "chưa thực hiện", "-n", "2/3/2025"],
                 ["1.1", "nhóm làm", "-u", "CT-XH", "-n", "3/3/2025"],
                 ["2.1", "văn phòng đóng", "-u", "KDV", "-t", "hoàn thành", "--ca-nhiem-vu"],
                 ["3.3", "UBND xong", "-u", "UBND", "-t", "hoàn thành"]):
        assert cli("log", *args).code == 0
    for body in ("MTTQ", "ĐTN", "UBND", "KDV"):
        monkeypatch.setenv("KEHOACH_NO_CACHE", "1")
        full = _listed(cli, "--don-vi", body)
        monkeypatch.delenv("KEHOACH_NO_CACHE")
        _listed(cli, "--don-vi", body)  # writes the digest
        assert _digests()
        assert _listed(cli, "--don-vi", body) == full, body


def test_digest_records_are_the_state_notes_of_a_full_read(workspace: Path, cli: Runner,
                                                          trusting: None) -> None:
    """`save` encodes each note's four fields as a tuple, not through a StateNote: the bytes
    must be what encoding the StateNotes gives, and decode to them."""
    import msgspec

    from kehoach_cli.plan.loader import load_plan

    for args in (["3.2", "MTTQ xong", "-u", "MTTQ", "-t", "hoàn thành", "-n", "1/3/2025"],
                 ["3.2", "nhóm làm", "-u", "CT-XH", "-n", "3/3/2025"],
                 ["2.1", "văn phòng đóng", "-u", "KDV", "-t", "hoàn thành", "--ca-nhiem-vu"]):
        assert cli("log", *args).code == 0
    loaded = load_plan(workspace / "plans" / "kh160.yaml")
    files = journal_read._record_entries(loaded)
    journal = journal_read.read_journal(loaded)
    digest.save(loaded, digest.stamps_of(files), journal)
    held, _ = digest.load(loaded, journal_read._record_entries(loaded))
    assert held is not None
    encode = msgspec.msgpack.Encoder().encode
    expected = {task_id: [digest.StateNote(e.ngay, e.don_vi, e.trang_thai, e.ca_nhiem_vu)
                          for e in notes] for task_id, notes in journal.by_task().items()}
    assert {k: bytes(v) for k, v in held.tasks.items()} == {
        k: encode(v) for k, v in expected.items()}
    assert dict(held.notes()) == expected


def test_an_appended_note_is_seen(workspace: Path, cli: Runner, trusting: None) -> None:
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "dang_thuc_hien"
    assert cli("log", "3.2", "xong", "-u", "MTTQ", "-t", "hoàn thành", "--ca-nhiem-vu").code == 0
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "hoan_thanh"


def test_an_edit_in_place_keeping_size_and_time_is_seen(workspace: Path, cli: Runner,
                                                        trusting: None) -> None:
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ", "-t", "đang thực hiện").code == 0
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "dang_thuc_hien"
    path = _journal_file(workspace)
    before = path.stat()
    data = path.read_bytes()
    edited = data.replace(b'"dang_thuc_hien"', b'"chua_thuc_hien"')
    assert len(edited) == len(data) and edited != data
    with open(path, "r+b") as handle:  # rewritten in place, as Notepad saves
        handle.write(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old time put back
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "chua_thuc_hien"


def test_a_deleted_or_added_file_is_seen(workspace: Path, cli: Runner, trusting: None) -> None:
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "dang_thuc_hien"
    path = _journal_file(workspace)
    moved = path.read_bytes()
    path.unlink()
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "chua_thuc_hien"
    (path.parent / "2020-01.nguoi-khac.jsonl").write_bytes(moved)  # a file a pull brought
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "dang_thuc_hien"


def test_a_journal_changed_a_moment_ago_is_not_digested(workspace: Path, cli: Runner) -> None:
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "dang_thuc_hien"
    assert _digests() == []  # within the racy window: the next list reads in full again


def test_a_damaged_journal_is_never_digested(workspace: Path, cli: Runner,
                                             trusting: None) -> None:
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    with open(_journal_file(workspace), "ab") as handle:
        handle.write(b'{"id": "hong\n')
    for _ in range(2):
        result = cli("list", "--don-vi", "MTTQ")
        assert result.code == 0
        assert "dòng hỏng" in result.err or "cắt dở" in result.err  # said every time
    assert _digests() == []


def test_no_cache_writes_no_digest(workspace: Path, cli: Runner, trusting: None,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_NO_CACHE", "1")
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    _listed(cli, "--don-vi", "MTTQ")
    assert _digests() == []


class _Payload:
    """Unpickling this creates a file: the proof that a digest file ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def test_a_planted_digest_runs_no_code_and_is_a_miss(workspace: Path, cli: Runner,
                                                     trusting: None) -> None:
    assert cli("log", "3.2", "xong", "-u", "MTTQ", "-t", "hoàn thành", "--ca-nhiem-vu").code == 0
    _listed(cli, "--don-vi", "MTTQ")
    [target] = _digests()
    marker = workspace / "da-chay-ma"
    planted = pickle.dumps(_Payload(marker))
    target.write_bytes(zlib.crc32(planted).to_bytes(4, "big") + planted)  # a sound checksum
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "hoan_thanh"
    assert not marker.exists()


def test_a_digest_for_other_stamps_is_not_believed(workspace: Path, cli: Runner,
                                                   trusting: None) -> None:
    # A well-formed digest saying 3.2 is done, for stamps the files do not have (another
    # machine's copy of the cache, an old one): ignored.
    assert cli("log", "3.2", "đang làm", "-u", "MTTQ").code == 0
    _listed(cli, "--don-vi", "MTTQ")
    [target] = _digests()
    import msgspec

    from kehoach_cli import cachepack
    from kehoach_cli.plan.loader import load_plan

    _, owner, name = digest._locate(load_plan(workspace / "plans" / "kh160.yaml"))
    pack = cachepack.Pack.open(target, digest.FORMAT, owner)
    assert pack is not None
    with pack:
        blob = pack.get(name)
    assert blob is not None
    held = msgspec.msgpack.decode(blob)
    # The digest's own note on 3.2, turned into "completed" for the whole task.
    held[4]["3.2"] = [[day, body, "hoan_thanh", True] for day, body, *_ in held[4]["3.2"]]
    # Under the files' own stamps it is believed (so the pack written here is read)...
    assert cachepack.write(target, digest.FORMAT, owner, {name: msgspec.msgpack.encode(held)})
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "hoan_thanh"
    # ... under stamps the files do not have, it is not.
    held[2] = [[file, size + 1, *rest] for file, size, *rest in held[2]]
    assert cachepack.write(target, digest.FORMAT, owner, {name: msgspec.msgpack.encode(held)})
    assert _listed(cli, "--don-vi", "MTTQ")["3.2"] == "dang_thuc_hien"


# --------------------------------------------------------------------------- review spans

def _entry_ids(workspace: Path) -> dict[str, str]:
    """Each note's text -> its id, from the journal lines."""
    out: dict[str, str] = {}
    for path in (workspace / "plans" / "kh160.nhat-ky").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            out.setdefault(record["noi_dung"], record["id"])
    return out


def _spread(workspace: Path) -> None:
    """Move each record into the file of the month of its day, as a journal kept over a
    year has them (by recording month; notes are recorded on or after their day)."""
    folder = workspace / "plans" / "kh160.nhat-ky"
    lines: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            month = json.loads(line)["ngay"][:7]
            lines.setdefault(month, []).append(line)
        path.unlink()
    for month, held in lines.items():
        (folder / f"{month}.nguoi-kiem-thu.jsonl").write_text("\n".join(held) + "\n",
                                                               encoding="utf-8")


def test_a_review_span_reads_what_a_full_read_gives(workspace: Path, cli: Runner,
                                                    trusting: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from kehoach_cli.plan.loader import load_plan

    for args in (["3.2", "quý một", "-u", "MTTQ", "-n", "15/1/2025", "-t", "hoàn thành"],
                 ["3.2", "quý hai", "-u", "MTTQ", "-n", "10/4/2025", "-t", "chưa thực hiện"],
                 ["1.1", "sẽ dời sang quý ba", "-u", "MTTQ", "-n", "20/5/2025"],
                 ["1.1", "sẽ hủy", "-u", "UBND", "-n", "3/2/2025"],
                 ["3.2", "quý ba", "-u", "UBND", "-n", "5/8/2025", "-s", "số cuộc=2"],
                 ["2.1", "sau kỳ", "-u", "KDV", "-n", "2/11/2025"]):
        assert cli("log", *args).code == 0, args
    ids = _entry_ids(workspace)
    assert cli("sua", ids["sẽ dời sang quý ba"], "-n", "12/8/2025").code == 0
    assert cli("huy", ids["sẽ hủy"]).code == 0
    _spread(workspace)
    loaded = load_plan(workspace / "plans" / "kh160.yaml")
    tu, end = date(2025, 7, 1), date(2025, 9, 30)
    full = journal_read.read_journal(loaded).by_task()
    expected = {
        task: [e if e.ngay >= tu else digest.StateNote(e.ngay, e.don_vi, e.trang_thai,
                                                       e.ca_nhiem_vu)
               for e in notes if e.ngay <= end]
        for task, notes in full.items()
    }
    expected = {task: notes for task, notes in expected.items() if notes}
    first, damage = journal_read.read_span(loaded, tu, end)  # no digest yet: a full read
    assert first == {task: [e for e in notes if e.ngay <= end] for task, notes in full.items()
                     if notes[0].ngay <= end} and damage == []
    assert _digests()  # ... which wrote it
    chosen: list[list[str]] = []
    real = journal_read._read_paths

    def spy(plan: Any, paths: list[str], task_id: str | None = None) -> Any:
        chosen.append([os.path.basename(p) for p in paths])
        return real(plan, paths, task_id)

    monkeypatch.setattr(journal_read, "_read_paths", spy)
    span, damage = journal_read.read_span(loaded, tu, end)
    assert span == expected and damage == []
    assert [type(n).__name__ for n in span["3.2"]] == ["StateNote", "StateNote", "Entry"]
    assert [n.noi_dung for n in span["1.1"] if not isinstance(n, digest.StateNote)] == [
        "sẽ dời sang quý ba"]  # its correction moved it into the span
    # Read whole: the span's files and those taking part in a correction; not January's
    # note, nor April's (nothing of theirs is corrected).
    [names] = chosen
    assert "2025-01.nguoi-kiem-thu.jsonl" not in names
    assert "2025-04.nguoi-kiem-thu.jsonl" not in names
    assert "2025-08.nguoi-kiem-thu.jsonl" in names and "2025-05.nguoi-kiem-thu.jsonl" in names


def test_a_review_span_falls_back_when_files_and_digest_disagree(
        workspace: Path, cli: Runner, trusting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from kehoach_cli.plan.loader import load_plan

    assert cli("log", "3.2", "quý ba", "-u", "MTTQ", "-n", "5/8/2025").code == 0
    loaded = load_plan(workspace / "plans" / "kh160.yaml")
    tu, end = date(2025, 7, 1), date(2025, 9, 30)
    journal_read.read_span(loaded, tu, end)  # writes the digest
    held, _ = digest.load(loaded, journal_read._record_entries(loaded))
    assert held is not None
    assert journal_read._span_from_digest(loaded, held, journal_read._record_entries(loaded),
                                          tu, end) is not None
    # The digest believed (its stamps kept) while the file lost its note: the counts differ,
    # and the span comes from a full read.
    monkeypatch.setattr(journal_read, "_read_paths",
                        lambda plan, paths, task_id=None: journal_read.JournalRead())
    monkeypatch.setattr(journal_read, "_plain_records", lambda plan, paths: [])
    assert journal_read._span_from_digest(loaded, held, journal_read._record_entries(loaded),
                                          tu, end) is None
    monkeypatch.undo()
    monkeypatch.setattr(digest, "RACY_NS", 0)
    monkeypatch.setattr(journal_read, "_span_from_digest", lambda *args: None)
    span, _ = journal_read.read_span(loaded, tu, end)
    assert [e.noi_dung for e in span["3.2"] if not isinstance(e, digest.StateNote)] == ["quý ba"]


def test_a_report_from_the_digest_is_the_report_from_the_journal(
        workspace: Path, cli: Runner, trusting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for args in (["3.2", "quý hai", "-u", "MTTQ", "-n", "10/4/2025", "-t", "hoàn thành",
                  "-s", "số cuộc=1"],
                 ["3.2", "quý ba", "-u", "UBND", "-n", "5/8/2025", "-s", "số cuộc=2"],
                 ["1.1", "dời vào quý ba", "-u", "MTTQ", "-n", "20/5/2025"],
                 ["2.1", "sẽ hủy", "-u", "KDV", "-n", "3/8/2025", "-t", "hoàn thành"],
                 ["5.1", "đoàn làm", "-u", "ĐTN", "-n", "1/9/2025", "-t", "đang thực hiện"]):
        assert cli("log", *args).code == 0, args
    ids = _entry_ids(workspace)
    assert cli("sua", ids["dời vào quý ba"], "-n", "12/8/2025").code == 0
    assert cli("huy", ids["sẽ hủy"]).code == 0
    _spread(workspace)
    used: list[bool] = []
    real = journal_read._span_from_digest

    def spy(*args: Any) -> Any:
        found = real(*args)
        used.append(found is not None)
        return found

    monkeypatch.setattr(journal_read, "_span_from_digest", spy)
    # The review's own cache would serve the second run without reading the span at all.
    monkeypatch.setattr(review_cache.ReviewCache, "recall", lambda *args: None)
    for args in (["--ky", "quý III/2025", "--ngay", "15/10/2025"],
                 ["--ky", "quý III/2025", "--ngay", "15/10/2025", "--don-vi", "MTTQ"],
                 ["--tu", "1/1/2025", "--den", "31/12/2025", "--ngay", "31/12/2025"]):
        monkeypatch.setenv("KEHOACH_NO_CACHE", "1")
        journal = cli("report", *args, "-d", "json")
        monkeypatch.delenv("KEHOACH_NO_CACHE")
        assert journal.code == 0, journal.err
        for _ in range(2):  # the first writes the digest, the second reads by it
            assert cli("report", *args, "-d", "json").out == journal.out
        assert used and used[-1], args


def test_a_plan_without_a_journal_gets_no_digest(workspace: Path, cli: Runner,
                                                 trusting: None) -> None:
    before = _listed(cli)
    assert _digests() == []  # nothing to digest: no cache file for it
    assert _listed(cli) == before


@pytest.mark.parametrize("trouble", ["duplicate", "damaged", "torn", "bom", "fine"])
def test_a_review_span_from_plain_files_is_the_full_read(workspace: Path, cli: Runner,
                                                        trusting: None, trouble: str) -> None:
    """The span's files read without the full rules (`_plain_records`) give what the full
    rules give, and anything those rules must judge (a repeated id, a damaged or torn line)
    goes to them."""
    from datetime import date

    from kehoach_cli.plan.loader import load_plan

    for args in (["3.2", "quý ba", "-u", "MTTQ", "-n", "5/8/2025", "-s", "số cuộc=2"],
                 ["3.2", "quý ba nữa", "-u", "UBND", "-n", "5/8/2025", "-t", "hoàn thành"],
                 ["1.1", "tháng chín", "-u", "MTTQ", "-n", "2/9/2025"]):
        assert cli("log", *args).code == 0, args
    loaded = load_plan(workspace / "plans" / "kh160.yaml")
    path = _journal_file(workspace)
    data = path.read_bytes()
    first_line = data.splitlines(keepends=True)[0]
    changed = {"duplicate": data + first_line, "damaged": data + b"{not json\n",
               "torn": data + first_line[:-10], "bom": b"\xef\xbb\xbf" + data,
               "fine": data}[trouble]
    path.write_bytes(changed)
    paths = [entry.path for entry in journal_read._record_entries(loaded)]
    plain = journal_read._plain_records(loaded, paths)
    if trouble in ("bom", "fine"):
        assert plain == journal_read._read_paths(loaded, paths).entries
        assert plain is not None and len(plain) == 3
    else:
        assert plain is None
    tu, end = date(2025, 7, 1), date(2025, 9, 30)
    journal_read.read_span(loaded, tu, end)  # the digest, when the journal reads cleanly
    span, damage = journal_read.read_span(loaded, tu, end)
    full = journal_read.read_journal(loaded)
    assert [str(d) for d in damage] == [str(d) for d in full.problems]
    assert {task: [n.ngay for n in notes] for task, notes in span.items()} == {
        task: [n.ngay for n in notes] for task, notes in full.by_task().items()}
