"""`kehoach phieu`: per-body return forms in Excel, for bodies that do not use the tool.

Thin: the span is resolved as `report` does, `forms.make` writes the workbooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach_cli.commands.options import PlanPaths
from kehoach_cli.commands.report import Chot, period_span

_Text = Optional[str]  # noqa: UP045 - Typer reads this annotation at run time


def phieu(
    ra: Annotated[Path, typer.Option(
        "--ra", "-o", metavar="TỆP.xlsx|THƯ_MỤC", show_default=False,
        help="Tệp phiếu (một đơn vị) hoặc thư mục (mỗi đơn vị một phiếu, tên phieu-MÃ.xlsx).")],
    don_vi: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--don-vi", "-u", metavar="ĐƠN_VỊ", show_default=False,
        help="Đơn vị lập phiếu (dùng nhiều lần được); bỏ trống: mọi đơn vị có nhiệm vụ.")] = None,
    ky: Annotated[_Text, typer.Option(
        "--ky", metavar="KỲ", show_default=False,
        help="Kỳ báo cáo, như kehoach report: quy, thang, 6thang, nam, quy-truoc, “quý IV/2025”... "
        "Mặc định: quý này.")] = None,
    tu: Annotated[_Text, typer.Option("--tu", metavar="NGÀY", show_default=False,
                                      help="Từ ngày (thay cho --ky).")] = None,
    den: Annotated[_Text, typer.Option("--den", metavar="NGÀY", show_default=False,
                                       help="Đến ngày, đi kèm --tu.")] = None,
    chot: Annotated[Optional[Chot], typer.Option(  # noqa: UP045
        "--chot", show_default=False, case_sensitive=False,
        help="Cách tính ngày của kỳ: lich hoặc nd09; mặc định theo cấu hình.")] = None,
    ghi_de: Annotated[bool, typer.Option("--ghi-de", help="Cho phép ghi đè phiếu đã có.")] = False,
    ke_hoach: PlanPaths = None,
) -> None:
    """Lập phiếu báo cáo Excel cho từng đơn vị: nhiệm vụ trong kỳ, việc đã ghi nhận, dòng để điền.

    Đơn vị điền ngày, kết quả, trạng thái (chọn trong danh sách), số liệu, minh chứng rồi gửi
    lại; Văn phòng nhập bằng kehoach nhap-phieu. Ví dụ: kehoach phieu --don-vi MTTQ --ky quy
    -o phieu-MTTQ.xlsx; kehoach phieu --ky quy -o phieu/ (mỗi đơn vị một tệp).
    """
    from kehoach_cli import clock
    from kehoach_cli.forms.make import make_forms
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.problems import shown_path

    workspace = Workspace.load(ke_hoach)
    span = period_span(workspace, clock.today(), ky, tu, den, chot)
    made = make_forms(workspace, don_vi or [], span, ra, overwrite=ghi_de, now=clock.now())
    print(f"Đã lập {len(made)} phiếu {span.label} ({span.dates_text()}):")
    for item in made:
        ident = item.content.identity
        print(f"  {shown_path(item.path)}: {ident.don_vi}, kế hoạch {ident.ke_hoach}, "
              f"{len(ident.nhiem_vu)} nhiệm vụ")
    print("Gửi phiếu cho đơn vị; nhận lại thì nhập bằng: kehoach nhap-phieu TỆP...")
