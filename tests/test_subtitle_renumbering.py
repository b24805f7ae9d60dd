"""Re-cut source subtitles: a cue renumbered by the subtitle editor keeps its translation, state and history."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workbench.domain.states import State
from workbench.formats.subtitle_common import Problems
from workbench.formats.vtt import parse_vtt
from workbench.services.context import Workbench
from workbench.services.cue_alignment import TimedText, align
from workbench.services.exporting import export_project
from workbench.services.importing import FileReport, import_project
from workbench.storage import repository as repo

from tests.subtitle_support import VIDEO as FIXTURE_VIDEO, course, wb  # noqa: F401  (fixtures)

VIDEO = "m1-v1-recut"
SETTINGS = """[project]
name = "Re-cut course"
source_language = "fr"
languages = ["fr", "de"]

[[modules]]
id = "m1"
title = "Module 1"
"""


@dataclass(frozen=True)
class C:
    """A cue: text, start and end in seconds (tenths), and the German translation when there is one."""

    text: str
    start: float
    end: float
    de: str | None = None


def vtt(cues: list[C], *, numbered: bool = True, translated: bool = False, approved: str = "") -> str:
    lines = ["WEBVTT", ""]
    if approved:
        lines += ["NOTE workbench-states", f"approved {approved}", ""]
    for n, cue in enumerate(cues, 1):
        if translated and cue.de is None:
            continue
        if numbered:
            lines.append(str(n))
        lines += [f"{_t(cue.start)} --> {_t(cue.end)}", cue.de if translated else cue.text, ""]
    return "\n".join(lines)


def _t(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"00:{ms // 60000:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


BEFORE = [C("Bonjour à toutes et à tous.", 1, 2.5, "Hallo zusammen."),
          C("Je m'appelle Nadia.", 3, 4.5, "Ich heiße Nadia."),
          C("On commence. Allons-y.", 5, 7, "Wir fangen an. Los geht's."),
          C("Oui.", 7.5, 8, "Ja."),
          C("Vous avez une question ?", 8.5, 10, "Haben Sie eine Frage?"),
          C("Oui.", 10.5, 11, "Jawohl."),
          C("Merci et à bientôt.", 12, 14, "Danke und bis bald.")]
A, B, SPLIT, YES1, Q, YES2, END = BEFORE


@dataclass(frozen=True)
class Case:
    name: str
    after: list[C]
    expected: list[tuple[str | None, State | None]]      # per cue of `after`: its German text and state
    counts: tuple[int, int, int, int]                      # new, renumbered, changed, removed
    numbered: bool = True


def _kept(cue: C, state: State = State.APPROVED) -> tuple[str | None, State | None]:
    return cue.de, state


CASES = [
    Case("insert at start", [C("Salut !", 0.2, 0.8), *BEFORE],
         [(None, None), *[_kept(c) for c in BEFORE]], (1, 7, 0, 0)),
    Case("split one cue into two", [A, B, C("On commence.", 5, 6), C("Allons-y.", 6, 7), YES1, Q, YES2, END],
         [_kept(A), _kept(B), (SPLIT.de, State.DRAFT), (None, None), _kept(YES1), _kept(Q), _kept(YES2), _kept(END)],
         (1, 4, 1, 0)),
    Case("merge two", [A, C("Je m'appelle Nadia. On commence.", 3, 7), YES1, Q, YES2, END],
         [_kept(A), (B.de, State.DRAFT), _kept(YES1), _kept(Q), _kept(YES2), _kept(END)], (0, 4, 1, 1)),
    Case("delete one", [A, SPLIT, YES1, Q, YES2, END],
         [_kept(A), _kept(SPLIT), _kept(YES1), _kept(Q), _kept(YES2), _kept(END)], (0, 5, 0, 1)),
    Case("nothing changed but a note", [*BEFORE], [_kept(c) for c in BEFORE], (0, 0, 0, 0)),
    # two cues swap places (each with its times): each keeps its translation under the other's number
    Case("swap two cues", [A, C(SPLIT.text, 3, 4.5), C(B.text, 5, 7), YES1, Q, YES2, END],
         [_kept(A), _kept(SPLIT), _kept(B), _kept(YES1), _kept(Q), _kept(YES2), _kept(END)], (0, 2, 0, 0)),
    # the first "Oui." goes and the question is reworded: the second "Oui." is still the second one
    Case("repeated texts", [A, B, SPLIT, C("Une question ?", 8.5, 10), YES2, END],
         [_kept(A), _kept(B), _kept(SPLIT), (Q.de, State.DRAFT), _kept(YES2), _kept(END)], (0, 3, 1, 1)),
    # a third "Oui." before the first: the two there keep their own translations
    Case("repeated text inserted", [A, B, SPLIT, C("Oui.", 7.1, 7.4), YES1, Q, YES2, END],
         [_kept(A), _kept(B), _kept(SPLIT), (None, None), _kept(YES1), _kept(Q), _kept(YES2), _kept(END)],
         (1, 4, 0, 0)),
    Case("cues without identifiers", [C("Salut !", 0.2, 0.8), *BEFORE],
         [(None, None), *[_kept(c) for c in BEFORE]], (1, 7, 0, 0), numbered=False),
]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "course"
    (root / "subtitles" / "de").mkdir(parents=True)
    (root / "workbench.toml").write_text(SETTINGS, encoding="utf-8")
    return root


def _translations(wb: Workbench) -> dict[str, tuple[str, State, int]]:
    """Live cue key suffix -> German (text, state, version)."""
    with wb.store.read() as conn:
        resource = repo.get_resource(conn, VIDEO)
        live = {u.key for u in repo.units_of(conn, resource["id"], VIDEO, include_obsolete=False)}
        found = repo.translations_of(conn, resource["id"], VIDEO, "de")
    return {k.split("/", 1)[1]: (t.text, t.state, t.version) for k, t in found.items()
            if k in live and not t.is_empty}


def _counts(wb: Workbench) -> tuple[int, int]:
    """(translations with text, history rows) of the whole database: nothing may be lost."""
    with wb.store.read() as conn:
        texts = conn.execute(select(func.count()).select_from(repo.T).where(repo.T.c.text != "")).scalar_one()
        changes = conn.execute(select(func.count()).select_from(repo.C)).scalar_one()
    return texts, changes


def _source_report(report) -> FileReport:
    return next(f for f in report.files if f.path == f"subtitles/{VIDEO}.vtt")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_recut_source_keeps_each_cues_translation(project, db_url, case):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE, numbered=case.numbered), encoding="utf-8")
    (project / "subtitles" / "de" / f"{VIDEO}.vtt").write_text(
        vtt(BEFORE, numbered=case.numbered, translated=True,
            approved="1-7" if case.numbered else " ".join(f"#{n}" for n in range(1, 8))), encoding="utf-8")
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        assert not import_project(wb).errors
        texts_before, changes_before = _counts(wb)
        source.write_text(vtt(case.after, numbered=case.numbered) + "\nNOTE re-cut\n", encoding="utf-8")
        report = import_project(wb)
        assert not report.errors
        got = _source_report(report)
        assert (got.added, got.renumbered, got.changed, got.obsoleted) == case.counts
        found = _translations(wb)
        suffixes = [str(n) if case.numbered else f"#{n}" for n in range(1, len(case.after) + 1)]
        assert [found.get(s, (None, None))[:2] for s in suffixes] == case.expected
        # a renumbered cue's translation is the same row, untouched: no new version, no history
        assert all(found[s][2] == 1 for s, (_, state) in zip(suffixes, case.expected) if state is State.APPROVED)
        texts_after, changes_after = _counts(wb)
        assert texts_after == texts_before
        assert changes_after == changes_before + got.stale.get("de", 0)
        assert got.kept.get("de", 0) == case.counts[3]
    finally:
        wb.close()


def test_the_next_export_writes_each_translation_on_its_cue(project, db_url):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    translated = project / "subtitles" / "de" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    translated.write_text(vtt(BEFORE, translated=True, approved="1-7"), encoding="utf-8")
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        import_project(wb)
        after = [C("Salut !", 0.2, 0.8), *BEFORE]
        source.write_text(vtt(after), encoding="utf-8")
        report = import_project(wb)
        # the German file, in the old numbering and unchanged since its import, is skipped
        assert next(f for f in report.files if f.path.startswith("subtitles/de/")).skipped
        export_project(wb, languages=["de"])
        cues = _parse(translated).cues
        assert [(c.identifier, c.start_ms, c.text) for c in cues] == \
            [(str(n), round(cue.start * 1000), cue.de or cue.text) for n, cue in enumerate(after, 1)]
        assert _parse(translated).states[0].lines[1:] == ["approved 2-8", "untranslated 1"]
        assert all(f.skipped for f in import_project(wb).files)
    finally:
        wb.close()


def test_a_translation_file_edited_in_the_old_numbering_is_read_in_it(project, db_url):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    translated = project / "subtitles" / "de" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    translated.write_text(vtt(BEFORE, translated=True, approved="1-7"), encoding="utf-8")
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        import_project(wb)
        # the translator edits cue 7 of the file they have; meanwhile the source gets a cue at the start
        translated.write_text(vtt(BEFORE, translated=True, approved="1-6").replace(
            "Danke und bis bald.", "Vielen Dank und bis bald."), encoding="utf-8")
        source.write_text(vtt([C("Salut !", 0.2, 0.8), *BEFORE]), encoding="utf-8")
        report = import_project(wb)
        de = next(f for f in report.files if f.path == f"subtitles/de/{VIDEO}.vtt")
        assert de.updated == 1 and any("numbered as subtitles/" in w for w in de.warnings)
        found = _translations(wb)
        assert found["8"][:2] == ("Vielen Dank und bis bald.", State.TRANSLATED)
        assert found["2"][:2] == ("Hallo zusammen.", State.APPROVED) and "1" not in found
        # read again (forced), the file is still in the old numbering: nothing changes
        assert not import_project(wb, force=True).errors
        assert _translations(wb) == found
        export_project(wb, languages=["de"])
        assert _parse(translated).cues[7].text == "Vielen Dank und bis bald."
        # exported, it is in the new numbering: an edit there is read in it
        translated.write_text(translated.read_text(encoding="utf-8").replace("Hallo zusammen.", "Hallo alle."),
                              encoding="utf-8")
        report = import_project(wb)
        de = next(f for f in report.files if f.path == f"subtitles/de/{VIDEO}.vtt")
        assert de.updated == 1 and not de.warnings
        assert _translations(wb)["2"][0] == "Hallo alle."
    finally:
        wb.close()


def test_a_removed_cue_put_back_gets_its_translation_again(project, db_url):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    (project / "subtitles" / "de" / f"{VIDEO}.vtt").write_text(vtt(BEFORE, translated=True, approved="1-7"),
                                                               encoding="utf-8")
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        import_project(wb)
        source.write_text(vtt([A, SPLIT, YES1, Q, YES2, END]), encoding="utf-8")
        import_project(wb)
        assert "Ich heiße Nadia." not in {t for t, _, _ in _translations(wb).values()}
        source.write_text(vtt(BEFORE), encoding="utf-8")
        report = _source_report(import_project(wb))
        assert (report.added, report.changed, report.obsoleted) == (0, 0, 0)
        assert _translations(wb)["2"][:2] == ("Ich heiße Nadia.", State.APPROVED)
    finally:
        wb.close()


def test_import_then_export_through_the_command_line(project):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    translated = project / "subtitles" / "de" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    translated.write_text(vtt(BEFORE, translated=True, approved="1-7"), encoding="utf-8")
    env = {**os.environ, "WORKBENCH_USER": "coordinator"}
    env.pop("WORKBENCH_DATABASE_URL", None)

    def workbench(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "workbench", *args], cwd=project, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    workbench("import")
    after = [A, B, C("On commence.", 5, 6), C("Allons-y.", 6, 7), C("Salut !", 7.1, 7.4), YES1, Q, YES2, END]
    source.write_text(vtt(after), encoding="utf-8")
    out = workbench("import")
    assert f"subtitles/{VIDEO}.vtt: 2 new, 4 renumbered, 1 changed, 0 removed; made draft: de 1" in out
    workbench("export", "--lang", "de")
    cues = _parse(translated).cues
    assert [(c.start_ms, c.end_ms, c.text) for c in cues] == [
        (1000, 2500, "Hallo zusammen."), (3000, 4500, "Ich heiße Nadia."), (5000, 6000, "Wir fangen an. Los geht's."),
        (6000, 7000, "Allons-y."), (7100, 7400, "Salut !"), (7500, 8000, "Ja."), (8500, 10000, "Haben Sie eine Frage?"),
        (10500, 11000, "Jawohl."), (12000, 14000, "Danke und bis bald.")]
    assert _parse(translated).states[0].lines[1:] == ["approved 1-2 6-9", "draft 3", "untranslated 4-5"]


def _parse(path: Path):
    problems = Problems(path.name)
    parsed = parse_vtt(path.read_bytes(), problems)
    assert not problems.errors
    return parsed


# -- the alignment alone -------------------------------------------------------------------

def _cues(*spec: tuple[str, float, float]) -> list[TimedText]:
    return [TimedText(text, round(a * 1000), round(b * 1000)) for text, a, b in spec]


@pytest.mark.parametrize("old, new, pairs", [
    # the same texts, every time shifted by 10 s (the video got an intro): all pair
    (_cues(("a", 1, 2), ("b", 3, 4), ("c", 5, 6)), _cues(("a", 11, 12), ("b", 13, 14), ("c", 15, 16)),
     {0: 0, 1: 1, 2: 2}),
    # shifted and one text changed: the changed cue pairs by its shifted times
    (_cues(("a", 1, 2), ("b", 3, 4), ("c", 5, 6), ("d", 7, 8)),
     _cues(("a", 11, 12), ("x", 12.5, 13), ("B", 13, 14), ("c", 15, 16), ("d", 17, 18)),
     {0: 0, 2: 1, 3: 2, 4: 3}),
    # a repeated text: the occurrence whose times overlap wins
    (_cues(("oui", 1, 2), ("q", 3, 4), ("oui", 5, 6)), _cues(("q2", 3, 4), ("oui", 5, 6)), {0: 1, 1: 2}),
    # nothing in common, nothing overlapping: no pair (new cues, removed cues)
    (_cues(("a", 1, 2), ("b", 3, 4)), _cues(("x", 10, 11), ("y", 12, 13), ("z", 14, 15)), {}),
    # every text changed, same times: each cue is its old self, changed
    (_cues(("a", 1, 2), ("b", 3, 4)), _cues(("A", 1, 2), ("B", 3, 4)), {0: 0, 1: 1}),
    # the last cue reworded and retimed: still the last cue, changed
    (_cues(("a", 1, 2), ("b", 3, 4)), _cues(("a", 1, 2), ("B", 5, 6)), {0: 0, 1: 1}),
], ids=["shifted", "shifted-and-changed", "repeated-text", "unrelated", "all-reworded", "last-reworded"])
def test_align(old, new, pairs):
    assert align(old, new) == pairs


def test_align_a_long_rewritten_file_pairs_by_timing(monkeypatch):
    """Past WEIGHTED_CELLS, the stretches are aligned greedily: the same pairs on a simple case."""
    import workbench.services.cue_alignment as alignment

    old = _cues(*((f"ancien {n}", n * 2, n * 2 + 1.5) for n in range(40)))
    new = _cues(*((f"nouveau {n}", n * 2 + 0.2, n * 2 + 1.4) for n in range(40)))
    weighted = align(old, new)
    assert weighted == {n: n for n in range(40)}
    monkeypatch.setattr(alignment, "WEIGHTED_CELLS", 10)
    assert align(old, new) == weighted


def test_the_fixture_course_recut_keeps_states_voices_and_notes_on_their_cues(course, wb):
    """The subtitle test course (identifiers, a cue without one, a named one, voices, NOTEs): a cue
    inserted at the start renumbers 1-3 and moves the unnamed cue to #5."""
    from tests.test_subtitle_project import texts

    assert not import_project(wb).errors
    source = course / "subtitles" / f"{FIXTURE_VIDEO}.vtt"
    data = source.read_text(encoding="utf-8-sig")
    for n in (3, 2, 1):
        data = data.replace(f"\n{n}\n00:", f"\n{n + 1}\n00:")
    data = data.replace("\n2\n00:00:01.000", "\n1\n00:00:00.200 --> 00:00:00.800\nSalut !\n\n2\n00:00:01.000")
    source.write_text(data, encoding="utf-8")
    report = import_project(wb)
    got = _fixture_source_report(report)
    assert (got.added, got.renumbered, got.changed, got.obsoleted) == (1, 4, 0, 0)
    assert texts(wb, "de") == {
        "2": ("Hallo zusammen!", State.APPROVED),
        "3": ("Tri & Co: 3 < 5 > 2 und 100\u00a0%", State.TRANSLATED),
        "4": ("Los geht's?", State.DRAFT),
        "#5": ("Ein Cue <i>ohne</i> Kennung,\nauf <b>zwei</b> Zeilen.", State.DRAFT),
        "intro-fin": ("<u>Auf Wiedersehen</u> und <i>danke</i>.", State.APPROVED),
    }
    export_project(wb, languages=["de"], force=True)
    parsed = _parse(course / "subtitles" / "de" / f"{FIXTURE_VIDEO}.vtt")
    assert [c.identifier for c in parsed.cues] == ["1", "2", "3", "4", None, "intro-fin"]
    assert parsed.cues[1].text == "<v Nadia>Hallo zusammen!" and parsed.cues[3].text == "<v.loud Karim>Los geht's?</v>"
    [note] = [b for b in parsed.blocks if b.lines[0] == "NOTE Eine Notiz zwischen zwei Cues."]
    assert parsed.cues[note.before - 1].identifier == "4"
    assert parsed.states[0].lines[1:] == ["approved 2 intro-fin", "draft 4 #5", "untranslated 1"]


