"""Subtitle checks, each at, just under and just over its limit."""

from __future__ import annotations

import pytest

from workbench.domain.checks.base import CheckContext
from workbench.domain.checks.registry import CHECKS
from workbench.domain.checks.subtitles import (
    DurationCheck, GapCheck, LineCountCheck, LineLengthCheck, OverlapCheck, ReadingSpeedCheck,
)
from workbench.domain.settings import SubtitleLimits
from workbench.domain.states import State
from workbench.domain.subtitles import count_chars
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind


def cue(position: int, start: int, end: int, source: str = "Texte source", ident: str | None = None) -> Unit:
    ident = ident or str(position + 1)
    return Unit(key=f"v/{ident}", resource="v", kind=UnitKind.CUE, module="m1", position=position,
                source=source, start_ms=start, end_ms=end, extra={"identifier": ident})


def tr(unit: Unit, text: str, language: str = "de") -> Translation:
    return Translation(key=unit.key, resource="v", language=language, forms=(text,), state=State.TRANSLATED)


def run(check, unit: Unit, text: str, *, limits: SubtitleLimits = SubtitleLimits(), neighbours=(),
        language: str = "de"):
    ctx = CheckContext(language=language, source_language="fr", limits=limits,
                       neighbours=tuple((u, None) for u in neighbours))
    t = tr(unit, text, language)
    if not check.applies_to(unit, t, ctx):
        return []
    return list(check.run(unit, t, ctx))


def test_registered():
    assert {"cps", "line-length", "lines", "duration", "gap", "overlap"} <= set(CHECKS)


def test_only_cues():
    paragraph = Unit(key="m1/p1", resource="m1", kind=UnitKind.TEXT, module="m1", position=0, source="x")
    assert run(LineLengthCheck(), paragraph, "x" * 100) == []


# -- reading speed -----------------------------------------------------------------------

