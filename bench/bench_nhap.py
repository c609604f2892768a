"""Time of `kehoach nhap` on a 30-page plan (about 1,500 lines: 150 labelled tasks).

Run: python -m bench.bench_nhap   (target: under 1 s for the whole process; BENCH_CPU=1
measures CPU time instead of wall time on a shared, loaded machine)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.common import KEHOACH, median_seconds

TASK = """{g}.{t}. Tổ chức tuyên truyền, quán triệt nội dung số {g}.{t} đến cán bộ, đảng viên và Nhân dân
trên địa bàn phường bằng nhiều hình thức phù hợp.
- Tuyên truyền trên hệ thống truyền thanh phường.
- Đơn vị chủ trì: Ủy ban MTTQ Việt Nam phường
- Đơn vị phối hợp: Đoàn Thanh niên, Hội Liên hiệp Phụ nữ, Hội Nông dân, Hội Cựu chiến binh phường
- Thời gian hoàn thành: Dự kiến tháng {m}/2026 (chậm nhất ngày 28/{m}/2026)
"""


def plan_text(groups: int = 15, tasks: int = 10) -> str:
    body = [f"{g}. Nhóm nhiệm vụ thứ {g}\n" + "".join(
        TASK.format(g=g, t=t, m=(t % 12) + 1 if (t % 12) + 1 != 2 else 3) for t in range(1, tasks + 1))
        for g in range(1, groups + 1)]
    return ("KẾ HOẠCH\nthực hiện công tác tuyên truyền năm 2026\n\nI. MỤC ĐÍCH, YÊU CẦU\n"
            "1. Nâng cao nhận thức.\n\nII. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN\n"
            + "\n".join(body) + "\nIII. TỔ CHỨC THỰC HIỆN\n1. Ủy ban nhân dân phường\n"
            "- Chỉ đạo triển khai kế hoạch.\n")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "ke-hoach-30-trang.md"
        text = plan_text()
        source.write_text(text, encoding="utf-8")
        from kehoach_cli.importer import import_document
        from kehoach_cli.plan.default_registry import default_bodies

        start = time.perf_counter()
        result = import_document(source, default_bodies())
        inside = time.perf_counter() - start
        whole = median_seconds([*KEHOACH, "nhap", str(source)], runs=5, cwd=Path(tmp))
    print(f"kế hoạch {len(text.splitlines())} dòng, {result.task_count} nhiệm vụ")
    print(f"import_document: {inside:.3f} s; cả tiến trình `kehoach nhap`: {whole:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
