"""Regular expressions compiled when first used, not when their module is imported.

The period and timeframe readers hold some twenty patterns: compiling them costs about
8 ms of every run's start, and a run served from the plan cache (most `list`, `show`,
`report` runs) reads no timeframe text, so it never needs them.
"""

from __future__ import annotations

import re


class LazyPattern:
    """`re.compile(pattern)`, made on the first match, search or substitution."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        found = self._compiled
        if found is None:
            found = self._compiled = re.compile(self.pattern)
        return found

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled().match(text)

    def sub(self, replacement: str, text: str) -> str:
        return self.compiled().sub(replacement, text)
