"""File-system guards shared by every writer: no write through a symbolic link.

A plans folder is shared through git, so a collaborator can commit a journal file that is a
link to `~/.bashrc`; the next `kehoach log` would append to it. Writers check the folder and
the file with `lstat` and open with `O_NOFOLLOW` where the platform has it (the check then
also holds against a link swapped in between).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from kehoach_cli.errors import ExitCode, KehoachError

# 0 where the platform has no such flag (Windows): the lstat check is then what holds.
O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)


class LinkRefused(KehoachError):
    """A path to be written is a symbolic link (or a junction): nothing is written."""

    exit_code = ExitCode.IO


def is_link(path: Path) -> bool:
    """Whether `path` itself is a symbolic link or a Windows junction (never followed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return True
    # A junction is a reparse point, not a symlink, but is followed just the same.
    reparse = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0)
    return bool(reparse and getattr(info, "st_file_attributes", 0) & reparse)


def refuse_link(path: Path, what: str = "tệp") -> None:
    """Raise `LinkRefused` naming `path` when it is a link: writers never follow one."""
    if not is_link(path):
        return
    try:
        points_to = f" trỏ tới {os.readlink(path)}"
    except (OSError, ValueError):
        points_to = ""
    raise LinkRefused(f"{path}: {what} là liên kết tượng trưng (symlink){points_to}; kehoach không ghi qua "
                      "liên kết. Hãy xóa liên kết (có thể do ai đó đưa vào git) rồi thử lại")


def write_all(fd: int, data: bytes | memoryview) -> None:
    """Every byte through `os.write`; a write that makes no progress is a full disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def home() -> Path:
    """The user's home folder; raises `OSError` when there is none (no HOME, and a user id
    with no entry in the password database, as in some containers)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError) as exc:
        raise OSError(f"không xác định được thư mục nhà của người dùng ({exc})") from None
