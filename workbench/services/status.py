"""Progress per language and module (or kind of content): units, words, and the share in each state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable

from sqlalchemy import and_, func, select

from workbench.domain.errors import NotFoundError
from workbench.domain.query import KINDS
from workbench.domain.states import State
from workbench.services.context import Workbench
from workbench.storage import repository as repo

T, U = repo.T, repo.U

#: The columns of a report by kind (`by="kind"`): lesson texts, quiz items, subtitle cues; each is
#: also the editor's filter `kind:<column>`.
KIND_COLUMNS = ("text", "quiz", "subtitle")
_COLUMN_OF_KIND = {kind: column for column in KIND_COLUMNS for kind in KINDS[column]}


@dataclass
class StatusRow:
    language: str
    module: str
    units: int
    words: int
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in State})

    def share(self, state: State) -> float:
        return self.counts[state.value] / self.units if self.units else 0.0

    @property
    def done(self) -> float:
        """The share translated or approved."""
        return self.share(State.TRANSLATED) + self.share(State.APPROVED)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["shares"] = {s.value: round(self.share(s), 4) for s in State}
        return data


@dataclass
class StatusReport:
    rows: list[StatusRow]
    languages: list[str]
    modules: list[str]
    #: Set when the report covers every language: `to_dict` lists it first, with its units and words
    #: per module (what there is to translate), so that all the project's languages show.
    source_language: str | None = None
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)   # module -> (units, words)
    #: What the columns are: "module", or "kind" (KIND_COLUMNS; `modules` and each row's `module`
    #: then hold kinds, and to_dict names them so)
    by: str = "module"

    def get(self, language: str, module: str) -> StatusRow | None:
        for row in self.rows:
            if row.language == language and row.module == module:
                return row
        return None

    def total(self, language: str) -> StatusRow:
        total = StatusRow(language, "*", 0, 0)
        for row in self.rows:
            if row.language == language:
                total.units += row.units
                total.words += row.words
                for k, v in row.counts.items():
                    total.counts[k] += v
        return total

    def to_dict(self) -> dict:
        rows = [{**r.to_dict(), "source": False} for r in self.rows]
        languages = list(self.languages)
        if self.source_language:
            languages.insert(0, self.source_language)
            rows[:0] = [{"language": self.source_language, "module": m, "units": units, "words": words,
                         "source": True} for m in self.modules for units, words in [self.sizes.get(m, (0, 0))]]
        if self.by == "kind":
            rows = [{("kind" if k == "module" else k): v for k, v in row.items()} for row in rows]
            return {"source_language": self.source_language, "languages": languages, "by": "kind",
                    "kinds": self.modules, "rows": rows}
        return {"source_language": self.source_language, "languages": languages, "by": "module",
                "modules": self.modules, "rows": rows}


def compute_status(wb: Workbench, *, languages: list[str] | None = None,
                   modules: list[str] | None = None, by: str = "module") -> StatusReport:
    """Two grouped queries: units and words per module, translations per language, module, state.

    `by="kind"`: the report's columns (its `modules`) are the kinds of content of KIND_COLUMNS
    instead, over the given modules (all by default)."""
    if by not in ("module", "kind"):
        raise ValueError(f"status by {by!r}: by module or by kind")
    settings = wb.settings
    langs = [settings.target(l) for l in languages] if languages else list(settings.target_languages)
    mods = list(modules) if modules else None
    source_language = None if languages else settings.source_language
    if by == "kind":
        live = U.c.obsolete == False  # noqa: E712
        if mods:
            _refuse_unknown(mods, _known_modules(wb))
            live = and_(live, U.c.module.in_(mods))
        # (the unit's kind: the translations' own copy is in no index)
        per_kind, counts = _tally(wb, live=live, unit_group=U.c.kind, translation_group=U.c.kind, languages=langs)
        sizes = {c: [0, 0] for c in KIND_COLUMNS}
        for kind, (n, w) in per_kind.items():
            column = _COLUMN_OF_KIND.get(kind)
            if column is not None:
                sizes[column][0] += n
                sizes[column][1] += w
        return _report(languages=langs, columns=list(KIND_COLUMNS), sizes={c: tuple(v) for c, v in sizes.items()},
                       counts=counts, column_of=_COLUMN_OF_KIND.get, source_language=source_language, by="kind")
    # (the translations' copy of the module: index-only on ix_translation_language_module_state)
    per_module, counts = _tally(wb, live=U.c.obsolete == False,  # noqa: E712
                                unit_group=U.c.module, translation_group=T.c.module, languages=langs)
    module_ids = _known_modules(wb, per_module)
    if mods:
        _refuse_unknown(mods, module_ids)
        module_ids = [m for m in module_ids if m in mods]
    return _report(languages=langs, columns=module_ids, sizes={m: per_module.get(m, (0, 0)) for m in module_ids},
                   counts=counts, column_of=lambda m: m, source_language=source_language, by="module")


def _tally(wb: Workbench, *, live, unit_group, translation_group, languages: list[str]):
    """(group -> (units, words) of the live units, [(language, group, state, translations)])."""
    with wb.store.read() as conn:
        per_group = {g: (n, w) for g, n, w in conn.execute(
            select(unit_group, func.count(), func.coalesce(func.sum(U.c.words), 0)).where(live).group_by(unit_group))}
        counts = conn.execute(select(T.c.language, translation_group, T.c.state, func.count())
                              .join(U, U.c.id == T.c.unit_id)
                              .where(and_(live, T.c.language.in_(languages)))
                              .group_by(T.c.language, translation_group, T.c.state)).all()
    return per_group, counts


def _report(*, languages: list[str], columns: list[str], sizes: dict[str, tuple[int, int]], counts,
            column_of, source_language: str | None, by: str) -> StatusReport:
    """A row per language and column, with the translations' states folded in (`column_of(group)`)."""
    rows = {(lang, c): StatusRow(lang, c, *sizes.get(c, (0, 0))) for lang in languages for c in columns}
    for lang, group, state, n in counts:
        row = rows.get((lang, column_of(group)))
        if row is not None:
            row.counts[state] += n
    for row in rows.values():   # units without a translation row count as untranslated
        row.counts[State.UNTRANSLATED.value] += row.units - sum(row.counts.values())
    return StatusReport(rows=list(rows.values()), languages=languages, modules=columns,
                        source_language=source_language, sizes=sizes, by=by)


def _refuse_unknown(modules: list[str], known: list[str]) -> None:
    unknown = [m for m in modules if m not in known]
    if unknown:
        raise NotFoundError(f"unknown module {unknown[0]!r}: this project has {', '.join(known) or 'no modules yet'}")


def _known_modules(wb: Workbench, stored: Iterable[str] | None = None) -> list[str]:
    """The project's modules: its settings' in their order, then those of imported units
    (`stored`, read here when not given)."""
    if stored is None:
        with wb.store.read() as conn:
            stored = conn.execute(select(U.c.module).distinct()).scalars().all()
    known = list(wb.settings.module_ids())
    known += [m for m in sorted(stored) if m not in known]
    return known
