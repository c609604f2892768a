"""Shared benchmark helpers: whole-process timing, the import floor, generated workspaces."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEHOACH = [sys.executable, "-m", "kehoach_cli"]
FLOOR = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]


def median_seconds(cmd: Sequence[str], runs: int = 10, cwd: Path | None = None,
                   env: dict[str, str] | None = None, warmup: int = 1) -> float:
    """Median wall time of `cmd` as a whole process, after `warmup` untimed runs.

    Bytecode caching is turned back on (this workplace sets PYTHONDONTWRITEBYTECODE=1, which
    users' machines do not): otherwise every run recompiles the package from source.
    """
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "", **(env or {})}
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_floor(runs: int = 10) -> float:
    """Median time of `python -c "import typer, rich, pydantic, yaml"`: the target's base."""
    return median_seconds(FLOOR, runs)


def report(name: str, seconds: float, floor: float | None = None, target: str = "") -> str:
    """One result line; with a floor, the ratio to it."""
    ratio = f"  ({seconds / floor:.2f}× sàn import)" if floor else ""
    goal = f"  mục tiêu: {target}" if target else ""
    line = f"{name:<55} {seconds * 1000:8.1f} ms{ratio}{goal}"
    print(line, flush=True)
    return line


BODIES = """don_vi:
  - ma: ĐU
    ten: Đảng ủy phường
  - ma: UBND
    ten: Ủy ban nhân dân phường
  - ma: MTTQ
    ten: Ủy ban Mặt trận Tổ quốc Việt Nam phường
    ten_khac: [Mặt trận]
  - ma: CT-XH
    ten: các tổ chức chính trị - xã hội phường
    thanh_vien: [ĐTN, HLHPN]
  - ma: ĐTN
    ten: Đoàn TNCS Hồ Chí Minh phường
    ten_khac: [Đoàn Thanh niên]
  - ma: HLHPN
    ten: Hội Liên hiệp Phụ nữ phường
  - ma: KDV
    ten: Khối Dân vận Đảng ủy
"""
_TIMEFRAMES = ["Thường xuyên", "Quý I/2025", "Trước ngày 30/6/2025", "Hằng quý", "Tháng 9/2025"]
_ROLES = ["[UBND, MTTQ, CT-XH]", "[MTTQ, KDV]", "[ĐTN, HLHPN]", "[UBND, KDV]"]


def make_plan_text(index: int, tasks: int = 20) -> str:
    """A plan of the genre with `tasks` tasks in sections of five."""
    lines = ["luoc_do: 1", "ke_hoach:", f"  ma: kh{index:04d}",
             f"  so_ky_hieu: {index}-KH/ĐU", f"  trich_yeu: Kế hoạch thử số {index}", BODIES.rstrip(),
             "noi_dung:"]
    for t in range(tasks):
        section, item = divmod(t, 5)
        if item == 0:
            lines += [f"  - ma: \"{section + 1}\"", f"    tieu_de: Nhóm nhiệm vụ {section + 1}",
                      "    nhiem_vu:"]
        lines += [
            f"      - ma: \"{section + 1}.{item + 1}\"",
            f"        noi_dung: Nhiệm vụ {section + 1}.{item + 1} của kế hoạch {index}, tuyên "
            "truyền, vận động, giám sát và phản biện xã hội ở khu dân cư.",
            "        chi_dao: [ĐU]",
            f"        tham_muu_thuc_hien: {_ROLES[t % len(_ROLES)]}",
            f"        thoi_gian: {_TIMEFRAMES[t % len(_TIMEFRAMES)]}",
        ]
    return "\n".join(lines) + "\n"


def make_workspace(root: Path, plans: int = 1000, tasks: int = 20) -> Path:
    """Write `plans` plan files under root/plans (kept if already there); return root."""
    folder = root / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(plans):
        path = folder / f"kh{i:04d}.yaml"
        if not path.exists():
            path.write_text(make_plan_text(i, tasks), encoding="utf-8")
    return root
