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
from typing import TYPE_CHECKING

from kehoach_cli.importer.refs import DOC_TYPES, NUMBER, canonical_type
from kehoach_cli.importer.source import Grid, Line
from kehoach_cli.plan.model import Role
from kehoach_cli.text import fold

if TYPE_CHECKING:
    from kehoach_cli.importer.tables import TableTask

TIME = "thoi_gian"
PRODUCT = "san_pham"  # "Kết quả:", "Sản phẩm:": kept in the task's note
GROUP_LABEL = "nhom"  # "Cơ quan chủ trì, phối hợp:" whose parts follow as a) b) lines
CONTENT_LABEL = "noi_dung"  # "1. Nội dung, biện pháp" over the task's points
# How a role was found when no label line gave it: a body's name over its duties, a sentence.
FROM_HEADING, FROM_SENTENCE = "tên đơn vị đứng đầu đoạn", "câu giao việc"
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
        "co quan trien khai thuc hien", "don vi trien khai thuc hien", "trach nhiem",
        "phan cong", "trach nhiem thuc hien", "phan cong thuc hien", "don vi thuc hien chinh",
        "co quan don vi thuc hien", "nguoi thuc hien", "bo phan thuc hien", "to chuc thuc hien",
    ),
    Role.CHU_TRI.value: (
        "don vi chu tri", "co quan chu tri", "chu tri", "don vi chu tri thuc hien",
        "co quan chu tri thuc hien", "co quan chu tri tham muu", "don vi chu tri tham muu",
        "chu tri thuc hien", "chu tri tham muu",
        "co quan chu tri tham muu thuc hien", "don vi chiu trach nhiem", "co quan chiu trach nhiem",
    ),
    Role.PHOI_HOP.value: (
        "don vi phoi hop", "co quan phoi hop", "phoi hop", "don vi phoi hop thuc hien", "phoi hop voi",
        "co quan phoi hop thuc hien", "cac don vi phoi hop", "cac co quan phoi hop",
    ),
    TIME: (
        "thoi gian thuc hien", "thoi gian", "thoi han", "thoi gian hoan thanh",
        "thoi han hoan thanh", "thoi han thuc hien", "tien do", "tien do thuc hien",
        "thoi gian trien khai", "thoi gian hoan thanh du kien", "thoi diem", "thoi diem thuc hien",
        "moc thoi gian", "thoi han bao cao", "tien do hoan thanh",
    ),
    PRODUCT: ("ket qua", "san pham", "ket qua dat duoc", "san pham dau ra", "ket qua san pham",
              "san pham ket qua", "hinh thuc san pham"),
    CONTENT_LABEL: ("noi dung bien phap", "noi dung va bien phap", "noi dung giai phap",
                    "noi dung thuc hien", "noi dung cong viec", "noi dung nhiem vu", "bien phap",
                    "giai phap", "nhiem vu giai phap", "noi dung hoat dong"),
    GROUP_LABEL: ("co quan chu tri phoi hop", "don vi chu tri phoi hop", "co quan thuc hien phoi hop",
                  "co quan chu tri va phoi hop", "don vi chu tri va phoi hop"),
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
_LETTER_PART = re.compile(r"^(?P<l>[A-H])\s*[.)]\s+(?P<t>[^a-zđàáảãạăâèéêìíòóôơùúưỳý]{4,})$")
_APPENDIX = re.compile(r"^phụ lục(?:\s+[\dIVX]+)?\s*[:.–-]\s*", re.IGNORECASE)
_SUBJECT_LINE = re.compile(r"(?:^|\s)V/v\s*:?\s*(?P<t>\S.*)$")
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
    where: str = ""  # a table cell: "bảng 1, hàng 3, cột “Cơ quan chủ trì”"


@dataclass
class DraftTask:
    ma: str
    no: int
    content: list[str] = field(default_factory=list)
    cac_y: list[str] = field(default_factory=list)
    roles: dict[str, RawRole] = field(default_factory=dict)  # Role value or TIME -> raw line
    ghi_chu: list[str] = field(default_factory=list)
    pending: str | None = None  # a label whose value follows as bullets
    body_block: bool = False  # its body is named over it: what follows are its duties

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


