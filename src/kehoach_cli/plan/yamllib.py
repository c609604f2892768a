"""The PyYAML side of reading plans: libyaml's nodes, the full loader, and its errors in
Vietnamese.

Imported only when `fastyaml`'s line reader declines a text, or when a problem must be
located (`marks_of`): importing PyYAML costs a cold run a few tens of milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kehoach_cli.plan.fastyaml import NULLS
from kehoach_cli.plan.yamlio import (
    _DEPTH_MESSAGE,
    MAX_DEPTH,
    Marks,
    _fail,
    _position,
    _shape_problem,
)
from kehoach_cli.problems import Problem
from kehoach_cli.text import unsafe_reason

_FastLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _text_only(cls: type[Any]) -> type[Any]:
    """Keep only the null resolver, so every other plain scalar is a string."""
    cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return cls


@_text_only
class _Loader(_FastLoader):  # type: ignore[misc]
    """libyaml when present (ten times faster), text scalars only, no duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # PyYAML keeps the last of two equal keys; a plan with two `ma:` lines is a mistake.
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key “{key_node.value}”", key_node.start_mark
                    )
                seen.add(key_node.value)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


@_text_only
class _MarkLoader(yaml.SafeLoader):
    """Pure-Python loader used to find the line of a field once a problem is known."""


# PyYAML's reasons, in the words of the user; an unlisted one gets the generic sentence.
_SYNTAX_REASONS = [
    ("did not find expected ',' or ']'", "thiếu dấu “,” hoặc “]” trong danh sách [...]"),
    ("did not find expected ',' or '}'", "thiếu dấu “,” hoặc “}” trong bảng {...}"),
    ("mapping values are not allowed", "có dấu “: ” giữa dòng: đặt nội dung vào ngoặc kép "
     "hoặc dùng >-"),
    ("could not find expected ':'", "thiếu dấu “:” sau tên khóa"),
    ("did not find expected key", "thụt lề không khớp với các dòng trên"),
    ("expected <block end>", "thụt lề không khớp với các dòng trên"),
    ("did not find expected '-' indicator", "thụt lề của danh sách không khớp"),
    ("found unexpected end of stream", "tệp kết thúc khi chuỗi trong ngoặc kép chưa đóng"),
    ("found unknown escape character", "ký tự “\\” lạ trong ngoặc kép: dùng ngoặc đơn '...'"),
    ("found character that cannot start any token", "ký tự không được đứng đầu giá trị "
     "(như @ hoặc `): đặt giá trị vào ngoặc kép"),
    ("but found another document", "tệp chỉ được có một tài liệu YAML: bỏ dòng “---” ở giữa"),
    ("found duplicate %YAML directive", "dòng %YAML ghi hai lần"),
    ("found incompatible YAML document", "phiên bản YAML không hỗ trợ: bỏ dòng %YAML"),
    ("directive", "dòng bắt đầu bằng “%” không hợp lệ: đặt giá trị vào ngoặc kép"),
    ("found unhashable key", "tên khóa phải là văn bản, không phải danh sách hay bảng"),
    ("base64", "thẻ YAML (như !!binary) không được phép"),
    ("while scanning a quoted scalar", "chuỗi trong ngoặc kép chưa đóng"),
    ("while scanning a block scalar", "khối văn bản sau | hoặc > viết sai"),
    ("while scanning an anchor", "không dùng neo/bí danh YAML (& và *)"),
    ("while scanning an alias", "không dùng neo/bí danh YAML (& và *)"),
    ("while scanning a tag", "thẻ YAML (!...) không được phép"),
    ("expected alphabetic or numeric character", "ký tự lạ sau & hoặc *"),
    ("found unexpected ':'", "dấu “:” không đúng chỗ: đặt nội dung vào ngoặc kép"),
    ("found a tab character", "có ký tự Tab: YAML chỉ chấp nhận dấu cách"),
    ("expected the node content", "thiếu giá trị"),
    ("block sequence entries are not allowed", "dấu “- ” không đúng chỗ: kiểm tra thụt lề"),
    ("expected a single document", "tệp chỉ được có một tài liệu YAML: bỏ dòng “---” ở giữa"),
]


def _syntax_reason(problem: str) -> str:
    for english, vietnamese in _SYNTAX_REASONS:
        if english in problem:
            return vietnamese
    return "cấu trúc không đúng"



