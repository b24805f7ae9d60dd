"""The project's term base: read from glossaries/, searched, edited and written back atomically,
its coverage per language, and what the terminology checks need (`terminology_extras`).

Every `*.tbx` and `*.csv` file directly in the project's glossaries folder is read (in name order)
and merged; a concept id defined in two files is an error. A changed concept is written back to
the file it came from; a new one goes to the first TBX file (glossaries/terms.tbx if there is none).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol, Sequence

from sqlalchemy import and_, false, func, select
from sqlalchemy.engine import Connection

from workbench.domain.checks.terminology import CONSISTENCY, TERMS, ConsistencyIndex
from workbench.domain.errors import FormatError, PermissionDeniedError, WorkbenchError
from workbench.domain.termmatch import TermMatch, TermMatcher, longest_first_with_homonyms
from workbench.domain.terms import Concept, TermBase, TermError, TermStatus, deliberate_homonym
from workbench.formats.glossary_csv import GlossaryCsvFormat
from workbench.formats.tbx import TbxFormat
from workbench.services.context import Workbench
from workbench.services.files import write_atomic
from workbench.services.permissions import require_terminologist
from workbench.services.project import Project
from workbench.storage import repository as repo

R, T, U, C, F = repo.R, repo.T, repo.U, repo.C, repo.F

DEFAULT_FILE = "terms.tbx"


class GlossaryFormat(Protocol):
    id: str
    extensions: tuple[str, ...]

    def read(self, data: bytes, *, path: str) -> TermBase: ...

    def write(self, termbase: TermBase, *, title: str, source_language: str) -> bytes: ...


#: Term base file formats, by file extension.
GLOSSARY_FORMATS: dict[str, GlossaryFormat] = {".tbx": TbxFormat(), ".csv": GlossaryCsvFormat()}


def glossary_format(path: Path) -> GlossaryFormat:
    fmt = GLOSSARY_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise WorkbenchError(f"{path}: unknown term base format {path.suffix!r} "
                             f"(known: {', '.join(GLOSSARY_FORMATS)})")
    return fmt


@dataclass(frozen=True)
class LoadedTermBase:
    """The merged term base and, for each concept, the file it came from."""

    termbase: TermBase
    origins: dict[str, Path] = field(default_factory=dict)
    files: tuple[Path, ...] = ()

    def file_of(self, concept_id: str) -> Path | None:
        return self.origins.get(concept_id)


def glossary_files(project: Project) -> list[Path]:
    folder = project.glossaries
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in GLOSSARY_FORMATS)


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, LoadedTermBase, TermMatcher]] = {}


def _signature(files: Sequence[Path]) -> tuple:
    out = []
    for p in files:
        st = p.stat()
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _read_file(project: Project, path: Path) -> TermBase:
    rel = project.relative(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"{rel}: cannot read: {exc.strerror}") from None
    return glossary_format(path).read(data, path=rel)


def load_termbase(project: Project) -> LoadedTermBase:
    """The project's term base, read again only when a glossary file changed."""
    return _loaded(project)[0]


def matcher_for(project: Project) -> TermMatcher:
    """A matcher over the project's term base, shared until a glossary file changes."""
    return _loaded(project)[1]


def _loaded(project: Project) -> tuple[LoadedTermBase, TermMatcher]:
    files = glossary_files(project)
    signature = _signature(files)
    key = project.root.resolve()
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == signature:
        return hit[1], hit[2]
    concepts: list[Concept] = []
    origins: dict[str, Path] = {}
    for path in files:
        for concept in _read_file(project, path):
            if concept.id in origins:
                raise FormatError(project.relative(path), None,
                                  f"concept id {concept.id!r} is also defined in "
                                  f"{project.relative(origins[concept.id])}")
            origins[concept.id] = path
            concepts.append(concept)
    loaded = LoadedTermBase(TermBase(tuple(concepts)), origins, tuple(files))
    matcher = TermMatcher(loaded.termbase)
    with _lock:
        _cache[key] = (signature, loaded, matcher)
    return loaded, matcher


def _forget(project: Project) -> None:
    with _lock:
        _cache.pop(project.root.resolve(), None)


# -- reading -------------------------------------------------------------------------------

def search_concepts(wb: Workbench, query: str, *, language: str | None = None) -> list[Concept]:
    lang = wb.settings.language(language) if language else None
    return load_termbase(wb.project).termbase.search(query, language=lang)