def _fixture_source_report(report) -> FileReport:
    return next(f for f in report.files if f.path == f"subtitles/{FIXTURE_VIDEO}.vtt")


def test_a_file_edited_after_two_recuts_is_read_in_the_numbering_it_has(project, db_url):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    translated = project / "subtitles" / "de" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    translated.write_text(vtt(BEFORE, translated=True, approved="1-7"), encoding="utf-8")
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        import_project(wb)
        source.write_text(vtt([C("Salut !", 0.2, 0.8), *BEFORE]), encoding="utf-8")
        import_project(wb)
        source.write_text(vtt([C("Salut !", 0.2, 0.8), A, SPLIT, YES1, Q, YES2, END]), encoding="utf-8")
        report = _source_report(import_project(wb))
        assert (report.added, report.renumbered, report.obsoleted) == (0, 5, 1)
        # the German file, never exported since: its cue 3 is the cue now numbered 3 (SPLIT, was 4)
        translated.write_text(vtt(BEFORE, translated=True, approved="1-2 4-7").replace(
            "Wir fangen an. Los geht's.", "Wir beginnen. Los geht's."), encoding="utf-8")
        de = next(f for f in import_project(wb).files if f.path == f"subtitles/de/{VIDEO}.vtt")
        assert de.updated == 1
        # its cue 2, whose source cue was removed, goes nowhere (the removed cue's row keeps its text)
        assert de.unknown_keys == 1 and any("'2'" in w and "matches no source cue" in w for w in de.warnings)
        found = _translations(wb)
        assert found["3"][:2] == ("Wir beginnen. Los geht's.", State.TRANSLATED)
        assert found["2"][:2] == ("Hallo zusammen.", State.APPROVED)
        assert "Ich heiße Nadia." not in {t for t, _, _ in found.values()}    # (its cue was removed)
    finally:
        wb.close()


