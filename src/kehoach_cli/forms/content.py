"""What a return form (phiếu báo cáo) holds: one body's tasks for one period, what is already
recorded, and the identity that lets `nhap-phieu` recognise the file wherever it travelled.

Pure: takes the plan, the body, the span and the journal's entries, returns plain data that
`forms.layout` writes as a workbook. A body sees the tasks it holds itself and those given to
a group it belongs to ("qua nhóm CT-XH"), except tasks that only start after the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from kehoach_cli.dates import format_date
from kehoach_cli.periods import Convention, Kind, Period, Span
from kehoach_cli.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.model import Body

FORM_KIND = "kehoach-phieu"
FORM_VERSION = 1
ROWS_PER_TASK = 2  # rows to fill under each task: most bodies report one or two activities
EXTRA_ROWS = 6  # rows at the end where the body picks the task itself
RECORDED_SHOWN = 3  # latest notes shown per task; the form is for filling, not for history


@dataclass(frozen=True)
class FormTask:
    """A task as the form lists it."""

    ma: str
    noi_dung: str
    vai_tro: str  # "tham mưu, thực hiện (qua nhóm CT-XH)"
    da_ghi: str  # what is already recorded by the body in the period, one note a line


@dataclass(frozen=True)
class FormIdentity:
    """What the hidden sheet keeps; `nhap-phieu` trusts it, never the file's name."""

    ma_phieu: str
    ke_hoach: str
    don_vi: str
    tu: date
    den: date
    chot: Convention
    ky: str  # the period's label: "quý IV/2025", or the range for --tu/--den
    period: Period | None
    tao_luc: datetime
    nhiem_vu: tuple[str, ...]  # task ids, in form order

    @property
    def span(self) -> Span:
        return Span(self.tu, self.den, self.chot, self.period)


@dataclass(frozen=True)
class FormContent:
    """Everything a form shows."""

    identity: FormIdentity
    ten_ke_hoach: str  # "Kế hoạch số 12-KH/ĐU", or the plan's key when it has no number
    trich_yeu: str
    ten_don_vi: str
    tasks: list[FormTask] = field(default_factory=list)


def _recorded(entries: Iterable[Entry]) -> str:
    notes = sorted(entries, key=lambda e: (e.ngay, e.ghi_luc))
    lines = [f"{format_date(e.ngay)}: {e.noi_dung}" for e in notes[-RECORDED_SHOWN:]]
    if len(notes) > RECORDED_SHOWN:
        lines.insert(0, f"({len(notes)} ghi nhận, {RECORDED_SHOWN} gần nhất:)")
    return "\n".join(lines)


def form_bodies(loaded: LoadedPlan) -> list[Body]:
    """The bodies that get a form: those holding a role on some task, themselves or through a
    group; groups themselves do not report (their members do)."""
    from kehoach_cli.plan.bodies import registry_of, task_roles_for

    registry = registry_of(loaded)
    tasks = [task for _, task in loaded.plan.tasks()]
    return [body for body in loaded.plan.don_vi
            if not body.thanh_vien and any(task_roles_for(body.ma, t, registry) for t in tasks)]


def build_form(loaded: LoadedPlan, body: Body, span: Span, entries: Iterable[Entry],
               form_id: str, now: datetime) -> FormContent:
    """The form of `body` in `loaded` for `span`; `entries` are the plan's effective notes."""
    from kehoach_cli.plan.bodies import registry_of, task_roles_for
    from kehoach_cli.query.state import starts_after

    registry = registry_of(loaded)
    mine: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.don_vi == body.ma and entry.ngay in span:
            mine.setdefault(entry.ma, []).append(entry)
    tasks: list[FormTask] = []
    for _, task in loaded.plan.tasks():
        roles = task_roles_for(body.ma, task, registry)
        if not roles or starts_after(task.thoi_gian, span.den):
            continue
        tasks.append(FormTask(task.ma, task.noi_dung, "; ".join(r.label() for r in roles),
                              _recorded(mine.get(task.ma, ()))))
    meta = loaded.plan.ke_hoach
    number = f"{meta.loai_van_ban} số {meta.so_ky_hieu}" if meta.so_ky_hieu else \
        f"{meta.loai_van_ban} {loaded.key}"
    identity = FormIdentity(form_id, loaded.key, body.ma, span.tu, span.den, span.chot,
                            span.label, span.period, now, tuple(t.ma for t in tasks))
    return FormContent(identity, number, meta.trich_yeu or "", body.ten, tasks)


def file_name(plan_key: str, body_code: str, with_plan: bool) -> str:
    """"phieu-MTTQ.xlsx", or "phieu-kh160-MTTQ.xlsx" when a folder holds several plans';
    ASCII only, so the name survives Zalo, e-mail and old Windows tools."""
    def part(text: str) -> str:
        return "-".join(fold(text).upper().replace("-", " ").split()) or "X"

    body = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in part(body_code))
    if with_plan:
        return f"phieu-{part(plan_key).lower()}-{body}.xlsx"
    return f"phieu-{body}.xlsx"


def period_fields(period: Period | None) -> tuple[str, int, int] | None:
    """A period as three stored values (kind, year, index), None for an explicit range."""
    return None if period is None else (period.kind.value, period.year, period.index)


def period_from(kind: str, year: int, index: int) -> Period:
    return Period(Kind(kind), year, index)
