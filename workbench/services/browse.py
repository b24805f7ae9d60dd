"""The editor's view of the units: filtered, in course order, paged by keyset (instant at 1M rows)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, false, func, or_, select, tuple_, union_all

from workbench.domain.query import Filter
from workbench.services.context import Workbench
from workbench.storage import repository as repo
from workbench.storage import text_search, trigram_indexes
from workbench.storage.tables import check_result

T, U, R, C = repo.T, repo.U, repo.R, repo.C


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the editor's list."""

    translation_id: int | None        # None while the language has no row for this unit (untranslated)
    unit_id: int
    key: str
    resource: str
    module: str
    kind: str
    state: str
    source: str
    target: str
    version: int
    cursor: tuple[str, int, int]      # (module, resource id, position): the keyset position


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column, needle: str, dialect: str):
    if dialect == "sqlite":
        # SQLite's LIKE ignores ASCII case already (and lower() knows only ASCII): ILIKE's lower()
        # on both sides would only copy every text it reads; the case of the letters beyond ASCII
        # is spelled out (`%équipe%` or `%Équipe%`), as the trigram index and ILIKE fold it
        return or_(*(column.like(f"%{_escape_like(variant)}%", escape="\\") for variant in case_variants(needle)))
    return column.ilike(f"%{_escape_like(needle)}%", escape="\\")


#: At most this many spellings of a needle are scanned for (four letters beyond ASCII in it).
MAX_CASE_VARIANTS = 16


def case_variants(needle: str) -> list[str]:
    """The needle with each letter beyond ASCII in lower and in upper case (SQLite's LIKE folds
    ASCII only): 'Équipe' -> ['équipe', 'Équipe']. Past MAX_CASE_VARIANTS spellings, the needle
    all in lower case and all in upper case as well as it is."""
    choices: list[tuple[str, ...]] = []
    for char in needle:
        lower, upper = char.lower(), char.upper()
        if char.isascii() or lower == upper or len(lower) != 1 or len(upper) != 1:
            choices.append((char,))
        else:
            choices.append((lower, upper))
    variants = [""]
    for options in choices:
        variants = [v + o for v in variants for o in options]
        if len(variants) > MAX_CASE_VARIANTS:
            return list(dict.fromkeys((needle, needle.lower(), needle.upper())))
    return variants


STATE = func.coalesce(T.c.state, "untranslated")

#: Text searches go through the trigram index (storage/text_search.py) while it lacks at most
#: this many rows; past that (right after a big import, until the editor's worker has caught up)
#: they scan as before.
MAX_BACKLOG = 20_000
#: A needle the index finds in fewer units than this (source or the language's translation) is
#: looked up there when the list's page is read (at most ~20 ms); a commoner one is scanned in
#: course order, which finds a page of matches within a few thousand units.
RARE = 5_000


@dataclass(frozen=True, slots=True)
class Search:
    """How a query's text needles are looked for: in the index (`indexed`; on SQLite `fts` is the
    table of the language's translations, if the index has one; on PostgreSQL pg_trgm's indexes),
    or by scanning."""

    dialect: str
    indexed: frozenset[str] = frozenset()
    fts: str | None = None
    complete: bool = False              # the index holds every row: no scan of the rest


def _search(conn, language: str, f: Filter, *, whole: bool) -> Search:
    """The needles worth the index: all it can look up when every row is read anyway (`whole`:
    counts), else the rare ones (a page of common matches is found sooner by scanning)."""
    dialect = conn.dialect.name
    needles = [n for n in dict.fromkeys((*f.text, *f.source_text, *f.target_text)) if text_search.usable(n)]
    if dialect == "postgresql":
        needles = [n for n in needles if trigram_indexes.useful(n)]
        if not needles or not trigram_indexes.available(conn):
            return Search(dialect)
        if not whole:
            needles = [n for n in needles if _trigram_count(conn, language, n, limit=RARE) < RARE]
        return Search(dialect, frozenset(needles))
    if not needles or not text_search.available(conn):
        return Search(dialect)
    backlog = text_search.backlog(conn)
    if backlog > MAX_BACKLOG:
        return Search(dialect)
    fts = text_search.language_table(conn, language)
    if not whole:
        needles = [n for n in needles if text_search.count_matches(conn, n, fts=fts, limit=RARE) < RARE]
    return Search(dialect, frozenset(needles), fts, complete=backlog == 0)


