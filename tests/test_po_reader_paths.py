"""The PO reader's two paths: a regularly laid-out file is cut into entries by one pattern, any
other goes line by line; both must give the same catalog (and the line reader every error)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.errors import FormatError, FormatErrors
from workbench.formats import po_reader
from workbench.formats.po_reader import decode, read_po

REPO = Path(__file__).resolve().parent.parent
FILES = sorted([*REPO.glob("tests/fixtures/**/*.po"), *REPO.glob("tests/fixtures/**/*.pot"),
                *REPO.glob("locales/**/*.po"), *REPO.glob("locales/*.pot")])

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')

#: Regular files: the fast path reads them.
REGULAR = [
    HEADER + 'msgid "a"\nmsgstr "b"\n',
    HEADER + 'msgid "a"\nmsgstr "b"',                                   # no final line break
    "\n\n" + HEADER + 'msgid "a"\nmsgstr "b"\n\n\n',                    # blank lines around
    HEADER + '# translator\n#  two spaces\n#\n#. extracted\n#.no space\n#: a.py:1 b.py:2\n#: a.py:1 c.py\n'
             '#, python-format, fuzzy\n#, approved\nmsgctxt "m1/p1"\nmsgid "Hello %s"\nmsgstr "Hallo %s"\n',
    HEADER + 'msgctxt ""\n"m1/"\n"p2"\nmsgid ""\n"first line\\n"\n"second \\"quoted\\" \\\\ \\t"\n'
             'msgstr ""\n"erste\\n"\n"zweite"\n',
    HEADER + 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "eins"\nmsgstr[1] ""\n"viele"\n',
    HEADER + '#: \u2068name with spaces.py\u2069:12 other.py\nmsgid "x"\nmsgstr ""\n',
    'msgid "no header"\nmsgstr ""\n',
    "",
    HEADER + '#, fuzzy\n#| msgctxt "m1/p1"\n#| msgid "Old "\n#| "text"\n#| msgid_plural "olds"\n'
             'msgctxt "m1/p1"\nmsgid "New"\nmsgid_plural "news"\nmsgstr[0] "Neu"\nmsgstr[1] "Neue"\n',
    HEADER + '#|   msgid   "spaced \\"previous\\""  \n# comment after\nmsgid "a"\nmsgstr "b"\n',
]

#: Files the fast path hands over to the line reader (which reads them, or refuses them).
IRREGULAR = [
    HEADER + 'msgid "a"\r\nmsgstr "b"\r\n',                             # CR LF
    HEADER + '#~ msgid "old"\n#~ msgstr "alt"\n',                       # obsolete
    HEADER + '#| msgid "before" "after"\nmsgid "a"\nmsgstr "b"\n',     # previous in two strings
    HEADER + '#| "before"\nmsgid "a"\nmsgstr "b"\n',                   # a #| string without keyword
    HEADER + '#| msgstr "before"\nmsgid "a"\nmsgstr "b"\n',            # unknown #| keyword
    HEADER + '#~| msgid "old"\n#~ msgid "a"\n#~ msgstr "b"\n',          # obsolete previous
    HEADER + 'msgid "caf\\303\\251"\nmsgstr "x"\n',                     # octal escapes (bytes)
    HEADER + 'msgid  "a"\nmsgstr "b"\n',                                # two spaces
    HEADER + 'msgid "a" "b"\nmsgstr "c"\n',                             # two strings on a line
    HEADER + 'msgid "a"\n\nmsgstr "b"\n',                               # blank line inside the entry
    HEADER + '#, fuzzy\n\nmsgid "a"\nmsgstr "b"\n',                     # blank line after comments
    HEADER + 'msgid "a"\nmsgstr "b" \n',                                # space after the string
    # errors: each one the line reader names
    HEADER + 'msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n',          # duplicate
    HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n',              # plural with msgstr
    HEADER + 'msgid "a"\nmsgstr[0] "b"\n',                              # msgstr[n] without plural
    HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "c"\n',
    HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\nmsgstr[2] "d"\n',  # beyond nplurals
    HEADER + 'msgid "a\\q"\nmsgstr "b"\n',                              # invalid escape
    HEADER + 'msgid "a\nmsgstr "b"\n',                                  # unterminated
    HEADER + HEADER,                                                    # two headers
    HEADER + 'msgid "a"\nmsgstr "b"\n# dangling comment\n',
]


def both(text: str):
    data = text.encode("utf-8")
    decoded, charset, bom = decode(data, "x.po")
    fast = po_reader._read_regular(decoded, "x.po", charset, bom)
    try:
        slow = po_reader._read_lines(decoded, "x.po", charset, bom)
    except (FormatError, FormatErrors) as exc:
        slow = exc
    return fast, slow


@pytest.mark.parametrize("text", REGULAR)
def test_a_regular_file_is_read_by_the_fast_path_as_the_line_reader_reads_it(text):
    fast, slow = both(text)
    assert fast is not None
    assert fast == slow
    assert read_po(text.encode("utf-8"), "x.po") == slow


@pytest.mark.parametrize("text", IRREGULAR)
def test_anything_else_goes_to_the_line_reader(text):
    fast, slow = both(text)
    assert fast is None
    if isinstance(slow, Exception):
        with pytest.raises(type(slow)) as raised:
            read_po(text.encode("utf-8"), "x.po")
        assert str(raised.value) == str(slow)
    else:
        assert read_po(text.encode("utf-8"), "x.po") == slow


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_real_catalogs_read_the_same_on_both_paths(path):
    decoded, charset, bom = decode(path.read_bytes(), path.name)
    fast = po_reader._read_regular(decoded, path.name, charset, bom)
    slow = po_reader._read_lines(decoded, path.name, charset, bom)
    assert fast is None or fast == slow
    assert read_po(path.read_bytes(), path.name) == slow


def test_the_demo_catalogs_take_the_fast_path():
    demo = [p for p in FILES if p.is_relative_to(REPO / "locales")]
    assert demo
    for path in demo:
        decoded, charset, bom = decode(path.read_bytes(), path.name)
        assert po_reader._read_regular(decoded, path.name, charset, bom) is not None, path
