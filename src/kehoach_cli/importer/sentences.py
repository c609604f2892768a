"""Bodies named inside sentences rather than on labelled lines.

Vietnamese plans give work in a few fixed turns of phrase: "Giao Công an tỉnh chủ trì, phối
hợp với Văn phòng UBND tỉnh ... tham mưu ...", "Đề nghị Thường trực HĐND, UBND ... phối hợp
...", "Phòng Văn hóa và Thông tin chủ trì, phối hợp với Ban Tuyên giáo ... tổ chức ...", or a
body as the subject: "Các sở, ban, ngành trực thuộc UBND tỉnh tiếp tục tổ chức ...". A body's
name begins with a head noun of the genre (Ban, Ủy ban, Sở, Phòng, Hội, Đoàn, Đồng chí ...) or
an acronym; the subject ends at its first verb. A line that starts with a verb ("Chủ trì,
phối hợp với ...") names no subject. What is returned is raw text, split by `split_bodies`.
"""

from __future__ import annotations

import re

from kehoach_cli.text import fold

# Where the subject of a sentence ends: its first verb (or an adverb before it).
VERBS = re.compile(
    r"\s(?:tiếp tục|phối hợp|chủ trì|tham mưu|theo dõi|triển khai|có trách nhiệm|căn cứ|"
    r"xây dựng|thực hiện|hướng dẫn|chỉ đạo|quán triệt|tuyên truyền|kiểm tra|báo cáo|"
    r"tổ chức (?!chính trị|có liên quan|thành viên)|định kỳ|thường xuyên|cụ thể hóa|lãnh đạo|"
    r"giúp|khẩn trương|chủ động|tăng cường|đôn đốc|nắm|rà soát|phụ trách(?! lĩnh vực)|"
    r"chịu trách nhiệm|trực tiếp|bảo đảm|đảm bảo|quản lý|vận động|giám sát|tham gia|"
    r"nghiên cứu|phát huy|làm|để|nhằm|cử)\b",
    # Case matters: verbs are lower case mid-sentence, while the same words capitalised
    # belong to a name ("Ủy ban Kiểm tra", "Ban Chỉ đạo").
)
ASSIGN = re.compile(r"^(?:giao(?: cho)?|đề nghị|yêu cầu|các đồng chí|đồng chí)\s+", re.IGNORECASE)
# Head nouns that begin a body's (or a person's) name, folded; "các" may come before them.
_ORGANISATIONS = ("to chuc chinh tri", "to chuc thanh vien", "to chuc dang", "to chuc doan",
                  "to chuc hoi", "to chuc co lien quan", "to chuc cong doan")
_HEAD_PHRASES = (*_ORGANISATIONS,
    "ban ", "uy ban", "hoi ", "hoi dong", "doan ", "so ", "phong ", "mat tran", "cong an",
    "quan su", "van phong", "trung tam", "thu truong", "chu tich", "pho chu tich", "giam doc",
    "pho giam doc", "dong chi", "d/c", "chi bo", "chi uy", "dang uy", "dang bo", "khoi ", "to ",
    "tram ", "can bo", "chuyen vien", "cong chuc", "thuong truc", "thuong vu", "lien doan",
    "cong doan", "tieu ban", "bo phan", "co quan", "don vi", "bi thu", "pho bi thu",
    "thanh vien", "uy vien", "dai dien", "dai bieu", "benh vien", "truong ", "pho truong", "hop tac xa",

    "cuc ", "chi cuc", "vien ", "kho bac", "ngan hang", "bo ", "doan the", "nguoi dung dau",
    "doanh nghiep", "dia phuong", "tong cuc", "hoc vien", "dai hoc",
)
# Words that begin like a body's name but start an activity: "Hội nghị", "Ban hành", "Tổ chức
# hội nghị", "Phòng, chống".
_NOT_BODY = ("hoi nghi", "hoi thi", "hoi thao", "hoi dien", "hoi cho", "ban hanh", "bo sung",
             "bo tri", "phong chong", "phong ngua", "to chuc ", "doan ket", "van dong",
             "chu tich ho chi minh")