def get_concept(wb: Workbench, concept_id: str) -> Concept:
    return load_termbase(wb.project).termbase.get(concept_id)


def find_in_text(wb: Workbench, text: str, *, language: str) -> list[TermMatch]:
    """The terms of `language` found in `text`, longest first (for highlighting and the editor's
    term panel); a homonym there gives one match per concept that has the term, at the same span."""
    language = wb.settings.language(language)
    return longest_first_with_homonyms(matcher_for(wb.project).find(text, language))


# -- writing -------------------------------------------------------------------------------

def default_file(project: Project, loaded: LoadedTermBase) -> Path:
    for path in loaded.files:
        if path.suffix.lower() == ".tbx":
            return path
    return loaded.files[0] if loaded.files else project.glossaries / DEFAULT_FILE


def _write_file(project: Project, path: Path, termbase: TermBase) -> None:
    fmt = glossary_format(path)
    title = f"{project.settings.name} term base"
    data = fmt.write(termbase, title=title, source_language=project.settings.source_language)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise WorkbenchError(f"{project.relative(path)}: cannot write: {exc.strerror}") from None
    _forget(project)


def _check_languages(project: Project, concept: Concept) -> None:
    for lang in concept.languages:
        project.settings.language(lang)    # an unknown language is refused with the known ones


def _changed_languages(before: Concept, after: Concept) -> frozenset[str]:
    """The languages whose terms or definition differ, or the empty set when anything else of the
    concept (its source, note, subject, tags) changed too: then it is a change of the concept."""
    if (before.source, before.note, before.subject, before.tags) != (after.source, after.note, after.subject, after.tags):
        return frozenset()
    languages = set(before.terms) | set(after.terms) | set(before.definitions) | set(after.definitions)
    languages |= set(before.definition_sources) | set(after.definition_sources)
    return frozenset(lang for lang in languages
                     if before.terms.get(lang) != after.terms.get(lang)
                     or before.definitions.get(lang) != after.definitions.get(lang)
                     or before.definition_sources.get(lang) != after.definition_sources.get(lang))


def _allowed(wb: Workbench, languages: frozenset[str], *, what: str) -> None:
    with wb.store.read() as conn:
        require_terminologist(conn, wb.user, languages, what=what)


def may_change(wb: Workbench, languages: frozenset[str]) -> bool:
    """Whether the user may change the terms of `languages` (the empty set: whole concepts)."""
    try:
        _allowed(wb, languages, what="change the term base")
    except PermissionDeniedError:
        return False
    return True


class HomonymError(TermError):
    """Terms that other concepts already have in the same language; `clashes` holds every
    (language, term, other concept id), the first one is also `language`, `text` and `other`."""

    def __init__(self, clashes: Sequence[tuple[str, str, str]]) -> None:
        self.clashes = tuple(clashes)
        self.language, self.text, self.other = self.clashes[0]
        #: every concept that has the first term
        self.others = tuple(o for lang, text, o in self.clashes if (lang, text) == (self.language, self.text))
        named = self.named
        more = len({(lang, text) for lang, text, _o in self.clashes}) - 1
        super().__init__(f"the {self.language} term {self.text!r} is already a term of {named} (change that "
                         f"concept instead, or allow the homonym if the term really names a different concept)"
                         + (f"; {more} more term(s) of this concept too" if more else ""))

    @property
    def named(self) -> str:
        """`concept X` or `concepts X, Y`: the concepts that have the first term."""
        return f"concept {self.others[0]}" if len(self.others) == 1 else f"concepts {', '.join(self.others)}"


def homonym_clashes(termbase: TermBase, concept: Concept) -> list[tuple[str, str, str]]:
    """(language, term, other concept id) for each term of `concept` (new, or replacing the stored
    one of its id) that another concept has in the same language, undecided (undecided_homonyms:
    not a term the stored concept had already, not recorded as deliberate on either side)."""
    return undecided_homonyms(termbase, [concept])[1].get(concept.id, [])


def add_concept(wb: Workbench, concept: Concept, *, homonyms: bool = False) -> Path:
    """Add a new concept to the term base (coordinators); returns the file it was written to.
    A term another concept has in the same language is refused unless `homonyms` is true: then
    the term records those concepts as deliberate homonyms (Term.homonym_of), so that neither an
    import nor an export asks again."""
    project = wb.project
    _allowed(wb, frozenset(), what=f"add concept {concept.id} to the term base")
    loaded = load_termbase(project)
    if concept.id in loaded.termbase:
        raise TermError(f"concept id {concept.id!r} exists already (edit it with 'workbench terms edit')")
    clashes = homonym_clashes(loaded.termbase, concept)
    if clashes and not homonyms:
        raise HomonymError(clashes)
    concept = concept.with_homonym_marks(clashes)
    _check_languages(project, concept)
    path = default_file(project, loaded)
    current = _read_file(project, path) if path.exists() else TermBase()
    _write_file(project, path, current.with_concept(concept))
    return path


