"""`kehoach list --don-vi MTTQ` on the seed plan and on 1,000 generated plans of 20 tasks.

Run: .venv/bin/python bench/bench_list.py [RUNS]
Targets (issue 3): on plans/kh160.yaml at most 1.2× the import floor measured in the same
run (`python -c "import typer, rich, pydantic, yaml"`); on 1,000 plans × 20 tasks under 1 s
with a warm cache. Output goes to a pipe (/dev/null), i.e. the plain-text path; the
terminal path is timed too, through TTY_COMPATIBLE=1.
The generated workspace is kept in the system's temporary folder between runs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEHOACH, ROOT, import_floor, make_workspace, median_seconds, report


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    big = make_workspace(Path(tempfile.gettempdir()) / "kehoach-bench-1000x20", plans=1000, tasks=20)
    with tempfile.TemporaryDirectory() as cache:
        # Installed packages have their .pyc files: let the source tree get them too, or every
        # run would recompile every module and the figures would not be what users see.
        env = {"KEHOACH_CACHE_DIR": cache, "PYTHONDONTWRITEBYTECODE": ""}
        floor = import_floor(runs)
        report("sàn: python -c 'import typer, rich, pydantic, yaml'", floor)
        seed = [*KEHOACH, "list", "--don-vi", "MTTQ", "--ke-hoach", "plans/kh160.yaml"]
        report("list --don-vi MTTQ, kh160 (bộ đệm ấm)", median_seconds(seed, runs, ROOT, env),
               floor, "≤ 1,2×")
        report("list --don-vi MTTQ, kh160, bảng Rich",
               median_seconds(seed, runs, ROOT, {**env, "TTY_COMPATIBLE": "1"}), floor)
        report("list --don-vi 'mat tran' -d json, kh160",
               median_seconds([*KEHOACH, "list", "--don-vi", "mat tran", "--ke-hoach",
                               "plans/kh160.yaml", "-d", "json"], runs, ROOT, env),
               floor)
        cold = {**env, "KEHOACH_NO_CACHE": "1"}
        report("list --don-vi MTTQ, kh160 (không bộ đệm)", median_seconds(seed, runs, ROOT, cold),
               floor)
        many = [*KEHOACH, "list", "--don-vi", "MTTQ"]
        few = max(3, runs // 3)
        report("list --don-vi MTTQ, 1000 kế hoạch × 20 (bộ đệm ấm)",
               median_seconds(many, few, big, env), floor, "< 1000 ms")
        report("list --don-vi 'thanh niên' -d json, 1000 kế hoạch",
               median_seconds([*KEHOACH, "list", "--don-vi", "thanh niên", "-d", "json"], few, big,
                              env), floor)
        report("don-vi, 1000 kế hoạch", median_seconds([*KEHOACH, "don-vi"], few, big, env), floor)


if __name__ == "__main__":
    main()
