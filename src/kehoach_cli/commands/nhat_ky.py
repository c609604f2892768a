"""`kehoach nhat-ky`: recent journal entries across tasks, filtered by body, task and dates."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kehoach_cli.commands.options import FormatOption, PlanPaths
from kehoach_cli.render.output import Format

DEFAULT_LIMIT = 50


def nhat_ky(
    don_vi: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--don-vi", "-u", help="Chỉ ghi nhận của đơn vị này (mã, tên, có dấu hay "
                     "không); một nhóm gồm cả thành viên. Dùng nhiều lần được.",
                     show_default=False, metavar="ĐƠN_VỊ"),
    ] = None,
    ma: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--ma", help="Chỉ một nhiệm vụ: 3.2 hoặc kh160:3.2.", show_default=False,
                     metavar="MÃ_NHIỆM_VỤ"),
    ] = None,
    tu: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--tu", help="Từ ngày (15/3/2025 hoặc 2025-03-15).", show_default=False,
                     metavar="NGÀY"),
    ] = None,
    den: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--den", help="Đến ngày, tính cả ngày đó.", show_default=False,
                     metavar="NGÀY"),
    ] = None,
    so_dong: Annotated[
        int,
        typer.Option("--so-dong", help="Số ghi nhận gần nhất cần hiện; 0 là tất cả.", min=0,
                     metavar="SỐ"),
    ] = DEFAULT_LIMIT,
    day_du: Annotated[
        bool,
        typer.Option("--day-du", help="Hiện mọi bản ghi như đã lưu, kể cả bản sửa và bản hủy."),
    ] = False,
    dinh_dang: FormatOption = Format.BANG,
    ke_hoach: PlanPaths = None,
) -> None:
    """Nhật ký thực hiện: các ghi nhận gần nhất, mới nhất trước.

    Lọc theo đơn vị, nhiệm vụ và khoảng ngày; --dinh-dang json|csv|md cho công cụ khác.
    """
    from kehoach_cli.dates import option_date
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query import notes as journal_query
    from kehoach_cli.render.notes import emit_selection

    start, end = option_date(tu, "--tu"), option_date(den, "--den")
    journal_query.check_range(start, end)
    workspace = Workspace.load(ke_hoach)
    found = journal_query.select(workspace, bodies=don_vi, task=ma, tu=start, den=end, raw=day_du)
    emit_selection(found, dinh_dang, limit=so_dong, raw=day_du,
                   several_plans=len(workspace.plans) > 1)
