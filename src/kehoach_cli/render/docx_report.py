"""The review as a Word draft written like a Báo cáo: the text the office sends up, not a
table dump. The page furniture (letterhead, signature, page numbers) is `docx_layout.py`.

Parts, in the order reports of the genre take:
- "BÁO CÁO / Kết quả thực hiện Kế hoạch số ... <trích yếu>, <kỳ>", an opening paragraph
  naming the plan, the period and its exact dates;
- I. Công tác lãnh đạo, chỉ đạo, triển khai: a placeholder for the office to complete;
- II. Kết quả thực hiện: the plan's own groups and tasks, each task its full text and a
  paragraph per body that reported, naming it by its full name and saying what it did:
  every note of the period in date order, with its evidence; then the figures summed, per
  body where several added to one ("số cuộc kiểm tra: 4 (ĐU 2, MTTQ 2)"), and the state;
- III. Đánh giá chung: facts (bodies that reported nothing, with how many periods running;
  tasks without activity; overdue tasks) and placeholders for the committee's judgement;
- IV. Phương hướng, nhiệm vụ thời gian tới: deadlines of the next period, ongoing tasks;
- the signature block, kept with the last paragraph; an appendix (Phụ lục) on landscape
  pages with the per-body statistics and the task table.
Texts are never cut: a report carries whole task texts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach_cli.dates import format_date
from kehoach_cli.errors import Conflict
from kehoach_cli.render.docx_layout import (
    BLANK,
    Doc,
    Heading,
    body_heading,
    party_heading,
    upward_recipients,
    ward_blank,
    write_closing,
    write_header,
)
from kehoach_cli.render.report import body_table, by_section, line_figures, silence_text, task_id
from kehoach_cli.render.values import timeframe_text
from kehoach_cli.status import STATUS_LABELS
from kehoach_cli.text import fold

if TYPE_CHECKING:
    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.bodies import Registry
    from kehoach_cli.query.review import Report, TaskLine

PLACEHOLDER = "(Văn phòng bổ sung: {what}) " + "." * 40


def issuer_name(report: Report) -> str:
    """Who reports: the body of `report --don-vi`, else the plan's issuing body (its
    registry name when the plan uses a code), with a blank for the ward's name."""
    if report.don_vi is not None:
        return ward_blank(report.don_vi.ten)
    meta = report.plans[0].plan.ke_hoach
    name = meta.co_quan_ban_hanh
    if not name:
        return BLANK
    for body in report.plans[0].plan.don_vi:
        if fold(name) in {fold(body.ma), fold(body.ten), *(fold(a) for a in body.ten_khac)}:
            name = body.ten
            break
    return ward_blank(name)


def plan_reference(report: Report) -> str:
    """"Kế hoạch số 12-KH/ĐU, ngày 05/3/2025 của Đảng ủy ... thực hiện ..." (blanks where
    the plan has no number or date)."""
    if len(report.plans) > 1:
        return f"{len(report.plans)} kế hoạch"
    meta = report.plans[0].plan.ke_hoach
    when = f", ngày {format_date(meta.ngay)}" if meta.ngay else ""
    return f"{meta.loai_van_ban} số {meta.so_ky_hieu or BLANK}{when} {meta.trich_yeu}".strip()


def heading_of(report: Report, recipients: tuple[str, ...] = ()) -> Heading:
    meta = report.plans[0].plan.ke_hoach
    if report.don_vi is not None:
        return body_heading(report.don_vi, meta)
    return party_heading(meta, issuer_name(report), upward_recipients(meta, recipients))


# --------------------------------------------------------------------------- section II

def _full_name(registry: Registry, code: str) -> str:
    body = registry.get(code)
    return body.ten if body else code


def _note_clause(entry: Entry) -> str:
    """"đã giám sát 3 khu dân cư (ngày 03/11/2025; minh chứng: 15-BC/MTTQ)"."""
    text = entry.noi_dung.strip().rstrip(".;")
    where = [f"ngày {format_date(entry.ngay)}"]
    if entry.minh_chung:
        where.append(f"minh chứng: {entry.minh_chung}")
    if entry.trang_thai is not None:
        status = STATUS_LABELS[entry.trang_thai]
        # Whose status: the body's part, or the whole task (not "báo cáo đang thực hiện",
        # which reads as the report being in progress).
        where.append(f"trạng thái{' cả nhiệm vụ' if entry.ca_nhiem_vu else ''}: {status}")
    return f"{text} ({'; '.join(where)})"


