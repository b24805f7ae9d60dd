"""The check service: context, project settings, ignore flags, stored results, refresh, the editor's
draft checks and the export gate, on the demo course (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

from workbench.domain.checks.base import Severity
from workbench.domain.checks.registry import CHECKS
from workbench.domain.errors import NotFoundError, ProjectError
from workbench.domain.units import UnitKind
from workbench.services import checks as service
from workbench.services.checks import (
    CR, check_project, draft_checker, issue_counts, neighbour_groups, refresh_translations,
)
from workbench.services.context import Workbench
from workbench.services.exporting import export_project, stored_blockers
from workbench.storage import repository as repo

T, U = repo.T, repo.U

#: demo/PLANTED-catalogs.md and demo/PLANTED-subtitles.md: (key, language, check)
PLANTED = {
    ("m2/quiz-1/result", "de", "python-format"),
    ("m1/lesson-3/p2", "de", "double-space"),
    ("m1/lesson-4/p2", "es", "end-punctuation"),
    ("m2/lesson-2/p3", "de", "terminology"),
    ("m2/quiz-1/title", "es", "terminology"),
    ("m1-v2-communication-non-violente/49", "de", "cps"),
    ("m2-v1-analyse-environnement/26", "es", "line-length"),
    ("m3-v1-valeurs-personnelles/24", "de", "lines"),
}


def planted() -> set[tuple[str, str, str]]:
    """The planted problems whose check is registered (the term checks land separately)."""
    return {p for p in PLANTED if p[2] in CHECKS}


def reported(report) -> set[tuple[str, str, str]]:
    return {(f.key, f.language, f.issue.check) for f in report.issues}


def translation_id(conn, key: str, language: str) -> int:
    return conn.execute(select(T.c.id).join(U, U.c.id == T.c.unit_id)
                        .where(U.c.key == key, T.c.language == language)).scalar_one()


def set_text(conn, key: str, language: str, text: str, state: str | None = None) -> int:
    tid = translation_id(conn, key, language)
    values = {"text": text} if state is None else {"text": text, "state": state}
    conn.execute(update(T).where(T.c.id == tid).values(**values))
    return tid


def stored(conn, tid: int) -> list[str]:
    """The stored issues of one translation, by check id (the term checks left aside)."""
    return sorted(c for c in conn.execute(select(CR.c.check_id).where(CR.c.translation_id == tid)).scalars()
                  if c != "terminology")


def test_the_demo_course_has_exactly_its_planted_issues(demo_wb):
    report = check_project(demo_wb)
    assert reported(report) == planted()
    assert report.errors == 1                                   # the python-format one
    by_key = {f.key: f for f in report.issues}
    assert by_key["m2/quiz-1/result"].state == "draft"          # drafts are checked too
    assert by_key["m2/quiz-1/result"].issue.message == "placeholder %(total)d missing"   # once, not per form

#: m1/lesson-3/p2 in German without the demo's double space, and in Polish with one (whole texts:
#: a sentence for a 244-character source is a length-ratio issue)
DE_P2 = ("Unser Gehirn verarbeitet Verneinungen schlecht. Wer „Lauf nicht“ hört, hat sofort das Bild vom "
         "Laufen im Kopf. Eine positive Anweisung verringert daher Fehler, vor allem bei Menschen, die die "
         "Sprache noch wenig beherrschen oder müde sind.")
PL_P2_DOUBLE_SPACE = ("Nasz mózg źle przetwarza  zaprzeczenia. Kto słyszy „nie biegnij”, od razu widzi bieganie. "
                      "Pozytywne polecenie zmniejsza więc liczbę błędów, zwłaszcza u osób, które słabo znają "
                      "język lub są zmęczone.")


def test_import_stores_results_and_counts_are_one_query(demo_wb):
    with demo_wb.store.transaction() as conn:
        counts = issue_counts(conn, settings=demo_wb.settings)
        only_de_m1 = issue_counts(conn, settings=demo_wb.settings, languages=["de"], modules=["m1"])
    assert ("de", "m1", "double-space", "warning", 1) in {(c.language, c.module, c.check, c.severity, c.count)
                                                         for c in counts}
    assert ("es", "m1", "end-punctuation", "warning", 1) in {(c.language, c.module, c.check, c.severity, c.count)
                                                            for c in counts}
    assert {(c.language, c.module) for c in only_de_m1} == {("de", "m1")}


def test_an_ignore_flag_silences_one_check_on_one_unit(demo_wb):
    with demo_wb.store.transaction() as conn:
        conn.execute(update(U).where(U.c.key == "m1/lesson-3/p2").values(flags="ignore-double-space"))
        tid = translation_id(conn, "m1/lesson-3/p2", "de")
        refresh_translations(conn, [tid], project=demo_wb.project)
        assert stored(conn, tid) == []
    assert ("m1/lesson-3/p2", "de", "double-space") not in reported(check_project(demo_wb))
    # another check on the same unit still runs
    with demo_wb.store.transaction() as conn:
        set_text(conn, "m1/lesson-3/p2", "de", DE_P2.replace("verarbeitet Verneinungen", "verarbeitet  (Verneinungen"))
        refresh_translations(conn, [tid], project=demo_wb.project)
        assert stored(conn, tid) == ["brackets"]


def with_settings(wb: Workbench, toml: str) -> Workbench:
    path = wb.project.root / "workbench.toml"
    path.write_text(path.read_text(encoding="utf-8") + toml, encoding="utf-8")
    return Workbench.open(wb.project.root, db=wb.store.url, user=wb.user)


def test_project_settings_turn_checks_off_and_change_severity(demo_wb):
    wb = with_settings(demo_wb, '\n[checks]\ndisabled = ["end-punctuation"]\n\n'
                                '[checks.severity]\ndouble-space = "error"\ncps = "info"\n')
    try:
        report = check_project(wb)
        got = {(f.key, f.issue.check): f.issue.severity for f in report.issues}
        assert ("m1/lesson-4/p2", "end-punctuation") not in got
        assert got[("m1/lesson-3/p2", "double-space")] is Severity.ERROR
        assert got[("m1-v2-communication-non-violente/49", "cps")] is Severity.INFO
        assert report.errors == 2
        with wb.store.transaction() as conn:
            counts = {(c.language, c.check): c.severity for c in issue_counts(conn, settings=wb.settings)}
        assert counts[("de", "double-space")] == "error"
        assert ("es", "end-punctuation") not in counts
        assert check_project(wb, min_severity="error").issues[0].issue.check in ("double-space", "python-format")
    finally:
        wb.close()


@pytest.mark.parametrize("toml,expected", [
    ('[checks]\ndisabled = ["no-such-check"]\n', "unknown check 'no-such-check'"),
    ('[checks.severity]\ndouble-space = "fatal"\n', "use error, warning or info"),
])
def test_unknown_check_settings_are_refused(demo_wb, toml, expected):
    wb = with_settings(demo_wb, "\n" + toml)
    try:
        with pytest.raises(ProjectError, match=expected):
            check_project(wb)
    finally:
        wb.close()


def test_a_save_refreshes_the_translation_and_its_quiz_neighbours(demo_wb):
    with demo_wb.store.transaction() as conn:
        tid = set_text(conn, "m1/lesson-3/p2", "de", DE_P2)
        assert refresh_translations(conn, [tid], project=demo_wb.project) == 1
        assert stored(conn, tid) == []
        # a choice translated like another choice of the same question: both are re-checked
        rows = conn.execute(select(U.c.key, T.c.id, T.c.text).join(T, T.c.unit_id == U.c.id)
                            .where(U.c.key.like("m1/quiz-1/q%/choice-%"), T.c.language == "de",
                                   T.c.text != "")).all()
        by_question: dict[str, list] = {}
        for key, t, text in rows:
            by_question.setdefault(key.rsplit("/", 1)[0], []).append((key, t, text))
        first, second = next(v for v in by_question.values() if len(v) >= 2)[:2]
        set_text(conn, second[0], "de", first[2])
        refresh_translations(conn, [second[1]], project=demo_wb.project)
        assert stored(conn, first[1]) == ["quiz-choices"]
        assert stored(conn, second[1]) == ["quiz-choices"]
        # emptied: its results go
        set_text(conn, second[0], "de", "", state="untranslated")
        refresh_translations(conn, [second[1]], project=demo_wb.project)
        assert stored(conn, first[1]) == [] and stored(conn, second[1]) == []


def test_the_editor_checks_unsaved_text_without_the_database(demo_wb, monkeypatch):
    checker = draft_checker(demo_wb, resource="m1", key="m1/lesson-3/p2", language="de")
    monkeypatch.setattr(demo_wb.store, "engine", None)   # any use of the database would fail
    assert [i.check for i in checker.check([DE_P2.replace(" Verneinungen", "  Verneinungen")])] == ["double-space"]
    assert checker.check([DE_P2]) == []
    assert [i.check for i in checker.check([DE_P2.rstrip(".")])] == ["end-punctuation"]


def test_the_editor_checks_a_cue_with_its_neighbours(demo_wb):
    checker = draft_checker(demo_wb, resource="m1-v1-small-talk", key="m1-v1-small-talk/2", language="de")
    assert [u.key for u, _ in checker.context.neighbours] == [
        "m1-v1-small-talk/1", "m1-v1-small-talk/2", "m1-v1-small-talk/3"]
    issues = checker.check(["Ich heiße Nadia\nund bin eine sehr erfahrene\nTrainerin für Kommunikation und Moderation."])
    assert {"lines", "line-length", "cps"} <= {i.check for i in issues}


def test_draft_checker_refuses_unknown_units(demo_wb):
    with pytest.raises(NotFoundError):
        draft_checker(demo_wb, resource="m1", key="m1/nope", language="de")


def test_export_refuses_a_language_with_error_level_issues(demo_wb):
    # the planted python-format fault is in a draft: drafts are written fuzzy, never compiled
    assert stored_blockers(demo_wb, languages=["de", "es"]) == {}
    with demo_wb.store.transaction() as conn:
        conn.execute(update(T).where(T.c.id == translation_id(conn, "m2/quiz-1/result", "de"))
                     .values(state="translated"))
    assert stored_blockers(demo_wb, languages=["de", "es"]) == {"de": {"python-format": 1}}
    assert stored_blockers(demo_wb, languages=["de"], approved_only=True) == {}
    assert stored_blockers(demo_wb, languages=["de"], modules=["m1"]) == {}
    report = export_project(demo_wb, languages=["de", "es"])
    assert set(report.skipped_languages) == {"de"}
    assert "python-format 1" in report.skipped_languages["de"] and "--force" in report.skipped_languages["de"]
    assert {f.language for f in report.files} == {"es"}
    forced = export_project(demo_wb, languages=["de"], force=True)
    assert forced.skipped_languages == {} and {f.language for f in forced.files} == {"de"}


def test_rows_become_units_and_translations_as_the_repository_builds_them(demo_wb):
    with demo_wb.store.transaction() as conn:
        for resource in repo.resources(conn):
            expected = {u.key: u for u in repo.units_of(conn, resource["id"], resource["name"],
                                                       include_obsolete=False)}
            [loaded] = service._load_resources(conn, [resource["id"]], None)
            assert {u.key: u for u in loaded.units} == expected
            by_key = repo.translations_of(conn, resource["id"], resource["name"], "de")
            rows = service._load_translations(conn, [loaded], "de")
            for uid, unit in zip(loaded.unit_ids, loaded.units):
                if uid in rows:
                    got = service._translation(rows[uid], unit)
                    want = by_key[unit.key]
                    assert (got.key, got.language, got.forms, got.state, got.version, got.origin) == \
                           (want.key, want.language, want.forms, want.state, want.version, want.origin)


def test_neighbours_are_the_adjacent_cues_and_the_whole_question(demo_wb):
    with demo_wb.store.transaction() as conn:
        rows = {r["name"]: r["id"] for r in repo.resources(conn)}
        [m1] = service._load_resources(conn, [rows["m1"]], None)
        [video] = service._load_resources(conn, [rows["m1-v1-small-talk"]], None)
    groups = neighbour_groups(m1.units)
    for unit, group in zip(m1.units, groups):
        if unit.kind is UnitKind.TEXT:
            assert group is None
        else:
            question = unit.key if unit.kind is UnitKind.QUIZ_QUESTION else unit.key.rsplit("/", 1)[0]
            keys = [m1.units[j].key for j in group]
            assert keys[0] == question and all(k.startswith(question) for k in keys)
            assert any(k.endswith("/feedback") for k in keys)
    cue_groups = neighbour_groups(video.units)
    assert [video.units[j].key for j in cue_groups[0]] == [video.units[0].key, video.units[1].key]
    assert len(cue_groups[5]) == 3 and len(cue_groups[-1]) == 2


def test_the_json_report_says_everything_a_ci_needs(demo_wb):
    data = check_project(demo_wb, languages=["de"]).to_dict()
    json.dumps(data)
    issue = next(i for i in data["issues"] if i["check"] == "double-space")
    assert issue["key"] == "m1/lesson-3/p2" and issue["language"] == "de" and issue["module"] == "m1"
    assert issue["severity"] == "warning" and issue["span"] and issue["fix"]
    assert {s["check"] for s in data["summary"]} >= {"double-space", "python-format"}


def test_saving_and_suggesting_through_the_editing_service_refresh_the_results(demo_wb):
    from workbench.domain.translations import Origin
    from workbench.services.editing import Suggestion, get_translation, save_translation, suggest_translations

    current = get_translation(demo_wb, resource="m1", key="m1/lesson-3/p2", language="de")
    save_translation(demo_wb, resource="m1", key="m1/lesson-3/p2", language="de",
                     forms=[current.text.replace("  ", " ")], base_version=current.version)
    with demo_wb.store.transaction() as conn:
        assert stored(conn, translation_id(conn, "m1/lesson-3/p2", "de")) == []
    current = get_translation(demo_wb, resource="m1", key="m1/lesson-4/p2", language="es")
    save_translation(demo_wb, resource="m1", key="m1/lesson-4/p2", language="es",
                     forms=[current.text + "."], base_version=current.version)
    report = suggest_translations(demo_wb, language="pl", suggestions=[
        Suggestion("m1", "m1/lesson-3/p2", (PL_P2_DOUBLE_SPACE,), Origin.machine("fake"))])
    assert len(report.applied) == 1
    with demo_wb.store.transaction() as conn:
        assert stored(conn, translation_id(conn, "m1/lesson-3/p2", "pl")) == ["double-space"]
    assert {(f.key, f.language, f.issue.check) for f in check_project(demo_wb, checks=[
        "double-space", "end-punctuation"]).issues} == {("m1/lesson-3/p2", "pl", "double-space")}


def test_checking_some_checks_replaces_only_their_stored_results(demo_wb):
    report = check_project(demo_wb, checks=["double-space"])
    assert reported(report) == {("m1/lesson-3/p2", "de", "double-space")}
    with demo_wb.store.transaction() as conn:
        assert stored(conn, translation_id(conn, "m2/quiz-1/result", "de")) == ["python-format"]
        assert stored(conn, translation_id(conn, "m1/lesson-3/p2", "de")) == ["double-space"]


def test_a_revert_refreshes_the_results(demo_wb):
    from workbench.services.editing import get_translation, save_translation
    from workbench.services.history import revert

    current = get_translation(demo_wb, resource="m1", key="m1/lesson-3/p2", language="de")
    saved = save_translation(demo_wb, resource="m1", key="m1/lesson-3/p2", language="de",
                             forms=[current.text.replace("  ", " ")], base_version=current.version)
    revert(demo_wb, resource="m1", key="m1/lesson-3/p2", language="de",
           to_version=current.version, base_version=saved.version)
    with demo_wb.store.transaction() as conn:
        assert stored(conn, translation_id(conn, "m1/lesson-3/p2", "de")) == ["double-space"]


# -- stale results: an import that leaves checking to the first reader -------------------------

def _de_catalog(wb: Workbench, module: str = "m1") -> Path:
    return wb.project.root / "locales" / "de" / "LC_MESSAGES" / f"{module}.po"


def _stale(wb: Workbench) -> dict[int, set[str]]:
    with wb.store.transaction() as conn:
        return repo.stale_checks(conn)


def _raw(wb: Workbench, key: str, language: str) -> list[str]:
    """The rows of check_result as stored, read past every reader."""
    with wb.store.transaction() as conn:
        return stored(conn, translation_id(conn, key, language))


def _import_deferred(wb: Workbench, monkeypatch, *, force: bool = False):
    """An import that is "big": it leaves the results of what it changed stale."""
    from workbench.services.importing import import_project

    monkeypatch.setattr(service, "CHECK_AT_IMPORT_LIMIT", 0)
    report = import_project(wb, force=force)
    assert not report.errors
    return report


def test_a_big_import_marks_results_stale_and_the_dashboard_counts_refresh_them(demo_wb, monkeypatch):
    from workbench.services.open_issues import open_issues

    before = open_issues(demo_wb).counts["de"]["double-space"]["warning"]
    path = _de_catalog(demo_wb)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("verarbeitet  Verneinungen", "verarbeitet Verneinungen  nur"), encoding="utf-8")
    _import_deferred(demo_wb, monkeypatch)
    assert list(_stale(demo_wb).values()) == [{"de"}]                     # only m1's German results
    counts = open_issues(demo_wb).counts["de"]["double-space"]["warning"]
    assert _stale(demo_wb) == {}
    assert counts == before                                               # (the new text has one too)
    assert reported(check_project(demo_wb, languages=["de"], checks=["double-space"])) == {
        ("m1/lesson-3/p2", "de", "double-space")}


def test_a_stale_result_is_never_shown(demo_wb, monkeypatch):
    """After an import that left its results stale, every reader sees what a full check finds."""
    from workbench.domain.query import parse_filter
    from workbench.services import browse
    from workbench.services.open_issues import open_issues

    path = _de_catalog(demo_wb)
    text = path.read_text(encoding="utf-8")
    fixed = text.replace("verarbeitet  Verneinungen", "verarbeitet Verneinungen")
    path.write_text(fixed, encoding="utf-8")
    _import_deferred(demo_wb, monkeypatch)
    assert _raw(demo_wb, "m1/lesson-3/p2", "de") == ["double-space"]      # stale: the text has no double space
    # the editor's check: filter
    f = parse_filter("check:double-space")
    assert browse.count(demo_wb, language="de", filter=f) == 0
    assert browse.page(demo_wb, language="de", filter=f) == []
    assert _stale(demo_wb) == {} and _raw(demo_wb, "m1/lesson-3/p2", "de") == []
    # the dashboard's counts, after another such import that brings the double space back
    path.write_text(text, encoding="utf-8")
    _import_deferred(demo_wb, monkeypatch)
    assert _raw(demo_wb, "m1/lesson-3/p2", "de") == []
    assert open_issues(demo_wb, languages=["de"]).counts["de"]["double-space"] == {"warning": 1}
    # workbench check with some checks only: the other checks' stale results are refreshed too
    path.write_text(fixed, encoding="utf-8")
    _import_deferred(demo_wb, monkeypatch)
    assert reported(check_project(demo_wb, checks=["end-punctuation"])) == {("m1/lesson-4/p2", "es", "end-punctuation")}
    assert _stale(demo_wb) == {} and _raw(demo_wb, "m1/lesson-3/p2", "de") == []


def test_the_export_gate_and_a_full_check_refresh_stale_results(demo_wb, monkeypatch):
    _import_deferred(demo_wb, monkeypatch)            # nothing changed on disk: nothing marked
    assert _stale(demo_wb) == {}
    _import_deferred(demo_wb, monkeypatch, force=True)  # every file read again: a source file marks every language
    assert set().union(*_stale(demo_wb).values()) == set(demo_wb.settings.target_languages)
    assert stored_blockers(demo_wb, languages=["de"]) == {}
    assert _stale(demo_wb) and all("de" not in langs for langs in _stale(demo_wb).values())
    assert reported(check_project(demo_wb)) == planted()
    assert _stale(demo_wb) == {}


def test_a_small_import_checks_at_once_and_a_big_one_waits(demo_wb):
    from workbench.services.checks import ensure_checked
    from workbench.services.importing import import_project

    path = _de_catalog(demo_wb)
    path.write_text(path.read_text(encoding="utf-8").replace("verarbeitet  Verneinungen", "verarbeitet Verneinungen"),
                    encoding="utf-8")
    assert import_project(demo_wb).changed_files      # a few hundred translations: checked at once
    assert _stale(demo_wb) == {} and _raw(demo_wb, "m1/lesson-3/p2", "de") == []
    with demo_wb.store.transaction() as conn:
        rid = repo.get_resource(conn, "m1")["id"]
        repo.mark_checks_stale(conn, rid, ["de", "es"])
    assert ensure_checked(demo_wb, at_most=1) == 0 and _stale(demo_wb) == {rid: {"de", "es"}}
    assert ensure_checked(demo_wb, languages=["nl"]) == 0 and _stale(demo_wb) == {rid: {"de", "es"}}
    assert ensure_checked(demo_wb, modules=["m2"]) == 0 and _stale(demo_wb) == {rid: {"de", "es"}}
    assert ensure_checked(demo_wb, languages=["de"]) > 0 and _stale(demo_wb) == {rid: {"es"}}
    assert ensure_checked(demo_wb) > 0 and _stale(demo_wb) == {}


def test_quiz_items_go_with_their_question_whatever_their_keys():
    """neighbour_groups takes a shortcut for choices and feedback of a known question: the groups
    are those that units.quiz_path gives, for odd keys and kinds that disagree with keys too."""
    import random

    from workbench.domain.units import Unit, kind_for_catalog_key, quiz_path

    def by_quiz_path(units):
        out = [None] * len(units)
        questions: dict[str, list[int]] = {}
        cues = [i for i, u in enumerate(units) if u.kind is UnitKind.CUE]
        for n, i in enumerate(cues):
            out[i] = tuple(cues[max(0, n - 1):n + 2])
        for i, u in enumerate(units):
            if u.kind not in (UnitKind.CUE, UnitKind.TEXT) and quiz_path(u.key) is not None:
                questions.setdefault(quiz_path(u.key).question_key, []).append(i)
        for members in questions.values():
            for i in members:
                out[i] = tuple(members)
        return out

    keys = ["m1/quiz-1/q1", "m1/quiz-1/q1/choice-a", "m1/quiz-1/q1/choice-b", "m1/quiz-1/q1/feedback",
            "m1/quiz-1/q1/choice-a\n", "m1/quiz-1/q1/choice-ab", "m1/quiz-1/q2/choice-a", "m1/quiz-1/q1\n",
            "m1/quiz-1/q1\n/choice-a", "m1/quiz-1/q1/choice-A", "m1/quiz-1/q1/feedbackx", "a/b/quiz-1/q1",
            "a/b/quiz-1/q1/choice-c", "/quiz-1/q1", "/quiz-1/q1/choice-a", "m1/lesson-1/p1", "12"]
    kinds = [UnitKind.QUIZ_CHOICE, UnitKind.QUIZ_FEEDBACK, UnitKind.QUIZ_QUESTION, UnitKind.TEXT, UnitKind.CUE]
    rng = random.Random(3)
    for _ in range(2000):
        chosen = rng.sample(keys, rng.randint(1, len(keys)))
        units = [Unit(k, "r", rng.choice([kind_for_catalog_key(k), *kinds]), "m", n, "s") for n, k in enumerate(chosen)]
        assert neighbour_groups(units) == by_quiz_path(units), chosen


def test_stale_results_are_rechecked_in_pieces_with_progress_and_can_stop_between_them(demo_wb, monkeypatch):
    """What a first import of a big course leaves is re-checked a few resources at a time, each piece
    committed with its marks cleared; stopped between pieces, the rest stays marked for later."""
    from sqlalchemy import delete

    from workbench.services.checks import ensure_checked, stale_work
    from workbench.services.open_issues import open_issues

    check_project(demo_wb)
    expected = open_issues(demo_wb).counts
    assert expected
    with demo_wb.store.transaction() as conn:
        rids = list(conn.execute(select(repo.R.c.id)).scalars())
        for rid in rids:
            repo.mark_checks_stale(conn, rid, demo_wb.settings.target_languages)
        conn.execute(delete(service.CR))                     # results that no longer follow anything
    monkeypatch.setattr(service, "RECHECK_PIECE_UNITS", 60)
    work = stale_work(demo_wb)
    order = demo_wb.settings.target_languages
    assert len(work.pieces) > len(order)
    assert [p[0] for p in work.pieces] == sorted((p[0] for p in work.pieces), key=order.index)
    steps: list[tuple[int, int]] = []
    assert ensure_checked(demo_wb, progress=lambda d, t: steps.append((d, t)), cancelled=lambda: len(steps) == 2) > 0
    assert len(steps) == 2 and steps[-1][1] == work.units
    left = _stale(demo_wb)
    assert left and sum(map(len, left.values())) < len(rids) * len(order)
    rest = stale_work(demo_wb).units
    assert 0 < rest < work.units
    steps.clear()
    assert ensure_checked(demo_wb, progress=lambda d, t: steps.append((d, t))) > 0
    assert steps[-1] == (rest, rest) and [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert _stale(demo_wb) == {} and not stale_work(demo_wb)
    assert open_issues(demo_wb).counts == expected             # the stored results, as a full check left them


def _full_report(wb: Workbench) -> tuple[list[tuple], list[tuple]]:
    """A whole check's issues in report order, and the stored results."""
    report = check_project(wb)
    issues = [(f.translation_id, f.key, f.language, f.issue.check, f.issue.message) for f in report.issues]
    with wb.store.transaction() as conn:
        rows = sorted(tuple(r) for r in conn.execute(select(CR.c.translation_id, CR.c.check_id, CR.c.message)))
    return issues, rows