def _reader_problem(path: Path, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses to read (a control character): it has an offset, no mark."""
    line, column = _position(text, exc.position)
    code = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
    return Problem(path, line, column, "", f"có ký tự điều khiển U+{code:04X}, YAML không cho "
                   "phép; hãy xóa nó (thường do dán từ trang web hoặc Word)")


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(problem):
        message = ("thẻ YAML (như !!python/object) không được phép: kế hoạch chỉ chứa "
                   "văn bản, danh sách và bảng khóa")
    elif str(problem).startswith("duplicate key"):
        key = str(problem).removeprefix("duplicate key ")
        message = f"khóa {key} xuất hiện hai lần trong cùng một bảng; hãy giữ một"
    elif "found duplicate anchor" in str(problem) or "alias" in str(problem):
        message = "không dùng neo/bí danh YAML (& và *): hãy viết đầy đủ nội dung"
    else:
        message = (f"lỗi cú pháp YAML ({_syntax_reason(str(problem))}); kiểm tra thụt lề, "
                   "dấu “:” và dấu ngoặc kép")
    return Problem(path, line, column, "", message)


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NULLS = NULLS  # what the kept null resolver matches: the line reader's nulls


class _Decline(Exception):
    """The fast path meets something only the full loader handles (or words the error of)."""


def _node_parser() -> type[Any] | None:
    """libyaml's parser with the cut-down resolver (None without libyaml)."""
    base: type[Any] | None = getattr(getattr(yaml, "_yaml", None), "CParser", None)
    if base is None:
        return None

    class NodeParser(base):  # type: ignore[valid-type,misc]
        # libyaml calls these three from C for every node (373,000 times for 1,000 plans):
        # built-in callables cost a fraction of a Python method each. `resolve(kind, value,
        # implicit)` is asked only for a node without a tag (or with the bare "!"); `slice`
        # keeps its three arguments as the node's tag, and `_build` reads them, resolving
        # as the loaders' cut-down resolver does (`_text_only`: only null is implicit).
        resolve: Any = slice
        descend_resolver: Any = {}.get  # (parent, index): no path resolvers, nothing to track
        ascend_resolver: Any = tuple  # (): nothing to track

    return NodeParser


_NodeParser = _node_parser()


def _fast_load(text: str) -> Any:
    """Plain data from libyaml's nodes, built here without PyYAML's constructor.

    For the plans the tool and people write (text scalars, lists, tables) it builds what
    `_Loader` builds, 3-4 times faster; anything else (a tag, an alias, a repeated or
    non-text key, a syntax error, several documents) raises `_Decline`, and the caller
    loads the text again with `_Loader`, which refuses or words it as before.
    """
    if _NodeParser is None:
        raise _Decline
    try:
        parser = _NodeParser(text)
    except UnicodeEncodeError:  # a lone surrogate (text not read from a file): PyYAML words it
        raise _Decline from None
    try:
        node = parser.get_single_node()
    except yaml.YAMLError:
        raise _Decline from None
    finally:
        parser.dispose()
    if node is None:
        return None
    # An alias makes libyaml hand back the node of its anchor again; without a "*" in the
    # text there is none, and nodes need not be tracked.
    seen: set[int] | None = set() if "*" in text else None
    try:
        return _build(node, seen, 0)
    except RecursionError:
        raise _Decline from None


def _build(node: Any, seen: set[int] | None, depth: int) -> Any:
    # A node's tag is a `slice` when it had none (see `NodeParser`): then a sequence is a
    # list, a mapping a table, and a scalar text, or null when plain (`implicit[0]`) and
    # spelled as one. A tag written out is a string: only str, null, seq and map are built.
    # Scalars (four in five nodes) are read in their parent's loop, not by a call each.
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar(node)
    if depth >= MAX_DEPTH:  # nesting no plan has: the full loader refuses it with its message
        raise _Decline
    if seen is not None:
        if id(node) in seen:  # an alias: the full loader refuses it with its message
            raise _Decline
        seen.add(id(node))
    scalar: Any = yaml.ScalarNode  # Any: the stubs say a tag is always a str
    untagged = slice
    tag: Any = node.tag  # a str or a slice, whatever the stubs say
    if kind is yaml.SequenceNode and (type(tag) is untagged or tag == _SEQ):
        items: list[Any] = []
        for item in node.value:
            if type(item) is scalar and type(tag := item.tag) is untagged and (
                    not tag.step[0] or item.value not in _NULLS):
                items.append(item.value)
            else:
                items.append(_build(item, seen, depth + 1))
        return items
    if kind is not yaml.MappingNode or not (type(tag) is untagged or tag == _MAP):
        raise _Decline
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if type(key_node) is not scalar:
            raise _Decline
        if type(tag := key_node.tag) is untagged and (
                not tag.step[0] or key_node.value not in _NULLS):
            key = key_node.value  # inline, as for values: 56,000 keys in a 10,000-task plan
        else:
            key = _scalar(key_node)
        if key is None or key in out:
            raise _Decline
        if type(value_node) is scalar and type(tag := value_node.tag) is untagged and (
                not tag.step[0] or value_node.value not in _NULLS):
            out[key] = value_node.value
        else:
            out[key] = _build(value_node, seen, depth + 1)
    return out


def _scalar(node: Any) -> Any:
    tag = node.tag
    if type(tag) is slice:
        return None if tag.step[0] and node.value in _NULLS else node.value
    if tag == _STR:
        return node.value
    if tag == _NULL:
        return None
    raise _Decline


def load(path: Path, text: str) -> Any:
    """libyaml's nodes, else PyYAML's full loader, which refuses or words every problem."""
    try:
        return _fast_load(text)
    except _Decline:
        pass
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.reader.ReaderError as exc:
        _fail(_reader_problem(path, text, exc))
    except UnicodeEncodeError as exc:  # a lone surrogate: only text not read from a file
        line, column = _position(text, exc.start)
        _fail(Problem(path, line, column, "", unsafe_reason((exc.start, text[exc.start]))))
    except yaml.YAMLError as exc:
        _fail(_yaml_problem(path, exc))
    except RecursionError:  # the pure-Python parser recurses once per level of nesting
        _fail(Problem(path, None, None, "", _DEPTH_MESSAGE))
    shape = _shape_problem(data)
    if shape is not None:
        _fail(Problem(path, None, None, "", shape))
    return data


def marks_of(text: str) -> Marks:
    """Positions of every node; only called when there is a problem to locate."""
    marks = Marks()
    try:
        root = yaml.compose(text, Loader=_MarkLoader)
    except (yaml.YAMLError, RecursionError):
        return marks
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop()
        marks.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                child = (*loc, key_node.value)
                marks.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
    return marks
