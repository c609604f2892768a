"""The seed plan validates through the CLI and as a real process."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Runner, run_process


def test_check_seed_plan_clean(workspace: Path, cli: Runner) -> None:
    result = cli("check")
    assert result.code == 0, result.err
    assert "plans/kh160.yaml" in result.out


def test_module_entry_point_runs(workspace: Path) -> None:
    result = run_process("check", "plans/kh160.yaml", cwd=workspace)
    assert result.code == 0, result.err
    assert result.out.startswith("Hợp lệ")
