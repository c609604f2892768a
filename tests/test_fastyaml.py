"""The line reader reads plain block YAML as PyYAML's full loader does, or declines it.

Its one property: whatever it returns, the full loader (`yamllib._Loader`) returns too.
Checked on the plans `nhap` writes from the real documents of the corpus, on hand-written
edge cases, and on random texts built from YAML's special characters and from mutations
of the seed plan.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_cli.plan import fastyaml, yamlio, yamllib
from tests.conftest import Runner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "plans" / "kh160.yaml"
CORPUS = ROOT / "tests" / "fixtures" / "nhap" / "corpus"


def _full(text: str) -> object:
    return yaml.load(text, Loader=yamllib._Loader)


def _agrees(text: str) -> bool:
    """True when the reader read `text` (and got what the full loader gets), False when it
    declined; fails the test when it read something the full loader reads otherwise."""
    try:
        got = fastyaml.load(text)
    except fastyaml.Decline:
        return False
    assert got == _full(text), text
    return True


def test_the_seed_plan_is_read_as_the_full_loader_reads_it() -> None:
    assert _agrees(SEED.read_text(encoding="utf-8"))  # >- blocks, comments, flow lists


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()
                                        if p.suffix in {".md", ".docx"} and p.stem != "README")[:6])
def test_plans_nhap_writes_from_real_documents_take_the_fast_path(
        tmp_path: Path, cli: Runner, name: str) -> None:
    out = tmp_path / "plan.yaml"
    result = cli("nhap", str(CORPUS / name), "-o", str(out))
    assert result.code == 0, result.err
    assert _agrees(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "data"), [
    ("a: 1.10\nb: [x, ~, null, \"null\", NULL, Null, \"\"]\n",
     {"a": "1.10", "b": ["x", None, None, "null", None, None, ""]}),
    ("a: yes\nb: 2025-01-01\nc: 0x10\n", {"a": "yes", "b": "2025-01-01", "c": "0x10"}),
    ("k:\n- a\n- b\n", {"k": ["a", "b"]}),  # a sequence not indented under its key
    ("- ma: x\n  ten: y\n-   ma: z\n    ten: w\n", [{"ma": "x", "ten": "y"},
                                                  {"ma": "z", "ten": "w"}]),
    ("a: >-\n  mot\n  hai\n\n  ba\nb: |-\n  x\n   y\n", {"a": "mot hai\nba", "b": "x\n y"}),
    ("a: >\n  mot\n  hai\nb: c\n", {"a": "mot hai\n", "b": "c"}),
    ("a: 'it''s'\nb: \"x: #y\"\nc: [\"Ban A, B\", C]\n",
     {"a": "it's", "b": "x: #y", "c": ["Ban A, B", "C"]}),
    ("a:   # a comment\n  b: c  # another\n", None),  # " #" in a plain value: declined
    ("a: b\r\nc: d\r\n", {"a": "b", "c": "d"}),  # saved on Windows
    ("", None),
])
def test_edge_cases(text: str, data: object) -> None:
    if data is None and text:
        assert not _agrees(text)
    else:
        assert _agrees(text) and fastyaml.load(text) == data


@pytest.mark.parametrize("text", [
    "a: b\n  c\n",  # a plain scalar over two lines
    "a:\n  b\n",
    "a: \"x\\ty\"\n",  # an escape
    "a: &x [1]\nb: *x\n",
    "a: !!str 5\n",
    "a: {b: c}\n",
    "a: [[b]]\n",
    "a: 1\na: 2\n",
    "~: 1\n",
    "\"a\": 1\n",
    "? a\n: 1\n",
    "a: 1\n---\nb: 2\n",
    "a:\tb\n",
    "a: b\u2028c\n",
    "# note\u2028a: 1\n",  # U+2028 ends a comment for YAML
    "a: >+\n  x\n",
    "a: |2\n   x\n",
    "a: >-\n\n  x\n",  # a block starting with an empty line
    "a: >-\n  x\n    y\n",  # a more indented line keeps its break
    "a: |\n  x",  # a kept final break the text does not have
    "a: b:\n",
    "a: -1\n",
    "a: 1\n b: 2\n",
])
def test_declines_what_it_does_not_read(text: str) -> None:
    with pytest.raises(fastyaml.Decline):
        fastyaml.load(text)


_TOKENS = ["ma", "Tuyên truyền", ":", ": ", " #", "#", "- ", "[", "]", ",", "'", '"', "\\",
           "~", "null", "&a", "*a", "!t", ">-", ">", "|", "|-", "{", "}", "?", " ", "  ",
           "\t", "\n", "\n  ", "\n    ", "\n- ", "\n  - ", "\r\n", "---", "...", "%", "@",
           "\u00a0", "\u2028", "\x85", "1.1", "ĐU"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40))
def test_random_texts_read_as_the_full_loader_reads_them(tokens: list[str]) -> None:
    text = "".join(tokens)
    try:
        got = fastyaml.load(text)
    except fastyaml.Decline:
        return
    assert got == _full(text)  # the full loader must read it, and read the same


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.lists(st.sampled_from(_TOKENS),
                                                           min_size=1, max_size=3))
def test_mutated_seed_plan_reads_as_the_full_loader_reads_it(seed: int, inserts: list[str]
                                                             ) -> None:
    rng = random.Random(seed)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = rng.randrange(len(lines))
    text = "\n".join(lines[start:start + rng.randrange(1, 15)])
    for token in inserts:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + token + text[at + rng.randrange(0, 3):]
    try:
        got = fastyaml.load(text)
    except fastyaml.Decline:
        return
    assert got == _full(text)


def test_load_yaml_still_words_errors_the_reader_declines(tmp_path: Path) -> None:
    from kehoach_cli.errors import PlanInvalid

    path = tmp_path / "kh.yaml"
    with pytest.raises(PlanInvalid) as failed:
        yamlio.load_yaml(path, "a: 1\na: 2\n")
    assert "a" in str(failed.value)
