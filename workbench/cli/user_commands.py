"""`workbench user add|remove|list`: people and their roles per language."""

from __future__ import annotations

import argparse
from argparse import Namespace

from workbench.cli.common import open_workbench, print_json, print_table
from workbench.domain.roles import Role


def register(sub) -> None:
    user = sub.add_parser("user", help="people and their roles (translator, reviewer, coordinator)")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    p = actions.add_parser("add", help="give someone a role (creates the user if new)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--lang", action="append", default=[], metavar="L",
                   help="a language of the role (repeatable, or 'all'); coordinators have every language")
    p.add_argument("--display-name", default=None)
    p.set_defaults(func=cmd_user_add)

    p = actions.add_parser("remove", help="take a role away, or remove the user (without --role)")
    p.add_argument("name")
    p.add_argument("--role", default=None, choices=[r.value for r in Role])
    p.add_argument("--lang", action="append", default=[], metavar="L")
    p.set_defaults(func=cmd_user_remove)

    p = actions.add_parser("list", help="everyone and their roles")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_user_list)

    from workbench.cli import _global_options   # loaded: it is importing us

    for action in set(actions.choices.values()):
        # `workbench user add NAME --role R --user ME` works like the other commands
        _global_options(action, default=argparse.SUPPRESS)


def _roles_text(info) -> str:
    parts = []
    for role in Role:
        langs = info.languages(role)
        if not langs:
            continue
        if role is Role.COORDINATOR:
            parts.append("coordinator (all languages)")
        else:
            parts.append(f"{role.value} " + ("all languages" if "*" in langs else ", ".join(langs)))
    return "; ".join(parts) or "(no roles)"


def cmd_user_add(args: Namespace) -> int:
    from workbench.services.users import add_user

    wb = open_workbench(args)
    info = add_user(wb, args.name, role=args.role, languages=args.lang, display_name=args.display_name)
    print(f"{info.name}: {_roles_text(info)}")
    return 0


def cmd_user_remove(args: Namespace) -> int:
    from workbench.services.users import remove_user

    wb = open_workbench(args)
    info = remove_user(wb, args.name, role=args.role, languages=args.lang)
    print(f"{args.name}: removed" if info is None else f"{info.name}: {_roles_text(info)}")
    return 0


def cmd_user_list(args: Namespace) -> int:
    from workbench.services.users import BOOTSTRAP_NOTE, list_users

    wb = open_workbench(args)
    result = list_users(wb)
    if args.json:
        print_json(dict(bootstrap=result.bootstrap, current_user=wb.user,
                        users=[dict(name=u.name, display_name=u.display_name,
                                    roles=[dict(role=r, language=l) for r, l in u.roles])
                               for u in result.users]))
        return 0
    if result.bootstrap:
        print(BOOTSTRAP_NOTE)
        print(f"You are {wb.user}.")
        return 0
    print_table(["user", "roles"], [[u.name, _roles_text(u)] for u in result.users])
    me = next((u for u in result.users if u.name == wb.user), None)
    if me is None:
        print(f"You are {wb.user}, who is not a user of this project: you may read but not change anything.")
    else:
        print(f"You are {wb.user}: {_roles_text(me)}.")
    return 0
