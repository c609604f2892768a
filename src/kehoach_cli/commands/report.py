"""`kehoach report`: the periodic review of a month, quarter, half-year, nine months or year.

Thin: options are read here, the span is resolved by `periods`, the review built by
`report`, tables by `report_render`, the Word draft by `report_docx`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kehoach_cli.commands.options import FormatOption, PlanPaths
from kehoach_cli.render.output import Format

if TYPE_CHECKING:
    from datetime import date

    from kehoach_cli.periods import Span
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.review import Report
    from kehoach_cli.render.report import Grouping


class Chot(StrEnum):
    """The `--chot` choices (mirrors `periods.Convention`, which Typer must not import)."""

    LICH = "lich"
    ND09 = "nd09"


class Bang(StrEnum):
    """The `--bang` choices: which table `--dinh-dang csv` writes."""

    NHIEM_VU = "nhiem-vu"
    DON_VI = "don-vi"
    CAN_QUAN_TAM = "can-quan-tam"


class Nhom(StrEnum):
    """The `--nhom` choices (mirrors `report_render.Grouping`)."""

    MUC = "muc"
    DON_VI = "don-vi"


_Text = Optional[str]  # noqa: UP045 - Typer reads this annotation at run time
_File = Optional[Path]  # noqa: UP045


def report(
    ctx: typer.Context,
    ky: Annotated[_Text, typer.Option(
        "--ky", metavar="KỲ", show_default=False,
        help="Kỳ báo cáo: thang, quy, 6thang, 9thang, nam (kỳ chứa ngày tính đến) hoặc "
        "quy-truoc, thang-truoc, 6thang-truoc, 9thang-truoc, nam-truoc (kỳ liền trước); "
        "hoặc ghi rõ: “quý III/2025”, “quy 3/2025”, Q3/2025, 2025-Q3, “tháng 11/2025”, "
        "11/2025, “6 tháng đầu năm 2025”, “6 tháng cuối năm 2025”, “9 tháng 2025”, "
        "“năm 2025”. Mặc định: quý chứa ngày tính đến.")] = None,
    tu: Annotated[_Text, typer.Option(
        "--tu", metavar="NGÀY", show_default=False,
        help="Từ ngày (thay cho --ky): 01/7/2025, 01/07/2025 hoặc 2025-07-01.")] = None,
    den: Annotated[_Text, typer.Option(
        "--den", metavar="NGÀY", show_default=False,
        help="Đến ngày, đi kèm --tu; mặc định: ngày tính đến.")] = None,
    ngay: Annotated[_Text, typer.Option(
        "--ngay", metavar="NGÀY", show_default=False,
        help="Tính đến ngày (mặc định: hôm nay): chọn kỳ và trạng thái theo ngày này.")] = None,
    chot: Annotated[Optional[Chot], typer.Option(  # noqa: UP045
        "--chot", show_default=False, case_sensitive=False,
        help="Cách tính ngày của kỳ: lich (quý III = 01/07–30/09) hoặc nd09 (chốt số liệu "
        "theo Nghị định 09/2019/NĐ-CP: từ ngày 15 tháng trước đến ngày 14). Mặc định: "
        "`chot` trong kehoach.toml, nếu không có thì lich.")] = None,
    don_vi: Annotated[_Text, typer.Option(
        "--don-vi", metavar="ĐƠN_VỊ", show_default=False,
        help="Chỉ báo cáo một đơn vị: mã, tên hoặc một phần tên, có dấu hay không dấu "
        "(MTTQ, “mat tran”, “thanh niên”).")] = None,
    nhom: Annotated[Nhom, typer.Option(
        "--nhom", case_sensitive=False,
        help="Nhóm bảng nhiệm vụ theo mục của kế hoạch (muc) hoặc theo đơn vị (don-vi).")
    ] = Nhom.MUC,
    xuat: Annotated[_File, typer.Option(
        "--xuat", metavar="TỆP.docx|TỆP.xlsx", show_default=False,
        help="Ghi thêm dự thảo báo cáo: .docx là văn bản Word theo thể thức của Đảng "
        "(Hướng dẫn 36-HD/VPTW), hoặc của đơn vị khi có --don-vi (Mặt trận, đoàn thể: Nghị "
        "định 30/2020/NĐ-CP); .xlsx là sổ Excel, mỗi bảng một trang tính.")] = None,
    bang: Annotated[Bang, typer.Option(
        "--bang", case_sensitive=False,
        help="Bảng ghi ra khi --dinh-dang csv: nhiem-vu (từng nhiệm vụ), don-vi (thống kê "
        "theo đơn vị) hoặc can-quan-tam.")] = Bang.NHIEM_VU,
    ghi_de: Annotated[bool, typer.Option(
        "--ghi-de", help="Cho phép ghi đè tệp --xuat đã có.")] = False,
    ke_hoach: PlanPaths = None,
    dinh_dang: FormatOption = Format.BANG,
) -> None:
    """Báo cáo định kỳ: kết quả thực hiện từng nhiệm vụ, từng đơn vị trong một kỳ.

    Mỗi nhiệm vụ: số ghi nhận trong kỳ, ghi nhận gần nhất, số liệu cộng dồn và trạng thái
    cuối kỳ (chưa thực hiện / đang thực hiện / đã hoàn thành; đúng hạn / quá hạn, hoặc
    không thời hạn). Mỗi đơn vị: số nhiệm vụ, có và không có hoạt động, hoàn thành, quá hạn,
    tỷ lệ hoàn thành. Cuối cùng là việc cần quan tâm. Báo cáo luôn ghi rõ từ ngày nào đến
    ngày nào.
    """
    import sys

    from kehoach_cli import clock
    from kehoach_cli.config import load_settings
    from kehoach_cli.dates import format_date, option_date
    from kehoach_cli.errors import KehoachError
    from kehoach_cli.periods import just_begun, previous_option
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.query.review import JournalSource, build_report
    from kehoach_cli.render.report import Grouping

    if xuat is not None and xuat.suffix.lower() not in (".docx", ".xlsx"):
        raise typer.BadParameter("tệp xuất phải có đuôi .docx (Word) hoặc .xlsx (Excel)",
                                 param_hint="--xuat")
    workspace = Workspace.load(ke_hoach)
    today = clock.today()
    as_of = option_date(ngay, "--ngay") or today
    if as_of > today:
        raise KehoachError(f"--ngay {format_date(as_of)} chưa tới (hôm nay là "
                           f"{format_date(today)}): báo cáo chỉ tính đến hôm nay hoặc một ngày "
                           "đã qua")
    span = period_span(workspace, as_of, ky, tu, den, chot)
    closed = just_begun(ky, span, as_of)
    settings = load_settings(workspace.plans[0].path.parent)
    begun: Span | None = None
    if closed is not None and ky is None and settings.ky_dau_ky == "vua-xong":
        begun, span, closed = span, closed, None  # the workspace says: the period just closed
    from kehoach_cli.query.review_cache import ReviewCache

    source = JournalSource()
    memo = ReviewCache(with_json=dinh_dang is Format.JSON)
    # Only the Word draft and the workbook quote every note of the period; the other
    # outputs show the latest two per task, and keeping just those keeps memory with the
    # tasks (1,000,000 notes: some 300,000 of a quarter no longer held).
    result = build_report(workspace.plans, source, span, as_of, don_vi, source.problems,
                          every_note=xuat is not None, memo=memo)
    memo.flush()
    grouping = Grouping(nhom.value)
    if xuat is not None and xuat.suffix.lower() == ".xlsx":
        from kehoach_cli.render.xlsx_report import write_xlsx

        write_xlsx(result, xuat, overwrite=ghi_de)
    elif xuat is not None:
        from kehoach_cli.render.docx_report import write_docx

        write_docx(result, xuat, overwrite=ghi_de, recipients=settings.noi_nhan_bao_cao)
    if xuat is not None and not _asked(ctx, "dinh_dang"):
        # The document is what was asked for: the terminal gets its summary, not 70 lines.
        _emit_summary(result)
    else:
        _emit(result, dinh_dang, grouping, bang)
    if closed is not None and span.period is not None:
        print(f"Lưu ý: ngày {format_date(as_of)} mới là ngày thứ {(as_of - span.tu).days + 1} của "
              f"{span.label} ({span.dates_text()}); kỳ vừa kết thúc là {closed.label} "
              f"({closed.dates_text()}): báo cáo kỳ đó bằng --ky "
              f"{previous_option(span.period.kind)}", file=sys.stderr)
    if begun is not None and begun.period is not None:
        print(f"Lưu ý: báo cáo {span.label}, kỳ vừa kết thúc (ky_dau_ky = “vua-xong” trong "
              f"kehoach.toml); kỳ đang chạy là {begun.label} ({begun.dates_text()}): --ky "
              f"{begun.period.kind.value}", file=sys.stderr)
    if xuat is not None:
        for entry in result.unaccented:
            print(f"Cảnh báo: ghi nhận {entry.id} (nhiệm vụ {entry.ma}, {entry.don_vi}, "
                  f"{format_date(entry.ngay)}) gõ không dấu: “{entry.noi_dung}”; sửa trước khi "
                  f"gửi: kehoach sua {entry.id} \"nội dung có dấu\"", file=sys.stderr)
        print(f"Đã ghi dự thảo báo cáo: {xuat}", file=sys.stderr)


def _asked(ctx: typer.Context, name: str) -> bool:
    """Whether the user gave option `name` (on the command line or in its variable)."""
    # By name: Typer bundles its own click, whose module path is not a public API.
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"


def _emit_summary(result: Report) -> None:
    """The review's summary lines alone (with --xuat: the document holds the rest)."""
    import sys

    from kehoach_cli.render import report as report_render

    sys.stdout.write("\n".join(report_render.summary_lines(result)) + "\n")
    for problem in result.problems:
        print(f"Cảnh báo: {problem}", file=sys.stderr)


