"""`workbench check` and the export gate from the command line: output, JSON, filters, exit codes."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.domain.checks.registry import CHECKS

from test_checks_service import PLANTED


@pytest.fixture
def demo(demo_dir, db_url):
    """Run the CLI on an imported copy of the demo course: run("check", ...) -> exit code."""
    def run(*args: str) -> int:
        return main(["-C", str(demo_dir), "--db", db_url, "--user", "coordinator", *args])

    assert run("import") == 0
    return run


def test_json_on_the_demo_reports_the_planted_issues_and_exits_1(demo, capsys):
    capsys.readouterr()
    assert demo("check", "--format", "json") == 1          # the python-format error
    data = json.loads(capsys.readouterr().out)
    found = {(i["key"], i["language"], i["check"]) for i in data["issues"]}
    assert found == {p for p in PLANTED if p[2] in CHECKS}
    assert data["errors"] == 1
    summary = {s["check"]: (s["severity"], s["count"]) for s in data["summary"]}
    assert summary["python-format"] == ("error", 1) and summary["double-space"] == ("warning", 1)


def test_text_output_lists_key_language_check_message_and_a_summary(demo, capsys):
    capsys.readouterr()
    assert demo("check", "--lang", "es", "--check", "end-punctuation") == 0   # a warning only
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["key", "language", "check", "message"]
    row = next(line for line in lines if line.startswith("m1/lesson-4/p2"))
    assert row.split(None, 3) == ["m1/lesson-4/p2", "es", "end-punctuation",
                                  "ends with no punctuation, the source with a full stop"]
    assert any(line.split() == ["end-punctuation", "warning", "1"] for line in lines)
    assert "1 issue(s), 0 error(s)" in out


@pytest.mark.parametrize("args,code,checks", [
    (("--severity", "error"), 1, {"python-format"}),
    (("--lang", "de", "--check", "double-space", "--check", "lines"), 0, {"double-space", "lines"}),
    (("--module", "m1", "--lang", "de", "--severity", "warning"), 0, {"double-space", "cps"}),
    (("--lang", "en", "--check", "python-format"), 0, set()),
])
def test_filters_and_exit_codes(demo, capsys, args, code, checks):
    capsys.readouterr()
    assert demo("check", "--format", "json", *args) == code
    data = json.loads(capsys.readouterr().out)
    assert {i["check"] for i in data["issues"]} - {"terminology"} == checks


@pytest.mark.parametrize("args,message", [
    (("--check", "no-such-check"), "unknown check 'no-such-check'"),
    (("--lang", "xx"), "unknown language"),
    (("--module", "m9"), "unknown module"),
])
def test_wrong_arguments_are_one_line_errors(demo, capsys, args, message):
    capsys.readouterr()
    assert demo("check", *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_severity_and_ignores_from_the_project_apply(demo, demo_dir, capsys):
    settings = demo_dir / "workbench.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\n[checks]\ndisabled = ["python-format"]\n[checks.severity]\nlines = "error"\n',
                        encoding="utf-8")
    capsys.readouterr()
    assert demo("check", "--format", "json", "--lang", "de") == 1           # lines is an error now
    data = json.loads(capsys.readouterr().out)
    got = {i["check"]: i["severity"] for i in data["issues"]}
    assert "python-format" not in got and got["lines"] == "error"


def test_check_list_shows_every_check(demo, capsys):
    capsys.readouterr()
    assert demo("check", "--list") == 0
    out = capsys.readouterr().out
    for check_id in CHECKS:
        assert check_id in out


def test_export_refuses_a_language_with_errors_and_says_which(demo, demo_dir, capsys):
    po = demo_dir / "locales" / "de" / "LC_MESSAGES" / "m1.po"
    text = po.read_text(encoding="utf-8")
    # a translated (not draft) German entry gains a placeholder the source lacks: an error-level issue
    assert 'msgctxt "m1/lesson-3/p2"' in text
    broken = text.replace("verarbeitet  Verneinungen", "verarbeitet {name} Verneinungen")
    assert broken != text
    po.write_text(broken, encoding="utf-8")
    assert demo("import") == 0
    capsys.readouterr()
    assert demo("export", "--lang", "de", "--lang", "es") == 1
    captured = capsys.readouterr()
    assert "workbench: de not written: 1 error-level issue(s) (brace-format 1)" in captured.err
    assert "--force" in captured.err
    assert "locales/es/LC_MESSAGES/m1.po" in captured.out and "locales/de/" not in captured.out
    assert demo("export", "--lang", "de", "--force") == 0
    assert "locales/de/LC_MESSAGES/m1.po" in capsys.readouterr().out