def test_an_srt_edited_in_the_old_numbering_is_read_in_it(project, db_url):
    source = project / "subtitles" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    (project / "subtitles" / "de" / f"{VIDEO}.vtt").write_text(vtt(BEFORE, translated=True, approved="1-7"),
                                                               encoding="utf-8")
    srt = project / "subtitles" / "de" / f"{VIDEO}.srt"
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        import_project(wb)
        export_project(wb, languages=["de"], force=True)              # the .srt is written, in 1-7
        source.write_text(vtt([C("Salut !", 0.2, 0.8), *BEFORE]), encoding="utf-8")
        import_project(wb)
        # edited in a subtitle editor that also renumbers: still cues 1-7 of the old source
        srt.write_text(srt.read_text(encoding="utf-8").replace("Haben Sie eine Frage?", "Noch Fragen?"),
                       encoding="utf-8")
        de = next(f for f in import_project(wb).files if f.path.startswith("subtitles/de/"))
        assert de.path.endswith(".srt") and de.updated == 1
        found = _translations(wb)
        assert found["6"][0] == "Noch Fragen?" and found["5"][0] == "Ja."
    finally:
        wb.close()


@pytest.mark.parametrize("action", ["save", "approve", "reject"])
def test_a_screen_open_during_a_recut_changes_the_cue_it_showed(project, db_url, action):
    """The editor or the review screen showed cue 3 ('On commence'); an import renumbered it to 4 and
    gave key 3 to another cue whose row has the same version: what the screen does goes to cue 4."""
    from workbench.services import editing, review
    from workbench.services.users import add_user

    source = project / "subtitles" / f"{VIDEO}.vtt"
    source.write_text(vtt(BEFORE), encoding="utf-8")
    (project / "subtitles" / "de" / f"{VIDEO}.vtt").write_text(vtt(BEFORE, translated=True), encoding="utf-8")
    wb = Workbench.open(project, db=db_url, user="coordinator")
    try:
        add_user(wb, "coordinator", role="coordinator")
        add_user(wb, "rita", role="reviewer", languages=["de"])
        add_user(wb, "tom", role="translator", languages=["de"])
        import_project(wb)
        shown = editing.find_unit(wb, f"{VIDEO}/3", resource=VIDEO)
        version = editing.get_translation(wb, resource=VIDEO, key=shown.key, language="de").version
        with wb.store.read() as conn:
            unit_id = conn.execute(select(repo.U.c.id).where(repo.U.c.key == shown.key)).scalar_one()
        source.write_text(vtt([C("Salut !", 0.2, 0.8), *BEFORE]), encoding="utf-8")
        assert _source_report(import_project(wb)).renumbered
        assert editing.get_translation(wb, resource=VIDEO, key=shown.key, language="de").version == version
        if action == "save":
            wb.user = "tom"
            editing.save_translation(wb, resource=VIDEO, key=shown.key, language="de", forms=["Wir beginnen."],
                                     base_version=version, unit_id=unit_id)
            expected = ("Wir beginnen.", State.TRANSLATED)
        else:
            wb.user = "rita"
            call = review.approve if action == "approve" else partial(review.reject, comment="Zu lang.")
            call(wb, resource=VIDEO, key=shown.key, language="de", base_version=version, unit_id=unit_id)
            expected = ("Wir fangen an. Los geht's.", State.APPROVED if action == "approve" else State.DRAFT)
        found = _translations(wb)
        assert found["4"][:2] == expected                        # the cue the screen showed, now 4
        assert found["3"][:2] == ("Ich heiße Nadia.", State.TRANSLATED)     # now key 3: untouched
    finally:
        wb.close()
