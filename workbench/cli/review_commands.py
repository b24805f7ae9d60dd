"""`workbench edit`, `review`, `approve`, `reject`, `history` and `revert`: the review workflow."""

from __future__ import annotations

import sys
from argparse import Namespace

from workbench.cli.common import open_workbench, print_json, show
from workbench.domain.errors import ConflictError, WorkbenchError


def show_forms(forms) -> str:
    if len(forms) == 1:
        return show(forms[0])
    return " | ".join(f"[{i}] {show(f)}" for i, f in enumerate(forms))


def register(sub) -> None:
    p = sub.add_parser("edit", help="save a translation (it then awaits review)")
    p.add_argument("key")
    p.add_argument("--lang", required=True, metavar="L")
    text = p.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help="the translation")
    text.add_argument("--form", action="append", metavar="TEXT",
                      help="one plural form, in order (repeat for each form)")
    p.add_argument("--draft", action="store_true", help="keep it a draft (not ready for review)")
    p.add_argument("--version", type=int, default=None, metavar="N",
                   help="the version your text is based on (default: the current one)")
    p.add_argument("--comment", default=None, help="a note for the history")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("review", help="list what awaits review, with the change since the last approval")
    p.add_argument("--lang", required=True, metavar="L")
    p.add_argument("--module", default=None, metavar="M")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("approve", help="approve translations awaiting review")
    p.add_argument("keys", nargs="+", metavar="KEY")
    p.add_argument("--lang", required=True, metavar="L")
    p.add_argument("--comment", default=None)
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser("reject", help="send a translation back to draft, with a comment")
    p.add_argument("key")
    p.add_argument("--lang", required=True, metavar="L")
    p.add_argument("--comment", default=None, help="what to change (required)")
    p.set_defaults(func=cmd_reject)

    p = sub.add_parser("history", help="every change of a translation: who, when, what, and the text before and after")
    p.add_argument("key")
    p.add_argument("--lang", required=True, metavar="L")
    p.add_argument("--full", action="store_true", help="show long texts whole (they are shortened by default)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("revert", help="restore an earlier version's text as a new change")
    p.add_argument("key")
    p.add_argument("--lang", required=True, metavar="L")
    p.add_argument("--to", required=True, type=int, metavar="N", help="the version to restore (see history)")
    p.add_argument("--comment", default=None)
    p.set_defaults(func=cmd_revert)


def cmd_edit(args: Namespace) -> int:
    from workbench.services.editing import find_unit, get_translation, save_translation

    wb = open_workbench(args)
    unit = find_unit(wb, args.key)
    forms = [args.text] if args.text is not None else args.form
    base = args.version
    if base is None:
        base = get_translation(wb, resource=unit.resource, key=unit.key, language=args.lang).version
    try:
        t = save_translation(wb, resource=unit.resource, key=unit.key, language=args.lang, forms=forms,
                             base_version=base, draft=args.draft, comment=args.comment)
    except ConflictError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        print(f"  theirs (version {exc.current_version}): {show_forms(exc.theirs)}", file=sys.stderr)
        print(f"  yours  (based on {exc.base_version}): {show_forms(exc.mine)}", file=sys.stderr)
        return exc.exit_code
    print(f"{unit.key} [{t.language}]: {t.state.value}, version {t.version}")
    return 0


def _diff_line(item) -> str:
    if item.approved_forms is None:
        return show_forms(item.translation.forms)
    out = []
    for op, text in item.diff:
        text = show(text)
        out.append(text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return "".join(out)


def cmd_review(args: Namespace) -> int:
    from workbench.services.review import pending_review

    wb = open_workbench(args)
    items = pending_review(wb, language=args.lang, module=args.module)
    if args.json:
        print_json([dict(key=i.unit.key, resource=i.unit.resource, source=i.unit.source,
                         forms=list(i.translation.forms), version=i.translation.version,
                         author=i.translation.author, origin=i.translation.origin,
                         approved_forms=list(i.approved_forms) if i.approved_forms is not None else None,
                         approved_version=i.approved_version, diff=i.diff) for i in items])
        return 0
    if not items:
        print(f"nothing awaits review in {wb.settings.target(args.lang)}")
        return 0
    for i in items:
        t = i.translation
        since = (f"changed since approved version {i.approved_version}" if i.approved_forms is not None
                 else "new")
        print(f"{i.unit.key}  v{t.version}  by {t.author or '?'}  ({t.origin}; {since})")
        print(f"  source: {show(i.unit.source)}")
        print(f"  text:   {_diff_line(i)}")
    print(f"{len(items)} translation(s) await review; [-removed-] {{+added+}} against the last approved text")
    return 0


def cmd_approve(args: Namespace) -> int:
    from workbench.services.editing import find_unit
    from workbench.services.review import approve

    wb = open_workbench(args)
    failed = 0
    for key in args.keys:
        try:
            unit = find_unit(wb, key)
            t = approve(wb, resource=unit.resource, key=unit.key, language=args.lang, comment=args.comment)
        except WorkbenchError as exc:
            print(f"workbench: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{unit.key} [{t.language}]: approved, version {t.version}")
    if failed and len(args.keys) > 1:
        print(f"workbench: {failed} of {len(args.keys)} not approved", file=sys.stderr)
    return 2 if failed else 0


def cmd_reject(args: Namespace) -> int:
    from workbench.services.editing import find_unit
    from workbench.services.review import reject

    wb = open_workbench(args)
    unit = find_unit(wb, args.key)
    t = reject(wb, resource=unit.resource, key=unit.key, language=args.lang, comment=args.comment)
    print(f"{unit.key} [{t.language}]: rejected, back to draft (version {t.version})")
    return 0


def cmd_history(args: Namespace) -> int:
    from workbench.services.editing import find_unit
    from workbench.services.history import history

    wb = open_workbench(args)
    unit = find_unit(wb, args.key)
    changes = history(wb, resource=unit.resource, key=unit.key, language=args.lang)
    if args.json:
        print_json([dict(version=c.version, action=c.action, user=c.user, at=c.at.isoformat(),
                         old_state=c.old_state.value, new_state=c.new_state.value,
                         old_forms=list(c.old_forms), new_forms=list(c.new_forms),
                         origin=c.origin, comment=c.comment) for c in changes])
        return 0
    if not changes:
        print(f"{unit.key} [{wb.settings.target(args.lang)}]: no changes yet (version 0, untranslated)")
        return 0
    from workbench.cli.history_view import history_lines

    last = changes[-1]
    print(f"{unit.key} [{wb.settings.target(args.lang)}]: {len(changes)} change(s), oldest first; "
          f"now version {last.version}, {last.new_state.value}")
    for line in history_lines(changes, full=args.full):
        print(line)
    return 0


def cmd_revert(args: Namespace) -> int:
    from workbench.services.editing import find_unit
    from workbench.services.history import revert

    wb = open_workbench(args)
    unit = find_unit(wb, args.key)
    t = revert(wb, resource=unit.resource, key=unit.key, language=args.lang, to_version=args.to,
               comment=args.comment)
    print(f"{unit.key} [{t.language}]: text of version {args.to} restored as version {t.version} "
          f"({t.state.value}): {show_forms(t.forms)}")
    return 0
