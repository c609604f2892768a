"""Pure renderers shared by every command: rows in, text or Rich objects out.

Text from plans and notes is always shown literally: Rich markup such as "[bold]" is never
interpreted (cells are `rich.text.Text`), and control characters, terminal escapes
included, are made visible by `text.printable`.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

from kehoach_cli.text import json_escaped, printable

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

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
    import csv  # here, not at the top: every command imports this module to parse options
    import io

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
    """Readable JSON with Vietnamese as text (not \\u escapes), dates in ISO form; control
    and bidirectional characters escaped, so a terminal showing it interprets none."""
    import json

    return json_escaped(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)) + "\n"


# Below this many columns a table of several text columns reads worse than blocks: each
# row becomes a block of "Label: value" lines (the stacked layout).
STACK_BELOW = 60
# A column whose widest cell is at most this wide is short (an id, a date, a count).
_SHORT_COLUMN = 20


def longest_word(text: str) -> int:
    """Columns the widest word of `text` takes: a column narrower than it splits the word."""
    return max((cell_width(word) for word in text.split()), default=0)


def column_minimums(table: TableData) -> list[int]:
    """For each column, the width below which a word, id, date or code would be split."""
    return [max([longest_word(column), *(longest_word(row[i]) for row in table.rows)])
            for i, column in enumerate(table.columns)]


def _widest(table: TableData) -> list[int]:
    # A header may wrap at its spaces ("Số ghi / nhận"): only its longest word counts, so a
    # column of counts is not as wide as its title.
    return [max([longest_word(column), *(max(map(cell_width, row[i].splitlines()), default=0)
                                          for row in table.rows)])
            for i, column in enumerate(table.columns)]


def column_widths(table: TableData, width: int, per_column: int = 3,
                  weights: dict[str, int] | None = None) -> list[int] | None:
    """Widths for the columns within `width`, no word ever split: every column gets its
    widest word, short columns (ids, dates, codes) then their whole width, and the text
    columns share the rest by `weights` (default: their natural width). None when even the widest words do
    not fit, or the terminal is narrower than `STACK_BELOW`: then the stacked layout."""
    if width < STACK_BELOW and len(table.columns) > 2:
        return None
    room = width - per_column * len(table.columns) - 2  # the two edges
    widths = column_minimums(table)
    if sum(widths) > room:
        return None
    natural = _widest(table)
    # Short columns first: an id or a date on one line is worth more than a wider text.
    for i in sorted(range(len(widths)), key=lambda i: natural[i]):
        if natural[i] <= _SHORT_COLUMN and sum(widths) - widths[i] + natural[i] <= room:
            widths[i] = natural[i]
    weights = weights or {}
    growing = [i for i in range(len(widths)) if widths[i] < natural[i]]
    while growing and sum(widths) < room:
        spare = room - sum(widths)
        weight = {i: weights.get(table.columns[i], natural[i]) for i in growing}
        total = sum(weight.values())
        for i in list(growing):
            share = max(1, spare * weight[i] // total)
            widths[i] = min(natural[i], widths[i] + share, widths[i] + room - sum(widths))
            if widths[i] >= natural[i]:
                growing.remove(i)
            if sum(widths) >= room:
                break
    return widths


def fits(table: TableData, width: int, per_column: int = 3) -> bool:
    """Whether the table fits `width` with no word split (`per_column`: padding and rule)."""
    return column_widths(table, width, per_column) is not None


def to_rich(table: TableData, settings: dict[str, dict[str, Any]] | None = None,
            width: int | None = None, **options: Any) -> RenderableType:
    """A Rich table whose cells are literal text, words never split: each column is at
    least as wide as its widest word, the wide text columns (`ratio` in `settings`) take
    the squeeze, and a terminal too narrow for that gets the stacked layout instead.
    `options` pass to `rich.table.Table`."""
    from rich import box as boxes
    from rich.table import Table
    from rich.text import Text

    # Every box, even SIMPLE_HEAD's blank one, puts a separator column between cells.
    ruled = options.get("box", boxes.HEAVY_HEAD) is not None
    settings = settings or {}
    weights = {name: extra["ratio"] for name, extra in settings.items() if "ratio" in extra}
    widths = column_widths(table, width or console().width, 3 if ruled else 2, weights)
    if widths is None:
        return stacked(table)
    rich_table = Table(title=printable(table.title) if table.title else None, **options)
    for column, column_width in zip(table.columns, widths, strict=True):
        rich_table.add_column(Text(column), overflow="fold", width=column_width)
    for row in table.rows:
        rich_table.add_row(*(Text(printable(cell)) for cell in row))
    return rich_table


def stacked(table: TableData) -> RenderableType:
    """Each row as a block: the first cell in bold, then "Label: value" lines that wrap at
    word boundaries. For terminals too narrow for the table."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    blocks: list[RenderableType] = []
    if table.title:
        blocks.append(Text(printable(table.title), style="bold"))
    for row in table.rows:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(Text(printable(table.columns[0])), Text(printable(row[0]), style="bold"))
        for label, cell in zip(table.columns[1:], row[1:], strict=True):
            if cell:
                grid.add_row(Text(printable(label)), Text(printable(cell)))
        blocks += [Text(""), grid]
    return Group(*blocks)


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
    padded: list[list[str]] = []
    # Column by column: one test of a whole column's text tells that none of its cells has
    # a control character or a wide character (nearly always), instead of two per cell.
    for column in zip(table.columns, *table.rows, strict=False):
        cells = list(column) if "".join(column).isprintable() else [_literal(c) for c in column]
        if _SINGLE.fullmatch("".join(cells)):
            width = max(map(len, cells))
            padded.append([cell.ljust(width) for cell in cells])
        else:
            sizes = [cell_width(cell) for cell in cells]
            width = max(sizes)
            padded.append([cell + " " * (width - size) for cell, size in zip(cells, sizes,
                                                                            strict=True)])
    lines = [_literal(table.title)] if table.title else []
    lines += ["  ".join(parts).rstrip() for parts in zip(*padded, strict=True)]
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


def emit_table(table: TableData, fmt: Format, data: Any, rich: RenderableType | None = None) -> None:
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
