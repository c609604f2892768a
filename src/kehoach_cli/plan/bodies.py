"""The body registry (`don_vi`) of a plan, and body names as people type them.

People name a body by its code ("MTTQ"), its full name or an alias, in any case, with or
without diacritics, NFC or NFD, with old or new tone placement, or by a distinctive part of
a name ("thanh niên" for Đoàn TNCS Hồ Chí Minh). Every comparison goes through
`text.fold`, so all of those spellings meet.

Matching runs in tiers and the best non-empty tier decides: an exact code, name or alias
beats a phrase inside a name, which beats words found scattered in a name. Several bodies in
the deciding tier is `Ambiguous` (the message lists them); none at all is `NotFound` with the
closest names suggested.

Each plan has its own registry, so with several plans a name is resolved per plan
(`resolve_in_plans`); it is unknown only when no plan knows it.

Groups: a body whose `thanh_vien` lists members (CT-XH: ĐTN, HLHPN, ...) is a group, and a
member is responsible for what is given to its group. `task_roles_for` returns those roles
with the group they come through ("qua nhóm CT-XH"). Groups may nest; cycles are ignored.

Public API (used by list/show/don-vi, the journal and reports):

    registry_of(plan) -> Registry                  cached per plan object
    resolve_body(plan, text) -> Body               raises NotFound / Ambiguous
    resolve_in_plans(plans, text) -> list[Resolved]  per plan; raises when none resolves
    task_roles_for(code, task, registry) -> list[TaskRole]
    Registry.get(code), Registry.groups_of(code), Registry.label(code)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from kehoach_cli.errors import Ambiguous, NotFound
from kehoach_cli.plan.model import ROLE_SHORT, Body, Plan, Role, Task
from kehoach_cli.text import first_unsafe, fold, unsafe_reason

if TYPE_CHECKING:
    from kehoach_cli.plan.loader import LoadedPlan

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_COMPACT: dict[str, str] = {}


def _compact(folded: str) -> str:
    """Letters and digits only: "ct - xh", "ct xh" and "ctxh" meet."""
    compact = _COMPACT.get(folded)
    if compact is None:
        compact = _COMPACT[folded] = _NON_ALNUM.sub("", folded)
    return compact


# Abbreviations written inside body names, and what they stand for (folded). "Việt Nam"
# is dropped: "MTTQ VN", "Ủy ban MTTQ Việt Nam" and "Mặt trận Tổ quốc" name one body.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc", "ubmttqvn": "uy ban mat tran to quoc",
    "mttqvn": "mat tran to quoc", "ub": "uy ban", "mt": "mat tran", "tncs": "thanh nien cong san",
    "hcm": "ho chi minh", "lhpn": "lien hiep phu nu", "ccb": "cuu chien binh", "tt": "thuong truc",
    "btv": "ban thuong vu", "bch": "ban chap hanh", "btt": "ban thuong truc",
    "ctxh": "chinh tri xa hoi", "ubkt": "uy ban kiem tra", "vn": "",
    "d/c": "dong chi", "dc": "dong chi", "uv": "uy vien", "pct": "pho chu tich",
}
_LOCALITY = {"phuong", "xa", "thi tran"}
_KEYS: dict[str, str] = {}


def name_key(text: str) -> str:
    """A body name reduced to what identifies it: folded, abbreviations spelled out,
    "Việt Nam", a leading "các" and a trailing locality ("xã Lương Minh", "phường") dropped.

    "Ủy ban MTTQ Việt Nam xã Lương Minh", "UBMTTQ xã" and "Ủy ban Mặt trận Tổ quốc" give one
    key; "Ủy ban MTTQ tỉnh" does not (a superior level is another body)."""
    key = _KEYS.get(text)
    if key is not None:
        return key
    words = text.split()
    for i in range(len(words) - 1, 0, -1):
        # "xã", "phường", "thị trấn" followed only by capitalised words (a place name).
        head = fold(words[i])
        two = fold(" ".join(words[i - 1:i + 1]))
        if (head in _LOCALITY or two in _LOCALITY) and all(w[:1].isupper() for w in words[i + 1:]):
            words = words[: i - 1] if two in _LOCALITY and head not in _LOCALITY else words[:i]
            break
    folded = re.sub(r"\bct\s*-\s*xh\b", "ctxh", fold(" ".join(words)))
    folded = re.sub(r"\bd\s*/\s*c\b", "d/c", folded)
    out: list[str] = []
    for word in re.split(r"[^0-9a-z/]+", folded):
        out += _ABBREVIATIONS.get(word, word).split()
    joined = re.sub(r"\bviet nam\b", " ", " ".join(out))
    joined = re.sub(r"^(?:cac|nhung)\s+", "", " ".join(joined.split()))
    _KEYS[text] = joined
    return joined


class Tier:
    """How well a name matched; lower is better."""

    EXACT = 0  # the whole code, name or alias
    PHRASE = 1  # consecutive whole words of a name ("thanh niên")
    WORDS = 2  # every typed word starts a word of the name, in any order


# Small result types are NamedTuples, not dataclasses: every dataclass costs about 0.7 ms of
# start-up (it compiles its methods), and these modules load on every `list`.
class TaskRole(NamedTuple):
    """A role a body holds on a task; `via_group` is the group code it comes through."""

    role: Role
    via_group: str | None = None

    def label(self) -> str:
        return role_label(self.role, self.via_group)


def role_label(role: Role, via_group: str | None) -> str:
    """"tham mưu, thực hiện" or "tham mưu, thực hiện (qua nhóm CT-XH)"."""
    text = ROLE_SHORT[role]
    return f"{text} (qua nhóm {via_group})" if via_group else text


class Resolved(NamedTuple):
    """A name resolved in one plan of a workspace."""

    plan: LoadedPlan
    body: Body


class Registry:
    """A plan's bodies, indexed by code and by the folded forms of their names."""

    def __init__(self, bodies: list[Body]) -> None:
        self.bodies = bodies
        self.by_code: dict[str, Body] = {}
        self._groups: dict[str, list[str]] = {}  # member -> its direct groups
        self._spellings: list[tuple[Body, str, str]] = []  # body, folded, compact
        self._exact: dict[str, list[Body]] | None = None  # built on first `exact`
        self._members: dict[str, frozenset[str]] = {}
        # A workspace's plans share one Registry per distinct list of bodies (`registry_of`):
        # `list --don-vi MTTQ` over 1,000 plans asks the same registry the same name 1,000 times.
        self._matches: dict[str, tuple[int | None, list[Body]]] = {}
        for body in bodies:
            self.by_code.setdefault(body.ma, body)
            for spelling in (body.ma, body.ten, *body.ten_khac):
                folded = fold(spelling)
                self._spellings.append((body, folded, _compact(folded)))
            for member in body.thanh_vien:
                self._groups.setdefault(member, []).append(body.ma)

    def exact(self, text: str) -> list[Body]:
        """The bodies whose code, name or alias is `text` exactly (folded, or letters and
        digits alone): `match`'s first tier, by lookup rather than by scanning every name."""
        if self._exact is None:
            index: dict[str, list[Body]] = {}
            for body, folded, squeezed in self._spellings:
                for key in (folded, "\0" + squeezed):
                    bucket = index.setdefault(key, [])
                    if body not in bucket:
                        bucket.append(body)
            self._exact = index
        query = fold(text)
        found = list(self._exact.get(query, []))
        found += [b for b in self._exact.get("\0" + _compact(query), []) if b not in found]
        return found

    def get(self, code: str) -> Body | None:
        """The body with this exact code, if any."""
        return self.by_code.get(code)

    def label(self, code: str) -> str:
        """"MTTQ – Ủy ban Mặt trận Tổ quốc Việt Nam phường", or the bare code if unknown."""
        body = self.by_code.get(code)
        return f"{code} – {body.ten}" if body else code

    def groups_of(self, code: str) -> list[str]:
        """Every group `code` belongs to, nearest first (groups may nest; cycles ignored)."""
        found: list[str] = []
        todo = list(self._groups.get(code, []))
        while todo:
            group = todo.pop(0)
            if group in found or group == code:
                continue
            found.append(group)
            todo.extend(self._groups.get(group, []))
        return found

    def members_of(self, code: str) -> frozenset[str]:
        """`code` and every member under it through nested groups (cycles ignored): the
        bodies whose notes speak for it. The one rule for "qua nhóm" membership."""
        found = self._members.get(code)
        if found is None:
            seen = {code}
            todo = [code]
            while todo:
                body = self.by_code.get(todo.pop())
                for member in body.thanh_vien if body else ():
                    if member not in seen:
                        seen.add(member)
                        todo.append(member)
            found = self._members[code] = frozenset(seen)
        return found

    def candidates(self, text: str) -> list[Body]:
        """The bodies `text` names, best tier only, in registry order (empty if none)."""
        return self.match(text)[1]

    def match(self, text: str) -> tuple[int | None, list[Body]]:
        """The best tier `text` reaches and the bodies named at that tier."""
        found = self._matches.get(text)
        if found is None:
            found = self._matches[text] = self._match(text)
        return found[0], list(found[1])  # a copy: callers may extend theirs

    def _match(self, text: str) -> tuple[int | None, list[Body]]:
        query = fold(text)
        compact = _compact(query)
        if not compact:
            return None, []
        words = query.replace(" - ", " ").split()
        padded = f" {' '.join(words)} "
        best: dict[int, list[Body]] = {}
        for body, folded, squeezed in self._spellings:
            tier = _tier(query, compact, padded, words, folded, squeezed)
            if tier is not None and body not in best.setdefault(tier, []):
                best[tier].append(body)
        if not best:
            return None, []
        tier = min(best)
        return tier, best[tier]

    def resolve(self, text: str) -> Body:
        """The one body `text` names; raises `Ambiguous` or `NotFound` (with suggestions)."""
        _require_name(text)
        found = self.candidates(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise Ambiguous(ambiguous_message(text, found))
        raise NotFound(unknown_message(text, self.suggest(text)))

    def suggest(self, text: str, n: int = 3) -> list[Body]:
        """The bodies whose code, name or alias is closest to `text` (difflib on folded forms)."""
        return _closest(fold(text), [(body, folded) for body, folded, _ in self._spellings], n)


def _tier(query: str, compact: str, padded: str, words: list[str],
          folded: str, squeezed: str) -> int | None:
    if query == folded or compact == squeezed:
        return Tier.EXACT
    name_words = folded.replace(" - ", " ").split()
    if padded in f" {' '.join(name_words)} ":
        return Tier.PHRASE
    pool = list(name_words)
    for word in words:
        hit = next((w for w in pool if w.startswith(word)), None)
        if hit is None:
            return None
        pool.remove(hit)
    return Tier.WORDS


_CUTOFF = 0.66
_MARGIN = 0.12


def _closest(query: str, spellings: list[tuple[Body, str]], n: int) -> list[Body]:
    scored: dict[str, tuple[float, Body]] = {}
    for body, folded in spellings:
        ratio = difflib.SequenceMatcher(None, query, folded).ratio()
        if ratio >= _CUTOFF and ratio > scored.get(body.ma, (0.0, body))[0]:
            scored[body.ma] = (ratio, body)
    ranked = sorted(scored.values(), key=lambda item: -item[0])
    # Only names about as close as the best: one clear suggestion beats three vague ones.
    return [body for ratio, body in ranked[:n] if ratio >= ranked[0][0] - _MARGIN]


def _require_name(text: str) -> None:
    bad = first_unsafe(text, multiline=False)
    if bad:  # bytes that were not UTF-8 fold to nothing: say so rather than "empty"
        raise NotFound(f"tên đơn vị “{text}” {unsafe_reason(bad)}")
    if not _compact(fold(text)):
        raise NotFound("tên đơn vị đang để trống: hãy gõ mã (ví dụ MTTQ) hoặc tên đơn vị")


def _describe(bodies: Iterable[Body]) -> str:
    return "; ".join(f"{b.ma} ({b.ten})" for b in bodies)


def ambiguous_message(text: str, bodies: list[Body]) -> str:
    return (f"tên đơn vị “{text}” khớp với nhiều đơn vị: {_describe(bodies)}; "
            "hãy gõ rõ hơn hoặc dùng mã đơn vị")


def unknown_message(text: str, close: list[Body]) -> str:
    hint = f"; có phải ý là: {_describe(close)}?" if close else ""
    return f"không có đơn vị “{text}” trong danh mục{hint} (xem danh mục: kehoach don-vi)"


_REGISTRIES: dict[int, tuple[Plan, Registry]] = {}
_BY_CONTENT: dict[bytes, Registry] = {}


def registry_of(plan: Plan | LoadedPlan) -> Registry:
    """The registry of a plan, built once per plan object."""
    real = plan if isinstance(plan, Plan) else plan.plan
    cached = _REGISTRIES.get(id(real))
    if cached is not None and cached[0] is real:
        return cached[1]
    # Plans of one workspace mostly declare the same bodies (the ward's): one Registry per
    # distinct list, so 1,000 plans fold their names once, and the state rule's per-registry
    # memo (`query/state._shape`) serves them all.
    import msgspec

    content = msgspec.msgpack.encode(real.don_vi)
    registry = _BY_CONTENT.get(content)
    if registry is None:
        registry = _BY_CONTENT[content] = Registry(list(real.don_vi))
    _REGISTRIES[id(real)] = (real, registry)
    return registry


def resolve_body(plan: Plan | LoadedPlan, text: str) -> Body:
    """Resolve a typed body name in one plan; raises `NotFound` or `Ambiguous`."""
    return registry_of(plan).resolve(text)


def resolve_in_plans(plans: Iterable[LoadedPlan], text: str) -> list[Resolved]:
    """Resolve a typed name in every plan that knows it, one `Resolved` per such plan.

    The best tier over all plans decides (an exact name in one plan beats a partial match in
    another). Raises `Ambiguous` if the name is ambiguous in a plan at that tier, and
    `NotFound` (with the closest names of all plans) if no plan knows it.
    """
    _require_name(text)
    plans = list(plans)
    per_plan: list[tuple[int, LoadedPlan, list[Body]]] = []
    for loaded in plans:
        tier, found = registry_of(loaded).match(text)
        if tier is not None:
            per_plan.append((tier, loaded, found))
    if not per_plan:
        spellings = [(b, folded) for p in plans for b, folded, _ in registry_of(p)._spellings]
        raise NotFound(unknown_message(text, _unique(_closest(fold(text), spellings, 9))[:3]))
    tier = min(t for t, _, _ in per_plan)
    chosen = [(p, found) for t, p, found in per_plan if t == tier]
    for loaded, found in chosen:
        if len(found) > 1:
            where = f" (kế hoạch {loaded.key})" if len(plans) > 1 else ""
            raise Ambiguous(ambiguous_message(text, found) + where)
    return [Resolved(loaded, found[0]) for loaded, found in chosen]


def _unique(bodies: list[Body]) -> list[Body]:
    seen: set[tuple[str, str]] = set()
    out = []
    for body in bodies:
        if (body.ma, body.ten) not in seen:
            seen.add((body.ma, body.ten))
            out.append(body)
    return out


_ROLE_FIELDS = tuple((role, role.value) for role in Role)  # iterating an Enum is slow


def task_roles_for(code: str, task: Task, registry: Registry,
                   groups: Sequence[str] | None = None) -> list[TaskRole]:
    """The roles body `code` holds on `task`: its own, then those through its groups
    (`groups`, when the caller has `registry.groups_of(code)` at hand already).

    A role the body holds itself is not repeated through a group.
    """
    if groups is None:
        groups = registry.groups_of(code) if code in registry._groups else ()
    out: list[TaskRole] = []
    for role, name in _ROLE_FIELDS:
        assigned: list[str] = getattr(task, name)
        if not assigned:
            continue
        if code in assigned:
            out.append(TaskRole(role))
            continue
        for group in groups:
            if group in assigned:
                out.append(TaskRole(role, group))
                break
    return out
