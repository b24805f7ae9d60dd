"""Line breaking of PO strings exactly as GNU gettext 0.21 does it (msgcat, msgmerge, xgettext).

GNU gettext wraps a string with libunistring's Unicode line breaking (UAX #14, the pair-table
algorithm of libunistring 1.0) at a page width of 79 columns. The pair table below was measured
on libunistring itself (break or not between every pair of classes, with and without a space);
the tests compare our output with `msgcat` on catalogs in all our languages.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import regex

PAGE_WIDTH = 79

#: One letter per line-break class (after libunistring's resolutions: AI, SA, XX -> AL; CB -> ID;
#: CJ -> NS; CR, LF, NL -> BK).
_LETTER = {
    "OP": "O", "CL": "C", "CP": "c", "QU": "Q", "GL": "G", "NS": "N", "EX": "E", "SY": "Y",
    "IS": "I", "PR": "P", "PO": "p", "NU": "n", "AL": "A", "HL": "h", "ID": "D", "IN": "i",
    "HY": "H", "BA": "B", "BB": "b", "B2": "2", "WJ": "W", "H2": "k", "H3": "K", "JL": "L",
    "JV": "V", "JT": "T", "RI": "R", "EB": "e", "EM": "m", "SP": "S", "ZW": "z", "CM": "M",
    "ZWJ": "j", "BK": "!", "CR": "!", "LF": "!", "NL": "!",
    "AI": "A", "SA": "A", "XX": "A", "CB": "D", "CJ": "N",
    # classes newer than libunistring 1.0 (Unicode 14): what it had for those characters
    "HH": "B", "AK": "A", "AP": "A", "AS": "A", "VF": "A", "VI": "A",
}
_COLUMNS = "OCcQGNEYIPpnAhDiHBb2WkKLVTRem"
#: Row: the class before the opportunity; column: the class after it. D: break, I: break only
#: when spaces come between, P: never.
_ROWS = {
    "O": "PPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "C": "DPPIIPPPPIIDDDDIIIDDPDDDDDDDD",
    "c": "DPPIIIPPPIIIIIDIIIDDPDDDDDDDD",
    "Q": "PPPIIIPPPIIIIIIIIIIIPIIIIIIII",
    "G": "IPPIIIPPPIIIIIIIIIIIPIIIIIIII",
    "N": "DPPIIIPPPDDDDDDIIIDDPDDDDDDDD",
    "E": "DPPIIIPPPDDDDDDIIIDDPDDDDDDDD",
    "Y": "DPPIIIPPPDDIDIDIIIDDPDDDDDDDD",
    "I": "DPPIIIPPPDDIDDDIIIDDPDDDDDDDD",
    "P": "IPPIIIPPPDDIIIIIIIDDPIIIIIDII",
    "p": "IPPIIIPPPDDIIIDIIIDDPDDDDDDDD",
    "n": "IPPIIIPPPIIIIIDIIIDDPDDDDDDDD",
    "A": "IPPIIIPPPIIIIIDIIIDDPDDDDDDDD",
    "h": "IPPIIIPPPIIIIIDIIIDDPDDDDDDDD",
    "D": "DPPIIIPPPDIDDDDIIIDDPDDDDDDDD",
    "i": "DPPIIIPPPDDDDDDIIIDDPDDDDDDDD",
    "H": "DPPIDIPPPDDIDDDIIIDDPDDDDDDDD",
    "B": "DPPIDIPPPDDDDDDIIIDDPDDDDDDDD",
    "b": "IPPIIIPPPIIIIIIIIIIIPIIIIIIII",
    "2": "DPPIIIPPPDDDDDDIIIDPPDDDDDDDD",
    "W": "IPPIIIPPPIIIIIIIIIIIPIIIIIIII",
    "k": "DPPIIIPPPDIDDDDIIIDDPDDDIIDDD",
    "K": "DPPIIIPPPDIDDDDIIIDDPDDDDIDDD",
    "L": "DPPIIIPPPDIDDDDIIIDDPIIIIDDDD",
    "V": "DPPIIIPPPDIDDDDIIIDDPDDDIIDDD",
    "T": "DPPIIIPPPDIDDDDIIIDDPDDDDIDDD",
    "R": "DPPIIIPPPDDDDDDIIIDDPDDDDDIDD",
    "e": "DPPIIIPPPDIDDDDIIIDDPDDDDDDDI",
    "m": "DPPIIIPPPDIDDDDIIIDDPDDDDDDDD",
}
PAIR: dict[tuple[str, str], str] = {
    (row, col): cell for row, cells in _ROWS.items() for col, cell in zip(_COLUMNS, cells)
}

# Where Unicode data newer than libunistring 1.0's (Unicode 14) disagrees with it, measured once on
# libunistring for every code point up to U+3FFFF. (Not covered: the CJK opening brackets, which
# libunistring treats with rules of its own.)
_CLASS_OVERRIDES: dict[str, list[tuple[int, int]]] = {
    "A": [
        (0x00B7, 0x00B7), (0x0387, 0x0387), (0x0600, 0x0605), (0x06DD, 0x06DD), (0x0890, 0x0891),
        (0x08E2, 0x08E2), (0x19DA, 0x19DA), (0x1B5C, 0x1B5C), (0x1B61, 0x1B6A), (0x1B74, 0x1B7C),
        (0x2057, 0x2057), (0x2800, 0x2800), (0xA9C1, 0xA9C6), (0xA9CA, 0xA9CD), (0xA9CF, 0xA9CF),
        (0xA9DE, 0xA9DF), (0xAA40, 0xAA42), (0xAA44, 0xAA4B), (0xAA5C, 0xAA5C), (0x11049, 0x1104D),
        (0x11052, 0x11065), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x1133D, 0x1133D),
        (0x1135D, 0x1135D), (0x11EF2, 0x11EF2), (0x11EF7, 0x11EF8),
    ],
    "G": [
        (0x034F, 0x034F),
    ],
    "M": [
        (0x1B44, 0x1B44), (0x1BF2, 0x1BF3), (0x1DCD, 0x1DCD), (0x1DFC, 0x1DFC), (0xA9C0, 0xA9C0),
        (0xFE20, 0xFE20), (0xFE22, 0xFE22), (0xFE24, 0xFE24), (0xFE26, 0xFE27), (0xFE29, 0xFE29),
        (0xFE2B, 0xFE2B), (0xFE2D, 0xFE2E), (0x11046, 0x11046), (0x1107F, 0x1107F),
        (0x1134D, 0x1134D), (0x1193E, 0x1193E),
    ],
    "n": [
        (0x1B50, 0x1B59), (0xA9D0, 0xA9D9), (0xAA50, 0xAA59), (0x11066, 0x1106F),
        (0x11950, 0x11959),
    ],
    "C": [
        (0x2E56, 0x2E56), (0x2E58, 0x2E58), (0x2E5A, 0x2E5A), (0x2E5C, 0x2E5C),
    ],
    "I": [
        (0xFE10, 0xFE10), (0xFE13, 0xFE14),
    ],
    "D": [
        (0xFE51, 0xFE51), (0x1F10D, 0x1F10F), (0x1F16D, 0x1F16F), (0x1F1AD, 0x1F1AD),
        (0x1F8B0, 0x1F8B1),
    ],
}
_WIDTH_OVERRIDES: dict[int, list[tuple[int, int]]] = {
    1: [
        (0x0CBF, 0x0CBF), (0x0CC6, 0x0CC6), (0x11A07, 0x11A08), (0x11C3F, 0x11C3F),
    ],
    0: [
        (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB),
    ],
}
_WIDE_UNASSIGNED: list[tuple[int, int]] = [
    (0x2E9A, 0x2E9A), (0x2EF4, 0x2EFF), (0x2FD6, 0x2FEF), (0x2FFC, 0x2FFF), (0x3040, 0x3040),
    (0x3097, 0x3098), (0x3100, 0x3104), (0x3130, 0x3130), (0x318F, 0x318F), (0x31E4, 0x31EF),
    (0x321F, 0x321F), (0xA48D, 0xA48F), (0xA4C7, 0xA4CF), (0xFA6E, 0xFA6F), (0xFADA, 0xFAFF),
    (0xFE1A, 0xFE1F), (0xFE53, 0xFE53), (0xFE67, 0xFE67), (0xFE6C, 0xFE6F), (0xFF00, 0xFF00),
    (0x1F203, 0x1F20F), (0x1F23C, 0x1F23F), (0x1F249, 0x1F24F), (0x1F252, 0x1F25F),
    (0x1F266, 0x1F2FF), (0x2A6E0, 0x2A6FF), (0x2B739, 0x2B73F), (0x2B81E, 0x2B81F),
    (0x2CEA2, 0x2CEAF), (0x2EBE1, 0x2F7FF), (0x2FA1E, 0x2FFFF), (0x3134B, 0x3FFFF),
]

def _in_ranges(cp: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


#: A character whose width is not 1 column is marked with this letter in the fast class string.
_ODD = "#"
#: Classes the fast path cannot handle (they need the character-by-character algorithm).
_SLOW_CLASSES = "!zMjRh" + _ODD

_LB_PATTERN = regex.compile("|".join(
    f"(?P<{name}>\\p{{Line_Break={name}}})" for name in
    ("BK", "CR", "LF", "NL", "SP", "ZW", "ZWJ", "CM", "WJ", "GL", "OP", "CL", "CP", "QU", "NS", "EX",
     "SY", "IS", "PR", "PO", "NU", "AL", "HL", "ID", "IN", "HY", "BA", "BB", "B2", "H2", "H3", "JL",
     "JV", "JT", "RI", "EB", "EM", "AI", "SA", "XX", "CB", "CJ", "HH", "AK", "AP", "AS", "VF",
     "VI")))


@lru_cache(maxsize=None)
def line_class(ch: str) -> str:
    """The resolved line-break class letter of one character."""
    cp = ord(ch)
    for letter, ranges in _CLASS_OVERRIDES.items():
        if _in_ranges(cp, ranges):
            return letter
    m = _LB_PATTERN.match(ch)
    return _LETTER[m.lastgroup] if m else "A"


@lru_cache(maxsize=None)
def char_width(ch: str) -> int:
    """Columns a character takes, like libunistring's uc_width (control characters count 0)."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    if cp < 0x300:
        return 0 if cp == 0xAD else 1
    if 0x1160 <= cp <= 0x11FF or cp == 0x200B:
        return 0
    for width, ranges in _WIDTH_OVERRIDES.items():
        if _in_ranges(cp, ranges):
            return width
    category = unicodedata.category(ch)
    if category == "Cn":
        return 2 if _in_ranges(cp, _WIDE_UNASSIGNED) else 1
    if category in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


