"""From a parsed draft to plan data: bodies matched to codes, timeframes read, documents cited.

The result is plain data in the shape of a plan file (what `emit.py` writes and `kehoach
check` validates), comments to write beside some of its fields, and the notes listing what
needs a human look. Nothing is filled in that the document does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kehoach_cli.importer.parse import FROM_HEADING, TIME, Draft, DraftTask, Note
from kehoach_cli.importer.refs import Citation, bare_numbers, find_citations
from kehoach_cli.importer.sentences import ASSIGN, VERBS, roles_in_sentence
from kehoach_cli.importer.split_bodies import BodyMatcher, split_names
from kehoach_cli.importer.timeframes import find_timeframe, read_timeframe
from kehoach_cli.plan.bodies import Registry
from kehoach_cli.plan.model import Body, Role
from kehoach_cli.text import fold

Path_ = tuple[Any, ...]
# "…, Đảng ủy ban hành Kế hoạch thực hiện như sau:" closes a preamble and names the issuer.
_ISSUES = re.compile(
    r",\s*(?P<who>[^,]{2,60}?)\s+(?:ban hành|xây dựng|triển khai)\s+(?:kế hoạch|chương trình)"
    r"[^,]*$",
    re.IGNORECASE,
)
@dataclass
class Built:
    """Plan data, comments keyed by field path, and the notes to review."""

    data: dict[str, Any]
    comments: dict[Path_, list[str]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    new_bodies: list[Body] = field(default_factory=list)


class Builder:
    def __init__(self, draft: Draft, registry: list[Body], known: list[Body]) -> None:
        self.draft = draft
        self.matcher = BodyMatcher(list(registry), known_spellings=list(known))
        self.registry = list(registry)
        self.comments: dict[Path_, list[str]] = {}
        self.notes = list(draft.notes)
        self.used: set[str] = set()  # codes assigned anywhere, to choose the bodies written
        self.conveyed: tuple[int, str] | None = None  # whose opinion a công văn conveys
        years = re.findall(r"\bnăm (\d{4})\b", " ".join(draft.trich_yeu))
        self.year = int(years[-1]) if len(set(years)) == 1 else None  # "… năm 2026"

    def comment(self, path: Path_, text: str) -> None:
        self.comments.setdefault(path, []).append(text)

    def flag(self, no: int, text: str, path: Path_ | None = None) -> None:
        self.notes.append(Note(no, text))
        if path is not None:
            self.comment(path, f"CẦN KIỂM TRA ({no}): {text}")

    def build(self) -> Built:
        draft = self.draft
        meta: dict[str, Any] = {
            "ma": None,
            "loai_van_ban": draft.loai_van_ban,
            "so_ky_hieu": draft.so_ky_hieu,
            "co_quan_cap_tren": draft.co_quan[-2] if len(draft.co_quan) >= 2 else None,
            "co_quan_ban_hanh": draft.co_quan[-1] if draft.co_quan else None,
            "dia_danh": draft.dia_danh,
            "ngay": draft.ngay,
            "trich_yeu": " ".join(draft.trich_yeu) or None,
        }
        mo_dau = "\n".join(text for _, text in draft.mo_dau) or None
        meta["mo_dau"] = mo_dau
        self.conveyed = _conveyed(draft.mo_dau)
        if self.conveyed is not None:
            self.flag(self.conveyed[0], f"văn bản truyền đạt ý kiến của “{self.conveyed[1]}”: "
                                        "ghi là cơ quan chỉ đạo của mọi nhiệm vụ, hãy kiểm tra")
        meta["can_cu"] = self._can_cu(meta["trich_yeu"], mo_dau, meta)
        meta["muc_dich_yeu_cau"] = [text for _, text in draft.muc_dich]
        sections = [self._section(i, s) for i, s in enumerate(draft.sections)]
        meta["to_chuc_thuc_hien"] = [self._org(i, no, text)
                                     for i, (no, text) in enumerate(draft.to_chuc)]
        meta["noi_nhan"] = list(draft.noi_nhan)
        meta["ky"] = {key: draft.ky.get(key) for key in ("thay_mat", "chuc_vu", "ho_ten")}
        if meta["trich_yeu"] is None:
            self.comment(("ke_hoach", "trich_yeu"), "CẦN ĐIỀN: văn bản không có trích yếu nhận ra được")
        data: dict[str, Any] = {"luoc_do": 1, "ke_hoach": meta,
                                "don_vi": self._registry_out(), "noi_dung": sections}
        return Built(data, self.comments, self.notes, self.matcher.new_bodies)

    # --- header ----------------------------------------------------------------------------

    def _can_cu(self, trich_yeu: str | None, mo_dau: str | None,
                meta: dict[str, Any]) -> list[dict[str, Any]]:
        """The documents the plan implements: those of the subject line and the preamble.

        The preamble gives the order; the subject line's wording wins where both cite a
        document (it is the formal text)."""
        preamble = mo_dau or ""
        if match := _ISSUES.search(preamble):
            preamble = preamble[: match.start()]
            if meta["co_quan_ban_hanh"] is None:
                meta["co_quan_ban_hanh"] = match.group("who").strip()
        if meta["co_quan_ban_hanh"] is None and self.draft.ky.get("thay_mat"):
            self.notes.append(Note(0, "không rõ cơ quan ban hành: xem khối chữ ký "
                                      f"“{self.draft.ky['thay_mat']}” và điền `co_quan_ban_hanh`"))
        from_title = {c.so_ky_hieu: c for c in find_citations(trich_yeu or "")}
        ordered: dict[str, Citation] = {}
        for cite in find_citations(preamble):
            ordered.setdefault(cite.so_ky_hieu, cite)
        for number, cite in from_title.items():
            ordered.setdefault(number, cite)
        out = []
        for number, cite in ordered.items():
            best = from_title.get(number, cite)
            merged = {**cite.as_data(), **best.as_data()}
            out.append(merged)
        return out

    # --- bodies ----------------------------------------------------------------------------

    def _registry_out(self) -> list[dict[str, Any]]:
        """The bodies used, with the members of the groups used, in registry order; then the
        new ones."""
        registry = Registry(list(self.registry))
        used = set().union(set(), *(registry.members_of(code) for code in self.used))
        out = [_body_data(b) for b in self.registry if b.ma in used]
        out += [_body_data(b) for b in self.matcher.new_bodies]
        return out

    def _codes(self, no: int, text: str, path: Path_, where: str = "") -> list[str]:
        """The codes of a list of bodies; `where` names a table cell in the review list."""
        codes = []
        at = f"{where}: " if where else ""
        for match in self.matcher.split(text):
            codes.append(match.code)
            self.used.add(match.code)
            if match.note:
                self.flag(no, at + match.note, path)
        if not codes:
            self.flag(no, f"{at}không tách được đơn vị nào từ “{text}”", path)
        return codes

    def _heading_body(self, no: int, text: str, path: Path_) -> list[str]:
        codes = []
        for match in self.matcher.heading(text):
            codes.append(match.code)
            self.used.add(match.code)
            if match.note:
                self.flag(no, match.note, path)
        return codes

    # --- tasks -----------------------------------------------------------------------------

    def _section(self, index: int, section: Any) -> dict[str, Any]:
        path: Path_ = ("noi_dung", index)
        tasks = [self._task((*path, "nhiem_vu", i), task) for i, task in enumerate(section.tasks)]
        if section.tieu_de is None:
            self.comment((*path, "tieu_de"), "CẦN ĐIỀN: văn bản không có dòng tiêu đề của mục này")
        if len(section.tasks) == 1 and section.tasks[0].ma == section.ma:
            self.comment(path, f"Mục {section.ma} không có mục con: nhiệm vụ mang số “{section.ma}”.")
        return {"ma": section.ma, "tieu_de": section.tieu_de, "nhiem_vu": tasks}

    def _task(self, path: Path_, task: DraftTask) -> dict[str, Any]:
        content = "\n".join(task.content).strip()
        out: dict[str, Any] = {"ma": task.ma, "noi_dung": content or None}
        if not content:
            self.flag(task.no, f"nhiệm vụ {task.ma} không có nội dung", path)
        if task.cac_y:
            out["cac_y"] = list(task.cac_y)
        out.update(self._task_roles(path, task))
        notes = list(task.ghi_chu)
        timeframe = self._task_time(path, task, notes)
        if timeframe is not None:
            out["thoi_gian"] = timeframe
        refs = self._refs(task, path)
        if refs:
            out["van_ban_lien_quan"] = refs
        if notes:
            out["ghi_chu"] = "\n".join(notes)
        return out

    def _task_roles(self, path: Path_, task: DraftTask) -> dict[str, list[str]]:
        """Role key -> body codes: from role lines, else from the task's sentences; a công
        văn's conveyed opinion ("Phó Thủ tướng … có ý kiến như sau:") directs every task."""
        out: dict[str, list[str]] = {}
        for role in Role:
            raw = task.roles.get(role.value)
            if raw is None:
                continue
            key = (*path, role.value)
            codes = (self._heading_body(raw.no, raw.text, key) if raw.label == FROM_HEADING
                     else self._codes(raw.no, raw.text, key, raw.where))
            if len([i for group in split_names(raw.text) for i in group]) > 1:
                self.comment(key, raw.text)
            out[role.value] = codes
        if not out:
            out = self._sentence_roles(path, task)
            if not out:
                self.flag(task.no, f"nhiệm vụ {task.ma} không có dòng phân công đơn vị nào", path)
        if self.conveyed is not None and Role.CHI_DAO.value not in out:
            no, who = self.conveyed
            out[Role.CHI_DAO.value] = self._codes(no, who, (*path, Role.CHI_DAO.value))
        return {role.value: out[role.value] for role in Role if role.value in out}

    def _task_time(self, path: Path_, task: DraftTask, notes: list[str]) -> Any:
        """The timeframe: its line, shortened to its dates (the words as written go to
        `notes`), else a timeframe phrase in the task's text; None when there is neither."""
        raw = task.roles.get(TIME)
        if raw is not None:
            read = read_timeframe(raw.text, self.year)
            if read.doubt:
                at = f"{raw.where}: " if raw.where else ""
                self.flag(raw.no, at + read.doubt, (*path, "thoi_gian"))
            if read.written:
                notes.insert(0, f"{raw.label}: {read.written}")
            return read.value
        phrase = find_timeframe(" ".join([*task.content, *task.cac_y]))
        found = read_timeframe(phrase) if phrase else None
        if found is not None and isinstance(found.value, str):
            self.flag(task.no, f"nhiệm vụ {task.ma}: thời gian “{phrase}” đọc từ nội dung "
                               "(không có dòng thời gian riêng), hãy kiểm tra", (*path, "thoi_gian"))
            return found.value
        self.flag(task.no, f"nhiệm vụ {task.ma} không ghi thời gian thực hiện", path)
        return None

    def _sentence_roles(self, path: Path_, task: DraftTask) -> dict[str, list[str]]:
        """Bodies a task without role lines names in its own sentences ("Giao Công an tỉnh
        chủ trì, phối hợp với …", "Các sở, ban, ngành … tiếp tục …"), or else in its first
        bullet that names one ("- Ban Thường trực UBMTTQ xã theo dõi, đôn đốc …"); reported."""
        sentences = [part for line in task.content for part in re.split(r"(?<=\.)\s+", line)]
        found: dict[str, str] = {}
        text = ""
        for text in [*sentences, *task.cac_y]:
            found = roles_in_sentence(text)
            if found:
                break
        out: dict[str, list[str]] = {}
        for key, raw in found.items():
            codes = self._codes(task.no, raw, (*path, key))
            if codes:
                out[key] = codes
        if out:
            self.flag(task.no, f"nhiệm vụ {task.ma}: đơn vị được đọc từ câu “{text[:80]}…”, "
                               "hãy kiểm tra vai trò", path)
        return out

    def _refs(self, task: DraftTask, path: Path_) -> list[dict[str, Any]]:
        text = "\n".join([*task.content, *task.cac_y])
        cites = find_citations(text)
        seen: dict[str, dict[str, Any]] = {}
        for cite in cites:
            seen.setdefault(cite.so_ky_hieu, cite.as_data())
        for number in bare_numbers(text, cites):
            self.flag(task.no, f"nhiệm vụ {task.ma} nhắc số hiệu “{number}” mà không rõ loại văn "
                               "bản: chưa đưa vào van_ban_lien_quan", path)
        return list(seen.values())

    # --- organisation of implementation ----------------------------------------------------

    def _org(self, index: int, no: int, text: str) -> dict[str, Any]:
        """An item of "Tổ chức thực hiện": the bodies are those named before its first verb."""
        path: Path_ = ("ke_hoach", "to_chuc_thuc_hien", index)
        subject = ASSIGN.sub("", text)
        verb = VERBS.search(subject)
        subject = subject[: verb.start()] if verb else ""
        codes: list[str] = []
        if subject:
            for match in self.matcher.split(subject, create=False):
                codes.append(match.code)
                self.used.add(match.code)
                if match.note:
                    self.flag(no, match.note, path)
        if not codes:
            self.flag(no, "không rõ đơn vị được giao ở mục tổ chức thực hiện này: "
                          "hãy điền `don_vi` nếu cần", path)
        return {"noi_dung": text, "don_vi": codes}


