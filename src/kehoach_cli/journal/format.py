"""One journal line: an `Entry` as a JSON object, and back.

A line is a whole JSON object with Vietnamese kept as text (`ensure_ascii=False`), so a
sidecar reads in Notepad and git diffs it line by line. Keys are the `Entry` field names;
optional fields are left out when empty, and the plan key is not stored (the folder a line
lives in names its plan, so renaming a plan's `ma` does not orphan its journal).

Decoding is the hot path of every history and report (hundreds of thousands of lines), so
it is plain code on the dict `json.loads` returns, building the frozen `Entry` directly:
no Pydantic, one pass, only the checks that keep later code from tripping over a bad type.
Unknown keys are ignored rather than refused: lines are written by the tool, and a newer
version that adds a field must not make every line unreadable to an older one in another
clone.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from kehoach_cli.journal.entry import Entry
from kehoach_cli.status import Status
from kehoach_cli.text import nfc

_STATUS = {status.value: status for status in Status}
# Characters that some editors and Python's splitlines() treat as line breaks: escaped so a
# line of the file is always one record, whatever reads it.
_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


class RecordError(ValueError):
    """A line that is JSON but not a journal entry; the message names the field."""


def encode(entry: Entry) -> str:
    """The line (without its newline) that stores `entry`."""
    record: dict[str, Any] = {
        "id": entry.id,
        "ma": entry.ma,
        "ngay": entry.ngay.isoformat(),
        "don_vi": entry.don_vi,
        "noi_dung": entry.noi_dung,
    }
    if entry.trang_thai is not None:
        record["trang_thai"] = entry.trang_thai.value
    if entry.minh_chung:
        record["minh_chung"] = entry.minh_chung
    if entry.so_lieu:
        record["so_lieu"] = entry.so_lieu
    if entry.sua_cho is not None:
        record["sua_cho"] = entry.sua_cho
    if entry.huy:
        record["huy"] = True
    if entry.ca_nhiem_vu:
        record["ca_nhiem_vu"] = True
    record["nguoi_ghi"] = entry.nguoi_ghi
    record["ghi_luc"] = entry.ghi_luc.isoformat(timespec="milliseconds")
    return json.dumps(record, ensure_ascii=False).translate(_BREAKS)


def _bad_text(record: dict[str, Any]) -> RecordError:
    for key in _TEXT_KEYS:
        value = record.get(key)
        if value is None:
            return RecordError(f"thiếu trường “{key}”")
        if type(value) is not str or not value:
            return RecordError(f"trường “{key}” phải là văn bản không rỗng")
    return RecordError("bản ghi không hợp lệ")  # pragma: no cover - only called on a failure


def _figures(value: Any) -> dict[str, float]:
    if type(value) is not dict:
        raise RecordError("trường “so_lieu” phải là bảng tên = số")
    for name, number in value.items():
        if type(number) not in (int, float):
            raise RecordError(f"số liệu “{name}” phải là một số")
    return value


_TEXT_KEYS = ("id", "ma", "don_vi", "nguoi_ghi", "noi_dung")
_new_entry = object.__new__
_set_dict = object.__setattr__
_FIELDS = frozenset({"id", "ke_hoach", "ma", "ngay", "don_vi", "nguoi_ghi", "ghi_luc",
                     "noi_dung", "trang_thai", "minh_chung", "so_lieu", "sua_cho", "huy",
                     "ca_nhiem_vu"})
_FIELD_COUNT = len(_FIELDS)
# The fast build below sets exactly these fields; if `Entry` changes shape (a new field, or
# slots), reading falls back to the constructor instead of building incomplete entries.
_FAST_BUILD = not hasattr(Entry, "__slots__") and {f.name for f in fields(Entry)} == _FIELDS


def decode(record: Any, plan_key: str) -> Entry:
    """The entry a parsed line holds; raises `RecordError` naming what is wrong."""
    if type(record) is not dict:
        raise RecordError("dòng không phải một bản ghi {...}")
    get = record.get
    try:
        ngay = date.fromisoformat(record["ngay"])
        ghi_luc = datetime.fromisoformat(record["ghi_luc"])
    except KeyError as exc:
        raise RecordError(f"thiếu trường “{exc.args[0]}”") from None
    except (TypeError, ValueError):
        raise RecordError(f"trường “ngay” (YYYY-MM-DD) hoặc “ghi_luc” (thời điểm ISO) không "
                          f"đọc được: {get('ngay')!r}, {get('ghi_luc')!r}") from None
    if ghi_luc.tzinfo is None:
        raise RecordError("trường “ghi_luc” thiếu múi giờ (ví dụ +07:00)")
    entry_id, ma, don_vi = get("id"), get("ma"), get("don_vi")
    who, note = get("nguoi_ghi"), get("noi_dung")
    if not (type(entry_id) is str and type(ma) is str and type(don_vi) is str
            and type(who) is str and type(note) is str and entry_id and ma and don_vi
            and who and note):
        raise _bad_text(record)
    status = get("trang_thai")
    if status is not None:
        status = _STATUS.get(status)
        if status is None:
            raise RecordError(f"trạng thái “{get('trang_thai')}” không hợp lệ")
    evidence = get("minh_chung")
    if evidence is not None and type(evidence) is not str:
        raise RecordError("trường “minh_chung” phải là văn bản")
    figures = get("so_lieu")
    fixes = get("sua_cho")
    if fixes is not None and (type(fixes) is not str or not fixes):
        raise RecordError("trường “sua_cho” phải là mã một ghi nhận")
    retract = get("huy", False)
    if type(retract) is not bool:
        raise RecordError("trường “huy” phải là true hoặc false")
    if retract and fixes is None:
        raise RecordError("bản ghi hủy (“huy”) phải có “sua_cho”")
    whole = get("ca_nhiem_vu", False)
    if type(whole) is not bool:
        raise RecordError("trường “ca_nhiem_vu” phải là true hoặc false")
    # Hot path: the parsed dict becomes the frozen dataclass's own attribute dict, in place.
    # `Entry(...)` would copy every field through object.__setattr__, which is most of the
    # cost of reading a 100,000-line journal; the result compares like `Entry(...)`.
    record["ke_hoach"] = plan_key
    record["ngay"] = ngay
    record["ghi_luc"] = ghi_luc
    record["trang_thai"] = status
    record["minh_chung"] = evidence or None
    record["so_lieu"] = _figures(figures) if figures else {}
    record["sua_cho"] = fixes
    record["huy"] = retract
    record["ca_nhiem_vu"] = whole
    if not ma.isascii():
        record["ma"] = nfc(ma)
    if not don_vi.isascii():
        record["don_vi"] = nfc(don_vi)
    if len(record) != _FIELD_COUNT:  # keys from a newer version: not fields of this `Entry`
        record = {key: value for key, value in record.items() if key in _FIELDS}
    if not _FAST_BUILD:
        return Entry(**record)
    entry: Entry = _new_entry(Entry)
    _set_dict(entry, "__dict__", record)
    return entry


def to_json(entry: Entry) -> dict[str, Any]:
    """The entry as other tools read it (`--dinh-dang json`): dates in ISO form."""
    return {
        "id": entry.id,
        "ke_hoach": entry.ke_hoach,
        "ma": entry.ma,
        "ngay": entry.ngay.isoformat(),
        "don_vi": entry.don_vi,
        "noi_dung": entry.noi_dung,
        "trang_thai": entry.trang_thai.value if entry.trang_thai else None,
        "minh_chung": entry.minh_chung,
        "so_lieu": entry.so_lieu,
        "nguoi_ghi": entry.nguoi_ghi,
        "ghi_luc": entry.ghi_luc.isoformat(timespec="seconds"),
        "sua_cho": entry.sua_cho,
        "huy": entry.huy,
        "ca_nhiem_vu": entry.ca_nhiem_vu,
    }


# --- rows: the compact form the journal cache keeps (journal_cache.py) ----------------------
# A row holds the values of an entry that `decode` has already checked, as plain values
# `marshal` can store: rebuilding an entry from it skips parsing JSON and every check.

Row = tuple[str, str, int, str, str, str, str, str | None, str | None, dict[str, float],
            str | None, bool, bool]
_from_ordinal = date.fromordinal
_from_iso = datetime.fromisoformat
_STATUS_OF_ROW: dict[str | None, Status | None] = {None: None}
_STATUS_OF_ROW.update(_STATUS)


def to_row(entry: Entry) -> Row:
    """The row of a decoded entry (the plan key is not kept: the folder names the plan)."""
    return (entry.id, entry.ma, entry.ngay.toordinal(), entry.don_vi, entry.nguoi_ghi,
            entry.ghi_luc.isoformat(), entry.noi_dung,
            entry.trang_thai.value if entry.trang_thai else None, entry.minh_chung,
            entry.so_lieu, entry.sua_cho, entry.huy, entry.ca_nhiem_vu)


def from_row(row: Row, plan_key: str) -> Entry:
    """The entry a row holds; equal to the entry `decode` built when the row was made."""
    (entry_id, ma, day, don_vi, who, when, note, status, evidence, figures, fixes,
     retract, whole) = row
    values = {"id": entry_id, "ke_hoach": plan_key, "ma": ma, "ngay": _from_ordinal(day),
              "don_vi": don_vi, "nguoi_ghi": who, "ghi_luc": _from_iso(when),
              "noi_dung": note, "trang_thai": _STATUS_OF_ROW[status], "minh_chung": evidence,
              "so_lieu": figures, "sua_cho": fixes, "huy": retract,
              "ca_nhiem_vu": whole}
    if not _FAST_BUILD:
        return Entry(**values)  # type: ignore[arg-type]
    entry: Entry = _new_entry(Entry)
    _set_dict(entry, "__dict__", values)
    return entry
