"""Errors meant for the user, with their exit codes: the one place both are defined.

Domain code raises `KehoachError` (or a subclass) with a Vietnamese message; the CLI's single
boundary prints it on stderr and exits with its code. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import errno
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehoach_cli.problems import Problem


class ExitCode(IntEnum):
    """Exit codes of every command."""

    OK = 0
    INVALID_PLAN = 1  # a plan or journal file has errors (kehoach check)
    USAGE = 2  # a bad option or argument (same code as Click's usage errors)
    NOT_FOUND = 3  # an unknown task, body, plan or file
    AMBIGUOUS = 4  # a name or task id that matches several things
    CONFLICT = 5  # refusing to overwrite, a lock that could not be taken
    IO = 6  # the file system refused a read or write
    OFFLINE = 7  # the shared repository could not be reached (kehoach dong-bo)


class KehoachError(Exception):
    """An error the user can fix; `message` is Vietnamese and names what to do."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class PlanInvalid(KehoachError):
    """A plan file failed to load; the message lists every problem found."""

    exit_code = ExitCode.INVALID_PLAN

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class NotFound(KehoachError):
    """Something named by the user does not exist."""

    exit_code = ExitCode.NOT_FOUND


class Ambiguous(KehoachError):
    """A name matches several things; the message lists the candidates."""

    exit_code = ExitCode.AMBIGUOUS


class Conflict(KehoachError):
    """The operation would overwrite or race with something."""

    exit_code = ExitCode.CONFLICT


_OS_REASONS = {
    errno.ENOENT: "thư mục hoặc tệp không tồn tại",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EEXIST: "tệp đã có",
    errno.EBUSY: "tệp đang được chương trình khác dùng",
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def os_reason(exc: OSError) -> str:
    """Why the file system refused, in Vietnamese (the OS's own text is often English)."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    return exc.strerror or str(exc)
