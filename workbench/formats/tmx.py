"""TMX 1.4 translation memory files: read safely (no entities, no external DTD) and write."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from workbench.domain.errors import FormatError, UnknownLanguageError
from workbench.domain.languages import normalize_tag

KEY_PROP = "x-workbench-key"
ORIGIN_PROP = "x-workbench-origin"
_TMX_DATE = "%Y%m%dT%H%M%SZ"
#: Characters XML 1.0 cannot carry (they are dropped on export).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class TmxEntry:
    """One source text and its translation into one language."""

    source_language: str
    target_language: str
    source: str
    target: str
    key: str | None = None
    origin: str | None = None
    author: str | None = None
    created_at: datetime | None = None


# -- reading -----------------------------------------------------------------------------

class _Reader:
    def __init__(self, display_path: str, default_source: str | None) -> None:
        self.path = display_path
        self.default_source = default_source
        self.entries: list[TmxEntry] = []
        self.header_srclang: str | None = None
        self.seen_root = False
        self.tu: dict | None = None
        self.tuv_lang: str | None = None
        self.seg_depth = 0
        self.seg_text: list[str] = []
        self.prop_type: str | None = None
        self.prop_text: list[str] = []
        self.tags: dict[str, str] = {}        # xml:lang as written -> normalized
        self.parser = expat.ParserCreate(namespace_separator=None)
        p = self.parser
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars
        p.EntityDeclHandler = self.forbidden
        p.UnparsedEntityDeclHandler = self.forbidden
        p.ExternalEntityRefHandler = self.forbidden_ref

    def fail(self, problem: str) -> FormatError:
        return FormatError(self.path, self.parser.CurrentLineNumber, problem)

    def forbidden(self, *args) -> None:
        raise self.fail("entity declarations are not allowed in a TMX file")

    def forbidden_ref(self, *args) -> int:
        raise self.fail("external entities are not allowed in a TMX file")

    def lang(self, attrs: dict, what: str) -> str:
        value = attrs.get("xml:lang") or attrs.get("lang")
        if not value:
            raise self.fail(f"<{what}> without xml:lang")
        found = self.tags.get(value)
        if found is None:
            try:
                found = self.tags[value] = normalize_tag(value)
            except UnknownLanguageError:
                raise self.fail(f"<{what}> has an invalid language {value!r}") from None
        return found

    def start(self, name: str, attrs: dict) -> None:
        if self.seg_depth:
            self.seg_depth += 1
            return
        if not self.seen_root:
            if name != "tmx":
                raise self.fail(f"not a TMX file: the root element is <{name}>, not <tmx>")
            self.seen_root = True
            return
        if name == "header":
            src = attrs.get("srclang")
            if src and src != "*all*":
                try:
                    self.header_srclang = normalize_tag(src)
                except UnknownLanguageError:
                    raise self.fail(f"<header> has an invalid srclang {src!r}") from None
        elif name == "tu":
            src = attrs.get("srclang")
            self.tu = {"line": self.parser.CurrentLineNumber, "tuvs": [], "props": {},
                       "srclang": None if not src or src == "*all*" else src,
                       "author": attrs.get("changeid") or attrs.get("creationid"),
                       "date": attrs.get("changedate") or attrs.get("creationdate")}
        elif name == "tuv" and self.tu is not None:
            self.tuv_lang = self.lang(attrs, "tuv")
        elif name == "seg" and self.tuv_lang is not None:
            self.seg_depth = 1
            self.seg_text = []
        elif name == "prop" and self.tu is not None and self.tuv_lang is None:
            self.prop_type = attrs.get("type")
            self.prop_text = []

    def chars(self, data: str) -> None:
        if self.seg_depth:
            self.seg_text.append(data)
        elif self.prop_type is not None:
            self.prop_text.append(data)

    def end(self, name: str) -> None:
        if self.seg_depth:
            self.seg_depth -= 1
            if self.seg_depth == 0 and self.tu is not None:
                self.tu["tuvs"].append((self.tuv_lang, "".join(self.seg_text)))
            return
        if name == "prop" and self.prop_type is not None:
            if self.tu is not None:
                self.tu["props"][self.prop_type] = "".join(self.prop_text)
            self.prop_type = None
        elif name == "tuv":
            self.tuv_lang = None
        elif name == "tu" and self.tu is not None:
            self.finish_tu(self.tu)
            self.tu = None

    def finish_tu(self, tu: dict) -> None:
        tuvs = tu["tuvs"]
        if len(tuvs) < 2:
            return
        src_tag = tu["srclang"] or self.header_srclang or self.default_source
        if src_tag is None:
            raise FormatError(self.path, tu["line"], "no source language: set srclang on <header> or <tu>")
        src_tag = self.tags.get(src_tag) or normalize_tag(src_tag)
        sources = [text for lang, text in tuvs if _same_language(lang, src_tag)]
        if not sources:
            raise FormatError(self.path, tu["line"], f"<tu> has no variant in its source language {src_tag}")
        source = sources[0]
        source_lang = next(lang for lang, _ in tuvs if _same_language(lang, src_tag))
        when = _parse_date(tu["date"])
        for lang, text in tuvs:
            if _same_language(lang, src_tag) or not text.strip() or not source.strip():
                continue
            self.entries.append(TmxEntry(
                source_language=source_lang, target_language=lang, source=source, target=text,
                key=tu["props"].get(KEY_PROP) or None, origin=tu["props"].get(ORIGIN_PROP) or None,
                author=tu["author"] or None, created_at=when))


def _same_language(a: str, b: str) -> bool:
    return a == b or a.split("-")[0] == b or b.split("-")[0] == a


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, _TMX_DATE).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def read_tmx(data: bytes, *, display_path: str, default_source: str | None = None) -> list[TmxEntry]:
    """The entries of a TMX file; a malformed file or one declaring entities is refused as a whole."""
    reader = _Reader(display_path, default_source)
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise FormatError(display_path, exc.lineno, f"not well-formed XML: {expat.ErrorString(exc.code)}") from None
    if not reader.seen_root:
        raise FormatError(display_path, None, "not a TMX file (empty)")
    return reader.entries


def read_tmx_file(path: Path, *, display_path: str | None = None,
                  default_source: str | None = None) -> list[TmxEntry]:
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(shown, None, f"cannot read: {exc.strerror}") from None
    return read_tmx(data, display_path=shown, default_source=default_source)


# -- writing -----------------------------------------------------------------------------

def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value)).replace("\r", "&#13;")


def write_tmx(entries: Iterable[TmxEntry], *, source_language: str, tool_version: str = "0.1.0") -> bytes:
    """A TMX 1.4 document with one <tu> per entry (source variant first)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
        '<tmx version="1.4">\n',
        f'  <header creationtool="workbench" creationtoolversion={quoteattr(tool_version)} '
        f'datatype="plaintext" segtype="sentence" adminlang="en" '
        f'srclang={quoteattr(source_language)} o-tmf="workbench"/>\n',
        "  <body>\n",
    ]
    for e in entries:
        attrs = f" srclang={quoteattr(e.source_language)}"
        if e.created_at is not None:
            when = e.created_at if e.created_at.tzinfo else e.created_at.replace(tzinfo=timezone.utc)
            attrs += f' creationdate="{when.astimezone(timezone.utc).strftime(_TMX_DATE)}"'
        if e.author:
            attrs += f" creationid={quoteattr(_NOT_XML.sub('', e.author))}"
        out.append(f"    <tu{attrs}>\n")
        if e.key:
            out.append(f'      <prop type="{KEY_PROP}">{_text(e.key)}</prop>\n')
        if e.origin:
            out.append(f'      <prop type="{ORIGIN_PROP}">{_text(e.origin)}</prop>\n')
        out.append(f"      <tuv xml:lang={quoteattr(e.source_language)}><seg>{_text(e.source)}</seg></tuv>\n")
        out.append(f"      <tuv xml:lang={quoteattr(e.target_language)}><seg>{_text(e.target)}</seg></tuv>\n")
        out.append("    </tu>\n")
    out.append("  </body>\n</tmx>\n")
    return "".join(out).encode("utf-8")
