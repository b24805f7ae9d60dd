"""Translation memory: approved translations and TMX entries, looked up by similarity.

Every approved translation is in the memory (read live from the translation table), plus the
entries imported from TMX files (table `tm_entry`). A lookup ranks exact matches of the same key
first, then other exact matches, then fuzzy matches by score (rapidfuzz `ratio` on casefolded,
whitespace-collapsed text). To answer within a keystroke at 100k entries, a lookup scores only a
shortlist: entries that share word stems with the query (rare stems first) and whose length can
reach the minimum score. The index per language pair is built once and rebuilt only when the
history or the TMX table changed (one cheap query per lookup tells).
"""

from __future__ import annotations

import hashlib
import heapq
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process
from sqlalchemy import and_, func, insert, select

from workbench.domain.errors import WorkbenchError
from workbench.domain.languages import normalize_tag, primary
from workbench.domain.states import State
from workbench.formats.tmx import TmxEntry, read_tmx_file, write_tmx
from workbench.services.context import Workbench
from workbench.services.files import write_atomic
from workbench.services.permissions import require_coordinator
from workbench.storage import repository as repo
from workbench.storage.columns import utcnow
from workbench.storage.tables import tm_entry

T, U, R, C = repo.T, repo.U, repo.R, repo.C
TM = tm_entry

