"""Return forms: `kehoach phieu` for every body of 20 plans, and `kehoach nhap-phieu` of 50
filled forms × 30 rows.

Run: .venv/bin/python bench/bench_forms.py [RUNS]
Targets (issue 11): forms for every body of 20 plans under 3 s; importing 50 filled forms
of 30 rows each under 2 s. Both are whole processes (start-up included), warm plan cache.
The import is timed twice: a first import into an empty journal (1,500 entries written),
whose journal folders are removed before each run, and a re-import of the same forms,
which must add nothing. Forms are filled with openpyxl as Excel stores the cells.
With BENCH_CPU=1, CPU time instead of wall time (a machine shared with other work).
The generated workspaces are kept in the system's temporary folder between runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEHOACH, make_workspace, median_seconds, report

ENV = {"KEHOACH_HOM_NAY": "2025-12-20", "KEHOACH_NGUOI_GHI": "Văn phòng",
       "PYTHONDONTWRITEBYTECODE": ""}
FORMS, ROWS = 50, 30


def _run(cmd: list[str], cwd: Path) -> float:
    """Wall time of one run, or its CPU time with BENCH_CPU=1 (as `median_seconds`)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, **ENV}, capture_output=True,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    if os.environ.get("BENCH_CPU") == "1":
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed


def _fill(folder: Path) -> list[Path]:
    """Fill ROWS rows of every form in `folder` (the 20 tasks × 2 rows of ĐU's form)."""
    import openpyxl

    paths = sorted(folder.glob("*.xlsx"))
    for path in paths:
        book = openpyxl.load_workbook(path)
        sheet = book["Nhiệm vụ"]
        for n in range(ROWS):
            row = 8 + n
            sheet[f"F{row}"] = date(2025, 10, 1) + timedelta(days=n)
            sheet[f"G{row}"] = f"Đã tổ chức hoạt động số {n} tại khu dân cư"
            sheet[f"H{row}"] = "đang thực hiện"
            sheet[f"I{row}"] = "số người tham gia"
            sheet[f"J{row}"] = 10 + n
        book.save(path)
    return paths


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    base = Path(tempfile.gettempdir()) / "kehoach-bench-forms"
    make_dir = make_workspace(base / "make", plans=20, tasks=20)
    out = make_dir / "phieu"
    cmd = [*KEHOACH, "phieu", "--ky", "quý IV/2025", "-o", str(out), "--ghi-de"]
    _run(cmd, make_dir)  # warm the plan cache
    count = len(list(out.glob("*.xlsx")))
    report(f"phieu: mọi đơn vị của 20 kế hoạch ({count} phiếu)",
           median_seconds(cmd, runs, cwd=make_dir, env=ENV), target="< 3 s")

    import_dir = make_workspace(base / "import", plans=FORMS, tasks=20)
    forms = import_dir / "phieu"
    if not forms.is_dir() or len(list(forms.glob("*.xlsx"))) != FORMS:
        shutil.rmtree(forms, ignore_errors=True)
        _run([*KEHOACH, "phieu", "-u", "ĐU", "--ky", "quý IV/2025", "-o", str(forms)], import_dir)
        _fill(forms)
    files = [str(p) for p in sorted(forms.glob("*.xlsx"))]
    cmd = [*KEHOACH, "nhap-phieu", *files, "--dong-y"]
    journals = list((import_dir / "plans").glob("*.nhat-ky"))
    first: list[float] = []
    for _ in range(runs):
        for folder in (import_dir / "plans").glob("*.nhat-ky"):
            shutil.rmtree(folder)
        first.append(_run(cmd, import_dir))
    del journals
    entries = sum(len(p.read_text(encoding="utf-8").splitlines())
                  for p in (import_dir / "plans").glob("*.nhat-ky/*.jsonl"))
    report(f"nhap-phieu: {FORMS} phiếu × {ROWS} dòng, lần đầu ({entries} ghi nhận)",
           statistics.median(first), target="< 2 s")
    report(f"nhap-phieu: {FORMS} phiếu × {ROWS} dòng, nhập lại (thêm 0)",
           median_seconds(cmd, runs, cwd=import_dir, env=ENV), target="< 2 s")


if __name__ == "__main__":
    main()
