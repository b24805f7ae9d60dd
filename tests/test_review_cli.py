"""The review workflow from the command line: each broken rule is one line naming it, exit 2."""

from __future__ import annotations

import json

import pytest
from review_support import make_project

from workbench.cli import main


@pytest.fixture
def course(tmp_path, db_url):
    wb = make_project(tmp_path / "course", db_url)
    wb.close()

    def run(user: str, *args: str) -> int:
        return main([*args, "--project", str(tmp_path / "course"), "--db", db_url, "--user", user])

    return run


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


REFUSED = [
    # (id, setup commands as (user, args...), refused command, the rule its message names)
    ("reviewer-cannot-approve-own-text",
     [("both", "edit", "m1/p1", "--lang", "de", "--text", "Meins")],
     ("both", "approve", "m1/p1", "--lang", "de"), "four-eyes"),
    ("translator-of-de-cannot-edit-es", [],
     ("tde", "edit", "m1/p1", "--lang", "es", "--text", "Hola"), "translator-of-language"),
    ("rejection-without-comment",
     [("tde", "edit", "m1/p1", "--lang", "de", "--text", "Hallo")],
     ("rde", "reject", "m1/p1", "--lang", "de"), "rejection-needs-comment"),
    ("rejection-with-empty-comment",
     [("tde", "edit", "m1/p1", "--lang", "de", "--text", "Hallo")],
     ("rde", "reject", "m1/p1", "--lang", "de", "--comment", ""), "rejection-needs-comment"),
    ("translator-cannot-approve",
     [("tde", "edit", "m1/p1", "--lang", "de", "--text", "Hallo")],
     ("tde", "approve", "m1/p1", "--lang", "de"), "reviewer-of-language"),
    ("translator-cannot-add-users", [],
     ("tde", "user", "add", "ana", "--role", "translator", "--lang", "de"), "coordinator-only"),
    ("unknown-user-cannot-edit", [],
     ("stranger", "edit", "m1/p1", "--lang", "de", "--text", "x"), "known-user"),
]


@pytest.mark.parametrize("setup,command,rule", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_broken_rule_is_one_line_naming_it(course, capsys, setup, command, rule):
    for user, *args in setup:
        assert course(user, *args) == 0
    capsys.readouterr()
    user, *args = command
    assert course(user, *args) == 2
    line = one_error_line(capsys)
    assert line.startswith("workbench: ") and line.endswith(f"(rule: {rule})")


def test_review_approve_reject_history_revert(course, capsys):
    assert course("tde", "edit", "m1/p1", "--lang", "de", "--text", "Guten Tag") == 0
    assert course("tde", "edit", "m1/p2", "--lang", "de", "--text", "Zwei") == 0
    assert course("rde", "approve", "m1/p1", "m1/p2", "--lang", "de") == 0
    assert course("tde", "edit", "m1/p1", "--lang", "de", "--text", "Guten Morgen") == 0
    capsys.readouterr()
    assert course("rde", "review", "--lang", "de") == 0
    out = capsys.readouterr().out
    assert "m1/p1" in out and "m1/p2" not in out
    assert "Guten [-Tag-]{+Morgen+}" in out
    assert course("rde", "review", "--lang", "de", "--json") == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["key"], item["forms"], item["approved_forms"]) == ("m1/p1", ["Guten Morgen"], ["Guten Tag"])
    assert course("rde", "reject", "m1/p1", "--lang", "de", "--comment", "Es ist Abend") == 0
    assert "rejected, back to draft" in capsys.readouterr().out
    assert course("tde", "history", "m1/p1", "--lang", "de", "--json") == 0
    changes = json.loads(capsys.readouterr().out)
    assert [(c["version"], c["action"], c["user"]) for c in changes] == [
        (1, "edit", "tde"), (2, "approve", "rde"), (3, "edit", "tde"), (4, "reject", "rde")]
    assert changes[-1]["comment"] == "Es ist Abend"
    assert course("tde", "revert", "m1/p1", "--lang", "de", "--to", "1") == 0
    assert "restored as version 5" in capsys.readouterr().out
    assert course("tde", "history", "m1/p1", "--lang", "de") == 0
    table = capsys.readouterr().out
    assert "revert to version 1" in table and "Es ist Abend" in table
    lines = table.splitlines()
    assert lines[0] == "m1/p1 [de]: 5 change(s), oldest first; now version 5, translated"
    assert lines[1].split() == ["ver", "when", "(UTC)", "user", "what", "origin", "state"]
    rows = {line.split()[0]: line.split() for line in lines[3:] if line[:3].strip().isdigit()}
    assert {v: (r[3], r[4], r[5], " ".join(r[6:])) for v, r in rows.items()} == {
        "1": ("tde", "edit", "human", "untranslated → translated"),
        "2": ("rde", "approve", "human", "translated → approved"),
        "3": ("tde", "edit", "human", "approved → translated"),
        "4": ("rde", "reject", "human", "translated → draft"),
        "5": ("tde", "revert", "human", "draft → translated"),
    }
    # under each version: its comment, then its old and new text (nothing when the text stayed)
    assert details(lines, "1") == ["+ Guten Tag"]
    assert details(lines, "2") == []
    assert details(lines, "3") == ["- Guten Tag", "+ Guten Morgen"]
    assert details(lines, "4") == ["comment: Es ist Abend"]
    assert details(lines, "5") == ["comment: revert to version 1", "- Guten Morgen", "+ Guten Tag"]
    assert lines[-1] == "- old text; + new text"


