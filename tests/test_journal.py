"""Journal storage: the line format, damaged lines, O(1) appends, corrections, locking."""

from __future__ import annotations

import builtins
import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kehoach_cli.errors import Ambiguous, Conflict, NotFound
from kehoach_cli.journal import read as journal_read
from kehoach_cli.journal import store as journal
from kehoach_cli.journal.entry import Entry, replace
from kehoach_cli.journal.format import decode, encode
from kehoach_cli.plan.loader import LoadedPlan, load_plan
from kehoach_cli.status import Status

TZ = timezone(timedelta(hours=7))
WHEN = datetime(2025, 11, 20, 9, 30, tzinfo=TZ)


def make(entry_id: str, ma: str = "3.2", day: int = 1, **changes: Any) -> Entry:
    base = Entry(id=entry_id, ke_hoach="kh160", ma=ma, ngay=date(2025, 11, day), don_vi="MTTQ",
                 nguoi_ghi="Nguyễn Văn A", ghi_luc=WHEN, noi_dung=f"Đã giám sát ({entry_id})")
    return replace(base, **changes)


@pytest.fixture
def plan(workspace: Path) -> LoadedPlan:
    return load_plan(workspace / "plans" / "kh160.yaml")


def sidecar(plan: LoadedPlan) -> Path:
    return journal.sidecar_file(plan.path, "Nguyễn Văn A", WHEN)


# --- the line format ---------------------------------------------------------------------


def test_line_is_readable_utf8_json_with_vietnamese_as_text() -> None:
    entry = make("abcd123456", trang_thai=Status.HOAN_THANH, minh_chung="15-BC/MTTQ",
                 so_lieu={"số cuộc giám sát": 3, "tỷ lệ": 92.5})
    line = encode(entry)
    assert "\n" not in line
    assert "Đã giám sát" in line and "số cuộc giám sát" in line and "\\u" not in line
    assert json.loads(line)["ngay"] == "2025-11-01"
    assert decode(json.loads(line), "kh160") == entry


def test_line_breaks_inside_text_stay_on_one_line() -> None:
    entry = make("abcd123456", noi_dung="dòng một\ndòng hai\u2028ba\u2029bốn\x85năm")
    line = encode(entry)
    assert line.splitlines() == [line]
    assert decode(json.loads(line), "kh160") == entry


def test_fast_decode_builds_the_same_entry_as_the_constructor() -> None:
    entry = make("abcd123456", so_lieu={"a": 1}, sua_cho="zzzz000000")
    record = json.loads(encode(entry))
    record["truong_moi"] = "từ phiên bản sau"  # unknown keys are ignored, not fatal
    decoded = decode(record, "kh160")
    assert decoded == entry
    assert repr(decoded) == repr(entry)
    assert not hasattr(decoded, "truong_moi")


@pytest.mark.parametrize(("record", "message"), [
    ([1, 2], "không phải một bản ghi"),
    ({"ma": "3.2"}, "thiếu trường"),
    ({"id": "a", "ma": "3.2", "ngay": "2025-02-31", "don_vi": "MTTQ", "noi_dung": "x",
      "nguoi_ghi": "A", "ghi_luc": "2025-11-20T09:00:00+07:00"}, "ngay"),
    ({"id": "a", "ma": "3.2", "ngay": "2025-02-01", "don_vi": "MTTQ", "noi_dung": "x",
      "nguoi_ghi": "A", "ghi_luc": "2025-11-20T09:00:00"}, "múi giờ"),
    ({"id": "a", "ma": 3.2, "ngay": "2025-02-01", "don_vi": "MTTQ", "noi_dung": "x",
      "nguoi_ghi": "A", "ghi_luc": "2025-11-20T09:00:00+07:00"}, "“ma” phải là văn bản"),
    ({"id": "a", "ma": "3.2", "ngay": "2025-02-01", "don_vi": "MTTQ", "noi_dung": "x",
      "nguoi_ghi": "A", "ghi_luc": "2025-11-20T09:00:00+07:00", "trang_thai": "xong"},
     "trạng thái"),
    ({"id": "a", "ma": "3.2", "ngay": "2025-02-01", "don_vi": "MTTQ", "noi_dung": "x",
      "nguoi_ghi": "A", "ghi_luc": "2025-11-20T09:00:00+07:00", "so_lieu": {"n": "3"}},
     "phải là một số"),
    ({"id": "a", "ma": "3.2", "ngay": "2025-02-01", "don_vi": "MTTQ", "noi_dung": "x",
      "nguoi_ghi": "A", "ghi_luc": "2025-11-20T09:00:00+07:00", "huy": True}, "sua_cho"),
])
def test_decode_names_what_is_wrong(record: Any, message: str) -> None:
    from kehoach_cli.journal.format import RecordError

    with pytest.raises(RecordError, match=message):
        decode(record, "kh160")