def label_of(text: str, by_words: bool = True) -> tuple[str, str, str] | None:
    """(role key, label as written, value) when `text` is a labelled line; `by_words` also
    reads a label not listed by its role word."""
    match = _LABEL.match(text)
    if not match:
        return None
    key = re.sub(r"[^a-z ]", " ", fold(match.group("label")))
    key = re.sub(r"\s+", " ", key).strip()
    role = _LABELS.get(key) or (_label_by_words(key) if by_words else None)
    if role is None:
        return None
    return role, match.group("label").strip(), match.group("value").strip()


# A label not listed is read by its words when it opens like one ("Cơ quan, đơn vị chủ trì",
# "Lãnh đạo phụ trách"): the role word decides; anything else ("Cơ quan giám sát") is not a
# label the schema has, and is reported instead.
_LABEL_OPENINGS = ("co quan", "don vi", "bo phan", "nguoi", "lanh dao", "cap", "chu tri",
                   "phoi hop", "thoi", "tien do", "trach nhiem", "phan cong", "ket qua", "san pham")
_LABEL_WORDS_TO_ROLE = (
    (("chu tri",), Role.CHU_TRI.value), (("phoi hop",), Role.PHOI_HOP.value),
    (("chi dao", "lanh dao"), Role.CHI_DAO.value),
    (("thoi gian", "thoi han", "tien do", "thoi diem"), TIME),
    (("ket qua", "san pham"), PRODUCT),
    (("thuc hien", "trach nhiem", "phan cong", "tham muu", "phu trach"), Role.THAM_MUU.value),
)


def _label_by_words(key: str) -> str | None:
    if len(key.split()) > 8 or not key.startswith(_LABEL_OPENINGS):
        return None
    if "chu tri" in key and "phoi hop" in key:
        return GROUP_LABEL
    for words, role in _LABEL_WORDS_TO_ROLE:
        if any(word in key for word in words):
            return role
    return None


def _numbered(text: str) -> tuple[str, str] | None:
    match = _NUMBERED.match(text)
    if not match:
        return None
    number = match.group("n") or match.group("n1")
    rest = match.group("t") or match.group("t1")
    return number, rest.strip()


def _part_of(title: str) -> Part:
    """The part a heading opens, read from the whole heading: "NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG
    TRÁCH NHIỆM THỰC HIỆN" is the tasks part, though it says "phân công trách nhiệm"."""
    key = fold(title).strip(" .:")
    if key.startswith(("muc dich", "yeu cau", "muc tieu")):
        return Part.PURPOSE
    tasks = any(word in key for word in ("noi dung", "nhiem vu", "giai phap", "hoat dong",
                                         "cong viec", "chuong trinh", "lo trinh", "tien do"))
    if key.startswith("to chuc thuc hien") or (
            key.startswith(("trach nhiem", "phan cong")) and not tasks):
        return Part.ORG
    if tasks:
        return Part.TASKS
    return Part.ORG if "to chuc thuc hien" in key else Part.OTHER


