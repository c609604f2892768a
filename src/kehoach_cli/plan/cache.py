"""A cache of validated plans, so commands skip YAML parsing and Pydantic on unchanged files.

Keyed by the plan's absolute path, and valid while the file's bytes have the size and
CRC-32 they had when it was validated. Plans are small (tens of KB, 4 MB at most), so
reading and checksumming them costs little (1,000 plans: a few tens of ms), and unlike a
stamp of times, no edit can keep it: not one that keeps the size and puts the old
modification time back, nor one that lands within the file system's time tick. Also keyed
by the version of the code that defines the model.

Stored as MessagePack (msgspec) decoded into the model's own dataclasses: a cache file
holds data only, and one that does not fit the model is a miss, so a planted file cannot
run code. Files and folder are used only if they are the user's own (`cachefiles`). A
missing, stale or unreadable entry only costs a re-read. The cache lives outside the plans
folder so it is never committed or shared.
"""

from __future__ import annotations

import os
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach_cli import __version__, cachefiles
from kehoach_cli.plan import model, timeframe
from kehoach_cli.safe_fs import home

if TYPE_CHECKING:
    import msgspec

Stamp = tuple[int, int]


def cache_dir() -> Path:
    """KEHOACH_CACHE_DIR, else the platform's user cache folder."""
    # Asked once per plan and per journal (2,000 times for 1,000 plans): worked out once per
    # value of the variables it depends on (tests change them between runs in-process).
    env = os.environ
    return _cache_dir(env.get("KEHOACH_CACHE_DIR"), env.get("XDG_CACHE_HOME"),
                      env.get("LOCALAPPDATA"), env.get("HOME"), env.get("USERPROFILE"))


@cache
def _cache_dir(override: str | None, *_depends_on: str | None) -> Path:
    if override:
        return Path(override)
    try:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or home() / "AppData" / "Local")
            return base / "kehoach" / "cache"
        return Path(os.environ.get("XDG_CACHE_HOME") or home() / ".cache") / "kehoach"
    except OSError:
        # No home folder (no HOME, a user id without a passwd entry): a folder that can
        # never exist, so both caches are simply not used.
        return Path(os.devnull) / "kehoach"


@cache
def _code_version() -> tuple[str, int, int]:
    # Editing the model (or upgrading) must invalidate entries made for its old shape.
    return (__version__, os.stat(model.__file__).st_mtime_ns,
            os.stat(timeframe.__file__).st_mtime_ns)


def _key(path: Path) -> str:
    # The plan's folder, links resolved, and its name: `plans/kh160.yaml` and its absolute
    # spelling share an entry. Resolving costs a `lstat` per part of the path, 8,000 calls
    # for 1,000 plans, so each folder is resolved once per run. Only the choice of entry
    # depends on it: a hit also needs the bytes validated (`stamp_of`), and the plan is a
    # function of them alone, so a name resolved differently can only cost a miss.
    name = os.path.abspath(path)
    folder, base = os.path.split(name)
    return os.path.join(_real_folder(folder), base)


@cache
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _entry(key: str) -> Path:
    # Two 32-bit checksums name the file (hashlib costs 4 ms of start-up); the full path is
    # stored inside and compared, so a collision is only a cache miss.
    data = key.encode("utf-8")
    return cache_dir() / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.plan"


def stamp_of(raw: bytes) -> Stamp:
    """What a plan file's bytes must still have for its cache entry to hold."""
    return len(raw), zlib.crc32(raw)


@cache
def _decoder() -> msgspec.msgpack.Decoder[Any]:
    import msgspec

    class Held(msgspec.Struct, array_like=True):
        version: tuple[str, int, int]
        owner: str
        stamp: tuple[int, int]
        plan: model.Plan

    return msgspec.msgpack.Decoder(Held)


def get(path: Path, raw: bytes) -> model.Plan | None:
    """The cached plan for `path`, whose bytes are `raw`, if they are those validated."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return None
    key = _key(path)
    target = _entry(key)
    if not cachefiles.usable_folder(target.parent, create=False):
        return None
    data = cachefiles.read(target)
    if data is None:
        return None
    import msgspec

    try:
        held = _decoder().decode(data)
    except msgspec.DecodeError:
        return None
    if held.version == _code_version() and held.owner == key and held.stamp == stamp_of(raw):
        plan: model.Plan = held.plan
        return plan
    return None


def put(path: Path, raw: bytes, plan: model.Plan) -> None:
    """Remember a validated plan; failures (read-only disk, a refused folder) are ignored."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return
    import msgspec

    key = _key(path)
    target = _entry(key)
    if not cachefiles.usable_folder(target.parent, create=True):
        return
    try:
        data = msgspec.msgpack.encode((_code_version(), key, stamp_of(raw), plan))
    except (TypeError, ValueError):  # pragma: no cover - the model is plain data
        return
    cachefiles.write(target, data)
