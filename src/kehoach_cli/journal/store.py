"""The progress journal: sidecar files next to each plan, appended to and never rewritten.

Layout. A plan `plans/kh160.yaml` keeps its notes in the folder `plans/kh160.nhat-ky/`
(the folder's suffix is not .yaml, so plan discovery never mistakes it for a plan), one
file per writer per month of recording::

    plans/kh160.nhat-ky/
      .gitattributes              *.jsonl merge=union text eol=lf
      .gitignore                  .lock
      2025-11.nguyen-van-a.jsonl  one JSON object per line
      2025-11.tran-thi-b.jsonl

Why this shape:
- Every line is a whole, self-contained record with a unique random id, and lines are only
  ever appended. That is exactly the case git's built-in `union` merge driver handles: when
  two clones append to the same file, the merge keeps both sides' new lines, no conflict,
  each line once (order inside the file does not matter: readers sort).
- One file per writer means two people on two machines usually touch different files, so
  most pulls do not even need the driver; one file per month keeps files small, and closed
  months never change again, so old history never takes part in a merge.
- The folder writes its own `.gitattributes` when it is created, so the rule travels with
  the journal into whatever repository the plans folder lives in.

Appends take an OS-level lock (filelock, on Windows and POSIX) on `.lock` in the folder,
check the last byte of the target file, and write one line with a single `os.write`: the
cost does not depend on the file's size, nothing is read-modified-written, and a line torn
by a crash is ended before the next record starts, so the damage stays on its own line.

Reading (`journal/read.py`) never stops at damage; corrections and retractions are records
too (`sua_cho`, `huy`), applied there.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach_cli.errors import Conflict, ExitCode, KehoachError, os_reason
from kehoach_cli.journal.format import encode
from kehoach_cli.problems import Problem
from kehoach_cli.safe_fs import O_NOFOLLOW, is_link, refuse_link, write_all
from kehoach_cli.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.loader import LoadedPlan

SIDECAR_SUFFIX = ".nhat-ky"
RECORD_SUFFIX = ".jsonl"
LOCK_NAME = ".lock"
LOCK_TIMEOUT = 30.0  # seconds: appends take milliseconds, so this only trips on a stuck lock
GITATTRIBUTES = (
    "# Nhật ký tiến độ của kehoach: mỗi dòng là một ghi nhận trọn vẹn, chỉ ghi thêm, không sửa.\n"
    "# merge=union: khi hai máy cùng ghi thêm vào một tệp, git giữ dòng mới của cả hai bên\n"
    "# mà không báo xung đột; eol=lf: giữ một kiểu xuống dòng trên mọi máy.\n"
    "*.jsonl merge=union text eol=lf\n"
)
GITIGNORE = "# Tệp khóa khi đang ghi, không đưa vào git.\n.lock\n"
_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u
ID_LENGTH = 10  # 50 random bits: no collision in millions of entries
MIN_ID_PREFIX = 4
_SLUG = re.compile(r"[^0-9a-z]+")


def new_id() -> str:
    """A random entry id, short enough to type (`kehoach sua k7m2x9`), unique in practice."""
    # os.urandom rather than `secrets`, whose import pulls hmac and hashlib (+4 ms a start).
    return _id_of(os.urandom(7))


def derived_id(*parts: str) -> str:
    """An entry id that is always the same for the same `parts` (a form id and a row), so
    importing the same filled form twice finds the entries it made the first time."""
    import hashlib

    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=7).digest()
    return _id_of(digest)


def _id_of(seed: bytes) -> str:
    number = int.from_bytes(seed, "big")
    digits = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, 32)
        digits.append(_ID_ALPHABET[digit])
    return "".join(digits)


def sidecar_dir(plan_path: Path) -> Path:
    """The journal folder of a plan file: plans/kh160.yaml -> plans/kh160.nhat-ky/."""
    return plan_path.with_name(plan_path.stem + SIDECAR_SUFFIX)


def writer_slug(name: str) -> str:
    """An ASCII file-name part for a writer: "Nguyễn Văn A" -> "nguyen-van-a"."""
    slug = _SLUG.sub("-", fold(name)).strip("-")[:40].strip("-")
    return slug or "khong-ro"


def sidecar_file(plan_path: Path, nguoi_ghi: str, ghi_luc: datetime) -> Path:
    """The file an entry recorded by `nguoi_ghi` at `ghi_luc` is appended to."""
    return sidecar_dir(plan_path) / f"{ghi_luc:%Y-%m}.{writer_slug(nguoi_ghi)}{RECORD_SUFFIX}"


# --- writing -----------------------------------------------------------------------------


def _create_exclusive(path: Path, text: str) -> None:
    """Write a new file; leave an existing one (even one the user edited) alone."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(text.encode("utf-8"))


