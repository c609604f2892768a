"""From what a user typed to a journal entry: every check `log`, `sua` and `huy` make.

Nothing here touches a file: the functions take the plan, the task, "today" and "now" as
arguments and either return an `Entry` or raise a `KehoachError` with a Vietnamese message,
so a refused note writes nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kehoach_cli.dates import format_date, parse_date
from kehoach_cli.errors import Conflict, KehoachError, NotFound
from kehoach_cli.journal.entry import Entry, replace
from kehoach_cli.journal.store import new_id
from kehoach_cli.status import Status, parse_status
from kehoach_cli.text import first_unsafe, fold, nfc, unsafe_reason

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime

    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.model import Task

MAX_NOTE = 10_000
MAX_EVIDENCE = 1_000
MAX_FIGURE_NAME = 200
DEFAULT_RETRACT_REASON = "Hủy ghi nhận"
_INTEGER = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^(\d+)([.,])(\d+)$")
# Grouped thousands as officials write amounts: "35.500.000", "1.234,5" (Vietnamese), and
# "35,500,000", "1,234.5" (as Excel prints with English settings). One group alone with no
# decimal part ("1.000") stays ambiguous: it is refused below, not guessed.
_GROUPED = {".": re.compile(r"^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$"),
            ",": re.compile(r"^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$")}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def clean_text(value: str, label: str, limit: int, multiline: bool = True,
               empty_hint: str = "hãy ghi đã làm gì") -> str:
    """NFC text with line ends unified; refuses empty, over-long and control characters."""
    text = nfc(value).replace("\r\n", "\n").strip()
    if not text:
        raise KehoachError(f"{label} đang để trống: {empty_hint}")
    if len(text) > limit:
        raise KehoachError(f"{label} dài {_thousands(len(text))} ký tự, quá giới hạn "
                           f"{_thousands(limit)}; hãy tóm tắt lại, chi tiết để ở văn bản minh chứng")
    bad = first_unsafe(text, multiline)
    if bad:
        raise KehoachError(f"{label} {unsafe_reason(bad)}")
    return text


def _thousands(number: int) -> str:
    """10.000: Vietnamese groups thousands with dots."""
    return f"{number:,}".replace(",", ".")


def parse_number(text: str, name: str) -> float:
    """3, 2,5 or 2.5, 35.500.000 or 1.234,5; "1.000" is refused because it reads as 1000
    or as 1 by habit."""
    value = _SPACES.sub("", text)
    if _INTEGER.match(value):
        return int(value)
    for mark, pattern in _GROUPED.items():
        grouped = pattern.match(value)
        if grouped and (grouped.group(2) is not None or value.count(mark) > 1):
            digits = grouped.group(1).replace(mark, "")
            part = grouped.group(2)
            return int(digits) if part is None else float(f"{digits}.{part}")
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
    return parse_date(text, "--ngay")


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


def reporting_body(plan: LoadedPlan, task: Task, text: str | None,
                   configured: str | None = None, configured_from: str | None = None) -> str:
    """The code of the body reporting: it must hold a role on the task, itself or via a group.

    `text` is `--don-vi`; without it, the person's configured body (`don_vi` in their
    config, or KEHOACH_DON_VI; `configured_from` says which) is taken, else the task's one
    implementing body when there is exactly one; otherwise the user has to say which.
    """
    from kehoach_cli.plan.bodies import registry_of, resolve_body, task_roles_for

    if not _assigned(task):
        raise NotFound(f"nhiệm vụ {task.ma} chưa giao cho đơn vị nào: hãy ghi đơn vị thực hiện "
                       "(tham_muu_thuc_hien, chu_tri, phoi_hop) vào nhiệm vụ trong tệp kế hoạch")
    given = text is not None and bool(text.strip())
    name = text if given else configured
    if not name:
        doers = [code for code in task.tham_muu_thuc_hien + task.chu_tri + task.phoi_hop]
        unique = list(dict.fromkeys(doers))
        if len(unique) == 1:
            return unique[0]
        raise KehoachError(f"hãy chỉ rõ đơn vị báo cáo bằng --don-vi; nhiệm vụ {task.ma} giao "
                           f"cho: {', '.join(_assigned(task))}. Để khỏi gõ mỗi lần, khai báo "
                           "đơn vị của mình một lần: kehoach cau-hinh --don-vi MÃ_ĐƠN_VỊ "
                           "(hoặc đặt biến môi trường KEHOACH_DON_VI)")
    where = "" if given else f", lấy từ {configured_from or 'cấu hình'},"
    try:
        body = resolve_body(plan, name)
    except KehoachError as exc:
        if given:
            raise
        origin = configured_from or "cấu hình"
        raise type(exc)(f"{exc.message} (đơn vị lấy từ {origin}); sửa bằng: kehoach cau-hinh "
                        "--don-vi MÃ_ĐƠN_VỊ, hoặc ghi rõ --don-vi") from None
    if not task_roles_for(body.ma, task, registry_of(plan)):
        hint = "" if given else "; nếu ghi thay đơn vị khác, hãy ghi rõ --don-vi"
        raise NotFound(f"đơn vị {body.ma} ({body.ten}){where} không có vai trò trong nhiệm vụ "
                       f"{task.ma}, kể cả qua nhóm; nhiệm vụ này giao cho: "
                       f"{', '.join(_assigned(task))}{hint}")
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
    default_body: str | None = None,
    default_body_from: str | None = None,
) -> Entry:
    """A new note for `task`, every input checked; raises before anything is written.

    `default_body` is the person's configured body, used when `don_vi` is not given.
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
        don_vi=reporting_body(plan, task, don_vi, default_body, default_body_from),
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
    return parse_status(text, "--trang-thai")


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
    return correction(original, current, changes, nguoi_ghi=nguoi_ghi, now=now)