class Parser:
    """A single pass over the lines; `parse` is the entry point."""

    def __init__(self, lines: list[Line], unit: str, tables: dict[int, Grid] | None = None) -> None:
        from kehoach_cli.importer.tables import header_of

        self.lines = lines
        self.unit = unit
        self.grids = tables or {}
        self.task_tables = {n: h for n, grid in self.grids.items() if (h := header_of(grid))}
        self.tables_read: set[int] = set()
        self.table_section: DraftSection | None = None  # a table continued on the next page
        self.last_text: str | None = None  # the line before a table: its caption
        self.draft = Draft()
        self.part: Part | None = None
        self.section: DraftSection | None = None
        self.task: DraftTask | None = None
        self.implicit: DraftTask | None = None  # content of a group before any sub-item
        self.closing = False
        self.sign_step = 0
        self.tables_noted: set[int] = set()
        self.heading: str | None = None  # "Thuộc mục 1.1: …" for tasks 1.1.x
        # Lettered parts ("A. MỤC ĐÍCH, YÊU CẦU", "B. NỘI DUNG, NHIỆM VỤ …") over Roman groups.
        self.lettered = len({m.group("l") for line in lines if not line.in_table
                             and (m := _LETTER_PART.match(line.text))} & {"A", "B", "C"}) >= 2
        self.roman_any = self.lettered or any(_roman(line) for line in lines if not line.in_table)
        self.letter: str | None = None
        self.roman: str | None = None  # the Roman numeral of the current part
        # "III." before the numbers of a second tasks part ("III. PHÂN CÔNG NHIỆM VỤ" after
        # "II. NỘI DUNG"), whose "1.", "2." would repeat the first part's.
        self.prefix = ""
        self.next: Line | None = None  # the line after the one being read
        self.letters = 0  # lettered body blocks under the current task
        self.letter_base: str | None = None
        self.body_block: DraftTask | None = None
        self.part_title: str | None = None
        self.org: DraftSection | None = None  # tasks of "Tổ chức thực hiện", body by body
        self.org_task: DraftTask | None = None
        # Items of "Tổ chức thực hiện" that may give work in a sentence, with their part.
        self.org_sentences: list[tuple[str, Line, str]] = []

    def note(self, line: Line, text: str) -> None:
        self.draft.notes.append(Note(line.no, text))

    def run(self) -> Draft:
        body = self._header()
        for i in range(body, len(self.lines)):
            self.next = self.lines[i + 1] if i + 1 < len(self.lines) else None
            self._line(self.lines[i])
        self._close_section()
        self._close_org()
        self._sentence_org_items()
        for section in self.draft.sections:
            _split_by_subject(section, self.draft.notes)
            _share_role_blocks(section, self.draft.notes)
            _unique_ids(section, self.draft.notes)
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
            start = self._untitled_header()
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if self._is_part_start(line):
                return i
            if title_at is None and not self.draft.mo_dau and self._header_line(line):
                continue
            self.draft.mo_dau.append((line.no, line.text))
        return len(self.lines)

    def _untitled_header(self) -> int:
        """A document without a type title: a công văn ("V/v …" under its number gives the
        subject), or an appendix whose capitalised heading ("DANH MỤC NHIỆM VỤ …") does.
        Returns where the preamble starts."""
        end = next((i for i, line in enumerate(self.lines) if self._is_part_start(line)),
                   len(self.lines))
        for i, line in enumerate(self.lines[:end]):
            match = _SUBJECT_LINE.search(line.text)
            if match:
                for before in self.lines[:i]:
                    self._header_line(before)
                self.draft.loai_van_ban = "Công văn"
                self.draft.trich_yeu = [match.group("t").strip()]
                self.note(line, "văn bản không có tên loại “KẾ HOẠCH” mà có dòng “V/v”: đọc là "
                                "công văn, trích yếu lấy từ dòng “V/v”")
                return i + 1
        for i, line in enumerate(self.lines[:end]):
            text = _APPENDIX.sub("", line.text)  # "Phụ lục 1: DANH MỤC NHIỆM VỤ …"
            letters = [ch for ch in text if ch.isalpha()]
            if (len(text.split()) >= 6 and letters and all(ch.isupper() for ch in letters)
                    and not line.in_table and fold(text) not in _SKIP_HEADER):
                for before in self.lines[:i]:
                    self._header_line(before)
                self.draft.trich_yeu = [text]
                self.note(line, "văn bản không có tên loại (“KẾ HOẠCH”) làm tiêu đề: trích yếu "
                                "lấy từ dòng tiêu đề viết hoa này, loại văn bản để là Kế hoạch; "
                                "hãy kiểm tra `loai_van_ban` và `trich_yeu`")
                return i + 1
        self.draft.notes.append(Note(self.lines[0].no if self.lines else 1,
                                     "không thấy tên loại văn bản (“KẾ HOẠCH”) làm tiêu đề: "
                                     "trích yếu để trống, hãy điền tay"))
        return 0

    def _is_part_start(self, line: Line) -> bool:
        if line.in_table:
            return line.table in self.task_tables
        if self.lettered:
            return _LETTER_PART.match(line.text) is not None
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
        if line.in_table and line.table in self.task_tables:
            if line.table not in self.tables_read:
                self.tables_read.add(line.table)
                self._task_table(line)
            return
        if not line.in_table:
            self.last_text = line.text
        if self._closing_line(line) or self._part_heading(line):
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

    def _task_table(self, line: Line) -> None:
        """Every task of a task table, grouped as its group rows say."""
        from kehoach_cli.importer.tables import header_text as table_header_text
        from kehoach_cli.importer.tables import read_table, roman_value

        self._close_section()
        self._close_org()
        grid, header = self.grids[line.table], self.task_tables[line.table]
        header_text = table_header_text(grid, header[0])
        notes: list[tuple[int, str]] = []
        groups = read_table(grid, header, header_text, notes, line.table)
        self.draft.notes += [Note(no, text) for no, text in notes]
        used = {task.ma for task in self.draft.tasks()}
        count = 0
        for group in groups:
            section = self.table_section if group.title is None else None
            if section is None:
                number = roman_value(group.number) if group.number else None
                taken = {s.ma for s in self.draft.sections}
                ma = str(number) if number and str(number) not in taken else str(
                    max([int(m) for m in taken if m.isdigit()] + [0]) + 1)
                title = group.title or self.part_title or self.last_text or "Phụ lục"
                section = DraftSection(ma, group.no, title)
                self.draft.sections.append(section)
            for item in group.tasks:
                ma = item.number if item.number and item.number not in used else (
                    f"{section.ma}.{len(section.tasks) + 1}")
                used.add(ma)
                section.tasks.append(_table_task(ma, item, line.table))
                count += 1
            self.table_section = section
        labels = ", ".join(f"“{' '.join(t.split())}”" for t in header_text if t)
        self.note(line, f"bảng {line.table}: đọc {count} nhiệm vụ theo các cột {labels}; "
                        "hãy so từng hàng với bảng gốc")

    def _closing_line(self, line: Line) -> bool:
        """Recipients and the signature block; True when `line` belongs to them."""
        text = line.text
        if fold(text).startswith("noi nhan"):
            self._close_section()
            self._close_org()
            self.closing = True
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                self.draft.noi_nhan.append(rest)
            return True
        if self._signature(line):
            return True
        if self.closing:
            if line.bullet or text.startswith(("-", "+")):
                self.draft.noi_nhan.append(text.lstrip("-+ ").strip())
            else:
                self.note(line, "dòng sau “Nơi nhận” chưa nhận ra: chưa đưa vào")
            return True
        return False

    def _part_heading(self, line: Line) -> bool:
        letter = _LETTER_PART.match(line.text) if self.lettered else None
        match = _roman(line)
        if letter is None and match is not None and self.lettered:
            return self._roman_group(line, match)
        if letter is None and match is None:
            return False
        self._close_section()
        self._close_org()
        if letter is not None:
            self.letter, self.roman = letter.group("l"), None
            self.part_title = letter.group("t").strip()
            self.prefix = f"{self.letter}."
        elif match is not None:
            self.roman, self.part_title = match.group("r"), match.group("t").strip()
            self.prefix = f"{self.roman}." if _part_of(self.part_title) is Part.TASKS \
                and self.draft.sections else ""
        self.part = _part_of(self.part_title or "")
        if self.part is Part.OTHER:
            self.note(line, f"phần “{line.text}” chưa nhận ra (không phải mục đích, nội dung "
                            "hay tổ chức thực hiện): nội dung của phần này chưa đưa vào")
        return True

    def _roman_group(self, line: Line, match: re.Match[str]) -> bool:
        """A Roman heading inside a lettered part: in the tasks part, a group that is itself a
        task ("B. … / I. CÔNG TÁC QUÁN TRIỆT" over its "1. Nội dung", "2. Cơ quan chủ trì"…)."""
        if self.part is not Part.TASKS:
            return False
        self._close_section()
        number = self.prefix + str(_ROMANS[match.group("r")])
        title = match.group("t").strip()
        self.section = DraftSection(number, line.no, title)
        self.implicit = self.task = DraftTask(number, line.no, [title])
        self.letters, self.letter_base = 0, None
        return True

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
        """"Tổ chức thực hiện": written body by body ("1. Ủy ban nhân dân phường: …", a body's
        name over its duties), each body's paragraph is a task of that body; other items are
        kept as points of the part (and read as tasks when they give work in a sentence and
        the plan assigns by sentences only, see `_sentence_org_items`)."""
        numbered = None if line.bullet else _numbered(line.text)
        text = numbered[1] if numbered else line.text
        if fold(text).startswith(("tren day la", "trong qua trinh")) or _is_closing_formula(text):
            self.note(line, "đoạn kết của phần tổ chức thực hiện: chưa đưa vào danh sách")
            return
        lead = _body_lead(text, self._over_bullets())
        if lead is not None and (numbered or lead[1]):
            self._org_task(line, numbered[0] if numbered else None, *lead)
            return
        if self.org_task is not None and not numbered:
            task = self.org_task
            (task.cac_y if line.bullet and task.content else task.content).append(text)
            return
        self.org_task = None
        self.draft.to_chuc.append((line.no, text))
        self.org_sentences.append((self.roman or self.letter or "", line, text))

    def _org_task(self, line: Line, number: str | None, body: str, duties: str) -> None:
        if self.org is None:
            self.org = DraftSection(self.roman or self.letter or "TC", line.no, self.part_title)
        count = len(self.org.tasks) + 1
        ma = f"{self.org.ma}.{number if number and number.isdigit() else count}"
        task = DraftTask(ma, line.no, [duties] if duties else [])
        task.roles[Role.THAM_MUU.value] = RawRole(line.no, FROM_HEADING, body)
        self.org.tasks.append(task)
        self.org_task = task

    def _close_org(self) -> None:
        if self.org is not None and self.org.tasks:
            self.draft.sections.append(self.org)
            self.draft.notes.append(Note(self.org.no, (
                f"phần “{self.org.tieu_de}” viết theo từng đơn vị: mỗi đơn vị thành một nhiệm vụ "
                f"{self.org.ma}.x do đơn vị đó thực hiện, hãy kiểm tra")))
        self.org = self.org_task = None

    def _sentence_org_items(self) -> None:
        """In a plan that gives no task a labelled role line, the items of "Tổ chức thực hiện"
        that give work in a sentence ("Giao Công an tỉnh chủ trì …") are tasks too."""
        from kehoach_cli.importer.sentences import roles_in_sentence

        # Where tasks have role lines, "Tổ chức thực hiện" is about deploying the plan ("Giao
        # Khối Dân vận theo dõi, đôn đốc"), except a request to another body ("Đề nghị …").
        labelled = any(raw.label not in (FROM_HEADING, FROM_SENTENCE)
                       for task in self.draft.tasks() for raw in task.roles.values())
        by_ma = {section.ma: section for section in self.draft.sections}
        for roman, line, text in self.org_sentences:
            if labelled and not fold(text).startswith("de nghi "):
                continue
            roles = roles_in_sentence(text)
            if not roles or not roman:
                continue
            section = by_ma.get(roman)
            if section is None:
                section = by_ma[roman] = DraftSection(roman, line.no, "Tổ chức thực hiện")
                self.draft.sections.append(section)
            task = DraftTask(f"{roman}.{len(section.tasks) + 1}", line.no, [text])
            for key, value in roles.items():
                task.roles[key] = RawRole(line.no, FROM_SENTENCE, value)
            section.tasks.append(task)
            self.draft.to_chuc = [(no, t) for no, t in self.draft.to_chuc if no != line.no]
            self.note(line, "đơn vị được đọc từ câu giao việc trong phần tổ chức thực hiện: "
                            "ghi thành nhiệm vụ, hãy kiểm tra")

    # --- groups and tasks ------------------------------------------------------------------

    def _close_section(self) -> None:
        section, implicit = self.section, self.implicit
        if section is not None and implicit is not None and not section.tasks:
            # A group with no sub-items is a task of its own, numbered like the group.
            if section.tieu_de and (not implicit.content or section.tieu_de.endswith((".", ";"))):
                # A numbered item written as a sentence is the task itself, not a title over it.
                implicit.content.insert(0, section.tieu_de)
            section.tasks.append(implicit)
        if section is not None and section.tasks:
            self.draft.sections.append(section)
        elif section is not None:
            self.draft.notes.append(Note(section.no, f"mục {section.ma} không có nhiệm vụ nào"))
        self.section = self.implicit = self.task = None

    def _task_line(self, line: Line) -> None:
        text = line.text
        numbered = None if line.bullet else _numbered(text)
        lettered = _LETTERED.match(text)
        # "2. Cơ quan chủ trì, phối hợp:", "a) Cơ quan chủ trì: …" are labels, not task numbers.
        if numbered and _labels_in(numbered[1]) and self.task is not None:
            text, numbered = numbered[1], None
        elif lettered and _labels_in(lettered.group("t")) and self.task is not None:
            text, lettered = lettered.group("t"), None
        if numbered:
            self.letters, self.letter_base = 0, None
            self._numbered_line(line, *numbered)
            return
        lead = _body_lead(lettered.group("t"), self._over_bullets()) if lettered else None
        if lead is not None and self.task is not None and not self.task.roles.keys() - {
                Role.THAM_MUU.value}:
            self._lettered_body(line, *lead)
            return
        task = self.task
        if task is None:
            self.note(line, "đoạn văn trước mục đánh số đầu tiên: chưa đưa vào")
            return
        if _is_closing_formula(text):
            self.note(line, "đoạn kết của văn bản: chưa đưa vào")
            return
        labelled = _labels_in(text)
        if labelled:
            self._label_line(line, task, labelled)
        elif task.pending is not None and task.pending != GROUP_LABEL:
            old = task.roles[task.pending]
            joined = f"{old.text}; {text}" if old.text else text
            task.roles[task.pending] = RawRole(old.no, old.label, joined.rstrip(",;"))
        else:
            self._task_text(line, task, text, lettered is not None)

    def _numbered_line(self, line: Line, number: str, rest: str) -> None:
        lead = _body_lead(rest, self._over_bullets())
        if "." not in number:
            self._close_section()
            title = lead[0] if lead else rest.rstrip(":").strip()
            self.section = DraftSection(self.prefix + number, line.no, title)
            self.implicit = self.task = DraftTask(self.prefix + number, line.no,
                                                  [lead[1]] if lead and lead[1] else [])
        else:
            self._new_task(line, self.prefix + number, lead[1] if lead else rest)
        if lead is not None:
            # "1. Công an tỉnh" over its duties: a task of that body, as "Tổ chức thực hiện"
            # body by body is.
            assert self.task is not None
            self.task.roles[Role.THAM_MUU.value] = RawRole(line.no, FROM_HEADING, lead[0])
            self.task.body_block = True
            self.letters = 0
            self.body_block = self.task

    def _over_bullets(self) -> bool:
        """Whether the next line is a bullet: a heading over bullets is a name over duties."""
        return self.next is not None and self.next.bullet

    def _lettered_body(self, line: Line, body: str, duties: str) -> None:
        """"a) Tổ đảng ở Thường trực Ủy ban …" over its duties, inside a task: a task of that
        body, numbered under the task ("2.2.1")."""
        assert self.task is not None
        base = self.letter_base if self.letter_base else self.task.ma
        self.letters += 1
        self.letter_base = base
        self._new_task(line, f"{base}.{self.letters}", duties)
        assert self.task is not None
        self.task.roles[Role.THAM_MUU.value] = RawRole(line.no, FROM_HEADING, body)
        self.task.body_block = True

    def _label_line(self, line: Line, task: DraftTask,
                    labelled: list[tuple[str, str, str]]) -> None:
        for role, label, value in labelled:
            if role == CONTENT_LABEL:
                if value:
                    task.cac_y.append(value)
                task.pending = None
                continue
            if role == PRODUCT:
                task.ghi_chu.append(f"{label}: {value}")
                task.pending = None
                continue
            if role in task.roles:
                self.note(line, f"nhiệm vụ {task.ma} có hai dòng “{label}”: đã ghép lại")
                old = task.roles[role]
                task.roles[role] = RawRole(old.no, old.label, f"{old.text}; {value}")
            elif role != GROUP_LABEL or value:
                task.roles[role] = RawRole(line.no, label, value)
            task.pending = role if not value else None
        if GROUP_LABEL in task.roles:
            # "Cơ quan chủ trì, phối hợp: X; Y, Z" with no sub-labels: the first body leads,
            # the others co-operate, as the label orders them.
            from kehoach_cli.importer.split_bodies import split_names

            raw = task.roles.pop(GROUP_LABEL)
            items = [item for group in split_names(raw.text) for item in group]
            task.roles.setdefault(Role.CHU_TRI.value, RawRole(raw.no, raw.label, items[0] if items
                                                               else raw.text, raw.where))
            if len(items) > 1:
                task.roles.setdefault(Role.PHOI_HOP.value, RawRole(raw.no, raw.label,
                                                                   "; ".join(items[1:]), raw.where))
                self.note(line, f"“{raw.label}” ghi chung: “{items[0]}” được hiểu là chủ trì, "
                                "các đơn vị sau là phối hợp; hãy kiểm tra")

    def _task_text(self, line: Line, task: DraftTask, text: str, lettered: bool) -> None:
        if task.body_block and not task.roles.keys() - {Role.THAM_MUU.value, TIME}:
            (task.cac_y if task.content else task.content).append(text)
        elif _looks_like_label(text):
            self.note(line, f"dòng “{text[:60]}” giống dòng phân công nhưng nhãn chưa nhận ra: "
                            "đã ghi vào ghi_chu")
            task.ghi_chu.append(text)
        elif task.has_labels():
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
        local = number[len(self.prefix):] if number.startswith(self.prefix) else number
        group = self.prefix + local.split(".")[0]
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
        depth = local.count(".")
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
    phối hợp: …"), or a label alone over the lines that give its value ("a) Cơ quan chủ trì",
    "1. Nội dung, biện pháp")."""
    if ":" not in text:
        bare = text.strip().rstrip(".")
        alone = label_of(bare + ":", by_words=False)  # "Lãnh đạo Ban Dân nguyện" is a name
        return [alone] if alone and len(bare) <= 60 else []
    single = label_of(text)
    pieces = re.split(r"\s*;\s*(?=[^;:]{2,40}:)", text)
    if len(pieces) > 1:
        found = [label_of(piece) for piece in pieces]
        if all(found):
            return [f for f in found if f]
    return [single] if single else []


def _table_task(ma: str, item: TableTask, table: int) -> DraftTask:
    """A draft task from a table row: roles and time from their columns, the product and
    other columns in the note."""
    from kehoach_cli.importer.tables import NOTE, PRODUCT
    from kehoach_cli.importer.tables import TIME as TIME_COLUMN

    lines = [text.lstrip("-+•* ").strip() for text in item.content if text.strip()]
    task = DraftTask(ma, item.no, lines[:1], lines[1:])
    for kind, text in item.cells.items():
        label = item.labels.get(kind, kind)
        where = f"bảng {table}, hàng {item.row}, cột “{label}”"
        if kind == TIME_COLUMN:
            task.roles[TIME] = RawRole(item.no, label, " ".join(text.split()), where)
        elif kind in (PRODUCT, NOTE):
            task.ghi_chu.append(f"{item.labels.get(kind, kind)}: {' '.join(text.split())}")
        else:
            parts = [p.lstrip("-+•* ").strip(" ;,") for p in text.split("\n")]
            task.roles[kind] = RawRole(item.no, label, "; ".join(p for p in parts if p), where)
    return task


def _is_closing_formula(text: str) -> bool:
    """The document's last sentence: "Trên đây là Kế hoạch …./.", "… xin thông báo để … biết,
    thực hiện./." (Vietnamese documents end their text with "./.")."""
    return text.rstrip().endswith("./.") or fold(text).startswith("tren day la")


