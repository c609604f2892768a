"""How one value reads wherever it is shown: numbers, figures, timeframes, documents, entries.

Every renderer (terminal tables, Markdown, CSV, JSON, Word) calls these, so a figure or a
date never prints two ways in two commands.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from kehoach_cli.dates import format_date
from kehoach_cli.plan.timeframe import KIND_LABELS
from kehoach_cli.status import STATUS_LABELS
from kehoach_cli.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.model import DocumentRef
    from kehoach_cli.plan.timeframe import Timeframe

# Vietnamese documents write 1.234.567,5: dot for thousands, comma for decimals.
_SWAP_SEPARATORS = str.maketrans(",.", ".,")


def format_number(value: float) -> str:
    """3 -> "3", 1000 -> "1.000", 1234567.5 -> "1.234.567,5" (at most two decimals)."""
    if not math.isfinite(value):
        return str(value)
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return f"{int(rounded):,}".translate(_SWAP_SEPARATORS)
    return f"{rounded:,.2f}".rstrip("0").translate(_SWAP_SEPARATORS)


def figures_text(figures: Mapping[str, float]) -> str:
    """"số cuộc: 3; kinh phí: 35.500.000"."""
    return "; ".join(f"{name}: {format_number(value)}" for name, value in figures.items())


def figures_by_body_text(figures: Mapping[str, float],
                         shares: Mapping[str, Mapping[str, float]]) -> str:
    """"số cuộc kiểm tra: 4 (ĐU 2, MTTQ 2)": a figure several bodies added to is shown per
    body too, so joint work is not read as one body's."""
    parts = []
    for name, value in figures.items():
        text = f"{name}: {format_number(value)}"
        by_body = shares.get(name, {})
        if len(by_body) > 1:
            text += " (" + ", ".join(f"{code} {format_number(v)}" for code, v in by_body.items()) + ")"
        parts.append(text)
    return "; ".join(parts)


def timeframe_text(value: Timeframe | None, empty: str = "") -> str:
    """The timeframe as the plan writes it."""
    return value.van_ban if value else empty


def timeframe_long(value: Timeframe) -> str:
    """"Quý I/2025 (theo kỳ, hạn 31/03/2025)"; "Thường xuyên" alone says enough."""
    notes = [] if fold(value.van_ban) == fold(KIND_LABELS[value.loai]) else [KIND_LABELS[value.loai]]
    if value.han:
        notes.append(f"hạn {format_date(value.han)}")
    return f"{value.van_ban} ({', '.join(notes)})" if notes else value.van_ban


def timeframe_data(value: Timeframe | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"van_ban": value.van_ban, "loai": value.loai.value, "tu_ngay": value.tu_ngay,
            "han": value.han, "chu_ky": value.chu_ky.value if value.chu_ky else None}


def document_text(doc: DocumentRef) -> str:
    """"Quyết định 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị: về việc ..."."""
    text = f"{doc.loai} {doc.so_ky_hieu}"
    if doc.ngay:
        text += f" ngày {format_date(doc.ngay)}"
    if doc.co_quan:
        text += f" của {doc.co_quan}"
    if doc.trich_yeu:
        text += f" {doc.trich_yeu}"
    return text


def document_data(doc: DocumentRef) -> dict[str, Any]:
    return {"loai": doc.loai, "so_ky_hieu": doc.so_ky_hieu, "ngay": doc.ngay,
            "co_quan": doc.co_quan, "trich_yeu": doc.trich_yeu}


def status_text(entry: Entry) -> str:
    return STATUS_LABELS[entry.trang_thai] if entry.trang_thai else ""


def entry_text(entry: Entry) -> str:
    """One line of a task's history: "05/10/2025 MTTQ [đang thực hiện]: ... — Nguyễn Văn A"."""
    parts = [format_date(entry.ngay), entry.don_vi]
    if entry.trang_thai:
        whole = ", cả nhiệm vụ" if entry.ca_nhiem_vu else ""
        parts.append(f"[{STATUS_LABELS[entry.trang_thai]}{whole}]")
    text = " ".join(parts) + f": {entry.noi_dung}"
    if entry.minh_chung:
        text += f" (minh chứng: {entry.minh_chung})"
    if entry.so_lieu:
        text += f" (số liệu: {figures_text(entry.so_lieu)})"
    return text + f" — {entry.nguoi_ghi}"


def entries_data(entries: Iterable[Entry],
                 corrections: Mapping[str, list[Entry]] | None = None) -> list[dict[str, Any]]:
    """The one JSON shape of an entry (`show`, `nhat-ky`), each with its corrections' ids."""
    from kehoach_cli.journal.format import to_json

    corrections = corrections or {}
    out = []
    for entry in entries:
        data = to_json(entry)
        data["cac_ban_sua"] = [fix.id for fix in corrections.get(entry.id, ())]
        out.append(data)
    return out