def correction(original: Entry, current: Entry, changes: dict[str, object], *, nguoi_ghi: str,
               now: datetime) -> Entry:
    """The record that amends `original` (now standing as `current`) with checked `changes`
    (field -> new value); refuses a correction that changes nothing."""
    if all(getattr(current, key) == value for key, value in changes.items()):
        raise KehoachError(f"ghi nhận {original.id} đã đúng như vậy: không có gì thay đổi")
    return replace(current, id=new_id(), sua_cho=original.id, huy=False, nguoi_ghi=nguoi_ghi,
                   ghi_luc=now, **changes)


def retraction(original: Entry, current: Entry, *, ly_do: str | None, nguoi_ghi: str,
               now: datetime) -> Entry:
    """A record that withdraws `original`; the reason is kept as its note."""
    reason = DEFAULT_RETRACT_REASON if ly_do is None else clean_text(
        ly_do, "lý do hủy", MAX_NOTE, empty_hint="hãy ghi vì sao hủy, hoặc bỏ --ly-do")
    return replace(current, id=new_id(), sua_cho=original.id, huy=True, noi_dung=reason,
                   nguoi_ghi=nguoi_ghi, ghi_luc=now)


def _same_text(a: str, b: str) -> bool:
    return a == b or " ".join(a.split()) == " ".join(b.split())


def find_duplicate(entry: Entry, existing: Iterable[Entry]) -> Entry | None:
    """An existing note with the same task, body, day and text as `entry`, if any."""
    for other in existing:
        if (other.ma == entry.ma and other.don_vi == entry.don_vi and other.ngay == entry.ngay
                and _same_text(other.noi_dung, entry.noi_dung)):
            return other
    return None


def refuse_duplicate(entry: Entry, existing: Iterable[Entry]) -> None:
    """Refuse a note that repeats one already recorded: a retried command must not count
    the same work twice. `--van-ghi` is the way to say it really happened twice."""
    twin = find_duplicate(entry, existing)
    if twin is not None:
        raise Conflict(f"ghi nhận này đã có: {twin.id} (nhiệm vụ {twin.ma}, {twin.don_vi}, ngày "
                       f"{format_date(twin.ngay)}, cùng nội dung, ghi bởi {twin.nguoi_ghi}); "
                       "không ghi lần nữa. Nếu đúng là một việc khác cùng ngày, thêm --van-ghi; "
                       f"muốn sửa ghi nhận cũ thì dùng kehoach sua {twin.id}")
