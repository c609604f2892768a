"""A cache of decoded journal files, so a report over thousands of sidecars opens one file a
plan and skips parsing and checking lines it has already checked.

For each plan's journal folder, one file in the user's cache folder maps each record file's
name to its (size, modification time, inode) and the rows (`journal_format.to_row`) of its
entries, as `decode` built them. A row is used only while its file's stamp is unchanged:
journal files are append-only, so any new line changes the size. Files modified in the last
few seconds are not cached (file systems with coarse times could otherwise hide a second
change within the same tick), and files with damaged lines never are: they are read, and
their damage reported, every time.

Stored as MessagePack (msgspec) decoded into the row types: a planted or corrupted cache
file is data that does not fit (ignored and rewritten), never code. Folder and files are
used only if they are the user's own (`cachefiles`).

Any failure to read or write the cache only costs a normal read.
"""

from __future__ import annotations

import hashlib
import os
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach_cli import cachefiles
from kehoach_cli.journal.format import Row
from kehoach_cli.plan import cache as plan_cache

if TYPE_CHECKING:
    import msgspec

_VERSION = 4  # 4: rows carry `ca_nhiem_vu`
_SETTLE_NS = 3_000_000_000  # a file touched less than 3 s ago may still change within its tick

Stamp = tuple[int, int, int]
Files = dict[str, tuple[Stamp, list[Row]]]


@cache
def _decoder() -> msgspec.msgpack.Decoder[Any]:
    import msgspec

    return msgspec.msgpack.Decoder(tuple[int, Files])


def _load(path: Path) -> Files:
    if not cachefiles.usable_folder(path.parent, create=False):
        return {}
    data = cachefiles.read(path)
    if data is None:
        return {}
    import msgspec

    try:
        version, files = _decoder().decode(data)
    except msgspec.DecodeError:  # damaged, planted, or of another version's shape
        return {}
    return files if version == _VERSION else {}


class JournalCache:
    """The cached files of one journal folder; `save` writes back only if something changed."""

    def __init__(self, folder: Path) -> None:
        digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
        self.path = plan_cache.cache_dir() / "nhat-ky" / f"{digest}.msgpack"
        self.files = _load(self.path)
        self.seen: set[str] = set()
        self.changed = False

    def get(self, name: str, stamp: Stamp) -> list[Row] | None:
        """The rows of file `name` if it is unchanged since it was cached."""
        self.seen.add(name)
        held = self.files.get(name)
        if held is None or held[0] != stamp:
            return None
        return held[1]

    def settled(self, stamp: Stamp) -> bool:
        """Whether a file with this stamp is old enough to cache."""
        return time.time_ns() - stamp[1] >= _SETTLE_NS

    def put(self, name: str, stamp: Stamp, rows: list[Row]) -> None:
        """Remember the rows of a wholly good file."""
        self.files[name] = (stamp, rows)
        self.changed = True

    def save(self) -> None:
        """Write the cache back (dropping files that no longer exist); errors are ignored."""
        gone = set(self.files) - self.seen
        for name in gone:
            del self.files[name]
        if not (self.changed or gone):
            return
        if not cachefiles.usable_folder(self.path.parent, create=True):
            return
        import msgspec

        cachefiles.write(self.path, msgspec.msgpack.encode((_VERSION, self.files)))


def open_cache(folder: Path) -> JournalCache | None:
    """The cache of a journal folder, or None when caching is turned off."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return None
    return JournalCache(folder)
