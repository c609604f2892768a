"""Several real processes appending at once leave exactly one whole line per entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kehoach_cli.journal import read as journal_read
from kehoach_cli.plan.loader import load_plan

PROCESSES = 8
EACH = 25

# Each writer waits for a shared start signal, then appends EACH entries with ~6 KB notes,
# large enough that unlocked writes from several processes would interleave or tear.
WRITER = f"""
import os, sys, time
from datetime import date
from pathlib import Path
from kehoach_cli import clock
from kehoach_cli.journal import read as journal_read
from kehoach_cli.journal import store as journal
from kehoach_cli.journal.entry import Entry
from kehoach_cli.plan.loader import load_plan

plan_path, start, worker = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
plan = load_plan(plan_path)
while not start.exists():
    time.sleep(0.005)
for i in range({EACH}):
    entry = Entry(id=journal.new_id(), ke_hoach=plan.key, ma="3.2", ngay=date(2025, 11, 1),
                  don_vi="MTTQ", nguoi_ghi="Người kiểm thử", ghi_luc=clock.now(),
                  noi_dung=f"tiến trình {{worker}} lần {{i}} " + "Mặt trận giám sát. " * 300)
    journal.append_entry(plan, entry)
"""


def test_parallel_processes_leave_exactly_n_whole_entries(workspace: Path) -> None:
    plan_path = workspace / "plans" / "kh160.yaml"
    load_plan(plan_path)  # warm the plan cache so the writers start together
    start = workspace / "start"
    env = {**os.environ, "KEHOACH_HOM_NAY": "2025-11-20"}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(plan_path), str(start), str(w)],
                              env=env, stderr=subprocess.PIPE)
             for w in range(PROCESSES)]
    time.sleep(0.5)
    start.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode("utf-8", "replace")

    plan = load_plan(plan_path)
    read = journal_read.read_journal(plan)
    assert read.problems == []
    assert len(read.entries) == PROCESSES * EACH
    assert len({e.id for e in read.entries}) == PROCESSES * EACH
    [path] = journal_read.journal_files(plan)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == PROCESSES * EACH + 1
    seen = {(w, i) for w in range(PROCESSES) for i in range(EACH)}
    found = set()
    for line in lines[:-1]:
        words = json.loads(line)["noi_dung"].split()
        found.add((int(words[2]), int(words[4])))
    assert found == seen


def test_parallel_kehoach_log_commands(workspace: Path) -> None:
    env = {**os.environ, "KEHOACH_HOM_NAY": "2025-11-20"}
    subprocess.run([sys.executable, "-m", "kehoach_cli", "check"], cwd=workspace, env=env,
                   check=True, capture_output=True)  # warm the cache
    procs = [subprocess.Popen([sys.executable, "-m", "kehoach_cli", "log", "3.2",
                               f"lệnh song song {n}", "--don-vi", "MTTQ"],
                              cwd=workspace, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
             for n in range(PROCESSES)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode("utf-8", "replace")
    read = journal_read.read_journal(load_plan(workspace / "plans" / "kh160.yaml"))
    assert read.problems == []
    assert sorted(e.noi_dung for e in read.entries) == [f"lệnh song song {n}"
                                                         for n in range(PROCESSES)]
