"""Write a catalog as GNU gettext 0.21's msgcat writes it (same order, wrapping and comments).

So an unchanged catalog written by msgcat, msgmerge or xgettext comes back byte for byte, and a
re-export of unchanged data changes nothing in git.
"""

from __future__ import annotations

from workbench.formats.po_catalog import PoCatalog, PoEntry, sorted_flags
from workbench.formats.po_wrap import PAGE_WIDTH, wrap_lines


def _comment_lines(entry: PoEntry, out: list[str]) -> None:
    for text in entry.translator_comments:
        out.append(f"# {text}" if text else "#")
    for text in entry.extracted_comments:
        out.append(f"#. {text}" if text else "#.")
    if entry.references:
        line, column = "#:", 2
        for ref in entry.references:
            size = len(ref.encode("utf-8"))
            if column > 2 and column + size >= PAGE_WIDTH:
                out.append(line)
                line, column = "#:", 2
            line += " " + ref
            column += size + 1
        out.append(line)
    if entry.flags:
        out.append("#, " + ", ".join(sorted_flags(entry.flags)))


def _entry_lines(entry: PoEntry, out: list[str]) -> None:
    _comment_lines(entry, out)
    wrap = "no-wrap" not in entry.flags
    prev = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        out += wrap_lines("msgctxt", entry.previous_msgctxt, prefix=prev, wrap=wrap)
    if entry.previous_msgid is not None:
        out += wrap_lines("msgid", entry.previous_msgid, prefix=prev, wrap=wrap)
    if entry.previous_msgid_plural is not None:
        out += wrap_lines("msgid_plural", entry.previous_msgid_plural, prefix=prev, wrap=wrap)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        out += wrap_lines("msgctxt", entry.msgctxt, prefix=prefix, wrap=wrap)
    out += wrap_lines("msgid", entry.msgid, prefix=prefix, wrap=wrap)
    if entry.msgid_plural is not None:
        out += wrap_lines("msgid_plural", entry.msgid_plural, prefix=prefix, wrap=wrap)
        for i, form in enumerate(entry.forms):
            out += wrap_lines(f"msgstr[{i}]", form, prefix=prefix, wrap=wrap)
    else:
        out += wrap_lines("msgstr", entry.forms[0] if entry.forms else "", prefix=prefix, wrap=wrap)


def write_po(catalog: PoCatalog) -> str:
    """The text of a catalog: header, live entries in their order, then the obsolete ones."""
    blocks: list[list[str]] = []
    if catalog.header is not None:
        lines: list[str] = []
        _entry_lines(catalog.header, lines)
        blocks.append(lines)
    for obsolete in (False, True):
        for entry in catalog.entries:
            if entry.obsolete is obsolete:
                lines = []
                _entry_lines(entry, lines)
                blocks.append(lines)
    return "\n\n".join("\n".join(b) for b in blocks) + "\n" if blocks else ""
