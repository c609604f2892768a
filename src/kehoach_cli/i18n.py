"""Vietnamese for the parts of the help and error screens that Typer writes itself.

Typer vendors Click without gettext, so the few English strings are replaced here. Every
patch is guarded: if a future Typer moves them, the screens fall back to English rather
than breaking the tool.
"""

from __future__ import annotations

import re
from typing import Any

HELP_OPTION_TEXT = "Hiện hướng dẫn này rồi thoát."

_MESSAGES = [
    (r"No such option: (\S+)", "không có tùy chọn {0}"),
    (r"Missing argument '(.+?)'\.?", "thiếu đối số {0}"),
    (r"Missing option '(.+?)'\.?", "thiếu tùy chọn {0}"),
    (r"Missing parameter: (\S+)", "thiếu tham số {0}"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+?)\)", "thừa đối số: {0}"),
    (r"No such command '(.+?)'\.", "không có lệnh “{0}”."),
    (r"Option '(.+?)' requires an argument\.?", "tùy chọn {0} cần một giá trị"),
    (r"Option '(.+?)' requires (.+)", "tùy chọn {0} cần {1}"),
    (r"Option '(.+?)' does not take a value\.?", "tùy chọn {0} không nhận giá trị"),
    (r"Invalid value for (.+?): (.+)", "giá trị không hợp lệ cho {0}: {1}"),
    (r"Missing command\.?", "thiếu tên lệnh"),
]
_PHRASES = [
    (" is not one of ", " không phải một trong "),
    (" is not a valid integer.", " không phải số nguyên."),
    (" is not a valid integer range.", " không phải số nguyên."),
    (" is not a valid int range.", " không phải số nguyên."),
    (" is not in the range x>=0.", " phải là số nguyên từ 0 trở lên."),
    (" is not in the range ", " nằm ngoài khoảng cho phép "),
    ("Did you mean", "Có phải ý là"),
    ("(Possible options: ", "(tùy chọn gần giống: "),
    (" does not exist.", " không tồn tại."),
    ("Path ", "Đường dẫn "),
    ("File ", "Tệp "),
    ("Directory ", "Thư mục "),
    (" is a directory.", " là thư mục."),
]


def translate(message: str) -> str:
    """Vietnamese for one of Typer's usage-error messages (unknown ones pass through)."""
    for pattern, template in _MESSAGES:
        match = re.search(pattern, message, flags=re.DOTALL)
        if match:
            replaced = template.format(*match.groups())
            message = message[: match.start()] + replaced + message[match.end() :]
            break
    for english, vietnamese in _PHRASES:
        message = message.replace(english, vietnamese)
    return message


# Strings Typer's plain help passes through gettext.
_GETTEXT = {
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Arguments": "Đối số",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "(deprecated) ": "(không dùng nữa) ",
    "Aborted!": "Đã hủy!",
    "Missing command.": "Thiếu tên lệnh.",
    "No such command {name!r}.": "không có lệnh “{name}”.",
    "Did you mean {possibility!r}?": "Có phải ý là “{possibility}”?",
    "(Possible options: {possibilities})": "(tùy chọn gần giống: {possibilities})",
}


def _gettext(message: str) -> str:
    return _GETTEXT.get(message, message)


_installed = False


def install() -> None:
    """Patch headings, the usage line and the help option's text; cheap, done at every start.

    Help is Typer's plain formatter (`rich_markup_mode=None`): the Rich one imports Markdown
    and syntax highlighting, which alone would make `kehoach --help` 40 % slower.
    """
    global _installed
    if _installed:  # in-process callers run many commands: wrap once, not once per run
        return
    try:
        import typer.core
        from typer._click import core, formatting
    except ImportError:
        return
    _installed = True
    typer.core._ = _gettext  # type: ignore[attr-defined]
    original_help = core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, prefix or "Cách dùng: ")

    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
