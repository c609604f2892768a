"""Cold `kehoach check` of 1,000 plans beside the time PyYAML's C loader alone takes on them.

Run: .venv/bin/python bench/bench_check.py [RUNS]
Target (issue 14): cold `check` (empty cache folder each run) at most 1.5× the floor, a
process that reads the 1,000 files and `yaml.load`s each with `yaml.CSafeLoader` (libyaml's
parser with PyYAML's constructor), doing nothing else. Warm `check` and cold `list` are
timed too, since they share the loading path.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEHOACH, fresh_cache_seconds, make_workspace, median_seconds, report

FLOOR = [sys.executable, "-c",
         "import glob, yaml\n"
         "for name in sorted(glob.glob('plans/*.yaml')):\n"
         "    yaml.load(open(name, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n"]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    root = make_workspace(Path(tempfile.gettempdir()) / "kehoach-bench-1000x20", plans=1000, tasks=20)
    floor = median_seconds(FLOOR, runs, root)
    report("sàn: yaml.load(CSafeLoader) 1000 tệp", floor)
    check = [*KEHOACH, "check"]
    cold = fresh_cache_seconds(check, runs, root)
    report("check 1000 kế hoạch (nguội)", cold, target=f"≤ 1,5× sàn (đo được {cold / floor:.2f}×)")
    with tempfile.TemporaryDirectory() as cache:
        report("check 1000 kế hoạch (ấm)",
               median_seconds(check, runs, root, {"KEHOACH_CACHE_DIR": cache}))
    report("list 1000 kế hoạch (nguội)", fresh_cache_seconds([*KEHOACH, "list"], runs, root))


if __name__ == "__main__":
    main()
