"""`nhap` on hostile .docx files: wall time and peak memory of each refusal.

Run: .venv/bin/python bench/bench_docx_hostile.py
Target (issue 13): each refused with a Vietnamese message in under 2 s and 200 MB.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile_docx import CASES, base_docx

from bench.common import KEHOACH

TIME = shutil.which("time") or "/usr/bin/time"


def main() -> None:
    base = base_docx()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ke-hoach.docx"
        for name, make in CASES.items():
            source.write_bytes(make(base))
            start = time.perf_counter()
            # GNU time measures the command after exec; this process's own rusage of its
            # children would count the memory the fork copied from it.
            proc = subprocess.run([TIME, "-f", "%M", *KEHOACH, "nhap", str(source)],
                                  cwd=folder, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - start
            lines = proc.stderr.strip().splitlines()
            memory = f"{int(lines[-1]) / 1024:.0f} MB"
            reason = lines[-3 if "status" in lines[-2] else -2][-70:]
            print(f"{name:24} {source.stat().st_size / 1024:8.0f} KB  {seconds:5.2f} s  "
                  f"{memory:>9}  mã {proc.returncode}  …{reason}")


if __name__ == "__main__":
    main()