# "…, Phó Thủ tướng Vũ Văn Ninh có ý kiến như sau:" ends a công văn's preamble.
_CONVEYS = re.compile(r"(?:^|[,;.]\s*)(?P<who>[^,;.]{3,80}?)\s+(?:đã\s+)?(?:có ý kiến|kết luận|"
                      r"chỉ đạo)(?:\s+chỉ đạo)?\s+như sau\s*:?\s*$", re.IGNORECASE)


def _conveyed(preamble: list[tuple[int, str]]) -> tuple[int, str] | None:
    """Whose opinion the document conveys, when its preamble ends by saying so."""
    if not preamble:
        return None
    no, text = preamble[-1]
    match = _CONVEYS.search(text)
    return (no, match.group("who").strip()) if match else None


def _body_data(body: Body) -> dict[str, Any]:
    data: dict[str, Any] = {"ma": body.ma, "ten": body.ten}
    if body.ten_khac:
        data["ten_khac"] = list(body.ten_khac)
    if body.thanh_vien:
        data["thanh_vien"] = list(body.thanh_vien)
    return data


def build(draft: Draft, registry: list[Body], known: list[Body] | None = None) -> Built:
    """Plan data for `draft`, matching bodies against `registry` (may be empty); the
    spellings of `known` bodies also count for the registry's bodies with their codes."""
    return Builder(draft, registry, known or []).build()


__all__ = ["Built", "build", "fold"]
