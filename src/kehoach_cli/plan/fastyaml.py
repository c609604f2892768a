"""A line reader for the block YAML plans are written in: 2× faster than libyaml's nodes.

Plans, as `nhap` writes them and as people edit them, are block mappings and sequences of
one-line scalars: `ma: "1.1"`, `noi_dung: Tuyên truyền…`, `chi_dao: [ĐU]`, `- ma: MTTQ`.
For a plan of 10,000 tasks (2.8 MB), building its data from libyaml's nodes
(`yamllib._fast_load`) is most of a cold run: libyaml makes a node and two marks per scalar,
which Python then walks again. Read line by line, the same text gives the same data in half
the time.

This reader is a fast path only, and a strict one: it accepts a small, plain subset of
YAML and raises `Decline` on anything else, before building anything wrong, so that the
caller loads the text through libyaml as before (which also words every syntax error).
Long texts in `>-` (folded) and `|-` (literal) blocks, as `nhap` wraps them, are read too.
Declined: other block headers (`>+`, `|2`, a comment after one), blocks that start with an
empty line or hold a more indented line, plain scalars over several lines, quotes with escapes or
comments after them, flow mappings, nested flow sequences, anchors, aliases, tags,
document markers, keys that are quoted, null or longer than libyaml allows, repeated keys,
tabs and other characters that are not printable, sequences not indented under their key
and followed by a sibling key. Every plain scalar is text and only the null spellings are
null, as in `yamllib` (the plan loader resolves nothing else implicitly).
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32  # plans nest 8 levels; deeper goes to the full loader, which has the limit
_MAX_KEY = 1024  # libyaml refuses an implicit key longer than this


class Decline(Exception):
    """The text is outside the subset read here: load it with the full YAML loader."""


NULLS = frozenset({"~", "null", "Null", "NULL", ""})  # what YAML 1.1 reads as null
# A plain scalar may not start with an indicator (YAML 1.1, 7.3.3); "-", "?" and ":" may
# when followed by a non-space, but such values are rare enough to leave to libyaml.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_BAD = frozenset("[]{}\"'#:")


def _flow_items(value: str) -> list[Any]:
    """`[a, "b, c", ~]`: plain names, or double-quoted ones without escapes."""
    inner = value[1:-1].strip(" ")
    if not inner:
        return []
    if _FLOW_BAD.isdisjoint(inner):  # plain names only (nearly always): split at commas
        names = [part.strip(" ") for part in inner.split(",")]
        for name in names:
            if not name or name[0] in _INDICATORS:
                raise Decline
        return [None if name in NULLS else name for name in names]
    out: list[Any] = []
    at = 0
    while at < len(inner):
        if inner[at] == '"':
            close = inner.find('"', at + 1)
            if close < 0 or "\\" in inner[at:close]:
                raise Decline
            out.append(inner[at + 1:close])
            rest = inner[close + 1:].lstrip(" ")
            if rest and rest[0] != ",":
                raise Decline
            at = len(inner) - len(rest) + 1
        else:
            comma = inner.find(",", at)
            stop = len(inner) if comma < 0 else comma
            item = inner[at:stop].strip(" ")
            if not item or item[0] in _INDICATORS or not _FLOW_BAD.isdisjoint(item):
                raise Decline
            out.append(None if item in NULLS else item)
            at = stop + 1
        if at == len(inner):
            raise Decline  # a trailing comma
        while at < len(inner) and inner[at] == " ":
            at += 1
    return out


def _scalar(value: str) -> Any:
    """The value after `key: ` or `- `, stripped of spaces and known not to be a comment."""
    first = value[0]
    if first == '"':
        # No escapes and no inner quote: the text between the quotes is the value.
        if len(value) < 2 or value[-1] != '"' or "\\" in value or '"' in value[1:-1]:
            raise Decline
        return value[1:-1]
    if first == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            raise Decline
        return inner.replace("''", "'")
    if first == "[":
        if value[-1] != "]":
            raise Decline
        return _flow_items(value)
    if first in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
        raise Decline
    return None if value in NULLS else value


def _key(key: str) -> str:
    if (not key or key[0] in _INDICATORS or key in NULLS or " #" in key or ":" in key
            or key[-1] == " " or len(key) > _MAX_KEY):
        raise Decline
    return key


_BLOCKS = frozenset({">-", ">", "|-", "|"})


def _block(lines: list[str], start: int, parent: int, header: str) -> tuple[str, int]:
    """The text of a block scalar whose header ends line `start - 1`, and the index of the
    first line after it. `parent` is the column of the key or dash that owns it."""
    content: list[str] = []
    column = -1
    end = start
    for end in range(start, len(lines) + 1):
        if end == len(lines):
            break
        raw = lines[end]
        body = raw.lstrip(" ")
        if not body.strip(" "):
            if column < 0 or len(raw) > column:
                raise Decline  # a leading empty line, or spaces that would be kept
            content.append("")
            continue
        indent = len(raw) - len(body)
        if column < 0:
            if indent <= parent:
                raise Decline  # an empty block
            column = indent
        if indent < column:
            if indent > parent:
                raise Decline  # less indented than its text, more than its key: an error
            break
        if (indent > column and header[0] == ">") or not body.isprintable():
            raise Decline  # folding keeps the breaks around a more indented line: libyaml
        if header[-1] != "-" and end == len(lines) - 1:
            raise Decline  # kept final break, but the text ends without one
        if raw[-1] == " ":
            raise Decline  # trailing spaces: kept or not by rules not worth repeating here
        content.append(raw[column:])
    if column < 0:
        raise Decline  # no text at all: an empty block
    while content and not content[-1]:  # trailing empty lines: only chomping would keep them
        content.pop()
    if header[0] == "|":
        value = "\n".join(content)
    else:
        # Folding: a break between two lines is a space; each empty line between is a break.
        value = ""
        for i, piece in enumerate(content):
            if piece:
                value += (" " if i and content[i - 1] else "") + piece
            else:
                value += "\n"
    return (value if header[-1] == "-" else value + "\n"), end


def load(text: str) -> Any:
    """The data of `text`, as `yamllib._fast_load` would build it; `Decline` if unsure."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a lone \r is unprintable below: declined
    root: Any = None
    # Open containers, innermost last, with the column their keys or dashes stand at.
    stack: list[tuple[int, Any]] = []
    # A key whose value is on the following lines: (its mapping, the key, its column).
    pending: tuple[dict[str, Any], str, int] | None = None
    lines = text.split("\n")
    keys: set[str] = set()  # keys already found sound: a plan repeats a dozen names
    at = 0
    while at < len(lines):
        raw = lines[at]
        at += 1
        line = raw.rstrip(" ")
        body = line.lstrip(" ")
        # Tabs, control and format characters, and the line breaks Python does not split
        # at (U+0085, U+2028): refused even in a comment, which they would end for YAML.
        if not body.isprintable():
            raise Decline
        if not body or body[0] == "#":
            continue
        indent = len(line) - len(body)
        if not indent and body[:3] in ("---", "..."):
            raise Decline  # document markers
        item = body[:2] == "- "
        if pending is not None:
            owner, name, column = pending
            pending = None
            if indent > column or (indent == column and item):
                child: Any = [] if item else {}
                owner[name] = child
                stack.append((indent, child))
                if len(stack) > MAX_DEPTH:
                    raise Decline
            else:
                owner[name] = None
        while stack and stack[-1][0] > indent:
            stack.pop()
        if item:
            if not stack:
                if root is not None:
                    raise Decline
                root = []
                stack.append((indent, root))
            column, top = stack[-1]
            if column != indent or type(top) is not list:
                raise Decline
            rest = body[2:].lstrip(" ")
            if not rest or rest[0] == "#":
                raise Decline  # "- " then the value on the next lines
            name, sep, value = rest.partition(": ")
            if not sep and rest[-1] == ":":
                name, sep, value = rest[:-1], ":", ""
            if sep and name and name[0] not in _INDICATORS:
                # "- key: value": a mapping whose keys stand where this key starts.
                mapping: dict[str, Any] = {}
                top.append(mapping)
                column = indent + len(body) - len(rest)
                stack.append((column, mapping))
                if len(stack) > MAX_DEPTH:
                    raise Decline
                value = value.strip(" ")
                if name not in keys:
                    keys.add(_key(name))
                if value in _BLOCKS:
                    mapping[name], at = _block(lines, at, column, value)
                elif value and value[0] != "#":
                    mapping[name] = _scalar(value)
                else:
                    pending = (mapping, name, column)
            elif rest in _BLOCKS:
                text_value, at = _block(lines, at, indent, rest)
                top.append(text_value)
            else:
                top.append(_scalar(rest))
            continue
        name, sep, value = body.partition(": ")
        if not sep:
            if body[-1] != ":":
                raise Decline  # a scalar on its own line, "---", "key:value"...
            name, value = body[:-1], ""
        if name not in keys:
            keys.add(_key(name))
        if not stack:
            if root is not None:
                raise Decline
            root = {}
            stack.append((indent, root))
        column, top = stack[-1]
        if column != indent or type(top) is not dict or name in top:
            raise Decline
        value = value.strip(" ")
        if value in _BLOCKS:
            top[name], at = _block(lines, at, indent, value)
        elif value and value[0] != "#":
            top[name] = _scalar(value)
        else:
            top[name] = None  # until the next line says otherwise
            pending = (top, name, indent)
    if pending is not None:
        pending[0][pending[1]] = None
    return root