@pytest.mark.parametrize("chars,duration,limit,message", [
    (34, 2000, 17, None),                                                     # at
    (33, 2000, 17, None),                                                     # just under
    (35, 2000, 17, "17.5 cps > 17, needs 0.1 s more or 1 fewer characters"),  # just over
    (64, 3000, 17, "21.3 cps > 17, needs 0.8 s more or 13 fewer characters"),
    (40, 2000, 20, None),                                                     # English limit
    (41, 2000, 20, "20.5 cps > 20, needs 0.1 s more or 1 fewer characters"),
    (35, 2001, 17.5, None),                                                   # fractional limit
    (63, 2874, 17, "21.9 cps > 17, needs 0.9 s more or 15 fewer characters"),  # the demo's de 49
    (69, 4055, 17, "17.01 cps > 17, needs 0.1 s more or 1 fewer characters"),  # never "17.0 > 17"
])
def test_cps(chars, duration, limit, message):
    unit = cue(0, 1000, 1000 + duration)
    text = ("a" * (chars // 2)) + "\n" + ("b" * (chars - chars // 2))   # the break is not counted
    issues = run(ReadingSpeedCheck(), unit, text, limits=SubtitleLimits(cps=limit))
    assert [i.message for i in issues] == ([message] if message else [])


def test_cps_does_not_count_tags_or_entities_in_stored_text():
    unit = cue(0, 0, 1000)
    assert run(ReadingSpeedCheck(), unit, "<i>" + "a" * 17 + "</i>") == []
    assert run(ReadingSpeedCheck(), unit, "<i>" + "a" * 18 + "</i>")


# -- line length -------------------------------------------------------------------------

@pytest.mark.parametrize("length,issues", [(42, 0), (41, 0), (43, 1)])
def test_line_length(length, issues):
    unit = cue(0, 0, 60000)
    found = run(LineLengthCheck(), unit, "court\n" + "x" * length)
    assert len(found) == issues
    if issues:
        assert found[0].message == f"line 2: {length} characters > 42 ({length - 42} too many)"
        assert found[0].span == (6, 6 + length)


@pytest.mark.parametrize("text,messages", [
    ("x" * 43 + "\ncourt", ["line 1: 43 characters > 42 (1 too many)"]),
    ("x" * 50 + "\n" + "y" * 45, ["line 1: 50 characters > 42 (8 too many)", "line 2: 45 characters > 42 (3 too many)"]),
    ("y" * 60, ["line 1: 60 characters > 42 (18 too many)"]),
    ("<i>" + "é" * 43 + "</i>", ["line 1: 43 characters > 42 (1 too many)"]),     # tags not counted, the rest is
])
def test_line_length_bad(text, messages):
    assert [i.message for i in run(LineLengthCheck(), cue(0, 0, 60000), text)] == messages


def test_line_length_counts_graphemes_not_code_points():
    unit = cue(0, 0, 60000)
    assert run(LineLengthCheck(), unit, "e\u0301" * 42) == []
    assert run(LineLengthCheck(), unit, "<b>" + "x" * 42 + "</b>") == []


def test_line_length_per_language_limit_and_fix():
    unit = cue(0, 0, 60000)
    text = "Pensez à une personne qui arrive pour son premier jour"
    found = run(LineLengthCheck(), unit, text, limits=SubtitleLimits(chars_per_line=40), language="fr")
    assert found and "> 40" in found[0].message
    assert found[0].fix == "Pensez à une personne qui\narrive pour son premier jour"
    assert all(count_chars(line) <= 40 for line in found[0].fix.split("\n"))


# -- lines -------------------------------------------------------------------------------

@pytest.mark.parametrize("count,issues", [(2, 0), (1, 0), (3, 1)])
def test_lines(count, issues):
    unit = cue(0, 0, 60000)
    found = run(LineCountCheck(), unit, "\n".join(["ligne"] * count))
    assert len(found) == issues
    if issues:
        assert found[0].message == "3 lines > 2 (1 too many)"
        assert found[0].fix == "ligne ligne ligne"


@pytest.mark.parametrize("text,lines,message", [
    ("a\nb\nc\nd", 2, "4 lines > 2 (2 too many)"),
    ("a\nb", 1, "2 lines > 1 (1 too many)"),
    ("Und schließlich die drei,\ndie euch wirklich\nam wichtigsten sind.", 2, "3 lines > 2 (1 too many)"),  # the demo's de 24
])
def test_lines_bad(text, lines, message):
    found = run(LineCountCheck(), cue(0, 0, 60000), text, limits=SubtitleLimits(lines=lines))
    assert [i.message for i in found] == [message]


def test_lines_limit_from_settings():
    unit = cue(0, 0, 60000)
    assert run(LineCountCheck(), unit, "a\nb\nc", limits=SubtitleLimits(lines=3)) == []


# -- duration ----------------------------------------------------------------------------

@pytest.mark.parametrize("duration,message", [
    (833, None), (834, None), (832, "shown 0.832 s < 0.833 s minimum (1 ms short)"),
    (7000, None), (6999, None), (7001, "shown 7.001 s > 7 s maximum (1 ms too long)"),
    (0, "shown 0 s < 0.833 s minimum (833 ms short)"), (500, "shown 0.5 s < 0.833 s minimum (333 ms short)"),
    (10000, "shown 10 s > 7 s maximum (3000 ms too long)"), (3000, None),
])
def test_duration(duration, message):
    unit = cue(0, 5000, 5000 + duration)
    assert [i.message for i in run(DurationCheck(), unit, "Oui")] == ([message] if message else [])


# -- gap and overlap ---------------------------------------------------------------------

@pytest.mark.parametrize("gap,gap_message,overlap_message", [
    (80, None, None),                                                # at
    (81, None, None),                                                # just over
    (79, "gap to cue 2 79 ms < 80 ms (1 ms short)", None),           # just under
    (0, "gap to cue 2 0 ms < 80 ms (80 ms short)", None),            # touching: overlap at its limit
    (-1, None, "overlaps cue 2 by 1 ms"),                            # just over the overlap limit
])
def test_gap_and_overlap(gap, gap_message, overlap_message):
    first = cue(0, 1000, 3000)
    second = cue(1, 3000 + gap, 5000)
    third = cue(2, 9000, 10000)
    neighbours = (first, second, third)
    assert [i.message for i in run(GapCheck(), first, "Oui", neighbours=neighbours)] == \
        ([gap_message] if gap_message else [])
    assert [i.message for i in run(OverlapCheck(), first, "Oui", neighbours=neighbours)] == \
        ([overlap_message] if overlap_message else [])


@pytest.mark.parametrize("second_start,message", [
    (2000, "overlaps cue 2 by 1000 ms"),
    (1000, "overlaps cue 2 by 2000 ms"),       # the next cue starts with this one
    (2999, "overlaps cue 2 by 1 ms"),
])
def test_overlap_bad(second_start, message):
    first = cue(0, 1000, 3000)
    neighbours = (first, cue(1, second_start, 5000), cue(2, 9000, 10000))
    assert [i.message for i in run(OverlapCheck(), first, "Oui", neighbours=neighbours)] == [message]


def test_gap_uses_the_next_live_cue_and_none_after_the_last():
    first = cue(0, 1000, 3000)
    removed = Unit(key="v/2", resource="v", kind=UnitKind.CUE, module="m1", position=1, source="x",
                   start_ms=3010, end_ms=3500, obsolete=True)
    last = cue(2, 3050, 5000)
    neighbours = (first, removed, last)
    assert [i.message for i in run(GapCheck(), first, "Oui", neighbours=neighbours)] == \
        ["gap to cue 3 50 ms < 80 ms (30 ms short)"]
    assert run(GapCheck(), last, "Oui", neighbours=neighbours) == []
    assert run(OverlapCheck(), last, "Oui", neighbours=neighbours) == []


def test_untranslated_cues_are_not_checked():
    unit = cue(0, 0, 100)
    ctx = CheckContext(language="de", source_language="fr")
    empty = Translation(key=unit.key, resource="v", language="de", forms=("",), state=State.UNTRANSLATED)
    assert not DurationCheck().applies_to(unit, empty, ctx)
