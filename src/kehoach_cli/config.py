"""Settings: who logs notes and which period convention reports use.

Read from, in order of precedence: environment (KEHOACH_NGUOI_GHI, KEHOACH_CHOT), the
workspace file `kehoach.toml` in the plans folder (shared through git), then the user's
file `config.toml` in KEHOACH_CONFIG_DIR or the platform's config folder.
"""

from __future__ import annotations

import getpass
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kehoach_cli.errors import KehoachError
from kehoach_cli.periods import Convention

WORKSPACE_FILE = "kehoach.toml"
_KEYS = {"nguoi_ghi", "chot"}


@dataclass(frozen=True)
class Settings:
    """The effective settings for a command."""

    nguoi_ghi: str
    chot: Convention = Convention.LICH


def user_config_dir() -> Path:
    override = os.environ.get("KEHOACH_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "kehoach"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "kehoach"


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KehoachError(f"{path}: tệp cấu hình không hợp lệ ({exc})") from None
    unknown = set(data) - _KEYS
    if unknown:
        raise KehoachError(f"{path}: khóa không hợp lệ {', '.join(sorted(unknown))}; "
                           f"chỉ dùng: {', '.join(sorted(_KEYS))}")
    return data


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "không rõ"


def load_settings(plans_dir: Path | None = None) -> Settings:
    """The settings for a workspace whose plans live in `plans_dir`."""
    merged: dict[str, object] = {}
    merged.update(_read(user_config_dir() / "config.toml"))
    if plans_dir is not None:
        merged.update(_read(plans_dir / WORKSPACE_FILE))
    for key in _KEYS:
        env = os.environ.get(f"KEHOACH_{key.upper()}")
        if env:
            merged[key] = env
    who = str(merged.get("nguoi_ghi") or _default_user()).strip()
    chot_text = str(merged.get("chot") or Convention.LICH.value)
    try:
        chot = Convention(chot_text)
    except ValueError:
        raise KehoachError(f"cấu hình chot = “{chot_text}” không hợp lệ: dùng “lich” hoặc “nd09”") from None
    return Settings(nguoi_ghi=who, chot=chot)
