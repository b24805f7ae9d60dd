"""`workbench init`, `import`, `status` and `export`."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from workbench.cli.common import ProgressLine, bulk, open_workbench, print_json, print_table
from workbench.domain.states import State


#: Where an --approved-only export goes by default: never over the files translators work in.
RELEASE_DIR = "dist"


def register(sub) -> None:
    p = sub.add_parser("init", help="create a new, empty course project")
    p.add_argument("directory", nargs="?", type=Path, default=Path("."))
    p.add_argument("--name", default=None, help="the course's name")
    p.add_argument("--source", default="fr", help="source language (default: fr)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", help="read the project's files into the database")
    p.add_argument("--force", action="store_true", help="read files even when unchanged since last time")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("status", help="progress per language and module (or kind of content)")
    p.add_argument("--lang", action="append", default=None, metavar="L", help="only this language (repeatable)")
    p.add_argument("--module", action="append", default=None, metavar="M", help="only this module (repeatable)")
    p.add_argument("--by", choices=("module", "kind"), default="module",
                   help="a row per module (default) or per kind of content: text, quiz, subtitle")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("export", help="write catalogs and subtitles per language")
    p.add_argument("--lang", action="append", default=None, metavar="L", help="only this language (repeatable)")
    p.add_argument("--module", action="append", default=None, metavar="M", help="only this module (repeatable)")
    p.add_argument("--approved-only", action="store_true",
                   help="write only approved translations (what the course platform gets), into "
                        f"{RELEASE_DIR}/ unless --output says where")
    p.add_argument("--output", "-o", type=Path, default=None, metavar="DIR",
                   help="write into DIR (same layout) instead of over the project's files")
    p.add_argument("--omit-untranslated-cues", action="store_true",
                   help="subtitles: leave out cues without a translation instead of showing the source")
    p.add_argument("--force", action="store_true",
                   help="write languages that have error-level check issues too")
    p.set_defaults(func=cmd_export)


def cmd_init(args: Namespace) -> int:
    from workbench.services.project import init_project

    project = init_project(args.directory, name=args.name, source=args.source)
    print(f"created {project.root / 'workbench.toml'} "
          f"(source {project.settings.source_language}, {len(project.settings.target_languages)} target languages)")
    return 0


@bulk
def cmd_import(args: Namespace) -> int:
    from workbench.services.importing import import_project

    wb = open_workbench(args)
    progress = ProgressLine("import")
    report = import_project(wb, force=args.force, progress=progress)
    progress.close()
    for f in report.changed_files:
        parts = []
        if f.added or f.changed or f.obsoleted or f.renumbered:
            parts.append(f.units_summary)
        if f.stale:
            parts.append("made draft: " + ", ".join(f"{l} {n}" for l, n in sorted(f.stale.items())))
        if f.updated:
            parts.append(f"{f.updated} translations updated")
        if f.unapproved:
            parts.append(f.unapproved_summary)
        if f.unknown_keys:
            fate = "kept as obsolete entries" if f.path.endswith(".po") else "ignored"
            parts.append(f"{f.unknown_keys} entries with no source ({fate})")
        print(f"{f.path}: " + ("; ".join(parts) if parts else "no change"))
        for warning in f.warnings:
            print(f"  warning: {warning}")
        if f.changed or f.obsoleted or f.stale or f.kept:   # a template update: what each language gets
            for language in wb.settings.target_languages:
                print(f"  {language}: {f.added} new (untranslated), {f.stale.get(language, 0)} made draft "
                      f"(source changed, previous kept), {f.kept.get(language, 0)} translation(s) of "
                      f"removed entries kept as obsolete")
    skipped = sum(1 for f in report.files if f.skipped)
    if skipped:
        print(f"{skipped} file(s) unchanged since the last import")
    for f in report.errors:
        print(f"workbench: {f.error}", file=sys.stderr)
    if report.errors:
        print(f"workbench: {len(report.errors)} file(s) refused; nothing was imported from them", file=sys.stderr)
        return 1
    return 0


def cmd_status(args: Namespace) -> int:
    from workbench.services.status import compute_status

    wb = open_workbench(args)
    report = compute_status(wb, languages=args.lang, modules=args.module, by=args.by)
    if args.json:
        print_json(report.to_dict())
        return 0
    rows = []
    for r in report.rows:
        rows.append([r.language, r.module, r.units, r.words,
                     *(f"{100 * r.share(s):.0f}%" for s in State)])
    print_table(["lang", args.by, "units", "words", "untransl.", "draft", "translated", "approved"],
                rows, align="llrrrrrr")
    return 0


def cmd_export(args: Namespace) -> int:
    from workbench.services.exporting import export_project

    wb = open_workbench(args)
    output = args.output
    if output is None and args.approved_only:
        output = wb.project.root / RELEASE_DIR
    progress = ProgressLine("export")
    report = export_project(wb, languages=args.lang, modules=args.module, approved_only=args.approved_only,
                            fallback_to_source=not args.omit_untranslated_cues, progress=progress,
                            output=output.resolve() if output else None,
                            force=args.force)
    progress.close()
    changed = [f for f in report.files if f.changed]
    for f in report.files:
        if f.path.endswith((".mo", ".srt")) or f.kept:
            continue
        note = ""
        if f.fallbacks:
            note = f", {f.fallbacks} cue(s) show the source text"
        if f.omitted:
            note = f", {f.omitted} cue(s) left out"
        print(f"{f.path}: {f.written}/{f.total} translated{note}{'' if f.changed else ' (unchanged)'}")
    kept = report.kept
    print(f"{len(changed)} file(s) written, {len(report.files) - len(changed) - len(kept)} unchanged"
          + (f", {len(kept)} kept" if kept else ""))
    for f in kept:
        print(f"workbench: {f.path} not written: {f.kept}", file=sys.stderr)
    for language, why in sorted(report.skipped_languages.items()):
        print(f"workbench: {language} not written: {why}", file=sys.stderr)
    return 1 if report.skipped_languages or kept else 0