def _text_clause(language: str, needle: str, search: Search, *, source: bool, target: bool):
    """Units whose source and/or translation in `language` contains `needle`."""
    if needle in search.indexed and search.dialect == "postgresql":
        return U.c.id.in_(_trigram_matches(language, needle, source=source, target=target))
    if needle in search.indexed:
        def like(column):
            return _contains(column, needle, search.dialect)

        parts = []
        if source:
            parts += text_search.source_matches(needle, like, complete=search.complete)
        if target:
            parts += text_search.target_matches(needle, language, like, fts=search.fts, complete=search.complete)
        if not parts:
            return false()
        return U.c.id.in_(parts[0] if len(parts) == 1 else union_all(*parts))
    columns = ((U.c.source, U.c.source_plural) if source else ()) + ((T.c.text, T.c.plurals) if target else ())
    return or_(*(_contains(c, needle, search.dialect) for c in columns))


def _trigram_matches(language: str, needle: str, *, source: bool, target: bool):
    """The ids of the units whose source and/or translation in `language` contains `needle`, each
    table looked up alone (PostgreSQL: a bitmap scan of its trigram indexes; the ORed ILIKEs of
    the scan read two tables at once, which no index answers)."""
    def like(column):
        return _contains(column, needle, "postgresql")

    parts = []   # (not correlated: each reads its table on its own)
    if source:
        parts.append(select(U.c.id).where(or_(like(U.c.source), like(U.c.source_plural))).correlate(None))
    if target:
        parts.append(select(T.c.unit_id).where(T.c.language == language, or_(like(T.c.text), like(T.c.plurals)))
                     .correlate(None))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _trigram_count(conn, language: str, needle: str, *, limit: int) -> int:
    """In how many units' source or translation in `language` PostgreSQL's trigram indexes find
    `needle`, counted up to `limit` (whether a needle is rare enough for them to be the faster way)."""
    found = _trigram_matches(language, needle, source=True, target=True).limit(limit).subquery()
    return conn.execute(select(func.count()).select_from(found)).scalar_one()


def _where(language: str, f: Filter, check_table, search: Search) -> list:
    clauses = [U.c.obsolete == False]  # noqa: E712
    if f.states:
        clauses.append(STATE.in_(f.states))
    if f.modules:
        clauses.append(U.c.module.in_(f.modules))
    if f.kinds:
        clauses.append(U.c.kind.in_(f.kinds))
    if f.resources:
        clauses.append(R.c.name.in_(f.resources))
    if f.key_prefix:
        clauses.append(U.c.key.like(f"{_escape_like(f.key_prefix)}%", escape="\\"))
    for needle in f.text:
        clauses.append(_text_clause(language, needle, search, source=True, target=True))
    for needle in f.source_text:
        clauses.append(_text_clause(language, needle, search, source=True, target=False))
    for needle in f.target_text:
        clauses.append(_text_clause(language, needle, search, source=False, target=True))
    if f.commented:
        clauses.append(and_(T.c.comment.is_not(None), T.c.comment != ""))
    if f.stale:
        clauses.append(T.c.previous_source.is_not(None))
    if f.checks:
        clauses.append(exists().where(and_(check_table.c.translation_id == T.c.id,
                                           check_table.c.check_id.in_(f.checks))))
    return clauses


ORDER = (U.c.module, U.c.resource_id, U.c.position)


def _from(language: str):
    """Units of the project with their translation in `language`, if it has one."""
    return U.join(R, R.c.id == U.c.resource_id).outerjoin(
        T, and_(T.c.unit_id == U.c.id, T.c.language == language))


