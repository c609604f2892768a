"""A cache of validated plans, so commands skip YAML parsing and Pydantic on unchanged files.

Keyed by the plan's absolute path, size and modification time, and by the version of the
code that defines the model. A missing, stale or unreadable entry only costs a re-read;
writes go to a temporary file and are renamed into place, so a crash leaves no torn entry.
The cache lives outside the plans folder so it is never committed or shared.
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any

from kehoach_cli import __version__
from kehoach_cli.plan import model, timeframe


def cache_dir() -> Path:
    """KEHOACH_CACHE_DIR, else the platform's user cache folder."""
    override = os.environ.get("KEHOACH_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "kehoach" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kehoach"


def _code_version() -> tuple[Any, ...]:
    # Editing the model (or upgrading) must invalidate old pickles of its classes.
    return (__version__, os.stat(model.__file__).st_mtime_ns,
            os.stat(timeframe.__file__).st_mtime_ns)


def _key(path: Path) -> str:
    return str(path.resolve())


def _entry(key: str) -> Path:
    # Two 32-bit checksums name the file (hashlib costs 4 ms of start-up); the full path is
    # stored inside and compared, so a collision is only a cache miss.
    data = key.encode("utf-8")
    return cache_dir() / f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.pickle"


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def get(path: Path) -> model.Plan | None:
    """The cached plan for `path` if the file is unchanged since it was validated."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return None
    key = _key(path)
    try:
        with _entry(key).open("rb") as handle:
            version, owner, stamp, plan = pickle.load(handle)
        if (version == _code_version() and owner == key and stamp == _stamp(path)
                and isinstance(plan, model.Plan)):
            return plan
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            ImportError):
        return None
    return None


def put(path: Path, plan: model.Plan, stamp: tuple[int, int]) -> None:
    """Remember a validated plan; failures (read-only disk) are ignored."""
    if os.environ.get("KEHOACH_NO_CACHE"):
        return
    import tempfile  # only when writing: it costs start-up time every command would pay

    key = _key(path)
    target = _entry(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((_code_version(), key, stamp, plan), handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        return
