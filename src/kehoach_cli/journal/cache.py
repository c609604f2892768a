"""A cache of decoded journal files, so a report over thousands of sidecars opens one file a
plan and skips parsing and checking lines it has already checked.

For each plan's journal folder, one file in the user's cache folder maps each record file's
name to its (size, modification time, inode) and the rows (`journal_format.to_row`) of its
entries, as `decode` built them. A row is used only while its file's stamp is unchanged:
journal files are append-only, so any new line changes the size. Files modified in the last
few seconds are not cached (file systems with coarse times could otherwise hide a second
change within the same tick), and files with damaged lines never are: they are read, and
their damage reported, every time. A CRC of the whole cache guards against a torn or
corrupted cache file; a bad one is ignored and rewritten.

Any failure to read or write the cache only costs a normal read.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from kehoach_cli.journal.format import Row
from kehoach_cli.plan import cache

_VERSION = 3  # 3: rows carry `ca_nhiem_vu`
_SETTLE_NS = 3_000_000_000  # a file touched less than 3 s ago may still change within its tick

Stamp = tuple[int, int, int]


def _load(path: Path) -> dict[str, tuple[Stamp, list[Row]]]:
    try:
        with path.open("rb") as handle:
            version, crc, blob = marshal.loads(handle.read())
        if version != _VERSION or zlib.crc32(blob) != crc:
            return {}
        files: Any = marshal.loads(blob)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return files if isinstance(files, dict) else {}


class JournalCache:
    """The cached files of one journal folder; `save` writes back only if something changed."""

    def __init__(self, folder: Path) -> None:
        digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
        self.path = cache.cache_dir() / "nhat-ky" / f"{digest}.marshal"
        self.files = _load(self.path)
        self.seen: set[str] = set()
        self.changed = False

    def get(self, name: str, stamp: Stamp) -> list[Row] | None:
        """The rows of file `name` if it is unchanged since it was cached."""
        self.seen.add(name)
        held = self.files.get(name)
        if held is None or tuple(held[0]) != stamp or not isinstance(held[1], list):
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
        try:
            blob = marshal.dumps(self.files)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((_VERSION, zlib.crc32(blob), blob)))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            return


def open_cache(folder: Path) -> JournalCache | None:
    """The cache of a journal folder, or None when caching is turned off."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return None
    return JournalCache(folder)
