"""Reading a plan document (.docx, .md, .txt) into numbered lines of plain text.

Each line keeps what the parser needs and nothing of the file format: its number in the
source (a line of text, or a paragraph of Word), its text in NFC without Markdown marks,
whether it was a bullet, whether it was bold (wholly, or at least its first words), and
whether it came from a table (Word puts the header and the signature block in tables).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehoach_cli.errors import ExitCode, KehoachError, NotFound, os_reason
from kehoach_cli.importer.docx_safety import level_of

SUFFIXES = (".docx", ".md", ".txt")
MAX_BYTES = 20 * 1024 * 1024  # Word files with pictures are large; a plan's text is not


@dataclass(frozen=True)
class Line:
    """One non-empty line (text) or paragraph (Word) of the source."""

    no: int  # 1-based line or paragraph number, as the user can find it
    text: str
    bullet: bool = False  # "- ", "+ ", "• " or a Word bullet list
    bold: bool = False  # the first words are bold (a bold task number counts)
    all_bold: bool = False
    heading: int = 0  # Markdown heading level or Word "Heading N" style
    table: int = 0  # which table of the document the line is in (1, 2, ...); 0: none
    row: int = 0  # its row in that table (1-based)
    col: int = 0  # its column (1-based)

    @property
    def in_table(self) -> bool:
        return self.table > 0


@dataclass(frozen=True)
class Grid:
    """A table as rows of cell texts (paragraphs joined by newlines), a merged cell repeated
    in every row and column it covers; `cells` holds an id per cell so a merge can be told
    from two cells with the same text; `nos` the source number of each row's first line."""

    rows: list[list[str]]
    cells: list[list[int]]
    nos: list[int]


@dataclass(frozen=True)
class Source:
    """The lines of one document and how to name a position in it."""

    path: Path
    lines: list[Line]
    unit: str  # "dòng" (line) or "đoạn" (Word paragraph)
    notes: list[tuple[int, str]]  # what the reader itself could not take in
    tables: dict[int, Grid] = field(default_factory=dict)


