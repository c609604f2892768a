"""A cache of validated plans, so commands skip YAML parsing and Pydantic on unchanged files.

One pack file per plans folder holds an entry per plan file, keyed by its name, valid while
the file's bytes have the size and CRC-32 they had when it was validated. Plans are small
(tens of KB, 4 MB at most), so reading and checksumming them costs little (1,000 plans: a
few tens of ms), and unlike a stamp of times, no edit can keep it: not one that keeps the
size and puts the old modification time back, nor one that lands within the file system's
time tick. The pack is also keyed by the version of the code that defines the model.

One pack rather than a file per plan: creating a file costs the kernel 50-700 µs on a
busy disk, so a cold run over 1,000 plans spent up to 0.6 s of system time creating cache
files, where one 8 MB pack is written in about 10 ms. The plans a command loads in a
`batch()` (every plan of a workspace) are written once, when the batch ends; a plan loaded
outside one is written at once. A writer merges what is on disk when it writes, so two
runs at once each leave a whole pack (at worst one's new entries are missed and validated
again next time); entries for files no longer in the folder are dropped then.

Stored as MessagePack (msgspec): the pack's entries stay undecoded (`msgspec.Raw`) until
a plan is asked for, then decode into the model's own dataclasses. A cache file holds data
only, and one that does not fit the model is a miss, so a planted file cannot run code.
Files and folder are used only if they are the user's own (`cachefiles`), and a damaged
pack (its CRC-32 is checked) is a miss. A missing, stale or unreadable entry only costs a
re-read. The cache lives outside the plans folder so it is never committed or shared.
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
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
    # Only the variables that decide it are looked up (each costs a few µs).
    env = os.environ
    override = env.get("KEHOACH_CACHE_DIR")
    if override:
        return _cache_dir(override)
    if sys.platform == "win32":
        return _cache_dir(None, env.get("LOCALAPPDATA"), env.get("USERPROFILE"))
    return _cache_dir(None, env.get("XDG_CACHE_HOME"), env.get("HOME"))


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


def _locate(path: Path) -> tuple[Path, str, str]:
    """The pack file of `path`'s folder, that folder (links resolved) and the file's name.

    `get` and `put` both ask, for each of 1,000 plans: worked out once per spelling of the
    path, working folder and cache folder.
    """
    return _located(os.fspath(path), os.getcwd(), cache_dir())


@lru_cache(maxsize=8192)
def _located(name: str, _cwd: str, _cache: Path) -> tuple[Path, str, str]:
    key = _key(Path(name))
    folder, base = os.path.split(key)
    return _entry(key), folder, base


def _key(path: Path) -> str:
    # The plan's folder, links resolved, and its name: `plans/kh160.yaml` and its absolute
    # spelling share an entry. Resolving costs a `lstat` per part of the path, 8,000 calls
    # for 1,000 plans, so each folder is resolved once per run. Only the choice of entry
    # depends on it: a hit also needs the bytes validated (`stamp_of`), and the plan is a
    # function of them alone, so a name resolved differently can only cost a miss.
    folder, base = os.path.split(os.path.abspath(path))
    return os.path.join(_real_folder(folder), base)


@cache
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _entry(key: str) -> Path:
    """The pack file that holds the entry of `key` (the entries of its whole folder)."""
    return _pack_file(os.path.dirname(key), cache_dir())


@lru_cache(maxsize=256)
def _pack_file(folder: str, cache_folder: Path) -> Path:
    # Once per folder: 1,000 plans of one folder share it.
    return cachefiles.named_for(cache_folder, folder, ".pack")


def encodable(name: str) -> bool:
    """Whether MessagePack can hold `name`: a file name in bytes that are not UTF-8 comes
    from the file system as lone surrogates, which no UTF-8 text can carry."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stamp_of(raw: bytes) -> Stamp:
    """What a plan file's bytes must still have for its cache entry to hold."""
    return len(raw), zlib.crc32(raw)


# An entry: the plan file's size and CRC-32, and the plan's MessagePack (`msgspec.Raw`
# when read from the pack, left undecoded until asked for; bytes when made by this run).
Entry = tuple[int, int, Any]
Signature = tuple[int, int, int, int, int, int] | None


@dataclass
class _Pack:
    """What this run knows of one pack file: the entries read from it, and those to add."""

    folder: str
    signature: Signature = None  # the file's lstat when read: changed, it is read again
    held: dict[str, Entry] = field(default_factory=dict)
    pending: dict[str, Entry] = field(default_factory=dict)  # not yet written


_PACKS: dict[Path, _Pack] = {}
_MAX_PACKS = 16  # a long-lived process (the tests) meets many cache folders
_depth = 0  # how many `batch()` blocks are open