def body_paragraphs(registry: Registry, line: TaskLine) -> list[str]:
    """One sentence per reporting body, in the order they first reported, its notes in date
    order: "Ủy ban Mặt trận Tổ quốc Việt Nam phường: đã giám sát ... (ngày ...); ..."."""
    by_body: dict[str, list[Entry]] = {}
    for entry in line.entries:  # oldest first
        by_body.setdefault(entry.don_vi, []).append(entry)
    return [f"{_full_name(registry, code)}: {'; '.join(_note_clause(e) for e in notes)}."
            for code, notes in by_body.items()]


def state_sentence(report: Report, line: TaskLine) -> str:
    state = line.state
    end = format_date(report.end)
    # A body's own report gives its own part (review.py): say so, not "the task".
    subject = "phần việc của đơn vị" if report.don_vi is not None else "nhiệm vụ"
    text = f"Đến ngày {end}, {subject} {state.label()}"
    if state.completed and state.hoan_thanh_ngay:
        text += f" (ngày {format_date(state.hoan_thanh_ngay)})"
    elif state.han and not state.completed:
        text += f"; hạn {format_date(state.han)}"
    return text + "."


def _task(doc: Doc, report: Report, line: TaskLine) -> Any:
    from kehoach_cli.plan.bodies import registry_of

    registry = registry_of(line.plan)
    task = line.task
    # A short task text stays with its results; a long one may end a page, or the page
    # before it would be left half empty.
    doc.para(f"{task_id(report, line)}. {task.noi_dung}", bold=True, italic=True, indent=True,
             keep=len(task.noi_dung) < 400, after=3)
    for item in task.cac_y:
        doc.para(f"- {item}", italic=True, indent=True, keep=True, after=3)
    if line.count:
        for text in body_paragraphs(registry, line):
            doc.para(f"- {text}", indent=True, after=3)
        if line.so_lieu:
            doc.para(f"Số liệu trong kỳ: {line_figures(line)}.", indent=True, after=3)
    elif line.not_expected:
        doc.para("Trong kỳ không phát sinh công việc của nhiệm vụ này.", indent=True, after=3)
    else:
        doc.para("Trong kỳ chưa có đơn vị nào báo cáo kết quả thực hiện nhiệm vụ này.",
                 indent=True, after=3)
    return doc.para(state_sentence(report, line), indent=True, italic=True)


def _results(doc: Doc, report: Report) -> Any:
    last = doc.para("II. KẾT QUẢ THỰC HIỆN", bold=True, keep=True, before=6)
    for prefix, section, lines in by_section(report):
        doc.para(f"{prefix}{section.ma}. {section.tieu_de}", bold=True, indent=True, keep=True,
                 before=6)
        for line in lines:
            last = _task(doc, report, line)
    if not report.tasks:
        last = doc.para("Trong kỳ không có nhiệm vụ nào thuộc phạm vi báo cáo.", indent=True)
    return last


# --------------------------------------------------------------------------- III and IV

def _ids(report: Report, lines: list[TaskLine]) -> str:
    return ", ".join(task_id(report, line) for line in lines)


