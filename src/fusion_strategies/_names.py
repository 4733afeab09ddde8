"""How names are compared: the one normalization behind lookups and strategy ids."""

from __future__ import annotations

import re
import unicodedata

# An apostrophe after a word character, then "s" ending a word. The lookbehind comes after
# the apostrophe so that the search can skip ahead to apostrophes: twice as fast.
_POSSESSIVE = re.compile(r"['’](?<=\w['’])s\b")
# "U. S." and "U.S." are one word, "us", as a reader says them: the spaces after a lone
# letter and its dot go when another lone letter and its dot follow, and every dot goes
# after (a str.replace, in C). Only where there are spaces does the pattern match: a third
# faster than matching every dot of "U.S." too. It starts at the dot, not with a
# lookbehind, for the same reason as above.
_INITIALISM = re.compile(r"\.(?<=(?<!\w)\w\.)\s+(?=\w\.)")
_WORD = re.compile(r"[^\W_]+")
_HEADING_YEARS = re.compile(r"\s*\((\d{4})(?:\s*[-–]\s*(\d{4}))?\)\s*$")


def normalize_name(name: str) -> str:
    """Fold a name for comparison: case, apostrophes, possessives, dots and punctuation.

    "&" reads as "and"; a leading "The" is dropped. Unicode is normalized (NFKC), so
    that a name typed with combining accents finds one written with precomposed ones.

    >>> normalize_name("DHS’s  Northern Border Strategy")
    'dhs northern border strategy'
    >>> normalize_name("The U. S. Customs and Border Protection Strategy (2020-2025)")
    'us customs and border protection strategy 2020 2025'
    >>> normalize_name("Cafe\u0301") == normalize_name("Café")
    True
    """
    plain = name.isascii()
    if plain:
        text = name.casefold()
    else:  # NFKC, case folded, NFKC again: Unicode's NFKC_Casefold, near enough
        text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    # Each rewrite runs only where its character occurs: lookups normalize every query.
    if plain:  # no curly apostrophe
        if "'" in text:
            text = _POSSESSIVE.sub("", text).replace("'", "")
    elif "'" in text or "’" in text or "‘" in text:
        text = _POSSESSIVE.sub("", text).replace("'", "").replace("’", "").replace("‘", "")
    if "." in text:
        text = _INITIALISM.sub("", text).replace(".", "")
    if "&" in text:
        text = text.replace("&", " and ")
    words = text.split()
    # Words of letters and digits alone are what the pattern would find; str.isalnum is
    # exactly its class, and much faster than the pattern on a name without punctuation
    # (on the words joined: one call; no words at all, and the pattern finds none either).
    if not "".join(words).isalnum():
        words = _WORD.findall(text)
    if words and words[0] == "the":
        del words[0]
    return " ".join(words)


def split_heading(heading: str) -> tuple[str, tuple[int, int] | None]:
    """Split a page heading into its name and the years in its closing parentheses.

    >>> split_heading("National Drug Control Strategy (2019)")
    ('National Drug Control Strategy', (2019, 2019))
    >>> split_heading("DHS Fusion Center Strategy (2022-2026)")
    ('DHS Fusion Center Strategy', (2022, 2026))
    """
    match = _HEADING_YEARS.search(heading)
    if match is None:
        return heading, None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    return heading[: match.start()], (start, end)


def strategy_slug(heading: str, start: int) -> str:
    """The id a strategy gets from its page heading and the first year of its period.

    >>> strategy_slug("DHS’s Northern Border Strategy (2018)", 2018)
    'dhs-northern-border-strategy-2018'
    """
    name, _ = split_heading(heading)
    return "-".join([*normalize_name(name).split(), str(start)])
