"""`kehoach nhap-phieu`: read filled return forms into the journal, after showing what
they add. Thin: `forms.ingest` works out the records, the journal appends them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kehoach_cli.commands.options import PlanPaths

if TYPE_CHECKING:
    from kehoach_cli.forms.ingest import FormImport

_Text = Optional[str]  # noqa: UP045 - Typer reads this annotation at run time
_SHOWN = 40  # records listed in the preview before "..."


def nhap_phieu(
    tep: Annotated[list[Path], typer.Argument(metavar="TỆP...", show_default=False,
                                              help="Các phiếu Excel đã điền (.xlsx).")],
    thu: Annotated[bool, typer.Option("--thu", help="Chỉ xem sẽ nhập gì, không ghi.")] = False,
    dong_y: Annotated[bool, typer.Option("--dong-y", "-y", help="Ghi luôn, không hỏi lại.")] = False,
    ky: Annotated[_Text, typer.Option(
        "--ky", metavar="KỲ", show_default=False,
        help="Kỳ của các phiếu, ví dụ “quý IV/2025”; mặc định nhận phiếu của kỳ này hoặc kỳ "
        "liền trước.")] = None,
    khac_ky: Annotated[bool, typer.Option("--khac-ky", help="Nhận phiếu của bất kỳ kỳ nào.")] = False,
    vao_ke_hoach: Annotated[_Text, typer.Option(
        "--vao-ke-hoach", metavar="MÃ", show_default=False,
        help="Nhập vào kế hoạch này dù phiếu ghi kế hoạch khác (kế hoạch đã đổi mã).")] = None,
    ke_hoach: PlanPaths = None,
) -> None:
    """Nhập phiếu báo cáo Excel đã điền vào nhật ký của đơn vị trong phiếu.

    Lệnh cho xem trước sẽ thêm gì rồi hỏi; phiếu có ô sai thì không nhập gì từ phiếu đó và
    chỉ rõ ô cần sửa. Nhập lại cùng phiếu (hay bản gửi lại) không thêm gì; dòng đã sửa trong
    bản gửi lại thành bản sửa của ghi nhận cũ. Ví dụ: kehoach nhap-phieu phieu-MTTQ.xlsx.
    """
    from kehoach_cli import clock
    from kehoach_cli.config import load_settings
    from kehoach_cli.errors import ExitCode
    from kehoach_cli.forms.ingest import Expectation, apply_imports, plan_imports
    from kehoach_cli.periods import resolve_span
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.problems import shown_path

    missing = [path for path in tep if not path.exists()]
    if missing:
        from kehoach_cli.errors import NotFound

        raise NotFound(f"không tìm thấy tệp {', '.join(str(m) for m in missing)}: hãy kiểm tra "
                       "tên và thư mục của phiếu")
    workspace = Workspace.load(ke_hoach)
    settings = load_settings(workspace.plans[0].path.parent)
    today = clock.today()
    span = None if ky is None else resolve_span(ky, today, settings.chot)
    expect = Expectation(span, khac_ky, vao_ke_hoach)
    imports = plan_imports(workspace, tep, expect, importer=settings.nguoi_ghi, today=today,
                           now=clock.now())
    for item in imports:
        _preview(item)
    good = [item for item in imports if not item.errors]
    records = sum(len(item.records) for item in good)
    failed = len(imports) - len(good)
    summary = (f"Tổng: {len(good)} phiếu nhập được, {failed} phiếu có lỗi; sẽ thêm "
               f"{sum(len(i.new) for i in good)} ghi nhận, sửa {sum(len(i.fixes) for i in good)}.")
    print(summary)
    if records and not thu:
        if not dong_y and not _confirm():
            print("Chưa ghi gì.")
            raise typer.Exit(ExitCode.OK if not failed else ExitCode.USAGE)
        written = apply_imports(good)
        print(f"Đã ghi {records} bản ghi vào: {', '.join(shown_path(p) for p in written)}.")
    elif thu:
        print("Chạy thử (--thu): chưa ghi gì.")
    if failed:
        raise typer.Exit(ExitCode.USAGE)


def _preview(item: FormImport) -> None:
    import sys

    from kehoach_cli.dates import format_date
    from kehoach_cli.text import printable, shorten

    name = item.path.name
    if item.errors:
        print(f"{name}: có lỗi, không nhập gì từ phiếu này:", file=sys.stderr)
        for error in item.errors:
            print(f"  {printable(error)}", file=sys.stderr)
        return
    assert item.form is not None
    ident = item.form.identity
    print(f"{name}: {ident.don_vi}, kế hoạch {ident.ke_hoach}, {ident.ky} (mã phiếu "
          f"{ident.ma_phieu}): thêm {len(item.new)}, sửa {len(item.fixes)}, "
          f"đã có {item.unchanged}.")
    for entry in item.records[:_SHOWN]:
        kind = "sửa" if entry.sua_cho else "thêm"
        print(f"  {kind} {entry.ma} {format_date(entry.ngay)}: {printable(shorten(entry.noi_dung, 70))}")
    if len(item.records) > _SHOWN:
        print(f"  ... và {len(item.records) - _SHOWN} bản ghi nữa")
    for note in item.notes:
        print(f"  {note}")


def _confirm() -> bool:
    answer = typer.prompt("Ghi vào nhật ký? (c = có, k = không)", default="k", show_default=False)
    return answer.strip().lower() in ("c", "co", "có", "y", "yes")
