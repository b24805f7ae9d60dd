"""A strict, fast reader of PO and POT files: every problem is reported as `path:line: what`.

It accepts what GNU gettext accepts (charset from the header, UTF-8 byte order mark, CRLF line
ends, octal and hex escapes, `#~` obsolete entries with `#~|` previous strings) and refuses what
msgfmt refuses, so that a file we import is one that gettext's tools can read too.
"""

from __future__ import annotations

import codecs
import re

from workbench.domain.errors import FormatError, FormatErrors
from workbench.formats.po_catalog import PoCatalog, PoEntry, nplurals_of

MAX_ERRORS = 20
BOM = b"\xef\xbb\xbf"

_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:+-]+)")
_STRINGS = re.compile(r'[ \t]*"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.)|$)")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "a": "\a",
                   "\\": "\\", '"': '"'}
_KEYWORD = re.compile(r"([^\s\"]*)[ \t]*(.*)$")
_PLURAL_KEYWORD = re.compile(r"msgstr\[(\d+)\]$")


class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[FormatError] = []

    def add(self, line: int | None, problem: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(FormatError(self.path, line, problem))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FormatErrors(self.errors)


def decode(data: bytes, path: str) -> tuple[str, str, bool]:
    """The text of a PO file, its declared charset and whether it had a byte order mark."""
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM):]
    declared = "UTF-8"
    head = data[:65536]
    m = _CHARSET.search(head)
    if m:
        declared = m.group(1).decode("ascii")
    codec = "utf-8" if bom or declared.upper() == "CHARSET" else declared
    try:
        codecs.lookup(codec)
    except LookupError:
        raise FormatError(path, _line_of(data, m.start() if m else 0),
                          f"unknown charset {declared!r} in the header's Content-Type") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise FormatError(path, _line_of(data, exc.start),
                          f"not valid {declared} text (byte {data[exc.start]:#04x}); "
                          f"fix the bytes or the header's charset") from None
    return text, declared, bom


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _unescape(body: str, line: int, problems: _Problems, charset: str) -> str:
    if "\\" not in body:
        return body
    raw_bytes = False
    out: list[str] = []
    last = 0
    for m in _ESCAPE.finditer(body):
        out.append(body[last:m.start()])
        last = m.end()
        octal, hexa, char = m.groups()
        if octal is not None or hexa is not None:
            out.append(f"\0BYTE{int(octal, 8) if octal is not None else int(hexa, 16)}\0")
            raw_bytes = True
        elif char is not None and char in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[char])
        else:
            shown = f"\\{char}" if char is not None else "a backslash at the end of the string"
            problems.add(line, f"invalid escape sequence {shown} (use \\\\ for a backslash)")
    out.append(body[last:])
    text = "".join(out)
    if raw_bytes:
        text = _bytes_escapes(text, line, problems, charset)
    return text


def _bytes_escapes(text: str, line: int, problems: _Problems, charset: str) -> str:
    """Octal and hex escapes are bytes in the file's charset: put them together and decode."""
    codec = "utf-8" if charset.upper() == "CHARSET" else charset
    parts = re.split(r"\0BYTE(\d+)\0", text)
    data = bytearray()
    for i, part in enumerate(parts):
        if i % 2:
            data.append(int(part) & 0xFF)
        else:
            data += part.encode(codec, errors="surrogateescape")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        problems.add(line, f"an octal or hex escape makes invalid {charset} text")
        return text


def read_po(data: bytes, path: str) -> PoCatalog:
    """Parse a PO or POT file; raises FormatError or FormatErrors naming each bad line."""
    text, charset, bom = decode(data, path)
    catalog = _read_regular(text, path, charset, bom)
    if catalog is not None:
        return catalog
    return _read_lines(text, path, charset, bom)


