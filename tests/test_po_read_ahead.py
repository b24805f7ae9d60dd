"""Work done in a forked process gives what doing it in place gives: translation files read ahead
give the same catalog, the same errors with their lines, a file changed since is read again, an
import writes the same rows and history; an export compiling its .mo in a child the same files."""

from __future__ import annotations

import os

import pytest

from tests.conftest import copy_demo
from tests.test_import_fresh_rows import contents
from workbench.domain.errors import FormatError
from workbench.formats import po as po_format
from workbench.formats.po import PoFormat, _read
from workbench.formats.po_reader import read_po
from workbench.formats.read_ahead import InChild, ReadAhead
from workbench.services import importing
from workbench.services.context import Workbench

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="reading ahead needs fork")


@pytest.fixture(autouse=True)
def forking(monkeypatch):
    """Fork even when an earlier test left a thread behind (the child only parses and compiles)."""
    monkeypatch.setattr(po_format, "can_read_ahead", lambda: True)

CATALOG = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

# a translator's comment
#. extracted
#: a.py:1 b.py:2
#, fuzzy, python-format
#| msgid "old %s"
msgctxt "m1/p1"
msgid "one %s"
msgstr "eins %s"

msgid "apple"
msgid_plural "apples"
msgstr[0] "Apfel"
msgstr[1] "Äpfel"

#~ msgid "gone"
#~ msgstr "weg"
'''.encode("utf-8")


def test_a_catalog_read_ahead_is_the_one_read_in_place(tmp_path):
    path = tmp_path / "de.po"
    path.write_bytes(CATALOG)
    with PoFormat.read_ahead([path]):
        assert po_format._AHEAD[path] is not None
        ahead = _read(path, "de.po")
    assert ahead == read_po(CATALOG, "de.po")
    assert not po_format._AHEAD                       # forgotten after the block


def test_a_file_changed_since_it_was_read_ahead_is_read_again(tmp_path):
    path = tmp_path / "de.po"
    path.write_bytes(CATALOG)
    with PoFormat.read_ahead([path]):
        packed = po_format._AHEAD[path].take(path)
    assert po_format._unpack(packed, path) == read_po(CATALOG, "de.po")
    path.write_bytes(CATALOG.replace(b"Apfel", b"Birne"))
    os.utime(path, ns=(1, 1))
    assert po_format._unpack(packed, path) is None    # (so _read reads it again)


def test_a_bad_file_read_ahead_reports_its_errors_with_their_lines(tmp_path):
    path = tmp_path / "de.po"
    path.write_bytes(CATALOG + b'\nmsgid "x"\nmsgstr "y" z\n')
    with PoFormat.read_ahead([path]), pytest.raises(FormatError) as raised:
        _read(path, "locales/de.po")
    assert str(raised.value) == "locales/de.po:24: unexpected text after the string: 'z'"


def test_a_file_with_the_given_hash_is_not_parsed(tmp_path):
    import hashlib

    path = tmp_path / "de.po"
    path.write_bytes(CATALOG)
    with PoFormat.read_ahead([path], unless={path: hashlib.sha256(CATALOG).hexdigest()}):
        assert po_format._AHEAD[path].take(path) is None
        assert _read(path, "de.po") == read_po(CATALOG, "de.po")   # read in place when asked for


def test_the_child_ends_with_its_files_when_nothing_is_taken(tmp_path):
    path = tmp_path / "de.po"
    path.write_bytes(CATALOG)
    ahead = ReadAhead(lambda p: p.read_bytes(), [path, path.with_name("missing.po")])
    folder = ahead._dir
    assert ahead.take(path.with_name("missing.po")) is None         # the child could not read it
    ahead.close()
    assert not os.path.exists(folder)
    ahead.close()                                                    # (twice is harmless)


def test_an_import_reading_ahead_writes_what_one_reading_in_place_writes(tmp_path, monkeypatch):
    in_place = Workbench.open(copy_demo(tmp_path / "a"), db=f"sqlite:///{tmp_path / 'a.db'}", user="coordinator")
    monkeypatch.setattr(importing, "READ_AHEAD_FROM", 1 << 60)
    assert not importing.import_project(in_place).errors
    expected = contents(in_place)
    in_place.close()

    taken = []
    original = ReadAhead.take
    monkeypatch.setattr(ReadAhead, "take", lambda self, path: taken.append(path) or original(self, path))
    monkeypatch.setattr(importing, "READ_AHEAD_FROM", 0)
    ahead = Workbench.open(copy_demo(tmp_path / "b"), db=f"sqlite:///{tmp_path / 'b.db'}", user="coordinator")
    report = importing.import_project(ahead)
    assert not report.errors
    assert contents(ahead) == expected
    assert taken and all(p.suffix == ".po" for p in taken)
    ahead.close()


def test_an_export_compiling_its_mo_in_a_child_writes_the_same_files(tmp_path, monkeypatch):
    from workbench.services.exporting import export_project

    wb = Workbench.open(copy_demo(tmp_path / "p"), db=f"sqlite:///{tmp_path / 'p.db'}", user="coordinator")
    assert not importing.import_project(wb).errors
    locales = wb.project.root / "locales"

    def exported() -> dict[str, bytes]:
        for path in locales.glob("*/LC_MESSAGES/*.[pm]o"):
            path.unlink()
        assert export_project(wb, force=True).files
        return {str(p.relative_to(locales)): p.read_bytes() for p in sorted(locales.glob("*/LC_MESSAGES/*.[pm]o"))}

    monkeypatch.setattr(po_format, "MO_IN_CHILD_FROM", 1 << 60)
    in_place = exported()
    children = []
    monkeypatch.setattr(po_format, "InChild", lambda calls: children.append(calls) or InChild(calls))
    monkeypatch.setattr(po_format, "MO_IN_CHILD_FROM", 0)
    assert exported() == in_place
    assert children and any(name.endswith(".mo") for name in in_place)
    wb.close()