# --- layout --------------------------------------------------------------------------------


def test_sidecar_sits_next_to_the_plan_and_is_not_a_plan(plan: LoadedPlan, workspace: Path) -> None:
    path = journal.append_entry(plan, make("abcd123456"))
    assert path == workspace / "plans" / "kh160.nhat-ky" / "2025-11.nguyen-van-a.jsonl"
    from kehoach_cli.plan.workspace import plan_files

    assert plan_files(None, workspace) == [workspace / "plans" / "kh160.yaml"]
    folder = path.parent
    assert "merge=union" in (folder / ".gitattributes").read_text(encoding="utf-8")
    assert ".lock" in (folder / ".gitignore").read_text(encoding="utf-8").split()


def test_writer_slug_is_ascii() -> None:
    assert journal.writer_slug("Nguyễn Văn Đức") == "nguyen-van-duc"
    assert journal.writer_slug("  ") == "khong-ro"
    assert journal.writer_slug("a/b\\c:d") == "a-b-c-d"


def test_existing_gitattributes_is_left_alone(plan: LoadedPlan) -> None:
    folder = journal.sidecar_dir(plan.path)
    folder.mkdir()
    (folder / ".gitattributes").write_text("# của tôi\n", encoding="utf-8")
    journal.append_entry(plan, make("abcd123456"))
    assert (folder / ".gitattributes").read_text(encoding="utf-8") == "# của tôi\n"


def test_logging_never_touches_the_plan(plan: LoadedPlan) -> None:
    before = plan.path.read_bytes()
    journal.append_entry(plan, make("abcd123456"))
    assert plan.path.read_bytes() == before


def test_ids_are_random_and_distinct() -> None:
    ids = {journal.new_id() for _ in range(5000)}
    assert len(ids) == 5000
    # An id of digits only is valid (and is not `islower()`): check the alphabet instead.
    assert all(len(i) == journal.ID_LENGTH and re.fullmatch(r"[0-9a-z]+", i) for i in ids)


# --- reading and damage --------------------------------------------------------------------


def test_entries_are_sorted_by_day_then_time_recorded(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("c000000000", day=5))
    journal.append_entry(plan, make("b000000000", day=3, ghi_luc=WHEN + timedelta(seconds=5)))
    journal.append_entry(plan, make("a000000000", day=3))
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000", "b000000000", "c000000000"]
    assert all(e.ke_hoach == "kh160" for e in read.entries)
    assert read.problems == []


def test_torn_last_line_is_reported_skipped_and_the_next_append_starts_a_new_line(
    plan: LoadedPlan,
) -> None:
    path = journal.append_entry(plan, make("a000000000"))
    journal.append_entry(plan, make("b000000000"))
    torn = encode(make("c000000000"))[:37]
    with path.open("ab") as handle:
        handle.write(torn.encode("utf-8"))  # a crash in the middle of a write
    before = path.read_bytes()

    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000", "b000000000"]
    assert [(p.file, p.line) for p in read.problems] == [(path, 3)]
    assert "cắt dở" in read.problems[0].message
    assert path.read_bytes() == before  # reading repairs nothing

    journal.append_entry(plan, make("d000000000"))
    lines = path.read_bytes().split(b"\n")
    assert lines[2] == torn.encode("utf-8")  # the damage is kept as it was, on its own line
    assert json.loads(lines[3])["id"] == "d000000000"
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000", "b000000000", "d000000000"]
    assert [(p.file, p.line) for p in read.problems] == [(path, 3)]


def test_damaged_lines_anywhere_are_reported_and_the_rest_reads(plan: LoadedPlan) -> None:
    path = sidecar(plan)
    path.parent.mkdir()
    good = [encode(make(f"{i}000000000")) for i in range(4)]
    wrong_type = encode(make("x000000000")).replace('"MTTQ"', "7")
    lines = [good[0], "<<<<<<< HEAD", good[1], "", wrong_type, good[2]]
    data = "\n".join(lines).encode("utf-8") + b"\n" + b'{"id": "\xff\xfe"}\n' + good[3].encode()
    path.write_bytes(data + b"\n")
    read = journal_read.read_journal(plan)
    assert sorted(e.id for e in read.entries) == [f"{i}000000000" for i in range(4)]
    assert [p.line for p in read.problems] == [2, 5, 7]
    assert "JSON" in read.problems[0].message
    assert "don_vi" in read.problems[1].message
    assert "UTF-8" in read.problems[2].message
    assert str(read.problems[0]).startswith(f"{path}:2:")