def _capitalised(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


def _silent_sentences(report: Report) -> list[str]:
    """One sentence per silent body; a silent group and those of its members silent on the
    same tasks in the same way share one ("Các tổ chức chính trị - xã hội phường (ĐTN,
    HLHPN, HND, HCCB) chưa báo cáo ..."), not one near-identical line each."""
    from kehoach_cli.plan.bodies import registry_of

    silent = {body.ma: body for body in report.silent_bodies}
    members: dict[str, list[str]] = {}
    for loaded in report.plans:
        registry = registry_of(loaded)
        for code in silent:
            if (found := registry.get(code)) is not None and found.thanh_vien:
                members.setdefault(code, list(found.thanh_vien))
    folded: dict[str, list[str]] = {}  # group -> the members its sentence speaks for
    for group, codes in members.items():
        same = [c for c in codes if c in silent and c not in folded
                and silent[c].total == silent[group].total
                and silence_text(silent[c]) == silence_text(silent[group])]
        if same:
            folded[group] = same
    inside = {c for codes in folded.values() for c in codes}
    out: list[str] = []
    for body in report.silent_bodies:
        if body.ma in inside:
            continue
        grouped = folded.get(body.ma)
        who = (f"{_capitalised(body.ten)} ({', '.join(grouped)})" if grouped
               else f"{_capitalised(body.ten)} ({body.ma})")
        out.append(f"{who} chưa báo cáo kết quả thực hiện {body.total} nhiệm vụ được giao: "
                   f"{silence_text(body)}.")
    return out


def assessment_facts(report: Report) -> tuple[list[str], list[str]]:
    """What the data says for "ưu điểm" (only what went well) and for "hạn chế", as
    sentences."""
    active = [t for t in report.tasks if t.active]
    done = [t for t in report.tasks if t.state.completed]
    reporters = {code for t in report.tasks for code in t.reporters}
    good: list[str] = []
    if active:
        text = (f"Trong kỳ có {len(active)}/{len(report.tasks)} nhiệm vụ có kết quả được báo "
                f"cáo, với {report.entry_count} lượt báo cáo của {len(reporters)} đơn vị")
        good.append(f"{text}; {len(done)} nhiệm vụ đã hoàn thành." if done else f"{text}.")
    elif done:
        good.append(f"{len(done)}/{len(report.tasks)} nhiệm vụ đã hoàn thành.")
    weak = _silent_sentences(report)
    if report.tasks and not done:
        weak.append("Chưa có nhiệm vụ nào hoàn thành.")
    if report.without_activity:
        weak.append(f"Các nhiệm vụ chưa có hoạt động trong kỳ: {_ids(report, report.without_activity)}.")
    for line in report.overdue:
        due = format_date(line.state.han) if line.state.han else BLANK
        weak.append(f"Nhiệm vụ {task_id(report, line)} quá hạn (hạn {due}), "
                    f"{STATUS_LABELS[line.state.status]}.")
    return good, weak


def _assessment(doc: Doc, report: Report) -> None:
    good, weak = assessment_facts(report)
    doc.para("III. ĐÁNH GIÁ CHUNG", bold=True, keep=True, before=6)
    doc.para("1. Ưu điểm", bold=True, indent=True, keep=True)
    for text in good:
        doc.para(text, indent=True)
    doc.para(PLACEHOLDER.format(what="nhận định về ưu điểm"), italic=True, indent=True,
             align="left")
    doc.para("2. Hạn chế", bold=True, indent=True, keep=True)
    for text in weak or ["Không có đơn vị hay nhiệm vụ nào bị chậm báo cáo trong kỳ."]:
        doc.para(f"- {text}", indent=True)
    doc.para(PLACEHOLDER.format(what="nhận định về hạn chế"), italic=True, indent=True,
             align="left")
    doc.para("3. Nguyên nhân", bold=True, indent=True, keep=True)
    doc.para(PLACEHOLDER.format(what="nguyên nhân khách quan, chủ quan"), italic=True,
             indent=True, align="left")


def _next_period(doc: Doc, report: Report) -> Any:
    nxt = report.next_span
    doc.para("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold=True, keep=True, before=6)
    if report.due_next:
        doc.para(f"Các nhiệm vụ đến hạn trong {nxt.label} ({nxt.dates_text()}):", indent=True,
                 keep=True)
        for line in report.due_next:
            dates = ", ".join(format_date(d) for d in line.due_next)
            doc.para(f"- Nhiệm vụ {task_id(report, line)}: {line.task.noi_dung} (hạn {dates}; "
                     f"{STATUS_LABELS[line.state.status]}).", indent=True)
    ongoing = [t for t in report.tasks if t.state.han is None and not t.state.completed]
    if ongoing:
        doc.para(f"Tiếp tục thực hiện thường xuyên các nhiệm vụ: {_ids(report, ongoing)}.",
                 indent=True)
    return doc.para(PLACEHOLDER.format(what="nhiệm vụ trọng tâm, giải pháp"), italic=True,
                    indent=True, align="left")


# --------------------------------------------------------------------------- appendix

def _appendix(doc: Doc, report: Report) -> None:
    doc.landscape_section()
    doc.para("PHỤ LỤC", bold=True, align="center", after=0)
    doc.para(f"Số liệu thực hiện {plan_reference(report)}, {report.span.label} "
             f"({report.span.dates_text()})", italic=True, align="center", after=12)
    doc.para("1. Kết quả theo đơn vị", bold=True, keep=True)
    widths = [12.0, 53.0, 16.0, 16.0, 16.0, 17.0, 17.0, 19.0, 19.0, 18.0, 20.0, 24.0]
    table = body_table(report)
    # The note before its table and kept with it: alone at the top of a page it explains
    # nothing.
    doc.para("Ghi chú: đơn vị nhận nhiệm vụ trực tiếp hoặc qua nhóm; một đơn vị hoàn thành "
             "phần việc của mình được tính hoàn thành cho đơn vị đó; “thường xuyên”: nhiệm vụ "
             "không thời hạn, hoàn thành hay chưa, không tính đúng hạn hay quá hạn, đánh giá "
             "bằng tỷ lệ có hoạt động.", size=11, italic=True, keep=True, after=3)
    doc.table(table.columns, table.rows, widths, size=11, left_from=50, whole_rows=True)
    doc.para("2. Tình hình thực hiện từng nhiệm vụ", bold=True, keep=True, before=12)
    columns = ["Mã", "Nội dung nhiệm vụ", "Đơn vị thực hiện", "Thời gian", "Số lượt báo cáo",
               "Số liệu", "Trạng thái"]
    rows = [[task_id(report, t), t.task.noi_dung,
             ", ".join(dict.fromkeys(c for codes in t.task.implementing().values() for c in codes)),
             timeframe_text(t.task.thoi_gian, "–"), str(t.count), line_figures(t) or "–",
             t.state.label()] for t in report.tasks]
    doc.table(columns, rows, [14.0, 95.0, 35.0, 25.0, 18.0, 30.0, 30.0], size=11, left_from=25)
    # Both tables fill the landscape text width (LANDSCAPE_TEXT_MM, 247 mm).


# --------------------------------------------------------------------------- document

def build_document(report: Report, recipients: tuple[str, ...] = ()) -> Any:
    """The python-docx Document of the draft report; `recipients` is the workspace's
    `noi_nhan_bao_cao` (empty: the default for a report going up). The draft quotes every
    note of the period: `report` must keep them (`build_report(..., every_note=True)`)."""
    if not report.every_note:
        raise ValueError("the Word draft needs a review that keeps every note of the period")
    doc = Doc()
    heading = heading_of(report, recipients)
    write_header(doc, heading)
    span = report.span
    doc.para("BÁO CÁO", size=16, bold=True, align="center", before=18, after=0)
    doc.para(f"Kết quả thực hiện {plan_reference(report)}, {span.label}", bold=True,
             align="center", after=0)
    doc.para("-----", align="center", after=12)
    until = f", tính đến ngày {format_date(report.as_of)}" if report.as_of < span.den else ""
    doc.para(f"Thực hiện {plan_reference(report)}, {issuer_name(report)} báo cáo kết quả thực "
             f"hiện {span.label} (số liệu {span.dates_text()}{until}) như sau:", indent=True)
    doc.para("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN", bold=True, keep=True,
             before=6)
    doc.para(PLACEHOLDER.format(what="việc quán triệt, ban hành văn bản chỉ đạo, phân công "
                                "triển khai kế hoạch trong kỳ"), italic=True, indent=True,
             align="left")
    _results(doc, report)
    _assessment(doc, report)
    last = _next_period(doc, report)
    write_closing(doc, heading, last)
    doc.page_numbers()
    _appendix(doc, report)
    return doc.doc


def write_docx(report: Report, target: Path, *, overwrite: bool = False,
               recipients: tuple[str, ...] = ()) -> None:
    """Write the draft to `target` whole or not at all (atomic.py); refuse to replace an
    existing file unless `overwrite`."""
    from kehoach_cli.atomic import write_file

    if target.exists() and not overwrite:  # before building: the check is cheap, the build not
        raise Conflict(f"{target}: tệp đã có; thêm --ghi-de để ghi đè, hoặc chọn tên khác")
    document = build_document(report, recipients)
    write_file(target, document.save, overwrite=overwrite)
