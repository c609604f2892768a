"""`kehoach don-vi`: the body registry, with group members and task counts per role."""

from __future__ import annotations

from kehoach_cli.commands.options import FormatOption, PlanPaths
from kehoach_cli.render.output import Format


def bodies(
    ke_hoach: PlanPaths = None,
    dinh_dang: FormatOption = Format.BANG,
) -> None:
    """Danh mục đơn vị: mã, tên đầy đủ, tên khác, thành viên nhóm và số nhiệm vụ theo
    vai trò, xếp theo thứ tự chữ cái tiếng Việt."""
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.tasks import body_summaries, roles_in_use
    from kehoach_cli.render.tasks import emit_bodies

    workspace = Workspace.load(ke_hoach)
    emit_bodies(body_summaries(workspace), roles_in_use(workspace), dinh_dang,
                several_plans=len(workspace.plans) > 1)
