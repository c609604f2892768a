"""`kehoach log` with 0 and with 100,000 entries in the sidecar, and one task's history.

Run: .venv/bin/python bench/bench_journal.py [RUNS]
Target (issue 14): `nhat-ky` (the 50 newest) over 100,000 entries within 1.5× of reading
and parsing every line (`common.parse_floor`).
Targets (issue 4): one `log` costs the same (within 1.2×) with 100,000 existing entries as
with none, since an append never reads the journal; the history of one task from a
100,000-entry sidecar takes under 1 s as a whole process.
The two `log` cases run alternately, so drift in the machine's load hits both alike; the
empty case deletes its file before each run, so it really starts from 0 entries.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    KEHOACH,
    ROOT,
    fresh_cache_seconds,
    import_floor,
    median_seconds,
    parse_floor,
    report,
)
from kehoach_cli.journal import read as journal_read
from kehoach_cli.journal import store as journal
from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.format import encode
from kehoach_cli.plan.loader import load_plan
from kehoach_cli.status import Status

ENTRIES = 100_000
TODAY = "2025-11-20"
WRITER = "Người đo hiệu năng"
TASKS = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4", "5.1", "5.2", "5.3"]
BODIES = ["MTTQ", "UBND", "ĐTN", "HLHPN", "CB"]


def _workspace(root: Path) -> Path:
    (root / "plans").mkdir(parents=True)
    shutil.copy(ROOT / "plans" / "kh160.yaml", root / "plans" / "kh160.yaml")
    return root


def _fill(plan_path: Path, count: int) -> Path:
    """Write `count` entries straight into the file `log` will append to today."""
    recorded = datetime.fromisoformat(f"{TODAY}T08:00:00+07:00")
    target = journal.sidecar_file(plan_path, WRITER, recorded)
    target.parent.mkdir(exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        for i in range(count):
            entry = Entry(
                id=journal.new_id(), ke_hoach="kh160", ma=TASKS[i % len(TASKS)],
                ngay=date(2025, 1, 1) + timedelta(days=i % 320), don_vi=BODIES[i % len(BODIES)],
                nguoi_ghi=WRITER, ghi_luc=recorded + timedelta(seconds=i),
                noi_dung=f"Đã tổ chức giám sát, tuyên truyền ở khu dân cư số {i % 97}",
                trang_thai=Status.DANG_THUC_HIEN if i % 7 == 0 else None,
                so_lieu={"số cuộc giám sát": i % 4} if i % 3 == 0 else {},
            )
            handle.write(encode(entry) + "\n")
    return target


def _alternating(commands: Sequence[tuple[list[str], Path, Path | None]], runs: int,
                 env: dict[str, str]) -> list[float]:
    """Median wall time of each command, run in turn; a given file is deleted before its run."""
    full_env = {**os.environ, **env}
    times: list[list[float]] = [[] for _ in commands]
    for round_ in range(runs + 1):
        for i, (cmd, cwd, reset) in enumerate(commands):
            if reset is not None:
                reset.unlink(missing_ok=True)
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, check=False)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(proc.stderr.decode("utf-8", "replace"))
            if round_:  # the first round warms caches
                times[i].append(elapsed)
    return [statistics.median(t) for t in times]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        empty, big = _workspace(base / "rong"), _workspace(base / "lon")
        big_file = _fill(big / "plans" / "kh160.yaml", ENTRIES)
        empty_file = journal.sidecar_file(empty / "plans" / "kh160.yaml", WRITER,
                                          datetime.fromisoformat(f"{TODAY}T08:00:00+07:00"))
        env = {"KEHOACH_CACHE_DIR": str(base / "cache"), "KEHOACH_HOM_NAY": TODAY,
               "KEHOACH_NGUOI_GHI": WRITER, "PYTHONDONTWRITEBYTECODE": ""}
        floor = import_floor(runs)
        report("sàn: python -c 'import typer, rich, pydantic, yaml'", floor)

        log = [*KEHOACH, "log", "3.2", "Đã giám sát việc thực hiện ở 3 khu dân cư",
               "--don-vi", "MTTQ", "--so-lieu", "số cuộc giám sát=3", "--van-ghi"]
        zero, full = _alternating([(log, empty, empty_file), (log, big, None)], runs, env)
        report("log 3.2, sidecar 0 ghi nhận", zero, floor)
        report("log 3.2, sidecar 100.000 ghi nhận", full, floor,
               f"≤ 1,2× trường hợp 0 ghi nhận (đo được {full / zero:.2f}×)")

        history = [*KEHOACH, "nhat-ky", "--ma", "3.2", "--so-dong", "0", "-d", "json"]
        report("nhat-ky --ma 3.2 (lịch sử một nhiệm vụ), 100.000 ghi nhận",
               median_seconds(history, runs, big, env), floor, "< 1000 ms")
        few = max(3, runs // 3)
        report("show 3.2, 100.000 ghi nhận",
               median_seconds([*KEHOACH, "show", "3.2", "-d", "json"], few, big, env), floor)
        report("nhat-ky (100 gần nhất của cả 100.000 ghi nhận)",
               median_seconds([*KEHOACH, "nhat-ky", "--so-dong", "100", "-d", "json"], few, big,
                              env), floor)
        parse = median_seconds(parse_floor(), runs, big)
        report("sàn: đọc 100.000 dòng + json.loads từng dòng", parse)
        newest = median_seconds([*KEHOACH, "nhat-ky"], runs, big, env)
        report("nhat-ky (50 gần nhất), 100.000 ghi nhận (ấm)", newest, floor,
               f"≤ 1,5× sàn đọc (đo được {newest / parse:.2f}×)")
        cold = fresh_cache_seconds([*KEHOACH, "nhat-ky"], few, big, env)
        report("nhat-ky (50 gần nhất), 100.000 ghi nhận (nguội)", cold, floor,
               f"{cold / parse:.2f}× sàn đọc")

        plan = load_plan(big / "plans" / "kh160.yaml")
        timings = []
        for _ in range(few):
            gc.collect()
            start = time.perf_counter()
            read = journal_read.read_journal(plan)
            timings.append(time.perf_counter() - start)
        assert len(read.entries) >= ENTRIES and not read.problems
        report("read_journal, 100.000 ghi nhận, trong tiến trình",
               statistics.median(timings))
        print(f"Tệp nhật ký lớn: {big_file.stat().st_size / 1e6:.1f} MB, 100.000 dòng.")


if __name__ == "__main__":
    main()
