"""Gettext catalogs (.pot templates and .po translations) through polib."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Sequence

import polib
from babel import Locale
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

from workbench.domain.errors import FormatError
from workbench.domain.states import State
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, kind_for_catalog_key
from workbench.formats.base import (
    ExportOptions, ExportResult, FileTranslation, SourceDocument, TranslationDocument,
)

#: Our flag for a translation approved by a reviewer (gettext tools ignore unknown flags).
APPROVED_FLAG = "approved"
FUZZY_FLAG = "fuzzy"
STATE_FLAGS = (APPROVED_FLAG, FUZZY_FLAG)
#: A translator comment line that carries the reviewer's last comment.
REVIEW_PREFIX = "review: "


def entry_key(entry: polib.POEntry) -> str:
    return entry.msgctxt if entry.msgctxt is not None else entry.msgid


def babel_plural_forms(language: str) -> str:
    """Babel's Plural-Forms header for a language (pinned by the pinned Babel version)."""
    try:
        rule = get_plural(Locale.parse(language, sep="-"))
    except (UnknownLocaleError, ValueError, KeyError):
        return "nplurals=2; plural=(n != 1);"
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def _load(path: Path, display_path: str) -> polib.POFile:
    try:
        return polib.pofile(str(path), wrapwidth=79)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise FormatError(display_path, None, f"cannot read catalog: {exc}") from None


class PoFormat:
    id: ClassVar[str] = "po"
    kind: ClassVar[str] = "catalog"

    def read_source(self, path: Path, *, resource: str, module: str, display_path: str) -> SourceDocument:
        catalog = _load(path, display_path)
        units: list[Unit] = []
        seen: set[str] = set()
        for position, entry in enumerate(catalog):
            key = entry_key(entry)
            if key in seen:
                raise FormatError(display_path, entry.linenum, f"duplicate key {key!r}")
            seen.add(key)
            units.append(Unit(
                key=key, resource=resource, kind=kind_for_catalog_key(key), module=module,
                position=position, source=entry.msgid, source_plural=entry.msgid_plural or None,
                context=entry.msgctxt, comments=entry.comment or "",
                references=tuple(f"{f}:{l}" if l else f for f, l in entry.occurrences),
                flags=tuple(f for f in entry.flags if f not in STATE_FLAGS),
                previous_source=entry.previous_msgid,
            ))
        meta = {"header": catalog.header, "metadata": dict(catalog.metadata)}
        return SourceDocument(resource=resource, kind=self.kind, units=units, meta=meta)

    def read_translation(self, path: Path, *, language: str, source: SourceDocument | None,
                         units: Sequence[Unit], display_path: str) -> TranslationDocument:
        catalog = _load(path, display_path)
        entries: dict[str, FileTranslation] = {}
        for entry in catalog:
            key = entry_key(entry)
            if key in entries:
                raise FormatError(display_path, entry.linenum, f"duplicate key {key!r}")
            if entry.msgid_plural:
                forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            else:
                forms = (entry.msgstr,)
            comment = None
            tcomment_lines = []
            for line in (entry.tcomment or "").splitlines():
                if line.startswith(REVIEW_PREFIX):
                    comment = line[len(REVIEW_PREFIX):]
                else:
                    tcomment_lines.append(line)
            if not any(forms):
                state = State.UNTRANSLATED
            elif FUZZY_FLAG in entry.flags:
                state = State.DRAFT
            elif APPROVED_FLAG in entry.flags:
                state = State.APPROVED
            else:
                state = State.TRANSLATED
            entries[key] = FileTranslation(
                key=key, forms=forms, state=state, comment=comment,
                translator_comments="\n".join(tcomment_lines),
                previous_source=entry.previous_msgid,
            )
        meta = {"header": catalog.header, "metadata": dict(catalog.metadata)}
        return TranslationDocument(language=language, resource="", entries=entries, meta=meta)

    def write_translation(self, *, language: str, units: Sequence[Unit],
                          translations: dict[str, Translation], meta: dict,
                          options: ExportOptions) -> ExportResult:
        catalog = polib.POFile(wrapwidth=79)
        lang_meta = meta.get("language") or {}
        source_meta = meta.get("source") or {}
        catalog.header = lang_meta.get("header", source_meta.get("header", ""))
        metadata = dict(source_meta.get("metadata", {}))
        metadata.update(lang_meta.get("metadata", {}))
        metadata["Language"] = language
        metadata.setdefault("Plural-Forms", babel_plural_forms(language))
        if "INTEGER" in metadata.get("Plural-Forms", ""):
            metadata["Plural-Forms"] = babel_plural_forms(language)
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
        metadata["Content-Transfer-Encoding"] = "8bit"
        if options.revision_date:
            metadata["PO-Revision-Date"] = options.revision_date
        if options.last_translator:
            metadata["Last-Translator"] = options.last_translator
        catalog.metadata = metadata
        nplurals = _nplurals(metadata["Plural-Forms"])
        written = 0
        for unit in units:
            t = translations.get(unit.key)
            flags = list(unit.flags)
            forms: tuple[str, ...] = ()
            tcomment = ""
            if t is not None:
                tcomment = t.translator_comments
                include = not options.approved_only or t.state is State.APPROVED
                if include and not t.is_empty:
                    forms = t.forms
                    written += 1
                    if t.state is State.DRAFT:
                        flags.insert(0, FUZZY_FLAG)
                    elif t.state is State.APPROVED:
                        flags.append(APPROVED_FLAG)
                if t.comment and not options.approved_only and t.state is State.DRAFT:
                    tcomment = "\n".join(x for x in (tcomment, REVIEW_PREFIX + t.comment) if x)
            entry = polib.POEntry(
                msgctxt=unit.context, msgid=unit.source, tcomment=tcomment,
                comment=unit.comments, flags=flags, obsolete=unit.obsolete,
                occurrences=[tuple(r.rsplit(":", 1)) if ":" in r else (r, "") for r in unit.references],
            )
            if t is not None and t.previous_source and t.state is State.DRAFT:
                entry.previous_msgid = t.previous_source
            if unit.source_plural is not None:
                entry.msgid_plural = unit.source_plural
                entry.msgstr_plural = {i: (forms[i] if i < len(forms) else "") for i in range(nplurals)}
            else:
                entry.msgstr = forms[0] if forms else ""
            catalog.append(entry)
        text = str(catalog)
        po = (text if text.endswith("\n") else text + "\n").encode("utf-8")
        return ExportResult(outputs={".po": po, ".mo": catalog.to_binary()}, written=written)


def _nplurals(plural_forms: str) -> int:
    for part in plural_forms.split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip() == "nplurals":
            try:
                return int(value)
            except ValueError:
                break
    return 2
