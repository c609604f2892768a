"""Indexed cache packs: many named blobs in one private file, each read only when asked for.

A cache with an entry per plan or per journal is cheapest as one file per folder of plans:
creating 1,000 files costs a cold run half a second of system time, and opening 1,000 costs
a warm run tens of milliseconds. But a pack read whole stays in memory as long as any of
its entries is in use, and the journal digest of 1,000,000 notes is some 35 MB: so a pack
here is an index followed by the blobs, and a blob is read (one positioned read) only when
asked for, then checked against its own CRC-32.

Layout: the CRC-32 of the index, its length (4 bytes each, big-endian), the index (the
MessagePack of `(version, owner, {name: (offset, length, CRC-32)})`), then the blobs. The
index says what the pack was made by (`version`) and for (`owner`, the folder): another
version's or folder's pack is a miss. Data only, decoded into fixed types: a planted file
cannot run code. Read only from files and folders the user alone controls (`cachefiles`),
written whole in one atomic step (`atomic.replace_private`); a torn, flipped, foreign or
missing pack, or blob, is only a miss.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Mapping
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from kehoach_cli import cachefiles

if TYPE_CHECKING:
    from collections.abc import KeysView

_HEAD = 8  # the index's CRC-32 and length
_FIRST_READ = 1 << 16  # the head and, for most packs, the whole index in one read
_MAX_INDEX = 1 << 28  # a length beyond this is damage, not an index

Index = dict[str, tuple[int, int, int]]


@cache
def _index_decoder() -> msgspec.msgpack.Decoder[tuple[Any, str, Index]]:
    return msgspec.msgpack.Decoder(tuple[Any, str, dict[str, tuple[int, int, int]]])


def _read_at(fd: int, size: int, offset: int) -> bytes:
    """`size` bytes at `offset` (fewer at the end of the file)."""
    pread = getattr(os, "pread", None)
    if pread is not None:
        chunks = []
        while size > 0:
            chunk = pread(fd, size, offset)
            if not chunk:
                break
            chunks.append(chunk)
            size -= len(chunk)
            offset += len(chunk)
        return b"".join(chunks)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread
    chunks = []
    while size > 0 and (chunk := os.read(fd, size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class Pack:
    """An open pack: its index, read at once, and its blobs, read as they are asked for.
    Close it (or use it in a `with` block) when done: Windows cannot replace a file that
    is open."""

    def __init__(self, fd: int, base: int, index: Index) -> None:
        self._fd: int | None = fd
        self._base = base
        self._index = index

    @classmethod
    def open(cls, path: Path, version: Any, owner: str) -> Pack | None:
        """The pack at `path` if it is sound, the user's, of `version` and for `owner`."""
        if not cachefiles.usable_folder(path.parent, create=False):
            return None
        flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
                 | getattr(os, "O_CLOEXEC", 0))
        try:
            fd = os.open(path, flags)
        except OSError:
            return None
        try:
            pack = cls._read_index(fd, version, owner)
        except (OSError, msgspec.DecodeError, ValueError):
            pack = None
        if pack is None:
            os.close(fd)
        return pack

    @classmethod
    def _read_index(cls, fd: int, version: Any, owner: str) -> Pack | None:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not cachefiles.trusted(info):
            return None
        first = _read_at(fd, _FIRST_READ, 0)
        if len(first) < _HEAD:
            return None
        crc, length = int.from_bytes(first[:4], "big"), int.from_bytes(first[4:8], "big")
        if length > _MAX_INDEX or _HEAD + length > info.st_size:
            return None
        data = first[_HEAD:_HEAD + length]
        if len(data) < length:
            data += _read_at(fd, length - len(data), _HEAD + len(data))
        if zlib.crc32(data) != crc:
            return None
        found_version, found_owner, index = _index_decoder().decode(data)
        # MessagePack has one kind of array: a tuple comes back as a list.
        if found_version != (list(version) if isinstance(version, tuple) else version) \
                or found_owner != owner:
            return None
        return cls(fd, _HEAD + length, index)

    def names(self) -> KeysView[str]:
        return self._index.keys()

    def get(self, name: str) -> bytes | None:
        """The blob `name`, or None if the pack has none sound under that name."""
        where = self._index.get(name)
        if where is None or self._fd is None:
            return None
        offset, length, crc = where
        try:
            data = _read_at(self._fd, length, self._base + offset)
        except OSError:
            return None
        return data if len(data) == length and zlib.crc32(data) == crc else None

    def close(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Pack:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def write(path: Path, version: Any, owner: str, blobs: Mapping[str, bytes | memoryview]
          ) -> bool:
    """Put a pack of `blobs` at `path` in one step; False (and nothing left behind) on any
    failure. The blobs are written as they are, never copied into one buffer."""
    from kehoach_cli.atomic import replace_private
    from kehoach_cli.errors import KehoachError

    if not cachefiles.usable_folder(path.parent, create=True):
        return False
    index: Index = {}
    offset = 0
    for name, blob in blobs.items():
        index[name] = (offset, len(blob), zlib.crc32(blob))
        offset += len(blob)
    try:
        head = msgspec.msgpack.encode((version, owner, index))
    except (TypeError, ValueError, OverflowError):  # pragma: no cover - plain data
        return False
    try:
        replace_private(path, zlib.crc32(head).to_bytes(4, "big"),
                        len(head).to_bytes(4, "big"), head, *blobs.values())
    except KehoachError:
        return False
    return True


def update(path: Path, version: Any, folder: str, pending: Mapping[str, bytes]) -> bool:
    """Replace the pack at `path` (of `version`, for `folder`, its blobs named after entries
    of that folder) with what it holds now and `pending` on top: another run may have
    written it meanwhile, and its blobs are kept, less those of entries no longer in the
    folder (they would only grow it). False, and nothing left behind, on any failure."""
    try:
        present: set[str] | None = set(os.listdir(folder))
    except OSError:
        present = None
    blobs: dict[str, bytes] = {}
    current = Pack.open(path, version, folder)
    if current is not None:
        with current:
            for name in current.names():
                if name not in pending and (present is None or name in present):
                    blob = current.get(name)
                    if blob is not None:
                        blobs[name] = blob
    blobs.update(pending)
    return write(path, version, folder, blobs)
