"""Prose lists of bodies, split into bodies and matched against a registry.

"Thường trực HĐND, UBND phường; Mặt trận Tổ quốc và các tổ chức chính trị - xã hội phường;
các chi bộ trực thuộc Đảng ủy." names six bodies: ";" separates groups, "," and "và"
separate items, the hyphen of "chính trị - xã hội" separates nothing, and a trailing
"phường" on the last item of a comma group qualifies every item of that group.

A whole phrase that the registry knows is never split ("Ban Tuyên giáo và Dân vận Đảng ủy").
Names the registry does not know become new bodies with a proposed code (initials of the
words: "Hội Người cao tuổi" -> HNCT); approximate or ambiguous matches are reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from kehoach_cli.importer.sentences import starts_like_body
from kehoach_cli.plan.bodies import Registry, name_key
from kehoach_cli.plan.model import Body
from kehoach_cli.text import fold

QUALIFIERS = ("phường", "xã", "thị trấn")
_ARTICLE = re.compile(r"^(?:các|những|toàn thể|mỗi)\s+", re.IGNORECASE)
_AND = re.compile(r"\s+(?:và|cùng)\s+")
_TRAILING = re.compile(r"[\s.;,:]+$")


def split_names(text: str) -> list[list[str]]:
    """The comma groups of a prose list (";" separates groups), each a list of raw items."""
    text = _TRAILING.sub("", text.strip())
    groups = []
    for part in re.split(r"\s*;\s*", text):
        part = _TRAILING.sub("", part)  # "- Các cơ quan, đơn vị, địa phương." as a bullet
        items: list[str] = []
        # "," then a space separates; "KH,CN&MT" is one abbreviation.
        for piece in re.split(r"\s*,(?=\s|$)\s*", part):
            for item in _repeated_head(piece.strip()):
                if items and _continues(items[-1], item):
                    items[-1] += ", " + item  # "Các sở, ban, ngành"; "Phó Chủ tịch, phụ trách …"
                elif item:
                    items.append(item)
        if items:
            groups.append(items)
    return groups


# Words of the administrative series written as one group: "các sở, ban, ngành", "các bộ,
# ngành, địa phương", "UBND các huyện, thành phố".
_SERIES = ("so", "ban", "nganh", "bo", "dia phuong", "doan the", "co quan", "don vi", "to chuc",
           "huyen", "thanh pho", "thi xa", "xa", "phuong", "thi tran", "cap", "hoi", "doan")


def _generic(name: str) -> bool:
    """A class of bodies rather than one named body: "Các bộ", "UBND các huyện", "bộ",
    "Bộ" alone (the first of "Bộ, ngành, địa phương")."""
    return (name[:1].islower() or fold(name.split(",")[0].strip()) in _SERIES
            or any(fold(w) in {"cac", "nhung"} for w in name.split()))


def _continues(previous: str, item: str) -> bool:
    """Whether a comma item goes on with the name before it rather than naming a body: a
    word of the series after a class of bodies ("Các sở, ban, ngành"), or words that do not
    begin a name ("Phó Chủ tịch Thường trực, phụ trách lĩnh vực …")."""
    if _ARTICLE.match(item):
        return False
    if not item[:1].islower():
        # "Ủy ban Tài chính, Ngân sách": capitalised words that begin no name go on with it.
        return not starts_like_body(item) and len(item.split()) <= 3 and not item.isupper()
    key = fold(item)
    if any(key == w or key.startswith(w + " ") for w in _SERIES):
        return _generic(previous)
    return not starts_like_body(item)


def _repeated_head(item: str) -> list[str]:
    """"Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ" (two names with no comma
    between) is split where the first word of the name comes again, capitalised."""
    words = item.split()
    if len(words) < 4 or not words[0][:1].isupper():
        return [item]
    cuts = [i for i in range(2, len(words)) if words[i] == words[0]
            and fold(words[i - 1]) not in {"va", "cua", "thuoc", "voi", "cac", "truc"}]
    if not cuts:
        return [item]
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in pairwise(bounds)]


@dataclass
class Match:
    """A name from the text and the body code it was given."""

    name: str  # as written, with its group's qualifier when that was needed
    code: str
    new: bool = False  # a body the registry did not have
    note: str | None = None  # why this match needs a look


@dataclass
class BodyMatcher:
    """Matches names against a registry, adding new bodies as they are met."""

    registry: list[Body]
    new_bodies: list[Body] = field(default_factory=list)
    # Bodies whose spellings also count for the registry body with the same code: the
    # built-in registry's aliases, so "UBMTTQ xã" finds a plan's MTTQ that lists fewer names.
    known_spellings: list[Body] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index = Registry(list(self.registry))
        # Partial matches count against the registry only: a new body met earlier ("Các đơn
        # vị thuộc Bộ Quốc phòng") must not swallow another name inside it ("Bộ Quốc phòng").
        self._known = Registry(list(self.registry))
        self._codes = {body.ma for body in self.registry}
        self._keys: dict[str, set[str]] = {}
        for body in self.registry:
            self._key_body(body)
        for body in self.known_spellings:
            if body.ma in self._codes:
                self._key_body(body)

    def _key_body(self, body: Body) -> None:
        for spelling in (body.ten, *body.ten_khac):
            self._keys.setdefault(name_key(spelling), set()).add(body.ma)

    def heading(self, text: str) -> list[Match]:
        """The bodies a heading names, as a list is split, except that a person's remit
        ("Các Phó chủ tịch phụ trách lĩnh vực Dân tộc, Tôn giáo và các Hội quần chúng",
        "Chuyên viên phụ trách lĩnh vực Hành chính, Văn phòng") is one name."""
        name = _TRAILING.sub("", text.strip())
        if not any(word in fold(name) for word in ("phu trach", "linh vuc")):
            return self.split(name)
        return [self.exact(name) or self.loose(name, _qualifier(name))]

    def split(self, text: str, create: bool = True) -> list[Match]:
        """Every body named in `text`, in order, without repeats. With `create` false,
        names the registry does not know are left out instead of becoming new bodies."""
        out: list[Match] = []
        for items in split_names(text):
            qualifier = _qualifier(items[-1])
            for item in items:
                for match in self._item(item, qualifier, create):
                    if all(m.code != match.code for m in out):
                        out.append(match)
        return out

    def _item(self, item: str, qualifier: str | None, create: bool) -> list[Match]:
        whole = self.exact(item, qualifier)
        if whole is not None:
            return [whole]
        parts = self._and_parts(item)
        if len(parts) > 1:
            return [m for part in parts for m in self._item(part, qualifier, create)]
        if not create:
            near = self.partial(item, qualifier)
            return [near] if near else []
        return [self.loose(item, qualifier)]

    def _and_parts(self, item: str) -> list[str]:
        """`item` split at "và"/"cùng" where what follows starts a name of its own: "Giám sát
        và Phản biện xã hội" stays whole, "Mặt trận Tổ quốc và các đoàn thể" is two."""
        parts: list[str] = []
        for part in _AND.split(item):
            series = parts and _generic(parts[-1]) and fold(part) in _SERIES
            if parts and (series or not (starts_like_body(part) or self.exact(part) is not None)):
                parts[-1] += " và " + part  # "Các Bộ, ngành, địa phương và đơn vị": one class
            else:
                parts.append(part)
        return parts

    def _variants(self, item: str, qualifier: str | None) -> list[str]:
        bare = _ARTICLE.sub("", item)
        names = [item, bare]
        if qualifier and not fold(item).endswith(fold(qualifier)):
            names += [f"{item} {qualifier}", f"{bare} {qualifier}"]
        return names

    def exact(self, item: str, qualifier: str | None = None) -> Match | None:
        """The body whose code, name or alias is exactly `item` (or a variant of it)."""
        names = self._variants(item, qualifier)
        for name in names:
            found = self._index.exact(name)
            if len(found) == 1:
                return Match(item, found[0].ma)
        for name in names:
            codes = self._keys.get(name_key(name), set())
            if len(codes) == 1:
                return Match(item, next(iter(codes)))
        return None

    def partial(self, item: str, qualifier: str | None) -> Match | None:
        """The one body a part of whose name `item` is, reported as such. One word is too
        little to go on ("Bộ" is in "Đảng bộ")."""
        if len(_ARTICLE.sub("", item).split()) < 2:
            return None
        for name in self._variants(item, qualifier):
            tier, found = self._known.match(name)
            if tier is not None and len(found) == 1:
                body = found[0]
                return Match(item, body.ma, note=f"“{item}” được hiểu là {body.ma} "
                                                 f"({body.ten}): khớp một phần, hãy kiểm tra")
        return None

    def loose(self, item: str, qualifier: str | None) -> Match:
        """A partial match when it is the only one; else a new body. Both are reported."""
        near = self.partial(item, qualifier)
        if near is not None:
            return near
        tier, found = self._known.match(item)
        listed = ", ".join(b.ma for b in found) if tier is not None and len(found) > 1 else ""
        # The name as written: a qualifier from the group ("phường") is not appended, so no
        # word the document does not have appears in the registry.
        name = item[0].upper() + item[1:] if item[:1].islower() and not _ARTICLE.match(item) else item
        body = self._add(name, item)
        reason = (f"“{item}” khớp với nhiều đơn vị ({listed}): tạm ghi là đơn vị mới {body.ma}"
                  if listed else f"“{item}” chưa có trong danh mục: thêm đơn vị mới, mã đề xuất "
                  f"{body.ma}")
        return Match(item, body.ma, new=True, note=reason)

    def _add(self, name: str, written: str) -> Body:
        existing = next((b for b in self.new_bodies if fold(b.ten) == fold(name)), None)
        if existing is not None:
            return existing
        code = propose_code(name, self._codes)
        aliases = [] if fold(written) == fold(name) else [written]
        body = Body(ma=code, ten=name, ten_khac=aliases)
        self.new_bodies.append(body)
        self._codes.add(code)
        self._index = Registry([*self.registry, *self.new_bodies])
        self._key_body(body)
        return body


