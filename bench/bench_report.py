"""`kehoach report` for a quarter over 1,000 plans × 20 tasks with 200,000 journal entries,
and with 1,000,000.

Run: .venv/bin/python bench/bench_report.py [RUNS] [--million]
Targets (issue 14): `report --ky quy -d json` within 1.2× of the per-line parse floor warm
and under 3 s fully cold; with 1,000,000 entries under 5 s warm and under 300 MB.
The floors read every journal line and `json.loads` it (`common.parse_floor`), in plain
Python, with nothing else. "Warm" has the plan cache and the journal digest filled (the
digest holds each note's day, body and status, and each file's days: the report decodes
whole only the files that can hold a note of the quarter); "fully cold" starts from an empty
cache folder each run (every journal read in full, both caches written). The generated
workspaces are kept in the system's temporary folder.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    KEHOACH,
    fresh_cache_seconds,
    make_workspace,
    median_seconds,
    parse_floor,
    peak_mb,
    report,
    side_by_side,
    write_journals,
)

PLANS, TASKS = 1000, 20
REPORT = [*KEHOACH, "report", "--ky", "quý III/2025", "--ngay", "15/10/2025"]


def _workspace(per_plan: int) -> tuple[Path, int]:
    root = make_workspace(Path(tempfile.gettempdir()) / f"kehoach-bench-report-1000x20-{per_plan}",
                          plans=PLANS, tasks=TASKS)
    return root, write_journals(root, PLANS, TASKS, per_plan)


def _floors(root: Path, runs: int) -> float:
    floor = median_seconds(parse_floor(), runs, root)
    report("sàn: đọc mọi dòng + json.loads từng dòng", floor)
    report("sàn: như trên, tắt GC", median_seconds(parse_floor(gc_off=True), runs, root))
    report("sàn: json.loads một lần mỗi tệp", median_seconds(parse_floor(per_file=True), runs, root))
    return floor


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 5
    root, entries = _workspace(200)
    print(f"{PLANS} kế hoạch × {TASKS} nhiệm vụ, {entries:,} ghi nhận".replace(",", "."))
    floor = _floors(root, runs)
    with tempfile.TemporaryDirectory() as cache:
        env = {"KEHOACH_CACHE_DIR": cache}
        cmd = [*REPORT, "-d", "json"]
        warm = median_seconds(cmd, runs, root, env)
        report("report --ky quý -d json (ấm)", warm, target="≤ 1,2× sàn từng dòng")
        print(f"{'':<55} = {warm / floor:.2f}× sàn từng dòng; "
              f"đỉnh bộ nhớ {peak_mb(cmd, root, env):.1f} MB")
        # The same, without the lines kept from the last review of the span (a journal
        # changed everywhere, or the first report of a new day): plan cache and digest only.
        unkept = ["sh", "-c", f'rm -f "{cache}"/*.bao-cao && exec "$@"', "sh", *cmd]
        fresh = median_seconds(unkept, runs, root, env)
        report("report -d json (ấm, không có dòng đã giữ của kỳ)", fresh)
        print(f"{'':<55} = {fresh / floor:.2f}× sàn từng dòng")
        for label, extra in [("bảng (ra tệp)", []), ("-d csv", ["-d", "csv"]),
                             ("--chot nd09 -d json", ["--chot", "nd09", "-d", "json"])]:
            report(f"report quý III/2025 {label} (ấm)", median_seconds([*REPORT, *extra], runs,
                                                                       root, env))
    report("report -d json (nguội hoàn toàn)", fresh_cache_seconds(cmd, runs, root),
           target="< 3000 ms")
    # The same against the floor, run in turn round by round (`side_by_side`): what the
    # targets are judged on when the machine's speed drifts. Issue 14 set "under 3 s" where
    # the floor took 0.9-1.0 s: 3.0-3.3 times it.
    print("Chạy xen kẽ từng lượt với sàn từng dòng (trung vị của tỉ số từng lượt):")
    anchor = (parse_floor(), root, None)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "cache"
        env = {"KEHOACH_CACHE_DIR": str(folder)}
        ours, theirs, ratio = side_by_side((cmd, root, env), anchor, runs)
        print(f"  report ấm {ours * 1000:.0f} ms / sàn {theirs * 1000:.0f} ms = {ratio:.2f}×  "
              "mục tiêu: ≤ 1,2×")
        ours, theirs, ratio = side_by_side(
            (cmd, root, env), anchor, runs,
            prepare=lambda: shutil.rmtree(folder, ignore_errors=True))
        print(f"  report nguội hoàn toàn {ours * 1000:.0f} ms / sàn {theirs * 1000:.0f} ms = "
              f"{ratio:.2f}×  mục tiêu: < 3 s khi sàn 0,9-1,0 s, tức ≤ 3,0-3,3×")
    if "--million" in sys.argv:
        big, entries = _workspace(1000)
        print(f"{PLANS} kế hoạch × {TASKS} nhiệm vụ, {entries:,} ghi nhận".replace(",", "."))
        _floors(big, max(3, runs // 2))
        with tempfile.TemporaryDirectory() as cache:
            env = {"KEHOACH_CACHE_DIR": cache}
            report("report -d json, 1.000.000 ghi nhận (ấm)",
                   median_seconds(cmd, max(3, runs // 2), big, env), target="< 5000 ms")
            print(f"{'':<55} đỉnh bộ nhớ {peak_mb(cmd, big, env):.1f} MB  mục tiêu: < 300 MB")
        report("report -d json, 1.000.000 ghi nhận (nguội hoàn toàn)",
               fresh_cache_seconds(cmd, 1, big))


if __name__ == "__main__":
    main()
