"""Open issues from the stored check results, for the dashboard and the editor's next-issue key.

Stable API:

- ``open_issues(wb, *, languages=None) -> IssueSummary``: per language, the number of stored issues
  of each check and severity (the project's disabled checks left out, severity overrides applied),
  read in one query; nothing is re-checked but what an import left stale (services/checks.py).
- ``pending_checks(wb, *, languages=None) -> int``: how much an import left to re-check before the
  counts can be read (units, once per language; 0: none), read without taking the write lock.
- ``recheck_pending(wb, *, languages=None, progress=None, cancelled=None) -> int``: re-check it in
  short transactions, calling ``progress(done, total)`` after each; ``cancelled()`` stops it between
  them (what is left stays pending). For a screen that shows the counts when they are ready.
- ``active_checks(wb) -> tuple[str, ...]``: the ids of the checks the project runs (for a filter
  `check:ID,...` that means "any issue").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from workbench.domain.checks.base import Severity
from workbench.domain.checks.registry import CHECKS
from workbench.services.checks import ensure_checked, issue_counts, stale_work, suite_for
from workbench.services.context import Workbench

__all__ = ["IssueSummary", "active_checks", "open_issues", "pending_checks", "recheck_pending"]


@dataclass
class IssueSummary:
    #: language -> check id -> severity -> count
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def total(self, language: str, severity: Severity | None = None) -> int:
        return sum(n for by_severity in self.counts.get(language, {}).values()
                   for s, n in by_severity.items() if severity is None or s == severity.value)

    def by_check(self, language: str) -> list[tuple[str, str, int]]:
        """(check, worst severity, count) for one language, most severe and most frequent first."""
        out = []
        for check, by_severity in self.counts.get(language, {}).items():
            worst = max(by_severity, key=lambda s: Severity(s).rank)
            out.append((check, worst, sum(by_severity.values())))
        return sorted(out, key=lambda x: (-Severity(x[1]).rank, -x[2], x[0]))

    def checks(self, language: str) -> tuple[str, ...]:
        return tuple(sorted(self.counts.get(language, {})))


def open_issues(wb: Workbench, *, languages: list[str] | None = None) -> IssueSummary:
    langs = _languages(wb, languages)
    ensure_checked(wb, languages=langs)          # stale results are refreshed first (services/checks.py)
    with wb.store.read() as conn:
        rows = issue_counts(conn, settings=wb.settings, languages=langs)
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        by_severity = counts[r.language][r.check]
        by_severity[r.severity] = by_severity.get(r.severity, 0) + r.count
    return IssueSummary({lang: dict(checks) for lang, checks in counts.items()})


def _languages(wb: Workbench, languages: list[str] | None) -> list[str] | None:
    return [wb.settings.target(l) for l in languages] if languages else None


def pending_checks(wb: Workbench, *, languages: list[str] | None = None) -> int:
    return stale_work(wb, languages=_languages(wb, languages)).units


def recheck_pending(wb: Workbench, *, languages: list[str] | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> int:
    return ensure_checked(wb, languages=_languages(wb, languages), progress=progress, cancelled=cancelled)


def active_checks(wb: Workbench) -> tuple[str, ...]:
    disabled = suite_for(wb.settings).disabled
    return tuple(c for c in CHECKS if c not in disabled)