def _qualifier(last: str) -> str | None:
    folded = fold(last)
    for word in QUALIFIERS:
        if folded.endswith(" " + fold(word)):
            return word
    return None


def _initial(letter: str) -> str:
    """The capital of a word's first letter without tone or vowel marks; Đ stays Đ."""
    if letter in "đĐ":
        return "Đ"
    return unicodedata.normalize("NFD", letter)[0].upper()


# Words that carry no meaning in a code: "Bộ Thông tin và Truyền thông" is BTTTT.
_CODE_SKIP = {"va", "cua", "thuoc", "truc", "ve", "voi", "cac", "nhung", "cho", "tai", "o"}
_PERSON = re.compile(r"^(?:đồng chí|đ/c|các đồng chí|các đ/c)\s+", re.IGNORECASE)
CODE_LETTERS = 8  # a code longer than this is not read at a glance


def propose_code(name: str, taken: set[str]) -> str:
    """Initials of the words ("Hội Người cao tuổi" -> HNCT), acronyms kept whole (UBND),
    the trailing "phường"/"xã", a leading "các"/"Đồng chí", connectives ("và", "của") and
    what follows a comma dropped; a person's role after " - " stands for the person
    ("Đồng chí Trưởng Ban … - Trưởng Tiểu ban" -> TTB); a digit added if the code is taken."""
    # After a comma a named body says more about itself; a class of bodies goes on.
    kept = name if _generic(name) else name.split(",")[0]
    base = _PERSON.sub("", _ARTICLE.sub("", kept.strip()))
    head, dash, role = base.rpartition(" - ")
    if dash and role[:1].isupper() and len(head.split()) >= 2:
        base = role
    words = [w for w in re.split(r"[\s\-–/]+", base) if w and fold(w) not in _CODE_SKIP]
    if len(words) > 1 and fold(words[-1]) in {fold(q) for q in QUALIFIERS}:
        words = words[:-1]
    letters: list[str] = []
    for word in words:
        letters_only = "".join(ch for ch in word if ch.isalnum())
        if not letters_only:
            continue
        if len(letters_only) > 1 and letters_only.isupper():
            letters.append(letters_only)
        else:
            letters.append(_initial(letters_only[0]))
        if sum(map(len, letters)) >= CODE_LETTERS:
            break
    code = "".join(letters) or "DV"
    if code not in taken:
        return code
    n = 2
    while f"{code}{n}" in taken:
        n += 1
    return f"{code}{n}"
