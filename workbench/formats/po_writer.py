"""Write a catalog as GNU gettext 0.21's msgcat writes it (same order, wrapping and comments).

So an unchanged catalog written by msgcat, msgmerge or xgettext comes back byte for byte, and a
re-export of unchanged data changes nothing in git.
"""

from __future__ import annotations

from workbench.formats.po_catalog import PoCatalog, PoEntry, sorted_flags
from workbench.formats.po_wrap import PAGE_WIDTH, text_width, wrap_to


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
    if entry.translator_comments or entry.extracted_comments or entry.references or entry.flags:
        _comment_lines(entry, out)
    wrap = "no-wrap" not in entry.flags if entry.flags else True
    if entry.previous_msgid is not None or entry.previous_msgctxt is not None \
            or entry.previous_msgid_plural is not None:
        prev = "#~| " if entry.obsolete else "#| "
        width = text_width(prev, wrap)
        if entry.previous_msgctxt is not None:
            out += wrap_to("msgctxt", entry.previous_msgctxt, prev, width)
        if entry.previous_msgid is not None:
            out += wrap_to("msgid", entry.previous_msgid, prev, width)
        if entry.previous_msgid_plural is not None:
            out += wrap_to("msgid_plural", entry.previous_msgid_plural, prev, width)
    prefix = "#~ " if entry.obsolete else ""
    width = text_width(prefix, wrap)
    if entry.msgctxt is not None:
        out += wrap_to("msgctxt", entry.msgctxt, prefix, width)
    out += wrap_to("msgid", entry.msgid, prefix, width)
    if entry.msgid_plural is not None:
        out += wrap_to("msgid_plural", entry.msgid_plural, prefix, width)
        for i, form in enumerate(entry.forms):
            out += wrap_to(f"msgstr[{i}]", form, prefix, width)
    else:
        out += wrap_to("msgstr", entry.forms[0] if entry.forms else "", prefix, width)


def write_po(catalog: PoCatalog) -> str:
    """The text of a catalog: header, live entries in their order, then the obsolete ones."""
    out: list[str] = []             # entries' lines, with an empty line between two entries
    if catalog.header is not None:
        _entry_lines(catalog.header, out)
    for obsolete in (False, True):
        for entry in catalog.entries:
            if entry.obsolete is obsolete:
                if out:
                    out.append("")
                _entry_lines(entry, out)
    return "\n".join(out) + "\n" if out else ""
