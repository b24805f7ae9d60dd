"""Running the checks: each unit with its context, the project's settings applied, results stored.

The same code serves the editor (`DraftChecker.check`, on every keystroke, no database), the
save path (`refresh_translations`, called by editing after a save), import (`refresh_after_import`),
`workbench check` (`check_project`) and the export gate (`exporting.stored_blockers`).

Results are stored with the check's own severity. A check that workbench.toml's `[checks]`
disables, or that a unit ignores (`ignore-<id>` flag), does not run; severity overrides are
applied when results are read, so that changing a severity needs no re-check (turning a check back
on shows its results after the next `workbench check` or import).

Context given to a check (CheckContext.neighbours): for a subtitle cue, the previous cue, the cue
and the next cue; for a quiz item, the question with all its choices and its feedback; for any
other unit, nothing.

Stale results
-------------
Checking costs about as much as importing, so an import does not always check at once. The
invariant: **a stored result that no longer follows its translation is never read.**

- Whatever changes content outside the save path marks it in the same transaction: an import
  marks (resource, language) pairs stale (repository.mark_checks_stale: every target language of
  a changed source file, the language of a changed translation file). A save, a suggestion or a
  revert re-checks at once (`refresh_translations`), as before.
- At its end, an import re-checks the marked pairs at once when they hold at most
  CHECK_AT_IMPORT_LIMIT translations (the usual import: a few changed files), and leaves them
  marked otherwise (a first import of a big course), for the first reader.
- Every reader of stored results refreshes the marked pairs of what it reads first and clears
  their marks: `workbench check` (check_project) re-checks what it reads anyway, in its
  transaction; the export gate (exporting.stored_blockers), the dashboard's counts (open_issues)
  and the editor's `check:` filter (browse) call `ensure_checked`, which re-checks in pieces of a few
  thousand units, each in its own transaction with its marks cleared (a save waits a fraction of
  a second at most, and progress can be shown). The dashboard does not wait for it: it draws
  the progress, re-checks in a worker and shows the issue counts when they are ready.
  `issue_counts` and `stored_issues` take a connection and do not refresh: their callers call
  `ensure_checked` first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import and_, delete, false, func, insert, or_, select, true
from sqlalchemy.engine import Connection

from workbench.domain.checks.base import Check, CheckContext, Issue, Severity
from workbench.domain.checks.plurals import NPLURALS, NPLURALS_DEFAULT
from workbench.domain.checks.registry import ALL_CHECKS, CHECKS
from workbench.domain.checks.text import FormCheck
from workbench.domain.errors import NotFoundError, ProjectError, WorkbenchError
from workbench.domain.settings import CheckSettings, ProjectSettings
from workbench.domain.states import State
from workbench.domain.translations import Translation, make_translation
from workbench.domain.units import Unit, UnitKind, make_unit, quiz_path
from workbench.formats.read_ahead import InChild, can_read_ahead
from workbench.services.context import Workbench
from workbench.services.project import Project
from workbench.services.terms import terminology_extras
from workbench.storage import repository as repo
from workbench.storage.tables import check_result

R, T, U = repo.R, repo.T, repo.U
CR = check_result

SEVERITIES: dict[str, Severity] = {s.value: s for s in Severity}
IGNORE_PREFIX = "ignore-"

#: Shared read-only helpers for the checks of one language, put into CheckContext.extras, by the
#: id of the check that needs them: each provider gets (connection, project, language, loaded=...)
#: and returns entries for the extras dict; it runs only when its check is in the suite (not
#: disabled, or asked for with --check). `loaded` is None, or, when a whole language is checked,
#: what the service read of it already (see services.terms.LoadedTexts), so that a provider need
#: not read it again. A check family that needs one (the term base) adds it here: one line.
ExtrasProvider = Callable[..., dict[str, Any]]
EXTRAS_PROVIDERS: dict[str, ExtrasProvider] = {"terminology": terminology_extras}


# -- settings ------------------------------------------------------------------------------

def validate_check_settings(settings: CheckSettings) -> None:
    """Refuse unknown check ids and severities in workbench.toml's [checks], with the known ones."""
    known = ", ".join(CHECKS)
    for check_id in settings.disabled:
        if check_id not in CHECKS:
            raise ProjectError(f"workbench.toml: [checks] disabled: unknown check {check_id!r} (known: {known})")
    for check_id, severity in settings.severity.items():
        if check_id not in CHECKS:
            raise ProjectError(f"workbench.toml: [checks.severity] unknown check {check_id!r} (known: {known})")
        if severity not in SEVERITIES:
            raise ProjectError(f"workbench.toml: [checks.severity] {check_id} = {severity!r}: "
                               f"use error, warning or info")


def parse_severity(value: str | None) -> Severity | None:
    if value is None:
        return None
    try:
        return SEVERITIES[value.lower()]
    except KeyError:
        raise WorkbenchError(f"unknown severity {value!r}: use error, warning or info") from None


def check_ids(ids: Iterable[str] | None) -> tuple[str, ...] | None:
    """The ids as given, or an error naming the known ones."""
    if ids is None:
        return None
    out = tuple(dict.fromkeys(ids))
    for check_id in out:
        if check_id not in CHECKS:
            raise NotFoundError(f"unknown check {check_id!r}: known checks are {', '.join(CHECKS)}")
    return out


# -- the suite of checks -------------------------------------------------------------------

