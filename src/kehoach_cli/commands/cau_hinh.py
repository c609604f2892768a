"""`kehoach cau-hinh`: say once who you are (name and body), in your own config file.

Asked in Vietnamese when no option is given (first run), or set with `--ten`/`--don-vi`
(scripts, or a second machine). The body is checked against the plans' registry before
anything is written, and its code is stored, so `kehoach log 3.2 "..."` then works as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kehoach_cli.commands.options import PlanPaths

if TYPE_CHECKING:
    from pathlib import Path

    from kehoach_cli.config import Settings
    from kehoach_cli.plan.workspace import Workspace

MAX_NAME = 100
_ATTEMPTS = 3


def cau_hinh(
    ten: Annotated[Optional[str], typer.Option(  # noqa: UP045 - Typer reads this at run time
        "--ten", help="Tên người ghi nhận, lưu vào mỗi ghi nhận (ví dụ “Nguyễn Văn A”).",
        show_default=False, metavar="TÊN")] = None,
    don_vi: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--don-vi", "-u", help="Đơn vị mình báo cáo cho: mã hoặc tên như trong danh mục "
        "(kehoach don-vi).", show_default=False, metavar="ĐƠN_VỊ")] = None,
    xem: Annotated[bool, typer.Option("--xem", help="Chỉ xem cấu hình hiện tại, không sửa.")] = False,
    ke_hoach: PlanPaths = None,
) -> None:
    """Khai báo một lần mình là ai: tên người ghi và đơn vị báo cáo.

    Không ghi tùy chọn nào thì lệnh hỏi từng câu. Lưu vào tệp cấu hình riêng của mình
    (không dùng chung qua git). Sau đó: kehoach log 3.2 "đã giám sát" là đủ.
    Ví dụ: kehoach cau-hinh --ten "Nguyễn Văn A" --don-vi MTTQ.
    """
    from kehoach_cli.config import load_settings, read_user_config, user_config_file, write_user_config

    if xem:
        _show(load_settings(None), user_config_file())
        return
    current = read_user_config()
    values: dict[str, str] = {}
    if ten is None and don_vi is None:
        workspace = _workspace(ke_hoach)
        values["nguoi_ghi"] = _ask_name(current.get("nguoi_ghi"))
        values["don_vi"] = _ask_body(workspace, current.get("don_vi"))
    else:
        if ten is not None:
            values["nguoi_ghi"] = _name(ten)
        if don_vi is not None:
            values["don_vi"] = _body_code(_workspace(ke_hoach), don_vi)
    path = write_user_config(values)
    print(f"Đã lưu cấu hình vào {path}.")
    _show(load_settings(None), path)
    if "don_vi" in values:
        print(f'Từ nay ghi nhận không cần --don-vi, ví dụ: kehoach log 3.2 "đã giám sát" '
              f"(ghi cho đơn vị {values['don_vi']}).")


def _workspace(paths: list[Path] | None) -> Workspace:
    from kehoach_cli.errors import NotFound
    from kehoach_cli.plan.workspace import Workspace

    try:
        return Workspace.load(paths)
    except NotFound as exc:
        raise NotFound(f"{exc.message}; cần kế hoạch để kiểm tra tên đơn vị") from None


def _name(text: str) -> str:
    from kehoach_cli.journal.input import clean_text

    return clean_text(text, "tên người ghi", MAX_NAME, multiline=False,
                      empty_hint="hãy ghi họ và tên, ví dụ “Nguyễn Văn A”")


def _body_code(workspace: Workspace, text: str) -> str:
    """The code `text` names in the plans' registries (the one code if all plans agree)."""
    from kehoach_cli.plan.bodies import resolve_in_plans

    found = resolve_in_plans(workspace.plans, text)
    codes = list(dict.fromkeys(item.body.ma for item in found))
    return codes[0] if len(codes) == 1 else text.strip()


def _ask_name(default: str | None) -> str:
    from kehoach_cli.errors import KehoachError

    for _ in range(_ATTEMPTS):
        answer = typer.prompt("Họ và tên người ghi nhận (ví dụ Nguyễn Văn A)", default=default or "",
                              show_default=bool(default))
        try:
            return _name(answer)
        except KehoachError as exc:
            print(f"Chưa được: {exc.message}")
    raise typer.Abort()


def _ask_body(workspace: Workspace, default: str | None) -> str:
    from kehoach_cli.errors import KehoachError
    from kehoach_cli.text import nfc

    codes = ", ".join(dict.fromkeys(b.ma for p in workspace.plans for b in p.plan.don_vi))
    print(f"Các đơn vị trong kế hoạch: {codes}")
    for _ in range(_ATTEMPTS):
        answer = typer.prompt("Đơn vị của bạn (mã hoặc tên, ví dụ MTTQ)", default=default or "",
                              show_default=bool(default))
        try:
            return _body_code(workspace, nfc(answer))
        except KehoachError as exc:
            print(f"Chưa được: {exc.message}")
    raise typer.Abort()


def _show(settings: Settings, path: Path) -> None:
    print(f"Tệp cấu hình riêng: {path}")
    print(f"  người ghi: {settings.nguoi_ghi}")
    where = f" (từ {settings.don_vi_from})" if settings.don_vi_from else ""
    print(f"  đơn vị: {settings.don_vi or 'chưa khai báo'}{where}")