# -- the fast path: a file laid out as gettext's tools write it -----------------------------
#
# Most catalogs are written by msgcat, msgmerge, Poedit or Weblate: every entry is comment lines,
# then `keyword "string"` lines each followed by `"continuation"` lines, entries separated by
# blank lines. Such a file is cut into entries by one regular expression that must cover it from
# end to end. Anything else (obsolete `#~` entries, `#|` previous strings, CR line ends, octal or
# hex escapes, odd spacing, and every error) goes to the line-by-line reader below, which is the
# reference: the fast path gives the same catalog or gives up.

_S = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"(?:\n"[^"\\\n]*(?:\\.[^"\\\n]*)*")*'
_ENTRY = re.compile(
    r"((?:#[^\n]*\n)*)"                                  # 1: comment lines
    r"(?:msgctxt (" + _S + r")\n)?"                        # 2: msgctxt
    r"msgid (" + _S + r")\n"                               # 3: msgid
    r"(?:msgid_plural (" + _S + r")\n)?"                   # 4: msgid_plural
    r"(?:msgstr (" + _S + r")\n|((?:msgstr\[\d+\] " + _S + r"\n)+))"   # 5: msgstr, 6: msgstr[n] lines
    r"\n*")
_PLURAL_LINE = re.compile(r"msgstr\[(\d+)\] (" + _S + r")\n")
_FAST_ESCAPE = re.compile(r"\\(.)")


class _GiveUp(Exception):
    """The fast path cannot read this file as the line reader would."""


def _fast_string(quoted: str) -> str:
    """The value of `"..."` or `"..."\n"..."` (quotes and line breaks of continuations removed)."""
    body = quoted[1:-1] if "\n" not in quoted else "".join(part[1:-1] for part in quoted.split("\n"))
    if "\\" in body:
        def simple(m: re.Match) -> str:
            value = _SIMPLE_ESCAPES.get(m.group(1))
            if value is None:            # octal, hex or invalid: the line reader knows what to do
                raise _GiveUp
            return value
        body = _FAST_ESCAPE.sub(simple, body)
    return body


_ONE_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def _previous_line(line: str, field: str, previous: dict[str, str]) -> str:
    """A `#| keyword "..."` or `#| "..."` line into `previous`; returns the keyword it continues."""
    rest = line[2:].lstrip(" \t")
    if rest.startswith('"'):
        if not previous or not field:
            raise _GiveUp                    # an error: a #| string without a #| keyword
        keyword, tail = field, rest
    else:
        keyword, _, tail = rest.partition(" ")
        if keyword not in ("msgctxt", "msgid", "msgid_plural"):
            raise _GiveUp
    tail = tail.strip(" \t")
    if _ONE_STRING.fullmatch(tail) is None:
        raise _GiveUp                        # several strings on the line, or an error
    value = _fast_string(tail)
    if rest.startswith('"'):
        previous[keyword] += value
    else:
        previous[keyword] = value
    return keyword


