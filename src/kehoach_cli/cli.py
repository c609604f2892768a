"""The Typer application: command registration and the one error boundary.

No file, date or text logic lives here: each command is a thin function in `commands/`.
"""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Callable
from typing import Any, TextIO

import typer

from kehoach_cli import __version__, gcpolicy, i18n
from kehoach_cli.commands import (
    cau_hinh,
    check,
    don_vi,
    dong_bo,
    log,
    nhap,
    nhap_phieu,
    nhat_ky,
    phieu,
    report,
    show,
)
from kehoach_cli.commands import list as list_cmd
from kehoach_cli.errors import ExitCode, KehoachError, os_reason
from kehoach_cli.text import nfc, printable

_SETTINGS: dict[str, Any] = {
    "name": "kehoach",
    "help": "Theo dõi thực hiện Kế hoạch của Đảng ủy: ai làm gì, đã làm gì, báo cáo định kỳ.",
    "no_args_is_help": True,
    "rich_markup_mode": None,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "options_metavar": "[TÙY CHỌN]",
    "subcommand_metavar": "LỆNH [ĐỐI SỐ]...",
}
app = typer.Typer(**_SETTINGS)


def _version(value: bool) -> None:
    if value:
        print(f"kehoach {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", help="In phiên bản rồi thoát.", callback=_version, is_eager=True
    ),
) -> None:
    """Theo dõi thực hiện Kế hoạch của Đảng ủy: ai làm gì, đã làm gì, báo cáo định kỳ.

    Kế hoạch là tệp YAML trong thư mục plans/ (hoặc chỉ rõ bằng --ke-hoach).
    """


# Command registration, in the order `kehoach --help` lists them: who does what, logging
# progress, reviewing it, then the plan files themselves. Short help fits one line.
_COMMANDS: list[tuple[str, Callable[..., None], str]] = [
    ("list", list_cmd.list_tasks, "Liệt kê nhiệm vụ theo đơn vị, vai trò, mục, trạng thái."),
    ("show", show.show, "Xem trọn một nhiệm vụ và lịch sử ghi nhận của nó."),
    ("don-vi", don_vi.bodies, "Danh mục đơn vị, nhóm và số nhiệm vụ; thêm, sửa, gộp đơn vị."),
    ("log", log.log, "Ghi nhận tiến độ một nhiệm vụ vào nhật ký."),
    ("sua", log.sua, "Sửa một ghi nhận (bản cũ vẫn được giữ)."),
    ("huy", log.huy, "Hủy một ghi nhận nhầm (bản cũ vẫn được giữ)."),
    ("nhat-ky", nhat_ky.nhat_ky, "Các ghi nhận gần nhất, lọc theo đơn vị, nhiệm vụ, ngày."),
    ("report", report.report, "Báo cáo định kỳ (tháng, quý, 6 tháng, 9 tháng, năm); xuất Word, Excel."),
    ("phieu", phieu.phieu, "Lập phiếu báo cáo Excel cho đơn vị điền và gửi lại."),
    ("nhap-phieu", nhap_phieu.nhap_phieu, "Nhập phiếu báo cáo Excel đã điền vào nhật ký."),
    ("dong-bo", dong_bo.dong_bo, "Đồng bộ kế hoạch và nhật ký với các máy khác (qua git)."),
    ("nhap", nhap.nhap, "Nhập kế hoạch từ Word, Markdown hoặc văn bản thành YAML."),
    ("check", check.check, "Kiểm tra tệp kế hoạch và nhật ký, chỉ rõ dòng cần sửa."),
    ("cau-hinh", cau_hinh.cau_hinh, "Khai báo một lần tên người ghi và đơn vị của mình."),
]


def _register(target: typer.Typer, name: str, function: Callable[..., None], short: str) -> None:
    if function is don_vi.bodies:
        # `don-vi` alone lists the registry; its verbs (them, sua, gop, nhom) edit it.
        target.add_typer(don_vi.app, name=name, short_help=short)
    else:
        target.command(name, short_help=short, options_metavar="[TÙY CHỌN]")(function)


app.callback()(_root)
for _entry in _COMMANDS:
    _register(app, *_entry)


