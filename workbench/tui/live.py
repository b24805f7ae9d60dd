"""The live line under the editor: length, lines and reading speed as you type, and the checks' issues."""

from __future__ import annotations

from rich.text import Text

from workbench.domain.units import UnitKind
from workbench.services.context import Workbench
from workbench.services.unit_context import UnitDetail, reading_speed


def live_report(wb: Workbench, detail: UnitDetail, forms: tuple[str, ...], *, language: str) -> Text:
    """What is known about the text being typed, before it is saved."""
    out = Text(end="")
    text = forms[0] if forms else ""
    if detail.unit.kind is UnitKind.CUE:
        limits = wb.settings.for_language(language).subtitles
        lines = text.split("\n") if text else []
        for i, line in enumerate(lines):
            n = len(line)
            out.append(f"L{i + 1} {n}", style="bold red" if n > limits.chars_per_line else "green")
            out.append(f"/{limits.chars_per_line}  ", style="dim")
        if len(lines) > limits.lines:
            out.append(f"{len(lines)} lines > {limits.lines}  ", style="bold red")
        cps = reading_speed(text, detail.unit.duration_ms)
        if cps is not None:
            out.append(f"{cps:.1f} cps", style="bold red" if cps > limits.cps else "green")
            out.append(f" (max {limits.cps:g}, {detail.unit.duration_ms / 1000:.1f} s)", style="dim")
    else:
        out.append(f"{len(text)} characters", style="dim")
        out.append(f" (source {len(detail.unit.source)})", style="dim")
    if not any(f.strip() for f in forms):
        out.append("  empty: saving clears the translation", style="dim italic")
    return out
