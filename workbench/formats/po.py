"""Gettext catalogs (.pot templates and .po translations): units in, catalogs and .mo files out.

Reading and writing go through our own reader and msgcat-compatible writer (po_reader, po_writer):
polib is slower than msgfmt, reports errors without their cause, and does not wrap lines as GNU
gettext does, so an unchanged catalog would not come back unchanged.

What a language's .po says that the template does not (its header and Plural-Forms, translator
comments, flags, references or extracted comments that differ, previous strings, obsolete `#~`
entries) is kept: per entry in the translation's `extra["po"]`, per catalog in the language's meta.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import ClassVar, Iterator, Sequence

from workbench.domain.errors import FormatError
from workbench.domain.languages import display_name
from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind, kind_for_catalog_key
from workbench.formats.base import (
    ExportOptions, ExportResult, FileTranslation, SourceDocument, TranslationDocument,
)
from workbench.formats.po_catalog import (
    FUZZY, HEADER_ORDER, PoCatalog, PoEntry, nplurals_of, parse_header, set_header_fields,
)
from workbench.formats.po_reader import read_po
from workbench.formats.read_ahead import InChild, ReadAhead, can_read_ahead

#: Our flag for a translation approved by a reviewer (gettext tools ignore unknown flags).
APPROVED_FLAG = "approved"
FUZZY_FLAG = FUZZY
STATE_FLAGS = (APPROVED_FLAG, FUZZY_FLAG)
#: A translator comment line that carries the reviewer's last comment.
REVIEW_PREFIX = "review: "
#: Between msgctxt and msgid in a key when the msgctxt alone is not unique (gettext's own glue).
CONTEXT_GLUE = "\x04"

#: From this many entries, a catalog's .mo is compiled in a child process while its .po is written.
MO_IN_CHILD_FROM = 5000

#: Header values that xgettext writes as placeholders.
_PLACEHOLDERS = {
    "Project-Id-Version": "PACKAGE VERSION",
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
}


#: A BCP-47 tag of a language and a region (`en-GB`, `nl-BE`), which gettext writes `en_GB`.
_LANGUAGE_REGION = re.compile(r"([a-z]{2,3})-([A-Za-z]{2}|[0-9]{3})")


def header_language(language: str, current: str | None) -> str:
    """The header's Language for a language tag: the catalog's own spelling when it names the same
    language (`en_GB` for `en-GB`), else gettext's `ll_CC` form of the tag."""
    if current and current.replace("_", "-").casefold() == language.casefold():
        return current
    match = _LANGUAGE_REGION.fullmatch(language)
    return f"{match[1]}_{match[2].upper()}" if match else language


def babel_plural_forms(language: str) -> str:
    """Babel's Plural-Forms header for a language (pinned by the pinned Babel version)."""
    from babel import Locale                    # (only a new language's header needs it)
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        rule = get_plural(Locale.parse(language, sep="-"))
    except (UnknownLocaleError, ValueError, KeyError):
        return "nplurals=2; plural=(n != 1);"
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def assign_keys(entries: Sequence[PoEntry]) -> list[str]:
    """A unique, readable key per entry: the msgctxt where it is unique (our course catalogs),
    else msgctxt + EOT + msgid (catalogs that use a msgctxt such as "menu" for many messages),
    and the msgid for entries without a context."""
    contexts: dict[str, int] = {}
    plain = set()
    for e in entries:
        if e.msgctxt is None:
            plain.add(e.msgid)
        else:
            contexts[e.msgctxt] = contexts.get(e.msgctxt, 0) + 1
    keys = []
    for e in entries:
        if e.msgctxt is None:
            keys.append(e.msgid)
        elif e.msgctxt and contexts[e.msgctxt] == 1 and e.msgctxt not in plain:
            keys.append(e.msgctxt)
        else:
            keys.append(e.msgctxt + CONTEXT_GLUE + e.msgid)
    return keys