def _read_regular(text: str, path: str, charset: str, bom: bool) -> PoCatalog | None:
    """The catalog of a regularly laid-out file, or None when the line reader must read it."""
    if "\r" in text or "#~" in text:
        return None
    if not text.endswith("\n"):
        text += "\n"
    pos = len(text) - len(text.lstrip("\n"))
    end = len(text)
    entries: list[PoEntry] = []
    header: PoEntry | None = None
    line = 1 + pos
    last = pos
    string = _fast_string
    try:
        for m in _ENTRY.finditer(text, pos):
            if m.start() != last:
                return None
            comments, ctxt, msgid, plural, msgstr, plurals = m.groups()
            translator: list[str] = []
            extracted: list[str] = []
            references: list[str] = []
            flags: list[str] = []
            previous: dict[str, str] = {}
            if comments:
                comment_lines = comments.split("\n")
                comment_lines.pop()
                field = ""                   # the #| keyword that a `#| "..."` line continues
                for c in comment_lines:
                    kind = c[1:2]
                    if kind == "|":
                        field = _previous_line(c, field, previous)
                        continue
                    field = ""
                    if kind == ",":
                        flags.extend(f.strip() for f in c[2:].split(",") if f.strip())
                    elif kind == ":":
                        body = c[2:]
                        items = re.findall(r"\u2068[^\u2069]*\u2069\S*|\S+", body) if "\u2068" in body \
                            else body.split()
                        for item in items:
                            if item not in references:
                                references.append(item)
                    elif kind == ".":
                        body = c[2:]
                        extracted.append(body[1:] if body[:1] == " " else body)
                    else:
                        body = c[1:]
                        translator.append(body[1:] if body[:1] == " " else body)
            msgid_line = line + comments.count("\n") + (1 + ctxt.count("\n") if ctxt is not None else 0)
            if plurals is None:
                if plural is not None:
                    return None              # msgid_plural with msgstr: an error
                forms = [string(msgstr)]
            else:
                if plural is None:
                    return None              # msgstr[n] without msgid_plural: an error
                forms = []
                for i, pm in enumerate(_PLURAL_LINE.finditer(plurals)):
                    if int(pm.group(1)) != i:
                        return None
                    forms.append(string(pm.group(2)))
            entry = PoEntry(string(msgid), forms, None if plural is None else string(plural),
                            None if ctxt is None else string(ctxt), translator, extracted, references, flags,
                            previous.get("msgctxt"), previous.get("msgid"), previous.get("msgid_plural"),
                            False, msgid_line)
            if entry.msgid == "" and entry.msgctxt is None:
                if header is not None:
                    return None              # a second header: an error
                header = entry
            else:
                entries.append(entry)
            line += text.count("\n", m.start(), m.end())
            last = m.end()
    except _GiveUp:
        return None
    if last != end:
        return None
    catalog = PoCatalog(header=header, entries=entries, charset=charset, bom=bom)
    problems = _Problems(path)
    _check_catalog(catalog, {}, problems)
    if problems.errors:
        return None                          # the line reader reports them, with their lines
    return catalog


