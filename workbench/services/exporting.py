"""Export: write each language's catalogs and subtitles back to the project, atomically.

Fast at any scale: the gate reads the stored check results (one grouped query, kept current by
every change, see services.checks), each source file's units are read once for all languages,
its translations, extra catalog details and last revisions in one query each, and the files'
hashes are recorded in one transaction at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import itemgetter
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy import and_, bindparam, false, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from workbench.domain.errors import WorkbenchError
from workbench.domain.states import State
from workbench.domain.translations import Translation, make_translation
from workbench.domain.units import Unit, UnitKind, make_unit
from workbench.formats.base import ExportOptions
from workbench.formats.registry import translation_format
from workbench.services.context import Workbench
from workbench.services.files import replace_atomic, write_atomic
from workbench.services.layout import SourceFile, export_paths, source_files
from workbench.services.permissions import ensure_coordinator
from workbench.storage import repository as repo
from workbench.storage.columns import utcnow
from workbench.storage.tables import check_result, user_account

R, U, T, C, F = repo.R, repo.U, repo.T, repo.C, repo.F
CR = check_result


@dataclass
class ExportedFile:
    path: str
    language: str
    written: int
    total: int
    fallbacks: int = 0
    omitted: int = 0
    changed: bool = True
    kept: str | None = None        # why the file on disk was left as it is (then nothing was written)


@dataclass
class ExportReport:
    files: list[ExportedFile] = field(default_factory=list)
    skipped_languages: dict[str, str] = field(default_factory=dict)   # language -> why

    @property
    def kept(self) -> list[ExportedFile]:
        """Working files not overwritten: they hold work the database does not have."""
        return [f for f in self.files if f.kept]


#: The files an import reads: exporting over one that changed on disk since the last import or
#: export would lose what was written in it (a translator's edits in another tool, a file the last
#: import refused), so such a file is left as it is and the report says so.
IMPORTED_SUFFIXES = (".po", ".vtt", ".srt")
KEPT_WHY = "changed on disk since the last import or export; import it first (or delete it to have it written)"


Progress = Callable[[int, int, str], None]


def export_project(wb: Workbench, *, languages: list[str] | None = None, approved_only: bool = False,
                   fallback_to_source: bool = True, modules: list[str] | None = None,
                   progress: Progress | None = None, force: bool = False,
                   output: Path | None = None) -> ExportReport:
    """Write every language's files; with `output`, into that folder (same layout) instead of
    over the project's working files (what the course platform gets with approved_only)."""
    with repo.paused_gc():   # hundreds of thousands of objects and no cycle: a third of the time otherwise
        return _export_project(wb, languages=languages, approved_only=approved_only,
                               fallback_to_source=fallback_to_source, modules=modules, progress=progress,
                               force=force, output=output)


def _export_project(wb: Workbench, *, languages: list[str] | None, approved_only: bool,
                    fallback_to_source: bool, modules: list[str] | None, progress: Progress | None,
                    force: bool, output: Path | None) -> ExportReport:
    ensure_coordinator(wb, what="export")   # rule coordinator-only
    settings = wb.settings
    langs = [settings.target(l) for l in languages] if languages else list(settings.target_languages)
    mods = {settings.check_module(m) for m in modules} if modules else None
    report = ExportReport()
    if not force:   # a language with error-level issues is not written (DESIGN: checks before export)
        blocked = stored_blockers(wb, languages=langs, modules=sorted(mods) if mods else None,
                                  approved_only=approved_only)
        if blocked:
            from workbench.services.checks import describe_blockers

            report.skipped_languages.update(describe_blockers(blocked))
            langs = [l for l in langs if l not in blocked]
    sources = [s for s in source_files(wb.project) if mods is None or s.module in mods]
    total, done = len(sources) * len(langs), 0
    hashes: dict[str, str] = {}           # what we wrote is what the database holds
    record = not approved_only and output is None
    with _Writer() as writer, wb.store.read() as conn:
        synced = dict(conn.execute(select(F.c.path, F.c.sha256)).all()) if record else None
        resources = {row["name"]: row for row in conn.execute(select(R)).mappings()}
        # who is named how; None while nothing but imports changed a text (no query per file then)
        people: dict[str, str] | None = {} if _any_revision(conn) else None
        for source in sources:
            if not langs:
                break
            resource = resources.get(source.resource)
            if resource is None:
                raise WorkbenchError(f"{wb.project.relative(source.path)}: not imported yet; run 'workbench import'")
            loaded = _load(conn, source, resource, langs, people)
            for language in langs:
                done += 1
                report.files.extend(_export_language(
                    wb, source, loaded, language, writer, approved_only=approved_only,
                    fallback_to_source=fallback_to_source, output=output,
                    hashes=hashes if record else None, synced=synced))
                if progress:
                    progress(done, total, f"{source.resource} [{language}]")
    if hashes:
        with wb.store.transaction() as conn:
            _set_file_hashes(conn, hashes)
    return report


