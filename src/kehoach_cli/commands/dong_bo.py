"""`kehoach dong-bo`: share the plans and journal with the other machines, through git,
without learning git. Thin: `sync.workflow` does the work, this prints the outcome."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from kehoach_cli.sync.git import Git

_Text = Optional[str]  # noqa: UP045 - Typer reads this annotation at run time


def dong_bo(
    tao: Annotated[_Text, typer.Option(
        "--tao", metavar="KHO", show_default=False,
        help="Lần đầu, ở máy giữ kế hoạch: tạo kho chung tại KHO (thư mục chia sẻ trong mạng, "
        "ổ USB, hoặc địa chỉ một kho trống trên máy chủ git) rồi gửi kế hoạch lên.")] = None,
    tham_gia: Annotated[_Text, typer.Option(
        "--tham-gia", metavar="KHO", show_default=False,
        help="Lần đầu, ở các máy khác: lấy kế hoạch và nhật ký từ kho chung KHO về thư mục này.")
    ] = None,
    theo_kho_chung: Annotated[bool, typer.Option(
        "--theo-kho-chung", help="Khi tệp kế hoạch bị sửa khác nhau ở hai nơi: lấy bản trên kho "
        "chung (bản của máy này giữ lại thành TÊN.yaml.ban-cua-may-nay để đối chiếu).")] = False,
    chi_tiet: Annotated[bool, typer.Option(
        "--chi-tiet", help="In cả những gì git báo (tiếng Anh), để người phụ trách xem.")] = False,
) -> None:
    """Đồng bộ kế hoạch và nhật ký với các máy khác qua kho chung (git chạy bên dưới).

    Mỗi lần: lưu ghi nhận mới trên máy này, lấy ghi nhận của người khác về, gửi của mình đi,
    báo số bản ghi nhận về và gửi đi. Không hỏi gì, không mở trình soạn thảo; mất mạng thì
    ghi nhận vẫn an toàn trên máy, có mạng chạy lại là xong. Ví dụ lần đầu:
    kehoach dong-bo --tao "\\\\may-chu\\chung\\kehoach.git", rồi ở máy khác
    kehoach dong-bo --tham-gia "\\\\may-chu\\chung\\kehoach.git".
    """
    from kehoach_cli.config import load_settings
    from kehoach_cli.errors import KehoachError
    from kehoach_cli.sync.git import Git, GitFailed
    from kehoach_cli.sync.workflow import create_shared, join_shared, sync

    if tao is not None and tham_gia is not None:
        raise KehoachError("dùng --tao (máy giữ kế hoạch) hoặc --tham-gia (các máy khác), không "
                           "dùng cả hai")
    plans = Path("plans")
    name = load_settings(plans if plans.is_dir() else None).nguoi_ghi
    git = Git(Path.cwd())
    try:
        if tao is not None:
            result = create_shared(git, tao, name)
        elif tham_gia is not None:
            result = join_shared(git, tham_gia, name)
        else:
            result = sync(git, name, theo_kho_chung)
    except GitFailed as exc:
        _details(git, chi_tiet)
        raise KehoachError(f"git dừng lại ở bước “git {' '.join(exc.run.args[:2])}” mà kehoach "
                           "chưa biết cách giải thích; ghi nhận trên máy này không mất. Chạy lại "
                           "với --chi-tiet và gửi nội dung cho người phụ trách") from None
    except KehoachError:
        _details(git, chi_tiet)
        raise
    _details(git, chi_tiet)
    if result.sent or result.received:
        print(f"Đã đồng bộ với kho chung {result.remote}: gửi đi {result.sent} bản ghi nhật ký, "
              f"nhận về {result.received} bản ghi.")
    else:
        print(f"Đã đồng bộ với kho chung {result.remote}: không có ghi nhận mới ở cả hai phía.")
    for note in result.notes:
        print(f"Lưu ý: {note}", file=sys.stderr)


def _details(git: Git, wanted: bool) -> None:
    if wanted:
        for run in git.log:
            print(run.text, file=sys.stderr)
