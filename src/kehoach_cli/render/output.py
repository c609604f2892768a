"""Pure renderers shared by every command: rows in, text or Rich objects out.

Text from plans and notes is always shown literally: Rich markup such as "[bold]" is never
interpreted (cells are `rich.text.Text`), and control characters, terminal escapes
included, are made visible by `text.printable`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

from kehoach_cli.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from kehoach_cli.problems import Problem

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Format(StrEnum):
    """Output formats for other tools; `bang` is the Rich table for people."""

    BANG = "bang"
    JSON = "json"
    CSV = "csv"
    MD = "md"


@dataclass
class TableData:
    """A titled table of text cells, the common shape of every listing and report."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: str | None = None


def safe_cell(value: str) -> str:
    """Neutralise a CSV cell that a spreadsheet would execute, by a leading apostrophe."""
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(table: TableData) -> str:
    """CSV for Excel: CRLF line ends, formula cells neutralised (add the BOM when writing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(printable(c)) for c in row])
    return buffer.getvalue()


def _md_cell(value: str) -> str:
    return printable(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(table: TableData) -> str:
    """A GitHub-style Markdown table, with the title as a heading."""
    lines = [f"## {_md_cell(table.title)}", ""] if table.title else []
    lines.append("| " + " | ".join(_md_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows)
    return "\n".join(lines) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any) -> str:
    """Readable JSON with Vietnamese as text (not \\u escapes), dates in ISO form."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def to_rich(table: TableData, **options: Any) -> Table:
    """A Rich table whose cells are literal text; options pass to `rich.table.Table`."""
    from rich.table import Table
    from rich.text import Text

    rich_table = Table(title=printable(table.title) if table.title else None, **options)
    for column in table.columns:
        rich_table.add_column(Text(column), overflow="fold")
    for row in table.rows:
        rich_table.add_row(*(Text(printable(cell)) for cell in row))
    return rich_table


def console(stderr: bool = False) -> Console:
    """A console that wraps for the terminal and prints plain text when piped."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def write_csv(text: str) -> None:
    """Write CSV to stdout as UTF-8 with BOM, so Excel shows Vietnamese correctly."""
    data = ("\ufeff" + text).encode("utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def to_terminal() -> bool:
    """Whether stdout is a terminal, with Rich's overrides (FORCE_COLOR, TTY_COMPATIBLE)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    if os.environ.get("TTY_COMPATIBLE") == "0":
        return False
    return sys.stdout.isatty()


# Text made only of these takes one column per character: Latin with Vietnamese letters in
# NFC (U+0000-U+02FF, U+1E00-U+1EFF) and general punctuation (“ ” – …). A tiny class keeps the
# regex cheap to compile at start-up; anything else takes the slow, exact path.
_SINGLE = re.compile("[\x20-\x7e\xa0-\u02ff\u1e00-\u1eff\u2010-\u2027\u2030-\u205e]*")


def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal (Vietnamese in NFC: one per character)."""
    if _SINGLE.fullmatch(text):
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or "\u200b" <= ch <= "\u200f":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _literal(text: str) -> str:
    # Most cells have no control character: skip the regex for them (60,000 cells for a
    # listing of 10,000 tasks).
    return text if text.isprintable() else printable(text).replace("\n", " ")


def to_plain(table: TableData) -> str:
    """Aligned columns separated by two spaces, a header line, one line per row."""
    rows = [[_literal(c) for c in table.columns]]
    rows += [[_literal(c) for c in row] for row in table.rows]
    sized = [[(cell, cell_width(cell)) for cell in row] for row in rows]
    widths = [max(row[i][1] for row in sized) for i in range(len(table.columns))]
    lines = [_literal(table.title)] if table.title else []
    for row in sized:
        parts = [cell + " " * (widths[i] - width) for i, (cell, width) in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def write_text(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _print_rich(renderable: Any) -> None:
    console().print(renderable)


def warn_problems(problems: list[Problem]) -> None:
    """Damaged journal lines do not stop a listing, but the user must know of them."""
    if not problems:
        return
    for problem in problems[:5]:
        print(f"Cảnh báo: {problem}", file=sys.stderr)
    more = f" (và {len(problems) - 5} dòng khác)" if len(problems) > 5 else ""
    print(f"Cảnh báo: nhật ký có {len(problems)} dòng hỏng bị bỏ qua{more}; "
          "chạy `kehoach check` để xem chi tiết.", file=sys.stderr)


def emit_table(table: TableData, fmt: Format, data: Any, rich: Table | None = None) -> None:
    """Print one result: `data` as JSON, `table` as csv/md/plain, `rich` on a terminal."""
    if fmt is Format.JSON:
        write_text(to_json(data))
    elif fmt is Format.CSV:
        write_csv(to_csv(table))
    elif fmt is Format.MD:
        write_text(to_markdown(table))
    elif rich is not None and to_terminal():
        _print_rich(rich)
    else:
        write_text(to_plain(table))