def details(lines: list[str], version: str) -> list[str]:
    """The indented lines under one version's row of `workbench history`."""
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [version] and i > 2)
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        out.append(line.strip())
    return out


def test_approve_several_reports_each_refusal(course, capsys):
    assert course("tde", "edit", "m1/p1", "--lang", "de", "--text", "Eins") == 0
    assert course("both", "edit", "m1/p2", "--lang", "de", "--text", "Zwei") == 0
    capsys.readouterr()
    assert course("both", "approve", "m1/p1", "m1/p2", "m1/p3", "--lang", "de") == 2
    captured = capsys.readouterr()
    assert "m1/p1 [de]: approved" in captured.out
    err = captured.err
    assert "(rule: four-eyes)" in err and "cannot approve a translation that is untranslated" in err
    assert "2 of 3 not approved" in err


def test_a_stale_edit_shows_both_texts(course, capsys):
    assert course("tde", "edit", "m1/p1", "--lang", "de", "--text", "Erste") == 0
    assert course("both", "edit", "m1/p1", "--lang", "de", "--text", "Zweite", "--version", "0") == 2
    err = capsys.readouterr().err
    assert "conflict" in err and "Erste" in err and "Zweite" in err


def test_control_characters_are_shown_not_sent_to_the_terminal(course, capsys):
    assert course("tde", "edit", "m1/p1", "--lang", "de", "--text", "rot \x1b[31m\nzwei") == 0
    capsys.readouterr()
    assert course("rde", "review", "--lang", "de") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "rot \\x1b[31m\\nzwei" in out
    assert course("rde", "history", "m1/p1", "--lang", "de") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "    + rot \\x1b[31m↵\n      zwei\n" in out


def test_user_add_and_list(tmp_path, db_url, capsys):
    wb = make_project(tmp_path / "course", db_url, users=False)
    wb.close()

    def run(user, *args):
        return main([*args, "--project", str(tmp_path / "course"), "--db", db_url, "--user", user])

    assert run("marie", "user", "list") == 0
    assert "No users yet: until the first user is added, everyone acts as coordinator" in capsys.readouterr().out
    assert run("marie", "user", "add", "hans", "--role", "translator", "--lang", "de") == 2
    assert one_error_line(capsys).endswith("(rule: first-user-is-coordinator)")
    assert run("marie", "user", "add", "marie", "--role", "coordinator") == 0
    assert run("marie", "user", "add", "hans", "--role", "translator", "--lang", "de", "--lang", "es") == 0
    assert run("marie", "user", "add", "hans", "--role", "reviewer", "--lang", "de") == 0
    capsys.readouterr()
    assert run("hans", "user", "list") == 0
    out = capsys.readouterr().out
    assert "translator de, es; reviewer de" in out
    assert "You are hans" in out
    assert run("marie", "user", "list", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["bootstrap"] is False
    assert [u["name"] for u in data["users"]] == ["hans", "marie"]
    assert run("marie", "user", "remove", "hans", "--role", "reviewer") == 0
    assert run("marie", "user", "remove", "marie") == 2
    assert one_error_line(capsys).endswith("(rule: keep-a-coordinator)")