# -- the gate ------------------------------------------------------------------------------

def stored_blockers(wb: Workbench, *, languages: Sequence[str], modules: Sequence[str] | None = None,
                    approved_only: bool = False) -> dict[str, dict[str, int]]:
    """Per language, the error-level issues (count per check) in what an export puts before
    learners: in catalogs the translated and approved entries (drafts are written fuzzy and never
    compiled), in subtitles every cue written. One grouped query over the stored check results,
    which follow every change of a text or a unit: a save, a suggestion or a revert re-checks at
    once; what an import left unchecked (the checks service's stale marks) is re-checked here
    first. Results are stored whatever the state, so a review changes nothing to them; a change
    of `[checks]` in workbench.toml or of the term base shows after the next `workbench check`."""
    with wb.store.read() as conn:
        stale = repo.stale_checks(conn)
    if stale:             # (else the checks service and its checks need not even be loaded)
        from workbench.services.checks import ensure_checked

        ensure_checked(wb, languages=languages, modules=modules)
    checks = wb.settings.checks
    if checks.disabled or checks.severity:         # the project's own choices, as the checks service reads them
        from workbench.domain.checks.base import Severity
        from workbench.services.checks import issue_filter, suite_for

        errors = issue_filter(suite_for(wb.settings), min_severity=Severity.ERROR)
    else:                                          # (without loading every check for nothing)
        errors = CR.c.severity == "error"
    if approved_only:
        shown = T.c.state == State.APPROVED.value
    else:
        shown = or_(R.c.kind != "catalog", T.c.state.in_([State.TRANSLATED.value, State.APPROVED.value]))
    q = (select(T.c.language, CR.c.check_id, func.count())
         .join(T, T.c.id == CR.c.translation_id).join(U, U.c.id == T.c.unit_id)
         .join(R, R.c.id == U.c.resource_id)
         # (languages on an expression, not the column: the join is driven from the stored
         # results, few, and not from every translation of those languages)
         .where(and_(errors, U.c.obsolete == false(),
                     T.c.language.concat("").in_(list(languages)), shown))
         .group_by(T.c.language, CR.c.check_id))
    if modules:
        q = q.where(R.c.module.in_(list(modules)))
    out: dict[str, dict[str, int]] = {}
    with wb.store.read() as conn:
        for language, check_id, n in conn.execute(q):
            out.setdefault(language, {})[check_id] = n
    return out


# -- reading a source file's data, once for all languages ------------------------------------

@dataclass
class _Loaded:
    resource: dict
    meta: dict
    units: list[Unit]
    translations: dict[str, dict[str, Translation]]     # language -> key -> translation
    extras: dict[str, dict[str, dict]]                  # language -> key -> extra["po"]
    revisions: dict[str, tuple[str, datetime]]          # language -> (user, when) of the last revision


_UNIT_COLUMNS = (U.c.id, U.c.key, U.c.kind, U.c.module, U.c.position, U.c.source, U.c.source_plural, U.c.context,
                 U.c.comments, U.c.refs, U.c.flags, U.c.previous_source, U.c.start_ms, U.c.end_ms,
                 U.c.cue_settings, U.c.obsolete, U.c.extra)
_TRANSLATION_COLUMNS = (T.c.language, T.c.unit_id, T.c.state, T.c.text, T.c.plurals, T.c.version, T.c.author,
                        T.c.origin, T.c.comment, T.c.translator_comments, T.c.previous_source, T.c.extra)
_KINDS = {k.value: k for k in UnitKind}
_STATES = {s.value: s for s in State}


def _tuples(conn: Connection, query) -> list[tuple]:
    """Every row of a select as plain tuples from the driver (no column here needs converting)."""
    result = conn.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _load_units(conn: Connection, resource_id: int, resource: str) -> tuple[list[Unit], dict[int, str]]:
    """The units of a resource in position order, as repository.units_of builds them, and their
    keys by row id."""
    kinds, loads = _KINDS, json.loads
    units = []
    keys = {}
    # sorted here, not by SQLite: its ORDER BY sorts every row in a temporary b-tree (a fifth of
    # the query), while the rows mostly come in position order already (a sort that only checks)
    rows = _tuples(conn, select(*_UNIT_COLUMNS).where(U.c.resource_id == resource_id))
    rows.sort(key=itemgetter(4))
    for (uid, key, kind, module, position, source, plural, context, comments, refs, flags, previous,
         start_ms, end_ms, settings, obsolete, extra) in rows:
        keys[uid] = key
        units.append(make_unit(
            key, resource, kinds[kind], module, position, source, plural, context, comments,
            tuple(filter(None, refs.split("\n"))) if refs else (),
            tuple(filter(None, flags.split(","))) if flags else (),
            previous, start_ms, end_ms, settings, bool(obsolete),
            loads(extra) if extra and extra != "{}" else {}))
    return units, keys


