"""The plan schema: plain dataclasses for a Kế hoạch of the genre, its bodies and its tasks.

YAML keys are Vietnamese without diacritics (`noi_dung`, `chi_dao`), the words officials
use, so a plan reads naturally when edited by hand.

The classes are stdlib dataclasses that Pydantic validates (see `schema.py`): importing and
building Pydantic models costs about 0.1 s at every start, while dataclasses cost nothing,
and a plan that was validated before is read back from the cache without Pydantic at all.
Every class forbids unknown keys, so a typo is reported instead of silently ignored.
Cross-references (body codes, task ids) are checked in `validate.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from kehoach_cli.dates import format_date, parse_date
from kehoach_cli.plan.timeframe import Timeframe, TimeframeKind, parse_timeframe

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 4 * 1024 * 1024  # a plan of 50 tasks is about 40 KB
_FORBID: dict[str, Any] = {"extra": "forbid", "str_strip_whitespace": True}


class _Check:
    """Annotation that validates a field with a plain function raising `ValueError`.

    Pydantic asks for its schema only when a plan is validated, so nothing of Pydantic is
    imported when this module is.
    """

    def __init__(self, parse: Callable[[Any], Any], dump: Callable[[Any], Any] | None = None):
        self.parse = parse
        self.dump = dump

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        def validate(value: Any) -> Any:
            try:
                return self.parse(value)
            except ValueError as exc:
                raise PydanticCustomError("kehoach", str(exc)) from None

        def validate_text(value: Any) -> Any:
            # Text fields are 132,000 of the 152,000 checked fields of 1,000 plans: a valid
            # one is taken here in one Python call instead of two; anything else goes
            # through `validate`, so `_text` alone decides and words what is wrong.
            if isinstance(value, str):
                stripped = value.strip()
                if stripped:
                    return stripped
            return validate(value)

        serializer = (
            core_schema.plain_serializer_function_ser_schema(self.dump) if self.dump else None
        )
        return core_schema.no_info_plain_validator_function(
            validate_text if self.parse is _text else validate, serialization=serializer)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("phải là văn bản")
    stripped = value.strip()
    if not stripped:
        raise ValueError("không được để trống")
    return stripped


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("phải là một ngày, ví dụ 15/01/2020")
    return parse_date(value)  # a DateError is a ValueError: the schema reports it


def _timeframe(value: Any) -> Timeframe:
    if isinstance(value, Timeframe):
        return value
    if isinstance(value, dict):
        if set(value) - {"loai", "van_ban"} or not isinstance(value.get("van_ban"), str):
            raise ValueError("thời gian dạng bảng chỉ có hai khóa: `van_ban` (bắt buộc) và `loai`")
        kind = value.get("loai")
        text = value["van_ban"].strip()
        if kind == TimeframeKind.KHAC.value:
            if not text:
                raise ValueError("thời gian `khac` cần có `van_ban`")
            return Timeframe(text, TimeframeKind.KHAC)
        if kind is not None and kind not in {k.value for k in TimeframeKind}:
            raise ValueError("`loai` phải là một trong: " + ", ".join(k.value for k in TimeframeKind))
        parsed = _timeframe(text)
        if kind is not None and parsed.loai.value != kind:
            raise ValueError(f"“{text}” là thời gian loại `{parsed.loai.value}`, không phải `{kind}`")
        return parsed
    if not isinstance(value, str):
        raise ValueError("thời gian thực hiện phải là văn bản")
    return parse_timeframe(value)  # a TimeframeError is a ValueError


def dump_timeframe(value: Timeframe) -> str | dict[str, str]:
    """The YAML form of a timeframe: its text, or a table for free text."""
    if value.loai is TimeframeKind.KHAC:
        return {"loai": TimeframeKind.KHAC.value, "van_ban": value.van_ban}
    return value.van_ban


Text = Annotated[str, _Check(_text)]
VnDate = Annotated[date, _Check(_date, format_date)]
TimeframeField = Annotated[Timeframe, _Check(_timeframe, dump_timeframe)]


class Role(StrEnum):
    """The roles the genre gives bodies on a task; the value is the YAML key."""

    CHI_DAO = "chi_dao"
    THAM_MUU = "tham_muu_thuc_hien"
    CHU_TRI = "chu_tri"
    PHOI_HOP = "phoi_hop"


# The roles of bodies that carry a task out (all but the directing one), in document order:
# the one list `check`, the report and progress logging agree on.
IMPLEMENTING_ROLES = (Role.THAM_MUU, Role.CHU_TRI, Role.PHOI_HOP)

_IMPLEMENTING_FIELDS = tuple((role, role.value) for role in IMPLEMENTING_ROLES)

ROLE_LABELS = {
    Role.CHI_DAO: "Cơ quan chỉ đạo",
    Role.THAM_MUU: "Cơ quan tham mưu, thực hiện",
    Role.CHU_TRI: "Đơn vị chủ trì",
    Role.PHOI_HOP: "Đơn vị phối hợp",
}
ROLE_SHORT = {
    Role.CHI_DAO: "chỉ đạo",
    Role.THAM_MUU: "tham mưu, thực hiện",
    Role.CHU_TRI: "chủ trì",
    Role.PHOI_HOP: "phối hợp",
}


@dataclass(frozen=True)
class DocumentRef:
    """A document cited by the plan (căn cứ, or mentioned in a task)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    loai: Text  # Thông báo, Kết luận, Kế hoạch, Quyết định, Quy định, Chỉ thị ...
    so_ky_hieu: Text  # 160-TB/TW
    ngay: VnDate | None = None
    co_quan: str | None = None  # issuer: Bộ Chính trị, Thị ủy Đức Phố ...
    trich_yeu: str | None = None


