"""The journal digest: what `list` needs of a plan's journal, kept between runs.

`list` asks one question of each task's notes: its state today (`query/state.assess`). That
reads four fields of each effective note (the day, the reporting body, the status, whether
it speaks for the whole task), in day order. Decoding a whole journal to get them costs far
more than listing: 1,000 plans with 200,000 notes in 30,000 files take ~1.2 s to read,
against ~0.1 s for the listing itself. So after a full read, those four fields are kept per
plan in the user's cache folder, one small list per task, and the next `list` reads them
instead of the journal, decoding only the tasks it shows.

When the digest holds. It is keyed by every record file's name, size, modification and
change times and inode (the stamps git's index trusts): appending, rewriting, a merge, a
pull, a copied-in or deleted file each change at least one of them, and the change time
cannot be put back by any tool (on POSIX; Windows reports the creation time there and a
folder listing gives no inode, so an edit that keeps a file's size and puts its old
modification time back is only seen there once another stamp moves). Two more guards
close the gaps a stamp leaves:
- a file changed within the last few seconds of the full read is "racy" (another write in
  the same tick of the clock would keep its stamp, as with git's racily clean entries): no
  digest is written then, the next run reads in full again;
- a journal with damaged lines is never digested: its messages (file, line, what is wrong)
  come from a full read, every time.
The stamps are taken before the read: a file that grows between the two is seen as changed
next time. `show` and `nhat-ky` read journals in full, never the digest; `report` reads the
span's record files and the digest for the notes before it (`read.read_span`).

Where it is kept: the digests of the journals of one folder of plans share one pack
(`cachepack`: an index, then each journal's digest, read only when asked for), so 1,000
plans cost one cache file to open, and a cold run one to write, not 1,000 (creating them
was half a second of a cold report). The reads and writes of a command go through one
`batch()`; a digest saved outside one is written at once.

The digest is data only (MessagePack, decoded into fixed types: a planted file cannot run
code), private to the user (`cachefiles`), and a miss, a damaged or foreign pack only costs
a full read. KEHOACH_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, overload

import msgspec

from kehoach_cli import cachepack
from kehoach_cli.status import Status

if TYPE_CHECKING:
    from kehoach_cli.journal.read import JournalRead
    from kehoach_cli.plan.loader import LoadedPlan

# Bumped whenever what the digest holds changes shape or meaning.
FORMAT = 3
# The digests of a folder's journals are kept in one pack (`cachepack`) named after it.
PACK_SUFFIX = ".tom-tat"
# A file changed this recently, when the digest would be written, may change again within
# the same clock tick without its stamp showing it (FAT's tick is 2 s): not digested.
RACY_NS = 3_000_000_000

_T = TypeVar("_T")
Stamp = tuple[str, int, int, int, int]  # name, size, mtime_ns, ctime_ns, inode


class StateNote(msgspec.Struct, array_like=True, frozen=True, gc=False):
    """The part of a note the state rule reads (`query.state.Note`)."""

    ngay: date
    don_vi: str
    trang_thai: Status | None = None
    ca_nhiem_vu: bool = False


class Held(msgspec.Struct, array_like=True):
    """A plan's digest as stored."""

    format: int
    owner: str  # the journal folder, absolute: a misplaced digest is only a miss
    stamps: list[Stamp]
    # Per record file (as `stamps`): the first and last day (ordinals) of its records, and
    # whether one of them corrects or retracts a note, or is a note corrected or retracted:
    # a review reads the files that can hold a note of its span (`read.read_span`).
    files: list[tuple[int, int, bool]]
    # Per task, its notes' StateNote list still encoded: decoded only for the tasks shown.
    tasks: dict[str, msgspec.Raw]

    def notes(self) -> TaskNotes:
        """Each task's notes, in day order, decoded as they are asked for."""
        return TaskNotes(self.tasks)


@cache
def _held_decoder() -> msgspec.msgpack.Decoder[Held]:
    return msgspec.msgpack.Decoder(Held)


@cache
def _notes_decoder() -> msgspec.msgpack.Decoder[list[StateNote]]:
    return msgspec.msgpack.Decoder(list[StateNote])


