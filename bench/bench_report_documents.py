"""The Word and Excel drafts of `kehoach report --xuat` for one plan of 50 tasks with 5,000
notes in the period (issue 12: under 2 s each, the whole command as a process).

Run: .venv/bin/python bench/bench_report_documents.py [RUNS]
The workspace is generated once in the system's temporary folder; the caches are warm (a
second report on the same day, as an office makes it). The document is rewritten each run
(--ghi-de). Also times the same report without --xuat, to show what the documents add.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEHOACH, make_workspace, median_seconds, report
from kehoach_cli.render.values import format_number

TASKS, NOTES = 50, 5000
BODIES = ["UBND", "MTTQ", "ĐTN", "HLHPN", "KDV"]
TEXTS = ["Tổ chức hội nghị quán triệt tại khu dân cư số {n}",
         "Giám sát việc thực hiện chính sách ở tổ dân phố {n}",
         "Tuyên truyền, vận động đoàn viên, hội viên tham gia đợt {n}"]


def _journal(root: Path) -> None:
    """5,000 notes dated within quý III/2025 on the plan's 50 tasks, from the bodies each
    task names, a third with figures and evidence, in the journal's own format."""
    import random
    from datetime import date, datetime, timedelta, timezone

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.journal.format import encode
    from kehoach_cli.journal.store import new_id, sidecar_file

    marker = root / ".journal-written"
    if marker.exists():
        return
    rng = random.Random(12)
    tz = timezone(timedelta(hours=7))
    plan = root / "plans" / "kh0000.yaml"
    lines = []
    for n in range(NOTES):
        t = rng.randrange(TASKS)
        day = date(2025, 7, 1) + timedelta(days=rng.randrange(92))
        figures = {"số cuộc giám sát": float(rng.randrange(1, 4))} if n % 3 == 0 else {}
        entry = Entry(new_id(), "kh0000", f"{t // 5 + 1}.{t % 5 + 1}", day,
                      rng.choice(BODIES), "Văn phòng", datetime(2025, 10, 1, 8, 0, tzinfo=tz),
                      TEXTS[n % 3].format(n=n), None, "15-BC/MTTQ" if n % 3 == 0 else None,
                      figures)
        lines.append(encode(entry))
    target = sidecar_file(plan, "Văn phòng", datetime(2025, 10, 1, tzinfo=tz))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker.touch()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    root = make_workspace(Path(tempfile.gettempdir()) / "kehoach-bench-report-docs-50",
                          plans=1, tasks=TASKS)
    _journal(root)
    print(f"1 kế hoạch × {TASKS} nhiệm vụ, {format_number(NOTES)} ghi nhận trong kỳ")
    base = [*KEHOACH, "report", "--ky", "quý III/2025", "--ngay", "15/10/2025", "-d", "csv"]
    with tempfile.TemporaryDirectory() as cache:
        env = {"KEHOACH_CACHE_DIR": cache}
        report("report quý III/2025 -d csv (không xuất tệp)", median_seconds(base, runs, root, env))
        for suffix in ("docx", "xlsx"):
            cmd = [*base, "--xuat", str(root / f"bao-cao.{suffix}"), "--ghi-de"]
            report(f"report --xuat bao-cao.{suffix}", median_seconds(cmd, runs, root, env),
                   target="< 2000 ms")


if __name__ == "__main__":
    main()