def edit_concept(wb: Workbench, concept_id: str, change: Callable[[Concept], Concept], *,
                 homonyms: bool = False) -> Concept:
    """Apply `change` to a concept and write its file back; returns the changed concept. A term
    the change adds that another concept has in the same language is refused unless `homonyms`
    is true (`workbench terms edit --homonym`): then it records them as deliberate homonyms. The
    homonym marks of the terms the concept keeps are kept."""
    project = wb.project
    loaded = load_termbase(project)
    concept = loaded.termbase.get(concept_id)
    changed = change(concept)
    if changed.id != concept_id:
        raise TermError(f"concept {concept_id}: the id of a concept cannot be changed")
    changed = changed.keeping_homonym_marks(concept)
    if changed == concept:
        return concept
    _allowed(wb, _changed_languages(concept, changed), what=f"edit concept {concept_id}")
    _check_languages(project, changed)
    clashes = homonym_clashes(loaded.termbase, changed)
    if clashes and not homonyms:
        raise HomonymError(clashes)
    changed = changed.with_homonym_marks(clashes)
    path = loaded.file_of(concept_id)
    assert path is not None
    current = _read_file(project, path)
    _write_file(project, path, current.with_concept(changed))
    return changed


@dataclass(frozen=True)
class Homonym:
    """A term that several concepts have in one language, as an import reports it."""

    language: str
    text: str
    concepts: tuple[str, ...]        # every concept of the term base (with the file's) that has it

    def line(self) -> str:
        return f"the {self.language} term {self.text!r} is a term of concepts {', '.join(self.concepts)}"


class ImportHomonymsError(WorkbenchError):
    """A file that brings homonyms nobody decided: refused as a whole (see import_glossary)."""

    def __init__(self, source: Path, homonyms: Sequence[Homonym]) -> None:
        self.source, self.homonyms = source, tuple(homonyms)
        super().__init__(f"{source}: refused, nothing written: {len(self.homonyms)} homonym(s) that no one "
                         f"decided (a term another concept has in the same language; change the file, or "
                         f"pass --homonym if each really names a different concept)")

    def lines(self) -> list[str]:
        return [f"{self.source}: {h.line()}" for h in self.homonyms] + [self.message]


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)
    homonyms: list[Homonym] = field(default_factory=list)   # accepted as deliberate (homonyms=True)


def undecided_homonyms(stored: TermBase, incoming: Sequence[Concept]) -> tuple[list[Homonym], dict[str, list]]:
    """The homonyms that `incoming` (concepts replacing or joining `stored`) brings and no one
    decided, and the marks that record them as deliberate: concept id -> [(language, term, other)].

    A pair of concepts sharing a term is decided when the stored term base had it already (both
    concepts had the term before: edit's rule), or when either side records the other as a
    deliberate homonym (Term.homonym_of, carried by our own exports). The mark goes on the side
    that did not have the term before (the later one in the file when neither had it)."""
    new_ids = [c.id for c in incoming]
    result = {c.id: c for c in stored}
    for c in incoming:
        result[c.id] = c
    order = {cid: i for i, cid in enumerate(result)}
    by_term: dict[tuple[str, str], list[Concept]] = {}
    texts: dict[tuple[str, str], str] = {}
    for cid in new_ids:
        for lang, terms in result[cid].terms.items():
            for t in terms:
                texts.setdefault((lang, t.text.casefold()), t.text)
    for c in result.values():
        for lang, terms in c.terms.items():
            for t in terms:
                key = (lang, t.text.casefold())
                if key in texts:
                    sharing = by_term.setdefault(key, [])
                    if not sharing or sharing[-1] is not c:     # "Bio" and "bio": one concept
                        sharing.append(c)
    incoming_ids = set(new_ids)
    before = {c.id: c for c in stored}
    homonyms: list[Homonym] = []
    marks: dict[str, list] = {}

    def had(concept_id: str, lang: str, text: str) -> bool:
        return concept_id in before and before[concept_id].term_named(lang, text) is not None

    for (lang, _key), text in texts.items():       # in the incoming concepts' order of terms
        sharing = by_term[(lang, _key)]
        undecided = False
        for i, a in enumerate(sharing):
            for b in sharing[i + 1:]:
                if a.id not in incoming_ids and b.id not in incoming_ids:
                    continue
                if (had(a.id, lang, text) and had(b.id, lang, text)) or deliberate_homonym(a, b, lang, text):
                    continue
                undecided = True
                first, second = sorted((a, b), key=lambda c: (had(c.id, lang, text), -order[c.id]))
                marks.setdefault(first.id, []).append((lang, text, second.id))
        if undecided:
            homonyms.append(Homonym(lang, text, tuple(c.id for c in sharing)))
    return homonyms, marks