def test_notepad_bom_and_crlf_are_read(plan: LoadedPlan) -> None:
    path = sidecar(plan)
    path.parent.mkdir()
    lines = [encode(make("a000000000")), encode(make("b000000000"))]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000", "b000000000"]
    assert read.problems == []


def test_all_files_of_the_folder_are_read(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("a000000000"))
    journal.append_entry(plan, make("b000000000", nguoi_ghi="Trần Thị B"))
    journal.append_entry(plan, make("c000000000", ghi_luc=WHEN - timedelta(days=40)))
    names = [p.name for p in journal_read.journal_files(plan)]
    assert names == ["2025-10.nguyen-van-a.jsonl", "2025-11.nguyen-van-a.jsonl",
                     "2025-11.tran-thi-b.jsonl"]
    assert len(journal_read.read_journal(plan).entries) == 3


def test_missing_journal_reads_empty(plan: LoadedPlan) -> None:
    read = journal_read.read_journal(plan)
    assert read.entries == [] and read.all_records == [] and read.problems == []


def test_task_read_matches_a_full_read_filtered(plan: LoadedPlan) -> None:
    for i, ma in enumerate(["3.2", "1.1", "3.2", "3.3", "3.2"]):
        journal.append_entry(plan, make(f"{i}000000000", ma=ma, noi_dung=f"nhắc 3.2 ở {ma}"))
    journal.append_entry(plan, make("f000000000", ma="3.2", sua_cho="0000000000",
                                    noi_dung="đã sửa"))
    full = [e for e in journal_read.read_journal(plan).entries if e.ma == "3.2"]
    assert journal_read.read_journal(plan, "3.2").entries == full
    assert full[0].noi_dung == "đã sửa"


# --- corrections -----------------------------------------------------------------------------


def test_amendments_apply_in_order_and_keep_the_original_id(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("a000000000", day=2))
    later = WHEN + timedelta(minutes=1)
    journal.append_entry(plan, make("b000000000", sua_cho="a000000000", noi_dung="sửa lần 1",
                                    ghi_luc=later, nguoi_ghi="Trần Thị B"))
    journal.append_entry(plan, make("c000000000", sua_cho="b000000000", noi_dung="sửa lần 2",
                                    day=4, ghi_luc=later + timedelta(minutes=1)))
    read = journal_read.read_journal(plan)
    assert len(read.all_records) == 3  # nothing is removed
    [entry] = read.entries
    assert (entry.id, entry.noi_dung, entry.ngay.day) == ("a000000000", "sửa lần 2", 4)
    assert (entry.ghi_luc, entry.nguoi_ghi, entry.sua_cho) == (WHEN, "Nguyễn Văn A", None)
    assert [f.id for f in read.corrections["a000000000"]] == ["b000000000", "c000000000"]


def test_retraction_removes_from_entries_but_keeps_the_records(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("a000000000"))
    journal.append_entry(plan, make("b000000000"))
    journal.append_entry(plan, make("c000000000", sua_cho="a000000000", huy=True,
                                    ghi_luc=WHEN + timedelta(minutes=1)))
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["b000000000"]
    assert read.retracted["a000000000"].id == "c000000000"
    assert len(read.all_records) == 3


def test_correction_of_a_missing_entry_is_a_problem(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("a000000000"))
    journal.append_entry(plan, make("b000000000", sua_cho="zzzz000000"))
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000"]
    assert len(read.problems) == 1 and "zzzz000000" in read.problems[0].message
    assert read.problems[0].line == 2


def test_duplicate_lines_count_once_and_conflicting_ids_are_reported(plan: LoadedPlan) -> None:
    path = journal.append_entry(plan, make("a000000000"))
    with path.open("ab") as handle:
        handle.write((encode(make("a000000000")) + "\n").encode())
        handle.write((encode(make("a000000000", noi_dung="khác")) + "\n").encode())
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000"]
    assert [p.line for p in read.problems] == [3]


def test_find_entry_by_unique_prefix(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("abcd000000"))
    journal.append_entry(plan, make("abce000000"))
    journal.append_entry(plan, make("k000000000", sua_cho="abcd000000"))
    assert journal_read.find_entry([plan], "ABCD").entry.id == "abcd000000"
    assert journal_read.find_entry([plan], "k000").entry.id == "abcd000000"  # a fix names its root
    with pytest.raises(NotFound, match="quá ngắn"):
        journal_read.find_entry([plan], "abc")
    with pytest.raises(NotFound, match="không có ghi nhận"):
        journal_read.find_entry([plan], "zzzz")


def test_find_entry_ambiguous_prefix(plan: LoadedPlan) -> None:
    journal.append_entry(plan, make("abcd000000"))
    journal.append_entry(plan, make("abcd100000"))
    with pytest.raises(Ambiguous, match="abcd000000"):
        journal_read.find_entry([plan], "abcd")


