"""Pure renderers shared by every command: rows in, text or Rich objects out.

Text from plans and notes is always shown literally: Rich markup such as "[bold]" is never
interpreted (cells are `rich.text.Text`), and control characters, terminal escapes
included, are made visible by `text.printable`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from kehoach_cli.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
