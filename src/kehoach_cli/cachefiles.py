"""Private cache files: read only from a folder and files the user alone controls.

The plan cache lives in the user's cache folder, which `KEHOACH_CACHE_DIR` can point
anywhere, a shared folder included. Its format cannot run code (msgspec's MessagePack,
decoded into fixed types), and on top of that a folder or a file that belongs to someone
else, or that others may write to, is not used at all: what is in it could be anything. A
cache that is not used only costs a normal read.

Each file starts with a CRC-32 of the rest, so a torn or flipped file is a miss rather
than wrong data. Writes go through `atomic.replace_private` (temporary file, then one rename;
no temporary file is left behind when the rename fails, as it can on Windows while another
process has the file open), private to the user, without fsync: a cache lost in a crash is
only rebuilt.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from pathlib import Path

_WARNED: set[str] = set()


def trusted(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (POSIX; Windows folders under
    LOCALAPPDATA are per-user already and have no such bits)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def named_for(cache_folder: Path, folder: str, suffix: str) -> Path:
    """The cache file of `folder` (a plans folder) with `suffix`: two 32-bit checksums of
    its name (hashlib costs 4 ms of start-up). The folder is stored inside and compared, so
    a collision is only a miss; fsencode: a folder whose name is not UTF-8 (Linux bytes,
    read as lone surrogates) names a cache file too, instead of failing the command."""
    data = os.fsencode(folder)
    return cache_folder / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{suffix}"


def usable_folder(folder: Path, *, create: bool) -> bool:
    """Whether cache files may be read from (and written to) `folder`; with `create`, make
    it (private) when missing. A folder refused for its owner or rights is named on stderr
    once per run."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return False
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            info = os.stat(folder)
        except OSError:
            return False
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not trusted(info):
        if str(folder) not in _WARNED:
            _WARNED.add(str(folder))
            print(f"Cảnh báo: không dùng bộ đệm {folder}: thư mục thuộc người khác hoặc người "
                  "khác ghi được; lệnh vẫn chạy, chỉ chậm hơn. Hãy đặt KEHOACH_CACHE_DIR là một "
                  "thư mục riêng của mình.", file=sys.stderr)
        return False
    return True


def read(path: Path) -> bytes | None:
    """The content of a cache file, or None if it is missing, unreadable, damaged, a link,
    or not the user's own."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not trusted(info):
            return None
        chunks = []
        while chunk := os.read(fd, max(info.st_size, 1 << 16)):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) < 4 or int.from_bytes(data[:4], "big") != zlib.crc32(data[4:]):
        return None
    return data[4:]


def write(path: Path, *chunks: bytes | memoryview) -> bool:
    """Put the bytes of `chunks`, joined, at `path` in one step; False (and nothing left
    behind) on any failure."""
    from kehoach_cli.atomic import replace_private
    from kehoach_cli.errors import KehoachError

    crc = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
    try:
        # The checksum as a chunk of its own: `prefix + data` would copy the whole cache.
        replace_private(path, crc.to_bytes(4, "big"), *chunks)
    except KehoachError:
        return False
    return True


# Cache files earlier versions wrote, one per plan (`<16 hex>.plan`) or per journal
# (`<16 hex>.nhat-ky`), which the packs replaced: nothing reads them any more.
_LEGACY_SUFFIXES = (".plan", ".nhat-ky")
_HEX = frozenset("0123456789abcdef")


def sweep_legacy(folder: Path) -> int:
    """Delete from `folder` the per-plan and per-journal cache files earlier versions wrote
    (the user's own regular files by exactly those names, nothing else), so that a cache
    folder does not keep a thousand dead files; how many went."""
    try:
        with os.scandir(folder) as items:
            stale = [item for item in items if _is_legacy(item.name)
                     and item.is_file(follow_symlinks=False)]
    except OSError:
        return 0
    removed = 0
    for item in stale:
        try:
            if trusted(item.stat(follow_symlinks=False)):
                os.unlink(item.path)
                removed += 1
        except OSError:
            continue
    return removed


def _is_legacy(name: str) -> bool:
    stem, dot, suffix = name.partition(".")
    return (bool(dot) and f".{suffix}" in _LEGACY_SUFFIXES and len(stem) == 16
            and set(stem) <= _HEX)