def _ensure_folder(folder: Path) -> None:
    refuse_link(folder, "thư mục nhật ký")
    if folder.is_dir():
        return
    folder.mkdir(exist_ok=True)
    _create_exclusive(folder / ".gitattributes", GITATTRIBUTES)
    _create_exclusive(folder / ".gitignore", GITIGNORE)


def _append_line(target: Path, data: bytes) -> None:
    """Append `data` (one line with its newline) to `target`, after ending a torn last line.

    Reads at most one byte of the file, whatever its size. A write that fails or stops
    short (a full disk) is undone: the file is cut back to its size before, under the lock
    the caller holds, so no half record is left for every later read to trip over.
    """
    refuse_link(target, "tệp nhật ký")
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | O_NOFOLLOW | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(target, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link swapped in after the check
            refuse_link(target, "tệp nhật ký")
        raise
    try:
        size = os.fstat(fd).st_size
        if size:
            os.lseek(fd, size - 1, os.SEEK_SET)
            if os.read(fd, 1) != b"\n":
                data = b"\n" + data  # a crash left a torn line: never write onto its end
        try:
            write_all(fd, data)
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def append_entry(loaded_plan: LoadedPlan, entry: Entry) -> Path:
    """Append one entry to the plan's journal, atomically and under a lock; return the file.

    O(1) in the size of the journal: the file is opened for appending, only its last byte is
    read, and the record goes out in one write.
    """
    return append_entries(loaded_plan, [entry])[0]


def append_entries(loaded_plan: LoadedPlan, entries: Sequence[Entry]) -> list[Path]:
    """Append entries under one lock, one write and one flush to disk per target file (an
    imported form brings tens of entries at once); return the files written, in order."""
    from filelock import FileLock, Timeout

    batches: dict[Path, list[str]] = {}
    for entry in entries:
        target = sidecar_file(loaded_plan.path, entry.nguoi_ghi, entry.ghi_luc)
        batches.setdefault(target, []).append(encode(entry) + "\n")
    if not batches:
        return []
    folder = sidecar_dir(loaded_plan.path)
    target = folder
    try:
        _ensure_folder(folder)
        # The lock file is opened with O_TRUNC: a planted link would empty its target.
        refuse_link(folder / LOCK_NAME, "tệp khóa")
        with FileLock(str(folder / LOCK_NAME), timeout=LOCK_TIMEOUT):
            for target, lines in batches.items():
                _append_line(target, "".join(lines).encode("utf-8"))
    except Timeout:
        raise Conflict(f"{folder}: đang có người khác ghi nhật ký (khóa {LOCK_NAME} bị giữ quá "
                       f"{LOCK_TIMEOUT:.0f} giây); hãy thử lại sau") from None
    except OSError as exc:
        raise KehoachError(f"{target}: không ghi được nhật ký ({os_reason(exc)})",
                           ExitCode.IO) from None
    return list(batches)


def link_problems(loaded_plan: LoadedPlan) -> list[Problem]:
    """Links in a plan's journal folder, or the folder itself a link: `log` refuses to write
    through them, and one committed by someone else may point anywhere on the machine."""
    folder = sidecar_dir(loaded_plan.path)
    message = "là liên kết tượng trưng (symlink): nhật ký không được là liên kết; hãy xóa nó"
    if is_link(folder):
        return [Problem(folder, None, None, "", f"thư mục nhật ký {message}")]
    try:
        with os.scandir(folder) as items:
            links = sorted(item.name for item in items if is_link(folder / item.name))
    except OSError:
        return []
    return [Problem(folder / name, None, None, "", f"tệp {message}") for name in links]
