"""A gettext catalog in memory: entries with everything a PO file can say, and the header."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FUZZY = "fuzzy"

#: The format flags GNU gettext 0.21 knows, in the order msgcat writes them.
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)
_FORMAT_RANK = {f"{lang}-format": i for i, lang in enumerate(FORMAT_LANGUAGES)}
_FORMAT_RANK.update({f"no-{lang}-format": i for i, lang in enumerate(FORMAT_LANGUAGES)})


@dataclass(slots=True)
class PoEntry:
    """One message of a catalog (the header is the entry whose msgid is empty)."""

    msgid: str
    forms: list[str] = field(default_factory=lambda: [""])   # msgstr, or msgstr[0..n]
    msgid_plural: str | None = None
    msgctxt: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0                              # where the entry's msgid is in its file

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None


@dataclass(slots=True)
class PoCatalog:
    header: PoEntry | None
    entries: list[PoEntry]                     # the header excluded, obsolete entries included
    charset: str = "UTF-8"                     # as declared by the file
    bom: bool = False

    @property
    def header_fields(self) -> list[tuple[str, str]]:
        return parse_header(self.header.forms[0]) if self.header else []

    def header_value(self, name: str) -> str | None:
        for key, value in self.header_fields:
            if key.lower() == name.lower():
                return value
        return None


def parse_header(text: str) -> list[tuple[str, str]]:
    """`Name: value` lines of a header msgstr, in order (lines without a colon are skipped)."""
    fields = []
    for line in text.split("\n"):
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields.append((name.strip(), value.strip()))
    return fields


def set_header_fields(text: str, updates: dict[str, str], *, order: tuple[str, ...] = ()) -> str:
    """`text` with the fields in `updates` replaced in place, or added after the fields of `order`
    that come before them (in the standard header order), keeping every other line as it is."""
    lines = text.split("\n")
    trailing_newline = text.endswith("\n")
    if trailing_newline:
        lines = lines[:-1]
    names = [line.partition(":")[0].strip().lower() if ":" in line else None for line in lines]
    for name, value in updates.items():
        low = name.lower()
        if low in names:
            lines[names.index(low)] = f"{name}: {value}"
            continue
        position = len(lines)
        if low in [o.lower() for o in order]:
            later = [o.lower() for o in order[[o.lower() for o in order].index(low) + 1:]]
            for i, existing in enumerate(names):
                if existing in later:
                    position = i
                    break
        lines.insert(position, f"{name}: {value}")
        names.insert(position, low)
    out = "\n".join(lines)
    return out + "\n" if trailing_newline or not text else out


#: The header fields in the order xgettext and msginit write them.
HEADER_ORDER = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "Plural-Forms",
)

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def nplurals_of(plural_forms: str | None) -> int | None:
    """The number of plural forms a Plural-Forms header declares, or None."""
    if not plural_forms:
        return None
    m = _NPLURALS.search(plural_forms)
    return int(m.group(1)) if m else None


def sorted_flags(flags: list[str]) -> list[str]:
    """Flags in the order msgcat writes them: fuzzy, format flags, range, no-wrap, then ours."""
    def rank(flag: str) -> tuple[int, int]:
        if flag == FUZZY:
            return (0, 0)
        if flag in _FORMAT_RANK:
            return (1, _FORMAT_RANK[flag])
        if flag.startswith("range:"):
            return (2, 0)
        if flag == "no-wrap":
            return (3, 0)
        return (4, 0)
    unique: list[str] = []
    for flag in flags:
        if flag not in unique:
            unique.append(flag)
    return sorted(unique, key=rank)