@dataclass(frozen=True)
class CheckSuite:
    """The checks to run, prepared once, and the project's overrides to apply to what they find."""

    checks: tuple[Check, ...]
    #: per unit kind: (check id, its bound run, its own applies_to or None when it has none, for
    #: a FormCheck its bound pair, which is what its run does for a singular unit, and the check)
    by_kind: dict[UnitKind, tuple[tuple[str, Callable, Callable | None, Callable | None, Check], ...]]
    disabled: frozenset[str] = frozenset()
    overrides: dict[str, Severity] = field(default_factory=dict)
    #: by_kind per target language, without the checks that have nothing to say in it
    #: (Check.applies_to_language), made when a language is first checked
    per_language: dict[str, dict[UnitKind, tuple]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def create(cls, settings: CheckSettings | None = None,
               registry: Sequence[type[Check]] = ALL_CHECKS) -> "CheckSuite":
        settings = settings or CheckSettings()
        validate_check_settings(settings)
        checks = tuple(c() for c in registry)
        by_kind = {
            kind: tuple((c.id, c.run, c.applies_to if type(c).applies_to is not Check.applies_to else None,
                         c.pair if isinstance(c, FormCheck) and type(c).run is FormCheck.run else None, c)
                        for c in checks if not c.kinds or kind in c.kinds)
            for kind in UnitKind
        }
        return cls(checks, by_kind, frozenset(settings.disabled),
                   {k: SEVERITIES[v] for k, v in settings.severity.items()})

    def for_language(self, language: str) -> dict[UnitKind, tuple]:
        """by_kind without the checks that do not apply to `language` at all."""
        found = self.per_language.get(language)
        if found is None:
            wanted = {c.id for c in self.checks if c.applies_to_language(language)}
            found = {kind: tuple(e for e in entries if e[0] in wanted) for kind, entries in self.by_kind.items()}
            self.per_language[language] = found
        return found

    def run(self, unit: Unit, translation: Translation, ctx: CheckContext) -> list[Issue]:
        """Every issue of every check, except the checks the unit ignores; raw severities."""
        out: list[Issue] = []
        forms = translation.forms
        if not any(forms):
            return out
        flags = unit.flags
        ignored = [f[7:] for f in flags if f.startswith(IGNORE_PREFIX)] if flags else None
        single = unit.source_plural is None and len(forms) == 1
        source, text = unit.source, forms[0]
        by_kind = self.per_language.get(ctx.language) or self.for_language(ctx.language)
        for check_id, run, applies, pair, _ in by_kind[unit.kind]:
            if ignored and check_id in ignored:
                continue
            if applies is not None and not applies(unit, translation, ctx):
                continue
            if single and pair is not None:
                found = pair(unit, source, text, 0, ctx)
            else:
                found = run(unit, translation, ctx)
            if found:
                out.extend(found)
        return out

    def effective(self, issues: Iterable[Issue]) -> list[Issue]:
        """The issues as the project wants them: disabled checks out, severities overridden."""
        out = []
        for issue in issues:
            if issue.check in self.disabled:
                continue
            severity = self.overrides.get(issue.check)
            if severity is not None and severity is not issue.severity:
                issue = Issue(issue.check, severity, issue.message, span=issue.span, form=issue.form,
                              fix=issue.fix)
            out.append(issue)
        return out


_suites: dict[tuple, CheckSuite] = {}


def suite_for(settings: ProjectSettings, only: Sequence[str] | None = None) -> CheckSuite:
    """The project's suite (of the checks `only` names, else of all), built once per distinct
    [checks] settings."""
    validate_check_settings(settings.checks)
    disabled = set(settings.checks.disabled)    # a check turned off does not run at all
    registry = tuple(c for c in (ALL_CHECKS if only is None else tuple(CHECKS[c] for c in only))
                     if c.id not in disabled)
    key = (settings.checks.disabled, tuple(sorted(settings.checks.severity.items())), registry)
    suite = _suites.get(key)
    if suite is None:
        suite = _suites[key] = CheckSuite.create(settings.checks, registry)
    return suite


# -- context: extras per language, neighbours per unit -------------------------------------

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def nplurals_of(plural_forms: str | None) -> int | None:
    m = _NPLURALS.search(plural_forms or "")
    return int(m.group(1)) if m else None


def language_extras(conn: Connection, project: Project, language: str,
                    suite: CheckSuite | None = None, *, loaded: Any = None) -> dict[str, Any]:
    """What the checks of one language share: plural counts per catalog, and the providers' data
    (`loaded`: what the caller read of the whole language already, for the providers)."""
    from workbench.formats.po import babel_plural_forms

    per_resource: dict[str, int] = {}
    for name, meta in conn.execute(select(R.c.name, R.c.meta).where(R.c.kind == "catalog")):
        data = json.loads(meta or "{}")
        header = ((data.get("languages") or {}).get(language) or {}).get("metadata") or {}
        n = nplurals_of(header.get("Plural-Forms"))
        if n:
            per_resource[name] = n
    extras: dict[str, Any] = {NPLURALS: per_resource, NPLURALS_DEFAULT: nplurals_of(babel_plural_forms(language))}
    wanted = None if suite is None else {c.id for c in suite.checks}
    for check_id, provider in EXTRAS_PROVIDERS.items():
        if wanted is None or check_id in wanted:
            extras.update(provider(conn, project, language, loaded=loaded))
    return extras


#: The last part of a quiz choice or feedback key (as units.quiz_path reads it, "$" included).
_QUIZ_PART = re.compile(r"(?:choice-[a-z]|feedback)\n?")


def neighbour_groups(units: Sequence[Unit]) -> list[tuple[int, ...] | None]:
    """For each unit (live units of one resource, in position order): the indexes of its
    neighbours, or None when it has none."""
    out: list[tuple[int, ...] | None] = [None] * len(units)
    questions: dict[str, list[int]] = {}
    cues = [i for i, u in enumerate(units) if u.kind is UnitKind.CUE]
    for n, i in enumerate(cues):
        out[i] = tuple(cues[max(0, n - 1):n + 2])
    # Each quiz item goes with its question (quiz_path). A choice or feedback whose key is a known
    # question's key followed by "/choice-x" or "/feedback" has that question key without the
    # pattern (a third of the quiz items of a course are not questions).
    question_keys: set[str] = set()
    for u in units:
        if u.kind is UnitKind.QUIZ_QUESTION:
            path = quiz_path(u.key)
            if path is not None:
                question_keys.add(path.question_key)
    text, cue, question = UnitKind.TEXT, UnitKind.CUE, UnitKind.QUIZ_QUESTION
    for i, u in enumerate(units):
        kind = u.kind
        if kind is text or kind is cue:
            continue
        key = u.key
        qkey = None
        if kind is not question:
            cut = key.rfind("/")
            if key[:cut] in question_keys and _QUIZ_PART.fullmatch(key, cut + 1):
                qkey = key[:cut]
        if qkey is None:
            path = quiz_path(key)
            if path is None:
                continue
            qkey = path.question_key
        found = questions.get(qkey)
        if found is None:
            questions[qkey] = [i]
        else:
            found.append(i)
    for members in questions.values():
        group = tuple(members)
        for i in members:
            out[i] = group
    return out


@dataclass
class Found:
    """An issue in a stored translation, with where it is."""

    translation_id: int
    resource: str
    module: str
    key: str
    kind: str
    language: str
    state: str
    issue: Issue

    def to_dict(self) -> dict:
        i = self.issue
        return {"resource": self.resource, "module": self.module, "key": self.key, "kind": self.kind,
                "language": self.language, "state": self.state, "check": i.check,
                "severity": i.severity.value, "message": i.message, "form": i.form,
                "span": list(i.span) if i.span else None, "fix": i.fix}


# -- loading -------------------------------------------------------------------------------

_KINDS = {k.value: k for k in UnitKind}
_STATES = {s.value: s for s in State}

_UNIT_COLUMNS = (U.c.id, U.c.resource_id, U.c.key, U.c.kind, U.c.module, U.c.position, U.c.source,
                 U.c.source_plural, U.c.context, U.c.comments, U.c.refs, U.c.flags, U.c.previous_source,
                 U.c.start_ms, U.c.end_ms, U.c.cue_settings, U.c.extra)
#: What a check sees of a translation (the reviewer's comment, dates and authors are not needed).
_TRANSLATION_COLUMNS = (T.c.id, T.c.unit_id, T.c.language, T.c.state, T.c.text, T.c.plurals, T.c.version,
                        T.c.origin)


def _parts(joined: str, sep: str) -> tuple[str, ...]:
    """"a,b" -> ("a", "b"), without empty parts (as the repository reads them)."""
    if not joined:
        return ()
    parts = tuple(joined.split(sep))
    return parts if "" not in parts else tuple(p for p in parts if p)


def _unit(row, resource: str) -> Unit:
    """A Unit from a row of _UNIT_COLUMNS (positional: this runs for every unit of the course)."""
    (_id, _rid, key, kind, module, position, source, source_plural, context, comments, refs, flags,
     previous_source, start_ms, end_ms, cue_settings, extra) = row
    return make_unit(key, resource, _KINDS[kind], module, position, source, source_plural, context, comments,
                     _parts(refs, "\n"), _parts(flags, ","),
                     previous_source, start_ms, end_ms, cue_settings, False,
                     json.loads(extra) if extra and extra != "{}" else {})


def _translation(row, unit: Unit) -> Translation:
    """A Translation from a row of _TRANSLATION_COLUMNS."""
    _id, _uid, language, state, text, plurals, version, origin = row
    return make_translation(unit.key, unit.resource, language,
                            tuple(json.loads(plurals)) if plurals else (text,), _STATES[state], version, None, origin)


@dataclass
class _Resource:
    id: int
    name: str
    module: str
    unit_ids: list[int]
    units: list[Unit]
    groups: list[tuple[int, ...] | None]


def _of_resources(q, resource_ids: Iterable[int] | None, modules: Sequence[str] | None):
    """A select of resources narrowed to these ids and modules (all when None)."""
    if resource_ids is not None:
        q = q.where(R.c.id.in_(list(resource_ids)))
    if modules:
        q = q.where(R.c.module.in_(list(modules)))
    return q


def _load_resources(conn: Connection, resource_ids: Iterable[int] | None,
                    modules: Sequence[str] | None, unit_where=None) -> list[_Resource]:
    """The resources with their live units in position order (only the units `unit_where` selects,
    when given) and the units' neighbour groups."""
    q = _of_resources(select(R.c.id, R.c.name, R.c.module).order_by(R.c.name), resource_ids, modules)
    resources = {rid: _Resource(rid, name, module, [], [], []) for rid, name, module in conn.execute(q)}
    if not resources:
        return []
    uq = (select(*_UNIT_COLUMNS).where(U.c.obsolete == false())
          .order_by(U.c.resource_id, U.c.position, U.c.id))
    if resource_ids is not None or modules:
        uq = uq.where(U.c.resource_id.in_(list(resources)))
    if unit_where is not None:
        uq = uq.where(unit_where)
    res = None
    for row in repo.tuples(conn, uq):
        if res is None or res.id != row[1]:
            res = resources.get(row[1])
        if res is not None:
            res.unit_ids.append(row[0])
            res.units.append(_unit(row, res.name))
    for res in resources.values():
        res.groups = neighbour_groups(res.units)
    return list(resources.values())


def _load_translations(conn: Connection, resources: list[_Resource] | None, language: str,
                       unit_filter: Sequence[int] | None = None) -> dict[int, Any]:
    """unit id -> row of the non-empty translations of `language`: of the units in `unit_filter`,
    else of the `resources`, else of every unit."""
    q = select(*_TRANSLATION_COLUMNS).where(and_(T.c.language == language,
                                                 repo.HAS_TEXT))
    if unit_filter is not None:
        q = q.where(T.c.unit_id.in_(list(unit_filter)))
    elif resources is not None:
        q = q.where(T.c.unit_id.in_(select(U.c.id).where(U.c.resource_id.in_([r.id for r in resources]))))
    return {row[1]: row for row in repo.tuples(conn, q)}


def _translation_ids(resource_ids: Sequence[int] | None, language: str):
    """The ids of a language's translations, of some resources or of all."""
    q = select(T.c.id).where(T.c.language == language)
    if resource_ids is not None:
        q = q.where(T.c.unit_id.in_(select(U.c.id).where(U.c.resource_id.in_(list(resource_ids)))))
    return q


# -- running -------------------------------------------------------------------------------

def _check_language(conn: Connection, *, project: Project, suite: CheckSuite, resources: list[_Resource],
                    language: str, only_units: set[int] | None = None, everything: bool = False,
                    found: list[Found] | None = None,
                    extras: dict[str, Any] | None = None) -> tuple[list[int], list[tuple]]:
    """Check one language over `resources` (or only the units in `only_units`); `everything`
    says that `resources` are all the resources of the project (a whole language is checked).

    Returns the translation ids that were checked and the result rows to store.
    """
    settings = project.settings
    limits = settings.for_language(language).subtitles
    source_language = settings.source_language
    unit_filter = None
    if only_units is not None:
        unit_filter = sorted(only_units)
    rows_by_unit = _load_translations(conn, None if everything else resources, language, unit_filter)
    # the translations, per resource in unit order; for a whole language also what the providers
    # of extras would otherwise read again (every live non-empty translation, and their signature)
    whole = extras is None and everything and only_units is None
    count = versions = last_id = last_unit = 0
    per_resource: list[list[Translation | None]] = []
    get = rows_by_unit.get
    for res in resources:
        units = res.units
        translations: list[Translation | None] = [None] * len(units)
        for i, uid in enumerate(res.unit_ids):
            row = get(uid)
            if row is not None:
                translations[i] = _translation(row, units[i])
                if whole:
                    count += 1
                    versions += row[6]
                    if row[0] > last_id:
                        last_id = row[0]
                    if uid > last_unit:
                        last_unit = uid
        per_resource.append(translations)
    if extras is None:
        def texts() -> Iterator[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
            for res, translations in zip(resources, per_resource):
                name = res.name
                for unit, t in zip(res.units, translations):
                    if t is not None:
                        yield name, unit.key, unit.sources, t.forms

        loaded = ((count, versions, last_id, last_unit), texts()) if whole else None
        extras = language_extras(conn, project, language, suite, loaded=loaded)
    plain = CheckContext(language, source_language, limits, (), extras)
    work = _CheckWork(language=language, source_language=source_language, limits=limits, extras=extras,
                      plain=plain, run=suite.run, rows_by_unit=rows_by_unit, only_units=only_units,
                      collect=found is not None)
    jobs = [(res, translations, 0, len(res.units)) for res, translations in zip(resources, per_resource)]
    size = sum(len(r.units) for r in resources) if only_units is None else len(only_units)
    first, second = _halves(jobs) if size >= CHECK_IN_CHILD_FROM and can_read_ahead() else (jobs, [])
    child = InChild([partial(work.check, second)]) if second else None
    try:
        checked, out, found_here = work.check(first)
        if second:
            done = child.result(0)
            more = done if done is not None else work.check(second)
            checked += more[0]
            out += more[1]
            found_here += more[2]
    finally:
        if child is not None:
            child.close()
    if found is not None:
        found.extend(found_here)
    return checked, out


#: From this many units in one language, `workbench check` and the export gate check half of the
#: resources in a forked child (on two cores, about 1.6× faster over a whole big catalog).
CHECK_IN_CHILD_FROM = 20_000


#: A job: a resource, its translations in unit order, and the range of its units to check
#: (a unit's context may reach outside the range: each side has the whole resource).
Job = tuple["_Resource", list, int, int]


def _halves(jobs: list[Job]) -> tuple[list[Job], list[Job]]:
    """The jobs split in two holding about as many units each (a resource cut in two if need be)."""
    half = sum(stop - start for _, _, start, stop in jobs) // 2
    count = 0
    for i, (res, translations, start, stop) in enumerate(jobs):
        if count + (stop - start) > half:
            cut = start + (half - count)
            first = jobs[:i] + ([(res, translations, start, cut)] if cut > start else [])
            return (first, [(res, translations, cut, stop)] + jobs[i + 1:]) if first else (jobs, [])
        count += stop - start
    return jobs, []


@dataclass
class _CheckWork:
    """What checking a language's units needs, so that a forked child can check some of them."""

    language: str
    source_language: str
    limits: Any
    extras: dict[str, Any]
    plain: CheckContext
    run: Callable[..., Sequence[Issue]]
    rows_by_unit: dict[int, Any]
    only_units: set[int] | None
    collect: bool

    def check(self, jobs: list[Job]) -> tuple[list[int], list[tuple], list[Found]]:
        """Check the translations of `jobs`: the ids checked, the result rows to store, and (if
        collecting) the issues found."""
        language, source_language, limits, extras = self.language, self.source_language, self.limits, self.extras
        plain, run, rows_by_unit, only_units = self.plain, self.run, self.rows_by_unit, self.only_units
        checked: list[int] = []
        out: list[tuple] = []
        found: list[Found] = []
        append = out.append
        for res, translations, start, stop in jobs:
            units, unit_ids, groups = res.units, res.unit_ids, res.groups
            contexts: dict[tuple[int, ...], CheckContext] = {}
            for i in range(start, stop):
                t = translations[i]
                if t is None or (only_units is not None and unit_ids[i] not in only_units):
                    continue
                unit = units[i]
                group = groups[i]
                if group is None:
                    ctx = plain
                else:
                    ctx = contexts.get(group)
                    if ctx is None:
                        ctx = CheckContext(language, source_language, limits,
                                           tuple((units[j], translations[j]) for j in group), extras)
                        contexts[group] = ctx
                tid = rows_by_unit[unit_ids[i]][0]
                checked.append(tid)
                issues = run(unit, t, ctx)
                if not issues:
                    continue
                for issue in issues:
                    span = issue.span
                    append((tid, issue.check, issue.severity.value, issue.message, issue.form,
                            span[0] if span else None, span[1] if span else None, issue.fix))
                    if self.collect:
                        found.append(Found(tid, res.name, res.module, unit.key, unit.kind.value, language,
                                           t.state.value, issue))
        return checked, out, found


_RESULT_COLUMNS = ("translation_id", "check_id", "severity", "message", "form", "span_start", "span_end", "fix")
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def _store(conn: Connection, *, delete_where, rows: list[tuple]) -> None:
    """Replace results: a Core delete, then one plain executemany (the DB-API's own, 2-3× faster
    than Core's for tens of thousands of rows)."""
    conn.execute(delete(CR).where(delete_where))
    if not rows:
        return
    mark = _PLACEHOLDERS.get(conn.dialect.paramstyle)
    if mark is None:
        conn.execute(insert(CR), [dict(zip(_RESULT_COLUMNS, r)) for r in rows])
        return
    sql = (f"INSERT INTO check_result ({', '.join(_RESULT_COLUMNS)}) "
           f"VALUES ({', '.join([mark] * len(_RESULT_COLUMNS))})")
    conn.exec_driver_sql(sql, rows)


@dataclass
class RefreshResult:
    checked: int = 0
    found: list[Found] = field(default_factory=list)


def refresh_checks(conn: Connection, *, project: Project, languages: Sequence[str] | None = None,
                   resource_ids: Iterable[int] | None = None, modules: Sequence[str] | None = None,
                   collect: bool = False, only: Sequence[str] | None = None) -> RefreshResult:
    """Check every live translation of the resources (all by default) in the languages (all
    targets by default) and store the results in place of the old ones; with `only`, run just
    those checks and replace just their results."""
    with repo.paused_gc():
        return _refresh_checks(conn, project=project, languages=languages, resource_ids=resource_ids,
                               modules=modules, collect=collect, only=only)


def _refresh_checks(conn: Connection, *, project: Project, languages: Sequence[str] | None,
                    resource_ids: Iterable[int] | None, modules: Sequence[str] | None,
                    collect: bool, only: Sequence[str] | None) -> RefreshResult:
    settings = project.settings
    suite = suite_for(settings, only)
    langs = list(languages) if languages is not None else list(settings.target_languages)
    result = RefreshResult()
    everything = resource_ids is None and not modules
    if everything:
        ids = None
    else:
        ids = list(conn.execute(_of_resources(select(R.c.id), resource_ids, modules)).scalars())
        if not ids:
            return result
    # a language without any text in these resources has nothing to check (a new course's
    # languages, re-checked after each template import): its units are not even loaded
    resources = None
    for language in langs:
        if _has_text(conn, ids, language):
            if resources is None:
                resources = _load_resources(conn, ids, None)
            checked, rows = _check_language(conn, project=project, suite=suite, resources=resources,
                                            language=language, everything=everything,
                                            found=result.found if collect else None)
            result.checked += len(checked)
        else:
            rows = []
        where = CR.c.translation_id.in_(_translation_ids(ids, language))
        if only is not None:
            where = and_(where, CR.c.check_id.in_(list(only)))
        _store(conn, delete_where=where, rows=rows)
    return result


def _has_text(conn: Connection, resource_ids: Sequence[int] | None, language: str) -> bool:
    """Whether `language` has a non-empty translation in the resources (all when None)."""
    q = select(T.c.id).where(and_(T.c.language == language, repo.HAS_TEXT))
    if resource_ids is not None:
        q = q.where(T.c.unit_id.in_(select(U.c.id).where(U.c.resource_id.in_(list(resource_ids)))))
    return conn.execute(q.limit(1)).first() is not None


def refresh_translations(conn: Connection, translation_ids: Iterable[int], *, project: Project) -> int:
    """Re-check translations after they changed (a save, a suggestion, a revert), and the ones whose
    results depend on them: the other items of the same quiz question, the previous and next cue.
    Runs in the caller's transaction; returns how many translations were checked."""
    ids = sorted(set(translation_ids))
    if not ids:
        return 0
    targets = conn.execute(select(T.c.id, T.c.unit_id, T.c.language, U.c.resource_id, U.c.kind, U.c.key)
                           .join(U, U.c.id == T.c.unit_id).where(T.c.id.in_(ids))).all()
    suite = suite_for(project.settings)
    total = 0
    extras: dict[str, dict[str, Any]] = {}
    by_group: dict[tuple[str, int], list] = defaultdict(list)
    for target in targets:
        by_group[(target.language, target.resource_id)].append(target)
    for (language, resource_id), group in sorted(by_group.items()):
        kinds = {t.kind for t in group}
        if UnitKind.CUE.value in kinds:
            unit_where = None                    # a video: all its cues (neighbours by position)
        else:
            questions = {quiz_path(t.key).question_key for t in group if quiz_path(t.key) is not None}
            unit_where = or_(U.c.id.in_([t.unit_id for t in group]),
                             *(or_(U.c.key == q, U.c.key.startswith(q + "/", autoescape=True))
                               for q in sorted(questions)))
        loaded = _load_resources(conn, [resource_id], None, unit_where)
        units: set[int] = set()
        for res in loaded:
            index = {uid: i for i, uid in enumerate(res.unit_ids)}
            for t in group:
                units.add(t.unit_id)
                i = index.get(t.unit_id)
                if i is not None and res.groups[i] is not None:
                    units.update(res.unit_ids[j] for j in res.groups[i])
        if language not in extras:
            extras[language] = language_extras(conn, project, language, suite)
        checked, rows = _check_language(conn, project=project, suite=suite, resources=loaded,
                                        language=language, only_units=units, extras=extras[language])
        # the changed translations lose their old results even when they are now empty or obsolete
        stale = set(checked) | {t.id for t in group}
        _store(conn, delete_where=CR.c.translation_id.in_(sorted(stale)), rows=rows)
        total += len(checked)
    return total


#: An import re-checks what it changed at once when that is at most this many translations (about
#: a third of a second); above, it leaves the results stale for the first reader (see "Stale results").
CHECK_AT_IMPORT_LIMIT = 10_000


def refresh_after_import(wb: Workbench, report=None) -> int:
    """Re-check what imports left stale (every language of a changed source file, the language of a
    changed translation file) if that is at most CHECK_AT_IMPORT_LIMIT translations. Returns how
    many translations were checked."""
    return ensure_checked(wb, at_most=CHECK_AT_IMPORT_LIMIT)


def _more_than(conn: Connection, pairs: dict[int, set[str]], limit: int) -> bool:
    """Whether the (resource id -> languages) pairs hold more than `limit` non-empty translations
    of live units (counting stops there: a first import of a big catalog has 100k)."""
    left = limit + 1
    for rid, languages in pairs.items():
        some = (select(T.c.id).where(and_(
            T.c.unit_id.in_(select(U.c.id).where(and_(U.c.resource_id == rid, U.c.obsolete == false()))),
            T.c.language.in_(sorted(languages)), repo.HAS_TEXT))
            .limit(left).subquery())
        left -= conn.execute(select(func.count()).select_from(some)).scalar_one()
        if left <= 0:
            return True
    return False


def _in_scope(conn: Connection, stale: dict[int, set[str]], languages: Sequence[str] | None,
              modules: Sequence[str] | None) -> dict[int, set[str]]:
    """The stale pairs of the given languages and modules (all when None)."""
    if modules:
        wanted = set(conn.execute(select(R.c.id).where(R.c.module.in_(list(modules)))).scalars())
        stale = {rid: langs for rid, langs in stale.items() if rid in wanted}
    if languages is not None:
        keep = set(languages)
        stale = {rid: langs & keep for rid, langs in stale.items() if langs & keep}
    return stale


def _refresh_stale(conn: Connection, project: Project, pairs: dict[int, set[str]]) -> int:
    """Re-check the (resource id -> languages) pairs with every check and clear their marks."""
    if not pairs:
        return 0
    every = set(conn.execute(select(R.c.id)).scalars())
    by_resources: dict[frozenset[int], set[str]] = defaultdict(set)
    per_language: dict[str, set[int]] = defaultdict(set)
    for rid, languages in pairs.items():
        for language in languages:
            per_language[language].add(rid)
    for language, rids in per_language.items():
        by_resources[frozenset(rids)].add(language)
    total = 0
    for rids, languages in by_resources.items():
        targets = [l for l in project.settings.target_languages if l in languages]
        targets += sorted(languages - set(targets))
        total += refresh_checks(conn, project=project, languages=targets,
                                resource_ids=None if rids >= every else sorted(rids)).checked
    repo.clear_checks_stale(conn, pairs)
    return total


#: A re-check of stale results commits after about this many units (a resource counts its live
#: units once per stale language): it holds the write lock for a fraction of a second at a time,
#: so that a save waits little, and reports its progress between pieces.
RECHECK_PIECE_UNITS = 4_000


@dataclass(frozen=True)
class StaleWork:
    """What is stale, in the pieces a re-check commits: (language, resource ids, units)."""

    pieces: tuple[tuple[str, tuple[int, ...], int], ...] = ()

    @property
    def units(self) -> int:
        """Units to re-check, each once per stale language (an upper bound of the translations:
        a unit without a text in a language has nothing to check)."""
        return sum(p[2] for p in self.pieces)

    def __bool__(self) -> bool:
        return bool(self.pieces)


def stale_work(wb: Workbench, *, languages: Sequence[str] | None = None,
               modules: Sequence[str] | None = None) -> StaleWork:
    """The stale results among the given languages and modules (all by default), as pieces of
    about RECHECK_PIECE_UNITS units, language by language in the project's order. Reads only
    (the common case, nothing stale, costs one small query)."""
    with wb.store.read() as conn:
        pairs = _in_scope(conn, repo.stale_checks(conn), languages, modules)
        if not pairs:
            return StaleWork()
        sizes = dict(conn.execute(select(U.c.resource_id, func.count()).where(U.c.obsolete == false())
                                  .group_by(U.c.resource_id)).all())
    stale_languages = set().union(*pairs.values())
    order = [l for l in wb.settings.target_languages if l in stale_languages]
    order += sorted(stale_languages - set(order))
    pieces: list[tuple[str, tuple[int, ...], int]] = []
    for language in order:
        piece: list[int] = []
        units = 0
        for rid in sorted(rid for rid, langs in pairs.items() if language in langs):
            size = sizes.get(rid, 0)
            if piece and units + size > RECHECK_PIECE_UNITS:
                pieces.append((language, tuple(piece), units))
                piece, units = [], 0
            piece.append(rid)
            units += size
        if piece:
            pieces.append((language, tuple(piece), units))
    return StaleWork(tuple(pieces))


def ensure_checked(wb: Workbench, *, languages: Sequence[str] | None = None,
                   modules: Sequence[str] | None = None, at_most: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> int:
    """Before reading stored results: re-check what is stale among the given languages and
    modules (all by default). With `at_most`, only when that is at most so many translations
    (else it is left for later). Returns how many translations were checked.

    The work is done in pieces (StaleWork), each in its own transaction that re-reads the marks
    (another process may have done it meanwhile) and clears the marks of what it re-checked;
    `progress(units done, units in all)` is called after each piece, and `cancelled()`, when it
    says so, stops the work between pieces (what is left stays marked)."""
    work = stale_work(wb, languages=languages, modules=modules)
    if not work:                                 # the usual case: nothing stale, no write lock taken
        return 0
    if at_most is not None:
        with wb.store.read() as conn:
            pairs: dict[int, set[str]] = defaultdict(set)
            for language, rids, _ in work.pieces:
                for rid in rids:
                    pairs[rid].add(language)
            if _more_than(conn, pairs, at_most):
                return 0
    checked = done = 0
    for language, rids, units in work.pieces:
        if cancelled is not None and cancelled():
            break
        with wb.store.transaction() as conn:
            marked = repo.stale_checks(conn, lock=True)
            todo = [rid for rid in rids if language in marked.get(rid, ())]
            if todo:
                checked += refresh_checks(conn, project=wb.project, languages=[language],
                                          resource_ids=todo).checked
                repo.clear_checks_stale(conn, {rid: {language} for rid in todo})
        done += units
        if progress is not None:
            progress(done, work.units)
    return checked


def _clear_refreshed(conn: Connection, languages: Sequence[str], modules: Sequence[str] | None) -> None:
    """Every check ran over these languages and modules: their stale marks go."""
    pairs = _in_scope(conn, repo.stale_checks(conn, lock=True), languages, modules)
    if pairs:
        repo.clear_checks_stale(conn, pairs)


# -- workbench check -----------------------------------------------------------------------

@dataclass
class CheckReport:
    issues: list[Found]
    checked: int
    languages: list[str]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.issues if f.issue.severity is Severity.ERROR)

    def summary(self) -> list[tuple[str, str, int]]:
        """(check, severity, count) per check and severity, most severe first."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for f in self.issues:
            counts[(f.issue.check, f.issue.severity.value)] += 1
        return sorted(((c, s, n) for (c, s), n in counts.items()),
                      key=lambda x: (-SEVERITIES[x[1]].rank, x[0]))

    def to_dict(self) -> dict:
        return {"checked": self.checked, "languages": self.languages,
                "issues": [f.to_dict() for f in self.issues],
                "summary": [{"check": c, "severity": s, "count": n} for c, s, n in self.summary()],
                "errors": self.errors}


def check_project(wb: Workbench, *, languages: Sequence[str] | None = None,
                  modules: Sequence[str] | None = None, checks: Sequence[str] | None = None,
                  min_severity: str | None = None) -> CheckReport:
    """Check (and store the results of) the chosen languages and modules; report the issues that
    the project's settings and the filters keep."""
    with repo.paused_gc():      # (the report's sorting included: the index just made is still alive)
        return _check_project(wb, languages=languages, modules=modules, checks=checks,
                              min_severity=min_severity)


def _check_project(wb: Workbench, *, languages: Sequence[str] | None, modules: Sequence[str] | None,
                   checks: Sequence[str] | None, min_severity: str | None) -> CheckReport:
    settings = wb.settings
    langs = [settings.target(l) for l in languages] if languages else list(settings.target_languages)
    mods = [settings.check_module(m) for m in modules] if modules else None
    only = check_ids(checks)
    floor = parse_severity(min_severity)
    suite = suite_for(settings)
    with wb.store.transaction() as conn:
        if only is not None:          # the other checks' stale results are refreshed first
            _refresh_stale(conn, wb.project, _in_scope(conn, repo.stale_checks(conn, lock=True), langs, mods))
        else:
            _clear_refreshed(conn, langs, mods)     # (in this transaction: what follows re-checks them)
        result = refresh_checks(conn, project=wb.project, languages=langs, modules=mods, collect=True,
                                only=only)
    kept: list[Found] = result.found
    if suite.disabled or suite.overrides or floor is not None:
        kept = []
        for f in result.found:
            effective = suite.effective((f.issue,))
            if not effective:
                continue
            issue = effective[0]
            if floor is not None and issue.severity.rank < floor.rank:
                continue
            f.issue = issue
            kept.append(f)
    order = {lang: i for i, lang in enumerate(langs)}
    kept.sort(key=lambda f: (order.get(f.language, 99), f.resource, f.key, f.issue.form))
    return CheckReport(kept, result.checked, langs)


# -- reading stored results ----------------------------------------------------------------

def issue_filter(suite: CheckSuite, *, checks: Sequence[str] | None = None,
                 min_severity: Severity | None = None):
    """A condition on check_result rows: the project's disabled checks left out, severity overrides
    applied before comparing with `min_severity`. For the editor's and the gate's queries."""
    conds = []
    if suite.disabled:
        conds.append(CR.c.check_id.not_in(sorted(suite.disabled)))
    if checks:
        conds.append(CR.c.check_id.in_(list(checks)))
    if min_severity is not None:
        wanted = [s.value for s in Severity if s.rank >= min_severity.rank]
        overridden = sorted(suite.overrides)
        raised = [c for c, s in suite.overrides.items() if s.rank >= min_severity.rank]
        conds.append(or_(and_(CR.c.check_id.not_in(overridden) if overridden else true(),
                              CR.c.severity.in_(wanted)),
                         CR.c.check_id.in_(raised) if raised else false()))
    return and_(true(), *conds)


@dataclass(frozen=True)
class IssueCount:
    language: str
    module: str
    check: str
    severity: str
    count: int


def issue_counts(conn: Connection, *, settings: ProjectSettings, languages: Sequence[str] | None = None,
                 modules: Sequence[str] | None = None) -> list[IssueCount]:
    """Stored issues counted per language, module, check and (effective) severity: one query.
    The caller calls ensure_checked first (see "Stale results")."""
    suite = suite_for(settings)
    q = (select(T.c.language, T.c.module, CR.c.check_id, CR.c.severity, func.count())
         .join(T, T.c.id == CR.c.translation_id)
         .where(issue_filter(suite))
         .group_by(T.c.language, T.c.module, CR.c.check_id, CR.c.severity))
    if languages:
        q = q.where(T.c.language.in_(list(languages)))
    if modules:
        q = q.where(T.c.module.in_(list(modules)))
    merged: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for language, module, check_id, severity, n in conn.execute(q):
        effective = suite.overrides.get(check_id, SEVERITIES.get(severity, Severity.WARNING)).value
        merged[(language, module, check_id, effective)] += n
    return [IssueCount(l, m, c, s, n) for (l, m, c, s), n in sorted(merged.items())]


def stored_issues(conn: Connection, translation_id: int, *, settings: ProjectSettings) -> list[Issue]:
    """The stored issues of one translation, as the project wants them (the caller calls
    ensure_checked first, see "Stale results")."""
    suite = suite_for(settings)
    rows = conn.execute(select(CR).where(CR.c.translation_id == translation_id).order_by(CR.c.id)).mappings()
    issues = [Issue(r["check_id"], SEVERITIES.get(r["severity"], Severity.WARNING), r["message"],
                    span=(r["span_start"], r["span_end"]) if r["span_start"] is not None else None,
                    form=r["form"], fix=r["fix"]) for r in rows]
    return suite.effective(issues)


# -- the editor: one unsaved text, no database -----------------------------------------------

@dataclass
class DraftChecker:
    """Checks one unit's unsaved text as the translator types; built once when the unit opens."""

    unit: Unit
    language: str
    context: CheckContext
    suite: CheckSuite
    base: Translation

    def check(self, forms: Sequence[str]) -> list[Issue]:
        """The issues of `forms` (all plural forms of the text being typed), as the project wants them."""
        draft = Translation(key=self.unit.key, resource=self.unit.resource, language=self.language,
                            forms=tuple(forms), state=self.base.state, version=self.base.version,
                            author=self.base.author, origin=self.base.origin)
        return self.suite.effective(self.suite.run(self.unit, draft, self.context))


def draft_checker(wb: Workbench, *, resource: str, key: str, language: str) -> DraftChecker:
    """What `DraftChecker.check` needs about a unit: its neighbours, limits and shared data."""
    project = wb.project
    language = project.settings.target(language)
    with wb.store.read() as conn:       # (reads only: never waits for a writer, nor makes one wait)
        row = repo.get_resource(conn, resource)
        if row is None:
            raise NotFoundError(f"unknown resource {resource!r}")
        [res] = _load_resources(conn, [row["id"]], None)
        try:
            i = next(n for n, u in enumerate(res.units) if u.key == key)
        except StopIteration:
            raise NotFoundError(f"{resource}: no unit {key!r}") from None
        group = res.groups[i] or (i,)
        rows = _load_translations(conn, [res], language, [res.unit_ids[j] for j in group])
        suite = suite_for(project.settings)
        extras = language_extras(conn, project, language, suite)
    unit = res.units[i]
    translations = {j: (_translation(rows[res.unit_ids[j]], res.units[j]) if res.unit_ids[j] in rows else None)
                    for j in group}
    neighbours = tuple((res.units[j], translations[j]) for j in group) if res.groups[i] else ()
    ctx = CheckContext(language, project.settings.source_language,
                       project.settings.for_language(language).subtitles, neighbours, extras)
    base = translations[i] or Translation(key=unit.key, resource=resource, language=language, forms=(),
                                          state=State.UNTRANSLATED)
    return DraftChecker(unit, language, ctx, suite, base)


def _default_suite() -> CheckSuite:
    return suite_for(ProjectSettings(name="", source_language="fr", languages=("fr",)))


def check_text(unit: Unit, forms: Sequence[str], ctx: CheckContext, *,
               suite: CheckSuite | None = None) -> list[Issue]:
    """Check a text against a unit with a context the caller built (no database)."""
    suite = suite or _default_suite()
    draft = Translation(key=unit.key, resource=unit.resource, language=ctx.language, forms=tuple(forms),
                        state=State.DRAFT)
    return suite.effective(suite.run(unit, draft, ctx))


# -- the export gate -------------------------------------------------------------------------

def describe_blockers(blocked: dict[str, dict[str, int]]) -> dict[str, str]:
    """language -> why its export was refused, in one line a person can act on."""
    out = {}
    for language, counts in blocked.items():
        n = sum(counts.values())
        detail = ", ".join(f"{check} {k}" for check, k in sorted(counts.items()))
        out[language] = (f"{n} error-level issue(s) ({detail}); see 'workbench check --lang {language} "
                         f"--severity error', or export with --force")
    return out
