"""Each plan's part of a periodic review, kept between runs of `report` over the same span.

A review spends most of its time on work that only changes when a journal or a plan does:
reading the span's notes (the digest, then the quarter's record files), and working out
20,000 task states. The office runs the same quarterly report again and again while it
writes it up, and only some plans' journals change between runs. So after a review, each
plan's task lines are kept here (the figures, the latest notes, the state and its parts,
and what the per-body table needs: each body's latest note), and the next review over the
same span reads them back instead, for every plan whose inputs are unchanged. 1,000 plans
with 200,000 notes: the review's own part drops from about 1.4 s to a few tenths.

When an entry holds. It is kept under everything its lines are a function of:
- the plan file's bytes (size and CRC-32, as the plan cache: no edit keeps both);
- the journal's record files, by the same stamps as the journal digest (name, size,
  modification and change times, inode), taken before the journal was read, and never kept
  when a file changed within the digest's racy window (`digest.RACY_NS`);
- the span's first day, the day the review counts to (the span's end, or the reference
  date before it) and the next period (a line names its deadlines there), and the code that
  computes and writes the lines (the modules' modification times).
A journal with damaged lines is never kept (its messages come from a read, every time),
nor is a review narrowed to one body or one that quotes every note (the Word draft and the
workbook): those read their notes as before.

Stored like the plan cache: one pack per plans folder, MessagePack decoded into fixed
types (a planted file cannot run code), CRC-checked, private to the user (`cachefiles`),
written once per run in one atomic step; a damaged, foreign or stale pack is only a miss.
A pack holds one span: a review of another span replaces it. KEHOACH_NO_CACHE=1 turns it
off.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from kehoach_cli import __version__, cachefiles
from kehoach_cli.journal.entry import Entry
from kehoach_cli.query.state import Part, Rule
from kehoach_cli.status import Status, Timeliness

if TYPE_CHECKING:
    from kehoach_cli.journal.digest import Stamp
    from kehoach_cli.periods import Span
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.query.review import TaskLine

# Bumped whenever what an entry holds changes shape or meaning.
FORMAT = 2


# A note as kept: `Entry`'s fields in order, its time of recording as ISO text, since
# MessagePack would keep that time in UTC, without the zone it was written in; its text as
# UTF-8 bytes (`_utf8`).
StoredEntry = tuple[str, str, str, date, str, str, str, bytes, Status | None, str | None,
                    dict[str, int | float], str | None, bool, bool]


class StoredLine(msgspec.Struct, array_like=True, gc=False):
    """One task line of a review, as kept (`review.TaskLine` without what the plan gives)."""

    entries: list[StoredEntry]  # the latest notes of the span
    count: int
    reporters: list[str]
    so_lieu: dict[str, float]
    shares: dict[str, dict[str, float]]
    status: Status
    timeliness: Timeliness
    han: date | None
    done_on: date | None
    by_body: list[Part]  # `TaskState.by_body`, in its order
    # `TaskState.parts`, or how many of by_body's first ones they are (most states: the
    # same objects, `state.assess`), which halves what is kept.
    parts: list[Part] | int
    rule: Rule
    not_expected: bool
    latest: list[tuple[str, date]]  # each body's latest note on the task, up to the end
    json: bytes | None  # its JSON text (`render.report.line_json`) in UTF-8, for JSON output


class StoredPlan(msgspec.Struct, array_like=True, gc=False):
    """One plan's part of a review: its task lines in plan order, and the span's notes it
    cannot place."""

    unplaced: int
    lines: list[StoredLine]


# An entry: the plan file's size and CRC-32, its journal's stamps, the StoredPlan encoded.
_Entry = tuple[int, int, list["Stamp"], Any]


@cache
def _pack_decoder() -> msgspec.msgpack.Decoder[Any]:
    # (format, code version, folder, span key, {plan file: entry}).
    return msgspec.msgpack.Decoder(tuple[
        int, list[int], str, tuple[int, int, int, int],
        dict[str, tuple[int, int, list[tuple[str, int, int, int, int]], msgspec.Raw]]])


_SpanKey = tuple[int, int, int, int]  # first day, end, and the next period's dates


@cache
def _plan_decoder() -> msgspec.msgpack.Decoder[StoredPlan]:
    return msgspec.msgpack.Decoder(StoredPlan)


@cache
def _code_version() -> list[int]:
    """What the kept lines were computed and written by: the version, and each module's
    modification time (editing any module, or upgrading, must not leave lines the new code
    would compute or write otherwise). A hundred `stat` calls: under a millisecond."""
    package = Path(__file__).resolve().parent.parent
    times = [zlib.crc32(__version__.encode()), FORMAT]
    for folder, _, names in sorted(os.walk(package)):
        times += [os.stat(os.path.join(folder, name)).st_mtime_ns
                  for name in sorted(names) if name.endswith(".py")]
    return times


@cache
def _folder_of(path: str) -> str:
    return os.path.realpath(os.path.dirname(os.path.abspath(path)))


def _pack_path(folder: str) -> Path:
    from kehoach_cli.plan.cache import cache_dir

    data = os.fsencode(folder)  # as the plan cache: a folder name need not be UTF-8
    return cache_dir() / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.bao-cao"


@dataclass
class _Pack:
    """What this run knows of one folder's pack: the entries read, and those to add."""

    held: dict[str, _Entry]
    pending: dict[str, _Entry] = field(default_factory=dict)