def _emit(result: Report, fmt: Format, grouping: Grouping, bang: Bang) -> None:
    """Print the review in the chosen format: the one place this command prints."""
    import sys

    from kehoach_cli.render import output as render
    from kehoach_cli.render import report as report_render

    if fmt is Format.JSON:
        sys.stdout.writelines(report_render.json_chunks(result))
    elif fmt is Format.CSV:
        table = {Bang.DON_VI: report_render.body_table,
                 Bang.CAN_QUAN_TAM: report_render.attention_table}.get(bang)
        chosen = table(result) if table else report_render.csv_table(result, grouping)
        render.write_csv(render.to_csv(chosen))
    elif fmt is Format.MD:
        sys.stdout.write(report_render.markdown(result, grouping))
    else:
        _emit_tables(result, grouping)
    for problem in result.problems:
        print(f"Cảnh báo: {problem}", file=sys.stderr)


def _emit_tables(result: Report, grouping: Grouping) -> None:
    import sys

    from kehoach_cli.render import output as render
    from kehoach_cli.render import report as report_render
    from kehoach_cli.render.output import to_plain, to_terminal

    tables = [*report_render.task_tables(result, grouping), report_render.body_table(result),
              report_render.attention_table(result)]
    lines = report_render.summary_lines(result)
    if not to_terminal():
        out = [*lines, ""]
        for table in tables:
            out += [to_plain(table), ""]
        sys.stdout.write("\n".join(out))
        return
    from rich.text import Text

    console = render.console()
    console.print(Text(lines[0], style="bold"))
    for line in lines[1:]:
        console.print(Text(line))
    for table in tables:
        console.print()
        console.print(render.to_rich(table, show_lines=True, title_justify="left"))


def period_span(workspace: Workspace, as_of: date, ky: str | None, tu: str | None,
                den: str | None, chot: Chot | None) -> Span:
    """The span `--ky` or `--tu/--den` name (shared by report and phieu), under `--chot`, else
    the workspace's configured convention."""
    from kehoach_cli.config import load_settings
    from kehoach_cli.dates import option_date
    from kehoach_cli.periods import Convention, resolve_span

    convention = (Convention(chot.value) if chot is not None
                  else load_settings(workspace.plans[0].path.parent).chot)
    return resolve_span(ky, as_of, convention, option_date(tu, "--tu"), option_date(den, "--den"))
