"""Tasks laid out as a table: the genre's "phụ lục phân công nhiệm vụ".

STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm,
in Word or as a Markdown pipe table. The header is found by its wording (one or two rows;
a row numbering the columns "(1) (2) (3)" is skipped); a row whose cells are one merged cell,
or whose number is Roman, is a group title; a row whose number and content cells are merged
with the row above goes on with the task above; a header repeated on the next page, or a
table continued as a second table with the same header, goes on with the same groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kehoach_cli.importer.source import Grid
from kehoach_cli.plan.model import Role
from kehoach_cli.text import fold

NUMBER, CONTENT, TIME, PRODUCT, NOTE = "stt", "noi_dung", "thoi_gian", "san_pham", "ghi_chu"
# Column wordings, most specific first: "Thời gian hoàn thành" is time, though it says
# "hoàn thành"; "Kết quả yêu cầu" is the product; "Cơ quan thực hiện" implements.
_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NUMBER, ("stt", "tt", "so tt", "so thu tu")),
    (Role.CHU_TRI.value, ("chu tri",)),
    (Role.PHOI_HOP.value, ("phoi hop",)),
    (Role.CHI_DAO.value, ("chi dao",)),
    (TIME, ("thoi gian", "thoi han", "moc thoi gian", "thoi diem")),
    (PRODUCT, ("ket qua", "san pham")),
    (NOTE, ("ghi chu", "tien do", "tinh hinh")),
    (Role.THAM_MUU.value, ("thuc hien", "trach nhiem", "phu trach", "don vi", "co quan",
                           "tham muu")),
    (CONTENT, ("noi dung", "nhiem vu", "cong viec", "hoat dong", "ten de an", "giai phap")),
)
_ROMAN = re.compile(r"^(?P<r>[IVX]{1,5}|[A-Z])\s*[.)\-–:]?\s+(?P<t>\S.*)$", re.DOTALL)
_ROMAN_ONLY = re.compile(r"^[IVX]{1,5}\.?$|^[A-Z]\.?$")
_NUM = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?$")
_COLUMN_NO = re.compile(r"^\(?\d{1,2}\)?$|^$")
_ROMANS = {r: i for i, r in enumerate(
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
     "XV"], start=1)}


def column_kind(text: str) -> str | None:
    key = " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(text)).split())
    if not key:
        return None
    for kind, words in _COLUMNS:
        if kind == NUMBER and key in words:
            return kind
        if kind != NUMBER and any(key.startswith(w) or f" {w}" in f" {key}" for w in words):
            return kind
    return None


def header_of(grid: Grid) -> tuple[int, dict[int, str]] | None:
    """(first row after the header, column index -> kind) when `grid` is a task table."""
    for start in range(min(3, len(grid.rows))):
        kinds = _kinds(grid.rows[start])
        if CONTENT in kinds.values() and len(kinds) >= 2:
            end = start + 1
            if end < len(grid.rows) and not _NUM.match(grid.rows[end][0] if grid.rows[end] else ""):
                below = _kinds(grid.rows[end])
                if len(below) >= 2:  # a two-row header: "Cơ quan thực hiện" over "Chủ trì | Phối hợp"
                    kinds.update(below)
                    end += 1
            return end, kinds
    return None


def _kinds(row: list[str]) -> dict[int, str]:
    kinds: dict[int, str] = {}
    for i, cell in enumerate(row):
        kind = column_kind(cell) if len(cell) <= 60 else None
        if kind is not None and kind not in kinds.values():
            kinds[i] = kind
    return kinds


@dataclass
class TableTask:
    """One task read from a row (or rows) of a table."""

    number: str | None
    no: int
    row: int
    content: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # kind -> text
    labels: dict[str, str] = field(default_factory=dict)  # kind -> header as written


@dataclass
class TableGroup:
    """A group title row and the tasks under it."""

    number: str | None
    title: str | None
    no: int
    tasks: list[TableTask] = field(default_factory=list)


def header_text(grid: Grid, end: int) -> list[str]:
    """Each column's heading as written: the lowest non-empty header cell above row `end`
    ("Chủ trì" under "Cơ quan thực hiện"; "Thời gian" beside them, merged down)."""
    width = max((len(row) for row in grid.rows[:end]), default=0)
    start = max(0, end - 2)
    out = []
    for col in range(width):
        cells = [grid.rows[r][col] for r in range(end - 1, start - 1, -1)
                 if col < len(grid.rows[r]) and grid.rows[r][col].strip()]
        out.append(cells[0] if cells else "")
    return out


def read_table(grid: Grid, header: tuple[int, dict[int, str]], header_text: list[str],
               notes: list[tuple[int, str]], table: int) -> list[TableGroup]:
    """The groups and tasks of a task table; what could not be placed goes to `notes`."""
    start, kinds = header
    groups: list[TableGroup] = []
    previous: TableTask | None = None
    number_col = next((i for i, k in kinds.items() if k == NUMBER), None)
    content_col = next(i for i, k in kinds.items() if k == CONTENT)
    for r in range(start, len(grid.rows)):
        row, ids, no = grid.rows[r], grid.cells[r], grid.nos[r] if r < len(grid.nos) else 0
        repeated = row == header_text or any(row == grid.rows[h] for h in range(max(0, start - 2), start))
        if not any(row) or all(_COLUMN_NO.match(c) for c in row) or repeated:
            continue  # empty, "(1) (2) (3)", or the header repeated on the next page
        number = row[number_col].strip() if number_col is not None and number_col < len(row) else ""
        group = _group_row(row, ids, number, content_col, no)
        if group is not None:
            groups.append(group)
            previous = None
            continue
        if not groups:
            groups.append(TableGroup(None, None, no))
        if previous is not None and content_col < len(ids) and \
                ids[content_col] == grid.cells[r - 1][content_col]:
            _go_on(previous, row, ids, grid.cells[r - 1], kinds)
            continue
        content = row[content_col] if content_col < len(row) else ""
        if not content:
            notes.append((no, f"bảng {table}, hàng {r + 1}: không có nội dung nhiệm vụ: chưa đưa vào"))
            continue
        match = _NUM.match(number)
        previous = TableTask(match.group(1) if match else None, no, r + 1, content.split("\n"))
        for i, kind in kinds.items():
            if kind not in (CONTENT, NUMBER) and i < len(row) and row[i]:
                previous.cells[kind] = row[i]
                previous.labels[kind] = " ".join(header_text[i].split()) if i < len(header_text) \
                    else kind
        groups[-1].tasks.append(previous)
    return [group for group in groups if group.tasks]


def _group_row(row: list[str], ids: list[int], number: str, content_col: int,
               no: int) -> TableGroup | None:
    """A group title: one cell merged across the row, or a Roman number ("I", "II")."""
    values = [c for c in row if c]
    spanning = len(set(ids)) == 1 or (len(set(values)) == 1 and len(values) > 2)
    if not spanning and not _ROMAN_ONLY.match(number):
        return None
    text = values[0] if spanning else row[content_col]
    match = _ROMAN.match(text) if spanning else None
    head = match.group("r") if match else number.rstrip(".") or None
    title = match.group("t") if match else text
    return TableGroup(head, " ".join(title.split()), no)


def _go_on(task: TableTask, row: list[str], ids: list[int], above: list[int],
           kinds: dict[int, str]) -> None:
    """A row whose content cell is merged with the row above adds its own cells to that task
    (a second lead body, another deadline)."""
    for i, kind in kinds.items():
        if i < len(row) and kind not in (CONTENT, NUMBER) and row[i] and ids[i] != above[i]:
            old = task.cells.get(kind)
            task.cells[kind] = f"{old}\n{row[i]}" if old else row[i]


def roman_value(text: str | None) -> int | None:
    if text is None:
        return None
    if text in _ROMANS:
        return _ROMANS[text]
    if len(text) == 1 and text.isalpha():
        return ord(text.upper()) - ord("A") + 1
    return None
