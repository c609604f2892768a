"""Settings: who logs notes, for which body, and which period convention reports use.

Two kinds of setting, kept in two places:
- a person's identity (`nguoi_ghi`, `don_vi`) lives in that person's own file `config.toml`
  (KEHOACH_CONFIG_DIR, else the platform's config folder; written by `kehoach cau-hinh`);
  the shared workspace file refuses it, so one person's name is never stamped on the notes
  of everyone who pulls the workspace;
- shared settings (`chot`; `noi_nhan_bao_cao`, the recipients of a report going up, one a
  line in a TOML multi-line string; `ky_dau_ky`, which period a report made in the first
  days of a period means) may live in the workspace file `kehoach.toml` in the plans folder
  (shared through git), which then beats the person's file.
The environment (KEHOACH_NGUOI_GHI, KEHOACH_DON_VI, KEHOACH_CHOT) beats both.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kehoach_cli.errors import KehoachError
from kehoach_cli.periods import Convention
from kehoach_cli.safe_fs import home
from kehoach_cli.text import first_unsafe, unsafe_reason

WORKSPACE_FILE = "kehoach.toml"
USER_FILE = "config.toml"
PERSON_KEYS = ("nguoi_ghi", "don_vi")
SHARED_KEYS = ("chot", "noi_nhan_bao_cao", "ky_dau_ky")
_ALL_KEYS = PERSON_KEYS + SHARED_KEYS
_CHOT_VALUES = ", ".join(f"“{c.value}”" for c in Convention)


@dataclass(frozen=True)
class Settings:
    """The effective settings for a command.

    `don_vi` is the body the person reports for, as written in the config (a code or name,
    resolved against each plan's registry where it is used); None when not set.
    """

    nguoi_ghi: str
    chot: Convention = Convention.LICH
    don_vi: str | None = None
    don_vi_from: str | None = None  # where `don_vi` came from, for messages
    # Recipients of a report going up (`report --xuat`), one a line; empty: the default.
    noi_nhan_bao_cao: tuple[str, ...] = ()
    # In the first days of a period, `report` without an explicit --ky reports the period
    # just closed ("vua-xong") instead of the one just begun ("hien-tai", the default).
    ky_dau_ky: str = "hien-tai"


def user_config_dir() -> Path:
    """KEHOACH_CONFIG_DIR, else the platform's config folder."""
    override = os.environ.get("KEHOACH_CONFIG_DIR")
    if override:
        return Path(override)
    try:
        if sys.platform == "win32":
            return Path(os.environ.get("APPDATA") or home() / "AppData" / "Roaming") / "kehoach"
        return Path(os.environ.get("XDG_CONFIG_HOME") or home() / ".config") / "kehoach"
    except OSError:
        # No home folder (no HOME, a user id without a passwd entry): a folder that can never
        # exist, so there is no personal config to read, and writing one says why it cannot.
        return Path(os.devnull) / "kehoach"


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


def user_config_file() -> Path:
    """The person's own config file (it may not exist yet)."""
    return user_config_dir() / USER_FILE


def _read(path: Path, allowed: tuple[str, ...]) -> dict[str, str]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise KehoachError(_toml_problem(path, exc)) from None
    except UnicodeDecodeError:
        raise KehoachError(f"{path}: tệp cấu hình không phải UTF-8; hãy lưu lại với mã hóa "
                           "UTF-8") from None
    except OSError as exc:
        from kehoach_cli.errors import ExitCode, os_reason

        raise KehoachError(f"{path}: không đọc được tệp cấu hình ({os_reason(exc)})",
                           ExitCode.IO) from None
    person = sorted(set(data) & set(PERSON_KEYS) - set(allowed))
    if person:
        raise KehoachError(
            f"{path}: {', '.join(person)} là thông tin riêng của từng người, không đặt trong tệp "
            f"dùng chung (mọi người kéo về sẽ ghi dưới cùng một tên); hãy xóa dòng đó và để mỗi "
            f"người chạy một lần: kehoach cau-hinh (ghi vào {user_config_file()})")
    unknown = sorted(set(data) - set(_ALL_KEYS))
    if unknown:
        raise KehoachError(f"{path}: khóa không hợp lệ {', '.join(unknown)}; "
                           f"chỉ dùng: {', '.join(allowed)}")
    out: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            raise KehoachError(f"{path}: {key} phải là một chuỗi trong ngoặc kép, không rỗng, "
                               f"ví dụ {key} = {_example(key)}")
        out[key] = value.strip()
    if "chot" in out:
        _convention(out["chot"], f"{path}: chot")
    if out.get("ky_dau_ky", "hien-tai") not in ("hien-tai", "vua-xong"):
        raise KehoachError(f"{path}: ky_dau_ky = “{out['ky_dau_ky']}” không hợp lệ: dùng "
                           "“hien-tai” (kỳ chứa ngày tính đến) hoặc “vua-xong” (những ngày đầu "
                           "kỳ thì báo cáo kỳ vừa kết thúc)")
    return out


def _example(key: str) -> str:
    return {"nguoi_ghi": '"Nguyễn Văn A"', "don_vi": '"MTTQ"', "chot": '"nd09"',
            "noi_nhan_bao_cao": '"""\nBan Thường vụ Thành ủy (b/c),\nLưu Văn phòng Đảng ủy."""',
            "ky_dau_ky": '"vua-xong"'}[key]


def _convention(text: str, where: str) -> Convention:
    try:
        return Convention(text)
    except ValueError:
        raise KehoachError(f"{where} = “{text}” không hợp lệ: dùng {_CHOT_VALUES}") from None


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "không rõ"


def read_user_config() -> dict[str, str]:
    """What the person's own file holds (empty when it does not exist)."""
    return _read(user_config_file(), _ALL_KEYS)


def load_settings(plans_dir: Path | None = None) -> Settings:
    """The settings for a workspace whose plans live in `plans_dir`."""
    user_file = user_config_file()
    merged = read_user_config()
    source = {key: str(user_file) for key in merged}
    if plans_dir is not None:
        shared_file = plans_dir / WORKSPACE_FILE
        shared = _read(shared_file, SHARED_KEYS)
        merged.update(shared)
        source.update({key: str(shared_file) for key in shared})
    for key in _ALL_KEYS:
        env = os.environ.get(f"KEHOACH_{key.upper()}", "").strip()
        if env:
            merged[key] = env
            source[key] = f"biến môi trường KEHOACH_{key.upper()}"
    chot = _convention(merged.get("chot", Convention.LICH.value), f"cấu hình chot ({source.get('chot')})")
    for key in PERSON_KEYS:  # stamped on every note: no control character, no raw byte
        bad = first_unsafe(merged.get(key, ""), multiline=False)
        if bad:
            raise KehoachError(f"{key} (theo {source[key]}) {unsafe_reason(bad)}")
    return Settings(nguoi_ghi=merged.get("nguoi_ghi") or _default_user(), chot=chot,
                    don_vi=merged.get("don_vi"), don_vi_from=source.get("don_vi"),
                    noi_nhan_bao_cao=_lines(merged.get("noi_nhan_bao_cao", "")),
                    ky_dau_ky=merged.get("ky_dau_ky", "hien-tai"))


def _lines(text: str) -> tuple[str, ...]:
    """A multi-line setting, one item a line, a leading "- " dropped."""
    return tuple(line.strip().lstrip("-").strip() for line in text.splitlines()
                 if line.strip().lstrip("-").strip())


def _toml_line(key: str, value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes), Vietnamese kept as text.
    return f"{key} = {json.dumps(value, ensure_ascii=False)}\n"


def write_user_config(values: dict[str, str]) -> Path:
    """Set `values` in the person's own file, keeping its other keys; atomic replace.

    The folder is created when missing. Returns the file written.
    """
    from kehoach_cli.atomic import write_text
    from kehoach_cli.errors import ExitCode, os_reason

    path = user_config_file()
    current = read_user_config()
    current.update(values)
    text = ("# Cấu hình riêng của người dùng kehoach (viết bởi: kehoach cau-hinh).\n"
            + "".join(_toml_line(key, current[key]) for key in _ALL_KEYS if key in current))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KehoachError(f"{path.parent}: không tạo được thư mục cấu hình ({os_reason(exc)})",
                           ExitCode.IO) from None
    write_text(path, text, overwrite=True)
    return path
