"""Writing a whole file so that a crash or a second writer can never leave it torn.

The content is first made in memory (a plan or a report is tens of kilobytes), so a writer
such as python-docx's ZipFile never sees a full disk half way: there is nothing left to
close, and no `ZipFile.__del__` traceback after the message. It then goes to a hidden
temporary file in the target's folder, is flushed to disk, and is put in place in one step:
`os.replace` when overwriting is allowed, else a hard link, which fails if another process
created the target meanwhile (no check-then-write race). A target that is a symbolic link
is refused, never written through. Temporary files left by a killed process (`kill -9`,
power cut) are removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from kehoach_cli.errors import Conflict, ExitCode, KehoachError, os_reason
from kehoach_cli.safe_fs import O_NOFOLLOW, refuse_link, write_all

TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 3600  # a temp file older than this belongs to a writer that died


def _exists_message(target: Path) -> str:
    return f"{target}: tệp đã có; thêm --ghi-de để ghi đè, hoặc chọn tên khác"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _hide(path: Path) -> None:
    """Mark a temp file hidden on Windows, where a leading dot does not hide it."""
    if sys.platform != "win32":
        return
    import ctypes

    hidden = 0x2  # FILE_ATTRIBUTE_HIDDEN
    ctypes.windll.kernel32.SetFileAttributesW(str(path), hidden)


def _remove_stale(folder: Path, target: Path) -> None:
    """Remove the temp files of this target that a killed writer left behind.

    The folder is listed once per run: a run writing 1,000 cache files into one folder
    would otherwise list it 1,000 times (quadratic: 2 s for the first `list` of 1,000
    plans). A temp file left meanwhile by a writer killed in this very run is swept the
    next run.
    """
    key = os.path.abspath(folder)
    stale = _STALE.get(key)
    if stale is None:
        stale = _STALE[key] = _stale_temps(folder)
    prefix = _temp_prefix(target)
    for name in [name for name in stale if name.startswith(prefix)]:
        stale.remove(name)
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            continue


def _stale_temps(folder: Path) -> list[str]:
    limit = time.time() - STALE_SECONDS
    try:
        with os.scandir(folder) as items:
            return [item.name for item in items
                    if item.name.startswith(".") and item.name.endswith(TEMP_SUFFIX)
                    and item.is_file(follow_symlinks=False)
                    and item.stat(follow_symlinks=False).st_mtime < limit]
    except OSError:
        return []


_STALE: dict[str, list[str]] = {}  # per folder: the stale temp files not yet removed


def write_file(target: Path, write: Callable[[BinaryIO], None], *, overwrite: bool,
               private: bool = False, durable: bool = True) -> None:
    """Create (or, with `overwrite`, replace) `target` with what `write` puts in a stream.

    `private` keeps the file readable by the user alone (caches); without `durable` the
    data is not forced to disk first (a cache lost in a crash is only rebuilt).
    Raises `Conflict` when the file exists and `overwrite` is false, `LinkRefused` when it
    is a symbolic link, `KehoachError` (exit code IO) when the file system refuses; the
    target is then left as it was and no temporary file remains.
    """
    refuse_link(target)
    if target.exists() and not overwrite:
        raise Conflict(_exists_message(target))
    buffer = io.BytesIO()
    try:
        write(buffer)
    except OSError as exc:  # a writer that reads something (an image) as it writes
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None
    data = buffer.getvalue()
    folder = target.parent if str(target.parent) else Path(".")
    _remove_stale(folder, target)
    fd, temp = _random_temp(target, folder)
    try:
        try:
            _hide(temp)
            if not private:
                os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are not
            write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    except OSError as exc:
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None
    finally:
        with contextlib.suppress(OSError):  # a temp still open elsewhere (Windows): the
            temp.unlink(missing_ok=True)    # next write removes it once it is stale


def _random_temp(target: Path, folder: Path) -> tuple[int, Path]:
    """A new hidden-to-be temp file beside `target` (user-only, `mkstemp`), open for writing."""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=TEMP_SUFFIX,
                                         dir=folder)
    except OSError as exc:
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None
    return fd, Path(temp_name)


_OPEN_NEW = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))
_SERIAL = itertools.count()  # with the process id, names this process's temp files


def replace_private(target: Path, *chunks: bytes | memoryview) -> None:
    """`write_file(target, ..., overwrite=True, private=True, durable=False)` for bytes
    already in memory (`chunks`, written one after the other: a cache of tens of megabytes
    is never copied whole only to be written), in the fewest system calls: the plan cache
    writes a file per plan,
    1,000 of them on a cold run, where `mkstemp`'s random names, a `BytesIO` and the checks
    that only an overwrite-refusing writer needs cost more than the write itself.

    The same guarantees: a symbolic link at `target` is refused (`LinkRefused`), the data
    goes to a hidden temp file (user-only, named as `write_file` names them so a killed
    writer's is swept the same way) put in place by one `os.replace`, and on any failure
    (`KehoachError`, exit code IO) the target is left as it was and no temp file remains.
    """
    refuse_link(target)
    folder = target.parent if str(target.parent) else Path(".")
    _remove_stale(folder, target)
    temp = folder / f"{_temp_prefix(target)}{os.getpid():x}-{next(_SERIAL):x}{TEMP_SUFFIX}"
    try:
        # O_EXCL and O_NOFOLLOW: never an existing file, nor a link planted under this name.
        fd = os.open(temp, _OPEN_NEW, 0o600)
    except FileExistsError:
        # Left by a dead process that had the same id (ids are reused): a random name.
        fd, temp = _random_temp(target, folder)
    except OSError as exc:
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None
    try:
        try:
            _hide(temp)
            for chunk in chunks:
                write_all(fd, chunk)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):  # as in `write_file`: a temp still open elsewhere
            os.unlink(temp)                 # (Windows) is swept once it is stale
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None


def _link_new(temp: Path, target: Path) -> None:
    """Put `temp` at `target` only if nothing is there, even if a file appeared meanwhile."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise Conflict(_exists_message(target)) from None
    except OSError:
        # File systems without hard links (FAT, some network shares): the check at the top
        # is all that can be done there.
        os.replace(temp, target)


def write_text(target: Path, text: str, *, overwrite: bool) -> None:
    """`write_file` for UTF-8 text with LF line ends."""
    data = text.encode("utf-8")

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_file(target, write, overwrite=overwrite)
