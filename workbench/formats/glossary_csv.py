"""Term bases as CSV: one row per term, concept fields repeated or left empty on later rows.

Columns (a header row is required; `concept`, `language` and `term` must be there, the others
are optional and may come in any order):

    concept      the concept id (rows with the same id belong to one concept)
    language     BCP-47 code of the term
    term         the term; may be empty on a row that only carries a definition
    status       preferred | admitted | forbidden | do-not-translate (default: admitted);
                 TBX values (preferredTerm-admn-sts, ...) are accepted too
    type         fullForm | acronym | abbreviation | shortForm | variant | phrase (default fullForm)
    term_note    a note on the term
    homonym_of   the concepts that have this term too, recorded as deliberate homonyms (the
                 coordinator decided it names a different concept here), separated by ";"
    definition   the concept's definition in this row's language
    definition_source   where that definition comes from (TBX-Basic: the source of a definition)
    subject      the concept's subject field
    tags         the concept's tags, separated by ";" (e.g. french-only)
    source       where the concept's terms come from
    note         a note on the concept

A concept-level field given on several rows of one concept must be the same on each.
"""

from __future__ import annotations

import csv
import io
from typing import ClassVar

from workbench.domain.errors import FormatError, FormatErrors, UnknownLanguageError
from workbench.domain.languages import normalize_tag
from workbench.domain.terms import Concept, Term, TermBase, TermError, TermStatus, TermType

COLUMNS = ("concept", "language", "term", "status", "type", "term_note", "homonym_of", "definition",
           "definition_source", "subject", "tags", "source", "note")
REQUIRED = ("concept", "language", "term")
_CONCEPT_FIELDS = ("subject", "tags", "source", "note")

_STATUS_ALIASES = {
    **{s.value: s for s in TermStatus},
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.FORBIDDEN,
    "supersededterm-admn-sts": TermStatus.FORBIDDEN,
    "deprecated": TermStatus.FORBIDDEN,
    "dnt": TermStatus.DO_NOT_TRANSLATE,
}
_TYPES = {t.value.lower(): t for t in TermType}