def _signature(target: Path) -> Signature:
    # The change time moves with every write, rename and chmod: any of them reads it again.
    try:
        info = os.lstat(target)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
            info.st_mode)


@cache
def _pack_decoder() -> msgspec.msgpack.Decoder[Any]:
    import msgspec

    # (code version, folder, {file name: (size, CRC-32, plan)}), as `_write` writes it.
    return msgspec.msgpack.Decoder(
        tuple[tuple[str, int, int], str, dict[str, tuple[int, int, msgspec.Raw]]])


@cache
def _plan_decoder() -> msgspec.msgpack.Decoder[model.Plan]:
    import msgspec

    return msgspec.msgpack.Decoder(model.Plan)


def _read_pack(target: Path, folder: str) -> dict[str, Entry]:
    """The entries of the pack at `target` if it is sound, the user's, of this code and of
    `folder`; else none."""
    if not cachefiles.usable_folder(target.parent, create=False):
        return {}
    data = cachefiles.read(target)
    if data is None:
        return {}
    import msgspec

    try:
        version, owner, entries = _pack_decoder().decode(data)
    except msgspec.DecodeError:
        return {}
    if version != _code_version() or owner != folder:
        return {}
    held: dict[str, Entry] = entries
    return held


def _pack(target: Path, folder: str) -> _Pack:
    """This run's view of the pack at `target`, read again if the file changed."""
    pack = _PACKS.get(target)
    signature = _signature(target)
    if pack is None or pack.folder != folder:
        if len(_PACKS) >= _MAX_PACKS:
            for stale in [t for t, p in _PACKS.items() if not p.pending]:
                del _PACKS[stale]
        pack = _PACKS[target] = _Pack(folder, signature, _read_pack(target, folder))
    elif pack.signature != signature:
        pack.signature, pack.held = signature, _read_pack(target, folder)
    return pack


def get(path: Path, raw: bytes, stamp: Stamp | None = None) -> model.Plan | None:
    """The cached plan for `path`, whose bytes are `raw` (of `stamp_of` `stamp`, if the
    caller has it already), if they are those validated."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return None
    target, folder, name = _locate(path)
    pack = _pack(target, folder)
    entry = pack.pending.get(name) or pack.held.get(name)
    if entry is None or (entry[0], entry[1]) != (stamp or stamp_of(raw)):
        return None
    import msgspec

    try:
        plan: model.Plan = _plan_decoder().decode(entry[2])
    except msgspec.DecodeError:
        return None
    return plan


def put(path: Path, raw: bytes, plan: model.Plan) -> None:
    """Remember a validated plan: at the end of the `batch()` under way, else at once.
    Failures (read-only disk, a refused folder) are ignored."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return
    import msgspec

    target, folder, name = _locate(path)
    pack = _pack(target, folder)
    try:
        data = msgspec.msgpack.encode(plan)
    except (TypeError, ValueError):  # pragma: no cover - the model is plain data
        return
    pack.pending[name] = (*stamp_of(raw), data)
    if not _depth:
        _write(target, pack)


@contextmanager
def batch() -> Iterator[None]:
    """Write the plans put meanwhile in one step per pack when the block ends (also when it
    raises: the plans validated so far are still valid)."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth:
            flush()


def flush() -> None:
    """Write every plan put and not yet written."""
    for target, pack in list(_PACKS.items()):
        if pack.pending:
            _write(target, pack)


def _write(target: Path, pack: _Pack) -> None:
    """Merge this run's entries into the pack on disk and write it whole, atomically."""
    pending, pack.pending = pack.pending, {}
    if not encodable(pack.folder):
        return  # a folder named in bytes that are not UTF-8: its plans are simply not cached
    if not cachefiles.usable_folder(target.parent, create=True):
        return
    import msgspec

    signature = _signature(target)
    if signature != pack.signature:  # another run wrote it meanwhile: keep its entries
        pack.signature, pack.held = signature, _read_pack(target, pack.folder)
    entries = {**pack.held, **pending}
    try:
        present = set(os.listdir(pack.folder))
    except OSError:
        present = None
    if present is not None:  # entries for plans deleted or renamed since would only grow it
        entries = {name: entry for name, entry in entries.items() if name in present}
    data = msgspec.msgpack.encode(
        (_code_version(), pack.folder,
         {name: (size, crc, plan if isinstance(plan, msgspec.Raw) else msgspec.Raw(plan))
          for name, (size, crc, plan) in entries.items() if encodable(name)}))
    if cachefiles.write(target, data):
        pack.held, pack.signature = entries, _signature(target)
