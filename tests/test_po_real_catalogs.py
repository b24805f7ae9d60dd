"""Real catalogs of another project (Django's, as its package ships them) in our 13 languages come
back from import and export as they went in, and the ones msgfmt refuses we refuse too."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from workbench.domain.errors import FormatError, FormatErrors
from workbench.formats.po_catalog import PoCatalog, PoEntry, set_header_fields
from workbench.formats.po_reader import read_po
from workbench.formats.po_writer import write_po
from workbench.services.context import Workbench
from workbench.services.exporting import export_project
from workbench.services.importing import import_project

from tests.test_po_roundtrip import msgcat

#: our language -> the directory Django keeps its catalogs in
LANGUAGES = {"fr": "fr", "en-GB": "en_GB", "de": "de", "nl": "nl", "it": "it", "es": "es", "pl": "pl",
             "bg": "bg", "hr": "hr", "el": "el", "lv": "lv", "ro": "ro", "sl": "sl"}
#: the core catalog and four apps: contexts, plurals, multi-line strings, escapes, placeholders
APPS = ("conf", "contrib/admin", "contrib/humanize", "contrib/auth", "contrib/admindocs")

_SPEC = importlib.util.find_spec("django")
DJANGO = Path(_SPEC.submodule_search_locations[0]) if _SPEC and _SPEC.submodule_search_locations else None

pytestmark = [
    pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext (msgcat) is not installed"),
    pytest.mark.skipif(DJANGO is None, reason="Django (the test extra's source of real catalogs) is not installed"),
]


def catalogs(directory: str) -> list[Path]:
    if DJANGO is None:
        return []
    return [DJANGO / app / "locale" / directory / "LC_MESSAGES" / "django.po" for app in APPS
            if (DJANGO / app / "locale" / directory / "LC_MESSAGES" / "django.po").is_file()]


def msgfmt_accepts(path: Path) -> bool:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0


def template_of(catalog: PoCatalog) -> str:
    """The template the catalog was made from, as xgettext would have written it."""
    header = PoEntry(msgid="", forms=[set_header_fields(catalog.header.forms[0], {
        "Plural-Forms": "nplurals=INTEGER; plural=EXPRESSION;", "Language": ""})])
    entries = [PoEntry(msgid=e.msgid, msgid_plural=e.msgid_plural, msgctxt=e.msgctxt,
                       forms=["", ""] if e.plural else [""], extracted_comments=list(e.extracted_comments),
                       references=list(e.references), flags=[f for f in e.flags if f != "fuzzy"])
               for e in catalog.entries if not e.obsolete]
    return write_po(PoCatalog(header=header, entries=entries))


@pytest.mark.parametrize("language", LANGUAGES)
def test_real_catalogs_round_trip(language, tmp_path, sqlite_url):
    found = catalogs(LANGUAGES[language])
    assert found, f"Django ships no catalog for {language}"
    accepted = [p for p in found if msgfmt_accepts(p)]
    for path in found:
        if path in accepted:
            continue
        # a catalog msgfmt refuses (Django's fr, it, es: three plural forms under nplurals=2) is refused
        with pytest.raises((FormatError, FormatErrors)) as caught:
            read_po(path.read_bytes(), "django.po")
        assert str(caught.value).startswith("django.po:")
    assert accepted, f"msgfmt refuses every Django catalog of {language}"
    for n, original in enumerate(accepted):
        root = tmp_path / f"p{n}"
        target = root / "locales" / language / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True)
        source = "fr" if language.startswith("en") else "en"
        (root / "workbench.toml").write_text(
            f'[project]\nsource_language = "{source}"\nlanguages = ["{source}", "{language}"]\n', encoding="utf-8")
        data = original.read_bytes()
        (root / "locales" / "django.pot").write_text(template_of(read_po(data, "django.po")), encoding="utf-8")
        shutil.copy(original, target)
        wb = Workbench.open(root, db=f"sqlite:///{root / 'wb.db'}", user="coordinator")
        report = import_project(wb)
        assert not report.errors, [f.error for f in report.errors]
        export_project(wb, force=True)
        wb.close()
        exported = target.read_bytes()
        assert msgcat(exported, tmp_path) == msgcat(data, tmp_path), original
        assert msgfmt_accepts(target), original


def test_the_real_catalogs_cover_what_the_round_trip_must():
    """Plural forms from 2 to 4, contexts, multi-line strings, escapes and non-ASCII text."""
    nplurals, contexts, multiline, escapes, non_ascii = set(), 0, 0, 0, 0
    for directory in LANGUAGES.values():
        for path in catalogs(directory):
            if not msgfmt_accepts(path):
                continue
            catalog = read_po(path.read_bytes(), path.name)
            nplurals.add(catalog.header_value("Plural-Forms").split(";")[0])
            for entry in catalog.entries:
                contexts += entry.msgctxt is not None
                multiline += any("\n" in form.rstrip("\n") for form in entry.forms) or len(entry.msgid) > 70
                escapes += any(c in text for text in (entry.msgid, *entry.forms) for c in ('"', "\\", "\n", "\t"))
                non_ascii += any(not text.isascii() for text in entry.forms)
    assert {"nplurals=2", "nplurals=3", "nplurals=4"} <= {n.replace(" ", "") for n in nplurals}
    assert min(contexts, multiline, escapes, non_ascii) > 0, (contexts, multiline, escapes, non_ascii)