def _read_lines(text: str, path: str, charset: str, bom: bool) -> PoCatalog:
    """The line-by-line reader: every file, every problem with its line."""
    problems = _Problems(path)
    entries: list[PoEntry] = []
    headers: list[PoEntry] = []
    plural_lines: dict[int, list[int]] = {}
    pending = _Pending()
    cur: _Building | None = None
    field = ""                                   # where a continuation string goes
    previous_field = ""                          # the #| keyword a `#| "..."` line continues

    def finish() -> None:
        nonlocal cur
        if cur is None:
            return
        if not cur.msgid_seen:
            problems.add(cur.line, "msgctxt without a msgid after it")
        elif not cur.forms_seen:
            problems.add(cur.line, "missing msgstr after msgid")
        elif cur.entry.msgid_plural is not None and cur.plain_msgstr:
            problems.add(cur.line, "msgid_plural needs msgstr[0], msgstr[1], ..., not msgstr")
        elif cur.entry.msgid_plural is None and not cur.plain_msgstr:
            problems.add(cur.line, "msgstr[n] without msgid_plural")
        (headers if cur.entry.is_header else entries).append(cur.entry)
        cur = None

    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:]
            if line.startswith("|"):
                line = "#" + line
            else:
                line = line.lstrip(" \t")
                if not line:
                    continue
        first = line[0]
        if first == '"':
            if not field:
                problems.add(number, "a string without a keyword before it")
                continue
            value = _string_value(line, number, problems, charset)
            if value is not None:
                if obsolete != cur.obsolete:
                    problems.add(number, "inconsistent use of #~ within an entry")
                _append(cur, field, value)
            continue
        if first == "#":
            if cur is not None:
                finish()
            field = ""
            if line[1:2] != "|":
                previous_field = ""
            kind = line[1:2]
            if kind == "|":
                rest = line[2:].lstrip(" \t")
                if rest.startswith('"'):
                    if not pending.prev or not previous_field:
                        problems.add(number, "a #| string without a #| keyword before it")
                        continue
                    value = _string_value(rest, number, problems, charset)
                    if value is not None:
                        pending.prev[previous_field] += value
                    continue
                keyword, _, tail = rest.partition(" ")
                if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                    problems.add(number, f"unknown keyword {keyword!r} in a #| line")
                    continue
                value = _string_value(tail, number, problems, charset)
                if value is not None:
                    if pending.prev and obsolete != pending.obsolete:
                        problems.add(number, "inconsistent use of #~ within an entry")
                    pending.prev[keyword] = value
                    pending.obsolete = obsolete
                    previous_field = keyword
            elif kind == ",":
                pending.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif kind == ":":
                pending.add_references(line[2:])
            elif kind == ".":
                body = line[2:]
                pending.extracted.append(body[1:] if body[:1] == " " else body)
            else:
                body = line[1:]
                pending.translator.append(body[1:] if body[:1] == " " else body)
            continue
        keyword, _, tail = line.partition(" ")
        if "\t" in keyword or '"' in keyword:
            m = _KEYWORD.match(line)
            keyword, tail = (m.group(1), m.group(2)) if m else (line, "")
        value = _string_value(tail, number, problems, charset)
        if value is None:
            value = ""
        if keyword in ("msgctxt", "msgid"):
            if cur is not None and (keyword == "msgctxt" or cur.msgid_seen):
                finish()
            if cur is None:
                if pending.prev and pending.obsolete != obsolete:
                    problems.add(number, "inconsistent use of #~ within an entry")
                cur = _Building(pending.take(), number, obsolete)
            elif obsolete != cur.obsolete:
                problems.add(number, "inconsistent use of #~ within an entry")
            if keyword == "msgctxt":
                cur.entry.msgctxt = value
            else:
                cur.entry.msgid = value
                cur.msgid_seen = True
                cur.line = cur.entry.line = number
            field = keyword
            continue
        if cur is None or not cur.msgid_seen:
            problems.add(number, f"{keyword} without a msgid before it" if keyword.startswith("msg")
                         else f"unknown keyword {keyword!r}")
            field = ""
            continue
        if obsolete != cur.obsolete:
            problems.add(number, "inconsistent use of #~ within an entry")
        if keyword == "msgid_plural":
            cur.entry.msgid_plural = value
            field = keyword
        elif keyword == "msgstr":
            if cur.forms_seen:
                problems.add(number, "a second msgstr in one entry")
            cur.entry.forms = [value]
            cur.forms_seen = cur.plain_msgstr = True
            field = "msgstr"
        else:
            m = _PLURAL_KEYWORD.match(keyword)
            if m is None:
                problems.add(number, f"unknown keyword {keyword!r}")
                field = ""
                continue
            index = int(m.group(1))
            if cur.plain_msgstr:
                problems.add(number, "msgstr and msgstr[n] in one entry")
            forms = cur.entry.forms
            if index != len(forms):
                problems.add(number, f"msgstr[{index}] where msgstr[{len(forms)}] was expected")
            forms.append(value)
            cur.forms_seen = True
            plural_lines.setdefault(id(cur.entry), []).append(number)
            field = f"msgstr_{len(forms) - 1}"
    finish()
    if pending.has_anything():
        problems.add(len(lines), "comments at the end of the file without an entry after them")
    header = headers[0] if headers else None
    for extra in headers[1:]:
        problems.add(extra.line, f"a second header entry (the first is at line {header.line})")
    catalog = PoCatalog(header=header, entries=entries, charset=charset, bom=bom)
    _check_catalog(catalog, plural_lines, problems)
    problems.raise_if_any()
    return catalog


