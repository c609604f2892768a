"""Running git for `kehoach dong-bo`: never an editor, never a question, English kept out of
sight.

Every call runs the real `git` (the engine is git's own, not reimplemented) with an
environment that forbids prompts and editors (GIT_EDITOR=true, GIT_TERMINAL_PROMPT=0,
GIT_MERGE_AUTOEDIT=no, ssh in batch mode) and with C locale messages, so failures can be
recognised and explained in Vietnamese. git's own output is returned to the caller, which
shows it only when asked (--chi-tiet).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kehoach_cli.errors import ExitCode, KehoachError

_NO_QUESTIONS = {
    "GIT_EDITOR": "true",
    "GIT_SEQUENCE_EDITOR": "true",
    "GIT_MERGE_AUTOEDIT": "no",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GCM_INTERACTIVE": "never",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=15",
    "LC_ALL": "C",
    "LANGUAGE": "C",
}


@dataclass(frozen=True)
class Run:
    """One git call and what it printed."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.code == 0

    @property
    def text(self) -> str:
        return f"$ git {' '.join(self.args)}\n{self.out}{self.err}".rstrip()


class Git:
    """git in one working folder; `log` keeps every call for --chi-tiet."""

    def __init__(self, cwd: Path) -> None:
        exe = shutil.which("git")
        if exe is None:
            raise KehoachError("chưa cài git trên máy này: hãy cài Git cho Windows "
                               "(https://git-scm.com, chọn mặc định) rồi chạy lại; hoặc dùng thư "
                               "mục chia sẻ (OneDrive, Google Drive...) như docs/nhat-ky.md hướng dẫn",
                               ExitCode.NOT_FOUND)
        self.exe = exe
        self.cwd = cwd
        self.log: list[Run] = []
        env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")
               or key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_SSH")}
        env.update(_NO_QUESTIONS)
        if "GIT_SSH" in env:
            env.pop("GIT_SSH_COMMAND")
        self.env = env

    def run(self, *args: str, check: bool = True, cwd: Path | None = None) -> Run:
        """Run `git ARGS`; with `check`, a failure raises `GitFailed` carrying the run."""
        try:
            proc = subprocess.run([self.exe, *args], cwd=cwd or self.cwd, env=self.env,
                                  capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", stdin=subprocess.DEVNULL, check=False,
                                  timeout=300)
        except subprocess.TimeoutExpired:
            run = Run(tuple(args), 124, "", "timeout\n")
        else:
            run = Run(tuple(args), proc.returncode, proc.stdout, proc.stderr)
        self.log.append(run)
        if check and not run.ok:
            raise GitFailed(run)
        return run

    def value(self, *args: str) -> str:
        """The trimmed output of a git call that may fail (empty then)."""
        run = self.run(*args, check=False)
        return run.out.strip() if run.ok else ""


class GitFailed(Exception):
    """A git call failed; `run` holds what it said (English, shown only with --chi-tiet)."""

    def __init__(self, run: Run) -> None:
        super().__init__(run.err)
        self.run = run


_DENIED = ("authentication failed", "could not read username", "could not read password",
           "permission denied (publickey", "access denied", "error: 403", "terminal prompts disabled")
_OFFLINE = ("could not resolve host", "unable to access", "could not read from remote",
            "connection timed out", "connection refused", "network is unreachable",
            "does not appear to be a git repository", "no such file or directory",
            "repository not found", "timeout", "failed to connect", "permission denied")


def is_denied(run: Run) -> bool:
    """Whether the shared repository refused this machine's login (account or SSH key)."""
    text = run.err.lower()
    return any(marker in text for marker in _DENIED)


def is_offline(run: Run) -> bool:
    """Whether a failed fetch or push failed because the shared repository is out of reach."""
    text = run.err.lower()
    return any(marker in text for marker in _OFFLINE)


def is_rejected(run: Run) -> bool:
    """Whether a push was refused because the shared repository has work we have not got."""
    text = run.err.lower()
    # The last three: another machine pushing at the same instant holds the shared ref's lock.
    return any(marker in text for marker in ("rejected", "fetch first", "non-fast-forward",
                                             "cannot lock ref", "failed to update ref",
                                             "unable to create"))
