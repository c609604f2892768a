"""`kehoach log`, `kehoach sua`, `kehoach huy`: record a progress note, amend it, retract it.

Each is thin: parse the options, let `journal_input` check everything and build the record,
let `journal` append it. Amending and retracting append a new record that points at the
original; nothing in a sidecar is ever rewritten or removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kehoach_cli.commands.options import PlanPaths
from kehoach_cli.problems import shown_path

if TYPE_CHECKING:
    from kehoach_cli.journal.read import Found

DayOption = Annotated[
    Optional[str],  # noqa: UP045 - Typer reads this annotation at run time
    typer.Option("--ngay", "-n", help="Ngày làm việc đó: 15/3/2025, 15/03/2025 hoặc 2025-03-15; "
                 "mặc định hôm nay. Được ghi lùi ngày, không được ghi ngày chưa tới.",
                 show_default=False, metavar="NGÀY"),
]
BodyOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--don-vi", "-u", help="Đơn vị báo cáo: mã, tên hoặc tên khác, có dấu hay không "
                 "dấu (MTTQ, “mat tran”, “Đoàn Thanh niên”). Bỏ trống thì lấy đơn vị trong "
                 "cấu hình của mình (kehoach cau-hinh), hoặc đơn vị duy nhất của nhiệm vụ.",
                 show_default=False, metavar="ĐƠN_VỊ"),
]
StatusOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--trang-thai", "-t", help="Trạng thái nhiệm vụ: chưa thực hiện, đang thực "
                 "hiện, hoàn thành (không dấu cũng được).", show_default=False,
                 metavar="TRẠNG_THÁI"),
]
# `sua` changes only what is given: its options say so instead of `log`'s defaults.
NewDayOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--ngay", "-n", help="Ngày mới của việc đã làm (15/3/2025 hoặc 2025-03-15); "
                 "bỏ trống thì giữ ngày cũ.", show_default=False, metavar="NGÀY"),
]
NewBodyOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--don-vi", "-u", help="Đơn vị báo cáo mới (mã hoặc tên, có dấu hay không); "
                 "bỏ trống thì giữ đơn vị cũ.", show_default=False, metavar="ĐƠN_VỊ"),
]
EvidenceOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--minh-chung", "-m", help="Minh chứng, ví dụ số văn bản báo cáo "
                 "“15-BC/MTTQ”.", show_default=False, metavar="MINH_CHỨNG"),
]
FiguresOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--so-lieu", "-s", help="Số liệu để báo cáo cộng dồn, dạng TÊN=SỐ, ví dụ "
                 "“số cuộc giám sát=3”; dùng nhiều lần cho nhiều số liệu.", show_default=False,
                 metavar="TÊN=SỐ"),
]
WholeOption = Annotated[
    bool,
    typer.Option("--ca-nhiem-vu", help="Trạng thái ghi ra áp dụng cho cả nhiệm vụ (mọi đơn vị), "
                 "ví dụ văn phòng đánh dấu hoàn thành cả nhiệm vụ; mặc định trạng thái chỉ là "
                 "phần việc của đơn vị báo cáo.", show_default=False),
]
EntryId = Annotated[
    str,
    typer.Argument(help="Mã ghi nhận (xem bằng kehoach nhat-ky); gõ 4 ký tự đầu là đủ.",
                   show_default=False, metavar="MÃ_GHI_NHẬN"),
]


def log(
    ma: Annotated[str, typer.Argument(help="Mã nhiệm vụ: 3.2, hoặc kh160:3.2 khi có nhiều kế "
                                      "hoạch.", show_default=False, metavar="MÃ_NHIỆM_VỤ")],
    noi_dung: Annotated[str, typer.Argument(help="Đã làm gì (tối đa 10.000 ký tự).",
                                            show_default=False, metavar="NỘI_DUNG")],
    ngay: DayOption = None,
    don_vi: BodyOption = None,
    trang_thai: StatusOption = None,
    minh_chung: EvidenceOption = None,
    so_lieu: FiguresOption = None,
    ca_nhiem_vu: WholeOption = False,
    van_ghi: Annotated[bool, typer.Option(
        "--van-ghi", help="Vẫn ghi khi đã có ghi nhận trùng hẳn (cùng nhiệm vụ, đơn vị, ngày và "
        "nội dung); mặc định lệnh từ chối để chạy lại lệnh không ghi hai lần.")] = False,
    ke_hoach: PlanPaths = None,
) -> None:
    """Ghi nhận tiến độ một nhiệm vụ vào nhật ký (không sửa tệp kế hoạch).

    Ví dụ: kehoach log 3.2 "Đã giám sát 3 khu dân cư" --so-lieu "số cuộc giám sát=3".
    Đơn vị báo cáo lấy từ --don-vi, nếu không thì từ cấu hình của mình (khai báo một lần bằng
    kehoach cau-hinh, hoặc biến môi trường KEHOACH_DON_VI). Nhật ký nằm cạnh kế hoạch, trong
    thư mục TÊN.nhat-ky/; sửa bằng `kehoach sua`, hủy bằng `kehoach huy`.
    """
    from kehoach_cli import clock
    from kehoach_cli.config import load_settings
    from kehoach_cli.dates import format_date
    from kehoach_cli.journal import input as journal_input
    from kehoach_cli.journal import store as journal
    from kehoach_cli.plan.workspace import Workspace

    workspace = Workspace.load(ke_hoach)
    ref = workspace.find_task(ma)
    settings = load_settings(ref.plan.path.parent)
    entry = journal_input.new_entry(
        ref.plan, ref.task, noi_dung=noi_dung, ngay=ngay, don_vi=don_vi,
        trang_thai=trang_thai, minh_chung=minh_chung, so_lieu=so_lieu or [],
        nguoi_ghi=settings.nguoi_ghi, today=clock.today(), now=clock.now(),
        ca_nhiem_vu=ca_nhiem_vu,
        default_body=settings.don_vi, default_body_from=settings.don_vi_from,
    )
    if not van_ghi:
        from kehoach_cli.journal.read import read_journal

        journal_input.refuse_duplicate(entry, read_journal(ref.plan, ref.task.ma).entries)
    path = journal.append_entry(ref.plan, entry)
    print(f"Đã ghi nhận {entry.id}: nhiệm vụ {ref.qualified}, {entry.don_vi}, ngày "
          f"{format_date(entry.ngay)} (vào {shown_path(path)}).")


def sua(
    ma_ghi_nhan: EntryId,
    noi_dung: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="Nội dung mới; bỏ trống để giữ nội dung cũ.", show_default=False,
                       metavar="[NỘI_DUNG]"),
    ] = None,
    ngay: NewDayOption = None,
    don_vi: NewBodyOption = None,
    trang_thai: StatusOption = None,
    minh_chung: EvidenceOption = None,
    so_lieu: FiguresOption = None,
    ca_nhiem_vu: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option("--ca-nhiem-vu/--phan-viec", help="Trạng thái áp dụng cho cả nhiệm vụ, "
                     "hoặc chỉ phần việc của đơn vị báo cáo; bỏ trống để giữ như cũ.",
                     show_default=False),
    ] = None,
    ke_hoach: PlanPaths = None,
) -> None:
    """Sửa một ghi nhận: ghi thêm bản sửa, bản cũ vẫn giữ trong nhật ký.

    Chỉ những gì ghi ra mới thay đổi; --so-lieu thay toàn bộ số liệu cũ. Ví dụ:
    kehoach sua k7m2 --ngay 14/11/2025 --trang-thai "hoan thanh".
    """
    from kehoach_cli import clock
    from kehoach_cli.config import load_settings
    from kehoach_cli.journal import input as journal_input
    from kehoach_cli.journal import store as journal
    from kehoach_cli.journal.read import find_entry
    from kehoach_cli.plan.workspace import Workspace

    workspace = Workspace.load(ke_hoach)
    found = find_entry(workspace.plans, ma_ghi_nhan)
    original = found.entry
    _refuse_retracted(found)
    task = next((t for _, t in found.plan.plan.tasks() if t.ma == original.ma), None)
    settings = load_settings(found.plan.path.parent)
    fix = journal_input.amendment(
        found.plan, task, original, found.current, noi_dung=noi_dung, ngay=ngay, don_vi=don_vi,
        trang_thai=trang_thai, minh_chung=minh_chung, so_lieu=so_lieu or [],
        nguoi_ghi=settings.nguoi_ghi, today=clock.today(), now=clock.now(),
        ca_nhiem_vu=ca_nhiem_vu,
    )
    path = journal.append_entry(found.plan, fix)
    print(f"Đã sửa ghi nhận {original.id} (bản sửa {fix.id}, vào {shown_path(path)}).")


def huy(
    ma_ghi_nhan: EntryId,
    ly_do: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--ly-do", "-l", help="Lý do hủy, lưu cùng bản hủy.", show_default=False,
                     metavar="LÝ_DO"),
    ] = None,
    ke_hoach: PlanPaths = None,
) -> None:
    """Hủy một ghi nhận nhầm: ghi thêm bản hủy, bản cũ vẫn giữ trong nhật ký.

    Ghi nhận đã hủy không còn tính trong lịch sử và báo cáo; xem lại bằng
    kehoach nhat-ky --day-du.
    """
    from kehoach_cli import clock
    from kehoach_cli.config import load_settings
    from kehoach_cli.journal import input as journal_input
    from kehoach_cli.journal import store as journal
    from kehoach_cli.journal.read import find_entry
    from kehoach_cli.plan.workspace import Workspace

    workspace = Workspace.load(ke_hoach)
    found = find_entry(workspace.plans, ma_ghi_nhan)
    _refuse_retracted(found)
    settings = load_settings(found.plan.path.parent)
    record = journal_input.retraction(found.entry, found.current, ly_do=ly_do,
                                      nguoi_ghi=settings.nguoi_ghi, now=clock.now())
    path = journal.append_entry(found.plan, record)
    print(f"Đã hủy ghi nhận {found.entry.id} (bản hủy {record.id}, vào {shown_path(path)}).")


def _refuse_retracted(found: Found) -> None:
    from kehoach_cli.errors import Conflict

    if found.retraction is not None:
        raise Conflict(f"ghi nhận {found.entry.id} đã bị hủy (bản hủy {found.retraction.id}); "
                       "muốn ghi lại thì dùng kehoach log")
