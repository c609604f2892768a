"""`kehoach list`: the tasks a body holds, with their roles, timeframes and statuses."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kehoach_cli.commands.options import FormatOption, PlanPaths
from kehoach_cli.render.output import Format

_Many = Optional[list[str]]  # noqa: UP045 - Typer reads this annotation at run time


def list_tasks(
    don_vi: Annotated[_Many, typer.Option(
        "--don-vi", metavar="ĐƠN_VỊ", show_default=False,
        help="Đơn vị: mã, tên đầy đủ, tên khác hoặc một phần tên, có dấu hay không dấu "
        "(MTTQ, “mat tran”, “thanh niên”). Dùng nhiều lần để gộp nhiều đơn vị.")] = None,
    vai_tro: Annotated[_Many, typer.Option(
        "--vai-tro", metavar="VAI_TRÒ", show_default=False,
        help="Vai trò: chỉ đạo, tham mưu (thực hiện), chủ trì, phối hợp.")] = None,
    muc: Annotated[_Many, typer.Option(
        "--muc", metavar="MỤC", show_default=False,
        help="Mục trong “Nội dung thực hiện”: số mục (3) hoặc cụm từ trong tiêu đề mục.")] = None,
    loai_thoi_gian: Annotated[_Many, typer.Option(
        "--loai-thoi-gian", metavar="LOẠI", show_default=False,
        help="Loại thời gian thực hiện: thường xuyên, có hạn, theo kỳ, khoảng thời gian, "
        "định kỳ, khác.")] = None,
    trang_thai: Annotated[_Many, typer.Option(
        "--trang-thai", metavar="TRẠNG_THÁI", show_default=False,
        help="Trạng thái mới nhất: chưa thực hiện (kể cả chưa có ghi nhận), đang thực hiện, "
        "hoàn thành.")] = None,
    ke_hoach: PlanPaths = None,
    dinh_dang: FormatOption = Format.BANG,
) -> None:
    """Liệt kê nhiệm vụ: đơn vị nào giữ vai trò gì, thời gian và trạng thái.

    Các bộ lọc khác loại kết hợp với nhau (và); nhiều giá trị của cùng một bộ lọc là “hoặc”.
    Thành viên của một nhóm (như Đoàn Thanh niên trong “các tổ chức chính trị - xã hội”)
    thấy cả nhiệm vụ giao cho nhóm, ghi “qua nhóm”.
    """
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.tasks import TaskFilter, list_tasks
    from kehoach_cli.render.tasks import emit_task_list

    flt = TaskFilter.parse(don_vi or (), vai_tro or (), muc or (), loai_thoi_gian or (),
                           trang_thai or ())
    from kehoach_cli import clock

    emit_task_list(list_tasks(Workspace.load(ke_hoach), flt, clock.today()), dinh_dang)
