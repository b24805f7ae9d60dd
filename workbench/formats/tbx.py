"""TBX-Basic (ISO 30042) term bases in and out: conceptEntry / langSec / termSec.

What we write (TBX v3, TBX-Basic dialect, namespace urn:iso:std:iso:30042:ed-2):

    conceptEntry id=...            one concept
      descrip type=subjectField    Concept.subject
      descrip type=definition      Concept.definitions[lang] of a language without terms (xml:lang)
                                   (in a descripGrp with admin type=source when it has a source)
      admin type=projectSubset     one per Concept.tags entry (e.g. "french-only")
      admin type=source            Concept.source
      note                         Concept.note
      langSec xml:lang=...
        descrip type=definition    Concept.definitions[lang], or when Concept.definition_sources has
        descripGrp                 a source for it: descripGrp / descrip type=definition +
                                   admin type=source (TBX-Basic's source of a definition)
        termSec
          term
          termNote type=administrativeStatus   preferredTerm-admn-sts | admittedTerm-admn-sts |
                                               deprecatedTerm-admn-sts (forbidden)
          termNote type=termType               fullForm, acronym, phrase, ... (when not fullForm)
          note                                 Term.note
          note                                 `homonym of ID`, one per Term.homonym_of entry

TBX-Basic has no "do not translate" status. We write such a term as preferred with a note that is
exactly `do-not-translate` (DNT_NOTE) and read that note back as the status, so the round trip
keeps it while other TBX tools still see a valid preferred term.

A deliberate homonym (a term another concept has too, which a coordinator decided names a
different concept) is written the same way: a term note that is exactly `homonym of ` (HOMONYM_NOTE)
and the other concept's id, read back into Term.homonym_of; other tools show it as a plain note.

What we read: the same, and the older TBX-Basic 2008 form (`martif` / `termEntry` / `langSet` /
`tig` or `ntig`), with or without namespaces. `supersededTerm-admn-sts` is read as forbidden; a
term without a status is read as admitted. Files with a DOCTYPE or an entity declaration are
refused (no entity expansion attacks, no external entities).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import ClassVar
from xml.parsers import expat

from workbench.domain.errors import FormatError, FormatErrors, UnknownLanguageError
from workbench.domain.languages import normalize_tag
from workbench.domain.terms import (
    CONCEPT_ID, Concept, Term, TermBase, TermError, TermStatus, TermType, slugify,
)

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DNT_NOTE = "do-not-translate"
HOMONYM_NOTE = "homonym of "
_HOMONYM = re.compile(f"{re.escape(HOMONYM_NOTE)}({CONCEPT_ID})")

STATUS_TO_TBX = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.FORBIDDEN: "deprecatedTerm-admn-sts",
    TermStatus.DO_NOT_TRANSLATE: "preferredTerm-admn-sts",
}
TBX_TO_STATUS = {
    "preferredTerm-admn-sts": TermStatus.PREFERRED,
    "admittedTerm-admn-sts": TermStatus.ADMITTED,
    "deprecatedTerm-admn-sts": TermStatus.FORBIDDEN,
    "supersededTerm-admn-sts": TermStatus.FORBIDDEN,
}
TERM_TYPES = {t.value: t for t in TermType}

_RNG = ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
        "TBXcoreStructV03_TBX-Basic_integrated.rng")
_SCH = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"


class _Refused(Exception):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass
class _Parsed:
    root: ET.Element
    lines: dict[int, int]          # id(element) -> line where it starts


def _parse(data: bytes, path: str) -> _Parsed:
    """Well-formed XML into an ElementTree, refusing DTDs and entities, remembering lines."""
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(*_args):
        raise _Refused("a DOCTYPE is not allowed in a term base (entity expansion is refused)")

    def refuse_entity(*_args):
        raise _Refused("entity declarations are not allowed in a term base")

    def start(name, attrs):
        tag = "{" + name if "}" in name else name
        clean = {("{" + k if "}" in k else k): v for k, v in attrs.items()}
        elem = builder.start(tag, clean)
        lines[id(elem)] = parser.CurrentLineNumber

    def end(name):
        builder.end("{" + name if "}" in name else name)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise FormatError(path, parser.CurrentLineNumber, str(exc)) from None
    except expat.ExpatError as exc:
        raise FormatError(path, exc.lineno, f"not well-formed XML: {expat.ErrorString(exc.code)}") from None
    root = builder.close()
    return _Parsed(root, lines)


def _text(elem: ET.Element | None) -> str:
    if elem is None:
        return ""
    return "".join(elem.itertext()).strip()


def _children(elem: ET.Element, *names: str) -> list[ET.Element]:
    return [c for c in elem if _local(c.tag) in names]


def read_tbx(data: bytes, *, path: str) -> TermBase:
    """A TBX-Basic file's concepts; every problem is reported with its line."""
    parsed = _parse(data, path)
    root = parsed.root
    errors: list[FormatError] = []

    def err(elem: ET.Element, problem: str) -> None:
        errors.append(FormatError(path, parsed.lines.get(id(elem)), problem))

    if _local(root.tag) not in ("tbx", "martif"):
        raise FormatError(path, parsed.lines.get(id(root)),
                          f"not a TBX file: the root element is <{_local(root.tag)}>, expected <tbx>")
    body = None
    for text in _children(root, "text"):
        for b in _children(text, "body"):
            body = b
    if body is None:
        raise FormatError(path, parsed.lines.get(id(root)), "no <text><body> in this TBX file")
    concepts: list[Concept] = []
    ids: set[str] = set()
    for entry in _children(body, "conceptEntry", "termEntry"):
        concept = _read_concept(entry, err, ids)
        ids.add(entry.get("id", "").strip() or (concept.id if concept else ""))
        if concept is not None:
            concepts.append(concept)
    if errors:
        raise FormatErrors(errors)
    return TermBase(tuple(concepts))