# --- appends ---------------------------------------------------------------------------------


def test_append_to_a_100000_entry_sidecar_reads_at_most_one_byte(
    plan: LoadedPlan, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = sidecar(plan)
    path.parent.mkdir()
    template = encode(make("0000000000"))
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for i in range(100_000):
            handle.write(template.replace("0000000000", f"{i:010d}", 1) + "\n")
    size = path.stat().st_size

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("append must not read the journal")

    bytes_read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        bytes_read.append(len(data))
        return data

    monkeypatch.setattr(journal_read, "read_journal", refuse)
    monkeypatch.setattr(journal_read, "_read_file", refuse)
    monkeypatch.setattr(journal_read, "journal_files", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(os, "read", counting_read)
    journal.append_entry(plan, make("new0000000"))
    monkeypatch.undo()

    assert sum(bytes_read) <= 1
    new_line = (encode(make("new0000000")) + "\n").encode("utf-8")
    assert path.stat().st_size == size + len(new_line)
    with path.open("rb") as tail:
        tail.seek(size)
        assert tail.read() == new_line
    read = journal_read.read_journal(plan)
    assert len(read.entries) == 100_001 and read.problems == []


@pytest.mark.parametrize("fault", ["half then ENOSPC", "no progress"])
def test_a_write_that_fails_halfway_is_undone(
    plan: LoadedPlan, monkeypatch: pytest.MonkeyPatch, fault: str,
) -> None:
    path = journal.append_entry(plan, make("a000000000"))
    before = path.read_bytes()
    real_write = os.write

    def failing(fd: int, data: Any) -> int:
        if fault == "no progress":
            return 0
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", failing)
    from kehoach_cli.errors import KehoachError

    with pytest.raises(KehoachError, match=r"không ghi được nhật ký \(ổ đĩa đã đầy\)"):
        journal.append_entry(plan, make("b000000000"))
    monkeypatch.undo()
    assert path.read_bytes() == before  # cut back: no half record for every later read
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000"]
    assert read.problems == []
    journal.append_entry(plan, make("c000000000"))
    read = journal_read.read_journal(plan)
    assert [e.id for e in read.entries] == ["a000000000", "c000000000"]
    assert read.problems == []
    assert sorted(p.name for p in path.parent.iterdir()) == [
        ".gitattributes", ".gitignore", ".lock", path.name]


def test_a_held_lock_times_out_with_a_message(
    plan: LoadedPlan, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from filelock import FileLock

    journal.append_entry(plan, make("a000000000"))
    monkeypatch.setattr(journal, "LOCK_TIMEOUT", 0.2)
    folder = journal.sidecar_dir(plan.path)
    with FileLock(str(folder / journal.LOCK_NAME)), pytest.raises(Conflict, match="khóa"):
        journal.append_entry(plan, make("b000000000"))
    assert [e.id for e in journal_read.read_journal(plan).entries] == ["a000000000"]


def test_task_read_still_reports_damage_on_other_lines(plan: LoadedPlan) -> None:
    path = journal.append_entry(plan, make("a000000000", ma="1.1"))
    journal.append_entry(plan, make("b000000000", ma="3.2"))
    with path.open("ab") as handle:
        handle.write(b"<<<<<<< HEAD\n" + encode(make("c000000000", ma="1.1"))[:30].encode())
    read = journal_read.read_journal(plan, "3.2")
    assert [e.id for e in read.entries] == ["b000000000"]
    assert [p.line for p in read.problems] == [3, 4]


def test_a_damaged_file_among_good_ones_is_read_line_by_line(plan: LoadedPlan) -> None:
    # The files of a plan are decoded in one call when all are good; one bad line sends
    # them one by one, so the damage is located and every good record still reads.
    journal.append_entry(plan, make("a000000000"))
    other = sidecar(plan).with_name("2025-10.tran-thi-b.jsonl")
    other.write_bytes((encode(make("b000000000")) + "\n{torn\n").encode("utf-8"))
    empty = sidecar(plan).with_name("2025-09.le-van-c.jsonl")
    empty.write_bytes(b"")
    read = journal_read.read_journal(plan)
    assert sorted(e.id for e in read.entries) == ["a000000000", "b000000000"]
    assert [(p.file.name, p.line) for p in read.problems] == [(other.name, 2)]
    other.write_bytes((encode(make("b000000000")) + "\n").encode("utf-8"))
    read = journal_read.read_journal(plan)
    assert sorted(e.id for e in read.entries) == ["a000000000", "b000000000"]
    assert read.problems == [] and read.location("b000000000") == (other, 1)
