"""`kehoach report` for a quarter over 1,000 plans × 20 tasks with 200,000 journal entries.

Run: .venv/bin/python bench/bench_report.py [RUNS]
Target (issue 5): under 3 s and under 500 MB peak resident memory, warm plan cache.
The entries are written in the journal's own format (`journal_format.encode`, one line a
record) into the sidecar files `journal.sidecar_file` names, as `kehoach log` would leave
them, 200 a plan spread over 2025; going through `append_entry` would cost an fsync and a
lock per entry (minutes) and measure nothing the report reads differently.
The floor line times loading the plans and reading every journal with nothing else, so
the report's own share can be read off; machines shared with other work vary a lot.
Peak memory is the child's `ru_maxrss`, measured in a fresh wrapper process each time so
that no earlier child's peak leaks into it.
The generated workspace is kept in the system's temporary folder between runs.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEHOACH, make_workspace, median_seconds, report

PLANS, TASKS, ENTRIES_PER_PLAN = 1000, 20, 200
_ROLE_BODIES = [["UBND", "MTTQ", "ĐTN", "HLHPN"], ["MTTQ", "KDV"], ["ĐTN", "HLHPN"],
                ["UBND", "KDV"]]  # who reports, per bench.common._ROLES (groups by member)
_NOTES = ["Tổ chức hội nghị quán triệt tại khu dân cư số {n}",
          "Giám sát việc thực hiện chính sách ở tổ dân phố {n}",
          "Tuyên truyền, vận động đoàn viên, hội viên tham gia đợt {n}"]


def _write_journals(root: Path) -> int:
    """Write the sidecars once (a marker file records it); return the number of entries."""
    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.journal.format import encode
    from kehoach_cli.journal.store import new_id, sidecar_file
    from kehoach_cli.status import Status

    marker = root / ".journals-written"
    total = PLANS * ENTRIES_PER_PLAN
    if marker.exists():
        return total
    rng = random.Random(5)
    tz = timezone(timedelta(hours=7))
    statuses = [None] * 6 + [Status.DANG_THUC_HIEN] * 3 + [Status.HOAN_THANH]
    for i in range(PLANS):
        path = root / "plans" / f"kh{i:04d}.yaml"
        key = f"kh{i:04d}"
        files: dict[Path, list[str]] = {}
        for n in range(ENTRIES_PER_PLAN):
            t = rng.randrange(TASKS)
            ma = f"{t // 5 + 1}.{t % 5 + 1}"
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
            writer = rng.choice(["Nguyễn Văn A", "Trần Thị B", "Lê Văn C"])
            recorded = datetime.combine(day, datetime.min.time(), tz) + timedelta(hours=9, minutes=n)
            entry = Entry(new_id(), key, ma, day, rng.choice(_ROLE_BODIES[t % 4]), writer, recorded,
                          rng.choice(_NOTES).format(n=n), rng.choice(statuses), None,
                          {"số cuộc": float(rng.randrange(1, 4))} if n % 3 == 0 else {})
            files.setdefault(sidecar_file(path, writer, recorded), []).append(encode(entry))
        for target, lines in files.items():
            target.parent.mkdir(exist_ok=True)
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker.write_text("ok\n", encoding="utf-8")
    return total


def peak_mb(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Peak resident memory of one run of `cmd`, in MB."""
    probe = (
        "import resource, subprocess, sys, json\n"
        "cmd = json.loads(sys.argv[1])\n"
        "subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    import os

    out = subprocess.run([sys.executable, "-c", probe, json.dumps(cmd)], cwd=cwd,
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    kib = int(out.stdout.strip())  # Linux reports kilobytes
    return kib / 1024


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    root = make_workspace(Path(tempfile.gettempdir()) / "kehoach-bench-report-1000x20",
                          plans=PLANS, tasks=TASKS)
    entries = _write_journals(root)
    print(f"{PLANS} kế hoạch × {TASKS} nhiệm vụ, {entries:,} ghi nhận".replace(",", "."))
    with tempfile.TemporaryDirectory() as cache:
        env = {"KEHOACH_CACHE_DIR": cache}
        floor = [sys.executable, "-c",
                 "import gc; gc.disable()\n"
                 "from kehoach_cli.plan.workspace import Workspace\n"
                 "from kehoach_cli.journal.store import read_journal\n"
                 "for p in Workspace.load(None).plans: read_journal(p)\n"]
        report("sàn: nạp 1000 kế hoạch + read_journal (không báo cáo)",
               median_seconds(floor, runs, root, env))
        base = [*KEHOACH, "report", "--ky", "quý III/2025", "--ngay", "15/10/2025"]
        for label, extra in [("-d json", ["-d", "json"]), ("bảng (ra tệp)", []),
                             ("-d csv", ["-d", "csv"]), ("--chot nd09 -d json",
                                                         ["--chot", "nd09", "-d", "json"])]:
            cmd = [*base, *extra]
            seconds = median_seconds(cmd, runs, root, env)
            report(f"report quý III/2025 {label}", seconds, target="< 3000 ms")
            print(f"{'':<55} đỉnh bộ nhớ {peak_mb(cmd, root, env):7.1f} MB  mục tiêu: < 500 MB")


if __name__ == "__main__":
    main()
