"""The explicit registry of checks: a new check is one class and one line here."""

from __future__ import annotations

from workbench.domain.checks.base import Check
from workbench.domain.checks.subtitles import (
    DurationCheck, GapCheck, LineCountCheck, LineLengthCheck, OverlapCheck, ReadingSpeedCheck,
)

# Each check module is imported here and its classes listed in ALL_CHECKS.

ALL_CHECKS: tuple[type[Check], ...] = (
    ReadingSpeedCheck, LineLengthCheck, LineCountCheck, DurationCheck, GapCheck, OverlapCheck,
)

CHECKS: dict[str, type[Check]] = {cls.id: cls for cls in ALL_CHECKS}
