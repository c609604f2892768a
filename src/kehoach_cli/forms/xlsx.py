"""Reading cell values out of an .xlsx file: just what a filled form needs, fast.

A form is written by openpyxl (`forms.layout`); reading it back through openpyxl builds its
whole style machinery for every file (about 40 ms a form, most of an import of 50 forms).
The values alone are plain XML in the zip: the workbook's sheet list, the shared strings,
and each sheet's `<c>` cells, parsed here with the standard library's C parser. Values come
back as Excel stores them: text, numbers (a date is its serial number), booleans.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from typing import TYPE_CHECKING
from xml.etree.ElementTree import XMLParser, fromstring

if TYPE_CHECKING:
    from pathlib import Path

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
Value = str | float | bool
Cells = dict[int, dict[str, Value]]  # row number -> column letters -> value


class NotXlsx(ValueError):
    """The file is not an .xlsx workbook (or is damaged)."""


def _xml(book: zipfile.ZipFile, name: str) -> bytes:
    try:
        return book.read(name)
    except KeyError:
        raise NotXlsx(f"thiếu phần {name}") from None


def sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, in workbook order."""
    rels = fromstring(_xml(book, "xl/_rels/workbook.xml.rels"), parser=XMLParser())
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG}Relationship")}
    workbook = fromstring(_xml(book, "xl/workbook.xml"), parser=XMLParser())
    out: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out[sheet.get("name", "")] = posixpath.normpath(part)
    return out


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    try:
        data = book.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    root = fromstring(data, parser=XMLParser())
    return ["".join(t.text or "" for t in item.iter(f"{_MAIN}t"))
            for item in root.iter(f"{_MAIN}si")]


def _split(ref: str) -> tuple[str, int]:
    digits = next(i for i, ch in enumerate(ref) if ch.isdigit())
    return ref[:digits], int(ref[digits:])


def _cells(book: zipfile.ZipFile, part: str, strings: list[str]) -> Cells:
    out: Cells = {}
    cell_tag, value_tag, inline_tag, text_tag = (f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}is",
                                                 f"{_MAIN}t")
    # A form's sheet is small: one parse of the whole part, then a walk over its cells, is
    # faster than event-by-event parsing.
    root = fromstring(_xml(book, part), parser=XMLParser())
    for element in root.iter(cell_tag):
        ref = element.get("r")
        kind = element.get("t", "n")
        raw = element.findtext(value_tag)
        value: Value | None = None
        if kind == "inlineStr":
            inline = element.find(inline_tag)
            value = "".join(t.text or "" for t in inline.iter(text_tag)) if inline is not None else None
        elif raw is not None:
            if kind == "s":
                value = strings[int(raw)]
            elif kind in ("str", "e"):
                value = raw
            elif kind == "b":
                value = raw == "1"
            else:
                number = float(raw)
                value = int(number) if number.is_integer() else number
        if ref and value is not None and value != "":
            column, row = _split(ref)
            out.setdefault(row, {})[column] = value
    return out


def read_cells(path: Path, wanted: list[str]) -> tuple[list[str], dict[str, Cells]]:
    """The workbook's sheet names, and the cells of the `wanted` sheets it has."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = sheet_names(book)
            strings = _shared_strings(book)
            return list(parts), {name: _cells(book, parts[name], strings)
                                 for name in wanted if name in parts}
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, SyntaxError, EOFError,
            NotImplementedError, zlib.error) as exc:
        # SyntaxError: xml.etree's ParseError; IndexError: a string index out of range;
        # NotImplementedError: a zip version or compression zipfile does not know.
        raise NotXlsx(str(exc)) from None
