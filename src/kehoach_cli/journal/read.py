"""Reading a plan's journal: every record file, corrections applied, damage reported.

Reading never stops at damage: a line that is not a record is reported as a `Problem` with
its file and line number, and every other line still reads. Corrections and retractions are
records too (`sua_cho`, `huy`); `read_journal` applies them and keeps the raw records.
There is no cache of decoded journals: msgspec reads a file's lines straight into entries
faster than a cache file could be checked and decoded (`journal/format.py`). The file
layout and the appending side are `journal/store.py`'s.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach_cli.errors import Ambiguous, ExitCode, KehoachError, NotFound, os_reason
from kehoach_cli.journal.entry import replace
from kehoach_cli.journal.format import LINE_START, RecordError, decode, decode_lines, key_prefix
from kehoach_cli.journal.store import MIN_ID_PREFIX, RECORD_SUFFIX, link_problems, sidecar_dir
from kehoach_cli.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from datetime import date

    from kehoach_cli.journal.digest import Held, Stamp, StateNote
    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.loader import LoadedPlan



@dataclass
class JournalRead:
    """A plan's journal as read: effective entries, raw records, and the damage found.

    - `entries`: what the journal says now: originals with their latest amendment applied
      (keeping the original's id, writer and recording time), retracted ones left out,
      sorted by `ngay` then `ghi_luc`;
    - `all_records`: every record once, corrections and retractions included, in file order;
    - `corrections`: for an original's id, the records that amend or retract it, in order;
    - `retracted`: for a retracted original's id, the retraction;
    - `problems`: damaged lines (file and line number); the rest of the journal still reads.
    """

    entries: list[Entry] = field(default_factory=list)
    all_records: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    corrections: dict[str, list[Entry]] = field(default_factory=dict)
    retracted: dict[str, Entry] = field(default_factory=dict)
    by_id: dict[str, Entry] = field(default_factory=dict)
    # Where each of `all_records` came from, batch by batch (a file, or a line): the file
    # and the numbers of its lines, in record order. Only messages about a damaged journal
    # ask (`location`), so the id -> (file, line) table is built then, not for every read.
    _origins: list[tuple[str, Sequence[int]]] = field(default_factory=list, repr=False)
    _located: dict[str, tuple[Path, int]] | None = field(default=None, repr=False)
    _by_task: dict[str, list[Entry]] | None = field(default=None, repr=False, compare=False)

    def location(self, entry_id: str) -> tuple[Path, int]:
        """The file and line number of record `entry_id`."""
        if self._located is None:
            located: dict[str, tuple[Path, int]] = {}
            records = iter(self.all_records)
            for name, numbers in self._origins:
                path = Path(name)
                for number in numbers:
                    located[next(records).id] = (path, number)
            self._located = located
        return self._located[entry_id]

    def add_files(self, entries: list[Entry], origins: list[tuple[str, Sequence[int]]]) -> bool:
        """Add the records of some files (`origins`: each file and its lines' numbers, in
        record order) unless an id repeats, among them or with one already read: then
        nothing is added."""
        ids = [entry.id for entry in entries]
        if len(set(ids)) != len(ids) or not self.by_id.keys().isdisjoint(ids):
            return False
        self.by_id.update(zip(ids, entries, strict=True))
        self.all_records.extend(entries)
        self._origins.extend(origins)
        if self._located is not None:
            where = [(Path(path), number) for path, numbers in origins for number in numbers]
            self._located.update(zip(ids, where, strict=True))
        return True

    def file_batches(self) -> Iterator[tuple[str, list[Entry]]]:
        """The records by the file they were read from, batch by batch, in record order (a
        file read line by line comes in several batches)."""
        records = self.all_records
        start = 0
        for name, numbers in self._origins:
            stop = start + len(numbers)
            yield name, records[start:stop]
            start = stop

    def by_task(self) -> dict[str, list[Entry]]:
        """The effective entries grouped by task id, each list in `entries` order (day, then
        recording): built once per read, so per-task questions (a task's state in `list`,
        `show`, a report) cost the task's own entries, not a scan of the whole journal."""
        if self._by_task is None:
            self._by_task = group_by_task(self.entries)
        return self._by_task

    def root_of(self, entry_id: str) -> Entry | None:
        """The original entry that `entry_id` is, or corrects (through chains of fixes)."""
        seen: set[str] = set()
        record = self.by_id.get(entry_id)
        while record is not None and record.sua_cho is not None and record.id not in seen:
            seen.add(record.id)
            record = self.by_id.get(record.sua_cho)
        if record is None or record.sua_cho is not None:
            return None
        return record


def group_by_task(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """`entries` grouped by task id (`ma`), in their order: one pass."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        found = grouped.get(entry.ma)
        if found is None:
            grouped[entry.ma] = [entry]
        else:
            found.append(entry)
    return grouped


def journal_files(loaded_plan: LoadedPlan) -> list[Path]:
    """The record files of a plan's journal, in name order (month, then writer)."""
    return [Path(name) for name in _record_files(loaded_plan)]


def _record_files(loaded_plan: LoadedPlan) -> list[str]:
    # Plain strings: a report reads 30,000 files, and a Path each costs more than its read.
    return [item.path for item in _record_entries(loaded_plan)]


def _record_entries(loaded_plan: LoadedPlan) -> list[os.DirEntry[str]]:
    """The record files of a plan's journal as the folder lists them, in name order.

    A link is not a record file (it may point anywhere: its lines are not this plan's
    notes); `check` reports it.
    """
    folder = sidecar_dir(loaded_plan.path)
    try:
        with os.scandir(folder) as items:
            found = [item for item in items
                     if item.name.endswith(RECORD_SUFFIX) and not item.name.startswith(".")
                     and not item.is_symlink()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise KehoachError(f"{folder}: không đọc được thư mục nhật ký ({os_reason(exc)})",
                           ExitCode.IO) from None
    found.sort(key=_name)
    return found


_name = attrgetter("name")


# A journal's record files as listed, and their stamps taken then (`digest.stamps_of`;
# None when one cannot be looked at): what both the digest and a review's kept lines are
# keyed by, taken once for both.
Listing = tuple[list[os.DirEntry[str]], "list[Stamp] | None"]


def list_journal(loaded_plan: LoadedPlan) -> Listing:
    """A plan's record files and their stamps, now; raises KehoachError for a journal
    folder that cannot be listed."""
    from kehoach_cli.journal.digest import stamps_of

    files = _record_entries(loaded_plan)
    return files, stamps_of(files)


def _contents(path: str, out: JournalRead) -> bytes | None:
    """A record file's bytes (without a BOM), or None, the failure noted as a problem."""
    try:
        data = _read_bytes(path)
    except OSError as exc:
        out.problems.append(Problem(Path(path), None, None, "",
                                    f"không đọc được tệp ({os_reason(exc)})"))
        return None
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # BOM: saved by Notepad


def _read_all(files: list[tuple[str, bytes]], plan_key: str, out: JournalRead,
              prefix: bytes) -> bool:
    """Every file of a plan in one decoding call, if all are whole and good (the usual case:
    30,000 small files cost more in calls than in parsing); False, having added nothing,
    if the files must be read one by one."""
    if not all(data.endswith(b"\n") or not data for _, data in files):
        return False
    counts = [data.count(b"\n") for _, data in files]
    entries = decode_lines(b"".join(data for _, data in files), sum(counts), plan_key, prefix)
    return entries is not None and out.add_files(entries, [
        (path, range(1, count + 1)) for (path, _), count in zip(files, counts, strict=True)])


def _read_file(path: str, data: bytes, plan_key: str, out: JournalRead, task_id: str | None,
               prefix: bytes) -> None:
    if task_id is None and data.endswith(b"\n"):
        count = data.count(b"\n")
        entries = decode_lines(data, count, plan_key, prefix)
        if entries is not None and out.add_files(entries, [(path, range(1, count + 1))]):
            return
    lines = data.split(b"\n")
    torn_line = len(lines)  # a last line without its newline was cut short by a crash
    if lines[-1] == b"":
        lines.pop()
    numbers: list[int] | range = range(1, len(lines) + 1)
    if task_id is not None:
        # A task's lines hold its id as a JSON string: skip parsing the other tasks' lines,
        # but not a line that does not look as the tool writes them (torn by a crash, a
        # conflict marker, a hand edit), so damage is still reported in a task's history.
        needle = json.dumps(task_id, ensure_ascii=False).encode("utf-8")
        numbers = [number for number, raw in enumerate(lines, 1)
                   if needle in raw or not (raw.startswith(LINE_START)
                                            and raw.rstrip().endswith(b"}"))]
        lines = [lines[number - 1] for number in numbers]
        if numbers and numbers[-1] != torn_line:
            entries = decode_lines(b"".join(raw + b"\n" for raw in lines), len(lines), plan_key,
                                   prefix)
            if entries is not None:
                kept = [(e, n) for e, n in zip(entries, numbers, strict=True) if e.ma == task_id]
                if out.add_files([e for e, _ in kept], [(path, [n for _, n in kept])]):
                    return
    # Line by line, to say which lines are damaged and why; every other line still reads.
    loads = json.loads
    for index, raw in enumerate(lines):
        try:
            entry = decode(loads(raw), plan_key)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, RecordError too
            if not raw.strip():
                continue
            number = numbers[index]
            out.problems.append(Problem(Path(path), number, None, "",
                                        _damage(exc, number == torn_line)))
            continue
        if task_id is None or entry.ma == task_id:
            _add(entry, path, numbers[index], out)


def _read_bytes(path: str) -> bytes:
    """The whole file, through the OS's own calls: a report opens some 30,000 sidecars, and
    `open()` builds a buffered reader around each (0.32 s against 0.22 s for all of them)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size + 1  # one more byte: a file growing meanwhile reads on
        chunk = os.read(fd, size)
        if len(chunk) < size:  # the usual case: the whole file in one call
            return chunk
        chunks = [chunk]
        while chunk := os.read(fd, size):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _add(entry: Entry, path: str, number: int, out: JournalRead) -> None:
    known = out.by_id.get(entry.id)
    if known is not None:
        if known != entry:  # an identical copy of a line (a merge done twice) is harmless
            first_file, first_line = out.location(entry.id)
            out.problems.append(Problem(
                Path(path), number, None, "",
                f"mã ghi nhận “{entry.id}” đã dùng ở {first_file.name}:{first_line}; "
                "bỏ qua dòng này"))
        return
    out.add_files([entry], [(path, (number,))])


def _damage(exc: Exception, last_line: bool) -> str:
    if isinstance(exc, RecordError):
        return f"dòng hỏng, bỏ qua: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return "dòng hỏng, bỏ qua: không phải UTF-8"
    if last_line:
        return ("dòng cuối bị cắt dở, bỏ qua (chưa có dấu xuống dòng: có thể máy tắt khi "
                "đang ghi); lần ghi sau sẽ sang dòng mới")
    return "dòng hỏng, bỏ qua: không phải JSON hợp lệ (có thể bị cắt dở hoặc sửa tay)"


def _apply_corrections(out: JournalRead) -> None:
    records = out.all_records
    fixes = [record for record in records if record.sua_cho is not None]
    fixes.sort(key=_recorded)
    for fix in fixes:
        root = out.root_of(fix.id)
        if root is None:
            file, line = out.location(fix.id)
            out.problems.append(Problem(file, line, None, "",
                                        f"bản sửa/hủy cho ghi nhận “{fix.sua_cho}” không có "
                                        "trong nhật ký; bỏ qua"))
            continue
        out.corrections.setdefault(root.id, []).append(fix)
    if not fixes:
        entries = list(records)
    else:
        entries = [record for record in records if record.sua_cho is None]
        for index, record in enumerate(entries):
            if record.id in out.corrections:
                entries[index] = _corrected(record, out)
        entries = [entry for entry in entries if entry.id not in out.retracted]
    # One sort on the (ngay, ghi_luc) pair, made in C by attrgetter: times are compared only
    # between entries of one day. Comparing two aware datetimes is slow when their tzinfo
    # objects differ (each parsed time has its own), so the former two stable sorts, the
    # first on the time alone, cost 3x as much on 200 entries a plan spread over a year
    # (1,000 plans: 0.29 s -> 0.10 s).
    entries.sort(key=_day_then_recorded)
    out.entries = entries


def _corrected(record: Entry, out: JournalRead) -> Entry:
    """`record` with its amendments applied (noting a retraction in `out.retracted`)."""
    current = record
    for fix in out.corrections[record.id]:
        if fix.huy:
            out.retracted[record.id] = fix
            return record
        current = fix
    if current is record:
        return record
    return replace(current, id=record.id, sua_cho=None, ghi_luc=record.ghi_luc,
                   nguoi_ghi=record.nguoi_ghi)


_recorded = attrgetter("ghi_luc")
_day = attrgetter("ngay")
_day_then_recorded = attrgetter("ngay", "ghi_luc")


def read_journal(loaded_plan: LoadedPlan, task_id: str | None = None) -> JournalRead:
    """Read a plan's journal; damaged lines become `problems`, never errors.

    With `task_id`, only that task's records are read (its history), which skips parsing
    the other lines; problems are then those of the lines that mention the task.
    """
    return _read_paths(loaded_plan, _record_files(loaded_plan), task_id)


def _read_paths(loaded_plan: LoadedPlan, paths: list[str], task_id: str | None = None
                ) -> JournalRead:
    """`read_journal` over some of the plan's record files (`paths`, in name order)."""
    out = JournalRead()
    # The cyclic collector is paused for the whole command (`gcpolicy`): reading allocates
    # an object per line and frees nothing, so it would only rescan them.
    prefix = key_prefix(loaded_plan.key)
    files = [(path, data) for path in paths if (data := _contents(path, out)) is not None]
    if task_id is not None or not _read_all(files, loaded_plan.key, out, prefix):
        for path, data in files:
            _read_file(path, data, loaded_plan.key, out, task_id, prefix)
    _apply_corrections(out)
    return out


def read_states(loaded_plan: LoadedPlan
                ) -> tuple[Mapping[str, Sequence[StateNote | Entry]], list[Problem]]:
    """What the state rule needs of a plan's journal (each task's effective notes, in day
    order) and its damage: from the digest when the journal is as it was digested
    (`journal/digest.py`), else from a full read, which then refreshes the digest."""
    from kehoach_cli.journal import digest

    entries = _record_entries(loaded_plan)
    held, stamps = digest.load(loaded_plan, entries)
    if held is not None:
        return held.notes(), []
    journal = _read_and_digest(loaded_plan, entries, stamps)
    return journal.by_task(), journal.problems


def read_span(loaded_plan: LoadedPlan, tu: date, end: date, listing: Listing | None = None
              ) -> tuple[dict[str, list[StateNote | Entry]], list[Problem]]:
    """Each task's notes up to `end`, for a review of the span from `tu`, in day order, and
    the journal's damage.

    From the digest when the journal is as digested: whole entries for the notes dated in
    the span, only what the state rule reads (`StateNote`) for earlier ones, decoding only
    the record files that can hold a note of the span (the digest knows each file's days,
    and which take part in a correction). A quarter's review of a year of notes thus
    decodes and keeps whole a fraction of them. Otherwise (no digest yet, a changed
    journal, or files that disagree with the digest) from a full read, which refreshes it.
    `listing` is the journal as the caller just listed it (`list_journal`), if it has.
    """
    from kehoach_cli.journal import digest

    entries, stamps = listing or (_record_entries(loaded_plan), None)
    held, stamps = digest.load(loaded_plan, entries, stamps)
    if held is not None:
        found = _span_from_digest(loaded_plan, held, entries, tu, end)
        if found is not None:
            return found, []
    journal = _read_and_digest(loaded_plan, entries, stamps)
    out: dict[str, list[StateNote | Entry]] = {}
    for task_id, notes in journal.by_task().items():
        if notes[0].ngay <= end:
            out[task_id] = list(notes) if notes[-1].ngay <= end else [
                e for e in notes if e.ngay <= end]
    return out, journal.problems


def _read_and_digest(loaded_plan: LoadedPlan, entries: list[os.DirEntry[str]],
                     stamps: list[Stamp] | None) -> JournalRead:
    """A full read of the record files just listed (`entries`), kept as the digest under
    the stamps taken before reading."""
    from kehoach_cli.journal import digest

    journal = _read_paths(loaded_plan, [entry.path for entry in entries])
    digest.save(loaded_plan, stamps, journal)
    return journal


def _span_from_digest(loaded_plan: LoadedPlan, held: Held, entries: list[os.DirEntry[str]],
                      tu: date, end: date) -> dict[str, list[StateNote | Entry]] | None:
    """`read_span` from the digest, or None if a file read disagrees with it."""
    first, last = tu.toordinal(), end.toordinal()
    chosen = [entry.path for entry, (low, high, related) in zip(entries, held.files, strict=True)
              if related or (high >= first and low <= last)]
    records = _plain_records(loaded_plan, chosen)
    if records is None:  # damage, a correction, a repeated id: the full rules
        partial = _read_paths(loaded_plan, chosen)
        if partial.problems:
            return None
        records = partial.entries
    # Both lists are in day order: the span's part of each is found by bisection, not by
    # looking at every note (200,000 in a workspace's digest).
    whole = group_by_task(records[bisect_left(records, tu, key=_day):
                                  bisect_right(records, end, key=_day)])
    out: dict[str, list[StateNote | Entry]] = {}
    notes = held.notes()
    for task_id in notes:
        task_notes = notes[task_id]
        start = bisect_left(task_notes, tu, key=_day)
        in_span = bisect_right(task_notes, end, lo=start, key=_day) - start
        found = whole.pop(task_id, [])
        if len(found) != in_span:  # a file changed under its stamps: read in full
            return None
        if start or found:
            out[task_id] = [*task_notes[:start], *found]
    return None if whole else out


def _plain_records(loaded_plan: LoadedPlan, paths: list[str]) -> list[Entry] | None:
    """The entries of record files that hold plain notes only (every line whole and good,
    no correction or retraction, no id twice), sorted as `JournalRead.entries` is; None
    otherwise, and the caller reads them by the full rules (`_read_paths`).

    What a review reads of the span's files in the usual case, without what a full read
    keeps for messages and corrections (the id table, each record's file and line).
    """
    chunks: list[bytes] = []
    for path in paths:
        try:
            data = _read_bytes(path)
        except OSError:
            return None
        if data.startswith(b"\xef\xbb\xbf"):  # BOM: saved by Notepad
            data = data[3:]
        if not data:
            continue
        if not data.endswith(b"\n"):
            return None
        chunks.append(data)
    if not chunks:
        return []
    lines = b"".join(chunks)
    entries = decode_lines(lines, lines.count(b"\n"), loaded_plan.key)
    if entries is None or len(set(map(_id, entries))) != len(entries):
        return None
    if any(entry.sua_cho is not None for entry in entries):
        return None
    entries.sort(key=_day_then_recorded)
    return entries


_id = attrgetter("id")


def check_journal(loaded_plan: LoadedPlan) -> list[Problem]:
    """Every problem of a plan's journal (empty when it reads cleanly): links, damaged
    lines, and notes for a task or body the plan no longer has."""
    from kehoach_cli.journal.placement import unplaced_problems

    journal = read_journal(loaded_plan)
    return [*link_problems(loaded_plan), *journal.problems,
            *unplaced_problems(loaded_plan, journal)]


@dataclass(frozen=True)
class Found:
    """An entry found by id in a workspace, with the journal it lives in."""

    plan: LoadedPlan
    entry: Entry  # the original (root) entry
    journal: JournalRead

    @property
    def retraction(self) -> Entry | None:
        """The record that retracted this entry, if any."""
        return self.journal.retracted.get(self.entry.id)

    @property
    def current(self) -> Entry:
        """The entry as it stands now: its latest amendment, if any, else the original."""
        current = self.entry
        for fix in self.journal.corrections.get(self.entry.id, ()):
            if fix.huy:
                break
            current = fix
        return current


def find_entry(plans: Iterable[LoadedPlan], ref: str) -> Found:
    """The original entry whose id (or the id of one of its corrections) starts with `ref`.

    Ids are typed from history listings; a unique prefix of at least four characters works,
    as with git's short hashes.
    """
    wanted = ref.strip().lower()
    if len(wanted) < MIN_ID_PREFIX:
        raise NotFound(f"mã ghi nhận “{ref}” quá ngắn: hãy gõ ít nhất {MIN_ID_PREFIX} ký tự "
                       "(xem mã bằng: kehoach nhat-ky)")
    hits: dict[tuple[str, str], Found] = {}
    for loaded in plans:
        journal = read_journal(loaded)
        for entry_id in journal.by_id:
            if entry_id.startswith(wanted):
                root = journal.root_of(entry_id)
                if root is not None:
                    hits[(loaded.key, root.id)] = Found(loaded, root, journal)
    if not hits:
        raise NotFound(f"không có ghi nhận mã “{ref}” (xem mã bằng: kehoach nhat-ky)")
    if len(hits) > 1:
        listed = ", ".join(f"{key}:{entry_id}" for key, entry_id in sorted(hits))
        raise Ambiguous(f"mã “{ref}” khớp nhiều ghi nhận: {listed}; hãy gõ thêm ký tự")
    return next(iter(hits.values()))