def _columns(language: str) -> Select:
    return (select(T.c.id, U.c.key, R.c.name, U.c.module, U.c.kind, STATE, U.c.source,
                   func.coalesce(T.c.text, ""), func.coalesce(T.c.version, 0), U.c.resource_id, U.c.position,
                   U.c.id)
            .select_from(_from(language)))


def _row(r) -> Row:
    return Row(translation_id=r[0], unit_id=r[11], key=r[1], resource=r[2], module=r[3], kind=r[4], state=r[5],
               source=r[6], target=r[7], version=r[8], cursor=(r[3], r[9], r[10]))


def _fresh(wb: Workbench, language: str, f: Filter, recheck: bool) -> None:
    """A `check:` filter reads stored check results: stale ones are refreshed first
    (services/checks.py, "Stale results"), unless the caller re-checks them elsewhere (a screen,
    in a worker) and reads them as stored meanwhile."""
    if f.checks and recheck:
        from workbench.services.checks import ensure_checked

        ensure_checked(wb, languages=[language])


def page(wb: Workbench, *, language: str, filter: Filter, after: tuple | None = None,
         before: tuple | None = None, limit: int = 100, recheck: bool = True) -> list[Row]:
    """Up to `limit` rows after (or before) a keyset cursor, in course order."""
    _fresh(wb, language, filter, recheck)
    with wb.store.read() as conn:
        search = _search(conn, language, filter, whole=False)
        where = _where(language, filter, check_result, search)
        order = ORDER
        if after is not None:
            where.append(tuple_(*ORDER) > tuple_(*after))
        elif before is not None:
            where.append(tuple_(*ORDER) < tuple_(*before))
            order = tuple(c.desc() for c in ORDER)
        if search.indexed and search.dialect == "sqlite":
            # the index gives the matching units in no order: the page's ids are picked by sorting
            # narrow rows, and only those units are read in full (2.5 ms instead of 5-8 for équipe)
            ids = select(U.c.id).select_from(_from(language)).where(*where).order_by(*order).limit(limit)
            q = _columns(language).where(U.c.id.in_(ids)).order_by(*order)
        else:
            q = _columns(language).where(*where).order_by(*order).limit(limit)
        rows = [_row(r) for r in conn.execute(q)]
    return rows[::-1] if before is not None else rows


def count(wb: Workbench, *, language: str, filter: Filter, recheck: bool = True) -> int:
    _fresh(wb, language, filter, recheck)
    with wb.store.read() as conn:
        where = _where(language, filter, check_result, _search(conn, language, filter, whole=True))
        return conn.execute(select(func.count()).select_from(_from(language)).where(*where)).scalar_one()


def position_of(wb: Workbench, *, language: str, filter: Filter, cursor: tuple, recheck: bool = True) -> int:
    """How many rows come before `cursor` (for the scrollbar)."""
    _fresh(wb, language, filter, recheck)
    with wb.store.read() as conn:
        where = _where(language, filter, check_result, _search(conn, language, filter, whole=True))
        q = select(func.count()).select_from(_from(language)).where(*where, tuple_(*ORDER) < tuple_(*cursor))
        return conn.execute(q).scalar_one()


#: What index_text searches for to have the statements of a text search compiled (found nowhere).
_NOWHERE = "\u2042\u2042\u2042"


def index_text(wb: Workbench, *, language: str | None = None, stop=None) -> int:
    """Bring the text search's index up to date (SQLite; a worker's job: after a big import it
    takes a while, in short transactions); returns the number of rows looked at. With `language`,
    a search for nothing follows, so that the first search the editor makes in that language does
    not wait for SQLAlchemy to compile its statements (10-15 ms)."""
    done = text_search.catch_up(wb.store, stop=stop)
    if language is not None and (stop is None or not stop()):
        with wb.store.read() as conn:
            ready = text_search.available(conn) and not text_search.backlog(conn)
        if ready:
            nowhere = Filter(text=(_NOWHERE,))
            page(wb, language=language, filter=nowhere)
            count(wb, language=language, filter=nowhere)
    return done
