"""Vietnamese text handling: NFC, accent folding for matching, alphabetical order, safe printing.

Users type with Unikey (Telex/VNI), often without diacritics, paste NFD text from PDFs and
macOS, and write "uỷ" or "ủy" interchangeably. Everything that compares names goes through
`fold`; everything stored goes through `nfc`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Hyphens and dashes people paste from Word ("chính trị – xã hội") compare as one.
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form every stored string uses."""
    return unicodedata.normalize("NFC", text)


# Importing a plan folds the same names and labels thousands of times: fold each text once.
@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Fold text for matching: no diacritics, đ→d, lower case, single spaces, one dash.

    Stripping every combining mark also makes old and new tone placement ("uỷ"/"ủy")
    equal. "đ" is not a combining sequence, so it is mapped explicitly. Remembered per
    text: checking 1,000 plans folds the same body names and timeframes 44,000 times.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").translate(_DASHES)
    stripped = stripped.casefold()
    stripped = re.sub(r"\s*-\s*", " - ", stripped)
    return _SPACES.sub(" ", stripped).strip()


# Vietnamese alphabet order; letters not listed sort after, by code point.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks, in the order dictionaries use: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă, â, ê, ô, ơ, ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letters(text: str) -> list[tuple[str, int]]:
    """Split into (base letter with its letter marks, tone rank) pairs."""
    out: list[tuple[str, int]] = []
    for ch in nfc(text.casefold()):
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        tone = 0
        for mark in parts[1:]:
            if mark in _LETTER_MARKS:
                base += mark
            else:
                tone = _TONES.get(mark, tone)
        out.append((unicodedata.normalize("NFC", base), tone))
    return out


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Key for Vietnamese alphabetical order: a ă â b c d đ e ê ..., tones as a tiebreak."""
    letters = _letters(text)
    primary = tuple(
        _LETTER_RANK[base] if base in _LETTER_RANK else 100 + ord(base[0])
        for base, _ in letters
    )
    return primary, tuple(tone for _, tone in letters)


# The one set of characters no user-facing string may carry raw, used by every check
# (`log`'s notes, `check`'s plan text) and every rendering (terminal, messages, JSON, Word):
# C0 and C1 controls (tab and newline excepted; terminal escapes start with ESC or U+009B),
# the bidirectional marks, embeddings, overrides and isolates (which make text print other
# than it is stored, "Trojan Source"), line and paragraph separators, lone surrogates
# (bytes of an argument that were not UTF-8) and the non-characters XML refuses.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_UNSAFE_LINE = re.compile(f"[\t\n{UNSAFE.pattern[1:-1]}]")
_BIDI_CHAR = re.compile(f"[{_BIDI}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of an argument (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Make any text safe to show (terminal, message, Word): each unsafe character is
    written as its visible code (\\x1b, \\u202e), never interpreted; tab and newline stay."""
    return UNSAFE.sub(_visible, text)


def json_escaped(text: str) -> str:
    """JSON text with every unsafe character as a \\u escape (JSON only has them inside
    strings, where the escape reads back as the same character)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def first_unsafe(text: str, multiline: bool = True) -> tuple[int, str] | None:
    """The 0-based position and the character of the first unsafe character, if any (tab
    and newline count as unsafe where the text is one line)."""
    match = UNSAFE.search(text) if multiline else _UNSAFE_LINE.search(text)
    return None if match is None else (match.start(), match.group())


def unsafe_reason(found: tuple[int, str]) -> str:
    """What is wrong with the unsafe character `first_unsafe` found, and how to fix it."""
    position, char = found
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return (f"có byte không phải UTF-8 ({printable(char)}) ở vị trí {position + 1}: hãy gõ "
                "lại; cửa sổ lệnh cần dùng bảng mã UTF-8")
    kind = "đảo chiều chữ" if _BIDI_CHAR.match(char) else "điều khiển"
    return (f"có ký tự {kind} U+{code:04X} ở vị trí {position + 1}; hãy gõ lại bằng chữ "
            "thường (không dán mã điều khiển)")


def shorten(text: str, width: int) -> str:
    """Cut `text` at a word boundary to at most `width` characters, ending with "…"."""
    # Most texts hold no tab, newline, exotic or doubled space (every such character is
    # unprintable to Python, bar the plain space): then there is nothing to squeeze, and
    # the regex (a third of listing 2,000 rows) is skipped.
    plain = text.isprintable() and "  " not in text
    text = text.strip(" ") if plain else _SPACES.sub(" ", text).strip()
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    # Cut back to a word boundary unless the cut already falls on one.
    if text[width - 1] != " " and space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