def import_glossary(wb: Workbench, source: Path, *, homonyms: bool = False) -> ImportResult:
    """Merge a TBX or CSV file into the project's term base: new concepts are added to the
    default file, concepts with a known id replace the stored ones (in their own file), keeping
    their homonym marks.

    Like `add_concept`, a file that brings a term another concept has in the same language (a
    homonym nobody decided, see undecided_homonyms) is refused as a whole, nothing written,
    unless `homonyms` is true: then the homonyms are recorded as deliberate and listed in the
    result."""
    project = wb.project
    _allowed(wb, frozenset(), what=f"import {source.name} into the term base")
    fmt = glossary_format(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"{source}: cannot read: {exc.strerror}") from None
    incoming = list(fmt.read(data, path=str(source)))
    for concept in incoming:
        _check_languages(project, concept)
    loaded = load_termbase(project)
    stored = loaded.termbase
    known = {c.id: c for c in stored}
    incoming = [c.keeping_homonym_marks(known[c.id]) if c.id in known else c for c in incoming]
    found, marks = undecided_homonyms(stored, incoming)
    if found and not homonyms:
        raise ImportHomonymsError(source, found)
    incoming = [c.with_homonym_marks(marks.get(c.id, ())) for c in incoming]
    per_file: dict[Path, TermBase] = {}
    result = ImportResult(homonyms=found)
    target_default = default_file(project, loaded)
    for concept in incoming:
        if concept.id in known:
            if known[concept.id] == concept:
                result.unchanged += 1
                continue
            result.updated += 1
        else:
            result.added += 1
        path = loaded.file_of(concept.id) or target_default
        if path not in per_file:
            per_file[path] = _read_file(project, path) if path.exists() else TermBase()
        per_file[path] = per_file[path].with_concept(concept)
    for path, termbase in per_file.items():
        _write_file(project, path, termbase)
        result.files.append(project.relative(path))
    return result


def export_termbase(wb: Workbench, target: Path) -> int:
    """Write the whole term base to `target` (TBX or CSV by its extension), atomically."""
    project = wb.project
    fmt = glossary_format(target)
    termbase = load_termbase(project).termbase
    data = fmt.write(termbase, title=f"{project.settings.name} term base",
                     source_language=project.settings.source_language)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise WorkbenchError(f"{target}: cannot write: {exc.strerror}") from None
    return len(termbase)


# -- coverage ------------------------------------------------------------------------------

@dataclass
class CoverageRow:
    language: str
    concepts: int              # concepts in the term base
    preferred: int             # with a preferred term in this language
    accepted: int              # with any accepted term (preferred, admitted, do-not-translate)
    units_with_terms: int      # live units whose source uses at least one concept
    units_missing: int         # of which use a concept with no usable term in this language
    missing_concepts: dict[str, int] = field(default_factory=dict)   # concept id -> units

    @property
    def share(self) -> float:
        return self.preferred / self.concepts if self.concepts else 0.0

    def to_dict(self) -> dict:
        return {"language": self.language, "concepts": self.concepts, "preferred": self.preferred,
                "accepted": self.accepted, "units_with_terms": self.units_with_terms,
                "units_missing": self.units_missing, "missing_concepts": self.missing_concepts}


def has_usable_term(concept: Concept, language: str) -> bool:
    """A term a translation can be expected to use (preferred or admitted, not a descriptive phrase)."""
    return any(not t.is_phrase and t.status is not TermStatus.DO_NOT_TRANSLATE
               for t in concept.accepted(language))


