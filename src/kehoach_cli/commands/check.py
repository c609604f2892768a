"""`kehoach check`: validate plan files and report every problem with its line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach_cli.errors import ExitCode
from kehoach_cli.problems import Problem, shown_path


def check(
    files: Annotated[
        Optional[list[Path]],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Argument(
            help="Tệp hoặc thư mục kế hoạch cần kiểm tra; mặc định: mọi kế hoạch trong ./plans/.",
            show_default=False,
            metavar="TỆP",
        ),
    ] = None,
) -> None:
    """Kiểm tra kế hoạch và nhật ký: cú pháp, khóa gõ nhầm, mã trùng, đơn vị, ngày, thời gian.

    Mỗi lỗi in ra dạng tệp:dòng:cột, trường và cách sửa; nhật ký tiến độ của mỗi kế hoạch
    hợp lệ cũng được đọc lại để tìm dòng hỏng. Cảnh báo (như nhiệm vụ chưa giao cho đơn vị
    nào) được in ra nhưng không tính là lỗi. Mã thoát 0 khi không có lỗi.
    """
    from kehoach_cli.journal.read import check_journal
    from kehoach_cli.plan import cache
    from kehoach_cli.plan.loader import check_file, plan_warnings
    from kehoach_cli.plan.workspace import plan_files

    paths = plan_files(files)
    problems = []
    warnings = []
    keys: dict[str, Path] = {}
    with cache.batch():  # one cache write for all the plans, not one file per plan
        for path in paths:
            loaded, found = check_file(path)
            problems.extend(found)
            if loaded is not None:
                if loaded.key in keys:
                    problems.append(Problem(path, None, None, "ke_hoach.ma",
                                            f"mã kế hoạch “{loaded.key}” đã dùng ở {keys[loaded.key]}; "
                                            "mỗi kế hoạch cần một mã riêng"))
                keys.setdefault(loaded.key, path)
                problems.extend(check_journal(loaded))
                warnings.extend(plan_warnings(loaded))
                warnings.extend(_conflict_copies(loaded.path))
                warnings.extend(_linked_plan(loaded.path))
    for problem in [*problems, *warnings]:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Có {len(problems)} lỗi trong {len(paths)} tệp.", file=sys.stderr)
        raise typer.Exit(ExitCode.INVALID_PLAN)
    noun = "tệp" if len(paths) == 1 else f"{len(paths)} tệp"
    noted = f"; {len(warnings)} cảnh báo" if warnings else ""
    print(f"Hợp lệ: {noun} kế hoạch không có lỗi{noted} "
          f"({', '.join(shown_path(p) for p in paths)}).")


def _linked_plan(plan_path: Path) -> list[Problem]:
    """A plan file that is a link, as a warning: it is read, but its journal sits beside the
    link, and nothing is ever written through it."""
    from kehoach_cli.safe_fs import is_link

    if not is_link(plan_path):
        return []
    return [Problem(plan_path, None, None, "", "cảnh báo: tệp kế hoạch là liên kết tượng trưng "
                    "(symlink): kehoach đọc nó nhưng không ghi qua liên kết; nếu liên kết do "
                    "người khác đưa vào git, hãy kiểm tra nó trỏ tới đâu")]


def _conflict_copies(plan_path: Path) -> list[Problem]:
    """Conflict copies a sync service left beside the plan or in its journal, as warnings."""
    from kehoach_cli.conflicts import JOURNAL_ADVICE, PLAN_ADVICE, conflict_copies, is_conflict_copy
    from kehoach_cli.journal.store import RECORD_SUFFIX, sidecar_dir

    found = [Problem(path, None, None, "", f"cảnh báo: {JOURNAL_ADVICE}")
             for path in conflict_copies(sidecar_dir(plan_path), (RECORD_SUFFIX,))]
    if is_conflict_copy(plan_path.name):
        found.append(Problem(plan_path, None, None, "", f"cảnh báo: {PLAN_ADVICE}"))
    return found