def read_source(path: Path) -> Source:
    """Read a .docx, .md or .txt plan; raise a `KehoachError` for anything unreadable."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise KehoachError(
            f"{path}: chưa đọc được loại tệp “{path.suffix or '(không có đuôi)'}”; "
            "hãy dùng tệp Word (.docx), Markdown (.md) hoặc văn bản (.txt). "
            "Tệp .doc cũ: mở bằng Word và lưu lại dưới dạng .docx",
            ExitCode.USAGE,
        )
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise KehoachError(f"{path}: đây là thư mục, không phải tệp", ExitCode.USAGE)
        if size > MAX_BYTES:
            raise KehoachError(f"{path}: tệp quá lớn ({size // 1024 // 1024} MB)", ExitCode.USAGE)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path}: không tìm thấy tệp") from None
    except OSError as exc:
        raise KehoachError(f"{path}: không đọc được tệp ({os_reason(exc)})", ExitCode.IO) from None
    if suffix == ".docx":
        from kehoach_cli.importer import docx_safety

        docx_safety.check_package(path, raw)
        return _read_docx(path, raw)
    return _read_text(path, raw, markdown=suffix == ".md")


# --- text and Markdown ---------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^(?:[-+•●▪–*])\s+(.*)$")
_RULE = re.compile(r"^[-*_=\s]{3,}$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u3000]+")


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise KehoachError(
            f"{path}:{line}: tệp không phải UTF-8 (có thể đang là Windows-1258 hoặc TCVN3); "
            "hãy mở tệp và lưu lại với mã hóa UTF-8 (Notepad: Lưu thành, Mã hóa: UTF-8)",
            ExitCode.USAGE,
        ) from None
    if "\x00" in text:
        raise KehoachError(f"{path}: tệp có ký tự NUL, không phải tệp văn bản", ExitCode.USAGE)
    return unicodedata.normalize("NFC", text)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


_PIPE_ROW = re.compile(r"^\|.*\|$")
_PIPE_RULE = re.compile(r"^\|(?:\s*:?-{2,}:?\s*\|)+$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _pipe_cells(text: str) -> list[str]:
    """The cells of a Markdown pipe-table row; "\\|" is a bar inside a cell."""
    inner = text.strip()[1:-1]
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", inner)]


class _PipeTables:
    """Markdown pipe tables, as lines of their cells and as grids."""

    def __init__(self) -> None:
        self.grids: dict[int, Grid] = {}
        self.current: Grid | None = None

    def row(self, no: int, text: str, lines: list[Line]) -> None:
        if _PIPE_RULE.match(text):
            return
        if self.current is None:
            self.current = Grid([], [], [])
            self.grids[len(self.grids) + 1] = self.current
        table = len(self.grids)
        cells = _pipe_cells(text)
        grid = self.current
        grid.rows.append([_BREAK.sub("\n", _EMPHASIS.sub("", c)) for c in cells])
        grid.cells.append([len(grid.rows) * 1000 + i for i in range(len(cells))])
        grid.nos.append(no)
        for col, cell in enumerate(grid.rows[-1], start=1):
            for part in cell.split("\n"):
                part = _clean(part)
                bullet = False
                if match := _BULLET.match(part):
                    bullet, part = True, match.group(1)
                if part:
                    lines.append(Line(no, part, bullet, table=table, row=len(grid.rows), col=col))

    def end(self) -> None:
        self.current = None


def _read_text(path: Path, raw: bytes, markdown: bool) -> Source:
    lines: list[Line] = []
    pipes = _PipeTables()
    for no, original in enumerate(_decode(path, raw).splitlines(), start=1):
        text = _clean(original)
        if markdown and _PIPE_ROW.match(text):
            pipes.row(no, text, lines)
            continue
        pipes.end()
        if not text or _RULE.match(text):
            continue
        heading = 0
        if markdown and (match := _HEADING.match(text)):
            heading, text = len(match.group(1)), match.group(2)
        bullet = False
        if match := _BULLET.match(text):
            bullet, text = True, match.group(1)
        bold = all_bold = False
        if markdown:
            bold = text.startswith(("**", "__"))
            all_bold = bold and text.rstrip().endswith(("**", "__")) and len(text) > 4
            text = _EMPHASIS.sub("", _ESCAPE.sub(r"\1", text))
            text = _clean(text)
        if text:
            lines.append(Line(no, text, bullet, bold, all_bold, heading))
    return Source(path, lines, "dòng", [], pipes.grids)


# --- Word ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(path: Path, raw: bytes) -> Source:
    import io
    import zipfile
    import zlib

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    from kehoach_cli.importer import docx_safety

    try:
        document = Document(io.BytesIO(raw))
    except (LxmlError, UnicodeError) as exc:
        raise docx_safety.parse_error(path, exc) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, EOFError,
            NotImplementedError, zlib.error) as exc:  # NotImplementedError: a zip version
        # or compression zipfile does not know, as a damaged directory can claim
        raise KehoachError(
            f"{path}: không mở được tệp Word ({type(exc).__name__}); tệp có thể hỏng hoặc "
            "thực ra là tệp .doc cũ đổi tên: mở bằng Word và lưu lại dưới dạng .docx",
            ExitCode.USAGE,
        ) from None
    body = docx_safety.body_of(path, document)
    docx_safety.check_body(path, body)
    try:
        reader = _DocxReader(document)
        reader.walk(body, table=0)
    except docx_safety.UnreadableDocx as exc:
        raise docx_safety.refused(path, exc) from None
    return Source(path, reader.lines, "đoạn", reader.notes, reader.grids)


class _DocxReader:
    """Walks the body in document order: paragraphs, and the paragraphs of table cells."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines: list[Line] = []
        self.notes: list[tuple[int, str]] = []
        self.count = 0
        self.formats = _numbering_formats(document)
        self.counters: dict[tuple[str, int], int] = {}
        self.auto_numbered = False
        self.tables = 0
        self.grids: dict[int, Grid] = {}
        self.row = self.col = 0

    def walk(self, element: Any, table: int) -> None:
        from docx.text.paragraph import Paragraph

        for child in element.iterchildren():
            if child.tag == f"{_W}p":
                self.count += 1
                self.add(Paragraph(child, self.document), table)
            elif child.tag == f"{_W}tbl":
                self.tables += 1
                number = table or self.tables  # a table inside a table counts as its parent
                if not table:
                    self.grids[number] = self.grid(child)
                nos = self.grids[number].nos if not table else []
                for r, row in enumerate(child.iterchildren(f"{_W}tr"), start=1):
                    if not table:
                        self.row = r
                        nos.append(self.count + 1)
                    for c, cell in enumerate(row.iterchildren(f"{_W}tc"), start=1):
                        if not table:
                            self.col = c
                        self.walk(cell, number)
                if not table:
                    self.row = self.col = 0
            elif child.tag == f"{_W}sdt":  # content controls wrap ordinary paragraphs
                for content in child.iterchildren(f"{_W}sdtContent"):
                    self.walk(content, table)

    def add(self, paragraph: Any, table: int) -> None:
        text = _clean(unicodedata.normalize("NFC", paragraph.text))
        if not text or _RULE.match(text):
            return
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = 0
        if match := re.match(r"(?i)^(?:heading|tiêu đề)\s*(\d)", style):
            heading = int(match.group(1))
        bullet = "bullet" in style.lower()
        numbered = "number" in style.lower()
        prefix = ""
        num = _num_of(paragraph)
        if num is not None:
            kind, level_text = self.formats.get(num, ("decimal", ""))
            if kind == "bullet":
                bullet = True
            elif kind != "none":
                prefix = self.number(num, level_text)
        elif numbered:
            self.notes.append((self.count, "đoạn dùng kiểu “List Number” của Word mà không có "
                                           "số trong văn bản: không biết số thứ tự của nó"))
        if not bullet and (match := _BULLET.match(text)):
            bullet, text = True, match.group(1)
        runs = [run for run in paragraph.runs if run.text.strip()]
        bold_runs = [_is_bold(run, paragraph) for run in runs]
        bold = bool(bold_runs) and bold_runs[0]
        all_bold = bool(bold_runs) and all(bold_runs)
        if prefix:
            text = f"{prefix} {text}"
        self.lines.append(Line(self.count, text, bullet, bold, all_bold, heading, table,
                               self.row if table else 0, self.col if table else 0))

    def grid(self, element: Any) -> Grid:
        """The table as python-docx sees it: merged cells repeated over their span."""
        from docx.table import Table

        table = Table(element, self.document)
        rows: list[list[str]] = []
        cells: list[list[int]] = []
        for row in table.rows:
            try:
                row_cells = list(row.cells)
            except (IndexError, ValueError):  # a malformed grid: keep what can be read
                row_cells = []
            rows.append([_clean_cell(cell) for cell in row_cells])
            cells.append([id(cell._tc) for cell in row_cells])
        return Grid(rows, cells, [])

    def number(self, num: tuple[str, int], level_text: str) -> str:
        """The number Word would show for an auto-numbered paragraph ("2.", "1.3.")."""
        num_id, level = num
        self.counters[num] = self.counters.get(num, 0) + 1
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]
        if not self.auto_numbered:
            self.auto_numbered = True
            self.notes.append((self.count, "văn bản dùng đánh số tự động của Word: số thứ tự "
                                           "được tính lại, hãy so với bản Word"))
        shown = level_text or "%" + str(level + 1) + "."
        for i in range(level + 1):
            shown = shown.replace(f"%{i + 1}", str(self.counters.get((num_id, i), 1)))
        return shown