def _body_lead(text: str, over_bullets: bool = False) -> tuple[str, str] | None:
    """(body, duties) when `text` opens with a body's name: "Ủy ban nhân dân phường: …", or is
    a body's name alone as a heading ("Ban Thường trực Ủy ban MTTQ Việt Nam xã"); a heading
    over bullets may hold verbs in the name ("Cán bộ phụ trách lĩnh vực giám sát …")."""
    from kehoach_cli.importer.sentences import has_verb, starts_like_body

    if ":" in text:
        head, duties = (part.strip() for part in text.split(":", 1))
        if (head and len(head.split()) <= 25 and starts_like_body(head) and label_of(text) is None
                and not has_verb(head)):
            return head, duties
        return None
    bare = text.strip().rstrip(":")
    words = len(bare.split())
    if (words <= (20 if over_bullets else 16) and not bare.endswith((".", ";"))
            and starts_like_body(bare)
            and (over_bullets or not has_verb(bare))):
        return bare, ""
    return None


def _split_by_subject(section: DraftSection, notes: list[Note]) -> None:
    """A task without role lines whose bullets each open with a different body ("- Tổ đảng ở
    … tuyên truyền …", "- Đảng đoàn Quốc hội phối hợp …") is one task per bullet, each of
    its body."""
    from kehoach_cli.importer.sentences import subject

    out: list[DraftTask] = []
    for task in section.tasks:
        subjects = [subject(item) for item in task.cac_y]
        if task.roles or len(task.cac_y) < 2 or not all(subjects) or len(set(subjects)) < 2:
            out.append(task)
            continue
        heading = " ".join(task.content)
        for k, (item, who) in enumerate(zip(task.cac_y, subjects, strict=True), start=1):
            part = DraftTask(f"{task.ma}.{k}", task.no, [item], ghi_chu=list(task.ghi_chu))
            if heading:
                part.ghi_chu.insert(0, f"Thuộc mục {task.ma}: {heading}")
            part.roles[Role.THAM_MUU.value] = RawRole(task.no, FROM_SENTENCE, who or "")
            out.append(part)
        notes.append(Note(task.no, f"nhiệm vụ {task.ma}: mỗi gạch đầu dòng giao cho một đơn vị "
                                   f"khác nhau, đã tách thành {len(task.cac_y)} nhiệm vụ "
                                   f"{task.ma}.1…, hãy kiểm tra"))
    section.tasks[:] = out


