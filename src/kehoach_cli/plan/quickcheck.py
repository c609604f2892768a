"""The plan schema's plain case, checked without Pydantic: the model built straight from
YAML data, or a decline.

A cold run pays for Pydantic before it validates a single field: importing it and building
the plan's validator cost some 0.1-0.15 s, and validating 10,000 tasks as much again. Most
plans a command reads are valid and written plainly (every value of the type its field
wants, as `nhap` and the editors write them). This module walks such data itself, field by
field from the model's own dataclass declarations, and returns exactly what Pydantic would
return for it. At the first thing it is not sure of (a key it does not know, a value of
another type, a required key missing, a text only whitespace, a date or timeframe the
field's parser rejects, an annotation it was not written for), it declines, and
`schema.validate` asks Pydantic, which alone words what is wrong. So every error message is
unchanged, and the tests hold the two to the same plan on the corpus and on random data.

What it accepts is what Pydantic accepts under the model's config (`extra="forbid"`,
`str_strip_whitespace=True`), restricted to exact types: a `str` field takes a `str` with
no space at either end; a `Text` field (`model._text`) a `str` not blank once stripped; a
list field a list; a nested dataclass a dict with text keys; `int` an int or a text of
ASCII digits; `VnDate` and `TimeframeField` go through the very functions Pydantic calls
for them (a plain validator: the annotated base type plays no part).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from kehoach_cli.plan import model

Convert = Callable[[Any], Any]


class Decline(Exception):
    """The data is not of the plain kind this module checks: Pydantic decides."""


class _Unsupported(Exception):
    """A field's annotation this module was not written for: it never runs then."""


def quick_plan(data: Any) -> model.Plan | None:
    """The plan Pydantic would make of `data`, or None where Pydantic must decide."""
    build = _builder()
    if build is None or type(data) is not dict:
        return None
    try:
        plan: model.Plan = build(data)
    except Decline:
        return None
    return plan


@cache
def _builder() -> Convert | None:
    try:
        return _dataclass(model.Plan)
    except _Unsupported:  # pragma: no cover - the model holds only what is handled below
        return None


def _text(value: Any) -> str:
    if type(value) is not str:
        raise Decline
    stripped = value.strip()
    if not stripped:
        raise Decline
    return stripped


def _plain_str(value: Any) -> str:
    # Pydantic strips these itself, by Unicode's White_Space (Rust's `trim`), which is not
    # quite Python's `strip` (\x1c-\x1f): text with space at either end is its to strip.
    if type(value) is not str or value.strip() != value:
        raise Decline
    return value


def _int(value: Any) -> int:
    # The plan's YAML reader gives every scalar as text (`yamlio`): an int field gets "1".
    # Plain ASCII digits only; Pydantic reads more ("+1", "1_0", " 1", "1.0") and decides those.
    if type(value) is int:
        return value
    if type(value) is not str or not value.isascii() or not value.isdigit() or len(value) > 9:
        raise Decline
    return int(value)


def _through(parse: Callable[[Any], Any]) -> Convert:
    def convert(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError:
            raise Decline from None
    return convert


def _optional(inner: Convert) -> Convert:
    def convert(value: Any) -> Any:
        return None if value is None else inner(value)
    return convert


def _list(inner: Convert) -> Convert:
    if inner is _text:  # lists of codes and texts: most of a plan's lists
        def texts(value: Any) -> list[Any]:
            if type(value) is not list:
                raise Decline
            return [_text(item) for item in value]
        return texts

    def items(value: Any) -> list[Any]:
        if type(value) is not list:
            raise Decline
        return [inner(item) for item in value]
    return items


def _converter(annotation: Any) -> Convert:
    """The converter for one field's annotation (as `typing.get_type_hints` gives it)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        _base, *extras = args
        if len(extras) != 1 or not isinstance(extras[0], model._Check):
            raise _Unsupported(annotation)
        parse = extras[0].parse
        return _text if parse is model._text else _through(parse)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1 or len(args) != 2:
            raise _Unsupported(annotation)
        return _optional(_converter(rest[0]))
    if origin is list and len(args) == 1:
        return _list(_converter(args[0]))
    if annotation is str:
        return _plain_str
    if annotation is int:
        return _int
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return _dataclass(annotation)
    raise _Unsupported(annotation)


_NO_DEFAULT: Any = object()


def _dataclass(cls: type[Any]) -> Convert:
    config = getattr(cls, "__pydantic_config__", None)
    if config != model._FORBID:
        raise _Unsupported(cls)
    hints = typing.get_type_hints(cls, vars(model), include_extras=True)
    fields: dict[str, tuple[Convert, Any, Any]] = {}
    for item in dataclasses.fields(cls):
        if not item.init:
            raise _Unsupported(cls)
        factory = (item.default_factory if item.default_factory is not dataclasses.MISSING
                   else None)
        default = item.default if item.default is not dataclasses.MISSING else _NO_DEFAULT
        fields[item.name] = (_converter(hints[item.name]), default, factory)
    required = frozenset(name for name, (_, default, factory) in fields.items()
                         if default is _NO_DEFAULT and factory is None)

    def build(value: Any) -> Any:
        if type(value) is not dict:
            raise Decline
        if not required <= value.keys():
            raise Decline
        kwargs: dict[str, Any] = {}
        for name, item in value.items():
            spec = fields.get(name) if type(name) is str else None
            if spec is None:
                raise Decline
            kwargs[name] = spec[0](item)
        # Defaults as the dataclass gives them: a factory's fresh list, a Signature()...
        return cls(**kwargs)

    return build
