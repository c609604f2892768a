"""Documents cited in running text: "Thông báo số 160-TB/TW ngày 15/01/2020 của Bộ Chính trị về …".

A citation is a document type, "số", a number-symbol (Party "160-TB/TW", "03-CT/TWĐTN-BTC",
"217 -QĐ/TW" with a stray space; State "09/2019/NĐ-CP"), then optionally its date, its issuer
("của …") and its subject ("về …"). The subject runs to the end of the clause (";", ".",
" và " before another citation) or to where a citation nested in it starts its own subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOC_TYPES = (
    "Nghị quyết", "Kết luận", "Chỉ thị", "Thông báo", "Kế hoạch", "Quyết định", "Quy định",
    "Hướng dẫn", "Công văn", "Thông tư", "Nghị định", "Chương trình", "Đề án", "Báo cáo",
    "Thông tri", "Quy chế", "Điều lệ", "Luật", "Pháp lệnh", "Tờ trình",
)
_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_SYMBOL = rf"[{_UPPER}][{_UPPER}0-9]*(?:-[{_UPPER}0-9]+)*"
NUMBER = (
    rf"\d+[a-z]?\s?-\s?{_SYMBOL}(?:/{_SYMBOL})+"  # Party: 160-TB/TW, 217 -QĐ/TW
    rf"|\d+/\d{{4}}/{_SYMBOL}"  # State: 09/2019/NĐ-CP
)
_DATE = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
_TYPES = "|".join(re.escape(t) for t in DOC_TYPES)
CITATION = re.compile(
    rf"(?P<loai>(?i:{_TYPES}))(?:\s+(?i:số))?\s+(?P<so>{NUMBER})"
    rf"(?:\s*,?\s+(?i:ngày)\s+(?P<ngay>{_DATE}))?"
)
BARE_NUMBER = re.compile(rf"(?<![\w/-])(?:{NUMBER})(?![\w/])")
_ISSUER = re.compile(r"\s+của\s+")
# Where an issuer's name ends: a subject, a clause mark, or "và"/"theo" joining another item.
_ISSUER_END = re.compile(r"\s+về\s+|[,;.:()]|\s+(?:và|theo|tại|đã|nhằm|để)\s+|\s+[-–]\s+")
_SUBJECT = re.compile(r"\s*(?:,\s*)?(?=về\s)")
_CLAUSE_END = re.compile(r";|\.(?=\s|$)|\s+và\s+(?=(?i:" + _TYPES + r")\s)")


@dataclass
class Citation:
    """One cited document, with the span of text it occupies."""

    loai: str
    so_ky_hieu: str
    ngay: str | None = None
    co_quan: str | None = None
    trich_yeu: str | None = None
    start: int = 0
    end: int = 0  # end of number, date and issuer (the subject is not counted)

    def as_data(self) -> dict[str, str | None]:
        data: dict[str, str | None] = {"loai": self.loai, "so_ky_hieu": self.so_ky_hieu}
        for key in ("ngay", "co_quan", "trich_yeu"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


def canonical_type(text: str) -> str:
    folded = text.casefold()
    return next((t for t in DOC_TYPES if t.casefold() == folded), text)


def normalise_number(text: str) -> str:
    """"217 -QĐ/TW" -> "217-QĐ/TW"."""
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s*/\s*", "/", text.strip()), count=1)


def normalise_date(text: str) -> str:
    if match := re.match(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
        day, month, year = match.groups()
        return f"{int(day):02d}/{int(month):02d}/{year}"
    return re.sub(r"\s+", "", text)


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order, with issuer and subject where the text gives them."""
    found: list[Citation] = []
    for match in CITATION.finditer(text):
        cite = Citation(
            loai=canonical_type(match.group("loai")),
            so_ky_hieu=normalise_number(match.group("so")),
            ngay=normalise_date(match.group("ngay")) if match.group("ngay") else None,
            start=match.start(),
            end=match.end(),
        )
        rest = text[cite.end:]
        if issuer := _ISSUER.match(rest):
            after = rest[issuer.end():]
            stop = _ISSUER_END.search(after)
            next_cite = CITATION.search(after)
            cut = min(stop.start() if stop else len(after), next_cite.start() if next_cite else len(after))
            name = after[:cut].strip()
            if name and len(name.split()) <= 12:
                cite.co_quan = name
                cite.end += issuer.end() + cut
        found.append(cite)
    for i, cite in enumerate(found):
        rest = text[cite.end:]
        subject = _SUBJECT.match(rest)
        if not subject:
            continue
        begin = cite.end + subject.end()
        stop = _CLAUSE_END.search(text, begin)
        end = stop.start() if stop else len(text)
        # A nested citation that has its own subject ends this one's subject where it starts
        # its own: "về việc thực hiện Thông báo số 160-TB/TW … của Bộ Chính trị | về …".
        for inner in found[i + 1:]:
            if inner.start >= end:
                break
            if _SUBJECT.match(text[inner.end:]):
                end = min(end, inner.end)
                break
        value = text[begin:end].strip().rstrip(",")
        if value:
            cite.trich_yeu = value
    return found


def bare_numbers(text: str, known: list[Citation]) -> list[str]:
    """Number-symbols in `text` not inside a recognised citation (to report, not to guess)."""
    spans = [(c.start, c.end) for c in known]
    out = []
    for match in BARE_NUMBER.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            out.append(normalise_number(match.group()))
    return out
