"""TMX 1.4: safe reading, writing, and a round trip through the memory."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from workbench.domain.errors import FormatError
from workbench.formats.tmx import TmxEntry, read_tmx, write_tmx
from workbench.services.memory import export_tmx, import_tmx, lookup, memory_entries

TRADOS_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="Other" creationtoolversion="1" datatype="xml" segtype="sentence"
          adminlang="en-US" srclang="fr-FR" o-tmf="x"/>
  <body>
    <tu creationdate="20240305T101112Z" creationid="ANNA">
      <prop type="x-context">m1</prop>
      <tuv xml:lang="fr-FR"><seg>Cliquez <bpt i="1">&lt;b&gt;</bpt>ici<ept i="1">&lt;/b&gt;</ept> &amp; continuez</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Klicken Sie <bpt i="1">&lt;b&gt;</bpt>hier<ept i="1">&lt;/b&gt;</ept> &amp; weiter</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> &amp; go on</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr-FR"><seg>Une seule langue</seg></tuv>
    </tu>
    <tu srclang="en-GB">
      <tuv xml:lang="fr-FR"><seg>Bonjour</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Hello</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_read_inline_codes_languages_and_source_variant():
    entries = read_tmx(TRADOS_STYLE.encode(), display_path="x.tmx")
    assert [(e.source_language, e.target_language, e.source, e.target) for e in entries] == [
        ("fr-FR", "de-DE", "Cliquez <b>ici</b> & continuez", "Klicken Sie <b>hier</b> & weiter"),
        ("fr-FR", "en-GB", "Cliquez <b>ici</b> & continuez", "Click <b>here</b> & go on"),
        ("en-GB", "fr-FR", "Hello", "Bonjour"),
    ]
    assert entries[0].author == "ANNA"
    assert entries[0].created_at == datetime(2024, 3, 5, 10, 11, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("data, problem", [
    (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b'<tmx><body><tu><tuv xml:lang="fr"><seg>&b;</seg></tuv></tu></body></tmx>', "entity declarations"),
    (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
     b'<tmx><body><tu><tuv xml:lang="fr"><seg>&ext;</seg></tuv></tu></body></tmx>', "entity declarations"),
    (b"<tmx><body><tu></body></tmx>", "not well-formed"),
    (b"<html><body/></html>", "not a TMX file"),
    (b"", "not well-formed"),
    (b'<tmx><header/><body><tu><tuv><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg></tuv></tu></body></tmx>',
     "without xml:lang"),
    (b'<tmx><header/><body><tu><tuv xml:lang="fr"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg></tuv>'
     b"</tu></body></tmx>", "no source language"),
])
def test_bad_files_are_refused_with_a_line(data, problem):
    with pytest.raises(FormatError) as info:
        read_tmx(data, display_path="bad.tmx")
    assert problem in str(info.value)
    assert str(info.value).startswith("bad.tmx")


def test_write_then_read_gives_the_same_entries():
    when = datetime(2025, 6, 1, 8, 0, 0, tzinfo=timezone.utc)
    entries = [
        TmxEntry("fr", "de", "Vous avez <b>%(n)d</b> & \"réponses\"\r\n<ok>", "Sie haben <b>%(n)d</b>",
                 key="m2/quiz-1/result", origin="approved", author="anna", created_at=when),
        TmxEntry("fr", "hr", "  espaces  ", "razmaci", key=None, origin="tmx:old.tmx"),
        TmxEntry("fr", "el", "Économie sociale", "Κοινωνική οικονομία"),
    ]
    assert read_tmx(write_tmx(entries, source_language="fr"), display_path="t.tmx") == entries


def test_export_then_import_gives_the_same_entries(demo_wb, tmp_path):
    from workbench.services.context import Workbench
    from conftest import copy_demo

    exported = tmp_path / "out" / "memory.tmx"
    n = export_tmx(demo_wb, exported)
    before = memory_entries(demo_wb)
    assert n == len(before) > 50
    assert {e.language for e in before} == {"en", "de", "es"}
    # a fresh project (no translations) imports the file: the memory holds the same entries
    fresh_dir = copy_demo(tmp_path / "fresh")
    for lang in ("en", "de", "es"):
        import shutil
        shutil.rmtree(fresh_dir / "locales" / lang, ignore_errors=True)
        shutil.rmtree(fresh_dir / "subtitles" / lang, ignore_errors=True)
    fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    fresh = Workbench.open(fresh_dir, db=fresh_url, user="coordinator")
    try:
        assert memory_entries(fresh) == []
        report = import_tmx(fresh, exported)
        assert report.added == n and report.duplicates == 0
        after = memory_entries(fresh)

        def ident(e):
            return (e.source_language, e.language, e.source, e.target, e.key)

        assert sorted(map(ident, after)) == sorted(map(ident, before))
        # importing the same file again adds nothing
        again = import_tmx(fresh, exported)
        assert again.added == 0 and again.duplicates == n
        # and what was imported is found by a lookup
        e = before[0]
        [m, *_] = lookup(fresh, e.source, language=e.language, key=e.key)
        assert m.exact and m.entry.target == e.target and m.entry.origin == "tmx:memory.tmx"
    finally:
        fresh.close()
    # into the project it came from: everything is already there
    same = import_tmx(demo_wb, exported)
    assert same.added == 0 and same.duplicates == n


def test_import_maps_regional_tags_and_reports_other_languages(demo_wb, tmp_path):
    path = tmp_path / "trados.tmx"
    path.write_text(TRADOS_STYLE, encoding="utf-8")
    report = import_tmx(demo_wb, path)
    assert report.read == 3 and report.added == 2
    assert report.other_languages == {"en-GB>fr-FR": 1}
    [m, *_] = lookup(demo_wb, "Cliquez <b>ici</b> & continuez", language="de")
    assert m.exact and m.entry.target == "Klicken Sie <b>hier</b> & weiter" and m.entry.language == "de"


def test_a_broken_file_imports_nothing(demo_wb, tmp_path):
    path = tmp_path / "broken.tmx"
    path.write_text(TRADOS_STYLE.replace("</body>", ""), encoding="utf-8")
    with pytest.raises(FormatError):
        import_tmx(demo_wb, path)
    assert not [e for e in memory_entries(demo_wb) if e.origin.startswith("tmx")]
