"""Shared fixtures: a hermetic workspace, the seed plan, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kehoach_cli.cli import main

# Property tests run a bounded number of examples by default (CI); HYPOTHESIS_PROFILE=long
# runs many more (`HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`).
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=5_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "plans" / "kh160.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Result:
    """What a command printed and how it exited."""

    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's cache, config or clock-dependent settings."""
    monkeypatch.setenv("KEHOACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("KEHOACH_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("KEHOACH_NGUOI_GHI", "Người kiểm thử")
    monkeypatch.delenv("KEHOACH_DON_VI", raising=False)
    monkeypatch.delenv("KEHOACH_CHOT", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder holding plans/kh160.yaml, made the working directory."""
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(SEED_PLAN, plans / "kh160.yaml")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run `kehoach ARGS...` in this process; returns exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run `python -m kehoach_cli ARGS...` as a real process (for end-to-end tests)."""
    proc = subprocess.run(
        [sys.executable, "-m", "kehoach_cli", *args],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=env, check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