def read_glossary_csv(data: bytes, *, path: str) -> TermBase:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError(path, 1, "empty file: a header row is required "
                                   f"({', '.join(COLUMNS)})") from None
    except csv.Error as exc:
        raise FormatError(path, 1, f"not valid CSV: {exc}") from None
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise FormatError(path, 1, f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise FormatError(path, 1, f"missing column {missing[0]!r} (required: {', '.join(REQUIRED)})")
    if len(set(names)) != len(names):
        raise FormatError(path, 1, "a column is named twice in the header")

    errors: list[FormatError] = []
    order: list[str] = []
    concept_fields: dict[str, dict[str, str]] = {}
    terms: dict[str, dict[str, list[Term]]] = {}
    definitions: dict[str, dict[str, dict[str, str]]] = {}   # concept -> {"text"|"source": {lang: ...}}
    first_line: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                errors.append(FormatError(path, line, f"{len(row)} cells, but the header has {len(names)}"))
                continue
            cells = {n: (row[i].strip() if i < len(row) else "") for i, n in enumerate(names)}
            problem = _read_row(cells, order, concept_fields, terms, definitions, first_line, line)
            if problem:
                errors.append(FormatError(path, line, problem))
    except csv.Error as exc:
        errors.append(FormatError(path, reader.line_num, f"not valid CSV: {exc}"))
    concepts = []
    for cid in order:
        fields = concept_fields[cid]
        try:
            concepts.append(Concept(
                id=cid, terms={lang: tuple(ts) for lang, ts in terms[cid].items()},
                definitions=definitions[cid]["text"], definition_sources=definitions[cid]["source"],
                subject=fields.get("subject", ""),
                tags=tuple(t.strip() for t in fields.get("tags", "").split(";") if t.strip()),
                source=fields.get("source", ""), note=fields.get("note", "")))
        except TermError as exc:
            errors.append(FormatError(path, first_line[cid], str(exc)))
    if errors:
        raise FormatErrors(errors)
    return TermBase(tuple(concepts))


def _read_row(cells: dict[str, str], order: list[str], concept_fields, terms, definitions,
              first_line, line: int) -> str | None:
    cid = cells["concept"]
    if not cid:
        return "the concept column is empty"
    try:
        lang = normalize_tag(cells["language"])
    except UnknownLanguageError:
        return f"language {cells['language']!r} is not a language code such as 'de' or 'nl-BE'"
    if cid not in concept_fields:
        order.append(cid)
        concept_fields[cid] = {}
        terms[cid] = {}
        definitions[cid] = {"text": {}, "source": {}}
        first_line[cid] = line
    for name in _CONCEPT_FIELDS:
        value = cells.get(name, "")
        if not value:
            continue
        known = concept_fields[cid].get(name)
        if known is not None and known != value:
            return f"concept {cid}: {name} differs from an earlier row of the same concept"
        concept_fields[cid][name] = value
    for column, kind in (("definition", "text"), ("definition_source", "source")):
        value = cells.get(column, "")
        if value:
            known = definitions[cid][kind].get(lang)
            if known is not None and known != value:
                return f"concept {cid} [{lang}]: {column} differs from an earlier row"
            definitions[cid][kind][lang] = value
    text = " ".join(cells["term"].split())
    if not text:
        if any(cells.get(n) for n in ("status", "type", "term_note", "homonym_of")):
            return "the term column is empty but status, type, term_note or homonym_of is given"
        return None
    raw_status = cells.get("status", "").lower() or TermStatus.ADMITTED.value
    status = _STATUS_ALIASES.get(raw_status)
    if status is None:
        return f"unknown status {cells['status']!r} (known: {', '.join(s.value for s in TermStatus)})"
    raw_type = cells.get("type", "").lower() or TermType.FULL_FORM.value.lower()
    term_type = _TYPES.get(raw_type)
    if term_type is None:
        return f"unknown type {cells['type']!r} (known: {', '.join(t.value for t in TermType)})"
    existing = terms[cid].setdefault(lang, [])
    if any(t.text == text for t in existing):
        return f"concept {cid} [{lang}]: term {text!r} is listed twice"
    homonym_of = tuple(h.strip() for h in cells.get("homonym_of", "").split(";") if h.strip())
    existing.append(Term(text=text, status=status, type=term_type, note=cells.get("term_note", ""),
                         homonym_of=homonym_of))
    return None


def write_glossary_csv(termbase: TermBase) -> bytes:
    """Every term on a row; concept fields on the concept's first row only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for concept in termbase:
        first = True
        languages = list(concept.terms) + [l for l in concept.definitions if l not in concept.terms]
        if not languages:    # a concept without terms yet: one row keeps it
            writer.writerow([concept.id, "und", "", "", "", "", "", "", "", concept.subject,
                             ";".join(concept.tags), concept.source, concept.note])
        for lang in languages:
            definition = concept.definitions.get(lang, "")
            definition_source = concept.definition_sources.get(lang, "")
            rows = concept.terms.get(lang, ()) or (None,)
            for term in rows:
                concept_cells = ([concept.subject, ";".join(concept.tags), concept.source, concept.note]
                                 if first else ["", "", "", ""])
                first = False
                if term is None:
                    writer.writerow([concept.id, lang, "", "", "", "", "", definition, definition_source,
                                     *concept_cells])
                else:
                    writer.writerow([concept.id, lang, term.text, term.status.value, term.type.value,
                                     term.note, ";".join(term.homonym_of), definition, definition_source,
                                     *concept_cells])
                definition = definition_source = ""
    return out.getvalue().encode("utf-8")


class GlossaryCsvFormat:
    """The CSV adapter for the glossary registry."""

    id: ClassVar[str] = "csv"
    extensions: ClassVar[tuple[str, ...]] = (".csv",)

    def read(self, data: bytes, *, path: str) -> TermBase:
        return read_glossary_csv(data, path=path)

    def write(self, termbase: TermBase, *, title: str, source_language: str) -> bytes:
        return write_glossary_csv(termbase)