class _FastClasses(dict):
    """str.translate table: code point -> class letter, or _ODD when the width is not 1."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        letter = line_class(ch) if char_width(ch) == 1 else _ODD
        self[cp] = letter
        return letter


_FAST = _FastClasses()


#: Pairs of classes (before, after) with a break opportunity between them when they are adjacent
#: (the pair table's "D"), and when spaces come between them ("D" or "I").
_DIRECT = frozenset(row + col for (row, col), cell in PAIR.items() if cell == "D")
_SPACED = frozenset(row + col for (row, col), cell in PAIR.items() if cell != "P")
assert "AA" not in _DIRECT            # _fast_fill skips over the letters of a word at once


def _fast_fill(classes: str, forbidden, start_col: int, width: int, first_only: bool = False) -> list[int]:
    """Greedy filling of a class string made only of the pair table's classes and spaces, where
    every character takes one column: the same breaks as _fill over all the opportunities, but
    only the positions around each line's end are looked at.

    An opportunity is before a non-space character whose class, after the last non-space
    character before it, is a "D" of the pair table, or an "I" when spaces come between them;
    never before the first non-space character, nor at a `forbidden` position. With
    `first_only`, only the first break is looked for.
    """
    n = len(classes)
    breaks: list[int] = []
    start, col = 0, start_col
    direct, spaced = _DIRECT, _SPACED
    while True:
        limit = start + width - col
        if n <= limit:
            return breaks
        stop = 0
        o = limit                              # the last opportunity at or before the limit
        while o > start:
            c = classes[o]
            if c == "A" and classes[o - 1] == "A":
                # inside a word: no break before any of its letters but the first
                o = start + len(classes[start:o].rstrip("A"))
                continue
            if c != "S" and o not in forbidden:
                p = o - 1
                while p >= 0 and classes[p] == "S":
                    p -= 1
                if p >= 0 and classes[p] + c in (direct if p == o - 1 else spaced):
                    stop = o
                    break
            o -= 1
        if not stop:                           # none: the first one after it (a long word)
            o = (limit if limit > start else start) + 1
            while o < n:
                c = classes[o]
                if c != "S" and o not in forbidden:
                    p = o - 1
                    while p >= 0 and classes[p] == "S":
                        p -= 1
                    if p >= 0 and classes[p] + c in (direct if p == o - 1 else spaced):
                        stop = o
                        break
                o += 1
            if not stop:
                return breaks
        breaks.append(stop)
        if first_only:
            return breaks
        start, col = stop, 0


_SLOW = re.compile(f"[{re.escape(_SLOW_CLASSES)}]")
_ESCAPE_SECOND = re.compile(r"\\.")


def _slow_opportunities(text: str) -> list[int]:
    """libunistring's possible line breaks, character by character (positions to break before)."""
    out: list[int] = []
    last = "!"            # class of the last non-space character ("!": start of line)
    prev = "!"            # class of the previous character
    hl_ba = False         # the previous two characters were HL then HY or BA
    seen_space = False
    ri_count = 0
    for i, ch in enumerate(text):
        prop = line_class(ch)
        if prop == "!":
            last, prev, seen_space, hl_ba = "!", "!", False, False
            ri_count = 0
            continue
        if prop == "S":
            seen_space = True
        elif prop == "z":
            last, seen_space = "z", False
        elif prop in ("M", "j"):
            if last == "!":
                last, seen_space = "A", False
            elif last == "z" or seen_space:
                out.append(i)
                last, seen_space = "A", False
        else:
            if last == "!":
                pass
            elif last == "z":
                out.append(i)
            elif prev == "j":
                pass
            elif last == "R" and prop == "R":
                if seen_space or ri_count % 2 == 0:
                    out.append(i)
            elif hl_ba:
                pass
            else:
                cell = PAIR[last, prop]
                if cell == "D" or (cell == "I" and seen_space):
                    out.append(i)
            last, seen_space = prop, False
        hl_ba = prev == "h" and prop in ("H", "B")
        prev = prop
        ri_count = ri_count + 1 if prop == "R" else 0
    return out