def _load(conn: Connection, source: SourceFile, resource, languages: Sequence[str],
          people: dict[str, str] | None) -> _Loaded:
    """A source file's units, and its translations, extra catalog details and last revision in
    each language (with `people` None, there is no revision to look for)."""
    rid, name = resource["id"], source.resource
    units, keys = _load_units(conn, rid, name)
    meta = json.loads(resource["meta"] or "{}")
    translations: dict[str, dict[str, Translation]] = {l: {} for l in languages}
    extras: dict[str, dict[str, dict]] = {l: {} for l in languages}
    catalog = source.kind == "catalog"
    states, loads = _STATES, json.loads
    # extra["po"] per distinct text: most entries share one ('{"po": {"translator_comments": []}}');
    # the catalog writer only reads them
    parsed: dict = {}
    q = select(*_TRANSLATION_COLUMNS).where(and_(repo.of_resource(rid), T.c.language.in_(list(languages))))
    for (language, uid, state, text, plurals, version, author, origin, comment, tcomments, previous,
         extra) in _tuples(conn, q):
        key = keys[uid]
        translations[language][key] = make_translation(
            key, name, language, (text,) if plurals is None else tuple(loads(plurals)), states[state],
            version, author, origin, comment, tcomments, previous)
        if catalog and extra != "{}":
            po = parsed.get(extra, parsed)
            if po is parsed:
                po = parsed[extra] = loads(extra).get("po")
            if po is not None:
                extras[language][key] = po
    return _Loaded(resource, meta, units, translations, extras,
                   _last_revisions(conn, rid, languages, people) if people is not None else {})


#: Changes that are not a translator's revision: they leave a catalog's PO-Revision-Date alone.
_NOT_REVISIONS = ("import", "source-changed")


def _any_revision(conn: Connection) -> bool:
    """Whether any change but an import or a source change was ever made."""
    return conn.execute(select(C.c.id).where(C.c.action.not_in(_NOT_REVISIONS)).limit(1)).first() is not None


def _of_languages(languages: Sequence[str]):
    """A condition on translation rows: of these languages. For several, on an expression rather
    than the column: SQLite would otherwise drive a join from the translation table's language index
    and read every translation of those languages in the project (30 ms a video instead of 2)."""
    if len(languages) == 1:
        return T.c.language == languages[0]
    return T.c.language.concat("").in_(list(languages))


def _last_revisions(conn: Connection, resource_id: int, languages: Sequence[str],
                    people: dict[str, str]) -> dict[str, tuple[str, datetime]]:
    """Per language, who last revised its text of a resource and when (imports and source
    changes do not count): one query for all languages. `people` caches how users are named."""
    ranked = (select(T.c.language, C.c.user, C.c.at,
                     func.row_number().over(partition_by=T.c.language,
                                            order_by=(C.c.at.desc(), C.c.id.desc())).label("rank"))
              .join(T, T.c.id == C.c.translation_id).join(U, U.c.id == T.c.unit_id)
              .where(and_(U.c.resource_id == resource_id, repo.of_resource(resource_id),
                          _of_languages(languages),
                          C.c.action.not_in(_NOT_REVISIONS)))
              .subquery())
    rows = conn.execute(select(ranked.c.language, ranked.c.user, ranked.c.at).where(ranked.c.rank == 1)).all()
    unknown = sorted({user for _, user, _ in rows} - people.keys())
    if unknown:
        users = user_account
        for user, display, email in conn.execute(
                select(users.c.name, users.c.display_name, users.c.email).where(users.c.name.in_(unknown))):
            if email:
                people[user] = f"{display or user} <{email}>"
        for user in unknown:
            people.setdefault(user, user)
    return {language: (people[user], at) for language, user, at in rows}


def _revision(loaded: _Loaded, language: str, since: str | None) -> tuple[str | None, str | None]:
    """Last-Translator and PO-Revision-Date of a language's file: its last revision, unless it is
    not newer than `since`, the revision date of the imported file (whose header then stays)."""
    found = loaded.revisions.get(language)
    if found is None:
        return None, None
    user, at = found
    at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    if since:
        try:
            if at <= datetime.strptime(since, "%Y-%m-%d %H:%M%z"):
                return None, None
        except ValueError:
            pass        # a placeholder or a date in another format: ours is better
    return user, at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


# -- writing -------------------------------------------------------------------------------

