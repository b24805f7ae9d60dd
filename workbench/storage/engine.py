"""The database engine: SQLite by default (WAL, busy timeout), PostgreSQL by URL; upgraded on open."""

from __future__ import annotations

import os
import random
import sqlite3
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from workbench.domain.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 15000
#: A batch commits what it has done once its transaction has been open this long (seconds): others'
#: writes wait for the write lock at most about that long, plus one piece of work.
BATCH_COMMIT_EVERY = 0.25


def normalize_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    # Take the write lock at BEGIN so that read-then-write transactions never deadlock;
    # a connection opened with Store.read() only reads and must not wait for writers.
    if conn.get_execution_options().get("workbench_read_only"):
        conn.exec_driver_sql("BEGIN")
        return
    _begin_immediate(conn.connection.dbapi_connection)


#: While another connection writes, a writer asks again for the lock about every millisecond.
#: SQLite's own busy handler asks every 100 ms after the first third of a second, so a writer
#: that has waited that long loses the lock to every writer that comes after it: with eight
#: processes saving at once on a loaded machine, one waited out the whole busy timeout.
_LOCK_POLL_S = 0.001


def _busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY or "locked" in str(exc)


def _begin_immediate(raw) -> None:
    """BEGIN IMMEDIATE, and while another connection writes, again every millisecond or so for
    at most the busy timeout (then a StoreError says so). SQLite's busy handler is
    off meanwhile, and on again for the statements of the transaction."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreError(f"the database is busy: another program has been writing to it for "
                                     f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s; nothing was changed, try again") from None
            time.sleep(_LOCK_POLL_S * (0.5 + random.random()))
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


class Store:
    """One database: an engine, sessions and transactions."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise StoreError(f"not a database URL: {url!r}") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            db = parsed.database
            if db and db != ":memory:":
                path = Path(db)
                if path.exists() and not os.access(path, os.R_OK | os.W_OK):
                    raise StoreError(f"{path}: database is not readable and writable")
                if not path.parent.is_dir():   # (a mistyped --db must not open an empty workbench)
                    what = "is not a folder" if path.parent.exists() else "does not exist"
                    raise StoreError(f"cannot open database {url}: its folder {path.parent} {what}")
            # The default pool (QueuePool for a file) keeps connections open between transactions:
            # with one connection per transaction, each one paid for its pragmas, and closing the
            # last one checkpointed the WAL (two fsyncs; 650 small transactions took 15 s that way).
            # The last checkpoint happens when the store is disposed, at the latest at exit.
            self.engine: Engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # Let us control transactions ourselves (pysqlite's own BEGIN is deferred).
            event.listen(self.engine, "connect", lambda c, r: setattr(c, "isolation_level", None))
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.dialect == "postgresql":
            self.engine = create_engine(self.url, isolation_level="READ COMMITTED", pool_pre_ping=True)
        else:
            raise StoreError(f"unsupported database {self.dialect!r}: use SQLite or PostgreSQL")
        # pooled connections are closed when the store goes, or at exit if it never does
        weakref.finalize(self, self.engine.dispose)
        _STORES.add(self)
        if upgrade:
            self.upgrade()

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def upgrade(self) -> None:
        from workbench.storage.migrate import UnknownRevisionError, upgrade_to_head

        try:
            upgrade_to_head(self.engine)
        except (OperationalError, DBAPIError) as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot open database {self.describe()}: {reason}") from None
        except UnknownRevisionError as exc:
            raise StoreError(f"cannot open database {self.describe()}: {exc}") from None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def batch(self, *, commit_every: float | None = None) -> Iterator["Batch"]:
        """One connection for a series of pieces of work, each all or nothing (see Batch). What the
        finished pieces did is committed when the batch ends, also when it ends with an exception
        (an interrupted import keeps the files it finished, as it did with a transaction per file).
        `commit_every`: seconds, BATCH_COMMIT_EVERY by default."""
        with self.engine.connect() as conn, _savepoints_in_memory(conn):
            batch = Batch(conn, commit_every=BATCH_COMMIT_EVERY if commit_every is None else commit_every)
            try:
                yield batch
            except BaseException:
                batch.commit_after_failure()
                raise
            batch.commit()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading only: on SQLite it never takes the write lock (WAL readers
        see the last committed state and never wait for a writer)."""
        with self.engine.connect().execution_options(workbench_read_only=True) as conn:
            yield conn

    def table_names(self) -> list[str]:
        with self.read() as conn:
            return inspect(conn).get_table_names()

    def is_empty(self) -> bool:
        """True when nothing was ever imported."""
        with self.read() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM resource")).scalar_one() == 0

    def dispose(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        with self.read() as conn:
            conn.execute(text("SELECT 1"))


@contextmanager
def _savepoints_in_memory(conn: Connection) -> Iterator[None]:
    """SQLite keeps what a savepoint may have to undo in a temporary file (the original of each page
    it changes: four bytes and a page per write); in memory while the block runs, then as usual. The
    650 files of a course's subtitles wrote 150 MB that way, 60 MB this way."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection      # (outside SQLAlchemy's transactions: no BEGIN)
    usual = int(raw.execute("PRAGMA temp_store").fetchone()[0])
    raw.execute("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA temp_store={usual}")


class Batch:
    """Pieces of work on one connection, each in a savepoint (a piece that raises leaves nothing
    behind, and the pieces before it stay), committed together every `commit_every` seconds: far
    fewer transactions than pieces, and the write lock never held for long."""

    def __init__(self, conn: Connection, *, commit_every: float) -> None:
        self.conn = conn
        self.commit_every = commit_every
        self.transactions = 0       # how many it began: what a piece read holds while this stays
        self._transaction = None
        self._began = 0.0

    @contextmanager
    def piece(self) -> Iterator[Connection]:
        if self._transaction is None:
            self._transaction = self.conn.begin()
            self.transactions += 1
            self._began = time.monotonic()
            if self.conn.dialect.name == "postgresql":
                # The tables a first import fills have no statistics yet: a prepared statement's
                # generic plan, made while they were nearly empty, then scanned them for every file
                # (10 to 35 s of the 650 subtitle files' 50 s); a plan for each execution sees their size.
                self.conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        with self.conn.begin_nested():
            yield self.conn
        if time.monotonic() - self._began >= self.commit_every:
            self.commit()

    def commit(self) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            transaction.commit()

    def commit_after_failure(self) -> None:
        """Keep the finished pieces when the batch stops on an exception (the failed piece's
        savepoint is rolled back already); if even that fails, the exception in flight is the one
        to report, and the connection's close rolls back."""
        try:
            self.commit()
        except Exception:
            self._transaction = None


#: Every open store, so that a forked child forgets the connections it inherited (they belong to
#: the parent: SQLite's and libpq's connections must not be used, nor closed, on both sides).
_STORES: "weakref.WeakSet[Store]" = weakref.WeakSet()


def _forget_connections_in_child() -> None:
    for store in list(_STORES):
        store.engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_connections_in_child)