def _fill(opportunities: list[int], widths: list[int] | None, start: int, end: int, start_col: int,
          width: int) -> list[int]:
    """Greedy filling as libunistring's u8_width_linebreaks: where the lines of text[start:end] break.

    `widths` is the running sum of column widths (widths[i] = columns of text[:i]); None means
    every character takes one column. The first piece is kept whole even when it is too long.
    """
    breaks: list[int] = []
    if start >= end:
        return breaks
    ends = [o for o in opportunities if start < o < end] + [end]
    col = start_col
    while True:
        room = width - col
        if widths is None:
            limit = start + room
        else:
            limit = bisect_right(widths, widths[start] + room) - 1
        j = bisect_right(ends, limit) - 1
        if j < 0 or ends[j] <= start:
            j = bisect_right(ends, start)
        stop = ends[j]
        if stop >= end:
            return breaks
        breaks.append(stop)
        start, col = stop, 0


def _forbidden(portion: str, ends_with_newline: bool) -> set[int] | tuple:
    """Positions gettext never breaks at: inside an escape sequence, and before the `\\n` that
    ends a portion."""
    if "\\" not in portion:
        return ()
    forbidden = {m.start() + 1 for m in _ESCAPE_SECOND.finditer(portion)}
    if ends_with_newline:
        forbidden.add(len(portion) - 2)
    return forbidden


