"""Start-up: `kehoach --help` and `kehoach check plans/kh160.yaml` beside the import floor.

Run: .venv/bin/python bench/bench_start.py [RUNS]
Target (issue 2): each at most 1.2× `python -c "import typer, rich, pydantic, yaml"`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEHOACH, ROOT, import_floor, median_seconds, report


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as cache:
        env = {"KEHOACH_CACHE_DIR": cache}
        floor = import_floor(runs)
        report("sàn: python -c 'import typer, rich, pydantic, yaml'", floor)
        report("kehoach --help", median_seconds([*KEHOACH, "--help"], runs, ROOT, env), floor,
               "≤ 1,2×")
        check = [*KEHOACH, "check", "plans/kh160.yaml"]
        report("kehoach check plans/kh160.yaml (bộ đệm ấm)", median_seconds(check, runs, ROOT, env),
               floor, "≤ 1,2×")
        cold = {**env, "KEHOACH_NO_CACHE": "1"}
        report("kehoach check plans/kh160.yaml (không bộ đệm)",
               median_seconds(check, runs, ROOT, cold), floor)


if __name__ == "__main__":
    main()