def _export_language(wb: Workbench, source: SourceFile, loaded: _Loaded, language: str, writer: _Writer,
                     *, approved_only: bool, fallback_to_source: bool, output: Path | None,
                     hashes: dict[str, str] | None, synced: dict[str, str] | None) -> list[ExportedFile]:
    """Write one language's files of `source`; with `synced` (the working files' hashes at their
    last import or export), a working file an import reads is overwritten only when it is
    still what was synced (or when it is unchanged by this export)."""
    targets = export_paths(wb.project, source, language)
    if output is not None:
        targets = [output / path.relative_to(wb.project.root) for path in targets]
    fmt = translation_format(targets[0].suffix)
    if fmt is None:
        return []
    translations = loaded.translations[language]
    if source.kind == "subtitles" and not any(not t.is_empty for t in translations.values()):
        return []          # no subtitle file for a language that has not started
    meta = loaded.meta
    languages_meta = meta.get("languages", {})
    lang_meta = languages_meta.get(language) or {}
    user, when = _revision(loaded, language, (lang_meta.get("metadata") or {}).get("PO-Revision-Date"))
    result = fmt.write_translation(
        language=language, units=loaded.units, translations=translations,
        meta={"source": {k: v for k, v in meta.items() if k != "languages"},
              "language": languages_meta.get(language), "entries": loaded.extras[language]},
        options=ExportOptions(approved_only=approved_only, fallback_to_source=fallback_to_source,
                              last_translator=user, revision_date=when))
    out: list[ExportedFile] = []
    live = sum(1 for u in loaded.units if not u.obsolete)
    for path in targets:
        data = result.outputs.get(path.suffix)
        if data is None:
            continue
        rel = wb.project.relative(path)
        exported = ExportedFile(rel, language, result.written, live, result.fallbacks, result.omitted)
        guard = synced is not None and path.suffix in IMPORTED_SUFFIXES
        writer.write(path, data, exported, hashes=hashes, expected=synced.get(rel, "") if guard else None)
        out.append(exported)
    return out


class _Writer:
    """The export's files, written by write_atomic on a few threads. Each write still waits for
    its own fsync, but fsyncs at the same time share the file system's journal commits: 1200
    subtitle files took 3.9-4.9 s one after the other on a busy disk, 0.5 s four at a time.
    Leaving the `with` block waits for every write (and raises the first error)."""

    THREADS = 4
    PENDING = 64                 # writes (and their data) in flight at most

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="export-write")
        self._pending: deque[tuple[Future, ExportedFile, dict[str, str] | None]] = deque()

    def write(self, path: Path, data: bytes, exported: ExportedFile, *, hashes: dict[str, str] | None,
              expected: str | None = None) -> None:
        """Write `data` to `path`; `exported.changed` says, once written, whether it changed, and
        `hashes` (when given) gets its SHA-256 under its path. With `expected` (the hash the file
        had when last synced, "" for none), an existing file that differs from it is kept."""
        self._pending.append((self._pool.submit(self._write, path, data, expected), exported, hashes))
        while len(self._pending) > self.PENDING:
            self._settle()

    @staticmethod
    def _write(path: Path, data: bytes, expected: str | None) -> tuple[bool, str, str | None]:
        digest = hashlib.sha256(data).hexdigest()         # (hashing releases the GIL)
        if expected is None or not path.is_file():
            return write_atomic(path, data), digest, None
        current = path.read_bytes()                       # (read once: compared, then hashed)
        if current == data:
            return False, digest, None
        if hashlib.sha256(current).hexdigest() != expected:
            return False, digest, KEPT_WHY
        replace_atomic(path, data)
        return True, digest, None

    def _settle(self) -> None:
        future, exported, hashes = self._pending.popleft()
        exported.changed, digest, exported.kept = future.result()
        if hashes is not None and exported.kept is None:
            hashes[exported.path] = digest

    def __enter__(self) -> "_Writer":
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                while self._pending:
                    self._settle()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=kind is not None)


def _set_file_hashes(conn: Connection, hashes: dict[str, str]) -> None:
    """Record the written files' hashes (the next import skips them): one read, then the inserts
    and updates in bulk."""
    paths = sorted(hashes)
    known: dict[str, str] = {}
    for i in range(0, len(paths), 500):
        known.update(conn.execute(select(F.c.path, F.c.sha256).where(F.c.path.in_(paths[i:i + 500]))).all())
    now = utcnow()
    new = [{"path": p, "sha256": hashes[p], "synced_at": now} for p in paths if p not in known]
    if new:
        conn.execute(insert(F), new)
    changed = [{"p": p, "h": hashes[p]} for p in paths if p in known and known[p] != hashes[p]]
    if changed:
        conn.execute(update(F).where(F.c.path == bindparam("p")).values(sha256=bindparam("h"), synced_at=now),
                     changed)