#: The fast class letters of the Latin-1 characters, for bytes.translate.
_LATIN1 = bytes(ord(_FAST[cp]) for cp in range(256))


def _fast_classes(portion: str) -> str | None:
    """The class string of a portion for _fast_fill, or None when a character needs the
    character-by-character algorithm (a combining mark, a zero or double width, ...)."""
    try:       # Latin-1 text (most of western Europe's): one C-level pass, not a dict lookup a character
        classes = portion.encode("latin-1").translate(_LATIN1).decode("ascii")
    except UnicodeEncodeError:
        classes = portion.translate(_FAST)
    return None if _SLOW.search(classes) else classes


def _breaks(portion: str, classes: str | None, start_col: int, width: int, ends_with_newline: bool,
            first_only: bool = False) -> list[int]:
    """Where gettext breaks one escaped portion, given its _fast_classes (with `first_only`: the
    first break when there is one, not necessarily the others)."""
    if classes is not None:
        if start_col + len(portion) <= width:
            return []
        return _fast_fill(classes, _forbidden(portion, ends_with_newline), start_col, width, first_only)
    length = len(portion)
    opportunities = _slow_opportunities(portion)
    widths = [0]
    total = 0
    mandatory = []
    for i, ch in enumerate(portion):
        if line_class(ch) == "!":
            mandatory.append(i)      # a line separator: the width count starts again
        else:
            total += char_width(ch)
        widths.append(total)
    if not mandatory and start_col + total <= width:
        return []
    forbidden = _forbidden(portion, ends_with_newline)
    if forbidden:
        opportunities = [o for o in opportunities if o not in forbidden]
    if not mandatory:
        return _fill(opportunities, widths, 0, length, start_col, width)
    breaks: list[int] = []
    bounds = [0, *mandatory, length]
    for k in range(len(bounds) - 1):
        breaks += _fill(opportunities, widths, bounds[k], bounds[k + 1], start_col if k == 0 else 0, width)
    return breaks


