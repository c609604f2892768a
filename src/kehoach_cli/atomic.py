"""Writing a whole file so that a crash or a second writer can never leave it torn.

The content goes to a temporary file in the target's folder, is flushed to disk, and is
then put in place in one step: `os.replace` when overwriting is allowed, else a hard link,
which fails if another process created the target meanwhile (no check-then-write race).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from kehoach_cli.errors import Conflict, ExitCode, KehoachError, os_reason


def _exists_message(target: Path) -> str:
    return f"{target}: tệp đã có; thêm --ghi-de để ghi đè, hoặc chọn tên khác"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(target: Path, write: Callable[[BinaryIO], None], *, overwrite: bool,
               private: bool = False, durable: bool = True) -> None:
    """Create (or, with `overwrite`, replace) `target` with what `write` puts in a stream.

    `private` keeps the file readable by the user alone (caches); without `durable` the
    data is not forced to disk first (a cache lost in a crash is only rebuilt).
    Raises `Conflict` when the file exists and `overwrite` is false, `KehoachError` (exit
    code IO) when the file system refuses; the target is then left as it was, and no
    temporary file remains.
    """
    if target.exists() and not overwrite:
        raise Conflict(_exists_message(target))
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None
    temp = Path(temp_name)
    try:
        if not private:
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are not
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    except OSError as exc:
        raise KehoachError(f"{target}: không ghi được ({os_reason(exc)})", ExitCode.IO) from None
    finally:
        temp.unlink(missing_ok=True)


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
