"""A unit's detail for the editor: quiz siblings, neighbouring cues, comments, plural forms."""

from __future__ import annotations

import pytest

from workbench.domain.query import parse_filter
from workbench.domain.states import State
from workbench.domain.units import UnitKind
from workbench.services import browse, editing, review
from workbench.services.unit_context import end_cursor, reading_speed, unit_detail
from workbench.storage import repository as repo


def _row(wb, language: str, query: str):
    rows = browse.page(wb, language=language, filter=parse_filter(query), limit=5)
    assert rows, query
    return rows[0]


def _translation_rows(wb) -> int:
    with wb.store.engine.connect() as conn:
        return repo.count(conn, repo.T)


def test_quiz_choice_shows_its_whole_question(demo_wb):
    row = _row(demo_wb, "de", "key:m1/quiz-1/q2/choice-b")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    keys = [n.unit.key for n in d.quiz]
    assert keys[0] == "m1/quiz-1/q2"
    assert keys[-1] == "m1/quiz-1/q2/feedback"
    assert all(k == "m1/quiz-1/q2" or k.startswith("m1/quiz-1/q2/") for k in keys)
    assert [n.current for n in d.quiz].count(True) == 1
    assert next(n for n in d.quiz if n.current).unit.key == "m1/quiz-1/q2/choice-b"
    assert any(n.unit.is_correct_choice for n in d.quiz)
    assert d.cues == ()


def test_text_unit_has_no_quiz_nor_cues(demo_wb):
    row = _row(demo_wb, "de", "key:m1/lesson-1/p2")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d.quiz == () and d.cues == ()
    assert d.module_title == "Communication efficace et inclusive"
    assert d.form_count == 1


def test_rejected_translation_carries_the_reviewer_comment(demo_wb):
    row = _row(demo_wb, "de", "key:m1/lesson-2/p3")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d.translation.state is State.DRAFT
    assert d.review_comment is not None and "universal" in d.review_comment.text


def test_reject_comment_names_the_reviewer(demo_wb):
    from workbench.services.context import Workbench

    row = _row(demo_wb, "de", "state:translated")
    author = Workbench(project=demo_wb.project, store=demo_wb.store, user="anna")
    t = editing.get_translation(author, resource=row.resource, key=row.key, language="de")
    editing.save_translation(author, resource=row.resource, key=row.key, language="de",
                             forms=(t.text + " neu",), base_version=t.version)
    reviewer = Workbench(project=demo_wb.project, store=demo_wb.store, user="rita")
    review.reject(reviewer, resource=row.resource, key=row.key, language="de", comment="Zu frei übersetzt.")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d.review_comment.text == "Zu frei übersetzt."
    assert d.review_comment.user == "rita"


def test_stale_translation_keeps_the_source_it_was_made_for(demo_wb):
    row = _row(demo_wb, "de", "key:m1/lesson-1/p4")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d.previous_source is not None
    assert d.previous_source != d.unit.source


def test_plural_unit_takes_the_catalog_plural_count(demo_wb):
    row = _row(demo_wb, "es", "key:m2/quiz-1/result")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="es")
    assert d.unit.is_plural
    assert d.form_count == len(d.translation.forms) >= 2


def test_untouched_unit_reads_as_empty_untranslated_and_writes_nothing(demo_wb):
    before = _translation_rows(demo_wb)
    row = _row(demo_wb, "nl", "key:m1/lesson-1/p1")
    assert row.translation_id is None
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="nl")
    assert d.translation_id is None
    assert d.translation.state is State.UNTRANSLATED and d.translation.forms == ("",)
    assert d.review_comment is None and d.last_approved is None
    assert _translation_rows(demo_wb) == before


def test_last_approved_text_is_the_base_of_the_review_diff(demo_wb):
    from workbench.services.context import Workbench

    row = _row(demo_wb, "de", "state:approved key:m1/lesson-1/p2")
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d.last_approved == d.translation.forms
    author = Workbench(project=demo_wb.project, store=demo_wb.store, user="anna")
    editing.save_translation(author, resource=row.resource, key=row.key, language="de",
                             forms=("Ganz neuer Text.",), base_version=d.translation.version)
    d2 = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d2.translation.state is State.TRANSLATED
    assert d2.last_approved == d.translation.forms


def test_cue_shows_its_neighbours_with_times_and_reading_speed(demo_wb):
    rows = browse.page(demo_wb, language="de", filter=parse_filter("kind:subtitle"), limit=10)
    if not rows:
        pytest.skip("no subtitle format imports cues yet")
    row = rows[4]
    d = unit_detail(demo_wb, unit_id=row.unit_id, language="de")
    assert d.unit.kind is UnitKind.CUE
    assert len(d.cues) == 5 and d.cues[2].neighbour.current
    starts = [c.start_ms for c in d.cues]
    assert starts == sorted(starts)
    for c in d.cues:
        assert c.duration_ms > 0
        assert c.source_cps == pytest.approx(reading_speed(c.neighbour.unit.source, c.duration_ms))


def test_first_cue_has_only_followers(demo_wb):
    rows = browse.page(demo_wb, language="de", filter=parse_filter("kind:subtitle"), limit=1)
    if not rows:
        pytest.skip("no subtitle format imports cues yet")
    d = unit_detail(demo_wb, unit_id=rows[0].unit_id, language="de")
    assert d.cues[0].neighbour.current and len(d.cues) == 3


@pytest.mark.parametrize("text,duration,expected", [
    ("", 1000, None),
    ("abc", 0, None),
    ("abc", None, None),
    ("abcd", 2000, 2.0),
    ("ab\ncd", 1000, 4.0),            # line breaks are not read
    ("<i>ab</i>", 1000, 2.0),         # nor tags
])
def test_reading_speed(text, duration, expected):
    assert reading_speed(text, duration) == expected


def test_end_cursor_is_after_every_row(demo_wb):
    f = parse_filter("")
    last = browse.page(demo_wb, language="de", filter=f, before=end_cursor(demo_wb), limit=3)
    assert last
    assert browse.page(demo_wb, language="de", filter=f, after=last[-1].cursor, limit=3) == []
    total = browse.count(demo_wb, language="de", filter=f)
    assert browse.position_of(demo_wb, language="de", filter=f, cursor=last[-1].cursor) == total - 1
