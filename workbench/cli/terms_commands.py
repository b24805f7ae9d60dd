"""`workbench terms`: search, show, add and edit concepts of the term base; coverage; import/export."""

from __future__ import annotations

import sys
from argparse import Namespace
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from workbench.cli.common import open_workbench, print_json, print_table
from workbench.domain.errors import WorkbenchError
from workbench.domain.terms import Concept, Term, TermStatus, TermType, looks_like_acronym

_STATUS_FLAGS = (
    ("preferred", TermStatus.PREFERRED, "a preferred term"),
    ("admitted", TermStatus.ADMITTED, "an admitted term"),
    ("forbidden", TermStatus.FORBIDDEN, "a forbidden term (an error when a translation uses it)"),
    ("dnt", TermStatus.DO_NOT_TRANSLATE, "a do-not-translate term (kept as is in every language)"),
)


def register(sub) -> None:
    terms = sub.add_parser("terms", help="the term base: search, show, add, edit, coverage")
    tsub = terms.add_subparsers(dest="terms_command", metavar="ACTION", required=True)

    p = tsub.add_parser("search", help="concepts whose terms, definitions or notes contain TEXT")
    p.add_argument("text", nargs="?", default="", help="what to look for (case and accents ignored)")
    p.add_argument("--lang", default=None, metavar="L", help="search and show the terms of this language")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_search)

    p = tsub.add_parser("show", help="one concept with all its terms")
    p.add_argument("concept", help="the concept id (see 'workbench terms search')")
    p.add_argument("--lang", action="append", default=None, metavar="L", help="only this language (repeatable)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_show)

    p = tsub.add_parser("add", help="add a concept, e.g. --preferred fr='entreprise sociale' --preferred de=Sozialunternehmen")
    p.add_argument("--id", default=None, help="the concept id (default: made from the first term)")
    _term_options(p)
    p.set_defaults(func=cmd_add)

    p = tsub.add_parser("edit", help="change a concept: add or re-status terms, remove terms, set texts")
    p.add_argument("concept", help="the concept id")
    _term_options(p)
    p.add_argument("--remove", action="append", default=[], metavar="L=TEXT", help="remove this term")
    p.add_argument("--untag", action="append", default=[], metavar="TAG", help="remove this tag")
    p.set_defaults(func=cmd_edit)

    p = tsub.add_parser("coverage", help="per language: concepts with a preferred term, units missing a term")
    p.add_argument("--lang", action="append", default=None, metavar="L", help="only this language (repeatable)")
    p.add_argument("--details", action="store_true", help="also list the concepts whose term is missing")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_coverage)

    p = tsub.add_parser("import", help="merge a TBX or CSV file into the project's term base")
    p.add_argument("file", type=Path)
    p.add_argument("--homonym", action="store_true",
                   help="accept the file's terms that another concept has in the same language (homonyms, "
                        "listed one a line) and record them as deliberate; without it such a file is refused")
    p.set_defaults(func=cmd_import)

    p = tsub.add_parser("export", help="write the whole term base to a TBX or CSV file")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_export)


def _term_options(p) -> None:
    for flag, _status, what in _STATUS_FLAGS:
        p.add_argument(f"--{flag}", action="append", default=[], metavar="L=TEXT",
                       help=f"{what} in language L (repeatable); an existing term changes status")
    p.add_argument("--definition", action="append", default=[], metavar="L=TEXT", help="the definition in language L")
    p.add_argument("--definition-source", action="append", default=[], metavar="L=TEXT",
                   help="where the definition in language L comes from")
    p.add_argument("--source", default=None, help="where the terms come from")
    p.add_argument("--note", default=None, help="a note on the concept")
    p.add_argument("--subject", default=None, help="the subject field")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="add a tag (e.g. french-only)")
    p.add_argument("--homonym", action="store_true",
                   help="allow a term that another concept already has in the same language (a homonym)")


def _lang_text(wb, value: str, flag: str) -> tuple[str, str]:
    lang, sep, text = value.partition("=")
    if not sep or not text.strip():
        raise WorkbenchError(f"--{flag} {value!r}: write LANG=TEXT, for example de=Sozialunternehmen")
    return wb.settings.language(lang.strip()), " ".join(text.split())