def _read_concept(entry: ET.Element, err, ids: set[str]) -> Concept | None:
    concept_id = entry.get("id", "").strip()
    subject, source, notes, tags = "", [], [], []
    terms: dict[str, list[Term]] = {}
    definitions: dict[str, str] = {}
    def_sources: dict[str, str] = {}
    ok = True
    for child in entry:
        name, kind = _local(child.tag), child.get("type", "")
        if name == "descrip" and kind == "subjectField":
            subject = _text(child)
        elif name == "descrip" and kind == "definition":
            lang = child.get(XML_LANG)
            try:
                definitions[normalize_tag(lang) if lang else "und"] = _text(child)
            except UnknownLanguageError:
                err(child, f"<descrip type=\"definition\"> has a bad xml:lang {lang!r}")
                ok = False
        elif name == "admin" and kind == "source":
            source.append(_text(child))
        elif name == "admin" and kind in ("projectSubset", "customerSubset"):
            tags.append(_text(child))
        elif name == "note":
            notes.append(_text(child))
        elif name == "descripGrp":
            for d in _children(child, "descrip"):
                if d.get("type") == "definition":
                    lang = d.get(XML_LANG)
                    try:
                        key = normalize_tag(lang) if lang else "und"
                    except UnknownLanguageError:
                        err(d, f"<descrip type=\"definition\"> has a bad xml:lang {lang!r}")
                        ok = False
                        continue
                    definitions.setdefault(key, _text(d))
                    if _group_source(child):
                        def_sources.setdefault(key, _group_source(child))
        elif name in ("langSec", "langSet"):
            raw_lang = child.get(XML_LANG) or child.get("lang") or ""
            try:
                lang = normalize_tag(raw_lang)
            except UnknownLanguageError:
                err(child, f"<{name}> needs an xml:lang with a language code, found {raw_lang!r}")
                ok = False
                continue
            for part in child:
                pname = _local(part.tag)
                if pname == "descrip" and part.get("type") == "definition":
                    definitions[lang] = _text(part)
                elif pname == "descripGrp":
                    for d in _children(part, "descrip"):
                        if d.get("type") == "definition":
                            definitions[lang] = _text(d)
                            if _group_source(part):
                                def_sources[lang] = _group_source(part)
                elif pname in ("termSec", "tig", "ntig"):
                    term = _read_term(part, err)
                    if term is None:
                        ok = False
                    elif any(t.text == term.text for t in terms.get(lang, [])):
                        err(part, f"term {term.text!r} [{lang}] is listed twice in this concept")
                        ok = False
                    else:
                        terms.setdefault(lang, []).append(term)
    if "und" in definitions:   # a concept-level definition: keep it under the first language
        first = next(iter(terms), None)
        text = definitions.pop("und")
        source_of = def_sources.pop("und", "")
        if first and first not in definitions:
            definitions[first] = text
            if source_of:
                def_sources[first] = source_of
        elif text:
            notes.append(text + (f" (source: {source_of})" if source_of else ""))
    if not concept_id:
        label = next((t.text for ts in terms.values() for t in ts), "concept")
        concept_id = slugify(label)
        n = 2
        while concept_id in ids:
            concept_id, n = f"{slugify(label)}-{n}", n + 1
    if concept_id in ids:
        err(entry, f"concept id {concept_id!r} is used twice")
        return None
    if not ok:
        return None
    try:
        return Concept(id=concept_id, terms={k: tuple(v) for k, v in terms.items()},
                       definitions=definitions, definition_sources=def_sources,
                       source="\n".join(s for s in source if s),
                       note="\n".join(n for n in notes if n), subject=subject,
                       tags=tuple(t for t in tags if t))
    except TermError as exc:
        err(entry, str(exc))
        return None


