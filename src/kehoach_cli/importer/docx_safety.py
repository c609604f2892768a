"""Checks that make a hostile or broken .docx fail fast, with a Vietnamese message.

A .docx is a zip of XML parts, and python-docx loads every part into memory and parses
the XML ones. Before it does, `check_package` reads only the zip's directory: how many
parts, how large each says it is once uncompressed, and how much it would grow (a 2 MB zip
bomb would otherwise become 1 GiB of document.xml); declared sizes bound what `zipfile`
will ever decompress, so these numbers cannot lie to us. It then looks at each XML part for
a document type declaration: Word never writes one, and it is what entity tricks (billion
laughs, external entities) need. python-docx's own parser keeps entity resolution off and
libxml2's limits for huge trees on (depth, text node size), so whatever is left ends as a
syntax error, which `parse_error` turns into a message. `check_body` bounds what the
reader would otherwise walk: table nesting, the length of one paragraph, and merged cells'
spans (python-docx makes one cell per column spanned: a span of a billion never ends).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from kehoach_cli.errors import ExitCode, KehoachError

MAX_PARTS = 2_000  # a plan with a few pictures has about 20
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # every part loaded in memory: pictures included
MAX_XML_PART = 16 * 1024 * 1024  # document.xml of a 300-page document is a few MB
MAX_RATIO = 100  # text compresses about 10 times; a bomb thousands of times
RATIO_FLOOR = 1024 * 1024  # small parts may compress any way they like
MAX_TABLE_DEPTH = 16  # a table in a table in a table is already rare
MAX_PARAGRAPH = 100_000  # characters: a plan's longest paragraph is a few hundred
MAX_LEVEL = 8  # Word numbers lists on levels 0 to 8
MAX_SPAN = 64  # Word tables have at most 63 columns; python-docx repeats a cell per column

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableDocx(KehoachError):
    """A part of the document the reader refuses; `read_source` adds the file's name."""

    exit_code = ExitCode.USAGE

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse(path: Path, reason: str) -> KehoachError:
    return KehoachError(f"{path}: không đọc tệp Word này: {reason}", ExitCode.USAGE)


def refused(path: Path, exc: UnreadableDocx) -> KehoachError:
    """The message for a part `level_of` refused, naming the file."""
    return _refuse(path, exc.reason)


def check_package(path: Path, raw: bytes) -> None:
    """Refuse a zip whose directory promises too much, or whose XML declares entities."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        # Not a zip at all, or one zipfile cannot open (a "version 6.4" directory): the
        # reader says so in its own words.
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _refuse(path, f"có {len(parts)} phần bên trong (tối đa {MAX_PARTS})")
        total = sum(part.file_size for part in parts)
        if total > MAX_UNCOMPRESSED:
            raise _refuse(path, f"giải nén ra {total // 1024 // 1024} MB (tối đa "
                                f"{MAX_UNCOMPRESSED // 1024 // 1024} MB): có thể là “bom nén”")
        for part in parts:
            ratio = part.file_size // max(part.compress_size, 1)
            if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise _refuse(path, f"phần {part.filename} nén {ratio} lần, bất thường với văn "
                                    "bản: có thể là “bom nén”")
            if part.filename.endswith((".xml", ".rels")):
                _check_xml_part(path, archive, part)


def _check_xml_part(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_XML_PART:
        raise _refuse(path, f"phần {part.filename} dài {part.file_size // 1024 // 1024} MB "
                            f"(tối đa {MAX_XML_PART // 1024 // 1024} MB)")
    try:
        data = archive.read(part)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
            zlib.error) as exc:
        raise _refuse(path, f"phần {part.filename} bị hỏng ({type(exc).__name__})") from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _refuse(path, f"phần {part.filename} có khai báo DOCTYPE/ENTITY, điều Word không "
                            "bao giờ ghi (dấu hiệu tệp bị làm giả)")


def parse_error(path: Path, exc: Exception) -> KehoachError:
    """The message for XML python-docx could not parse (malformed, too deep, bad bytes)."""
    detail = str(exc).lower()
    if "depth" in detail:
        reason = "các phần tử lồng nhau quá sâu"
    elif "huge" in detail or "too long" in detail or "limit" in detail:
        reason = "có một đoạn văn bản quá dài"
    elif "encoding" in detail or "utf-8" in detail or "char" in detail:
        reason = "có byte không hợp lệ trong nội dung XML"
    else:
        reason = "nội dung XML bị hỏng"
    return _refuse(path, f"{reason}; hãy mở bằng Word và lưu lại dưới dạng .docx")


def body_of(path: Path, document: Any) -> Any:
    """The document's body element, or a refusal when the main part is not a Word document
    (a renamed root element, no `w:body`)."""
    body = getattr(document.element, "body", None)
    if body is None:
        raise _refuse(path, "phần word/document.xml không có thân văn bản (w:body)")
    return body


def check_body(path: Path, body: Any) -> None:
    """Refuse tables nested too deep and paragraphs too long, before the reader walks them."""
    depth_of: dict[Any, int] = {}
    spans = (f"{_W}gridSpan", f"{_W}gridBefore", f"{_W}gridAfter")
    for element in body.iter(f"{_W}tbl", f"{_W}p", *spans):
        if element.tag in spans:
            value = (element.get(f"{_W}val") or "").strip()
            if not (value.isascii() and value.isdigit() and int(value) <= MAX_SPAN):
                raise _refuse(path, f"một ô bảng gộp “{value[:20]}” cột (w:{element.tag[len(_W):]}), "
                                    f"phải là số từ 0 đến {MAX_SPAN}")
        elif element.tag == f"{_W}tbl":
            parent = element.getparent()
            while parent is not None and parent is not body and parent not in depth_of:
                parent = parent.getparent()
            depth = depth_of.get(parent, 0) + 1
            if depth > MAX_TABLE_DEPTH:
                raise _refuse(path, f"có bảng lồng trong bảng {depth} lớp (tối đa {MAX_TABLE_DEPTH})")
            depth_of[element] = depth
        else:
            length = sum(len(node.text or "") for node in element.iter(f"{_W}t"))
            if length > MAX_PARAGRAPH:
                raise _refuse(path, f"có một đoạn dài {length:,} ký tự (tối đa "
                                    f"{MAX_PARAGRAPH:,})".replace(",", "."))


def level_of(value: str | None) -> int:
    """A list level (`w:ilvl`) as a number from 0 to 8; anything else raises
    `UnreadableDocx` (a huge level would make numbering loop for ever)."""
    if value is None:
        return 0
    text = value.strip()
    if not text.isdigit() or not text.isascii() or int(text) > MAX_LEVEL:
        raise UnreadableDocx(f"mức đánh số (w:ilvl) “{value[:20]}” không phải số từ 0 đến "
                             f"{MAX_LEVEL}")
    return int(text)