def _string_value(tail: str, number: int, problems: _Problems, charset: str) -> str | None:
    """The concatenated value of the quoted strings in `tail`, or None (problem recorded)."""
    t = tail.strip(" \t")
    if len(t) >= 2 and t[0] == '"' and t[-1] == '"' and "\\" not in t and t.count('"') == 2:
        return t[1:-1]
    if not t.startswith('"'):
        problems.add(number, "a quoted string was expected")
        return None
    pos, parts = 0, []
    while pos < len(t):
        m = _STRINGS.match(t, pos)
        if m is None:
            rest = t[pos:].lstrip(" \t")
            if rest.startswith('"'):
                problems.add(number, "unterminated string (a closing \" is missing)")
            else:
                problems.add(number, f"unexpected text after the string: {rest[:20]!r}")
            return None
        parts.append(_unescape(m.group(1), number, problems, charset))
        pos = m.end()
        while pos < len(t) and t[pos] in " \t":
            pos += 1
    return "".join(parts)


class _Pending:
    """Comments, flags and previous strings seen before the next keyword."""

    __slots__ = ("translator", "extracted", "references", "flags", "prev", "obsolete")

    def __init__(self) -> None:
        self.translator: list[str] = []
        self.extracted: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.prev: dict[str, str] = {}
        self.obsolete = False

    def add_references(self, text: str) -> None:
        if "\u2068" in text:
            items = re.findall(r"\u2068[^\u2069]*\u2069\S*|\S+", text)
        else:
            items = text.split()
        for item in items:
            if item not in self.references:
                self.references.append(item)

    def has_anything(self) -> bool:
        return bool(self.translator or self.extracted or self.references or self.flags or self.prev)

    def take(self) -> "_Pending":
        taken = _Pending()
        for name in _Pending.__slots__:
            setattr(taken, name, getattr(self, name))
        self.__init__()
        return taken


class _Building:
    __slots__ = ("entry", "line", "obsolete", "forms_seen", "plain_msgstr", "msgid_seen")

    def __init__(self, pending: _Pending, line: int, obsolete: bool) -> None:
        self.entry = PoEntry(
            msgid="", forms=[], translator_comments=pending.translator,
            extracted_comments=pending.extracted, references=pending.references, flags=pending.flags,
            previous_msgctxt=pending.prev.get("msgctxt"), previous_msgid=pending.prev.get("msgid"),
            previous_msgid_plural=pending.prev.get("msgid_plural"), obsolete=obsolete, line=line)
        self.line = line
        self.obsolete = obsolete
        self.forms_seen = False
        self.plain_msgstr = False
        self.msgid_seen = False


def _append(cur: _Building | None, field: str, value: str) -> None:
    entry = cur.entry  # type: ignore[union-attr]
    if field == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif field == "msgid":
        entry.msgid += value
    elif field == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    elif field == "msgstr":
        entry.forms[0] += value
    else:
        entry.forms[int(field[7:])] += value


def _check_catalog(catalog: PoCatalog, plural_lines: dict[int, list[int]], problems: _Problems) -> None:
    """Duplicates and plural forms beyond what the catalog's Plural-Forms allows."""
    plural_forms = catalog.header_value("Plural-Forms")
    nplurals = nplurals_of(plural_forms)
    if nplurals is None and plural_forms is None:
        nplurals = 2                       # gettext's default when a catalog declares nothing
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog.entries:
        if not entry.obsolete:
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                what = f"msgctxt {entry.msgctxt!r} msgid {_short(entry.msgid)!r}" if entry.msgctxt is not None \
                    else f"msgid {_short(entry.msgid)!r}"
                problems.add(entry.line, f"duplicate message {what} (first defined at line {seen[key]})")
            else:
                seen[key] = entry.line
        if entry.msgid_plural is not None and nplurals is not None and len(entry.forms) > nplurals:
            lines = plural_lines.get(id(entry), [])
            where = lines[nplurals] if len(lines) > nplurals else entry.line
            problems.add(where, f"msgstr[{nplurals}] is beyond the {nplurals} plural form(s) that the "
                                f"header's Plural-Forms allows")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
