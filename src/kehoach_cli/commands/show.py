"""`kehoach show`: one task whole, with its bodies, documents and progress history."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach_cli.commands.options import FormatOption, PlanPaths
from kehoach_cli.render.output import Format


def show(
    nhiem_vu: Annotated[str, typer.Argument(
        metavar="NHIỆM_VỤ", show_default=False,
        help="Mã nhiệm vụ theo văn bản (3.2, 4) hoặc KẾ_HOẠCH:MÃ (kh160:3.2) khi có nhiều "
        "kế hoạch.")],
    ke_hoach: PlanPaths = None,
    dinh_dang: FormatOption = Format.BANG,
) -> None:
    """Xem trọn một nhiệm vụ: nội dung, các ý, đơn vị theo vai trò, thời gian, văn bản
    liên quan và lịch sử thực hiện."""
    from kehoach_cli import clock
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.tasks import task_detail
    from kehoach_cli.render.tasks import emit_detail

    emit_detail(task_detail(Workspace.load(ke_hoach), nhiem_vu, clock.today()), dinh_dang)