def _share_role_blocks(section: DraftSection, notes: list[Note]) -> None:
    """One role block written after several one-line items applies to each of them: "3.1 …",
    "3.2 …", "3.3 …" then "- Đơn vị chủ trì: …" gives all three the same bodies and time."""
    run: list[DraftTask] = []
    for task in section.tasks:
        if not task.roles:
            run = [*run, task] if not task.cac_y and not task.ghi_chu else []
            continue
        if run and not task.cac_y:
            for item in run:
                item.roles = dict(task.roles)
            notes.append(Note(run[0].no, (
                f"các dòng phân công sau nhiệm vụ {task.ma} được áp cho cả "
                f"{', '.join(t.ma for t in run)} (một khối phân công cho nhiều mục): hãy kiểm tra")))
        run = []


def _unique_ids(section: DraftSection, notes: list[Note]) -> None:
    """A number written twice ("3.2" twice) gets the next free number of its group, said."""
    seen: set[str] = set()
    for task in section.tasks:
        if task.ma in seen:
            head = task.ma.rpartition(".")[0]
            siblings = [t.ma.rpartition(".")[2] for t in section.tasks
                        if t.ma.rpartition(".")[0] == head]
            free = max((int(n) for n in siblings if n.isdigit()), default=0) + 1
            new = f"{head}.{free}" if head else str(free)
            notes.append(Note(task.no, f"số {task.ma} trùng với nhiệm vụ trước: ghi là {new}, "
                                       "hãy kiểm tra"))
            task.ma = new
        seen.add(task.ma)


def _looks_like_label(text: str) -> bool:
    match = _LABEL.match(text)
    return match is not None and fold(match.group("label")).startswith(_LABEL_WORDS)


def _roman(line: Line) -> re.Match[str] | None:
    match = _ROMAN.match(line.text)
    if match and match.group("r") in _ROMANS and line.text[:3].casefold() != "v/v":
        return match
    return None


def _is_title(line: Line) -> bool:
    return fold(line.text) in _TYPE_TITLES and (line.text.isupper() or line.heading > 0
                                               or line.all_bold)




def parse_lines(lines: list[Line], unit: str = "dòng",
                tables: dict[int, Grid] | None = None) -> Draft:
    """The draft of a plan document; `tables` are its tables as grids, by number."""
    return Parser(lines, unit, tables).run()


__all__ = ["Draft", "DraftSection", "DraftTask", "Note", "canonical_type", "parse_lines"]