@dataclass(frozen=True)
class Signature:
    """The signature block: T/M ĐẢNG ỦY / BÍ THƯ / name."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    thay_mat: str | None = None
    chuc_vu: str | None = None
    ho_ten: str | None = None


@dataclass(frozen=True)
class OrganisationItem:
    """One point of "Tổ chức thực hiện" and the bodies it gives work to."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    noi_dung: Text
    don_vi: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class PlanMeta:
    """The document's own header and closing parts. What the source omits stays null."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    trich_yeu: Text
    ma: str | None = None  # short id that qualifies task ids ("kh160:3.2"); default: file name
    loai_van_ban: Text = "Kế hoạch"
    so_ky_hieu: str | None = None  # 12-KH/ĐU
    co_quan_cap_tren: str | None = None
    co_quan_ban_hanh: str | None = None
    dia_danh: str | None = None
    ngay: VnDate | None = None
    mo_dau: str | None = None  # the preamble: "Thực hiện ..., Đảng ủy ban hành Kế hoạch ..."
    can_cu: list[DocumentRef] = field(default_factory=list)
    muc_dich_yeu_cau: list[Text] = field(default_factory=list)
    to_chuc_thuc_hien: list[OrganisationItem] = field(default_factory=list)
    noi_nhan: list[Text] = field(default_factory=list)
    ky: Signature = field(default_factory=Signature)


@dataclass(frozen=True)
class Letterhead:
    """How a body heads, numbers and signs its own documents (its report, `report --don-vi
    X --xuat`). Each ward sets its own; what is left out takes the default for the kind of
    body (`render/docx_layout.py`: Nghị định 30/2020 for the Front and the organisations,
    Hướng dẫn 36 for Party bodies)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    the_thuc: str | None = None  # "nd30" (State layout, national motto) or "hd36" (Party)
    tieu_de: list[Text] = field(default_factory=list)  # left header lines; the last is bold
    ky_hieu: str | None = None  # the number's symbol: "BC-MTTQ-BTT" ("Số: .../BC-MTTQ-BTT")
    ky: Signature = field(default_factory=Signature)  # TM. BAN THƯỜNG TRỰC / CHỦ TỊCH / name
    noi_nhan: list[Text] = field(default_factory=list)  # recipients of its reports


@dataclass(frozen=True)
class Body:
    """A body (đơn vị) in the registry; a group when it has members."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    ma: Text  # MTTQ, HĐND, CT-XH ...
    ten: Text  # Ủy ban Mặt trận Tổ quốc Việt Nam phường
    ten_khac: list[Text] = field(default_factory=list)  # aliases people write
    thanh_vien: list[Text] = field(default_factory=list)  # member codes: a group of them
    van_ban: Letterhead | None = None  # its own documents' header and signature


@dataclass(frozen=True)
class Task:
    """A task as the document numbers it ("1.1", "3.2", "4")."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    ma: Text
    noi_dung: Text
    cac_y: list[Text] = field(default_factory=list)  # bullet sub-points
    chi_dao: list[Text] = field(default_factory=list)
    tham_muu_thuc_hien: list[Text] = field(default_factory=list)
    chu_tri: list[Text] = field(default_factory=list)
    phoi_hop: list[Text] = field(default_factory=list)
    thoi_gian: TimeframeField | None = None
    van_ban_lien_quan: list[DocumentRef] = field(default_factory=list)
    ghi_chu: str | None = None

    def bodies(self, role: Role) -> list[str]:
        codes: list[str] = getattr(self, role.value)
        return codes

    def roles(self) -> dict[Role, list[str]]:
        """The roles this task assigns, in document order, with their body codes."""
        return {role: self.bodies(role) for role in Role if self.bodies(role)}

    def implementing(self) -> dict[Role, list[str]]:
        """The implementing roles this task assigns, with their body codes."""
        # Field names worked out once: an Enum's `.value` is a slow property, and `check`
        # asks this of every task of every plan.
        return {role: codes for role, name in _IMPLEMENTING_FIELDS if (codes := getattr(self, name))}


@dataclass(frozen=True)
class Section:
    """A numbered group of tasks in "Nội dung thực hiện"."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    ma: Text
    tieu_de: Text
    nhiem_vu: list[Task]


@dataclass(frozen=True)
class Plan:
    """A whole plan file."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    ke_hoach: PlanMeta
    luoc_do: int = SCHEMA_VERSION  # schema version, for future migrations
    don_vi: list[Body] = field(default_factory=list)
    noi_dung: list[Section] = field(default_factory=list)

    def tasks(self) -> list[tuple[Section, Task]]:
        return [(section, task) for section in self.noi_dung for task in section.nhiem_vu]
