"""`kehoach dong-bo` on top of git: first-time setup, then commit, integrate, push.

The order keeps local notes safe whatever happens: what is on this machine is committed
first (so nothing can be lost by what follows), then the shared repository's work is fetched
and merged (journal files merge by git's `union` driver, set in each journal folder's
`.gitattributes`; merge, not rebase, so no local commit is ever rewritten), then pushed. A
push refused because someone pushed meanwhile is retried after integrating again. A merge
that stops on a plan file is undone (`git merge --abort`): the local commit stays, and the
message says what to do. Counting: a journal line is a record, so the records sent and
received are the lines the journal files gained on each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach_cli.errors import Conflict, ExitCode, KehoachError, NotFound
from kehoach_cli.sync.git import GitFailed, is_denied, is_offline, is_rejected

if TYPE_CHECKING:
    from kehoach_cli.sync.git import Git, Run

REMOTE = "origin"
DEFAULT_BRANCH = "main"
PLANS = "plans"
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id of the empty tree
_PUSH_ATTEMPTS = 3
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^[^/\\\s]+@[^/\\\s]+:")
NOT_SET_UP = ("thư mục này chưa dùng chung với máy nào. Lần đầu, người giữ kế hoạch tạo kho "
              "chung: kehoach dong-bo --tao ĐƯỜNG_DẪN (một thư mục chia sẻ trong mạng, ổ USB, "
              "hoặc địa chỉ máy chủ git); các máy khác tham gia: kehoach dong-bo --tham-gia "
              "ĐƯỜNG_DẪN (xem docs/nhat-ky.md)")


class Offline(KehoachError):
    """The shared repository could not be reached; local work is kept."""

    exit_code = ExitCode.OFFLINE


@dataclass
class SyncResult:
    """What one `dong-bo` did."""

    remote: str
    sent: int = 0
    received: int = 0
    committed: bool = False
    notes: list[str] = field(default_factory=list)


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def _top(git: Git) -> Path | None:
    run = git.run("rev-parse", "--show-toplevel", check=False)
    return Path(run.out.strip()) if run.ok and run.out.strip() else None


def configure(git: Git, name: str) -> None:
    """Local settings that keep git from stopping to ask, and an identity if git has none.

    Local to this workspace's repository: nothing in the person's other repositories changes.
    """
    from kehoach_cli.journal.store import writer_slug

    for key, value in (("pull.rebase", "false"), ("merge.ff", "true"),
                       ("core.quotepath", "false"), ("commit.gpgsign", "false"),
                       ("core.editor", "true")):
        git.run("config", key, value)
    if not git.value("config", "user.name"):
        git.run("config", "user.name", name)
    if not git.value("config", "user.email"):
        git.run("config", "user.email", f"{writer_slug(name)}@kehoach.invalid")


def _records(git: Git, *revs: str) -> int:
    """Journal lines added between two states (`git diff --numstat`)."""
    run = git.run("diff", "--numstat", "--no-renames", *revs, "--", PLANS, check=False)
    total = 0
    for line in run.out.splitlines():
        added, _, path = line.split("\t", 2)
        if path.endswith(".jsonl") and added.isdigit():
            total += int(added)
    return total


def _branch(git: Git) -> str:
    return git.value("symbolic-ref", "--short", "HEAD") or DEFAULT_BRANCH


def _remote_url(git: Git) -> str:
    return git.value("config", "--get", f"remote.{REMOTE}.url")


def _offline(remote: str, committed: bool) -> Offline:
    kept = ("ghi nhận mới đã được lưu lại trên máy này" if committed
            else "ghi nhận trên máy này vẫn nguyên")
    return Offline(f"không kết nối được kho chung {remote} (mất mạng, máy chủ tắt, hoặc ổ "
                   f"chia sẻ/USB chưa cắm); {kept}, không mất gì. Khi kết nối lại, chạy lại: "
                   "kehoach dong-bo")


def _denied(remote: str) -> Offline:
    return Offline(f"kho chung {remote} không cho máy này đăng nhập (chưa có tài khoản, mật khẩu "
                   "hay khóa SSH trên máy này, hoặc không có quyền ghi); ghi nhận vẫn an toàn trên "
                   "máy. Hãy nhờ người phụ trách cài quyền truy cập kho chung, rồi chạy lại "
                   "kehoach dong-bo")


def _commit_local(git: Git, name: str) -> int | None:
    """Commit the plans folder; returns the records committed, None when nothing changed."""
    git.run("add", "-A", "--", PLANS)
    if git.run("diff", "--cached", "--quiet", check=False).ok:
        return None
    records = _records(git, "--cached")
    plan_changed = any(not line.endswith(".jsonl") for line in
                       git.value("diff", "--cached", "--name-only").splitlines())
    what = [f"{records} bản ghi nhật ký"] if records else []
    if plan_changed:
        what.append("thay đổi kế hoạch")
    git.run("commit", "-q", "-m", f"kehoach dong-bo: {' và '.join(what) or 'cập nhật'} của {name}")
    return records


def _integrate(git: Git, remote: str, branch: str, result: SyncResult,
               take_shared: bool = False) -> bool:
    """Fetch and merge the shared branch; False when the shared repository has no branch yet."""
    fetched = git.run("fetch", "-q", REMOTE, check=False)
    if not fetched.ok:
        if is_denied(fetched):
            raise _denied(remote)
        if is_offline(fetched):
            raise _offline(remote, result.committed)
        raise GitFailed(fetched)
    theirs = f"{REMOTE}/{branch}"
    if not git.run("rev-parse", "--verify", "-q", theirs, check=False).ok:
        return False
    if not git.run("rev-parse", "--verify", "-q", "HEAD", check=False).ok:
        # A new clone that has not committed anything: take the shared branch as it is.
        git.run("reset", "-q", theirs)
        git.run("checkout", "-q", "--", ".")
        result.received += _records(git, _EMPTY_TREE, "HEAD")
        return True
    result.received += _records(git, f"HEAD...{theirs}")
    merged = git.run("merge", "-q", "--no-edit", "-m", "kehoach dong-bo: gộp ghi nhận từ kho chung",
                     theirs, check=False)
    if not merged.ok:
        _merge_stopped(git, merged, take_shared, result)
    return True


def _merge_stopped(git: Git, merged: Run, take_shared: bool, result: SyncResult) -> None:
    conflicted = git.value("diff", "--name-only", "--diff-filter=U").splitlines()
    if not conflicted:
        raise GitFailed(merged)
    plans = [path for path in conflicted if not path.endswith(".jsonl")]
    if take_shared and len(plans) == len(conflicted):
        _take_shared(git, plans, result)
        return
    git.run("merge", "--abort", check=False)
    listed = ", ".join(plans or conflicted)
    raise Conflict(
        f"chưa gộp được với kho chung: {listed} bị sửa khác nhau ở máy này và ở máy khác. "
        "Ghi nhận của bạn vẫn an toàn trên máy này (đã lưu), chưa gửi đi; tệp kế hoạch trên máy "
        "vẫn là bản của bạn. Cách làm: thống nhất với người giữ kế hoạch bản nào đúng; nếu bản "
        "trên kho chung đúng, chạy: kehoach dong-bo --theo-kho-chung (bản của máy này được giữ "
        "lại một bản sao để đối chiếu); nếu bản của máy này đúng, người giữ kế hoạch sửa lại cho "
        "giống rồi mọi người chạy lại kehoach dong-bo. Xem docs/nhat-ky.md, mục “Khi tệp kế "
        "hoạch bị sửa ở hai nơi”")


def _take_shared(git: Git, paths: list[str], result: SyncResult) -> None:
    """Finish the merge with the shared version of each plan file; this machine's version is
    kept beside the workspace (outside plans/, so it is neither loaded nor shared)."""
    for path in paths:
        mine = git.run("show", f":2:{path}", check=False)
        if mine.ok:
            copy = git.cwd / f"{Path(path).name}.ban-cua-may-nay"
            copy.write_text(mine.out, encoding="utf-8")
            result.notes.append(f"đã lấy {path} theo kho chung; bản của máy này giữ ở {copy.name}")
        git.run("checkout", "--theirs", "--", path)
        git.run("add", "--", path)
    git.run("commit", "-q", "--no-edit", "-m", "kehoach dong-bo: lấy kế hoạch theo kho chung")


def _push(git: Git, remote: str, branch: str, result: SyncResult, take_shared: bool) -> None:
    for _ in range(_PUSH_ATTEMPTS):
        pushed = git.run("push", "-q", "-u", REMOTE, f"HEAD:refs/heads/{branch}", check=False)
        if pushed.ok:
            return
        if is_rejected(pushed):
            # Someone pushed between our fetch and our push: integrate their work, try again.
            _integrate(git, remote, branch, result, take_shared)
            continue
        if is_denied(pushed):
            raise _denied(remote)
        if is_offline(pushed):
            raise _offline(remote, result.committed)
        raise GitFailed(pushed)
    raise Conflict(f"kho chung {remote} thay đổi liên tục trong lúc gửi (đã thử "
                   f"{_PUSH_ATTEMPTS} lần); ghi nhận vẫn an toàn trên máy này; hãy chạy lại "
                   "kehoach dong-bo sau ít phút")


def _conflict_notes(root: Path) -> list[str]:
    from kehoach_cli.conflicts import JOURNAL_ADVICE, PLAN_ADVICE, conflict_copies

    folder = root / PLANS
    notes = [f"{path.relative_to(root)}: {PLAN_ADVICE}"
             for path in conflict_copies(folder, (".yaml", ".yml"))]
    for journal in sorted(folder.glob("*.nhat-ky")) if folder.is_dir() else []:
        notes.extend(f"{path.relative_to(root)}: {JOURNAL_ADVICE}"
                     for path in conflict_copies(journal, (".jsonl",)))
    return notes


def sync(git: Git, name: str, take_shared: bool = False) -> SyncResult:
    """Commit, integrate, push; raises a Vietnamese `KehoachError` on anything that stops it."""
    root = _top(git)
    remote = _remote_url(git) if root is not None else ""
    if root is None or not remote:
        raise NotFound(NOT_SET_UP)
    git.cwd = root
    configure(git, name)
    result = SyncResult(remote)
    before = git.value("rev-parse", "--verify", "-q", "HEAD")
    result.committed = _commit_local(git, name) is not None
    branch = _branch(git)
    has_branch = _integrate(git, remote, branch, result, take_shared)
    if not git.run("rev-parse", "--verify", "-q", "HEAD", check=False).ok:
        result.notes.append("chưa có gì để gửi: thư mục plans/ còn trống")
        return result
    shared = f"{REMOTE}/{branch}"
    result.sent = _records(git, f"{shared}...HEAD") if has_branch else _records(git, _EMPTY_TREE, "HEAD")
    if not before and not result.committed and not has_branch:
        return result
    _push(git, remote, branch, result, take_shared)
    result.notes.extend(_conflict_notes(root))
    return result


def create_shared(git: Git, target: str, name: str) -> SyncResult:
    """`--tao`: make the shared repository (a bare one on a folder, USB drive or share; at a
    URL it must already exist, empty) and send this workspace's plans to it."""
    cwd = git.cwd
    if not (cwd / PLANS).is_dir():
        raise NotFound(f"không có thư mục {PLANS}/ ở {cwd}: hãy chạy lệnh trong thư mục chứa kế "
                       "hoạch (người giữ kế hoạch tạo kho chung)")
    if is_url(target):
        remote = target.strip()
    else:
        path = Path(target).expanduser().resolve()
        if path.exists() and any(path.iterdir()):
            if not (path / "HEAD").is_file():
                raise Conflict(f"{path}: thư mục đã có tệp mà không phải kho chung của kehoach; "
                               "hãy chọn một thư mục mới hoặc trống (ví dụ \\\\may-chu\\chung\\kehoach.git)")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                from kehoach_cli.errors import os_reason

                raise KehoachError(f"{path.parent}: không tạo được thư mục ({os_reason(exc)})",
                                   ExitCode.IO) from None
            git.run("init", "-q", "--bare", "-b", DEFAULT_BRANCH, str(path))
        remote = str(path)
    top = _top(git)
    if top is None:
        git.run("init", "-q", "-b", DEFAULT_BRANCH)
    current = _remote_url(git)
    if current and current != remote:
        raise Conflict(f"thư mục này đã dùng chung với kho {current}; muốn đổi sang {remote} thì "
                       f"sửa bằng: git remote set-url {REMOTE} {remote}")
    if not current:
        git.run("remote", "add", REMOTE, remote)
    return sync(git, name)