def _term_changes(wb, args: Namespace) -> list[tuple[str, TermStatus | None, str, str]]:
    """(flag, status, language, text) of each term option; a term given twice with different
    flags (--remove and --preferred, or --preferred and --admitted) is refused."""
    changes: list[tuple[str, TermStatus | None, str, str]] = []
    flags = [(flag, status) for flag, status, _what in _STATUS_FLAGS] + [("remove", None)]
    for flag, status in flags:
        for value in getattr(args, flag, []):
            lang, text = _lang_text(wb, value, flag)
            for other_flag, _s, other_lang, other_text in changes:
                if (other_lang, other_text) == (lang, text) and other_flag != flag:
                    raise WorkbenchError(f"the {lang} term {text!r} is given with both --{other_flag} and "
                                         f"--{flag}: choose one")
            changes.append((flag, status, lang, text))
    return changes


def _apply(wb, concept: Concept, args: Namespace) -> Concept:
    term_changes = _term_changes(wb, args)
    for _flag, status, lang, text in term_changes:
        if status is not None:
            old = next((t for t in concept.terms_in(lang) if t.text == text), None)
            ttype = old.type if old else (TermType.ACRONYM if looks_like_acronym(text) else TermType.FULL_FORM)
            concept = concept.with_term(lang, Term(text, status, ttype, old.note if old else ""))
    for _flag, status, lang, text in term_changes:
        if status is None:
            concept = concept.without_term(lang, text)
    for value in args.definition:
        lang, text = _lang_text(wb, value, "definition")
        concept = concept.with_definition(lang, text)
    for value in args.definition_source:
        lang, text = _lang_text(wb, value, "definition-source")
        if not concept.definitions.get(lang):
            raise WorkbenchError(f"--definition-source {value!r}: concept {concept.id} has no {lang} "
                                 f"definition (give it with --definition {lang}=TEXT)")
        concept = concept.with_definition(lang, concept.definitions[lang], source=text)
    changes = {}
    if args.source is not None:
        changes["source"] = args.source
    if args.note is not None:
        changes["note"] = args.note
    if args.subject is not None:
        changes["subject"] = args.subject
    tags = [t for t in concept.tags if t not in getattr(args, "untag", [])]
    tags += [t for t in args.tag if t not in tags]
    changes["tags"] = tuple(tags)
    return replace(concept, **changes)


@contextmanager
def _homonym_hint():
    """A refused homonym told the command-line way: which concept to edit, or --homonym."""
    from workbench.services.terms import HomonymError

    try:
        yield
    except HomonymError as exc:
        to = "it" if len(exc.others) == 1 else "one of them"
        raise WorkbenchError(f"the {exc.language} term {exc.text!r} is already a term of {exc.named} "
                             f"(add to {to} with 'workbench terms edit {exc.other}', or pass --homonym if the "
                             f"term really names a different concept)") from None


def cmd_search(args: Namespace) -> int:
    from workbench.services.terms import search_concepts

    wb = open_workbench(args)
    lang = wb.settings.language(args.lang) if args.lang else None
    hits = search_concepts(wb, args.text, language=lang)
    source = wb.settings.source_language
    if args.json:
        print_json([_concept_dict(c) for c in hits])
        return 0
    rows = []
    for c in hits:
        shown = lang or source
        terms = "; ".join(f"{t.text} ({t.status.value})" for t in c.terms_in(shown)) or "—"
        rows.append([c.id, c.label(source), terms])
    print_table(["concept", source, lang or "terms"], rows)
    print(f"{len(hits)} concept(s)")
    return 0


def cmd_show(args: Namespace) -> int:
    from workbench.services.terms import get_concept

    wb = open_workbench(args)
    concept = get_concept(wb, args.concept)
    langs = [wb.settings.language(l) for l in args.lang] if args.lang else None
    if args.json:
        print_json(_concept_dict(concept, langs))
        return 0
    print(f"concept: {concept.id}")
    if concept.subject:
        print(f"subject: {concept.subject}")
    if concept.tags:
        print(f"tags: {', '.join(concept.tags)}")
    if concept.note:
        print(f"note: {concept.note}")
    if concept.source:
        print(f"source: {concept.source}")
    order = [l for l in wb.settings.languages if l in concept.languages]
    order += [l for l in concept.languages if l not in order]
    for lang in order:
        if langs and lang not in langs:
            continue
        print(f"[{lang}]")
        if concept.definitions.get(lang):
            print(f"  definition: {concept.definitions[lang]}")
        if concept.definition_sources.get(lang):
            print(f"  definition source: {concept.definition_sources[lang]}")
        for t in concept.terms_in(lang):
            extra = f", {t.type.value}" if t.type is not TermType.FULL_FORM else ""
            note = f" — {t.note}" if t.note else ""
            homonym = f" [homonym of {', '.join(t.homonym_of)}]" if t.homonym_of else ""
            print(f"  {t.text} ({t.status.value}{extra}){note}{homonym}")
    if langs:
        for lang in langs:
            if lang not in concept.languages:
                print(f"[{lang}] no term")
    return 0