def coverage_report(wb: Workbench, *, languages: Sequence[str] | None = None) -> list[CoverageRow]:
    """Per language: how many concepts have a preferred term, and how many units use a concept
    whose term is missing in that language."""
    project, settings = wb.project, wb.settings
    langs = [settings.language(l) for l in languages] if languages else list(settings.languages)
    loaded, matcher = _loaded(project)
    termbase = loaded.termbase
    source_language = settings.source_language
    with wb.store.read() as conn:
        sources = conn.execute(select(U.c.source, U.c.source_plural)
                               .where(U.c.obsolete == false())).all()
    per_unit: list[set[str]] = []
    for source, plural in sources:
        found: dict[str, bool] = {}
        for text in (source, plural):
            for m in matcher.find(text or "", source_language, longest_first=True):
                only_dnt = m.status is TermStatus.DO_NOT_TRANSLATE
                found[m.concept_id] = found.get(m.concept_id, True) and only_dnt
        per_unit.append({cid for cid, dnt_only in found.items() if not dnt_only})
    rows = []
    for lang in langs:
        row = CoverageRow(
            language=lang, concepts=len(termbase),
            preferred=sum(1 for c in termbase if c.preferred(lang)),
            accepted=sum(1 for c in termbase if c.accepted(lang)),
            units_with_terms=sum(1 for s in per_unit if s), units_missing=0)
        if lang != source_language:
            usable = {c.id for c in termbase if has_usable_term(c, lang)}
            for used in per_unit:
                missing = used - usable
                if missing:
                    row.units_missing += 1
                    for cid in missing:
                        row.missing_concepts[cid] = row.missing_concepts.get(cid, 0) + 1
        rows.append(row)
    return rows


# -- what the terminology checks need ----------------------------------------------------------

#: The newest history rows that a quick signature counts: on PostgreSQL a transaction can commit
#: after a later one that took a higher id, and its row still moves the count of this window.
RECENT_CHANGES = 1_000
#: A file sync stamped this close to an index's build (seconds, whole: stamps are) may belong to a
#: transaction that committed after the build had read the database: until then the index is
#: confirmed by its exact signature (see consistency_index).
SYNC_MARGIN = 10


@dataclass
class _CachedIndex:
    quick: tuple              # quick_signature when it was built or last confirmed
    exact: tuple              # exact_signature of the texts it holds
    settled: bool             # the quick signature alone tells (no file sync near its build)
    index: ConsistencyIndex


#: The indexes kept, most recently used last. An index of 90,000 translations takes 60-80 MB: a
#: re-check of every language (or a walk over the dashboard) keeps the last few, not twelve.
INDEXES_KEPT = 2
_index_cache: OrderedDict[tuple[str, str], _CachedIndex] = OrderedDict()
#: One build at a time per (database, language): a second caller waits and takes the first one's index.
_build_locks: dict[tuple[str, str], threading.Lock] = {}

#: What a caller that has read a language's translations already gives to `consistency_index`:
#: their exact signature (see exact_signature) and (resource, key, source forms, translation forms)
#: of every live non-empty translation of the language.
LoadedTexts = tuple[tuple, Iterable[tuple[str, str, tuple[str, ...], tuple[str, ...]]]]


def _live(language: str):
    return and_(T.c.language == language, U.c.obsolete == false(), repo.HAS_TEXT)


def quick_signature(conn: Connection) -> tuple:
    """What moves whenever a text that a consistency index holds may have changed, read from
    indexes only (well under a millisecond at a million translations):

    - the newest history row, and how many of the RECENT_CHANGES ids below it exist: every change
      of a translation's text or state is recorded in the same transaction (edit, review, revert,
      suggestion, import, a changed source making a translation a draft);
    - the newest unit;
    - the file states (how many, the latest sync): a unit's source or obsolete flag changes only
      when an import reads a changed source file, which records the file's hash in the same
      transaction (an export records hashes too, which only costs a rebuild)."""
    newest = select(func.coalesce(func.max(C.c.id), 0)).scalar_subquery()
    recent = (select(func.count()).select_from(C).where(C.c.id > newest - RECENT_CHANGES)).scalar_subquery()
    unit = select(func.coalesce(func.max(U.c.id), 0)).scalar_subquery()
    files = select(func.count()).select_from(F).scalar_subquery()
    synced = select(func.max(F.c.synced_at)).scalar_subquery()
    return tuple(conn.execute(select(newest, recent, unit, files, synced)).one())