def entry_to_dict(entry: PoEntry) -> dict:
    """An entry as JSON-able data (only what it has), to keep it in a resource's meta."""
    data: dict = {"msgid": entry.msgid, "forms": list(entry.forms)}
    for name in ("msgid_plural", "msgctxt", "previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(entry, name)
        if value is not None:
            data[name] = value
    for name in ("translator_comments", "extracted_comments", "references", "flags"):
        value = getattr(entry, name)
        if value:
            data[name] = list(value)
    if entry.obsolete:
        data["obsolete"] = True
    return data


def entry_from_dict(data: dict) -> PoEntry:
    return PoEntry(
        msgid=data["msgid"], forms=list(data.get("forms") or [""]), msgid_plural=data.get("msgid_plural"),
        msgctxt=data.get("msgctxt"), translator_comments=list(data.get("translator_comments", [])),
        extracted_comments=list(data.get("extracted_comments", [])),
        references=list(data.get("references", [])), flags=list(data.get("flags", [])),
        previous_msgctxt=data.get("previous_msgctxt"), previous_msgid=data.get("previous_msgid"),
        previous_msgid_plural=data.get("previous_msgid_plural"), obsolete=bool(data.get("obsolete")))


def _header_meta(catalog: PoCatalog) -> dict:
    header = catalog.header
    meta: dict = {"charset": catalog.charset}
    if header is None:
        meta.update(header="", metadata={})
        return meta
    meta["header"] = "\n".join(header.translator_comments)
    meta["metadata"] = dict(parse_header(header.forms[0]))
    meta["po_header"] = entry_to_dict(header)
    return meta


def _read(path: Path, display_path: str) -> PoCatalog:
    ahead = _AHEAD.get(path)
    if ahead is not None:
        catalog = _unpack(ahead.take(path), path)
        if catalog is not None:
            return catalog
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(display_path, None, f"cannot read: {exc.strerror}") from None
    return read_po(data, display_path)


# -- reading ahead ---------------------------------------------------------------------------

#: Files being parsed in a forked process (see reading_ahead), by path.
_AHEAD: dict[Path, ReadAhead] = {}
_ENTRY_FIELDS = attrgetter(*PoEntry.__slots__)


@contextmanager
def reading_ahead(paths: Sequence[Path], *, unless: dict[Path, str] | None = None) -> Iterator[None]:
    """While in the block, these files are parsed in a forked process (when one can be forked),
    and reading one of them takes its catalog from there; what the child could not read, or what
    changed on disk since, is read again here (and so reports its errors as usual). `unless`: a
    file whose SHA-256 is the one given is not parsed (an import skips an unchanged file)."""
    paths = [p for p in paths if p not in _AHEAD]
    if not paths or not can_read_ahead():
        yield
        return
    with ReadAhead(partial(_parse_packed, unless=unless or {}), paths) as ahead:
        for path in paths:
            _AHEAD[path] = ahead
        try:
            yield
        finally:
            for path in paths:
                _AHEAD.pop(path, None)


def _parse_packed(path: Path, *, unless: dict[Path, str]) -> tuple | None:
    """(the file's size and modification time, its catalog as plain tuples: they pickle three
    times faster than the dataclasses), or None for a file whose SHA-256 is unless[path]."""
    stat = path.stat()
    data = path.read_bytes()
    if path in unless and hashlib.sha256(data).hexdigest() == unless[path]:
        return None
    catalog = read_po(data, str(path))
    header = _ENTRY_FIELDS(catalog.header) if catalog.header is not None else None
    return ((stat.st_size, stat.st_mtime_ns),
            (header, list(map(_ENTRY_FIELDS, catalog.entries)), catalog.charset, catalog.bom))


def _unpack(packed: tuple | None, path: Path) -> PoCatalog | None:
    """The catalog _parse_packed gave, if the file is still the one it read."""
    if packed is None:
        return None
    (size, mtime), (header, entries, charset, bom) = packed
    try:
        stat = path.stat()
    except OSError:
        return None
    if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
        return None
    return PoCatalog(header=PoEntry(*header) if header is not None else None,
                     entries=[PoEntry(*e) for e in entries], charset=charset, bom=bom)


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


class PoFormat:
    id: ClassVar[str] = "po"
    kind: ClassVar[str] = "catalog"
    #: A context in which read_translation of the given files is faster (see reading_ahead).
    read_ahead = staticmethod(reading_ahead)

    def read_source(self, path: Path, *, resource: str, module: str, display_path: str) -> SourceDocument:
        catalog = _read(path, display_path)
        live = [e for e in catalog.entries if not e.obsolete]
        units: list[Unit] = []
        text = UnitKind.TEXT
        for position, (entry, key) in enumerate(zip(live, assign_keys(live))):
            extra = {"translator_comments": entry.translator_comments} if entry.translator_comments else {}
            flags = entry.flags
            # (positional: this runs for every entry of the template; a key without "/quiz-" is
            # a text, which spares most keys kind_for_catalog_key's pattern)
            units.append(Unit(
                key, resource, kind_for_catalog_key(key) if "/quiz-" in key else text, module, position,
                entry.msgid, entry.msgid_plural, entry.msgctxt, "\n".join(entry.extracted_comments),
                tuple(entry.references), tuple(f for f in flags if f not in STATE_FLAGS) if flags else (),
                entry.previous_msgid, None, None, "", False, extra,
            ))
        meta = _header_meta(catalog)
        obsolete = [entry_to_dict(e) for e in catalog.entries if e.obsolete]
        if obsolete:
            meta["obsolete"] = obsolete
        return SourceDocument(resource=resource, kind=self.kind, units=units, meta=meta)

    def read_translation(self, path: Path, *, language: str, source: SourceDocument | None,
                         units: Sequence[Unit], display_path: str) -> TranslationDocument:
        catalog = _read(path, display_path)
        by_identity = {(u.context, u.source): u for u in units}
        by_key = {u.key: u for u in units}
        entries: dict[str, FileTranslation] = {}
        kept: list[dict] = []                       # obsolete entries and entries of no unit
        unknown = 0
        stale: list[tuple[PoEntry, Unit]] = []
        nplurals = nplurals_of(catalog.header_value("Plural-Forms")) or 2
        for entry in catalog.entries:
            unit = by_identity.get((entry.msgctxt, entry.msgid))
            if entry.obsolete:
                if unit is not None and unit.obsolete and unit.key not in entries:
                    entries[unit.key] = self._file_translation(entry, unit, stale=False, nplurals=nplurals)
                else:
                    kept.append(entry_to_dict(entry))
                continue
            if unit is None and entry.msgctxt is not None:
                candidate = by_key.get(entry.msgctxt)
                if candidate is not None and candidate.context == entry.msgctxt:
                    stale.append((entry, candidate))
                    continue
            if unit is None or unit.key in entries:
                unknown += 1
                entry.obsolete = True                # what msgmerge does with it
                kept.append(entry_to_dict(entry))
                continue
            entries[unit.key] = self._file_translation(entry, unit, stale=False, nplurals=nplurals)
        for entry, unit in stale:                  # a changed source: the translation is stale
            if unit.key in entries:
                unknown += 1
                entry.obsolete = True
                kept.append(entry_to_dict(entry))
            else:
                entries[unit.key] = self._file_translation(entry, unit, stale=True, nplurals=nplurals)
        meta = _header_meta(catalog)
        if kept:
            meta["obsolete"] = kept
        doc = TranslationDocument(language=language, resource=source.resource if source else "",
                                  entries=entries, meta=meta)
        doc.meta["unknown_entries"] = unknown
        return doc

    @staticmethod
    def _file_translation(entry: PoEntry, unit: Unit, *, stale: bool, nplurals: int) -> FileTranslation:
        # (this runs for every entry of a catalog: empty lists are compared without copying them)
        forms = tuple(entry.forms)
        flags = entry.flags
        fuzzy = FUZZY_FLAG in flags
        comment = None
        tcomments: list[str] = []
        for line in entry.translator_comments:
            # the reviewer's comment travels on a draft (a rejection); elsewhere it is just a comment
            if line.startswith(REVIEW_PREFIX) and comment is None and fuzzy:
                comment = line[len(REVIEW_PREFIX):]
            else:
                tcomments.append(line)
        empty = not any(forms)
        previous = entry.previous_msgid
        if empty:
            state = State.UNTRANSLATED
        elif fuzzy or stale:
            state = State.DRAFT
        elif APPROVED_FLAG in flags:
            state = State.APPROVED
        else:
            state = State.TRANSLATED
        if stale and not empty and previous is None:
            previous = entry.msgid
        po: dict = {}
        if flags or unit.flags:
            own_flags = [f for f in flags if f not in STATE_FLAGS]
            if own_flags != list(unit.flags):
                po["flags"] = own_flags
        if empty and fuzzy:
            po["fuzzy_empty"] = True
        if (entry.extracted_comments or unit.comments) and entry.extracted_comments != _lines(unit.comments):
            po["extracted"] = list(entry.extracted_comments)
        if (entry.references or unit.references) and entry.references != list(unit.references):
            po["references"] = list(entry.references)
        if not tcomments or "\n".join(tcomments).split("\n") != tcomments or tcomments == [""]:
            po["translator_comments"] = tcomments
        if entry.previous_msgctxt is not None:
            po["previous_msgctxt"] = entry.previous_msgctxt
        if entry.previous_msgid_plural is not None:
            po["previous_msgid_plural"] = entry.previous_msgid_plural
        if previous is not None and state is not State.DRAFT:
            po["keep_previous"] = True
        if unit.source_plural is not None and len(forms) != nplurals:
            po["nforms"] = len(forms)
        return FileTranslation(unit.key, forms, state, comment, "\n".join(tcomments), previous, {"po": po})

    def write_translation(self, *, language: str, units: Sequence[Unit],
                          translations: dict[str, Translation], meta: dict,
                          options: ExportOptions) -> ExportResult:
        catalog = self.build_catalog(language=language, units=units, translations=translations,
                                     meta=meta, options=options)
        from workbench.formats.po_mo import compile_mo       # (the writing side: not needed to read)
        from workbench.formats.po_writer import write_po

        # a big catalog's .mo is compiled in a forked process while its .po is written (two cores)
        child = InChild([partial(compile_mo, catalog)]) \
            if len(catalog.entries) >= MO_IN_CHILD_FROM and can_read_ahead() else None
        try:
            po = write_po(catalog).encode("utf-8")
            mo = child.result(0) if child is not None else None
        finally:
            if child is not None:
                child.close()
        if mo is None:
            mo = compile_mo(catalog)
        written = sum(1 for e in catalog.entries if not e.obsolete and any(e.forms))
        return ExportResult(outputs={".po": po, ".mo": mo}, written=written)

    def build_catalog(self, *, language: str, units: Sequence[Unit], translations: dict[str, Translation],
                      meta: dict, options: ExportOptions) -> PoCatalog:
        """The catalog of one language: header, one entry per unit in order, obsolete entries."""
        lang_meta = meta.get("language") or {}
        source_meta = meta.get("source") or {}
        extras: dict[str, dict] = meta.get("entries") or {}
        header = self._header(language, lang_meta, source_meta, options)
        nplurals = nplurals_of(parse_header_value(header.forms[0], "Plural-Forms")) or 2
        entries: list[PoEntry] = []
        for unit in units:
            entry = self._entry(unit, translations.get(unit.key), extras.get(unit.key),
                                nplurals=nplurals, options=options)
            if entry is not None:
                entries.append(entry)
        present = {(e.msgctxt, e.msgid) for e in entries}
        for data in lang_meta.get("obsolete", []):
            entry = entry_from_dict(data)
            if (entry.msgctxt, entry.msgid) not in present:
                entries.append(entry)
                present.add((entry.msgctxt, entry.msgid))
        return PoCatalog(header=header, entries=entries)

    @staticmethod
    def _header(language: str, lang_meta: dict, source_meta: dict, options: ExportOptions) -> PoEntry:
        own = lang_meta.get("po_header")
        if own is not None:
            header = entry_from_dict(own)
            text = header.forms[0]
        else:
            template = source_meta.get("po_header")
            header = entry_from_dict(template) if template else PoEntry(msgid="", forms=[""])
            header.flags = [f for f in header.flags if f != FUZZY_FLAG]
            text = header.forms[0]
            for name, placeholder in _PLACEHOLDERS.items():
                if parse_header_value(text, name) == placeholder:
                    text = set_header_fields(text, {name: ""}, order=HEADER_ORDER)
            team = parse_header_value(text, "Language-Team")
            if not team:
                text = set_header_fields(text, {"Language-Team": display_name(language)}, order=HEADER_ORDER)
            if not parse_header_value(text, "PO-Revision-Date"):
                created = parse_header_value(text, "POT-Creation-Date")
                if created:
                    text = set_header_fields(text, {"PO-Revision-Date": created}, order=HEADER_ORDER)
        plural_forms = parse_header_value(text, "Plural-Forms")
        updates = {"Language": header_language(language, parse_header_value(text, "Language"))}
        if not plural_forms or nplurals_of(plural_forms) is None or own is None and "INTEGER" in plural_forms:
            updates["Plural-Forms"] = babel_plural_forms(language)
        updates["Content-Type"] = "text/plain; charset=UTF-8"
        updates["Content-Transfer-Encoding"] = "8bit"
        if not parse_header_value(text, "MIME-Version"):
            updates["MIME-Version"] = "1.0"
        if options.revision_date:
            updates["PO-Revision-Date"] = options.revision_date
        if options.last_translator:
            updates["Last-Translator"] = options.last_translator
        unchanged = {k: v for k, v in updates.items() if parse_header_value(text, k) != v}
        if unchanged:
            text = set_header_fields(text, unchanged, order=HEADER_ORDER)
        header.forms = [text]
        header.msgid = ""
        return header

    @staticmethod
    def _entry(unit: Unit, t: Translation | None, po: dict | None, *, nplurals: int,
               options: ExportOptions) -> PoEntry | None:
        include = t is not None and not t.is_empty and (not options.approved_only or t.state is State.APPROVED)
        in_file = po is not None                     # the language's imported catalog had it
        if unit.obsolete and not include and not in_file:
            return None                              # msgmerge drops untranslated obsolete entries
        po = po or {}
        flags = list(po.get("flags", unit.flags))
        tcomments: list[str]
        if "translator_comments" in po:
            tcomments = list(po["translator_comments"])
        elif t is not None and (t.translator_comments or in_file):
            tcomments = _lines(t.translator_comments)
        else:
            tcomments = list(unit.extra.get("translator_comments", []))
        entry = PoEntry(
            msgid=unit.source, msgid_plural=unit.source_plural, msgctxt=unit.context,
            translator_comments=tcomments,
            extracted_comments=list(po.get("extracted", _lines(unit.comments))),
            references=list(po.get("references", unit.references)), flags=flags,
            obsolete=unit.obsolete)
        forms: list[str] = list(t.forms) if include and t is not None else []
        if include and t is not None:
            if t.state is State.DRAFT:
                flags.insert(0, FUZZY_FLAG)
            elif t.state is State.APPROVED:
                flags.append(APPROVED_FLAG)
            if t.previous_source is not None and (t.state is State.DRAFT or po.get("keep_previous")):
                entry.previous_msgid = t.previous_source
                entry.previous_msgctxt = po.get("previous_msgctxt")
                entry.previous_msgid_plural = po.get("previous_msgid_plural")
        elif po.get("fuzzy_empty") and not options.approved_only:
            flags.insert(0, FUZZY_FLAG)
        if t is not None and t.comment and not options.approved_only and t.state is State.DRAFT:
            entry.translator_comments.append(REVIEW_PREFIX + t.comment)
        if unit.source_plural is not None:
            count = max(len(forms), po.get("nforms") or nplurals, 1) if forms else (po.get("nforms") or nplurals)
            entry.forms = forms + [""] * (count - len(forms))
        else:
            entry.forms = [forms[0] if forms else ""]
        return entry


def parse_header_value(text: str, name: str) -> str | None:
    for key, value in parse_header(text):
        if key.lower() == name.lower():
            return value
    return None