@dataclass
class ReviewCache:
    """Kept lines for `review.build_report`, which says the span (`start`), then `recall`s
    each plan's lines and `keep`s those it computed; `flush` when the review is done. With
    `with_json`, the lines it keeps carry their JSON text, which the review's JSON output
    then writes as it is (made once, while keeping)."""

    with_json: bool = False
    _key: _SpanKey = (0, 0, 0, 0)
    _packs: dict[str, _Pack] = field(default_factory=dict)

    def start(self, span: Span, end: date) -> None:
        """Serve and keep the lines of a review of `span` counting to `end` (the next period
        is part of what a line says: its deadlines there)."""
        following = span.next()
        key = (span.tu.toordinal(), end.toordinal(), following.tu.toordinal(),
               following.den.toordinal())
        if key != self._key:
            self.flush()
            self._key = key
            self._packs.clear()

    def _pack(self, folder: str) -> _Pack:
        pack = self._packs.get(folder)
        if pack is None:
            pack = self._packs[folder] = _Pack(self._read(folder))
        return pack

    def _read(self, folder: str) -> dict[str, _Entry]:
        target = _pack_path(folder)
        if not cachefiles.usable_folder(target.parent, create=False):
            return {}
        data = cachefiles.read(target)
        if data is None:
            return {}
        try:
            version, code, owner, span, entries = _pack_decoder().decode(data)
        except msgspec.DecodeError:
            return {}
        if (version != FORMAT or code != _code_version() or owner != folder
                or span != self._key):
            return {}
        held: dict[str, _Entry] = entries
        return held

    def recall(self, loaded: LoadedPlan, stamps: list[Stamp]) -> StoredPlan | None:
        """The kept lines of `loaded`, if its file and its journal (`stamps`, as listed now)
        are as they were when the lines were kept, and the span and code are the same."""
        path = os.fspath(loaded.path)
        if loaded.source is None or os.environ.get("KEHOACH_NO_CACHE"):
            return None
        entry = self._pack(_folder_of(path)).held.get(os.path.basename(path))
        if entry is None or (entry[0], entry[1]) != loaded.source or entry[2] != stamps:
            return None
        try:
            stored = _plan_decoder().decode(entry[3])
        except msgspec.DecodeError:
            return None
        if len(stored.lines) != len(loaded.plan.tasks()):  # pragma: no cover - same bytes
            return None
        return stored

    def keep(self, loaded: LoadedPlan, stamps: list[Stamp], unplaced: int,
             lines: Sequence[TaskLine], latest: Sequence[dict[str, date]]) -> None:
        """Keep a plan's lines just computed from its journal, read without damage; `stamps`
        are the journal's, taken before the read."""
        path = os.fspath(loaded.path)
        if (loaded.source is None or os.environ.get("KEHOACH_NO_CACHE")
                or not _settled(stamps)):
            return
        if self.with_json:
            from kehoach_cli.query.review import set_json
            from kehoach_cli.render.report import line_json

            for line in lines:
                set_json(line, line_json(line))
        try:
            data = msgspec.msgpack.encode(StoredPlan(unplaced, [
                _stored(line, day) for line, day in zip(lines, latest, strict=True)]))
        except (TypeError, ValueError, OverflowError):  # pragma: no cover - plain data
            return
        self._pack(_folder_of(path)).pending[os.path.basename(path)] = (
            *loaded.source, stamps, msgspec.Raw(data))

    def flush(self) -> None:
        """Write each pack that gained lines, merged with what is on disk, in one step."""
        for folder, pack in self._packs.items():
            if pack.pending:
                self._write(folder, pack)

    def _write(self, folder: str, pack: _Pack) -> None:
        from kehoach_cli.plan.cache import encodable

        pending, pack.pending = pack.pending, {}
        target = _pack_path(folder)
        if not encodable(folder) or not cachefiles.usable_folder(target.parent, create=True):
            return
        # Another run may have written meanwhile: keep its entries, ours on top.
        entries = {**self._read(folder), **pending}
        try:
            present = set(os.listdir(folder))
        except OSError:
            present = None
        kept = [(name, entry) for name, entry in entries.items()
                if encodable(name) and (present is None or name in present)
                and all(encodable(stamp[0]) for stamp in entry[2])]
        cachefiles.write(target, *_pack_chunks(folder, self._key, kept))
        pack.held = entries


