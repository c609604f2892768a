"""Every command on a real pseudo-terminal 80 and 50 columns wide: no id, date, code or
word is split across lines (the content wraps at spaces, or the listing is stacked)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Runner

pty = pytest.importorskip("pty")

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_TOKEN = re.compile(r"[^\s│┃┏┓┗┛┡┩╇┳┻━─┼├┤└┘┌┐╭╮╰╯┬┴]+")
_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")

COMMANDS = [
    ("list", "--don-vi", "MTTQ"),
    ("list",),
    ("show", "3.2"),
    ("don-vi",),
    ("nhat-ky",),
    ("report", "--ky", "quý IV/2025"),
]


def _on_terminal(args: tuple[str, ...], columns: int, cwd: Path) -> str:
    env = dict(os.environ, COLUMNS=str(columns), LINES="500", TERM="xterm-256color")
    env.pop("TTY_COMPATIBLE", None)
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execve(sys.executable, [sys.executable, "-m", "kehoach_cli", *args], env)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    os.close(fd)
    return _ESCAPES.sub("", b"".join(chunks).decode("utf-8"))


def _piped(args: tuple[str, ...], cwd: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "kehoach_cli", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", check=True)
    return proc.stdout


@pytest.fixture(scope="module")
def noted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SEED_PLAN

    root = tmp_path_factory.mktemp("terminal")
    (root / "plans").mkdir()
    (root / "plans" / "kh160.yaml").write_bytes(SEED_PLAN.read_bytes())
    return root


@pytest.fixture(autouse=True)
def _notes(noted: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "2025-11-20")
    monkeypatch.chdir(noted)
    if not (noted / "plans" / "kh160.nhat-ky").exists():
        assert cli("log", "3.2", "Đã giám sát việc thực hiện quy chế dân chủ ở 3 khu dân cư, "
                   "kiến nghị 5 nội dung", "--don-vi", "MTTQ", "--ngay", "5/11/2025",
                   "--so-lieu", "số cuộc giám sát=3").code == 0
        assert cli("log", "5.2", "Tổ chức hội nghị kiện toàn ban chấp hành", "--don-vi", "HLHPN",
                   "--ngay", "6/11/2025", "--trang-thai", "hoan thanh",
                   "--minh-chung", "Báo cáo số 12-BC/HPN").code == 0


@pytest.mark.parametrize("columns", [80, 50])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_nothing_is_split(noted: Path, args: tuple[str, ...], columns: int) -> None:
    shown = _on_terminal(args, columns, noted)
    assert "Traceback" not in shown
    lines = shown.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns, shown
    # Every word on screen is a word of the same screen 1,000 columns wide, of the piped
    # output or of the plan: a syllable cut in two ("Thư/ờng") or an id cut in two is not.
    vocabulary = set(_TOKEN.findall(_on_terminal(args, 1000, noted)))
    vocabulary |= set(_TOKEN.findall(_piped(args, noted)))
    vocabulary |= set(_TOKEN.findall((noted / "plans" / "kh160.yaml").read_text("utf-8")))
    words = set(_TOKEN.findall(shown))
    strange = {w for w in words - vocabulary if not w.endswith("…")}
    assert not strange, (strange, shown)
    entries = json.loads(_piped(("nhat-ky", "--dinh-dang", "json"), noted))
    if args[0] == "nhat-ky":
        for entry in entries:
            assert entry["id"] in words, shown
    assert set(_DATE.findall(_piped(args, noted))) <= set(_DATE.findall(shown)) | {""}
