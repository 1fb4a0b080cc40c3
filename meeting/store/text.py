"""Vietnamese text for the search index: folding, the words of a query, snippets.

Folding maps each character to one character (lower case, diacritics dropped, "đ" as
"d"), so that offsets in the folded text are offsets in the original: a snippet is cut
from the original text where the folded query words were found in the folded one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["MAX_WORDS", "fold", "query_words", "snippet", "words"]

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16
"""Words of a query that count; the rest are ignored (a bound on the query's cost)."""


class _Folding(dict[int, str]):
    """Code point → its folded form, one character for one (so offsets stay the same)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐ":
            folded = "d"
        else:
            bare = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
            folded = bare.lower() if len(bare.lower()) == 1 else char
        if len(folded) != 1:
            folded = char
        self[code] = folded
        return folded


_FOLDING = _Folding()


def fold(text: str) -> str:
    """`text` (NFC) in lower case without diacritics, "đ" as "d": as long as `text`."""
    return text.translate(_FOLDING)


def words(text: str) -> list[str]:
    """The folded words of `text`, as the index holds them."""
    return _WORD.findall(fold(unicodedata.normalize("NFC", text)))


def query_words(query: str) -> list[str]:
    """The folded words of a query, at most `MAX_WORDS`, each at most 64 characters."""
    return [w[:64] for w in words(query)[:MAX_WORDS]]


def snippet(text: str, terms: Sequence[str], width: int = 200) -> str:
    """About `width` characters of `text` around the first place a word of the query
    (folded, as a prefix) is found; the start of `text` when none is."""
    folded = fold(text)
    found = [m.start() for w in terms if (m := re.search(rf"(?<![^\W_]){re.escape(w)}", folded))]
    at = min(found) if found else 0
    start = max(0, at - width // 4)
    end = min(len(text), start + width)
    out = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")
