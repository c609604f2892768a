"""One journal line: an `Entry` as a JSON object, and back.

A line is a whole JSON object with Vietnamese kept as text (`ensure_ascii=False`), so a
sidecar reads in Notepad and git diffs it line by line. Keys are the `Entry` field names;
optional fields are left out when empty, and the plan key is not stored (the folder a line
lives in names its plan, so renaming a plan's `ma` does not orphan its journal).

Decoding is the hot path of every history and report (hundreds of thousands of lines):
`decode_lines` hands a whole file to msgspec, which builds the `Entry` structs in C and
checks what their annotations say, about four times faster than `json.loads` of each
line alone. Only when that fails (a damaged or hand-edited line) does the file go line by
line through `decode`, plain code on the dict `json.loads` returns, which names what is
wrong in Vietnamese. Both accept the same lines and build equal entries. Unknown keys are
ignored rather than refused: lines are written by the tool, and a newer version that adds
a field must not make every line unreadable to an older one in another clone.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from unicodedata import is_normalized

from kehoach_cli.dates import MAX_YEAR, MIN_YEAR
from kehoach_cli.journal.entry import Entry
from kehoach_cli.status import Status
from kehoach_cli.text import nfc

if TYPE_CHECKING:
    import msgspec

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
        # json reads NaN and Infinity, which a report's JSON could then not hold; `log`
        # never writes them, nor a negative count.
        if not 0 <= number < _INFINITY:
            raise RecordError(f"số liệu “{name}” = {number} không hợp lệ: phải là số không âm")
    return value


_INFINITY = float("inf")


_TEXT_KEYS = ("id", "ma", "don_vi", "nguoi_ghi", "noi_dung")


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
    if not MIN_YEAR <= ngay.year <= MAX_YEAR:  # a hand edit's slip (9999-01-01)
        raise RecordError(f"ngày “{get('ngay')}” không hợp lệ: năm phải từ {MIN_YEAR} đến "
                          f"{MAX_YEAR}")
    entry_id, ma, don_vi = get("id"), get("ma"), get("don_vi")
    who, note = get("nguoi_ghi"), get("noi_dung")
    if not (type(entry_id) is str and type(ma) is str and type(don_vi) is str
            and type(who) is str and type(note) is str and entry_id and ma and don_vi
            and who and note):
        raise _bad_text(record)
    status = get("trang_thai")
    if status is not None:
        status = _STATUS.get(status) if type(status) is str else None  # [] is not hashable
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
    return Entry(entry_id, plan_key, nfc(ma) if not ma.isascii() else ma, ngay,
                 nfc(don_vi) if not don_vi.isascii() else don_vi, who, ghi_luc, note, status,
                 evidence or None, _figures(figures) if figures else {}, fixes, retract,
                 whole)


@cache
def _lines_decoder() -> msgspec.json.Decoder[list[Entry]]:
    import msgspec

    return msgspec.json.Decoder(list[Entry])


@cache
def _decode_error() -> type[Exception]:
    import msgspec

    return msgspec.DecodeError


def key_prefix(plan_key: str) -> bytes:
    """What `decode_lines` puts before each line's `"id"`: the plan key, as JSON."""
    return b'{"ke_hoach": ' + json.dumps(plan_key).encode() + b', "id": '


def decode_lines(lines: bytes, count: int, plan_key: str,
                 prefix: bytes | None = None) -> list[Entry] | None:
    """The entries of `count` lines (each ending in a newline), or None if any line is not
    one `decode` would accept as it stands: the caller then goes line by line.

    The plan key goes into each object's text before parsing (lines do not store it), so
    msgspec builds finished entries; a line the tool did not write (one that does not start
    with `{"id": `) is left to `decode`. `prefix` is `key_prefix(plan_key)`, made once by a
    caller that reads many files of one plan.
    """
    if not lines.startswith(LINE_START) or lines.count(b"\n" + LINE_START) != count - 1:
        return None
    key = prefix or key_prefix(plan_key)
    body = lines.replace(b"\n" + LINE_START, b",\n" + key)
    try:
        entries = _lines_decoder().decode(b"[" + key + body[len(LINE_START):] + b"]")
    except _decode_error():  # ValidationError too
        return None
    if len(entries) != count:
        return None
    # What the annotations cannot say, looked at only where the bytes show it may matter:
    # a line's own "ke_hoach" must not stand for the plan's; a retraction must name what it
    # retracts; codes must be NFC, as `decode` makes them, and only combining marks
    # (U+0300-U+036F, bytes CC and CD) make Vietnamese text not.
    if b'"ke_hoach"' in lines and any(entry.ke_hoach != plan_key for entry in entries):
        return None
    if b'"huy"' in lines and any(entry.huy and entry.sua_cho is None for entry in entries):
        return None
    if (b"\xcc" in lines or b"\xcd" in lines) and not all(
            is_normalized("NFC", entry.ma) and is_normalized("NFC", entry.don_vi)
            for entry in entries):
        return None
    # The checks `decode` makes on values: a day of a year outside MIN_YEAR..MAX_YEAR (one
    # C scan of the bytes), a negative figure (only lines with figures are looked at).
    if _OUT_OF_RANGE_DAY.search(lines) or (b'"so_lieu"' in lines and not all(
            number >= 0 for entry in entries for number in entry.so_lieu.values())):
        return None
    return entries


# MIN_YEAR..MAX_YEAR (1900..2200) as a pattern on the bytes.
_OUT_OF_RANGE_DAY = re.compile(rb'"ngay": "(?!19\d\d-|2[01]\d\d-|2200-)')


LINE_START = b'{"id": '  # how every line `encode` writes begins


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