def cmd_add(args: Namespace) -> int:
    from workbench.services.terms import add_concept, load_termbase

    wb = open_workbench(args)
    termbase = load_termbase(wb.project).termbase
    first = next((v for flag, _s, _w in _STATUS_FLAGS for v in getattr(args, flag)), None)
    if first is None:
        raise WorkbenchError("terms add: give at least one term, e.g. --preferred fr='entreprise sociale'")
    label = _lang_text(wb, first, "preferred")[1]
    concept_id = args.id or termbase.new_id(label)
    concept = _apply(wb, Concept(concept_id), args)
    with _homonym_hint():
        path = add_concept(wb, concept, homonyms=args.homonym)
    print(f"added concept {concept.id} to {wb.project.relative(path)}")
    return 0


def cmd_edit(args: Namespace) -> int:
    from workbench.services.terms import edit_concept, load_termbase

    wb = open_workbench(args)
    with _homonym_hint():
        changed = edit_concept(wb, args.concept, lambda c: _apply(wb, c, args), homonyms=args.homonym)
    path = load_termbase(wb.project).file_of(changed.id)
    print(f"changed concept {changed.id} in {wb.project.relative(path) if path else 'the term base'}")
    return 0


def cmd_coverage(args: Namespace) -> int:
    from workbench.services.terms import coverage_report

    wb = open_workbench(args)
    rows = coverage_report(wb, languages=args.lang)
    if args.json:
        print_json([r.to_dict() for r in rows])
        return 0
    source = wb.settings.source_language
    table = []
    for r in rows:
        units = "—" if r.language == source else f"{r.units_missing}/{r.units_with_terms}"
        table.append([r.language, r.concepts, r.preferred, f"{100 * r.share:.0f}%", r.accepted, units])
    print_table(["lang", "concepts", "preferred", "share", "accepted", "units missing a term"], table,
                align="lrrrrr")
    if args.details:
        for r in rows:
            if r.missing_concepts:
                listed = ", ".join(f"{cid} ({n})" for cid, n in sorted(r.missing_concepts.items()))
                print(f"{r.language}: no term for {listed}")
    return 0


def cmd_import(args: Namespace) -> int:
    from workbench.services.terms import ImportHomonymsError, import_glossary

    wb = open_workbench(args)
    try:
        result = import_glossary(wb, args.file, homonyms=args.homonym)
    except ImportHomonymsError as exc:
        for line in exc.lines():
            print(f"workbench: {line}", file=sys.stderr)
        return exc.exit_code
    for h in result.homonyms:
        print(f"workbench: {args.file}: {h.line()}: recorded as a deliberate homonym (--homonym)", file=sys.stderr)
    print(f"{args.file}: {result.added} concept(s) added, {result.updated} updated, "
          f"{result.unchanged} unchanged" + (f" (written: {', '.join(result.files)})" if result.files else ""))
    return 0


def cmd_export(args: Namespace) -> int:
    from workbench.services.terms import export_termbase

    wb = open_workbench(args)
    n = export_termbase(wb, args.file)
    print(f"{args.file}: {n} concept(s) written")
    return 0


def _concept_dict(concept: Concept, languages: list[str] | None = None) -> dict:
    return {
        "id": concept.id, "subject": concept.subject, "tags": list(concept.tags), "source": concept.source,
        "note": concept.note,
        "definitions": {l: d for l, d in concept.definitions.items() if not languages or l in languages},
        "definition_sources": {l: d for l, d in concept.definition_sources.items()
                               if not languages or l in languages},
        "terms": {l: [{"text": t.text, "status": t.status.value, "type": t.type.value, "note": t.note,
                       "homonym_of": list(t.homonym_of)}
                      for t in ts]
                  for l, ts in concept.terms.items() if not languages or l in languages},
    }
