"""Settings: who logs notes and which period convention reports use.

Read from, in order of precedence: environment (KEHOACH_NGUOI_GHI, KEHOACH_CHOT), the
workspace file `kehoach.toml` in the plans folder (shared through git), then the user's
file `config.toml` in KEHOACH_CONFIG_DIR or the platform's config folder.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kehoach_cli.errors import ExitCode, KehoachError, os_reason
from kehoach_cli.periods import Convention
from kehoach_cli.safe_fs import home
from kehoach_cli.text import first_unsafe, unsafe_reason

WORKSPACE_FILE = "kehoach.toml"
_KEYS = {"nguoi_ghi", "chot"}


@dataclass(frozen=True)
class Settings:
    """The effective settings for a command."""

    nguoi_ghi: str
    chot: Convention = Convention.LICH


def user_config_dir() -> Path | None:
    """KEHOACH_CONFIG_DIR, else the platform's config folder; None without a home folder."""
    override = os.environ.get("KEHOACH_CONFIG_DIR")
    if override:
        return Path(override)
    try:
        if sys.platform == "win32":
            return Path(os.environ.get("APPDATA") or home() / "AppData" / "Roaming") / "kehoach"
        return Path(os.environ.get("XDG_CONFIG_HOME") or home() / ".config") / "kehoach"
    except OSError:  # no HOME and no passwd entry (some containers): no user config then
        return None


# tomllib's reasons, in the words of the user; an unlisted one gets the generic sentence.
_TOML_REASONS = [
    ("Expected '=' after a key", "thiếu dấu “=” sau tên khóa (tên khóa không có dấu cách)"),
    ("Invalid value", "giá trị không hợp lệ: văn bản phải đặt trong ngoặc kép, ví dụ "
     'nguoi_ghi = "Nguyễn Văn A"'),
    ("Unterminated string", "chuỗi trong ngoặc kép chưa đóng"),
    ("Cannot overwrite a value", "một khóa được ghi hai lần; hãy giữ một"),
    ("Cannot declare", "một bảng [..] được khai báo hai lần"),
    ("Expected ']'", "thiếu dấu “]” ở cuối tên bảng"),
    ("Expected newline or end of document", "sau giá trị còn thừa ký tự (mỗi khóa một dòng)"),
    ("Invalid statement", "dòng không phải dạng khóa = giá trị"),
    ("Unescaped '\\'", "ký tự “\\” trong ngoặc kép: dùng ngoặc đơn '...' hoặc viết “\\\\”"),
    ("Unclosed", "thiếu dấu đóng ngoặc"),
    ("Illegal character '\\n'", "chuỗi trong ngoặc kép chưa đóng trước khi hết dòng"),
    ("Illegal character", "có ký tự điều khiển"),
]
_TOML_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def _toml_problem(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """`file:line:column: reason`, in Vietnamese."""
    message = str(exc)
    where = str(path)
    at = _TOML_AT.search(message)
    if at is not None:
        message = message[:at.start()]
        where += f":{at.group(1)}:{at.group(2)}" if at.group(1) else " (cuối tệp)"
    reason = next((vi for english, vi in _TOML_REASONS if message.startswith(english)),
                  "cú pháp không hợp lệ")
    return (f"{where}: tệp cấu hình không hợp lệ ({reason}); mỗi dòng có dạng "
            'khóa = "giá trị"')


def _read(path: Path) -> dict[str, tuple[str, str]]:
    """The keys of a TOML settings file, each with its value and the file it came from."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise KehoachError(_toml_problem(path, exc)) from None
    except UnicodeDecodeError:
        raise KehoachError(f"{path}: tệp cấu hình không phải UTF-8; hãy lưu lại với mã hóa "
                           "UTF-8") from None
    except OSError as exc:  # a folder of that name, no permission, a file where a folder is
        raise KehoachError(f"{path}: không đọc được tệp cấu hình ({os_reason(exc)})",
                           ExitCode.IO) from None
    unknown = set(data) - _KEYS
    if unknown:
        raise KehoachError(f"{path}: khóa không hợp lệ {', '.join(sorted(unknown))}; "
                           f"chỉ dùng: {', '.join(sorted(_KEYS))}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise KehoachError(f"{path}: {key} phải là văn bản trong ngoặc kép, ví dụ "
                               f'{key} = "{_EXAMPLES[key]}"')
    return {key: (value, str(path)) for key, value in data.items()}


_EXAMPLES = {"nguoi_ghi": "Nguyễn Văn A", "chot": "lich"}


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "không rõ"


def load_settings(plans_dir: Path | None = None) -> Settings:
    """The settings for a workspace whose plans live in `plans_dir`."""
    merged: dict[str, tuple[str, str]] = {}  # key -> (value, where it was set)
    config_dir = user_config_dir()
    if config_dir is not None:
        merged.update(_read(config_dir / "config.toml"))
    if plans_dir is not None:
        merged.update(_read(plans_dir / WORKSPACE_FILE))
    for key in _KEYS:
        name = f"KEHOACH_{key.upper()}"
        env = os.environ.get(name)
        if env:
            merged[key] = (env, f"biến môi trường {name}")
    who, where = merged.get("nguoi_ghi") or (_default_user(), "tên đăng nhập")
    who = who.strip()
    bad = first_unsafe(who, multiline=False)
    if bad:
        raise KehoachError(f"người ghi (nguoi_ghi, theo {where}) {unsafe_reason(bad)}")
    chot_text, where = merged.get("chot") or (Convention.LICH.value, "")
    try:
        chot = Convention(chot_text)
    except ValueError:
        raise KehoachError(f"cấu hình chot = “{chot_text}” ({where}) không hợp lệ: dùng “lich” "
                           "hoặc “nd09”") from None
    return Settings(nguoi_ghi=who or _default_user(), chot=chot)