def break_portion(portion: str, *, start_col: int, width: int, ends_with_newline: bool) -> list[int]:
    """Where gettext breaks one escaped portion of a string (positions in `portion`)."""
    if start_col + len(portion) <= width and portion.isascii():
        return []
    return _breaks(portion, _fast_classes(portion), start_col, width, ends_with_newline)


_ESCAPES = str.maketrans({
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
})
_NEEDS_ESCAPE = re.compile('[\\\\"\n\t\r\a\b\f\v]')


def escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(_ESCAPES)


def wrap_lines(keyword: str, value: str, *, prefix: str = "", wrap: bool = True,
               page_width: int = PAGE_WIDTH) -> list[str]:
    """The lines gettext writes for `keyword "value"` (without line ends), with `prefix` on each."""
    return wrap_to(keyword, value, prefix, (page_width if wrap else 1 << 30) - 2 - len(prefix))


def text_width(prefix: str, wrap: bool) -> int:
    """The columns a line's text gets (wrap_to's `width`) after `prefix` and the quotes."""
    return (PAGE_WIDTH if wrap else 1 << 30) - 2 - len(prefix)


def wrap_to(keyword: str, value: str, prefix: str, width: int) -> list[str]:
    """wrap_lines, given the columns of a line's text (see text_width): for a writer that wraps
    many strings with the same prefix."""
    if not value:
        return [f'{prefix}{keyword} ""']
    start_col = len(keyword) + 1
    newline_at = value.find("\n")
    if newline_at < 0 or newline_at == len(value) - 1:       # one portion: most strings
        portion = escape(value)
        length = len(portion)
        if start_col + length <= width and portion.isascii():
            return [f'{prefix}{keyword} "{portion}"']
        classes = _fast_classes(portion)
        if classes is not None:
            if start_col + length <= width:
                return [f'{prefix}{keyword} "{portion}"']
            forbidden = _forbidden(portion, newline_at >= 0)
            # a portion too long for the keyword's line goes below it when it can be broken at all
            # (with room for it on a line of its own: when it has an opportunity to break)
            if length > width:
                breaks = _fast_fill(classes, forbidden, 0, width)
                if not breaks and start_col <= width:
                    return [f'{prefix}{keyword} "{portion}"']    # too long, but nowhere to break
            elif start_col <= width and not _fast_fill(classes, forbidden, start_col, width, True):
                return [f'{prefix}{keyword} "{portion}"']
            else:
                breaks = []
            lines = [f'{prefix}{keyword} ""']
            last = 0
            for b in breaks:
                lines.append(f'{prefix}"{portion[last:b]}"')
                last = b
            lines.append(f'{prefix}"{portion[last:]}"')
            return lines
        portions = [value]
        more_portions = False
    else:
        pieces = value.split("\n")
        portions = [p + "\n" for p in pieces[:-1]]
        if pieces[-1]:
            portions.append(pieces[-1])
        more_portions = True
    lines: list[str] = []
    first_line = True
    for portion_text in portions:
        portion = escape(portion_text)
        newline = portion_text.endswith("\n")
        classes = _fast_classes(portion)
        if first_line:
            if more_portions or start_col > width or _breaks(portion, classes, start_col, width, newline,
                                                             first_only=True):
                lines.append(f'{prefix}{keyword} ""')
                first_line = False
                breaks = _breaks(portion, classes, 0, width, newline)
            else:
                breaks = []
        else:
            breaks = _breaks(portion, classes, 0, width, newline)
        head = f"{prefix}{keyword} " if first_line else prefix
        first_line = False
        last = 0
        for b in breaks:
            lines.append(f'{head}"{portion[last:b]}"')
            head, last = prefix, b
        lines.append(f'{head}"{portion[last:]}"')
    return lines
