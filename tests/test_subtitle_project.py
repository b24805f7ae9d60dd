"""Subtitles through the services: import, export, round trips, refused files, reflow, the demo course."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from workbench.domain.states import State
from workbench.formats.srt import parse_srt
from workbench.formats.subtitle_common import Problems
from workbench.formats.vtt import parse_vtt
from workbench.services.context import Workbench
from workbench.services.editing import get_translation
from workbench.services.exporting import export_project
from workbench.services.importing import import_project
from workbench.services.subtitles import cue_report, reflow_cue, reflow_text, subtitle_limits
from workbench.storage import repository as repo

from tests.subtitle_support import FIXTURES, VIDEO, course, wb  # noqa: F401  (fixtures)


def parse(path: Path):
    problems = Problems(path.name)
    parsed = parse_vtt(path.read_bytes(), problems)
    assert not problems.errors, [e.message for e in problems.errors]
    return parsed


def texts(wb: Workbench, language: str) -> dict[str, tuple[str, State]]:
    with wb.store.transaction() as conn:
        resource = repo.get_resource(conn, VIDEO)
        found = repo.translations_of(conn, resource["id"], VIDEO, language)
    return {k.split("/", 1)[1]: (t.text, t.state) for k, t in found.items()
            if not (t.is_empty and t.state is State.UNTRANSLATED)}


def test_round_trip_of_a_translated_vtt_is_byte_identical(wb, course):
    original = (course / "subtitles" / "de" / f"{VIDEO}.vtt").read_bytes()
    report = import_project(wb)
    assert not report.errors, [f.error for f in report.errors]
    export_project(wb, languages=["de"])
    assert (course / "subtitles" / "de" / f"{VIDEO}.vtt").read_bytes() == original


def test_round_trip_of_an_srt_with_italics(wb, course):
    srt = course / "subtitles" / "it" / f"{VIDEO}.srt"
    original = srt.read_bytes()
    import_project(wb)
    assert texts(wb, "it")["intro-fin"] == ("<u>Arrivederci</u> e <i>grazie</i>.", State.TRANSLATED)
    report = export_project(wb, languages=["it"])
    assert {Path(f.path).suffix for f in report.files} == {".vtt", ".srt"}
    exported, _ = parse_srt(srt.read_bytes(), Problems("it.srt"))
    before, _ = parse_srt(original, Problems("it.srt"))
    assert [(c.identifier, c.start_ms, c.end_ms, c.text) for c in exported] == \
        [(c.identifier, c.start_ms, c.end_ms, c.text) for c in before]
    assert srt.read_bytes() == original


def test_exported_vtt_keeps_the_source_cues_settings_and_blocks(wb, course):
    import_project(wb)
    export_project(wb, languages=["it"])
    source = parse(course / "subtitles" / f"{VIDEO}.vtt")
    italian = parse(course / "subtitles" / "it" / f"{VIDEO}.vtt")
    assert italian.header_lines == ["Kind: captions", "Language: it"]
    assert (italian.bom, italian.newline) == (False, "\n")          # as the SRT it was read from
    assert [(b.kind, b.lines, b.before) for b in italian.blocks] == \
        [(b.kind, b.lines, b.before) for b in source.blocks]
    for mine, theirs in zip(italian.cues, source.cues, strict=True):
        assert (mine.identifier, mine.start_ms, mine.end_ms, mine.settings) == \
            (theirs.identifier, theirs.start_ms, theirs.end_ms, theirs.settings)
    assert italian.cues[0].text == "<v Nadia>Buongiorno a tutte e a tutti!"
    assert italian.cues[1].text == "Tri & Co: 3 < 5 > 2 e 100 %"


def test_import_reads_states_and_export_writes_them_back(wb, course):
    import_project(wb)
    assert texts(wb, "de") == {
        "1": ("Hallo zusammen!", State.APPROVED),
        "2": ("Tri & Co: 3 < 5 > 2 und 100\u00a0%", State.TRANSLATED),
        "3": ("Los geht's?", State.DRAFT),
        "#4": ("Ein Cue <i>ohne</i> Kennung,\nauf <b>zwei</b> Zeilen.", State.DRAFT),
        "intro-fin": ("<u>Auf Wiedersehen</u> und <i>danke</i>.", State.APPROVED),
    }
    # a file that was just exported is not read again
    export_project(wb, languages=["de"])
    again = import_project(wb)
    assert all(f.skipped for f in again.files)


def test_partial_translation_and_approved_only_export(wb, course):
    partial = course / "subtitles" / "pl" / f"{VIDEO}.vtt"
    partial.parent.mkdir()
    partial.write_text("WEBVTT\n\nNOTE workbench-states\napproved 2\n\n"
                       "2\n00:00:04.000 --> 00:00:07.000 region:bas\nTri &amp; Co: 3 &lt; 5 &gt; 2 i 100 %\n\n"
                       "intro-fin\n00:01:12.100 --> 00:01:14.000 line:0\n<u>Do widzenia</u> i <i>dziękuję</i>.\n", encoding="utf-8")
    import_project(wb)
    assert texts(wb, "pl") == {"2": ("Tri & Co: 3 < 5 > 2 i 100 %", State.APPROVED),
                               "intro-fin": ("<u>Do widzenia</u> i <i>dziękuję</i>.", State.TRANSLATED)}
    report = export_project(wb, languages=["pl"])
    assert not report.skipped_languages
    vtt = next(f for f in report.files if f.path.endswith(".vtt"))
    assert (vtt.written, vtt.fallbacks, vtt.omitted, vtt.total) == (2, 3, 0, 5)
    written = parse(partial)
    assert [c.text for c in written.cues] == ["<v Nadia>Bonjour à toutes et à tous !", "Tri & Co: 3 < 5 > 2 i 100 %",
                                              "<v.loud Karim>On y va ?</v>",
                                              "Un repère <i>sans</i> identifiant,\nsur <b>deux</b> lignes.",
                                              "<u>Do widzenia</u> i <i>dziękuję</i>."]
    assert written.states[0].lines[1:] == ["approved 2", "untranslated 1 3 #4"]
    # reading back what was written changes nothing: the source text shown stays untranslated
    partial.write_bytes(partial.read_bytes() + b"\n")
    import_project(wb)
    assert texts(wb, "pl") == {"2": ("Tri & Co: 3 < 5 > 2 i 100 %", State.APPROVED),
                               "intro-fin": ("<u>Do widzenia</u> i <i>dziękuję</i>.", State.TRANSLATED)}

    report = export_project(wb, languages=["pl"], approved_only=True, fallback_to_source=False)
    vtt = next(f for f in report.files if f.path.endswith(".vtt"))
    assert (vtt.written, vtt.fallbacks, vtt.omitted) == (1, 0, 4)
    content = partial.read_text(encoding="utf-8")
    assert "workbench-states" not in content and "<u>Do widzenia</u> i <i>dziękuję</i>." not in content
    assert [c.text for c in parse(partial).cues] == ["Tri & Co: 3 < 5 > 2 i 100 %"]
    srt, _ = parse_srt((course / "subtitles" / "pl" / f"{VIDEO}.srt").read_bytes(), Problems("pl.srt"))
    assert [(c.identifier, c.text) for c in srt] == [("2", "Tri & Co: 3 < 5 > 2 i 100 %")]


def test_a_file_with_three_bad_cues_is_refused_with_every_line(wb, course):
    shutil.copy(FIXTURES / "broken" / "three-bad-cues.vtt", course / "subtitles" / "m1-v2-bad.vtt")
    report = import_project(wb)
    [bad] = report.errors
    assert bad.path == "subtitles/m1-v2-bad.vtt"
    assert [line.split(":")[1] for line in bad.error.split("\n")] == ["8", "12", "16"]
    with wb.store.transaction() as conn:
        assert repo.get_resource(conn, "m1-v2-bad") is None
        assert conn.execute(select(repo.U.c.key).where(repo.U.c.key.like("m1-v2-bad/%"))).first() is None
    assert len(texts(wb, "de")) == 5             # the good files were imported


def test_a_bad_translated_file_changes_nothing(wb, course):
    import_project(wb)
    before = texts(wb, "de")
    path = course / "subtitles" / "de" / f"{VIDEO}.vtt"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Hallo zusammen!", "Hallo!")
                    .replace("00:00:04.000 --> 00:00:07.000", "00:00:04.000 -> 00:00:07.000"),
                    encoding="utf-8")
    report = import_project(wb)
    [bad] = report.errors
    assert "bad timing line" in bad.error
    assert texts(wb, "de") == before


def test_overlaps_are_warnings(wb, course):
    source = course / "subtitles" / f"{VIDEO}.vtt"
    source.write_bytes(source.read_bytes().replace(b"00:00:04.000 --> 00:00:07.000",
                                                   b"00:00:03.000 --> 00:00:07.000"))
    report = import_project(wb)
    assert not report.errors
    [src] = [f for f in report.files if f.path == f"subtitles/{VIDEO}.vtt"]
    assert any("overlaps the previous cue" in w and ":26:" in w for w in src.warnings)
    de = next(f for f in report.files if f.path == f"subtitles/de/{VIDEO}.vtt")
    assert any("other times than the source" in w for w in de.warnings)


def test_limits_per_language(wb):
    assert subtitle_limits(wb, "de").chars_per_line == 40 and subtitle_limits(wb, "de").cps == 15
    assert subtitle_limits(wb, "en").cps == 20
    assert subtitle_limits(wb, "pl").chars_per_line == 42 and subtitle_limits(wb, "pl").cps == 17


def test_reflow_service(wb, course):
    path = course / "subtitles" / "de" / f"{VIDEO}.vtt"
    long = "Denken Sie an eine Person, die zum ersten Mal in den Betrieb kommt."
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Los geht's?", long), encoding="utf-8")
    import_project(wb)
    key = f"{VIDEO}/3"
    current = get_translation(wb, resource=VIDEO, key=key, language="de")
    assert current.text == long and current.state is State.DRAFT
    preview = reflow_text(wb, text=long, language="de")
    assert preview.fits and all(len(l) <= 40 for l in preview.text.split("\n"))
    done = reflow_cue(wb, resource=VIDEO, key=key, language="de", base_version=current.version)
    assert done.saved and done.translation.text == preview.text
    assert done.translation.state is State.DRAFT                      # a draft stays a draft
    again = reflow_cue(wb, resource=VIDEO, key=key, language="de", base_version=done.translation.version)
    assert not again.saved
    units = {u.key: u for u in _units(wb)}
    report = cue_report(wb, unit=units[key], text=done.translation.text, language="de")
    assert not report.long_lines and not report.too_many_lines
    assert report.too_fast                                            # 67 characters in 1.8 s


def _units(wb):
    with wb.store.transaction() as conn:
        resource = repo.get_resource(conn, VIDEO)
        return repo.units_of(conn, resource["id"], VIDEO)


# -- the demo course ---------------------------------------------------------------------

def test_demo_exports_every_video_in_every_language_with_translations(demo_wb, demo_dir):
    wb = demo_wb
    videos = sorted(p.stem for p in (demo_dir / "subtitles").glob("*.vtt"))
    if not videos:
        pytest.skip("the demo course has no subtitles yet")
    with wb.store.transaction() as conn:
        started: dict[str, set[str]] = {}
        for video in videos:
            resource = repo.get_resource(conn, video)
            for language in wb.settings.target_languages:
                found = repo.translations_of(conn, resource["id"], video, language)
                if any(not t.is_empty for t in found.values()):
                    started.setdefault(video, set()).add(language)
    translated_files = {(p.stem, p.parent.name) for p in (demo_dir / "subtitles").glob("*/*.vtt")}
    assert translated_files and all(lang in started.get(video, ()) for video, lang in translated_files)
    report = export_project(wb)
    written = {(Path(f.path).stem, f.language, Path(f.path).suffix) for f in report.files
               if f.path.startswith("subtitles/")}
    expected = {(v, l, ext) for v, langs in started.items() for l in langs for ext in (".vtt", ".srt")}
    assert expected <= written
    for video, language, ext in sorted(expected):
        path = demo_dir / "subtitles" / language / f"{video}{ext}"
        source = parse(demo_dir / "subtitles" / f"{video}.vtt")
        if ext == ".vtt":
            cues = parse(path).cues
        else:
            problems = Problems(path.name)
            cues, _ = parse_srt(path.read_bytes(), problems)
            assert not problems.errors
        assert [(c.start_ms, c.end_ms) for c in cues] == [(c.start_ms, c.end_ms) for c in source.cues]


def test_subtitle_checks_find_exactly_the_planted_problems_of_the_demo(demo_dir):
    """demo/PLANTED-subtitles.md: three cues break one rule each; everything else is clean."""
    from workbench.domain.checks.base import CheckContext
    from workbench.domain.checks.subtitles import (
        DurationCheck, GapCheck, LineCountCheck, LineLengthCheck, OverlapCheck, ReadingSpeedCheck,
    )
    from workbench.domain.translations import Translation
    from workbench.formats.vtt import VttFormat
    from workbench.services.project import find_project

    settings = find_project(demo_dir).settings
    checks = [c() for c in (ReadingSpeedCheck, LineLengthCheck, LineCountCheck, DurationCheck, GapCheck,
                            OverlapCheck)]
    sources = sorted((demo_dir / "subtitles").glob("*.vtt"))
    if not sources:
        pytest.skip("the demo course has no subtitles yet")
    found = []
    for path in sources:
        doc = VttFormat().read_source(path, resource=path.stem, module="m", display_path=path.name)
        assert doc.meta["warnings"] == []
        files = [("fr", {u.key: u.source for u in doc.units})]
        for translated in sorted((demo_dir / "subtitles").glob(f"*/{path.name}")):
            language = translated.parent.name
            t = VttFormat().read_translation(translated, language=language, source=doc, units=doc.units,
                                             display_path=translated.name)
            assert t.meta["warnings"] == []
            files.append((language, {k: e.forms[0] for k, e in t.entries.items()}))
        for language, texts in files:
            limits = settings.for_language(language).subtitles
            for i, unit in enumerate(doc.units):
                if unit.key not in texts:
                    continue
                tr = Translation(key=unit.key, resource=unit.resource, language=language,
                                 forms=(texts[unit.key],), state=State.TRANSLATED)
                ctx = CheckContext(language, "fr", limits,
                                   tuple((u, None) for u in doc.units[max(0, i - 1):i + 2]))
                for check in checks:
                    found += [(language, unit.key, issue.check, issue.message) for issue in check.run(unit, tr, ctx)]
    assert found == [
        ("de", "m1-v2-communication-non-violente/49", "cps",
         "21.9 cps > 17, needs 0.9 s more or 15 fewer characters"),
        ("es", "m2-v1-analyse-environnement/26", "line-length", "line 2: 47 characters > 42 (5 too many)"),
        ("de", "m3-v1-valeurs-personnelles/24", "lines", "3 lines > 2 (1 too many)"),
    ]
