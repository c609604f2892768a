"""The built-in registry of the bodies every ward has (registry_default.yaml, shipped as data).

`kehoach nhap` matches names against it when the user gives no registry and ./plans/ has
none, and uses its aliases to recognise names a given registry spells differently. It is
data, not code, so a maintainer adds an alias by editing the YAML file alone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kehoach_cli.plan.model import Body

RESOURCE = "registry_default.yaml"


@cache
def _bodies() -> tuple[Body, ...]:
    import yaml

    # Beside this module (package data); read directly, as importlib.resources costs ~40 ms
    # of start-up for one small file.
    text = (Path(__file__).parent / RESOURCE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return tuple(Body(ma=item["ma"], ten=item["ten"], ten_khac=list(item.get("ten_khac", [])),
                      thanh_vien=list(item.get("thanh_vien", [])))
                 for item in yaml.load(text, Loader=loader))


def default_bodies() -> list[Body]:
    """The built-in bodies, in the order the file lists them."""
    return list(_bodies())
