"""Subtitle checks: reading speed, line length, lines, duration, gap and overlap (DESIGN.md §6)."""

from __future__ import annotations

import math
from typing import Iterable

from workbench.domain.checks.base import Check, CheckContext, Issue
from workbench.domain.subtitles import (
    break_lines, count_chars, format_number, format_seconds, speed_advice, text_lines,
)
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind

_CUE = frozenset({UnitKind.CUE})


def _reflow_fix(text: str, ctx: CheckContext) -> str | None:
    """A re-broken text that fits the limits, if there is one and it differs."""
    result = break_lines(text, ctx.language, max_chars=ctx.limits.chars_per_line,
                         max_lines=ctx.limits.lines)
    return result.text if result.fits and result.changed else None


def _next_cue(unit: Unit, ctx: CheckContext) -> Unit | None:
    """The cue shown after this one (the next live cue in position order), if known."""
    later = [u for u, _ in ctx.neighbours
             if u.key != unit.key and not u.obsolete and u.start_ms is not None
             and u.position > unit.position]
    return min(later, key=lambda u: u.position) if later else None


def _cue_name(unit: Unit) -> str:
    ident = unit.extra.get("identifier") if unit.extra else None
    return f"cue {ident}" if ident else f"the cue at {format_seconds(unit.start_ms or 0)}"


class ReadingSpeedCheck(Check):
    id = "cps"
    name = "Reading speed"
    description = "Characters per second above the language's limit (tags and line breaks not counted)."
    kinds = _CUE

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        duration = unit.duration_ms
        if duration is None or duration <= 0:
            return
        chars = count_chars(translation.text)
        limit = ctx.limits.cps
        if chars * 1000 <= limit * duration:
            return
        advice = speed_advice(chars, duration, limit)
        shown = f"{advice.cps:.1f}"
        if float(shown) <= limit:          # never "17.0 cps > 17": show what makes it over
            shown = f"{math.floor(advice.cps * 100) / 100:.2f}"
            if float(shown) <= limit:
                shown = f"{advice.cps:.3f}"
        yield self.issue(
            f"{shown} cps > {format_number(limit)}, needs {format_seconds(advice.more_ms)} more "
            f"or {advice.fewer_chars} fewer characters")


class LineLengthCheck(Check):
    id = "line-length"
    name = "Line length"
    description = "A line longer than the language's characters-per-line limit."
    kinds = _CUE

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        text = translation.text
        limit = ctx.limits.chars_per_line
        offset = 0
        fix: str | None = None
        for number, line in enumerate(text.split("\n"), start=1):
            n = count_chars(line)
            if n > limit:
                if fix is None:
                    fix = _reflow_fix(text, ctx) or ""
                yield self.issue(f"line {number}: {n} characters > {limit} ({n - limit} too many)",
                                 span=(offset, offset + len(line)), fix=fix or None)
            offset += len(line) + 1


class LineCountCheck(Check):
    id = "lines"
    name = "Lines per cue"
    description = "More lines than the language's limit."
    kinds = _CUE

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        count = len(text_lines(translation.text))
        limit = ctx.limits.lines
        if count > limit:
            yield self.issue(f"{count} lines > {limit} ({count - limit} too many)",
                             fix=_reflow_fix(translation.text, ctx))


class DurationCheck(Check):
    id = "duration"
    name = "Cue duration"
    description = "A cue shown for less than the minimum or more than the maximum duration (source timing)."
    kinds = _CUE

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        duration = unit.duration_ms
        if duration is None:
            return
        low, high = ctx.limits.min_duration_ms, ctx.limits.max_duration_ms
        if duration < low:
            yield self.issue(f"shown {format_seconds(duration)} < {format_seconds(low)} minimum "
                             f"({low - duration} ms short)")
        elif duration > high:
            yield self.issue(f"shown {format_seconds(duration)} > {format_seconds(high)} maximum "
                             f"({duration - high} ms too long)")


class GapCheck(Check):
    id = "gap"
    name = "Gap to the next cue"
    description = "Less time than the minimum gap between this cue's end and the next cue's start."
    kinds = _CUE

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        nxt = _next_cue(unit, ctx)
        if nxt is None or unit.end_ms is None or nxt.start_ms is None:
            return
        gap = nxt.start_ms - unit.end_ms
        limit = ctx.limits.min_gap_ms
        if 0 <= gap < limit:
            yield self.issue(f"gap to {_cue_name(nxt)} {gap} ms < {limit} ms ({limit - gap} ms short)")


class OverlapCheck(Check):
    id = "overlap"
    name = "Overlapping cues"
    description = "The next cue starts before this one ends."
    kinds = _CUE

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> Iterable[Issue]:
        nxt = _next_cue(unit, ctx)
        if nxt is None or unit.end_ms is None or nxt.start_ms is None:
            return
        overlap = unit.end_ms - nxt.start_ms
        if overlap > 0:
            yield self.issue(f"overlaps {_cue_name(nxt)} by {overlap} ms")