def exact_signature(conn: Connection, language: str) -> tuple:
    """The number of live non-empty translations of `language`, the sum of their versions (every
    change of a text raises it), their highest id and their units' highest id: one pass over the
    language's translations (about 80 ms at 90,000), so it is read only when the quick signature
    cannot tell."""
    return tuple(conn.execute(
        select(func.count(T.c.id), func.coalesce(func.sum(T.c.version), 0), func.coalesce(func.max(T.c.id), 0),
               func.coalesce(func.max(U.c.id), 0))
        .select_from(T).join(U, U.c.id == T.c.unit_id).where(_live(language))).one())


def _settled(quick: tuple, started: datetime) -> bool:
    """Whether the latest file sync was stamped well before `started` (the build began reading)."""
    synced = quick[-1]
    if synced is None:
        return True
    if isinstance(synced, str):                 # (a driver that hands back the stored text)
        synced = datetime.fromisoformat(synced)
    if synced.tzinfo is not None:
        synced = synced.astimezone(timezone.utc).replace(tzinfo=None)
    return synced < started - timedelta(seconds=SYNC_MARGIN)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def consistency_index(conn: Connection, language: str, *, loaded: LoadedTexts | None = None) -> ConsistencyIndex:
    """Every non-empty translation of `language` in live units, by source and by text.

    Built once and kept while the quick signature stays the same (showing a unit in the editor
    costs one cheap query). When the quick signature moved (someone saved, reviewed or imported
    something) the exact signature of the language tells whether this language's texts changed;
    the index is built again only then. Right after a file sync the quick signature is not
    trusted alone (see SYNC_MARGIN).

    `loaded`: the same translations as the caller read them (the check service reads them all to
    check a whole language), with their exact signature: the index is built from them, no query."""
    key = (conn.engine.url.render_as_string(hide_password=True), language)
    started = _now()
    quick = quick_signature(conn)
    with _lock:
        hit = _index_cache.get(key)
        if hit is not None:
            _index_cache.move_to_end(key)
    if loaded is not None:
        exact, texts = loaded
        if hit is not None and hit.exact == exact:
            _confirm(key, hit, quick, started)
            return hit.index
        index = ConsistencyIndex.build(language, texts)
        with _lock:
            _keep(key, _CachedIndex(quick, exact, _settled(quick, started), index))
        return index
    if hit is not None and hit.quick == quick and hit.settled:
        return hit.index
    with _lock:
        build_lock = _build_locks.setdefault(key, threading.Lock())
    with build_lock:
        with _lock:
            hit = _index_cache.get(key)          # (another thread may have built it meanwhile)
        if hit is not None and hit.quick == quick and hit.settled:
            return hit.index
        exact = exact_signature(conn, language)
        if hit is not None and hit.exact == exact:
            _confirm(key, hit, quick, started)
            return hit.index
        q = (select(R.c.name, U.c.key, U.c.source, U.c.source_plural, T.c.text, T.c.plurals)
             .join(U, U.c.id == T.c.unit_id).join(R, R.c.id == U.c.resource_id).where(_live(language))
             .order_by(R.c.name, U.c.position, U.c.id))

        def entries() -> Iterable[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
            for name, unit_key, source, plural, text, plurals in repo.tuples(conn, q):
                sources = (source,) if plural is None else (source, plural)
                yield name, unit_key, sources, repo.forms_from_row(text, plurals)

        index = ConsistencyIndex.build(language, entries())
        with _lock:
            _keep(key, _CachedIndex(quick, exact, _settled(quick, started), index))
        return index


def _keep(key: tuple[str, str], cached: _CachedIndex) -> None:
    """Cache `cached` (the caller holds _lock), the least recently used beyond INDEXES_KEPT dropped."""
    _index_cache[key] = cached
    _index_cache.move_to_end(key)
    while len(_index_cache) > INDEXES_KEPT:
        _index_cache.popitem(last=False)


def _confirm(key: tuple[str, str], hit: _CachedIndex, quick: tuple, started: datetime) -> None:
    """The index still holds the language's texts as of `quick`."""
    with _lock:
        if _index_cache.get(key) is hit:
            hit.quick, hit.settled = quick, _settled(quick, started)


def terminology_extras(conn: Connection, project: Project, language: str, *,
                       loaded: LoadedTexts | None = None) -> dict[str, Any]:
    """CheckContext.extras for the terminology check of one language: the term matcher (when the
    project has a term base) and the consistency index of the language's translations (built
    from `loaded` when the caller has read them already, see consistency_index)."""
    extras: dict[str, Any] = {CONSISTENCY: consistency_index(conn, language, loaded=loaded)}
    matcher = matcher_for(project)
    if len(matcher.termbase):
        extras[TERMS] = matcher
    return extras
