"""A malformed catalog is refused as a whole with `path:line: what`, and the database is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from workbench.cli import main
from workbench.domain.errors import FormatError, FormatErrors
from workbench.formats.po_reader import read_po
from workbench.services.context import Workbench
from workbench.services.importing import import_project
from workbench.storage.models import SQLModel

FIXTURES = Path(__file__).parent / "fixtures" / "po"
DE = (FIXTURES / "de.po").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def unterminated(text):
    return text.replace('msgstr "Datei"', 'msgstr "Datei'), 'msgstr "Datei', "unterminated string"


def bad_escape(text):
    return text.replace('msgstr "Datei"', 'msgstr "Da\\qtei"'), 'msgstr "Da\\qtei"', "invalid escape sequence \\q"


def beyond_nplurals(text):
    old = 'msgstr[1] "%d Dateien wurden gelöscht."'
    return text.replace(old, old + '\nmsgstr[2] "zu viel"'), 'msgstr[2] "zu viel"', \
        "msgstr[2] is beyond the 2 plural form(s)"


def duplicate(text):
    head, sep, tail = text.partition("#~ msgid")
    extra = 'msgctxt "menu"\nmsgid "File"\nmsgstr "Noch eine Datei"\n\n'
    return head + extra + sep + tail, 'msgid "File"', "duplicate message msgctxt 'menu' msgid 'File'"


CASES = {"unterminated string": unterminated, "bad escape": bad_escape,
         "msgstr[n] beyond nplurals": beyond_nplurals, "duplicate key": duplicate}


@pytest.mark.parametrize("case", CASES)
def test_the_reader_names_the_line_and_the_problem(case):
    text, bad_line, problem = CASES[case](DE)
    expected_line = [i for i, line in enumerate(text.split("\n"), 1) if line == bad_line][-1]
    with pytest.raises((FormatError, FormatErrors)) as caught:
        read_po(text.encode("utf-8"), "locales/de/LC_MESSAGES/coop.po")
    assert str(caught.value).startswith(f"locales/de/LC_MESSAGES/coop.po:{expected_line}: {problem}")


def dump(wb: Workbench) -> dict:
    """Every row of every table, in a stable order."""
    out = {}
    with wb.store.transaction() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(map(repr, r)) for r in rows))
    return out


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_catalog_changes_nothing(case, tmp_path, db_url, capsys):
    root = tmp_path / "project"
    (root / "locales" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (root / "workbench.toml").write_text('[project]\nsource_language = "en"\nlanguages = ["en", "de"]\n',
                                         encoding="utf-8")
    shutil.copy(FIXTURES / "coop.pot", root / "locales" / "coop.pot")
    po = root / "locales" / "de" / "LC_MESSAGES" / "coop.po"
    # a first catalog imports; the broken one differs from it in its texts and in the broken spot
    po.write_text(DE.replace("Speichern", "Sichern"), encoding="utf-8")
    wb = Workbench.open(root, db=db_url, user="coordinator")
    assert not import_project(wb).errors
    before = dump(wb)
    text, bad_line, problem = CASES[case](DE)
    po.write_text(text, encoding="utf-8")
    report = import_project(wb)
    assert [f.path for f in report.errors] == ["locales/de/LC_MESSAGES/coop.po"]
    line = [i for i, l in enumerate(text.split("\n"), 1) if l == bad_line][-1]
    assert report.errors[0].error.startswith(f"locales/de/LC_MESSAGES/coop.po:{line}: {problem}")
    assert dump(wb) == before
    wb.close()
    # the command line says the same, in one line per problem, and fails
    assert main(["--project", str(root), "--db", db_url, "--user", "coordinator", "import"]) == 1
    err = capsys.readouterr().err
    assert f"locales/de/LC_MESSAGES/coop.po:{line}: {problem}" in err and "Traceback" not in err


@pytest.mark.parametrize("text, problem", [
    ('msgid "a"\n', "1: missing msgstr after msgid"),
    ('msgid "a"\nmsgstr "b"\n#~ msgid "c"\nmsgstr "d"\n', "4: inconsistent use of #~"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', "1: msgid_plural needs msgstr[0]"),
    ('msgid "a"\nmsgstr[0] "b"\n', "1: msgstr[n] without msgid_plural"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', "3: msgstr[1] where msgstr[0] was expected"),
    ('"orphan"\nmsgid "a"\nmsgstr ""\n', "1: a string without a keyword"),
    ('msgid "a"\nmsgstr "b" x\n', "2: unexpected text after the string"),
    ('msgid ""\nmsgstr "Content-Type: text/plain; charset=KLINGON\\n"\n', "2: unknown charset 'KLINGON'"),
    (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xe9"\n',
     "5: not valid UTF-8 text"),
])
def test_other_malformed_catalogs(text, problem):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises((FormatError, FormatErrors)) as caught:
        read_po(data, "x.po")
    assert str(caught.value).startswith(f"x.po:{problem}")
