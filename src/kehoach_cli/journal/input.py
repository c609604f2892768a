"""From what a user typed to a journal entry: every check `log`, `sua` and `huy` make.

Nothing here touches a file: the functions take the plan, the task, "today" and "now" as
arguments and either return an `Entry` or raise a `KehoachError` with a Vietnamese message,
so a refused note writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kehoach_cli.dates import format_date, parse_option
from kehoach_cli.errors import KehoachError, NotFound
from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.store import new_id
from kehoach_cli.status import Status, parse_status
from kehoach_cli.text import fold, nfc

if TYPE_CHECKING:
    from datetime import date, datetime

    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.model import Task

MAX_NOTE = 10_000
MAX_EVIDENCE = 1_000
MAX_FIGURE_NAME = 200
DEFAULT_RETRACT_REASON = "Hủy ghi nhận"
# C0 and C1 controls (tab and newline excepted) and the bidirectional overrides that can make
# text print differently from what is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INTEGER = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^(\d+)([.,])(\d+)$")


def clean_text(value: str, label: str, limit: int, multiline: bool = True,
               empty_hint: str = "hãy ghi đã làm gì") -> str:
    """NFC text with line ends unified; refuses empty, over-long and control characters."""
    text = nfc(value).replace("\r\n", "\n").strip()
    if not text:
        raise KehoachError(f"{label} đang để trống: {empty_hint}")
    if len(text) > limit:
        raise KehoachError(f"{label} dài {_thousands(len(text))} ký tự, quá giới hạn "
                           f"{_thousands(limit)}; hãy tóm tắt lại, chi tiết để ở văn bản minh chứng")
    bad = _CONTROL.search(text) or (None if multiline else re.search("[\n\t]", text))
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        raise KehoachError(f"{label} có ký tự điều khiển {code} ở vị trí {bad.start() + 1}; "
                           "hãy gõ lại bằng chữ thường (không dán mã điều khiển)")
    return text


def _thousands(number: int) -> str:
    """10.000: Vietnamese groups thousands with dots."""
    return f"{number:,}".replace(",", ".")


def parse_number(text: str, name: str) -> float:
    """3, 2,5 or 2.5; "1.000" is refused because it reads as 1000 or as 1 by habit."""
    value = text.strip().replace(" ", "")
    if _INTEGER.match(value):
        return int(value)
    match = _DECIMAL.match(value)
    if match:
        whole, mark, part = match.groups()
        if mark == "." and len(part) == 3:
            raise KehoachError(f"số liệu “{name}={text}”: “{value}” là một nghìn hay một phẩy? "
                               f"hãy viết {whole}{part} hoặc {whole},{part}")
        return float(f"{whole}.{part}")
    raise KehoachError(f"số liệu “{name}={text}”: giá trị phải là số không âm, "
                       "ví dụ --so-lieu \"số cuộc giám sát=3\" hoặc \"tỷ lệ=92,5\"")


def parse_figures(items: list[str]) -> dict[str, float]:
    """`--so-lieu "số cuộc giám sát=3"` (repeatable) as name -> number."""
    figures: dict[str, float] = {}
    seen: dict[str, str] = {}  # folded name -> as typed: reports add up names that fold alike
    for item in items:
        name, sep, number = nfc(item).rpartition("=")
        name = " ".join(name.split())
        if not sep or not name:
            raise KehoachError(f"số liệu “{item}” phải có dạng TÊN=SỐ, "
                               "ví dụ --so-lieu \"số cuộc giám sát=3\"")
        name = clean_text(name, f"tên số liệu “{name}”", MAX_FIGURE_NAME, multiline=False,
                          empty_hint="hãy ghi tên số liệu")
        first = seen.setdefault(fold(name), name)
        if first != name or name in figures:
            raise KehoachError(f"số liệu “{name}” ghi hai lần (đã có “{first}”): mỗi tên chỉ "
                               "ghi một lần")
        figures[name] = parse_number(number, name)
    return figures


def parse_day(text: str | None, today: date) -> date:
    """The day the work happened: given (15/3/2025, 2025-03-15), else today."""
    if text is None or not text.strip():
        return today
    return parse_option(text, "--ngay")


def check_day(day: date, today: date, plan: LoadedPlan) -> None:
    """Backdating is fine; the future and days before the plan was issued are not."""
    if day > today:
        raise KehoachError(f"ngày {format_date(day)} chưa tới (hôm nay là {format_date(today)}): "
                           "chỉ ghi nhận việc đã làm")
    issued = plan.plan.ke_hoach.ngay
    if issued is not None and day < issued:
        raise KehoachError(f"ngày {format_date(day)} trước ngày ban hành kế hoạch {plan.key} "
                           f"({format_date(issued)}): kiểm tra lại --ngay")


def _assigned(task: Task) -> list[str]:
    codes: list[str] = []
    for role_codes in task.roles().values():
        codes.extend(code for code in role_codes if code not in codes)
    return codes


def reporting_body(plan: LoadedPlan, task: Task, text: str | None) -> str:
    """The code of the body reporting: it must hold a role on the task, itself or via a group.

    Without `--don-vi`, the task's one implementing body is taken when there is exactly one;
    otherwise the user has to say which.
    """
    from kehoach_cli.plan.bodies import registry_of, resolve_body, task_roles_for

    if not _assigned(task):
        raise NotFound(f"nhiệm vụ {task.ma} chưa giao cho đơn vị nào: hãy ghi đơn vị thực hiện "
                       "(tham_muu_thuc_hien, chu_tri, phoi_hop) vào nhiệm vụ trong tệp kế hoạch")
    if text is None or not text.strip():
        doers = [code for code in task.tham_muu_thuc_hien + task.chu_tri + task.phoi_hop]
        unique = list(dict.fromkeys(doers))
        if len(unique) == 1:
            return unique[0]
        raise KehoachError(f"hãy chỉ rõ đơn vị báo cáo bằng --don-vi; nhiệm vụ {task.ma} giao "
                           f"cho: {', '.join(_assigned(task))}")
    body = resolve_body(plan, text)
    if not task_roles_for(body.ma, task, registry_of(plan)):
        raise NotFound(f"đơn vị {body.ma} ({body.ten}) không có vai trò trong nhiệm vụ "
                       f"{task.ma}, kể cả qua nhóm; nhiệm vụ này giao cho: "
                       f"{', '.join(_assigned(task))}")
    return body.ma


def new_entry(
    plan: LoadedPlan,
    task: Task,
    *,
    noi_dung: str,
    ngay: str | None,
    don_vi: str | None,
    trang_thai: str | None,
    minh_chung: str | None,
    so_lieu: list[str],
    nguoi_ghi: str,
    today: date,
    now: datetime,
    ca_nhiem_vu: bool = False,
) -> Entry:
    """A new note for `task`, every input checked; raises before anything is written.

    `ca_nhiem_vu`: the status is the office's for the whole task, not the body's own part
    (`query/state.py`); it needs a status, and without `--don-vi` the directing body
    reports it."""
    note = clean_text(noi_dung, "nội dung ghi nhận", MAX_NOTE)
    day = parse_day(ngay, today)
    check_day(day, today, plan)
    status = _status(trang_thai)
    _check_whole(ca_nhiem_vu, status)
    if ca_nhiem_vu and (don_vi is None or not don_vi.strip()) and len(task.chi_dao) == 1:
        don_vi = task.chi_dao[0]
    return Entry(
        id=new_id(),
        ke_hoach=plan.key,
        ma=task.ma,
        ngay=day,
        don_vi=reporting_body(plan, task, don_vi),
        nguoi_ghi=nguoi_ghi,
        ghi_luc=now,
        noi_dung=note,
        trang_thai=status,
        minh_chung=_evidence(minh_chung),
        so_lieu=parse_figures(so_lieu),
        ca_nhiem_vu=ca_nhiem_vu,
    )


def _check_whole(whole: bool, status: Status | None) -> None:
    if whole and status is None:
        raise KehoachError("--ca-nhiem-vu cần --trang-thai: trạng thái đó áp dụng cho cả nhiệm "
                           "vụ, mọi đơn vị (ví dụ --trang-thai \"hoan thanh\" --ca-nhiem-vu)")


def _status(text: str | None) -> Status | None:
    if text is None:
        return None
    try:
        return parse_status(text)
    except ValueError as exc:
        raise KehoachError(f"--trang-thai: {exc}") from None


def _evidence(text: str | None) -> str | None:
    if text is None:
        return None
    return clean_text(text, "minh chứng", MAX_EVIDENCE, multiline=False,
                      empty_hint="hãy ghi số văn bản minh chứng, hoặc bỏ --minh-chung")


def amendment(
    plan: LoadedPlan,
    task: Task | None,
    original: Entry,
    current: Entry,
    *,
    noi_dung: str | None,
    ngay: str | None,
    don_vi: str | None,
    trang_thai: str | None,
    minh_chung: str | None,
    so_lieu: list[str],
    nguoi_ghi: str,
    today: date,
    now: datetime,
    ca_nhiem_vu: bool | None = None,
) -> Entry:
    """A correction of `original` (whose effective state is `current`): what is given
    replaces, what is not given is kept. It is a new record; the original stays as it was."""
    changes: dict[str, object] = {}
    if noi_dung is not None:
        changes["noi_dung"] = clean_text(noi_dung, "nội dung ghi nhận", MAX_NOTE)
    if ngay is not None:
        day = parse_day(ngay, today)
        check_day(day, today, plan)
        changes["ngay"] = day
    if don_vi is not None:
        if task is None:
            raise NotFound(f"nhiệm vụ {original.ma} không còn trong kế hoạch {plan.key}: "
                           "không đổi được đơn vị")
        changes["don_vi"] = reporting_body(plan, task, don_vi)
    if trang_thai is not None:
        changes["trang_thai"] = _status(trang_thai)
    if minh_chung is not None:
        changes["minh_chung"] = _evidence(minh_chung)
    if so_lieu:
        changes["so_lieu"] = parse_figures(so_lieu)
    if ca_nhiem_vu is not None:
        status = changes.get("trang_thai", current.trang_thai)
        _check_whole(ca_nhiem_vu, status if isinstance(status, Status) else None)
        changes["ca_nhiem_vu"] = ca_nhiem_vu
    if not changes:
        raise KehoachError("không có gì để sửa: hãy ghi nội dung mới, hoặc --ngay, --don-vi, "
                           "--trang-thai, --minh-chung, --so-lieu, --ca-nhiem-vu")
    if all(getattr(current, key) == value for key, value in changes.items()):
        raise KehoachError(f"ghi nhận {original.id} đã đúng như vậy: không có gì thay đổi")
    return replace(current, id=new_id(), sua_cho=original.id, huy=False, nguoi_ghi=nguoi_ghi,
                   ghi_luc=now, **changes)  # type: ignore[arg-type]


def retraction(original: Entry, current: Entry, *, ly_do: str | None, nguoi_ghi: str,
               now: datetime) -> Entry:
    """A record that withdraws `original`; the reason is kept as its note."""
    reason = DEFAULT_RETRACT_REASON if ly_do is None else clean_text(
        ly_do, "lý do hủy", MAX_NOTE, empty_hint="hãy ghi vì sao hủy, hoặc bỏ --ly-do")
    return replace(current, id=new_id(), sua_cho=original.id, huy=True, noi_dung=reason,
                   nguoi_ghi=nguoi_ghi, ghi_luc=now)