APPROVED = "approved"
DEFAULT_MIN_SCORE = 70.0
#: At most this many candidates (by shared stems) are scored with rapidfuzz.
SHORTLIST = 600
#: A stem found in more than this share of the entries says little; it is used only when no rarer one is.
COMMON_SHARE = 0.04
#: At most this many postings are counted per lookup (rarest stems first).
POSTINGS_BUDGET = 12_000
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class MemoryEntry:
    source: str
    target: str
    source_language: str
    language: str
    origin: str                      # "approved" or "tmx:<file>"
    key: str | None = None
    resource: str | None = None
    author: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A memory entry for a query: how close (0-100), exact or not, same key or not."""

    entry: MemoryEntry
    score: float
    exact: bool
    same_key: bool

    @property
    def where(self) -> str:
        e = self.entry
        if e.origin == APPROVED:
            place = (f"{e.resource}:{e.key}" if e.resource and not (e.key or "").startswith(f"{e.resource}/")
                     else e.key or "")       # keys name their resource already: m1/quiz-1/q3, video/12
            return f"approved {place}" + (f" ({e.author})" if e.author else "")
        return e.origin + (f" {e.key}" if e.key else "")

    def to_dict(self) -> dict:
        e = self.entry
        return {"score": round(self.score, 1), "exact": self.exact, "same_key": self.same_key,
                "source": e.source, "target": e.target, "language": e.language, "origin": e.origin,
                "key": e.key, "resource": e.resource, "author": e.author, "where": self.where}


def normalize(text: str) -> str:
    """Casefolded, whitespace collapsed: what similarity is computed on."""
    return " ".join(text.casefold().split())


def stems(normalized: str) -> set[str]:
    """Word stems for the shortlist: the first five letters of each word of three or more."""
    return {w[:5] for w in _WORD.findall(normalized) if len(w) >= 3}


def length_window(length: int, min_score: float) -> tuple[float, float]:
    """The lengths b for which ratio(a, b) can reach `min_score` (ratio <= 200·min(a,b)/(a+b))."""
    s = max(min(min_score, 100.0), 1.0)
    return length * s / (200.0 - s), length * (200.0 - s) / s


class MemoryIndex:
    """Entries of one language pair, indexed for exact lookup and a fuzzy shortlist.

    Kept as parallel columns of strings and arrays of ints, so that the garbage collector has
    almost nothing to walk (100k entry objects would make its full passes take 100+ ms).
    """

    def __init__(self, entries: Sequence[MemoryEntry]) -> None:
        self.columns = {name: [getattr(e, name) for e in entries] for name in _FIELDS}
        self.norm = [normalize(e.source) for e in entries]
        exact: dict[str, tuple[int, ...]] = {}
        postings: dict[str, array] = {}
        for i, e in enumerate(entries):
            stripped = e.source.strip()
            exact[stripped] = exact.get(stripped, ()) + (i,)
            for s in stems(self.norm[i]):
                found = postings.get(s)
                if found is None:
                    postings[s] = found = array("i")
                found.append(i)
        self.exact = exact
        self.postings = postings
        order = sorted(range(len(self.norm)), key=lambda i: len(self.norm[i]))
        self.by_length = array("i", order)
        self.lengths = array("i", (len(self.norm[i]) for i in order))
        self.length_of = array("i", (len(n) for n in self.norm))
        self.common = max(200, int(len(entries) * COMMON_SHARE))

    def __len__(self) -> int:
        return len(self.norm)

    def entry(self, i: int) -> MemoryEntry:
        return MemoryEntry(**{name: column[i] for name, column in self.columns.items()})

    def candidates(self, query: str, min_score: float) -> list[int]:
        lo, hi = length_window(len(query), min_score)
        query_stems = stems(query)
        lists = sorted((self.postings[s] for s in query_stems if s in self.postings), key=len)
        if not lists:
            # no usable word: every entry whose length can reach the score
            a, b = bisect_left(self.lengths, lo), bisect_right(self.lengths, hi)
            return list(self.by_length[a:b][: SHORTLIST * 4])
        rare = [p for p in lists if len(p) <= self.common] or lists[:2]
        counts: Counter[int] = Counter()
        budget = POSTINGS_BUDGET
        for k, p in enumerate(rare):
            if k >= 2 and len(p) > budget:
                break               # the rarest stems already found the candidates that matter
            counts.update(p)
            budget -= len(p)
        length = self.length_of
        ranked = heapq.nlargest(SHORTLIST, ((n, i) for i, n in counts.items() if lo <= length[i] <= hi))
        return [i for _, i in ranked]

    def lookup(self, text: str, *, key: str | None = None, limit: int = 5,
               min_score: float = DEFAULT_MIN_SCORE, exclude: tuple[str, str] | None = None) -> list[Match]:
        """The best matches, best first; `exclude` = (resource, key) leaves out that unit's own
        approved translation (the editor's unit is not a suggestion for itself)."""
        if not text.strip():
            return []
        query = normalize(text)
        exact_ids = set(self.exact.get(text.strip(), ()))
        ids = self.candidates(query, min_score)
        norm = self.norm
        choices = [norm[i] for i in ids]
        scored: dict[int, float] = {}
        if choices:
            for _choice, score, k in process.extract(query, choices, scorer=fuzz.ratio, processor=None,
                                                     score_cutoff=min_score, limit=max(limit * 4, 20)):
                scored[ids[k]] = float(score)
        for i in exact_ids:
            scored[i] = 100.0
        matches = []
        keys = self.columns["key"]
        if exclude is not None:
            for i in self._own(scored, exclude):
                del scored[i]
        for i, score in scored.items():
            exact = i in exact_ids
            if not exact and score >= 100.0:
                score = 99.0          # same words, different case or spacing
            matches.append((i, Match(self.entry(i), score, exact, bool(key) and keys[i] == key)))
        matches = [m for _, m in sorted(matches, key=lambda im: (_rank(im[1]), im[0]))]
        seen: set[tuple[str, str]] = set()
        out = []
        for m in matches:
            pair = (m.entry.source, m.entry.target)
            if pair in seen:
                continue
            seen.add(pair)
            out.append(m)
            if len(out) >= limit:
                break
        return out

    def _own(self, ids: Iterable[int], unit: tuple[str, str]) -> list[int]:
        """The entries among `ids` that are the approved translation of `unit` (resource, key)."""
        resource, key = unit
        c = self.columns
        return [i for i in ids if c["key"][i] == key and c["resource"][i] == resource and c["origin"][i] == APPROVED]


_FIELDS = tuple(MemoryEntry.__dataclass_fields__)


def _rank(m: Match):
    stamp = m.entry.updated_at.timestamp() if m.entry.updated_at else 0.0
    return (not (m.exact and m.same_key), not m.exact, -m.score, not m.same_key,
            m.entry.origin != APPROVED, -stamp)


# -- reading the memory from the database -----------------------------------------------

def _language_variants(language: str) -> list[str]:
    return sorted({language, primary(language)})


def approved_entries(conn, *, source_language: str, language: str) -> list[MemoryEntry]:
    q = (select(U.c.source, U.c.key, R.c.name, T.c.text, T.c.author, T.c.updated_at)
         .join(U, U.c.id == T.c.unit_id).join(R, R.c.id == U.c.resource_id)
         .where(and_(T.c.language == language, T.c.state == State.APPROVED.value, T.c.text != "")))
    return [MemoryEntry(source=r.source, target=r.text, source_language=source_language, language=language,
                        origin=APPROVED, key=r.key, resource=r.name, author=r.author, updated_at=r.updated_at)
            for r in conn.execute(q)]


def tmx_entries(conn, *, source_language: str | None = None, language: str | None = None) -> list[MemoryEntry]:
    q = select(TM.c.source, TM.c.target, TM.c.source_language, TM.c.target_language, TM.c.origin,
               TM.c.key, TM.c.author, TM.c.created_at)
    if language is not None:
        q = q.where(TM.c.target_language.in_(_language_variants(language)))
    if source_language is not None:
        q = q.where(TM.c.source_language.in_(_language_variants(source_language)))
    return [MemoryEntry(source=r.source, target=r.target, source_language=r.source_language,
                        language=r.target_language, origin=r.origin, key=r.key, author=r.author,
                        updated_at=r.created_at)
            for r in conn.execute(q.order_by(TM.c.id))]


def _signature(conn) -> tuple:
    """What changes when the memory changes: the newest history row and the newest TMX entry
    (both primary keys, so this costs two index lookups; TMX entries are never deleted)."""
    return (conn.execute(select(func.max(C.c.id))).scalar(), conn.execute(select(func.max(TM.c.id))).scalar())


_CACHE: dict[tuple[str, str, str], tuple[tuple, MemoryIndex]] = {}
_CACHE_LOCK = threading.Lock()


def memory_index(wb: Workbench, language: str) -> MemoryIndex:
    """The index of one target language, rebuilt only when something changed since last time."""
    language = wb.settings.target(language)
    source = wb.settings.source_language
    with wb.store.read() as conn:
        signature = _signature(conn)
        cache_key = (wb.store.url, source, language)
        with _CACHE_LOCK:
            cached = _CACHE.get(cache_key)
        if cached and cached[0] == signature:
            return cached[1]
        entries = approved_entries(conn, source_language=source, language=language)
        entries += tmx_entries(conn, source_language=source, language=language)
    index = MemoryIndex(entries)
    with _CACHE_LOCK:
        _CACHE[cache_key] = (signature, index)
    return index


def lookup(wb: Workbench, text: str, *, language: str, key: str | None = None, limit: int = 5,
           min_score: float = DEFAULT_MIN_SCORE, exclude: tuple[str, str] | None = None) -> list[Match]:
    """The best memory matches for `text` in `language`, best first; `exclude` = (resource, key)
    leaves out that unit's own translation."""
    return memory_index(wb, language).lookup(text, key=key, limit=limit, min_score=min_score, exclude=exclude)


# -- TMX import and export ---------------------------------------------------------------

def entry_digest(*, source_language: str, target_language: str, source: str, target: str) -> str:
    data = "\x1f".join((source_language, target_language, source, target))
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class TmxImportReport:
    path: str
    read: int = 0
    added: int = 0
    duplicates: int = 0                    # already in the memory
    other_languages: dict[str, int] = field(default_factory=dict)   # pairs this project does not use


def _project_language(wb: Workbench, tag: str) -> str | None:
    tag = normalize_tag(tag)
    if tag in wb.settings.languages:
        return tag
    if primary(tag) in wb.settings.languages:
        return primary(tag)
    return None


def import_tmx(wb: Workbench, path: Path) -> TmxImportReport:
    """Add a TMX file's entries to the memory; a malformed file adds nothing."""
    shown = wb.project.relative(path) if path.is_absolute() else str(path)
    entries = read_tmx_file(path, display_path=shown, default_source=wb.settings.source_language)
    report = TmxImportReport(shown, read=len(entries))
    origin = f"tmx:{path.name}"
    rows: dict[str, dict] = {}
    mapped: dict[str, str | None] = {}

    def project_language(tag: str) -> str | None:
        if tag not in mapped:
            mapped[tag] = _project_language(wb, tag)
        return mapped[tag]

    for e in entries:
        src, tgt = project_language(e.source_language), project_language(e.target_language)
        if src != wb.settings.source_language or tgt not in wb.settings.target_languages:
            pair = f"{e.source_language}>{e.target_language}"
            report.other_languages[pair] = report.other_languages.get(pair, 0) + 1
            continue
        digest = entry_digest(source_language=src, target_language=tgt, source=e.source, target=e.target)
        if digest in rows:
            report.duplicates += 1
            continue
        rows[digest] = dict(source_language=src, target_language=tgt, source=e.source, target=e.target,
                            key=e.key, origin=e.origin if e.origin and e.origin != APPROVED else origin,
                            author=e.author, created_at=e.created_at or utcnow(), digest=digest)
    with wb.store.transaction() as conn:
        require_coordinator(conn, wb.user, what="import a translation memory")
        existing = _existing_digests(conn, list(rows))
        pairs = {(r["source_language"], r["target_language"]) for r in rows.values()}
        existing |= _approved_digests(conn, wb=wb, pairs=pairs)
        new = [r for d, r in rows.items() if d not in existing]
        report.duplicates += len(rows) - len(new)
        for start in range(0, len(new), 5000):
            conn.execute(insert(TM), new[start:start + 5000])
        report.added = len(new)
    return report


def _existing_digests(conn, digests: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(digests), 500):
        chunk = digests[start:start + 500]
        found.update(conn.execute(select(TM.c.digest).where(TM.c.digest.in_(chunk))).scalars())
    return found


def _approved_digests(conn, *, wb: Workbench, pairs: set[tuple[str, str]]) -> set[str]:
    out: set[str] = set()
    for src, tgt in pairs:
        if src != wb.settings.source_language or tgt not in wb.settings.target_languages:
            continue
        for e in approved_entries(conn, source_language=src, language=tgt):
            out.add(entry_digest(source_language=src, target_language=tgt, source=e.source, target=e.target))
    return out


def memory_entries(wb: Workbench, *, languages: Iterable[str] | None = None) -> list[MemoryEntry]:
    """Everything in the memory (approved translations first), without duplicates."""
    wanted = [wb.settings.target(l) for l in languages] if languages else list(wb.settings.target_languages)
    source = wb.settings.source_language
    out: list[MemoryEntry] = []
    seen: set[str] = set()
    with wb.store.read() as conn:
        for language in wanted:
            for e in approved_entries(conn, source_language=source, language=language):
                d = entry_digest(source_language=e.source_language, target_language=e.language, source=e.source,
                                 target=e.target)
                if d not in seen:
                    seen.add(d)
                    out.append(e)
        for e in tmx_entries(conn):
            if languages and e.language not in wanted:
                continue
            d = entry_digest(source_language=e.source_language, target_language=e.language, source=e.source,
                                 target=e.target)
            if d not in seen:
                seen.add(d)
                out.append(e)
    return out


def export_tmx(wb: Workbench, path: Path, *, languages: Iterable[str] | None = None) -> int:
    """Write the memory (approved translations and TMX entries) to a TMX 1.4 file, atomically."""
    entries = memory_entries(wb, languages=languages)
    data = write_tmx((TmxEntry(source_language=e.source_language, target_language=e.language,
                               source=e.source, target=e.target, key=e.key, origin=e.origin,
                               author=e.author, created_at=e.updated_at) for e in entries),
                     source_language=wb.settings.source_language)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot write: {exc.strerror}") from None
    return len(entries)
