"""`kehoach don-vi`: the body registry, with group members and task counts per role; and
its editing verbs (`them`, `sua`, `gop`, `nhom`), which change the plan file in place
keeping its comments and layout (see plan/edit.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from kehoach_cli.commands.options import FormatOption, PlanPaths
from kehoach_cli.render.output import Format

if TYPE_CHECKING:
    from kehoach_cli.plan.edit import Change

app = typer.Typer(invoke_without_command=True, rich_markup_mode=None, add_completion=False,
                  options_metavar="[TÙY CHỌN]", subcommand_metavar="[LỆNH] [ĐỐI SỐ]...",
                  context_settings={"help_option_names": ["-h", "--help"]})

def _many(name: str, help_text: str, metavar: str) -> Any:
    """An option that may be given several times (`--them A --them B`)."""
    return typer.Option(name, help=f"{help_text}; có thể dùng nhiều lần.", show_default=False,
                        metavar=metavar)


EditPlan = Annotated[
    Optional[Path],  # noqa: UP045 - Typer reads this annotation at run time
    typer.Option("--ke-hoach", "-k", help="Tệp kế hoạch cần sửa; mặc định: kế hoạch duy nhất "
                 "trong ./plans/.", show_default=False, metavar="TỆP"),
]
Code = Annotated[str, typer.Argument(help="Mã đơn vị, ví dụ MTTQ.", metavar="MÃ",
                                     show_default=False)]
Names = Annotated[Optional[list[str]],  # noqa: UP045
                  _many("--ten-khac", "Tên khác (viết tắt, cách gọi thường dùng)", "TÊN")]
Members = Annotated[Optional[list[str]], _many("--thanh-vien", "Mã thành viên, khi đơn vị là một nhóm", "MÃ")]  # noqa: UP045
Unnamed = Annotated[Optional[list[str]], _many("--bot-ten-khac", "Bỏ một tên khác", "TÊN")]  # noqa: UP045
Joining = Annotated[Optional[list[str]], _many("--them", "Thêm thành viên (mã)", "MÃ")]  # noqa: UP045
Leaving = Annotated[Optional[list[str]], _many("--bot", "Bỏ thành viên (mã)", "MÃ")]  # noqa: UP045


@app.callback()
def bodies(
    ctx: typer.Context,
    ke_hoach: PlanPaths = None,
    dinh_dang: FormatOption = Format.BANG,
) -> None:
    """Danh mục đơn vị: mã, tên đầy đủ, tên khác, thành viên nhóm và số nhiệm vụ theo
    vai trò, xếp theo thứ tự chữ cái tiếng Việt. Sửa danh mục: them, sua, gop, nhom."""
    if ctx.invoked_subcommand is not None:
        return
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.tasks import body_summaries, roles_in_use
    from kehoach_cli.render.tasks import emit_bodies

    workspace = Workspace.load(ke_hoach)
    emit_bodies(body_summaries(workspace), roles_in_use(workspace), dinh_dang,
                several_plans=len(workspace.plans) > 1)


def _run(plan: Path | None, change: Change) -> None:
    from kehoach_cli.errors import KehoachError
    from kehoach_cli.plan.edit import edit_plan
    from kehoach_cli.plan.workspace import plan_files

    files = plan_files([plan] if plan else None)
    if len(files) > 1:
        listed = ", ".join(str(f) for f in files)
        raise KehoachError(f"có {len(files)} kế hoạch ({listed}): hãy chọn tệp cần sửa bằng "
                           "--ke-hoach TỆP")
    done = edit_plan(files[0], change)
    print(f"{files[0]}: {done}.", file=sys.stderr)


@app.command("them", options_metavar="[TÙY CHỌN]")
def them(
    ma: Code,
    ten: Annotated[str, typer.Argument(help="Tên đầy đủ của đơn vị.", metavar="TÊN",
                                       show_default=False)],
    ten_khac: Names = None,
    thanh_vien: Members = None,
    ke_hoach: EditPlan = None,
) -> None:
    """Thêm một đơn vị vào danh mục của kế hoạch."""
    from kehoach_cli.plan.edit import add_body

    _run(ke_hoach, add_body(ma, ten, ten_khac or [], thanh_vien or []))


@app.command("sua", options_metavar="[TÙY CHỌN]")
def sua(
    ma: Code,
    ten: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--ten", help="Tên đầy đủ mới.", show_default=False, metavar="TÊN"),
    ] = None,
    ten_khac: Names = None,
    bot_ten_khac: Unnamed = None,
    ke_hoach: EditPlan = None,
) -> None:
    """Sửa tên đầy đủ hoặc tên khác của một đơn vị (--ten-khac thêm, --bot-ten-khac bỏ)."""
    from kehoach_cli.plan.edit import edit_body

    _run(ke_hoach, edit_body(ma, ten, ten_khac or [], bot_ten_khac or []))


@app.command("gop", options_metavar="[TÙY CHỌN]")
def gop(
    a: Annotated[str, typer.Argument(help="Mã đơn vị bị gộp (sẽ thành tên khác).", metavar="A",
                                     show_default=False)],
    b: Annotated[str, typer.Argument(help="Mã đơn vị giữ lại.", metavar="B",
                                     show_default=False)],
    ke_hoach: EditPlan = None,
) -> None:
    """Gộp đơn vị A vào B: mọi chỗ giao việc cho A được ghi lại là B, A thành tên khác của B."""
    from kehoach_cli.plan.edit import merge_bodies

    _run(ke_hoach, merge_bodies(a, b))


@app.command("nhom", options_metavar="[TÙY CHỌN]")
def nhom(
    ma: Code,
    them: Joining = None,
    bot: Leaving = None,
    ke_hoach: EditPlan = None,
) -> None:
    """Thêm hoặc bỏ thành viên của một nhóm đơn vị (ví dụ CT-XH)."""
    from kehoach_cli.plan.edit import group_members

    _run(ke_hoach, group_members(ma, them or [], bot or []))