_ARTICLE = re.compile(r"^(?:các|những|toàn thể|mỗi|từng)\s+", re.IGNORECASE)
_LEAD = re.compile(r"^(?P<who>.+?)\s+(?i:chủ trì)\b[\s,;]*(?:(?:và\s+)?phối hợp\s+(?:với|cùng)?\s*"
                   r"(?P<with>.+?))?(?=\s+(?:tham mưu|tổ chức(?! có liên quan| chính trị| thành viên)"
                   r"|triển khai|thực hiện|xây dựng|giúp|"
                   r"hướng dẫn|kiểm tra|để|nhằm|theo dõi|báo cáo|khẩn trương|đôn đốc)\b|[().:]|$)")
_GIVE = re.compile(r"(?:^|[(;.]\s*|\s)(?P<how>(?i:giao(?: cho)?|đề nghị|yêu cầu))\s+(?P<rest>.+)$")


def has_verb(text: str) -> bool:
    """Whether `text` holds a verb that is not part of a name: "xây dựng Đảng" in "Ban xây
    dựng Đảng" is followed by a capitalised word, so it names the body."""
    for match in VERBS.finditer(" " + text + " "):
        after = text[match.end() - 1:].split()
        if not after or not after[0][:1].isupper():
            return True
    return False


def starts_like_body(text: str) -> bool:
    """Whether `text` begins the way a body's or a person's name does."""
    bare = _ARTICLE.sub("", text.strip())
    if not bare:
        return False
    first = bare.split()[0]
    letters = "".join(ch for ch in first if ch.isalpha())
    if len(letters) > 1 and letters.isupper():
        return True  # an acronym: UBND, MTTQ, HĐND
    key = " ".join(re.sub(r"[^\w/]+", " ", fold(bare)).split()) + " "
    if key.startswith(_NOT_BODY) and not key.startswith(_ORGANISATIONS):
        return False
    if key.startswith("lanh dao "):  # "Lãnh đạo Ban Dân nguyện", not "Lãnh đạo, chỉ đạo"
        return starts_like_body(bare.split(None, 2)[2] if len(bare.split()) > 2 else "")
    return key.startswith(_HEAD_PHRASES)


def subject(text: str) -> str | None:
    """The bodies a sentence starts with, up to its first verb, if it starts with a body."""
    bare = ASSIGN.sub("", text.strip())
    if not starts_like_body(bare):
        return None
    verb = VERBS.search(bare)
    if verb is None:
        return None
    who = bare[: verb.start()].strip(" ,;:")
    return who if who and len(who.split()) <= 60 else None


def roles_in_sentence(text: str) -> dict[str, str]:
    """Role key ("chu_tri", "phoi_hop", "tham_muu_thuc_hien") -> the raw list of bodies a
    sentence gives it; empty when the sentence names no body in a way the genre uses."""
    give = _GIVE.search(text)
    if give is not None:
        found = _lead(give.group("rest"))
        if found:
            return found
        who = subject(give.group("rest")) or _before_verb(give.group("rest"))
        if who:
            return {"tham_muu_thuc_hien": who}
    if starts_like_body(ASSIGN.sub("", text)):
        found = _lead(ASSIGN.sub("", text))
        if found:
            return found
        who = subject(text)
        if who:
            return {"tham_muu_thuc_hien": who}
    return {}


def _before_verb(text: str) -> str | None:
    verb = VERBS.search(" " + text)
    who = text[: verb.start() - 1].strip(" ,;:") if verb else ""
    return who if who and starts_like_body(who) and len(who.split()) <= 40 else None


def _lead(text: str) -> dict[str, str]:
    """"X chủ trì, phối hợp với Y ..." -> X leads, Y co-operates."""
    match = _LEAD.match(text)
    if match is None or not starts_like_body(match.group("who")):
        return {}
    who = match.group("who").strip(" ,;:")
    if len(who.split()) > 30:
        return {}
    out = {"chu_tri": who}
    if match.group("with"):
        out["phoi_hop"] = match.group("with").strip(" ,;:")
    return out