def _clean_cell(cell: Any) -> str:
    texts = (_clean(unicodedata.normalize("NFC", p.text)) for p in cell.paragraphs)
    return "\n".join(t for t in texts if t)


def _num_of(paragraph: Any) -> tuple[str, int] | None:
    """(numId, level) of a numbered paragraph: its own numbering, else its style's."""
    ppr = paragraph._p.pPr
    numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
    style = paragraph.style
    while numpr is None and style is not None:
        style_ppr = style.element.pPr
        numpr = style_ppr.find(f"{_W}numPr") if style_ppr is not None else None
        style = style.base_style
    if numpr is None:
        return None
    num_id = numpr.find(f"{_W}numId")
    ilvl = numpr.find(f"{_W}ilvl")
    if num_id is None or num_id.get(f"{_W}val") in (None, "0"):
        return None
    level = level_of(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
    return str(num_id.get(f"{_W}val")), level


def _numbering_formats(document: Any) -> dict[tuple[str, int], tuple[str, str]]:
    """(numId, level) -> (numFmt, lvlText) from the numbering part, when there is one."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, tuple[str, str]]] = {}
    for node in numbering.iterchildren(f"{_W}abstractNum"):
        levels: dict[int, tuple[str, str]] = {}
        for lvl in node.iterchildren(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            text = lvl.find(f"{_W}lvlText")
            levels[level_of(lvl.get(f"{_W}ilvl", "0"))] = (
                fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                text.get(f"{_W}val", "") if text is not None else "",
            )
        abstract[str(node.get(f"{_W}abstractNumId"))] = levels
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for node in numbering.iterchildren(f"{_W}num"):
        ref = node.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        for level, value in abstract.get(str(ref.get(f"{_W}val")), {}).items():
            out[(str(node.get(f"{_W}numId")), level)] = value
    return out


def _is_bold(run: Any, paragraph: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = paragraph.style
    while style is not None:
        if style.font is not None and style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False
