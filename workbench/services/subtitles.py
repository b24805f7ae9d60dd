"""Subtitle use cases for the TUI and CLI: a language's limits, a cue's numbers, re-breaking a cue.

Stable API:

- ``subtitle_limits(wb, language) -> SubtitleLimits``: the limits of `language` (workbench.toml
  overrides applied, English 20 cps by default).
- ``cue_report(wb, *, unit, text, language) -> CueReport``: characters, line lengths and reading
  speed of `text` shown for `unit`'s duration, and what is over the limits.
- ``reflow_text(wb, *, text, language) -> LineBreak``: `text` re-broken to the language's limits
  (nothing is saved).
- ``reflow_cue(wb, *, resource, key, language, base_version) -> Reflow``: re-break a saved
  translation and save it (a draft stays a draft) when that changes it; version-checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.errors import WorkbenchError
from workbench.domain.settings import SubtitleLimits
from workbench.domain.states import State
from workbench.domain.subtitles import CueMetrics, LineBreak, break_lines, cue_metrics
from workbench.domain.translations import Translation
from workbench.domain.units import Unit, UnitKind
from workbench.services.context import Workbench
from workbench.services.editing import find_unit, get_translation, save_translation

__all__ = ["CueReport", "Reflow", "cue_report", "reflow_cue", "reflow_text", "subtitle_limits"]


def subtitle_limits(wb: Workbench, language: str) -> SubtitleLimits:
    return wb.settings.for_language(wb.settings.language(language)).subtitles


@dataclass(frozen=True, slots=True)
class CueReport:
    metrics: CueMetrics
    limits: SubtitleLimits
    long_lines: tuple[int, ...]        # 1-based numbers of lines over the limit
    too_many_lines: bool
    too_fast: bool

    @property
    def ok(self) -> bool:
        return not (self.long_lines or self.too_many_lines or self.too_fast)


def cue_report(wb: Workbench, *, unit: Unit, text: str, language: str) -> CueReport:
    limits = subtitle_limits(wb, language)
    metrics = cue_metrics(text, unit.duration_ms)
    long_lines = tuple(i for i, n in enumerate(metrics.line_lengths, start=1) if n > limits.chars_per_line)
    return CueReport(metrics, limits, long_lines,
                     too_many_lines=len(metrics.line_lengths) > limits.lines,
                     too_fast=metrics.cps is not None and metrics.cps > limits.cps)


def reflow_text(wb: Workbench, *, text: str, language: str) -> LineBreak:
    limits = subtitle_limits(wb, language)
    return break_lines(text, language, max_chars=limits.chars_per_line, max_lines=limits.lines)


@dataclass(frozen=True, slots=True)
class Reflow:
    result: LineBreak
    translation: Translation            # the translation after the reflow (saved or unchanged)
    saved: bool


def reflow_cue(wb: Workbench, *, resource: str, key: str, language: str, base_version: int) -> Reflow:
    """Re-break a cue's saved translation to the limits and save it if that changes it."""
    unit = find_unit(wb, key, resource=resource)
    if unit.kind is not UnitKind.CUE:
        raise WorkbenchError(f"{key}: not a subtitle cue; only cues are re-broken")
    current = get_translation(wb, resource=resource, key=key, language=language)
    if current.is_empty:
        raise WorkbenchError(f"{key} [{language}]: nothing to re-break: the cue has no translation")
    result = reflow_text(wb, text=current.text, language=language)
    if not result.changed:
        return Reflow(result, current, False)
    saved = save_translation(wb, resource=resource, key=key, language=language, forms=(result.text,),
                             base_version=base_version, draft=current.state is State.DRAFT)
    return Reflow(result, saved, True)
