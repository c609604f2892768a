"""`kehoach nhap`: import a plan document (.docx, .md, .txt) into plan YAML for review."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kehoach_cli.errors import Conflict, ExitCode, KehoachError, PlanInvalid
from kehoach_cli.problems import shown_path

if TYPE_CHECKING:
    from kehoach_cli.plan.model import Body
    from kehoach_cli.problems import Problem


def nhap(
    file: Annotated[Path, typer.Argument(help="Văn bản kế hoạch: .docx, .md hoặc .txt.",
                                         metavar="TỆP", show_default=False)],
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--ra", "-o", help="Ghi YAML vào tệp này (mặc định: in ra màn hình).",
                     show_default=False, metavar="TỆP_YAML"),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--ghi-de", help="Cho phép ghi đè tệp đã có.")
    ] = False,
    registry: Annotated[
        Optional[list[Path]],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--don-vi-tu",
                     help="Kế hoạch (.yaml) hoặc thư mục có danh mục đơn vị để đối chiếu; "
                     "mặc định: các kế hoạch trong ./plans/ nếu có. Có thể dùng nhiều lần.",
                     show_default=False, metavar="KẾ_HOẠCH"),
    ] = None,
) -> None:
    """Nhập kế hoạch từ văn bản Word (.docx), Markdown (.md) hoặc văn bản (.txt) thành YAML.

    Nhận ra trích yếu, căn cứ, các phần (A, B, C; I, II, III), mục và nhiệm vụ đánh số, các
    dòng “Cơ quan chỉ đạo”, “Đơn vị chủ trì”, “Đơn vị phối hợp”, “Thời gian thực hiện”, bảng
    phân công nhiệm vụ, đơn vị nêu trong câu (“Giao … chủ trì, phối hợp với …”), phần tổ chức
    thực hiện viết theo từng đơn vị, nơi nhận và chữ ký; đọc cả công văn giao việc. Tên đơn vị
    được đối chiếu với danh mục sẵn có (mặc định: danh mục dựng sẵn các đơn vị ở phường, xã);
    đơn vị mới được đề xuất mã. Những điểm chưa chắc chắn được liệt kê kèm số dòng (số đoạn
    với tệp Word; bảng, hàng, cột với ô bảng). Kết quả được kiểm tra như `kehoach check`.
    """
    from kehoach_cli.importer import import_document

    if output is not None and output.exists() and not overwrite:
        raise Conflict(f"{output}: tệp đã có; dùng --ghi-de để ghi đè, hoặc chọn tên khác")
    bodies, source = _registry(registry)
    result = import_document(file, bodies, source)
    if output is None:
        sys.stdout.write(result.yaml_text)
        sys.stdout.flush()
    else:
        _write(output, result.yaml_text, overwrite)
    for note in result.notes:
        where = f"{file}:{note.no}: " if note.no else f"{file}: "
        print(f"Cần kiểm tra: {where}{note.text}", file=sys.stderr)
    problems = _validate(output, result.yaml_text)
    summary = (f"Đã nhập {result.task_count} nhiệm vụ từ {file}"
               + (f" vào {output}" if output else "")
               + (f"; {len(result.notes)} điểm cần kiểm tra" if result.notes else "")
               + (f"; {len(result.new_bodies)} đơn vị mới" if result.new_bodies else "") + ".")
    print(summary, file=sys.stderr)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"Kết quả chưa hợp lệ: còn {len(problems)} lỗi cần sửa trong YAML "
              "(xem các dòng “CẦN ĐIỀN”/“CẦN KIỂM TRA”).", file=sys.stderr)
        raise typer.Exit(ExitCode.INVALID_PLAN)
    print("Kết quả hợp lệ (đã kiểm tra như `kehoach check`).", file=sys.stderr)


BUILT_IN = ("danh mục đơn vị dựng sẵn của kehoach (không có --don-vi-tu, không có kế hoạch "
            "trong ./plans/)")


def _registry(paths: list[Path] | None) -> tuple[list[Body], str | None]:
    """Bodies of the given plans, else of ./plans/ when it exists, else the built-in
    registry; first code wins. Also the phrase naming where they come from."""
    from kehoach_cli.plan.default_registry import default_bodies
    from kehoach_cli.plan.loader import load_plan
    from kehoach_cli.plan.workspace import DEFAULT_DIR, plan_files

    if not paths:
        files = []
        if (Path.cwd() / DEFAULT_DIR).is_dir():
            try:
                files = plan_files(None)
            except KehoachError:
                files = []
    else:
        files = plan_files(paths)
    bodies: dict[str, Body] = {}
    used: list[str] = []
    for path in files:
        try:
            plan = load_plan(path).plan
        except PlanInvalid:
            print(f"Bỏ qua danh mục đơn vị của {path}: kế hoạch có lỗi (chạy kehoach check).",
                  file=sys.stderr)
            continue
        used.append(shown_path(path))
        for body in plan.don_vi:
            bodies.setdefault(body.ma, body)
    if not bodies and not paths:
        return default_bodies(), BUILT_IN
    return list(bodies.values()), ("danh mục của " + ", ".join(used)) if used else None


def _write(path: Path, text: str, overwrite: bool) -> None:
    """Write the YAML whole or not at all, never over a file unless asked (atomic.py)."""
    from kehoach_cli.atomic import write_text

    write_text(path, text, overwrite=overwrite)


def _validate(output: Path | None, text: str) -> list[Problem]:
    """The problems `kehoach check` would report on the result."""
    from kehoach_cli.plan.loader import check_file, validate_text

    if output is not None:
        return check_file(output)[1]
    try:
        # The same validator as `kehoach check`, on text that was printed, not saved.
        return validate_text(Path("(đầu ra)"), text)[1]
    except PlanInvalid as exc:
        return exc.problems
