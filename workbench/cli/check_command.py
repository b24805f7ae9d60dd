"""`workbench check`: run the quality checks; exit 1 when an error-level issue is found (a CI gate)."""

from __future__ import annotations

import sys
from argparse import Namespace

from workbench.cli.common import bulk, open_workbench, print_json, print_table
from workbench.domain.errors import ProjectError


def register(sub) -> None:
    p = sub.add_parser("check", help="run the quality checks; exit 1 on any error-level issue",
                       description="Check every translation (and store the results for the editor). "
                                   "Prints key, language, check and message per issue, then a summary "
                                   "per check. Exits 1 when an error-level issue is reported, else 0.")
    p.add_argument("--lang", action="append", default=None, metavar="L", help="only this language (repeatable)")
    p.add_argument("--module", action="append", default=None, metavar="M", help="only this module (repeatable)")
    p.add_argument("--check", action="append", default=None, metavar="ID",
                   help="only this check (repeatable); see --list")
    p.add_argument("--severity", default=None, choices=("error", "warning", "info"), metavar="S",
                   help="only issues of this severity or worse: error, warning or info (default: all)")
    p.add_argument("--format", default="text", choices=("text", "json"), help="output format (default: text)")
    p.add_argument("--list", action="store_true", help="list the checks with their id, severity and kinds")
    p.set_defaults(func=cmd_check)


@bulk
def cmd_check(args: Namespace) -> int:
    if args.list:
        return list_checks(args)
    from workbench.services.checks import check_project

    wb = open_workbench(args)
    report = check_project(wb, languages=args.lang, modules=args.module, checks=args.check,
                           min_severity=args.severity)
    if args.format == "json":
        print_json(report.to_dict())
    else:
        if report.issues:
            write_issues(report.issues)
            print()
            print_table(["check", "severity", "issues"], report.summary(), align="llr")
        print(f"{len(report.issues)} issue(s), {report.errors} error(s) in {report.checked} translation(s) "
              f"of {', '.join(report.languages)}")
    return 1 if report.errors else 0


def _one_line(text: str) -> str:
    """A key (a msgid without msgctxt may span lines) or message on one line."""
    return text.replace("\n", "\\n") if "\n" in text else text


def write_issues(issues) -> None:
    """`key  language  check  message`, aligned, in one write (there may be tens of thousands)."""
    rows = [(_one_line(f.key), f.language, f.issue.check, _one_line(f.issue.message)) for f in issues]
    headers = ("key", "language", "check", "message")
    w0 = max(len(headers[0]), max(len(r[0]) for r in rows))
    w1 = max(len(headers[1]), max(len(r[1]) for r in rows))
    w2 = max(len(headers[2]), max(len(r[2]) for r in rows))
    lines = [f"{headers[0]:<{w0}}  {headers[1]:<{w1}}  {headers[2]:<{w2}}  {headers[3]}",
             f"{'-' * w0}  {'-' * w1}  {'-' * w2}  {'-' * 7}"]
    lines.extend(f"{k:<{w0}}  {l:<{w1}}  {c:<{w2}}  {m}" for k, l, c, m in rows)
    sys.stdout.write("\n".join(lines) + "\n")


def list_checks(args: Namespace) -> int:
    from workbench.domain.checks.registry import ALL_CHECKS
    from workbench.services.checks import suite_for

    from workbench.services.project import find_project

    overrides: dict[str, str] = {}
    disabled: set[str] = set()
    try:
        project = find_project(args.project)
    except ProjectError:
        project = None              # outside a project: the checks' own severities
    if project is not None:
        suite = suite_for(project.settings)
        overrides = {k: v.value for k, v in suite.overrides.items()}
        disabled = set(suite.disabled)
    rows = []
    for cls in ALL_CHECKS:
        severity = overrides.get(cls.id, cls.severity.value)
        if cls.id in disabled:
            severity = "off"
        kinds = ", ".join(sorted(k.value for k in cls.kinds)) or "all"
        rows.append([cls.id, severity, kinds, cls.name])
    if args.format == "json":
        print_json([{"id": r[0], "severity": r[1], "kinds": r[2], "name": r[3],
                     "description": c.description} for r, c in zip(rows, ALL_CHECKS)])
    else:
        print_table(["id", "severity", "kinds", "name"], rows)
    return 0
