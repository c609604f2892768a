"""The structure of a plan document, read from its lines into a draft.

The genre has a fixed shape (see ../shared/domain.md): header, title ("KẾ HOẠCH") and subject
line, preamble citing the documents implemented, Roman-numbered parts (I. Mục đích, yêu cầu;
II. Nội dung / Nhiệm vụ; III. Tổ chức thực hiện), numbered groups and tasks with labelled
lines for roles and timeframe, then recipients and the signature block.

The parser only recognises structure; it keeps raw text (body lists, timeframes) for
`build.py` to interpret, and records as notes, with their line numbers, the lines it could
not place, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from kehoach_cli.importer.refs import DOC_TYPES, NUMBER, canonical_type
from kehoach_cli.importer.source import Line
from kehoach_cli.plan.model import Role
from kehoach_cli.text import fold

TIME = "thoi_gian"
_LABELS: dict[str, str] = {}
for _key, _spellings in {
    Role.CHI_DAO.value: (
        "co quan chi dao", "don vi chi dao", "chi dao", "lanh dao chi dao",
        "co quan lanh dao chi dao", "lanh dao",
    ),
    Role.THAM_MUU.value: (
        "co quan tham muu thuc hien", "co quan tham muu va thuc hien", "co quan tham muu",
        "co quan thuc hien", "don vi thuc hien", "don vi tham muu", "don vi tham muu thuc hien",
        "tham muu thuc hien", "thuc hien", "co quan trien khai", "don vi trien khai",
        "co quan trien khai thuc hien", "don vi trien khai thuc hien",
    ),
    Role.CHU_TRI.value: (
        "don vi chu tri", "co quan chu tri", "chu tri", "don vi chu tri thuc hien",
        "co quan chu tri thuc hien", "co quan chu tri tham muu", "don vi chu tri tham muu",
        "co quan chu tri tham muu thuc hien", "don vi chiu trach nhiem", "co quan chiu trach nhiem",
    ),
    Role.PHOI_HOP.value: (
        "don vi phoi hop", "co quan phoi hop", "phoi hop", "don vi phoi hop thuc hien",
        "co quan phoi hop thuc hien", "cac don vi phoi hop", "cac co quan phoi hop",
    ),
    TIME: (
        "thoi gian thuc hien", "thoi gian", "thoi han", "thoi gian hoan thanh",
        "thoi han hoan thanh", "thoi han thuc hien", "tien do", "tien do thuc hien",
        "thoi gian trien khai",
    ),
}.items():
    for _spelling in _spellings:
        _LABELS[_spelling] = _key
_LABEL_WORDS = ("co quan", "don vi", "thoi gian", "thoi han", "chu tri", "phoi hop", "tien do")

_LABEL = re.compile(r"^(?P<label>[^:]{2,60}?)\s*:\s*(?P<value>.*)$")
_ROMAN = re.compile(r"^(?P<r>[IVX]{1,4})\s*[-.–—:/)]\s*(?P<t>\S.*)$")
_ROMANS = {r: i for i, r in enumerate(
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], start=1)}
_NUMBERED = re.compile(
    r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)(?:\.|\s*\))?\s*(?P<t>\S.*)$"
    r"|^(?P<n1>\d{1,2})\s*[.)]\s*(?P<t1>\S.*)$"
)
_LETTERED = re.compile(r"^(?P<n>[a-zđ])\s*\)\s*(?P<t>\S.*)$")
_SO = re.compile(rf"^Số\s*:?\s*(?P<so>{NUMBER}|\S*-?[A-ZĐ]+/[A-ZĐ]\S*)\s*$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,60}),\s*ngày\s+(?P<d>\S+)\s+tháng\s+(?P<m>\S+)\s+năm\s+(?P<y>\S+?)\.?$",
    re.IGNORECASE,
)
_SIGN = re.compile(r"^(?:T/M|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.|Q/)\s*\S", re.IGNORECASE)
_PREAMBLE_START = re.compile(r"^(?:thuc hien|can cu|de |nham |trien khai|qua |theo )")
_SKIP_HEADER = {"dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam",
                "doc lap - tu do - hanh phuc", "*", "***"}
_TYPE_TITLES = {fold(t): t for t in DOC_TYPES}


class Part(Enum):
    PURPOSE = "muc_dich"
    TASKS = "noi_dung"
    ORG = "to_chuc"
    OTHER = "khac"


@dataclass
class Note:
    """Something to check by hand, at a line of the source."""

    no: int
    text: str


@dataclass
class RawRole:
    no: int
    label: str
    text: str


@dataclass
class DraftTask:
    ma: str
    no: int
    content: list[str] = field(default_factory=list)
    cac_y: list[str] = field(default_factory=list)
    roles: dict[str, RawRole] = field(default_factory=dict)  # Role value or TIME -> raw line
    ghi_chu: list[str] = field(default_factory=list)
    pending: str | None = None  # a label whose value follows as bullets

    def has_labels(self) -> bool:
        return bool(self.roles)


@dataclass
class DraftSection:
    ma: str
    no: int
    tieu_de: str | None
    tasks: list[DraftTask] = field(default_factory=list)


@dataclass
class Draft:
    """Everything recognised, as text, with line numbers."""

    loai_van_ban: str = "Kế hoạch"
    so_ky_hieu: str | None = None
    co_quan: list[str] = field(default_factory=list)  # header bodies, superior first
    dia_danh: str | None = None
    ngay: str | None = None
    trich_yeu: list[str] = field(default_factory=list)
    mo_dau: list[tuple[int, str]] = field(default_factory=list)
    muc_dich: list[tuple[int, str]] = field(default_factory=list)
    sections: list[DraftSection] = field(default_factory=list)
    to_chuc: list[tuple[int, str]] = field(default_factory=list)
    noi_nhan: list[str] = field(default_factory=list)
    ky: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def tasks(self) -> list[DraftTask]:
        return [task for section in self.sections for task in section.tasks]


def label_of(text: str) -> tuple[str, str, str] | None:
    """(role key, label as written, value) when `text` is a labelled line."""
    match = _LABEL.match(text)
    if not match:
        return None
    key = re.sub(r"[^a-z ]", " ", fold(match.group("label")))
    key = re.sub(r"\s+", " ", key).strip()
    role = _LABELS.get(key)
    if role is None:
        return None
    return role, match.group("label").strip(), match.group("value").strip()


def _numbered(text: str) -> tuple[str, str] | None:
    match = _NUMBERED.match(text)
    if not match:
        return None
    number = match.group("n") or match.group("n1")
    rest = match.group("t") or match.group("t1")
    return number, rest.strip()


def _part_of(title: str) -> Part:
    key = fold(title)
    if "muc dich" in key or key.startswith("yeu cau"):
        return Part.PURPOSE
    if "to chuc thuc hien" in key or "phan cong" in key or "trach nhiem" in key:
        return Part.ORG
    if any(word in key for word in ("noi dung", "nhiem vu", "giai phap")):
        return Part.TASKS
    return Part.OTHER


class Parser:
    """A single pass over the lines; `parse` is the entry point."""

    def __init__(self, lines: list[Line], unit: str) -> None:
        self.lines = lines
        self.unit = unit
        self.draft = Draft()
        self.part: Part | None = None
        self.section: DraftSection | None = None
        self.task: DraftTask | None = None
        self.implicit: DraftTask | None = None  # content of a group before any sub-item
        self.closing = False
        self.sign_step = 0
        self.tables_noted: set[int] = set()
        self.heading: str | None = None  # "Thuộc mục 1.1: …" for tasks 1.1.x
        self.roman_any = any(_roman(line) for line in lines)

    def note(self, line: Line, text: str) -> None:
        self.draft.notes.append(Note(line.no, text))

    def run(self) -> Draft:
        body = self._header()
        for line in self.lines[body:]:
            self._line(line)
        self._close_section()
        return self.draft

    # --- header, title, subject line, preamble -------------------------------------------

    def _header(self) -> int:
        """Read everything before the first part; return the index where parts begin."""
        title_at = next((i for i, line in enumerate(self.lines) if _is_title(line)), None)
        start = 0
        if title_at is not None:
            for line in self.lines[:title_at]:
                self._header_line(line)
            self.draft.loai_van_ban = _TYPE_TITLES[fold(self.lines[title_at].text)]
            start = title_at + 1
            first_bold = None
            for line in self.lines[start:]:
                if self._is_part_start(line):
                    break
                if first_bold is not None and _PREAMBLE_START.match(fold(line.text)):
                    break
                if first_bold is None:
                    first_bold = line.all_bold
                elif line.all_bold != first_bold:
                    break
                self.draft.trich_yeu.append(line.text)
                start += 1
            if len(self.draft.trich_yeu) > 2:
                self.note(self.lines[title_at + 1],
                          f"trích yếu gồm {len(self.draft.trich_yeu)} {self.unit} liền nhau: "
                          "hãy kiểm tra chỗ kết thúc của trích yếu")
        else:
            self.draft.notes.append(Note(self.lines[0].no if self.lines else 1,
                                         "không thấy tên loại văn bản (“KẾ HOẠCH”) làm tiêu đề: "
                                         "trích yếu để trống, hãy điền tay"))
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if self._is_part_start(line):
                return i
            if title_at is None and not self.draft.mo_dau and self._header_line(line):
                continue
            self.draft.mo_dau.append((line.no, line.text))
        return len(self.lines)

    def _is_part_start(self, line: Line) -> bool:
        if self.roman_any:
            return _roman(line) is not None
        return _numbered(line.text) is not None and not line.bullet

    def _header_line(self, line: Line) -> bool:
        """Number, place and date, and the issuing bodies above the title."""
        text = line.text
        if fold(text) in _SKIP_HEADER:
            return True
        if match := _SO.match(text):
            number = match.group("so")
            if re.match(r"^\d", number):
                self.draft.so_ky_hieu = number
            else:
                self.note(line, f"số ký hiệu “{number}” chưa có số: để trống")
            return True
        if match := _PLACE_DATE.match(text):
            self.draft.dia_danh = match.group("place").strip()
            day, month, year = (match.group(k) for k in "dmy")
            if day.isdigit() and month.isdigit() and year.isdigit():
                self.draft.ngay = f"{int(day):02d}/{int(month):02d}/{year}"
            else:
                self.note(line, "ngày ban hành chưa ghi đủ: để trống")
            return True
        letters = [ch for ch in text if ch.isalpha()]
        if letters and all(ch.isupper() for ch in letters) and len(text) <= 80:
            self.draft.co_quan.append(text)
            return True
        self.note(line, "dòng ở phần đầu văn bản chưa nhận ra: chưa đưa vào")
        return False

    # --- body -----------------------------------------------------------------------------

    def _line(self, line: Line) -> None:
        text = line.text
        folded = fold(text)
        if folded.startswith("noi nhan"):
            self._close_section()
            self.closing = True
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                self.draft.noi_nhan.append(rest)
            return
        if self._signature(line):
            return
        if self.closing:
            if line.bullet or text.startswith(("-", "+")):
                self.draft.noi_nhan.append(text.lstrip("-+ ").strip())
            else:
                self.note(line, "dòng sau “Nơi nhận” chưa nhận ra: chưa đưa vào")
            return
        match = _roman(line)
        if match:
            self._close_section()
            self.part = _part_of(match.group("t"))
            if self.part is Part.OTHER:
                self.note(line, f"phần “{text}” chưa nhận ra (không phải mục đích, nội dung "
                                "hay tổ chức thực hiện): nội dung của phần này chưa đưa vào")
            return
        if self.part is None and not self.roman_any:
            self.part = Part.TASKS  # a plan without Roman parts: numbered groups straight away
        if line.in_table:
            if line.table not in self.tables_noted:
                self.tables_noted.add(line.table)
                what = "nhiệm vụ dạng bảng" if self.part is Part.TASKS else "bảng"
                self.note(line, f"văn bản có bảng (bảng {line.table}): chưa đọc được {what}, "
                                "nội dung bảng chưa đưa vào, hãy nhập tay")
            return
        if self.part is Part.PURPOSE:
            self._purpose(line)
        elif self.part is Part.TASKS:
            self._task_line(line)
        elif self.part is Part.ORG:
            self._org(line)
        elif self.part is None:
            self.note(line, "dòng trước phần I chưa nhận ra: chưa đưa vào")

    def _signature(self, line: Line) -> bool:
        text = line.text
        if _SIGN.match(text) and len(text) <= 60 and not self.draft.ky:
            self._close_section()
            self.draft.ky["thay_mat"] = text
            self.sign_step = 1
            self.closing = False
            return True
        if self.sign_step == 1:
            letters = [ch for ch in text if ch.isalpha()]
            if letters and all(ch.isupper() for ch in letters) and len(text) <= 60:
                self.draft.ky["chuc_vu"] = text
                self.sign_step = 2
                return True
            self.sign_step = 2
        if self.sign_step == 2:
            if re.match(r"^\(?\s*(?:đã ký|ký tên|ký, ghi rõ họ tên)", text, re.IGNORECASE):
                return True
            if len(text.split()) <= 6 and not line.bullet and not fold(text).startswith("noi nhan"):
                self.draft.ky["ho_ten"] = text
                self.sign_step = 3
                return True
            self.sign_step = 3
        return False

    def _purpose(self, line: Line) -> None:
        numbered = _numbered(line.text)
        text = numbered[1] if numbered else line.text
        if fold(text).rstrip(":. ") in {"muc dich", "yeu cau", "muc dich, yeu cau"}:
            return
        self.draft.muc_dich.append((line.no, text))

    def _org(self, line: Line) -> None:
        numbered = _numbered(line.text)
        text = numbered[1] if numbered else line.text
        if fold(text).startswith(("tren day la", "trong qua trinh")):
            self.note(line, "đoạn kết của phần tổ chức thực hiện: chưa đưa vào danh sách")
            return
        self.draft.to_chuc.append((line.no, text))

    # --- groups and tasks ------------------------------------------------------------------

    def _close_section(self) -> None:
        section, implicit = self.section, self.implicit
        if section is not None and implicit is not None and not section.tasks:
            # A group with no sub-items is a task of its own, numbered like the group.
            if not implicit.content and section.tieu_de:
                implicit.content.append(section.tieu_de)
            section.tasks.append(implicit)
        if section is not None and section.tasks:
            self.draft.sections.append(section)
        elif section is not None:
            self.draft.notes.append(Note(section.no, f"mục {section.ma} không có nhiệm vụ nào"))
        self.section = self.implicit = self.task = None

    def _task_line(self, line: Line) -> None:
        text = line.text
        numbered = None if line.bullet else _numbered(text)
        if numbered:
            number, rest = numbered
            if "." not in number:
                self._close_section()
                self.section = DraftSection(number, line.no, rest.rstrip(":").strip())
                self.implicit = self.task = DraftTask(number, line.no)
                return
            self._new_task(line, number, rest)
            return
        task = self.task
        if task is None:
            self.note(line, "đoạn văn trước mục đánh số đầu tiên: chưa đưa vào")
            return
        labelled = _labels_in(text)
        if labelled:
            for role, label, value in labelled:
                if role in task.roles:
                    self.note(line, f"nhiệm vụ {task.ma} có hai dòng “{label}”: đã ghép lại")
                    old = task.roles[role]
                    task.roles[role] = RawRole(old.no, old.label, f"{old.text}; {value}")
                else:
                    task.roles[role] = RawRole(line.no, label, value)
                task.pending = role if not value else None
            return
        if task.pending is not None:
            old = task.roles[task.pending]
            joined = f"{old.text}; {text}" if old.text else text
            task.roles[task.pending] = RawRole(old.no, old.label, joined.rstrip(",;"))
            return
        if _looks_like_label(text):
            self.note(line, f"dòng “{text[:60]}” giống dòng phân công nhưng nhãn chưa nhận ra: "
                            "đã ghi vào ghi_chu")
            task.ghi_chu.append(text)
            return
        lettered = _LETTERED.match(text)
        if task.has_labels():
            self.note(line, f"đoạn sau các dòng phân công của nhiệm vụ {task.ma}: "
                            "đã ghi vào ghi_chu, hãy kiểm tra")
            task.ghi_chu.append(text)
        elif line.bullet or lettered:
            task.cac_y.append(text)
        elif task.cac_y:
            self.note(line, f"đoạn văn sau các ý gạch đầu dòng của nhiệm vụ {task.ma}: "
                            "đã ghép vào ý cuối")
            task.cac_y[-1] += "\n" + text
        else:
            task.content.append(text)

    def _new_task(self, line: Line, number: str, rest: str) -> None:
        group = number.split(".")[0]
        if self.section is None or self.section.ma != group:
            if self.section is not None and self.section.ma != group:
                self.note(line, f"nhiệm vụ {number} nằm trong mục {self.section.ma}: "
                                "số thứ tự không khớp, hãy kiểm tra")
            else:
                self.note(line, f"nhiệm vụ {number} không có dòng tiêu đề mục {group}: "
                                "tiêu đề mục để trống")
                self.section = DraftSection(group, line.no, None)
        assert self.section is not None
        if self.implicit is not None:
            implicit, self.implicit = self.implicit, None
            if implicit.content or implicit.cac_y or implicit.roles:
                self.section.tasks.append(implicit)
                self.note(line, f"mục {group} có đoạn nội dung riêng trước nhiệm vụ {number}: "
                                f"đã ghi thành nhiệm vụ “{group}”, hãy kiểm tra")
        parent = self.task
        depth = number.count(".")
        if (depth >= 2 and parent is not None and parent.ma == number.rsplit(".", 1)[0]
                and not parent.roles and not parent.cac_y and parent in self.section.tasks):
            # "1.1.1" under a heading "1.1": the heading is not a task of its own.
            self.section.tasks.remove(parent)
            self.note(line, f"mục {parent.ma} là tiêu đề của các nhiệm vụ {parent.ma}.x: "
                            "tiêu đề được ghi vào ghi_chu của từng nhiệm vụ con")
            self.heading = f"Thuộc mục {parent.ma}: {' '.join(parent.content)}"
        elif depth < 2:
            self.heading = None
        self.task = DraftTask(number, line.no, [rest] if rest else [])
        if depth >= 2 and self.heading:
            self.task.ghi_chu.append(self.heading)
        self.section.tasks.append(self.task)


def _labels_in(text: str) -> list[tuple[str, str, str]]:
    """The labelled parts of a line: one label, or several joined by ";" ("Chủ trì: …;
    phối hợp: …")."""
    single = label_of(text)
    pieces = re.split(r"\s*;\s*(?=[^;:]{2,40}:)", text)
    if len(pieces) > 1:
        found = [label_of(piece) for piece in pieces]
        if all(found):
            return [f for f in found if f]
    return [single] if single else []


def _looks_like_label(text: str) -> bool:
    match = _LABEL.match(text)
    return match is not None and fold(match.group("label")).startswith(_LABEL_WORDS)


def _roman(line: Line) -> re.Match[str] | None:
    match = _ROMAN.match(line.text)
    if match and match.group("r") in _ROMANS:
        return match
    return None


def _is_title(line: Line) -> bool:
    return fold(line.text) in _TYPE_TITLES and (line.text.isupper() or line.heading > 0
                                               or line.all_bold)




def parse_lines(lines: list[Line], unit: str = "dòng") -> Draft:
    """The draft of a plan document."""
    return Parser(lines, unit).run()


__all__ = ["Draft", "DraftSection", "DraftTask", "Note", "canonical_type", "parse_lines"]
