"""A cache of parsed journal files, so a report over thousands of sidecars opens one file a plan.

For each plan's journal folder, one file in the user's cache folder maps each record file's
name to its (size, modification time, inode) and the JSON values of its lines, marshalled
before decoding. Every value is still decoded and checked by `journal_format.decode` on each
read, so the cache only saves opening and parsing, never validation. An entry counts only
while the file's stamp is unchanged; journal files are append-only, so any new line changes
the size. Files modified in the last few seconds are not cached (file systems with coarse
times could otherwise hide a second change within the same tick). Files with damaged lines
are never cached: they are read, and their damage reported, every time.

Any failure to read or write the cache only costs a normal read.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from kehoach_cli import cache

_VERSION = 1
_SETTLE_NS = 3_000_000_000  # a file touched less than 3 s ago may still change within its tick

Stamp = tuple[int, int, int]


def stamp_of(stat: os.stat_result) -> Stamp:
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


class JournalCache:
    """The cached files of one journal folder; `save` writes back only if something changed."""

    def __init__(self, folder: Path) -> None:
        digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
        self.path = cache.cache_dir() / "nhat-ky" / f"{digest}.marshal"
        self.files: dict[str, tuple[Stamp, bytes]] = {}
        self.seen: set[str] = set()
        self.changed = False
        try:
            with self.path.open("rb") as handle:
                version, files = marshal.loads(handle.read())
            if version == _VERSION and isinstance(files, dict):
                self.files = files
        except (OSError, ValueError, EOFError, TypeError):
            self.files = {}

    def get(self, name: str, stamp: Stamp) -> list[Any] | None:
        """The parsed lines of file `name` if it is unchanged since it was cached."""
        self.seen.add(name)
        held = self.files.get(name)
        if held is None or tuple(held[0]) != stamp:
            return None
        try:
            values = marshal.loads(held[1])
        except (ValueError, EOFError, TypeError):
            return None
        return values if isinstance(values, list) else None

    def settled(self, stamp: Stamp) -> bool:
        """Whether a file with this stamp is old enough to cache."""
        return time.time_ns() - stamp[1] >= _SETTLE_NS

    def put(self, name: str, stamp: Stamp, payload: bytes) -> None:
        """Remember the marshalled lines of a wholly good file."""
        self.files[name] = (stamp, payload)
        self.changed = True

    def save(self) -> None:
        """Write the cache back (dropping files that no longer exist); errors are ignored."""
        gone = set(self.files) - self.seen
        for name in gone:
            del self.files[name]
        if not (self.changed or gone):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((_VERSION, self.files)))
            os.replace(tmp, self.path)
        except OSError:
            return


def open_cache(folder: Path) -> JournalCache | None:
    """The cache of a journal folder, or None when caching is turned off."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return None
    return JournalCache(folder)