def join_shared(git: Git, source: str, name: str) -> SyncResult:
    """`--tham-gia`: make this folder a copy of the shared repository, then sync."""
    remote = source.strip() if is_url(source) else str(Path(source).expanduser().resolve())
    top = _top(git)
    if top is not None and top.resolve() == git.cwd.resolve():
        current = _remote_url(git)
        if current and current != remote:
            raise Conflict(f"thư mục này đã dùng chung với kho {current}, không phải {remote}")
        if not current:
            git.run("remote", "add", REMOTE, remote)
        return sync(git, name)
    git.run("init", "-q", "-b", DEFAULT_BRANCH)
    git.run("remote", "add", REMOTE, remote)
    configure(git, name)
    fetched = git.run("fetch", "-q", REMOTE, check=False)
    if not fetched.ok:
        _undo_join(git)
        if is_denied(fetched):
            raise _denied(remote)
        if is_offline(fetched):
            raise Offline(f"không mở được kho chung {remote}: kiểm tra đường dẫn (ổ chia sẻ, USB đã "
                          "cắm chưa) hoặc mạng, rồi chạy lại lệnh")
        raise GitFailed(fetched)
    branches = git.value("for-each-ref", "--format=%(refname:short)", f"refs/remotes/{REMOTE}")
    names = [b.split("/", 1)[1] for b in branches.splitlines() if "/" in b and not b.endswith("/HEAD")]
    if not names:
        _undo_join(git)
        raise NotFound(f"kho chung {remote} còn trống: người giữ kế hoạch cần chạy trước "
                       "kehoach dong-bo --tao trên máy của mình")
    branch = DEFAULT_BRANCH if DEFAULT_BRANCH in names else names[0]
    checked = git.run("checkout", "-q", "-b", branch, "--track", f"{REMOTE}/{branch}", check=False)
    if not checked.ok:
        _undo_join(git)
        raise Conflict("trong thư mục này đã có tệp trùng tên với tệp của kho chung (ví dụ "
                       f"{PLANS}/...); hãy tham gia ở một thư mục trống, rồi chép ghi nhận cũ "
                       "(nếu có) sang đó")
    result = SyncResult(remote)
    result.received = _records(git, _EMPTY_TREE, "HEAD")
    more = sync(git, name)
    more.received += result.received
    return more


def _undo_join(git: Git) -> None:
    """Leave the folder as it was before a join that could not finish."""
    import shutil

    shutil.rmtree(git.cwd / ".git", ignore_errors=True)
