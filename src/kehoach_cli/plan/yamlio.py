"""Reading YAML safely: size, encoding, tabs, object tags, alias bombs, and positions.

Plain scalars are all read as text (no implicit ints, floats, booleans or dates), so task
id 1.10 stays "1.10", "4" stays "4" and a date stays as written until the schema reads it.
Aliases are refused outright: a plan never needs them, and this is the simplest complete
defence against "billion laughs".

Most plans are read by `fastyaml`'s line reader; PyYAML and libyaml (`yamllib`) are
imported only for a text it declines, or to locate a problem: a cold run on such plans
does not pay for importing them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from kehoach_cli.errors import PlanInvalid, os_reason
from kehoach_cli.plan import fastyaml
from kehoach_cli.plan.model import MAX_FILE_BYTES
from kehoach_cli.problems import Problem, format_problems

MAX_BYTES = MAX_FILE_BYTES
def _fail(problem: Problem) -> NoReturn:
    raise PlanInvalid(format_problems([problem]), problems=[problem])


def _refuse_size(path: Path, size: int) -> None:
    if size > MAX_BYTES:
        _fail(Problem(path, None, None, "",
                      f"tệp quá lớn ({size // 1024} KB, tối đa {MAX_BYTES // 1024} KB); "
                      "một kế hoạch chỉ vài chục KB, hãy kiểm tra lại tệp"))


def read_text(path: Path) -> str:
    """Read a UTF-8 file (BOM allowed), refusing huge or non-UTF-8 files; return NFC text."""
    try:
        _refuse_size(path, path.stat().st_size)  # before reading a huge file whole
        raw = path.read_bytes()
    except FileNotFoundError:
        _fail(Problem(path, None, None, "", "không tìm thấy tệp"))
    except IsADirectoryError:
        _fail(Problem(path, None, None, "", "đây là thư mục, không phải tệp"))
    except OSError as exc:
        _fail(Problem(path, None, None, "", f"không đọc được tệp ({os_reason(exc)})"))
    return decode_text(path, raw)


def decode_text(path: Path, raw: bytes) -> str:
    """The NFC text of a plan file's bytes (UTF-8, BOM allowed); `path` names it in errors."""
    _refuse_size(path, len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(Problem(path, line, column, "", "tệp không phải UTF-8 (có thể đang là "
                      "Windows-1258 hoặc TCVN3); hãy lưu lại tệp với mã hóa UTF-8"))
    return unicodedata.normalize("NFC", text)


_TAB_INDENT = re.compile(r"^( *)\t", re.MULTILINE)


def _tab_problems(path: Path, text: str) -> list[Problem]:
    if "\t" not in text:  # nearly every plan: one C scan instead of a regex per line
        return []
    problems = []
    for match in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(
            Problem(path, line, len(match.group(1)) + 1, "",
                    "thụt lề bằng phím Tab; YAML chỉ chấp nhận dấu cách, hãy thay Tab bằng dấu cách")
        )
    return problems


MAX_DEPTH = 64  # a plan nests about 8 levels (noi_dung, a section, nhiem_vu, a task, ...)
_ALIAS_MESSAGE = "không dùng neo/bí danh YAML (& và *): hãy viết đầy đủ nội dung"
_DEPTH_MESSAGE = (f"danh sách và bảng lồng nhau quá {MAX_DEPTH} cấp: một kế hoạch chỉ lồng "
                  "vài cấp, hãy kiểm tra lại dấu [ ] { } và thụt lề")


def _shape_problem(data: Any) -> str | None:
    """What is wrong with the shape of parsed data: a list or mapping reachable twice (the
    sign of an alias), or nesting deeper than any plan (later code would recurse on it)."""
    seen: set[int] = set()
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                return _ALIAS_MESSAGE
            if depth >= MAX_DEPTH:
                return _DEPTH_MESSAGE
            seen.add(id(item))
            stack.extend((child, depth + 1)
                         for child in (item.values() if isinstance(item, dict) else item))
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def load_yaml(path: Path, text: str) -> Any:
    """Parse YAML text into plain data, or raise `PlanInvalid` with located problems."""
    problems = _tab_problems(path, text)
    if problems:
        raise PlanInvalid(format_problems(problems), problems=problems)
    # The line reader for plain block YAML first (most plans), then libyaml's nodes, then
    # PyYAML's full loader, which alone words errors: each declines what it is unsure of.
    try:
        return fastyaml.load(text)
    except fastyaml.Decline:
        pass
    from kehoach_cli.plan import yamllib  # PyYAML only for what the line reader declines

    return yamllib.load(path, text)


@dataclass
class Marks:
    """Where each value (and each mapping key) starts, by path of keys and indexes."""

    values: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)

    def find(self, loc: tuple[Any, ...], key: bool = False) -> tuple[int, int] | None:
        """The position of `loc`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        if loc in table:
            return table[loc]
        for end in range(len(loc) - 1, -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return None


def marks_of(text: str) -> Marks:
    """Positions of every node; only called when there is a problem to locate."""
    from kehoach_cli.plan import yamllib

    return yamllib.marks_of(text)
