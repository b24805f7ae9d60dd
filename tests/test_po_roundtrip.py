"""Catalogs in all 13 languages come back from import and export as they went in (msgcat says so)."""

from __future__ import annotations

import inspect
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from workbench.formats.po_mo import compile_mo
from workbench.formats.po_reader import BOM, read_po
from workbench.formats.po_writer import write_po
from workbench.services.context import Workbench
from workbench.services.exporting import export_project
from workbench.services.importing import import_project

FIXTURES = Path(__file__).parent / "fixtures" / "po"
LANGUAGES = ("fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl")
NPLURALS = {"fr": 2, "en": 2, "de": 2, "nl": 2, "it": 2, "es": 2, "pl": 3, "bg": 2, "hr": 3, "el": 2,
            "lv": 3, "ro": 3, "sl": 4}
#: fixtures already in GNU layout (msgcat's): exported unchanged, they come back byte for byte
GNU_LAYOUT = {"fr", "en", "de", "it", "bg", "hr", "el", "lv", "ro", "sl"}

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext (msgcat) is not installed")


def msgcat(data: bytes, tmp_path: Path) -> str:
    """GNU msgcat's normalisation of a catalog, in UTF-8. gettext 0.21 cannot read a BOM and keeps
    the CR of CRLF line ends inside comments: both are taken off first (we read them as line ends)."""
    path = tmp_path / "normalise.po"
    data = data[len(BOM):] if data.startswith(BOM) else data
    path.write_bytes(data.replace(b"\r\n", b"\n"))
    done = subprocess.run(["msgcat", "--to-code=UTF-8", str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def without_our_flag(text: str) -> str:
    """The catalog as gettext 0.21 writes it: without our own flags, which it does not keep."""
    out = []
    for line in text.split("\n"):
        if line.startswith("#, "):
            flags = [f for f in line[3:].split(", ") if f not in ("approved", "quiz-correct")]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        out.append(line)
    return "\n".join(out)


def make_project(root: Path, *, source: str, languages: list[str], domain: str = "coop",
                 template: Path = FIXTURES / "coop.pot", catalogs: dict[str, Path] | None = None) -> Path:
    (root / "locales").mkdir(parents=True)
    names = ", ".join(f'"{code}"' for code in [source, *languages])
    (root / "workbench.toml").write_text(
        f'[project]\nname = "Catalog tests"\nsource_language = "{source}"\nlanguages = [{names}]\n',
        encoding="utf-8")
    shutil.copy(template, root / "locales" / f"{domain}.pot")
    for lang, path in (catalogs or {}).items():
        target = root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"
        target.parent.mkdir(parents=True)
        shutil.copy(path, target)
    return root


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reader_and_writer_give_what_msgcat_gives(lang, tmp_path):
    data = (FIXTURES / f"{lang}.po").read_bytes()
    catalog = read_po(data, f"{lang}.po")
    assert len([e for e in catalog.entries if not e.obsolete]) == 12
    # our flag, which msgcat drops, is the only difference when there is one
    assert without_our_flag(write_po(catalog)) == msgcat(data, tmp_path)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reader_agrees_with_polib(lang):
    data = (FIXTURES / f"{lang}.po").read_bytes()
    ours = read_po(data, f"{lang}.po")
    text = data[len(BOM):].decode("utf-8") if data.startswith(BOM) else data.decode("utf-8")
    theirs = polib.pofile(text)
    assert len(ours.entries) == len(theirs)
    for mine, other in zip(ours.entries, theirs):
        forms = [other.msgstr_plural[i] for i in sorted(other.msgstr_plural)] if other.msgid_plural \
            else [other.msgstr]
        assert (mine.msgctxt, mine.msgid, mine.msgid_plural or "", mine.forms, mine.obsolete) == \
            (other.msgctxt, other.msgid, other.msgid_plural, forms, other.obsolete)
        assert mine.flags == other.flags and mine.previous_msgid == other.previous_msgid
        if mine.msgid_plural is not None and not mine.obsolete:
            assert len(mine.forms) == NPLURALS[lang]


def test_the_latin1_catalog_is_read_in_its_charset():
    data = (FIXTURES / "legacy-fr.po").read_bytes()
    catalog = read_po(data, "legacy-fr.po")
    assert catalog.charset == "ISO-8859-1"
    assert catalog.entries[0].forms == ["Annuaire des adhérent(e)s"]
    assert catalog.entries[-1].obsolete and catalog.entries[-1].forms == ["Télécopie"]
    assert write_po(catalog).encode("iso-8859-1") == data      # same text, same layout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_import_then_export_unchanged_gives_the_same_catalog(lang, tmp_path, sqlite_url):
    source = "fr" if lang == "en" else "en"
    original = FIXTURES / f"{lang}.po"
    root = make_project(tmp_path / "project", source=source, languages=[lang], catalogs={lang: original})
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    report = import_project(wb)
    assert not report.errors, [f.error for f in report.errors]
    export_project(wb)
    wb.close()
    exported = (root / "locales" / lang / "LC_MESSAGES" / "coop.po").read_bytes()
    before = original.read_bytes()
    # the same messages, comments, flags and header, as msgcat sees them
    assert msgcat(exported, tmp_path) == msgcat(before, tmp_path)
    if lang in GNU_LAYOUT:
        assert exported == before                             # not one byte changed
    # and what msgcat would not tell: our own flags survive too
    assert [sorted(e.flags) for e in read_po(exported, "x").entries] == \
        [sorted(e.flags) for e in read_po(before, "x").entries]
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", "-"], input=exported,
                          capture_output=True).returncode == 0


@pytest.mark.parametrize("lang", ["de", "sl", "pl"])
def test_the_mo_file_is_the_one_msgfmt_makes(lang, tmp_path, sqlite_url):
    root = make_project(tmp_path / "project", source="en", languages=[lang],
                        catalogs={lang: FIXTURES / f"{lang}.po"})
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    import_project(wb)
    export_project(wb)
    wb.close()
    po = root / "locales" / lang / "LC_MESSAGES" / "coop.po"
    subprocess.run(["msgfmt", "-o", str(tmp_path / "ref.mo"), str(po)], check=True, capture_output=True)
    assert po.with_suffix(".mo").read_bytes() == (tmp_path / "ref.mo").read_bytes()
    assert compile_mo(read_po(po.read_bytes(), "x")) == (tmp_path / "ref.mo").read_bytes()


def test_a_new_language_gets_babels_plural_forms_and_a_header_msgfmt_accepts(tmp_path, sqlite_url):
    root = make_project(tmp_path / "project", source="en", languages=["sl", "lv", "fr"])
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    import_project(wb)
    export_project(wb)
    wb.close()
    for lang, nplurals in (("sl", 4), ("lv", 3), ("fr", 3)):      # Babel 2.19: French has 3 forms
        po = root / "locales" / lang / "LC_MESSAGES" / "coop.po"
        catalog = read_po(po.read_bytes(), "x")
        assert catalog.header_value("Language") == lang
        assert catalog.header_value("Plural-Forms").startswith(f"nplurals={nplurals};")
        assert catalog.header_value("Content-Type") == "text/plain; charset=UTF-8"
        assert not catalog.header.fuzzy
        plural = next(e for e in catalog.entries if e.msgid_plural)
        assert plural.forms == [""] * nplurals
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_the_latin1_catalog_round_trips_through_the_database(tmp_path, sqlite_url):
    root = make_project(tmp_path / "project", source="en", languages=["fr"], domain="legacy",
                        template=FIXTURES / "legacy.pot", catalogs={"fr": FIXTURES / "legacy-fr.po"})
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    assert not import_project(wb).errors
    export_project(wb)
    wb.close()
    exported = (root / "locales" / "fr" / "LC_MESSAGES" / "legacy.po").read_bytes()
    exported.decode("utf-8")
    assert b"charset=UTF-8" in exported
    assert msgcat(exported, tmp_path) == msgcat((FIXTURES / "legacy-fr.po").read_bytes(), tmp_path)


def test_the_demo_catalogs_come_back_unchanged_and_msgfmt_accepts_all_of_them(demo_dir, sqlite_url):
    if not (demo_dir / "locales").is_dir():
        pytest.skip("the demo course has no catalogs yet")
    before = {p: p.read_bytes() for p in (demo_dir / "locales").glob("*/LC_MESSAGES/*.po")}
    wb = Workbench.open(demo_dir, db=sqlite_url, user="coordinator")
    assert not import_project(wb).errors
    # every language, even one whose planted problems would stop a checked export
    export_project(wb, **({"force": True} if "force" in inspect.signature(export_project).parameters else {}))
    languages = wb.settings.target_languages
    wb.close()
    for path, data in before.items():
        assert path.read_bytes() == data, path
    exported = sorted((demo_dir / "locales").glob("*/LC_MESSAGES/*.po"))
    assert {p.parent.parent.name for p in exported} == set(languages) and len(languages) == 12
    for path in exported:
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{path}: {checked.stderr}"


def test_a_regional_catalog_keeps_its_own_spelling_of_the_language(tmp_path, sqlite_url):
    """A catalog that says `Language: en_GB` (gettext's form) for the project's `en-GB` comes back
    as it went in; a new catalog of a regional language gets gettext's ll_CC form too."""
    original = tmp_path / "en_GB.po"
    original.write_bytes((FIXTURES / "en.po").read_bytes().replace(b'"Language: en\\n"', b'"Language: en_GB\\n"'))
    root = make_project(tmp_path / "project", source="fr", languages=["en-GB", "nl-BE"],
                        catalogs={"en-GB": original})
    wb = Workbench.open(root, db=sqlite_url, user="coordinator")
    assert not import_project(wb).errors
    export_project(wb)
    wb.close()
    assert (root / "locales" / "en-GB" / "LC_MESSAGES" / "coop.po").read_bytes() == original.read_bytes()
    new = read_po((root / "locales" / "nl-BE" / "LC_MESSAGES" / "coop.po").read_bytes(), "x")
    assert new.header_value("Language") == "nl_BE"
