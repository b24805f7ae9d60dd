"""The subtitle view's service: videos with progress, and cues paged by position with their numbers."""

from __future__ import annotations

import pytest

from workbench.domain.errors import NotFoundError
from workbench.services import editing
from workbench.services.timeline import END, cue_page, videos


def _first_video(wb, language="de"):
    found = videos(wb, language=language)
    if not found:
        pytest.skip("the demo has no subtitles")
    return found[0]


def test_videos_in_course_order_with_progress(demo_wb):
    found = videos(demo_wb, language="de")
    assert [(v.module, v.name) for v in found] == sorted((v.module, v.name) for v in found)
    for v in found:
        assert 0 <= v.translated <= v.cues
        assert v.duration_ms > 0
    untouched = videos(demo_wb, language="pl")
    assert [v.name for v in untouched] == [v.name for v in found]
    assert all(v.translated == 0 for v in untouched)


def test_cues_in_time_order_with_numbers_and_reports(demo_wb):
    video = _first_video(demo_wb)
    cues = cue_page(demo_wb, video=video.name, language="de", limit=500)
    assert len(cues) == video.cues
    assert [c.number for c in cues] == list(range(1, video.cues + 1))
    assert [c.start_ms for c in cues] == sorted(c.start_ms for c in cues)
    for c in cues:
        assert c.duration_ms > 0
        assert c.source_report.metrics.chars > 0
        assert (c.target_report is None) == (c.target == "")
    assert sum(1 for c in cues if c.state in ("translated", "approved")) == video.translated


def test_pages_after_and_before_keep_numbers(demo_wb):
    video = _first_video(demo_wb)
    every = cue_page(demo_wb, video=video.name, language="de", limit=500)
    first = cue_page(demo_wb, video=video.name, language="de", limit=10)
    second = cue_page(demo_wb, video=video.name, language="de", after=first[-1].cursor, limit=10)
    assert [c.number for c in second] == list(range(11, 21))
    last = cue_page(demo_wb, video=video.name, language="de", before=END, limit=5)
    assert [c.key for c in last] == [c.key for c in every[-5:]]
    assert last[-1].number == video.cues
    back = cue_page(demo_wb, video=video.name, language="de", before=second[0].cursor, limit=3)
    assert [c.number for c in back] == [8, 9, 10]


def test_a_saved_cue_shows_its_new_reading_speed(demo_wb):
    video = _first_video(demo_wb)
    cue = cue_page(demo_wb, video=video.name, language="nl", limit=1)[0]
    assert cue.target_report is None and cue.state == "untranslated"
    editing.save_translation(demo_wb, resource=video.name, key=cue.key, language="nl",
                             forms=("Hallo allemaal,\nen welkom!",), base_version=0)
    again = cue_page(demo_wb, video=video.name, language="nl", limit=1)[0]
    assert again.state == "translated"
    assert again.target_report.metrics.line_lengths == (15, 10)
    assert again.target_report.metrics.cps == pytest.approx(25 * 1000 / again.duration_ms)


def test_unknown_video(demo_wb):
    with pytest.raises(NotFoundError, match="no such video"):
        cue_page(demo_wb, video="m9-nope", language="de")