def _app_for(args: list[str]) -> typer.Typer:
    """The application with only the command `args` start with: Typer builds every
    registered command's options on each run (25 ms, a tenth of a `list`), and a run uses
    one. The whole application otherwise: `kehoach`, `kehoach --help`, `--version`, and a
    name it does not know, whose messages speak of the others."""
    if args:
        for entry in _COMMANDS:
            if entry[0] == args[0]:
                one = typer.Typer(**_SETTINGS)
                one.callback()(_root)
                _register(one, *entry)
                return one
    return app


def _reconfigure_streams() -> None:
    # Windows consoles default to a legacy code page that cannot print Vietnamese.
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _open_standard_fds() -> bool:
    """Put the null device on any of fds 0-2 the caller closed (`kehoach list >&-`); return
    whether stdout was closed.

    Otherwise the next file opened takes the free number: a journal opened as fd 1 would
    receive whatever is printed.
    """
    import os

    closed_stdout = False
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            closed_stdout = closed_stdout or fd == 1
    if closed_stdout or sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        closed_stdout = True
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    return closed_stdout


class _SafeStream:
    """stderr as the boundary writes to it: every message, whoever wrote it, goes through
    `text.printable`, so a code, a file name or an argument echoed back cannot carry a
    terminal escape or a bidirectional override to the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _as_typed(arg: str) -> str:
    """An argument in NFC, unless it names an existing file as typed (a name copied from a
    Mac is NFD on disk: its NFC form would not be found)."""
    import os

    normal = nfc(arg)
    if normal == arg:
        return arg
    value = arg.partition("=")[2] if arg.startswith("--") else arg
    try:
        return arg if value and os.path.lexists(value) else normal
    except (ValueError, OSError):  # a name the file system cannot take
        return normal


# EDQUOT (over quota) is not defined on every platform.
_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG,
                  getattr(errno, "EDQUOT", errno.ENOSPC)}


def _output_failed(exc: OSError) -> bool:
    """Whether `exc` is stdout refusing a write (a closed pipe, a full disk): file writes of
    the commands raise their own `KehoachError` naming the file."""
    return exc.filename is None and exc.errno in _OUTPUT_ERRORS


def _silence_stdout() -> None:
    # Python flushes stdout once more at exit; with the pipe gone that would print a
    # traceback after the message.
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning user errors into Vietnamese messages and exit codes."""
    stdout_closed = _open_standard_fds()
    _reconfigure_streams()
    stderr = sys.stderr
    sys.stderr = _SafeStream(stderr)
    try:
        if stdout_closed:
            print("Cảnh báo: đầu ra chuẩn (stdout) đã bị đóng; kết quả không được in ra.",
                  file=sys.stderr)
        code = _run([_as_typed(arg) for arg in (sys.argv[1:] if argv is None else argv)])
    finally:
        sys.stderr = stderr
    sys.exit(code)


def _run(args: list[str]) -> int:
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    i18n.install()
    try:
        with gcpolicy.paused():
            code = _app_for(args)(args=args, prog_name="kehoach", standalone_mode=False)
        sys.stdout.flush()  # inside the boundary: a full disk or closed pipe shows up here
    except typer.Exit as exc:
        code = exc.exit_code
    except NoArgsIsHelpError as exc:
        print(exc.format_message())
        code = ExitCode.OK
    except ClickException as exc:
        hint = "" if exc.exit_code != ExitCode.USAGE else "\nXem hướng dẫn: kehoach --help"
        print(f"Lỗi: {i18n.translate(exc.format_message())}{hint}", file=sys.stderr)
        code = exc.exit_code
    except KehoachError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        print("Đã hủy.", file=sys.stderr)
        code = 130
    except OSError as exc:
        if not _output_failed(exc):
            raise
        _silence_stdout()
        if exc.errno == errno.EPIPE:  # `kehoach list | head`: the reader had enough
            return 141
        print(f"Lỗi: không ghi được kết quả ra đầu ra chuẩn ({os_reason(exc)})", file=sys.stderr)
        code = ExitCode.IO
    return int(code) if isinstance(code, int) else 0
