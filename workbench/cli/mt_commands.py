"""`workbench pretranslate` and `workbench tm search|import|export`."""

from __future__ import annotations

import re
import sys
from argparse import Namespace
from pathlib import Path

from workbench.cli.common import ProgressLine, open_workbench, print_json, print_table

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _show(text: str | None, width: int = 60) -> str:
    """Content as one safe terminal line, shortened."""
    text = _CONTROL.sub(lambda m: {"\n": "\\n", "\t": "\\t"}.get(m.group(), "?"), text or "")
    return text if len(text) <= width else text[: width - 1] + "…"


def register(sub) -> None:
    p = sub.add_parser("pretranslate", help="machine-translate what has no translation yet, as drafts")
    p.add_argument("--lang", action="extend", nargs="+", required=True, metavar="L",
                   help="target languages (or 'all')")
    p.add_argument("--module", action="append", default=None, metavar="M", help="only this module (repeatable)")
    p.add_argument("--kind", action="append", default=None, metavar="K",
                   help="only this kind: text, quiz, subtitle, or a precise kind such as cue (repeatable)")
    p.add_argument("--dry-run", action="store_true",
                   help="only count the units and characters that would be sent, per language")
    p.set_defaults(func=cmd_pretranslate)

    tm = sub.add_parser("tm", help="translation memory: search, import and export TMX")
    tm_sub = tm.add_subparsers(dest="tm_command", metavar="COMMAND", required=True)
    p = tm_sub.add_parser("search", help="the memory's best matches for a source text")
    p.add_argument("text")
    p.add_argument("--lang", required=True, metavar="L")
    p.add_argument("--key", default=None, help="the unit's key: its exact matches come first")
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--min-score", type=float, default=70.0, metavar="S", help="0-100 (default 70)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_tm_search)
    p = tm_sub.add_parser("import", help="add the entries of a TMX file to the memory")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_tm_import)
    p = tm_sub.add_parser("export", help="write the memory (approved translations and TMX entries) as TMX")
    p.add_argument("file", type=Path)
    p.add_argument("--lang", action="append", default=None, metavar="L", help="only this language (repeatable)")
    p.set_defaults(func=cmd_tm_export)


def cmd_pretranslate(args: Namespace) -> int:
    from workbench.services.pretranslate import PretranslateStopped, pretranslate

    wb = open_workbench(args)
    progress = ProgressLine("pretranslate")
    try:
        report = pretranslate(wb, languages=args.lang, modules=args.module, kinds=args.kind,
                              dry_run=args.dry_run, progress=None if args.dry_run else progress)
    except PretranslateStopped as exc:
        progress.close()
        _print_done(exc.report)
        raise
    except KeyboardInterrupt:
        progress.close()
        raise
    progress.close()
    if args.dry_run:
        rows = [[lang, p.units, p.characters] for lang, p in report.plans.items()]
        rows.append(["total", report.units, report.characters])
        print(f"would send to {report.provider} (nothing sent):")
        print_table(["lang", "units", "characters"], rows, align="lrr")
        return 0
    if not report.translated and not report.kept:
        print("nothing to pre-translate: every selected unit already has a text")
        return 0
    _print_done(report)
    return 0


def _print_done(report) -> None:
    for lang, n in report.translated.items():
        print(f"{lang}: {n} draft(s) written by {report.provider}")
    by_lang: dict[str, int] = {}
    for lang, *_ in report.kept:
        by_lang[lang] = by_lang.get(lang, 0) + 1
    for lang, n in by_lang.items():
        print(f"{lang}: {n} unit(s) kept as they were (someone changed them meanwhile)")
    if report.billed_characters:
        print(f"{report.billed_characters} characters billed by {report.provider}")


def cmd_tm_search(args: Namespace) -> int:
    from workbench.services.memory import lookup

    wb = open_workbench(args)
    matches = lookup(wb, args.text, language=args.lang, key=args.key, limit=args.limit,
                     min_score=args.min_score)
    if args.json:
        print_json([m.to_dict() for m in matches])
        return 0
    if not matches:
        print("no match in the memory")
        return 0
    rows = [[f"{m.score:.0f}" + ("=" if m.exact else ""), _show(m.entry.source, 40), _show(m.entry.target, 40),
             _show(m.where, 40)] for m in matches]
    print_table(["score", "source", f"translation [{wb.settings.target(args.lang)}]", "from"], rows, align="rlll")
    return 0


def cmd_tm_import(args: Namespace) -> int:
    from workbench.services.memory import import_tmx

    wb = open_workbench(args)
    report = import_tmx(wb, args.file)
    print(f"{report.path}: {report.read} entr(ies) read, {report.added} added, "
          f"{report.duplicates} already in the memory")
    for pair, n in sorted(report.other_languages.items()):
        print(f"{report.path}: {n} entr(ies) {pair} skipped (not a language pair of this project)",
              file=sys.stderr)
    return 0


def cmd_tm_export(args: Namespace) -> int:
    from workbench.services.memory import export_tmx

    wb = open_workbench(args)
    n = export_tmx(wb, args.file, languages=args.lang)
    print(f"{args.file}: {n} entr(ies) written")
    return 0
