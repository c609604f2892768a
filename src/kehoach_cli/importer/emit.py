"""Plan data as YAML text in the house style of plans/kh160.yaml.

Written by hand rather than by `yaml.dump` for what a reviewer reads: keys in schema order,
long text as folded `>-` blocks wrapped near 88 columns, task ids quoted ("4", "1.10": anything
that another YAML reader could take for a number is quoted), body
codes as flow lists (`[ĐU, MTTQ]`), Vietnamese unescaped, and comments beside the fields they
concern. Anything that would not be read back exactly as plain or folded text is written
double-quoted (JSON string syntax is valid YAML).
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from kehoach_cli.text import printable

WIDTH = 88
_FLOW_KEYS = {"don_vi", "chi_dao", "tham_muu_thuc_hien", "chu_tri", "phoi_hop", "ten_khac",
              "thanh_vien"}
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_NOT_PLAIN = re.compile(
    r":(\s|$)|\s#|\s$|^(?:null|~|true|false|yes|no|on|off|y|n)$|^[-+.]?\d[\d._:eE+-]*$"
    r"|^\d{4}-\d\d?-\d\d?",
    re.IGNORECASE,
)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]|\s\s|^\s|\s$")

Comments = dict[tuple[Any, ...], list[str]]


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether `text` reads back as the same string when written without quotes."""
    if not text or not _PLAIN.match(text) or _NOT_PLAIN.search(text) or _UNSAFE.search(text):
        return False
    return not (flow and re.search(r"[,\[\]{}]", text))


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    text = str(value)
    return text if plain_ok(text, flow) else quoted(text)


class Writer:
    """Appends YAML lines; `comments` are written above the field whose path they name."""

    def __init__(self, comments: Comments) -> None:
        self.out: list[str] = []
        self.comments = comments

    def comment(self, indent: int, text: str) -> None:
        pad = " " * indent
        # A control character, U+0085 or U+2028 in a comment would end it for YAML, and what
        # follows would be read as plan content: comments hold only visible text.
        for paragraph in printable(text).split("\n"):
            for line in textwrap.wrap(paragraph, WIDTH - indent - 2, break_long_words=False,
                                      break_on_hyphens=False) or [""]:
                self.out.append(f"{pad}# {line}".rstrip())

    def comments_for(self, path: tuple[Any, ...], indent: int) -> None:
        for text in self.comments.get(path, []):
            self.comment(indent, text)

    def text_field(self, prefix: str, value: str | None, indent: int) -> None:
        """`prefix` is "key: " or "- "; long or multi-line text goes into a block."""
        if value is None:
            self.out.append(f"{prefix}null")
            return
        one_line = scalar(value)
        simple = "\n" not in value and not _UNSAFE.search(value)
        if simple and len(prefix) + len(one_line) <= WIDTH:
            self.out.append(prefix + one_line)
            return
        pad = " " * indent
        if not simple and ("\n" not in value or _UNSAFE.search(value.replace("\n", " "))):
            self.out.append(prefix + quoted(value))
            return
        if "\n" in value:
            self.out.append(prefix + "|-")
            self.out.extend(f"{pad}{line}" if line else "" for line in value.split("\n"))
            return
        self.out.append(prefix + ">-")
        for line in textwrap.wrap(value, WIDTH - indent, break_long_words=False,
                                  break_on_hyphens=False):
            self.out.append(pad + line)

    def mapping(self, data: dict[str, Any], indent: int, path: tuple[Any, ...],
                first_prefix: str | None = None) -> None:
        pad = " " * indent
        for i, (key, value) in enumerate(data.items()):
            lead = first_prefix if (i == 0 and first_prefix is not None) else pad
            here = (*path, key)
            if i > 0 or first_prefix is None:
                self.comments_for(here, indent)
            prefix = f"{lead}{key}: "
            self.value(prefix, key, value, indent, here)

    def value(self, prefix: str, key: str, value: Any, indent: int, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            self.out.append(prefix.rstrip())
            self.mapping(value, indent + 2, path)
        elif isinstance(value, list):
            if key in _FLOW_KEYS and all(isinstance(v, str) for v in value):
                self.out.append(prefix + "[" + ", ".join(scalar(v, flow=True) for v in value) + "]")
            elif not value:
                self.out.append(prefix + "[]")
            else:
                self.out.append(prefix.rstrip())
                self.sequence(value, indent + 2, path)
        elif isinstance(value, int) and not isinstance(value, bool):
            self.out.append(f"{prefix}{value}")
        else:
            self.text_field(prefix, value if value is None else str(value), indent + 2)

    def sequence(self, items: list[Any], indent: int, path: tuple[Any, ...]) -> None:
        pad = " " * indent
        for i, item in enumerate(items):
            here = (*path, i)
            if path == ("noi_dung",) and i > 0:
                self.out.append("")  # groups apart, as in plans/kh160.yaml
            self.comments_for(here, indent)
            if isinstance(item, dict):
                self.mapping(item, indent + 2, here, first_prefix=pad + "- ")
            else:
                self.text_field(pad + "- ", None if item is None else str(item), indent + 2)


def emit(data: dict[str, Any], comments: Comments, header: list[str]) -> str:
    """The YAML text of a plan; `header` lines become the opening comment."""
    writer = Writer(comments)
    for line in header:
        writer.comment(0, line)
    for key, value in data.items():
        if key in {"ke_hoach", "don_vi", "noi_dung"}:
            writer.out.append("")
        writer.comments_for((key,), 0)
        writer.value(f"{key}: ", key, value, 0, (key,))
    return "\n".join(writer.out) + "\n"
