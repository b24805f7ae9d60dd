"""The live line under the editor: length, lines and reading speed as you type, and the checks' issues."""

from __future__ import annotations

from rich.text import Text

from workbench.domain.checks.base import Issue, Severity
from workbench.domain.subtitles import count_chars, format_number
from workbench.domain.units import UnitKind
from workbench.services.context import Workbench
from workbench.services.subtitles import cue_report
from workbench.services.unit_context import UnitDetail
from workbench.tui.widgets import one_line

SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_GLYPHS = {Severity.ERROR: "✗", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}


def issue_line(issue: Issue, *, fix_key: str | None = None) -> Text:
    """One issue: its severity, the check's id and what it says (the message may quote the text);
    with `fix_key`, the key that applies its fix, before the message that may be cut."""
    out = Text(no_wrap=True, overflow="ellipsis", end="")
    out.append(f"{SEVERITY_GLYPHS[issue.severity]} {issue.check}", style=SEVERITY_STYLES[issue.severity])
    if issue.form:
        out.append(f" [form {issue.form}]", style="dim")
    if fix_key:
        out.append(f" ({fix_key} fixes)", style="bold green")
    out.append(": ")
    out.append_text(one_line(issue.message))
    return out


def live_report(wb: Workbench, detail: UnitDetail, forms: tuple[str, ...], *, language: str) -> Text:
    """What is known about the text being typed, before it is saved."""
    out = Text(end="")
    text = forms[0] if forms else ""
    if detail.unit.kind is UnitKind.CUE:
        report = cue_report(wb, unit=detail.unit, text=text, language=language)
        limits, metrics = report.limits, report.metrics
        for i, n in enumerate(metrics.line_lengths, start=1):
            out.append(f"L{i} {n}", style="bold red" if i in report.long_lines else "green")
            out.append(f"/{limits.chars_per_line}  ", style="dim")
        if report.too_many_lines:
            out.append(f"{len(metrics.line_lengths)} lines > {limits.lines}  ", style="bold red")
        if metrics.cps is not None and metrics.chars:
            out.append(f"{format_number(round(metrics.cps, 1))} cps", style="bold red" if report.too_fast else "green")
            out.append(f" (max {format_number(limits.cps)}, {metrics.duration_ms / 1000:.1f} s)", style="dim")
    else:
        out.append(f"{count_chars(text)} characters", style="dim")
        out.append(f" (source {count_chars(detail.unit.source)})", style="dim")
    if not any(f.strip() for f in forms):
        out.append("  empty: saving clears the translation", style="dim italic")
    return out