@pytest.mark.parametrize("child", ["answers", "fails"])
def test_a_big_language_is_checked_in_two_halves_with_the_same_results(demo_wb, monkeypatch, child):
    alone = _full_report(demo_wb)
    monkeypatch.setattr(service, "CHECK_IN_CHILD_FROM", 1)
    halves: list[tuple[int, int]] = []
    real_halves = service._halves

    def recorded(jobs):
        first, second = real_halves(jobs)
        halves.append((sum(b - a for *_, a, b in first), sum(b - a for *_, a, b in second)))
        return first, second

    monkeypatch.setattr(service, "_halves", recorded)
    in_parent: list[int] = []       # (what the child calls is not seen here)
    real_check = service._CheckWork.check
    monkeypatch.setattr(service._CheckWork, "check", lambda self, jobs: in_parent.append(1) or real_check(self, jobs))
    if child == "fails":            # a child that gives nothing back: the parent checks its half too
        monkeypatch.setattr(service.InChild, "result", lambda self, i: None)
    assert _full_report(demo_wb) == alone
    assert halves and all(first and second and abs(first - second) <= 1 for first, second in halves)
    assert len(in_parent) == len(halves) * (1 if child == "answers" else 2)


@pytest.mark.parametrize("sizes, first, second", [
    ([10], [(0, 0, 5)], [(0, 5, 10)]),                       # one resource cut in the middle
    ([3, 3, 4], [(0, 0, 3), (1, 0, 2)], [(1, 2, 3), (2, 0, 4)]),
    ([4, 6], [(0, 0, 4), (1, 0, 1)], [(1, 1, 6)]),
    ([5, 5], [(0, 0, 5)], [(1, 0, 5)]),                       # a cut between resources
    ([1], [(0, 0, 1)], []),                                  # too small to cut
])
def test_the_halves_hold_as_many_units_each(sizes, first, second):
    resources = [service._Resource(i, f"r{i}", "m", [], [object()] * n, []) for i, n in enumerate(sizes)]
    jobs = [(r, [], 0, len(r.units)) for r in resources]
    got = service._halves(jobs)
    assert [[(r.id, a, b) for r, _, a, b in side] for side in got] == [first, second]
