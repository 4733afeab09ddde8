"""Text on its way to a terminal: what a catalog says is shown, never obeyed.

A catalog's text is someone else's. Written raw to a terminal, an escape sequence in it
could set the clipboard (OSC 52), plant a link (OSC 8), move the cursor or clear the
screen (CSI), a backspace could hide what precedes it, and a bidi override (U+202E) could
show text in another order than it is read. `visible(text)` writes every character that
is not printable (controls C0 and C1, format characters such as the bidi controls and
zero-width ones, line and paragraph separators, lone surrogates, unassigned and private
code points) as an escape, ``\\x1b`` or ``\\u202e``, and leaves all else as it is.
`visible_json(value)` is JSON text in which those characters are ``\\uXXXX`` escapes, so
it reads back to the same value.

The command line passes every text from a catalog, and every message that quotes one,
through these two functions before it adds its own styling.
"""

from __future__ import annotations

__all__ = ["visible", "visible_json", "visible_json_text"]


def visible(text: str, *, keep: str = "") -> str:
    r"""The text with every character that is not printable written as an escape.

    A space stays; characters in `keep` (such as ``"\n"`` for a whole document) stay too.
    Linear in the text, and free for text that is all printable.

    >>> print(visible("safe \x1b]52;c;aGk=\x07 \u202eevil\u202c\b!"))
    safe \x1b]52;c;aGk=\x07 \u202eevil\u202c\x08!
    >>> visible("Café — “quoted”")
    'Café — “quoted”'
    """
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char == " " or char in keep else _escape(char)
        for char in text
    )


def visible_json(value: object) -> str:
    r"""`value` as indented JSON, with every character that is not printable escaped.

    >>> print(visible_json({"text": "a\u202eb\x9b"}))
    {
      "text": "a\u202eb\u009b"
    }
    """
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    return visible_json_text(text)


def visible_json_text(text: str) -> str:
    """JSON text with the characters that are not printable escaped, as JSON escapes them."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char in " \n" else _json_escape(char) for char in text
    )


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
