"""`kehoach list --don-vi MTTQ`: the seed plan, 1,000 generated plans of 20 tasks (without and
with journals), and one plan of 10,000 tasks with 3 notes each, beside Taskwarrior.

Run: .venv/bin/python bench/bench_list.py [RUNS]
Targets: on plans/kh160.yaml at most 1.2× the import floor measured in the same run
(`python -c "import typer, rich, pydantic, yaml"`, issue 3); on 1,000 plans × 20 tasks under
1 s warm (issue 3), and under 0.7 s once they have journals (issue 14); on the 10,000-task
plan no slower than Taskwarrior 2.6 listing the same tasks (`task project:MTTQ list`), warm,
and within 3× of it cold (issue 14). Taskwarrior (Debian package `taskwarrior`) is timed in
the same run when it is installed; the 10,000 tasks are imported into a private data folder
with `task import`.
Output goes to a pipe (/dev/null), i.e. the plain-text path; the terminal path is timed too,
through TTY_COMPATIBLE=1. The generated workspaces are kept in the system's temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    KEHOACH,
    ROOT,
    fresh_cache_seconds,
    import_floor,
    make_plan_text,
    make_workspace,
    median_seconds,
    report,
    side_by_side,
    write_journals,
)

BIG_TASKS = 10_000
# One task in five is MTTQ's: 2,000 of the 10,000.
BIG_ROLES = ["[MTTQ, KDV]", "[UBND, KDV]", "[ĐTN, HLHPN]", "[UBND]", "[KDV, ĐTN]"]
BIG_REPORTERS = [["MTTQ"], ["UBND"], ["ĐTN"], ["UBND"], ["KDV"]]


def _big_plan() -> Path:
    root = Path(tempfile.gettempdir()) / "kehoach-bench-10000"
    plan = root / "plans" / "kh0000.yaml"
    if not plan.exists():
        plan.parent.mkdir(parents=True, exist_ok=True)
        plan.write_text(make_plan_text(0, BIG_TASKS, BIG_ROLES), encoding="utf-8")
    write_journals(root, 1, BIG_TASKS, 3 * BIG_TASKS, BIG_REPORTERS)
    return root


def _taskwarrior(root: Path) -> dict[str, str] | None:
    """A Taskwarrior data folder holding the same 10,000 tasks and their notes, or None."""
    task = shutil.which("task")
    if task is None:
        return None
    data = root / "taskwarrior"
    rc = root / "taskrc"
    env = {"TASKRC": str(rc), "TASKDATA": str(data)}
    if (data / "pending.data").is_file() and (data / "pending.data").stat().st_size:
        return env
    data.mkdir(exist_ok=True)
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
    from kehoach_cli.journal.read import read_journal
    from kehoach_cli.plan.loader import load_plan

    loaded = load_plan(root / "plans" / "kh0000.yaml")
    notes: dict[str, list[dict[str, str]]] = {}
    for entry in read_journal(loaded).entries:
        notes.setdefault(entry.ma, []).append(
            {"entry": entry.ghi_luc.strftime("%Y%m%dT%H%M%SZ"), "description": entry.noi_dung})
    tasks = []
    for _, item in loaded.plan.tasks():
        tasks.append({"description": item.noi_dung, "status": "pending",
                      "project": item.tham_muu_thuc_hien[0], "entry": "20250101T000000Z",
                      "annotations": notes.get(item.ma, [])})
    source = root / "tasks.json"
    # One object a line: Taskwarrior 2.6.2 crashes importing a single 10,000-item array.
    source.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n",
                      encoding="utf-8")
    # Taskwarrior 2.6.2 crashes without HOME in its environment.
    subprocess.run([task, "import", str(source)], env={**os.environ, **env}, check=True,
                   capture_output=True)
    return env


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    few = max(3, runs // 3)
    big = make_workspace(Path(tempfile.gettempdir()) / "kehoach-bench-1000x20", plans=1000, tasks=20)
    with_journals = make_workspace(Path(tempfile.gettempdir()) / "kehoach-bench-report-1000x20-200",
                                   plans=1000, tasks=20)
    write_journals(with_journals, 1000, 20, 200)
    huge = _big_plan()
    tw_env = _taskwarrior(huge)
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
        report("list --don-vi MTTQ, 1000 kế hoạch × 20 (bộ đệm ấm)",
               median_seconds(many, few, big, env), floor, "< 1000 ms")
        report("list --don-vi MTTQ, 1000 × 20, 200.000 ghi nhận (ấm)",
               median_seconds(many, few, with_journals, env), floor, "< 700 ms")
        report("list --don-vi MTTQ, 1000 × 20, 200.000 ghi nhận (nguội)",
               fresh_cache_seconds(many, few, with_journals), floor)
        report("list --don-vi 'thanh niên' -d json, 1000 kế hoạch",
               median_seconds([*KEHOACH, "list", "--don-vi", "thanh niên", "-d", "json"], few, big,
                              env), floor)
        report("don-vi, 1000 kế hoạch", median_seconds([*KEHOACH, "don-vi"], few, big, env), floor)
        warm = median_seconds(many, few, huge, env)
        report("list --don-vi MTTQ, 10.000 nhiệm vụ × 3 ghi nhận (ấm)", warm, floor,
               "≤ Taskwarrior")
        cold_big = fresh_cache_seconds(many, few, huge)
        report("list --don-vi MTTQ, 10.000 nhiệm vụ × 3 ghi nhận (nguội)", cold_big, floor,
               "≤ 3× Taskwarrior")
        if tw_env is None:
            print("Taskwarrior chưa cài (apt-get install -y taskwarrior): bỏ qua so sánh.")
            return
        tw = median_seconds(["task", "project:MTTQ", "list"], few, huge, tw_env)
        report("Taskwarrior 2.6: task project:MTTQ list (cùng 10.000 nhiệm vụ)", tw, floor)
        print(f"{'':<55} kehoach/Taskwarrior: ấm {warm / tw:.2f}×, nguội {cold_big / tw:.2f}×")
        # The same comparisons run in turn, round by round (`side_by_side`): the figures
        # the targets are judged on when the machine's speed drifts.
        anchor = (["task", "project:MTTQ", "list"], huge, tw_env)
        print("Chạy xen kẽ từng lượt với Taskwarrior (trung vị của tỉ số từng lượt):")
        ours, theirs, ratio = side_by_side((many, huge, env), anchor, runs)
        print(f"  list 10.000 nhiệm vụ (ấm) {ours * 1000:.0f} ms / Taskwarrior "
              f"{theirs * 1000:.0f} ms = {ratio:.2f}×  mục tiêu: ≤ 1×")
        with tempfile.TemporaryDirectory() as scratch:
            cold_cache = Path(scratch) / "cache"
            ours, theirs, ratio = side_by_side(
                (many, huge, {**env, "KEHOACH_CACHE_DIR": str(cold_cache)}), anchor, few,
                prepare=lambda: shutil.rmtree(cold_cache, ignore_errors=True))
        print(f"  list 10.000 nhiệm vụ (nguội) {ours * 1000:.0f} ms / Taskwarrior "
              f"{theirs * 1000:.0f} ms = {ratio:.2f}×  mục tiêu: ≤ 3×")
        # Issue 14's "under 0.7 s" was set on a machine where this Taskwarrior listing took
        # 0.17 s: 0.7 / 0.17 = 4.1 times it, on any machine.
        ours, theirs, ratio = side_by_side((many, with_journals, env), anchor, runs)
        print(f"  list 1000 × 20, 200.000 ghi nhận (ấm) {ours * 1000:.0f} ms / Taskwarrior "
              f"{theirs * 1000:.0f} ms = {ratio:.2f}×  mục tiêu: ≤ 4,1× (0,7 s khi "
              "Taskwarrior mất 0,17 s)")


if __name__ == "__main__":
    main()
