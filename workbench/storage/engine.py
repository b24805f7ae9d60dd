"""The database engine: SQLite by default (WAL, busy timeout), PostgreSQL by URL; upgraded on open."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from workbench.domain.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 15000


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
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
                path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                poolclass=NullPool if db and db != ":memory:" else None,
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # Let us control transactions ourselves (pysqlite's own BEGIN is deferred).
            event.listen(self.engine, "connect", lambda c, r: setattr(c, "isolation_level", None))
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.dialect == "postgresql":
            self.engine = create_engine(self.url, isolation_level="READ COMMITTED", pool_pre_ping=True)
        else:
            raise StoreError(f"unsupported database {self.dialect!r}: use SQLite or PostgreSQL")
        if upgrade:
            self.upgrade()

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def upgrade(self) -> None:
        from workbench.storage.migrate import upgrade_to_head

        try:
            upgrade_to_head(self.engine)
        except (OperationalError, DBAPIError) as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot open database {self.describe()}: {reason}") from None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading only: on SQLite it never takes the write lock (WAL readers
        see the last committed state and never wait for a writer)."""
        with self.engine.connect().execution_options(workbench_read_only=True) as conn:
            yield conn

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def is_empty(self) -> bool:
        """True when nothing was ever imported."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM resource")).scalar_one() == 0

    def dispose(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