def _read_term(part: ET.Element, err) -> Term | None:
    holder = part
    if _local(part.tag) == "ntig":
        groups = _children(part, "termGrp")
        holder = groups[0] if groups else part
    term_elems = _children(holder, "term")
    if len(term_elems) != 1 or not _text(term_elems[0]):
        err(part, "a term section needs exactly one non-empty <term>")
        return None
    text = " ".join(_text(term_elems[0]).split())
    status: TermStatus | None = None
    ttype = TermType.FULL_FORM
    notes: list[str] = []
    homonym_of: list[str] = []
    dnt = False
    for child in [*part, *(holder if holder is not part else [])]:
        name, kind = _local(child.tag), child.get("type", "")
        if name == "termNote" and kind == "administrativeStatus":
            value = _text(child)
            if value not in TBX_TO_STATUS:
                err(child, f"unknown administrativeStatus {value!r} (known: {', '.join(TBX_TO_STATUS)})")
                return None
            status = TBX_TO_STATUS[value]
        elif name == "termNote" and kind == "termType":
            value = _text(child)
            if value not in TERM_TYPES:
                err(child, f"unknown termType {value!r} (known: {', '.join(TERM_TYPES)})")
                return None
            ttype = TERM_TYPES[value]
        elif name == "note":
            value = _text(child)
            homonym = _HOMONYM.fullmatch(value)
            if value == DNT_NOTE:
                dnt = True
            elif homonym:
                homonym_of.append(homonym.group(1))
            elif value:
                notes.append(value)
    if dnt:
        status = TermStatus.DO_NOT_TRANSLATE
    return Term(text=text, status=status or TermStatus.ADMITTED, type=ttype, note="\n".join(notes),
                homonym_of=tuple(homonym_of))


def _group_source(group: ET.Element) -> str:
    """The admin type=source of a descripGrp (the source of its definition), or ""."""
    return "\n".join(_text(a) for a in _children(group, "admin") if a.get("type") == "source" and _text(a))


def _write_definition(parent: ET.Element, text: str, source: str, *, lang: str | None = None) -> None:
    """A definition, in a descripGrp with its source when it has one."""
    attrs = {"type": "definition", **({XML_LANG: lang} if lang else {})}
    if not source:
        ET.SubElement(parent, "descrip", attrs).text = text
        return
    group = ET.SubElement(parent, "descripGrp")
    ET.SubElement(group, "descrip", attrs).text = text
    ET.SubElement(group, "admin", {"type": "source"}).text = source


def write_tbx(termbase: TermBase, *, title: str = "Term base", source_language: str = "en",
              description: str = "") -> bytes:
    """The term base as an indented TBX-Basic document (UTF-8)."""
    # Elements are written unqualified under a default xmlns on the root: ElementTree cannot
    # combine its default_namespace option with unqualified attributes such as type="...".
    root = ET.Element("tbx", {"xmlns": NS, "type": "TBX-Basic", "style": "dca", XML_LANG: source_language})
    header = ET.SubElement(root, "tbxHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    title_stmt = ET.SubElement(file_desc, "titleStmt")
    ET.SubElement(title_stmt, "title").text = title
    source_desc = ET.SubElement(file_desc, "sourceDesc")
    ET.SubElement(source_desc, "p").text = description or "Written by the workbench."
    body = ET.SubElement(ET.SubElement(root, "text"), "body")

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs) -> ET.Element:
        elem = ET.SubElement(parent, name, attrs)
        if text is not None:
            elem.text = text
        return elem

    for concept in termbase:
        entry = sub(body, "conceptEntry", id=concept.id)
        if concept.subject:
            sub(entry, "descrip", concept.subject, type="subjectField")
        for tag in concept.tags:
            sub(entry, "admin", tag, type="projectSubset")
        if concept.source:
            sub(entry, "admin", concept.source, type="source")
        if concept.note:
            sub(entry, "note", concept.note)
        # TBX wants at least one termSec per langSec: a definition in a language without terms
        # goes on the concept, with its xml:lang.
        for lang, text in concept.definitions.items():
            if lang not in concept.terms:
                _write_definition(entry, text, concept.definition_sources.get(lang, ""), lang=lang)
        for lang in concept.terms:
            lang_sec = ET.SubElement(entry, "langSec", {XML_LANG: lang})
            if concept.definitions.get(lang):
                _write_definition(lang_sec, concept.definitions[lang], concept.definition_sources.get(lang, ""))
            for term in concept.terms.get(lang, ()):
                term_sec = sub(lang_sec, "termSec")
                sub(term_sec, "term", term.text)
                sub(term_sec, "termNote", STATUS_TO_TBX[term.status], type="administrativeStatus")
                if term.type is not TermType.FULL_FORM:
                    sub(term_sec, "termNote", term.type.value, type="termType")
                if term.status is TermStatus.DO_NOT_TRANSLATE:
                    sub(term_sec, "note", DNT_NOTE)
                if term.note:
                    sub(term_sec, "note", term.note)
                for other in term.homonym_of:
                    sub(term_sec, "note", HOMONYM_NOTE + other)
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<?xml-model href="{_RNG}" type="application/xml" '
            'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
            f'<?xml-model href="{_SCH}" type="application/xml" '
            'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n')
    return (head + xml + "\n").encode("utf-8")


class TbxFormat:
    """The TBX-Basic adapter for the glossary registry."""

    id: ClassVar[str] = "tbx"
    extensions: ClassVar[tuple[str, ...]] = (".tbx",)

    def read(self, data: bytes, *, path: str) -> TermBase:
        return read_tbx(data, path=path)

    def write(self, termbase: TermBase, *, title: str, source_language: str) -> bytes:
        return write_tbx(termbase, title=title, source_language=source_language)