def _pack_chunks(folder: str, key: _SpanKey, kept: list[tuple[str, _Entry]]
                 ) -> list[bytes | memoryview]:
    """The MessagePack of `(FORMAT, code version, folder, key, dict(kept))` as pieces: each
    plan's lines, already encoded, are written as they are, where encoding the whole would
    copy them all (tens of megabytes at the run's peak, with the copy that adds the
    checksum)."""
    encode = msgspec.msgpack.encode
    # 0x95, 0x94: MessagePack's headers of arrays of 5 and 4 items (how msgspec writes the
    # pack's tuple and each entry's); the test holds the pieces to msgspec's own bytes.
    chunks: list[bytes | memoryview] = [
        b"\x95", encode(FORMAT), encode(_code_version()), encode(folder), encode(key),
        _map_head(len(kept))]
    for name, (size, crc, stamps, lines) in kept:
        chunks += [encode(name), b"\x94", encode(size), encode(crc), encode(stamps),
                   memoryview(lines)]
    return chunks


def _map_head(count: int) -> bytes:
    """A MessagePack map's header for `count` pairs."""
    if count < 16:
        return bytes([0x80 | count])
    if count < 1 << 16:
        return b"\xde" + count.to_bytes(2, "big")
    return b"\xdf" + count.to_bytes(4, "big")


def _settled(stamps: list[Stamp]) -> bool:
    """Whether no record file changed within the racy window (`digest.RACY_NS`): one that
    did could change again within the same clock tick without its stamp showing it."""
    from kehoach_cli.journal.digest import RACY_NS

    now = time.time_ns()
    return all(now - max(mtime, ctime) >= RACY_NS for _, _, mtime, ctime, _ in stamps)


def _utf8(text: str) -> bytes:
    """`text` in UTF-8, for the long texts kept (a note's, a line's JSON). Encoded here, not by
    msgspec: CPython keeps the UTF-8 form that C code asks a string for with the string, as
    long as it lives, and the lines' strings live to the end of the run (1,000,000 notes:
    some 30 MB more at the peak)."""
    return text.encode()


def _stored_entry(e: Entry) -> StoredEntry:
    return (e.id, e.ke_hoach, e.ma, e.ngay, e.don_vi, e.nguoi_ghi, e.ghi_luc.isoformat(),
            _utf8(e.noi_dung), e.trang_thai, e.minh_chung, e.so_lieu, e.sua_cho, e.huy,
            e.ca_nhiem_vu)


def _stored(line: TaskLine, latest: dict[str, date]) -> StoredLine:
    state = line.state
    by_body = list(state.by_body.values())
    parts = state.parts
    shared = len(parts) <= len(by_body) and all(
        a is b for a, b in zip(parts, by_body, strict=False))
    return StoredLine(
        [_stored_entry(e) for e in line.entries],
        line.count, sorted(line.reporters), line.so_lieu, line.so_lieu_don_vi, state.status,
        state.timeliness, state.han, state.hoan_thanh_ngay, by_body,
        len(parts) if shared else list(parts), state.rule, line.not_expected, list(latest.items()),
        None if line.json is None else _utf8(line.json))


def entries_of(stored: StoredLine) -> list[Entry]:
    """The latest notes a kept line holds."""
    return [Entry(id_, ke_hoach, ma, ngay, don_vi, nguoi_ghi, datetime.fromisoformat(ghi_luc),
                  noi_dung.decode(), trang_thai, minh_chung, so_lieu, sua_cho, huy, ca_nhiem_vu)
            for (id_, ke_hoach, ma, ngay, don_vi, nguoi_ghi, ghi_luc, noi_dung, trang_thai,
                 minh_chung, so_lieu, sua_cho, huy, ca_nhiem_vu) in stored.entries]


def parts_of(stored: StoredLine) -> tuple[tuple[Part, ...], dict[str, Part]]:
    """A kept line's `TaskState.parts` and `by_body`."""
    by_body = stored.by_body
    parts = by_body[:stored.parts] if isinstance(stored.parts, int) else stored.parts
    return tuple(parts), {part[0]: part for part in by_body}