class TaskNotes(Mapping[str, list[StateNote]]):
    """A plan's notes by task id, in day order, for the state rule: decoded from the digest
    one task at a time, as they are asked for."""

    def __init__(self, encoded: dict[str, msgspec.Raw]) -> None:
        self._encoded = encoded
        self._decoded: dict[str, list[StateNote]] = {}

    def __getitem__(self, task_id: str) -> list[StateNote]:
        found = self._decoded.get(task_id)
        if found is None:
            found = self._decoded[task_id] = _notes_decoder().decode(self._encoded[task_id])
        return found

    @overload
    def get(self, task_id: str, /) -> list[StateNote] | None: ...
    @overload
    def get(self, task_id: str, /, default: list[StateNote] | _T) -> list[StateNote] | _T: ...

    def get(self, task_id: str, /, default: object = None) -> object:
        """`self[task_id]`, or `default` for a task without notes (Mapping's own `get` goes
        through a raised KeyError: 20,000 times in a listing)."""
        if task_id not in self._encoded:
            return default
        return self[task_id]

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._encoded

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)


def stamps_of(files: list[os.DirEntry[str]]) -> list[Stamp] | None:
    """The stamps of a journal's record files, or None if one cannot be looked at."""
    out: list[Stamp] = []
    for item in files:
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            return None
        out.append((item.name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return out


def _locate(loaded: LoadedPlan) -> tuple[Path, str, str]:
    """The pack holding the digest of `loaded`'s journal, the folder it is for (the
    journal folder's, absolute) and the journal folder's name in it."""
    from kehoach_cli.plan.cache import cache_dir

    return _located(os.fspath(loaded.path), os.getcwd(), cache_dir())


@lru_cache(maxsize=8192)
def _located(plan_path: str, _cwd: str, cache_folder: Path) -> tuple[Path, str, str]:
    # Worked out once per plan, working folder and cache folder: 1,000 plans asked it at
    # 50 µs each (paths, checksums, the cache folder's environment variables).
    from kehoach_cli.cachefiles import named_for
    from kehoach_cli.journal.store import sidecar_dir

    folder, name = os.path.split(os.path.abspath(sidecar_dir(Path(plan_path))))
    return named_for(cache_folder, folder, PACK_SUFFIX), folder, name


@dataclass
class _Open:
    """A pack as a `batch()` uses it: opened once, and the digests to add when it ends."""

    pack: cachepack.Pack | None
    pending: dict[str, bytes] = field(default_factory=dict)


_OPEN: dict[tuple[Path, str], _Open] = {}
_depth = 0  # how many `batch()` blocks are open


@contextmanager
def batch() -> Iterator[None]:
    """Read each pack once for the block, and write the digests saved meanwhile in one
    step per pack when it ends (also when it raises: they are still true)."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth:
            opened = list(_OPEN.items())
            _OPEN.clear()
            for (target, folder), item in opened:
                if item.pack is not None:
                    item.pack.close()  # before writing: Windows replaces no open file
                if item.pending:
                    _write(target, folder, item.pending)


def _opened(target: Path, folder: str) -> _Open:
    found = _OPEN.get((target, folder))
    if found is None:
        found = _OPEN[(target, folder)] = _Open(cachepack.Pack.open(target, FORMAT, folder))
    return found


def _blob(target: Path, folder: str, name: str) -> bytes | None:
    if _depth:
        item = _opened(target, folder)
        found = item.pending.get(name)
        if found is None and item.pack is not None:
            found = item.pack.get(name)
        return found
    pack = cachepack.Pack.open(target, FORMAT, folder)
    if pack is None:
        return None
    with pack:
        return pack.get(name)


def load(loaded: LoadedPlan, files: list[os.DirEntry[str]], stamps: list[Stamp] | None = None
         ) -> tuple[Held | None, list[Stamp] | None]:
    """The digest of `loaded`'s journal if its record files (`files`) are as digested, else
    None; and the files' stamps (`stamps` if the caller took them as it listed the files,
    else taken now), for `save` after a full read."""
    if os.environ.get("KEHOACH_NO_CACHE") or not files:
        # No record file: the full read reads nothing, and a digest of nothing would only
        # grow the pack.
        return None, None
    if stamps is None:
        stamps = stamps_of(files)
    if stamps is None:
        return None, stamps
    target, folder, name = _locate(loaded)
    data = _blob(target, folder, name)
    if data is None:
        return None, stamps
    try:
        held = _held_decoder().decode(data)
    except msgspec.DecodeError:
        return None, stamps
    if (held.format != FORMAT or held.owner != os.path.join(folder, name)
            or held.stamps != stamps or len(held.files) != len(stamps)):
        return None, stamps
    return held, stamps


def save(loaded: LoadedPlan, stamps: list[Stamp] | None, journal: JournalRead) -> None:
    """Keep the digest of a journal just read in full under the stamps taken before reading
    (at the end of the `batch()` under way, else at once); nothing is kept for a damaged
    journal, or one a file of which changed too recently to trust its stamp."""
    if stamps is None or journal.problems or os.environ.get("KEHOACH_NO_CACHE"):
        return
    now = time.time_ns()
    if any(now - max(mtime, ctime) < RACY_NS for _, _, mtime, ctime, _ in stamps):
        return
    target, folder, name = _locate(loaded)
    from kehoach_cli.plan.cache import encodable

    # A folder or file named in bytes that are not UTF-8 gets no digest: read in full.
    if not (encodable(folder) and encodable(name)
            and all(encodable(file) for file, *_ in stamps)):
        return
    encode = msgspec.msgpack.Encoder().encode
    # Each note as the tuple of StateNote's fields, made in C: an array-like Struct encodes
    # as exactly that array, and building 200,000 Structs first only to encode them cost a
    # tenth of a second of a cold report (the tests hold the two to the same bytes).
    tasks = {task_id: msgspec.Raw(encode(list(map(_state_fields, notes))))
             for task_id, notes in journal.by_task().items()}
    data = encode(Held(FORMAT, os.path.join(folder, name), stamps, _file_days(stamps, journal),
                       tasks))
    if _depth:
        _opened(target, folder).pending[name] = data
    else:
        _write(target, folder, {name: data})


def _write(target: Path, folder: str, pending: dict[str, bytes]) -> None:
    """Put `pending` into the pack (`cachepack.update`: merged with what another run wrote
    meanwhile, less the digests of journal folders no longer there)."""
    if cachepack.update(target, FORMAT, folder, pending):
        _sweep_once(target.parent)


_swept: set[Path] = set()


def _sweep_once(cache_folder: Path) -> None:
    """Remove the per-journal digest files (and per-plan cache files) earlier versions left
    in the cache folder, once per run: a pack replaced them, and 1,000 plans left 1,000."""
    if cache_folder not in _swept:
        _swept.add(cache_folder)
        from kehoach_cli import cachefiles

        cachefiles.sweep_legacy(cache_folder)


def _file_days(stamps: list[Stamp], journal: JournalRead) -> list[tuple[int, int, bool]]:
    """Per record file: its records' first and last day, and whether it takes part in a
    correction (holds a correction or retraction, or a note that has one)."""
    corrected = journal.corrections.keys()
    found: dict[str, tuple[int, int, bool]] = {}
    for path, batch in journal.file_batches():
        if not batch:
            continue
        days = list(map(_day, batch))
        low, high = min(days).toordinal(), max(days).toordinal()
        # Only a journal with corrections has files taking part in one (most have none).
        related = bool(corrected) and any(r.sua_cho is not None or r.id in corrected
                                          for r in batch)
        name = os.path.basename(path)
        if name in found:  # another batch of the same file
            was = found[name]
            low, high, related = min(low, was[0]), max(high, was[1]), related or was[2]
        found[name] = (low, high, related)
    # A file with no record (empty, or only blank lines) can hold no note of any span.
    return [found.get(name, (0, -1, False)) for name, *_ in stamps]


_day = attrgetter("ngay")
_state_fields = attrgetter(*StateNote.__struct_fields__)
