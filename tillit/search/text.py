"""The words of a query, and the highlighted title and snippet of a result, as safe HTML.

Text from the database is always escaped here; only the <mark> elements this module adds
are markup.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
SNIPPET_BEFORE = 80  # characters of context before the first match
SNIPPET_LENGTH = 240  # characters of a snippet, about
ELLIPSIS = "…"

# PostgreSQL's ts_headline marks the matches with these (private-use characters, which
# text typed by people does not contain); `from_headline` escapes the text and turns them
# into <mark> elements.
START = "\ue000"
STOP = "\ue001"

_WORD = re.compile(r"[^\W_]+")


def words(query: str) -> list[str]:
    """The words of a query for the SQLite search: runs of letters and digits, case-folded,
    each once. Quotes, %, _ and other signs are not words."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(query.casefold()):
        seen.setdefault(word, None)
    return list(seen)


def _pattern(query_words: list[str]) -> re.Pattern | None:
    if not query_words:
        return None
    alternatives = sorted(query_words, key=len, reverse=True)  # the longest first
    return re.compile("|".join(re.escape(w) for w in alternatives), re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def highlight(text: str, query_words: list[str]) -> SafeString:
    """The whole text, escaped, each occurrence of a word marked."""
    return mark_safe(_marked(text or "", _pattern(query_words)))  # noqa: S308 (escaped)


def snippet(text: str, query_words: list[str]) -> SafeString:
    """A passage of the text around its first match (its beginning if nothing matches),
    escaped, with the words marked and an ellipsis where it was cut."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    pattern = _pattern(query_words)
    match = pattern.search(text) if pattern else None
    start = 0
    if match is not None and match.start() > SNIPPET_BEFORE:
        start = match.start() - SNIPPET_BEFORE
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > (match.end() if match else start) else end
    passage = _marked(text[start:end], pattern)
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + passage + suffix)  # noqa: S308 (escaped)


def from_headline(headline: str | None) -> SafeString:
    """PostgreSQL's ts_headline output (START/STOP around matches) as safe HTML."""
    parts = []
    marked = False
    for piece in re.split(f"([{START}{STOP}])", headline or ""):
        if piece == START:
            if not marked:
                parts.append("<mark>")
                marked = True
        elif piece == STOP:
            if marked:
                parts.append("</mark>")
                marked = False
        else:
            parts.append(escape(piece))
    if marked:
        parts.append("</mark>")
    return mark_safe("".join(parts).strip())  # noqa: S308 (escaped)
