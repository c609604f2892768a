"""Hostile and broken .docx files, built at test time (shared by the tests and the bench)."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
_TAIL = "</w:body></w:document>"


def base_docx() -> bytes:
    """A small valid Word file with one numbered list paragraph."""
    from docx import Document

    document = Document()
    document.add_paragraph("KẾ HOẠCH thực hiện Thông báo 160")
    document.add_paragraph("Tăng cường công tác dân vận", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_part(docx: bytes, name: str, data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """`docx` with part `name` replaced by `data` (and `extra` parts added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, data if item.filename == name else source.read(item))
        for extra_name, extra_data in (extra or {}).items():
            target.writestr(extra_name, extra_data)
    return out.getvalue()


def _document(body: str | bytes) -> bytes:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return _HEAD.encode() + raw + _TAIL.encode()


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _nested_tables(depth: int) -> str:
    return "<w:tbl><w:tr><w:tc>" * depth + _paragraph("sâu") + "</w:tc></w:tr></w:tbl>" * depth


def _numbered(level: str) -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>'
            f"</w:pPr><w:r><w:t>Mục</w:t></w:r></w:p>")


def _laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE w:document [{entities}]>\n'
            f'<w:document xmlns:w="{W_NS}"><w:body>{_paragraph("&lol9;")}</w:body></w:document>')


def _random_text(size: int) -> str:
    rng = random.Random(13)
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=size))


DOC = "word/document.xml"
CASES: dict[str, Callable[[bytes], bytes]] = {
    # 1 GiB would take seconds to build; 40 MB of one byte shows the same ratio.
    "bom nén": lambda base: replace_part(base, DOC, _document(b" " * 40_000_000)),
    # Parts each small enough to pass the ratio rule, too many megabytes together.
    "giải nén quá lớn": lambda base: replace_part(
        base, DOC, _document(_paragraph("x")),
        {f"word/media/{i}.bin": b"\0" * 1_000_000 for i in range(110)}),
    "billion laughs": lambda base: replace_part(base, DOC, _laughs().encode()),
    "XML hỏng": lambda base: replace_part(base, DOC, _document(_paragraph("x"))[:-30]),
    "bảng lồng 300 lớp": lambda base: replace_part(base, DOC, _document(_nested_tables(300))),
    "bảng lồng 40 lớp": lambda base: replace_part(base, DOC, _document(_nested_tables(40))),
    "đoạn 15 MB": lambda base: replace_part(base, DOC, _document(_paragraph(_random_text(15_000_000)))),
    "đoạn 200.000 ký tự": lambda base: replace_part(base, DOC, _document(_paragraph(_random_text(200_000)))),
    "byte không hợp lệ": lambda base: replace_part(
        base, DOC, _document(b"<w:p><w:r><w:t>ab\xff\xfe\xc3(cd</w:t></w:r></w:p>")),
    "w:ilvl không phải số": lambda base: replace_part(base, DOC, _document(_numbered("abc"))),
    "w:ilvl quá lớn": lambda base: replace_part(base, DOC, _document(_numbered("999999999"))),
}
