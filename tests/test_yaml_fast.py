"""The fast YAML path builds what the full loader builds, or leaves the text to it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kehoach_cli.errors import PlanInvalid
from kehoach_cli.plan import yamlio, yamllib

SEED = Path(__file__).resolve().parent.parent / "plans" / "kh160.yaml"


@pytest.mark.parametrize("text", [
    SEED.read_text(encoding="utf-8"),
    "a: 1.10\nb: [x, ~, null, '', \"null\", NULL, Null]\nc: {d: e}\n",
    "a: yes\nb: 2025-01-01\nc: 0x10\nd: .inf\n",  # all text: no implicit types but null
    "- 1\n- - 2\n  - 3\n",
    "",
    "a: !!str 5\n",
    # Null only when plain and untagged: not quoted, not a block, not after a bare "!".
    "a: ! null\nb: null\nc: \"null\"\nd: '~'\ne:\nf: !!null x\ng: !!str ~\nh: |\n  null\n",
    "- ~\n- ! ~\n- '~'\n- []\n- {}\n- !!seq [a]\n- !!map {b: ~}\n",
    "! [a, ~]\n",
    "\"null\": 1\n!!str ~: 2\n",
    "a: &x text\nb: *x\n",  # an alias of text: both loaders take it
    "~\n",
])
def test_fast_path_builds_what_the_loader_builds(text: str) -> None:
    assert yamllib._fast_load(text) == yaml.load(text, Loader=yamllib._Loader)


@pytest.mark.parametrize("text", [
    "a: !!int 5\n",  # a tag: the full loader decides
    "a: !!python/object:os.system x\n",
    "a: &x [1]\nb: *x\n",  # an alias
    "a: 1\na: 2\n",  # a repeated key
    "? [a]\n: 1\n",  # a key that is not text
    "a: [1\n",  # a syntax error
    "a: 1\n---\nb: 2\n",  # two documents
    "~: 1\n",  # a null key
])
def test_fast_path_declines_what_only_the_loader_handles(text: str) -> None:
    with pytest.raises(yamllib._Decline):
        yamllib._fast_load(text)


@pytest.mark.parametrize(("text", "words"), [
    ("a: !!python/object:os.system x\n", "thẻ YAML"),
    ("a: &x [1]\nb: *x\n", "neo/bí danh"),
    ("a: 1\na: 2\n", "xuất hiện hai lần"),
    ("a: [1\n", "lỗi cú pháp YAML"),
])
def test_declined_text_gets_the_loaders_message(text: str, words: str) -> None:
    with pytest.raises(PlanInvalid, match=words):
        yamlio.load_yaml(Path("ke-hoach.yaml"), text)
