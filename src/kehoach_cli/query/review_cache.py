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

Stored like the journal digest: one indexed pack per plans folder (`cachepack`: each plan's
entry read only when recalled, then dropped), MessagePack decoded into fixed types (a
planted file cannot run code), CRC-checked, private to the user, written once per run in
one atomic step; a damaged, foreign or stale pack or entry is only a miss.
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
from typing import TYPE_CHECKING

import msgspec

from kehoach_cli import __version__, cachepack
from kehoach_cli.journal.entry import Entry
from kehoach_cli.query.state import Part, Rule
from kehoach_cli.status import Status, Timeliness

if TYPE_CHECKING:
    from kehoach_cli.journal.digest import Stamp
    from kehoach_cli.periods import Span
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.query.review import TaskLine

# Bumped whenever what an entry holds changes shape or meaning.
FORMAT = 3


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
_Entry = tuple[int, int, list["Stamp"], msgspec.Raw]


@cache
def _entry_decoder() -> msgspec.msgpack.Decoder[_Entry]:
    return msgspec.msgpack.Decoder(
        tuple[int, int, list[tuple[str, int, int, int, int]], msgspec.Raw])


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
    from kehoach_cli.cachefiles import named_for
    from kehoach_cli.plan.cache import cache_dir

    return named_for(cache_dir(), folder, ".bao-cao")


@dataclass
class _Pack:
    """What this run knows of one folder's pack: the pack as opened, and the entries to add
    (each encoded whole, `_Entry`)."""

    opened: cachepack.Pack | None
    pending: dict[str, bytes] = field(default_factory=dict)


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

    def _version(self) -> list[int]:
        # A pack holds one span, computed by one version of the code.
        return [FORMAT, *self._key, *_code_version()]

    def _pack(self, folder: str) -> _Pack:
        pack = self._packs.get(folder)
        if pack is None:
            pack = self._packs[folder] = _Pack(
                cachepack.Pack.open(_pack_path(folder), self._version(), folder))
        return pack

    def recall(self, loaded: LoadedPlan, stamps: list[Stamp]) -> StoredPlan | None:
        """The kept lines of `loaded`, if its file and its journal (`stamps`, as listed now)
        are as they were when the lines were kept, and the span and code are the same."""
        path = os.fspath(loaded.path)
        if loaded.source is None or os.environ.get("KEHOACH_NO_CACHE"):
            return None
        opened = self._pack(_folder_of(path)).opened
        # Read for this plan alone, and dropped once decoded: 1,000,000 notes' lines are
        # some 35 MB of pack that need not stay in memory beside what they decode to.
        blob = opened.get(os.path.basename(path)) if opened is not None else None
        if blob is None:
            return None
        try:
            size, crc, kept_stamps, lines = _entry_decoder().decode(blob)
            if (size, crc) != loaded.source or kept_stamps != stamps:
                return None
            stored = _plan_decoder().decode(lines)
        except msgspec.DecodeError:
            return None
        if len(stored.lines) != len(loaded.plan.tasks()):  # pragma: no cover - same bytes
            return None
        return stored

    def keep(self, loaded: LoadedPlan, stamps: list[Stamp], unplaced: int,
             lines: Sequence[TaskLine], latest: Sequence[dict[str, date]]) -> None:
        """Keep a plan's lines just computed from its journal, read without damage; `stamps`
        are the journal's, taken before the read."""
        from kehoach_cli.plan.cache import encodable

        path = os.fspath(loaded.path)
        if (loaded.source is None or os.environ.get("KEHOACH_NO_CACHE")
                or not _settled(stamps)):
            return
        folder, name = _folder_of(path), os.path.basename(path)
        # Names in bytes that are not UTF-8 cannot be kept (MessagePack text is UTF-8).
        if not (encodable(folder) and encodable(name)
                and all(encodable(stamp[0]) for stamp in stamps)):
            return
        if self.with_json:
            from kehoach_cli.query.review import set_json
            from kehoach_cli.render.report import line_json

            for line in lines:
                set_json(line, line_json(line))
        encode = msgspec.msgpack.encode
        try:
            data = encode(StoredPlan(unplaced, [
                _stored(line, day) for line, day in zip(lines, latest, strict=True)]))
            entry = encode((*loaded.source, stamps, msgspec.Raw(data)))
        except (TypeError, ValueError, OverflowError):  # pragma: no cover - plain data
            return
        self._pack(folder).pending[name] = entry

    def flush(self) -> None:
        """Write each pack that gained lines, merged with what is on disk, in one step."""
        packs, self._packs = self._packs, {}
        for folder, pack in packs.items():
            if pack.opened is not None:
                pack.opened.close()  # before writing: Windows replaces no open file
            if pack.pending:
                self._write(folder, pack.pending)

    def _write(self, folder: str, pending: dict[str, bytes]) -> None:
        # Merged with what another run wrote meanwhile (of this span and code, for plan
        # files still there), ours on top.
        cachepack.update(_pack_path(folder), self._version(), folder, pending)


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
