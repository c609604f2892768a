"""Options shared by several commands, declared once so they read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach_cli.render.output import Format

PlanPaths = Annotated[
    Optional[list[Path]],  # noqa: UP045 - Typer reads this annotation at run time
    typer.Option(
        "--ke-hoach",
        "-k",
        help="Tệp hoặc thư mục kế hoạch (.yaml); mặc định: mọi kế hoạch trong ./plans/. "
        "Có thể dùng nhiều lần.",
        show_default=False,
        metavar="ĐƯỜNG_DẪN",
    ),
]


FormatOption = Annotated[
    Format,
    typer.Option(
        "--dinh-dang",
        "-d",
        help="Định dạng đầu ra: bang (bảng trên màn hình), json, csv (mở được bằng Excel), md.",
        case_sensitive=False,
    ),
]
