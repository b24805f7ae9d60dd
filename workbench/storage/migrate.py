"""Alembic migrations run programmatically: a database is created or upgraded on open.

Every command opens the database, and importing Alembic costs about 0.2 s, so an up-to-date
database is recognised first without it: the heads are read from the version files' text and
compared with the `alembic_version` table. Anything unusual (a file we cannot read that way, no
version table) takes the Alembic path.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision(?:\s*:\s*\w+)?\s*=\s*(.+?)\s*$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(.+?)\s*$", re.MULTILINE)


def declared_heads() -> set[str] | None:
    """The head revisions, read from the version files without importing them (None when unsure)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.findall(source), _DOWN_REVISION.findall(source)
        if len(rev) != 1 or len(down) != 1:
            return None
        try:
            revision, down_revision = ast.literal_eval(rev[0]), ast.literal_eval(down[0])
        except (ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down_revision, str):
            parents.add(down_revision)
        elif isinstance(down_revision, (tuple, list)):
            parents.update(down_revision)
        elif down_revision is not None:
            return None
    return revisions - parents or None


def stored_revisions(engine: Engine) -> set[str] | None:
    """The revisions recorded in the database; None when it has no version table yet."""
    try:   # a read: on SQLite it must not wait for the write lock (see engine._sqlite_begin)
        with engine.connect().execution_options(workbench_read_only=True) as conn:
            return {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:
        return None


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect().execution_options(workbench_read_only=True) as conn:   # (reads only)
        return set(MigrationContext.configure(conn).get_current_heads())


class UnknownRevisionError(Exception):
    """The database records a schema revision that none of our migrations has."""


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade_to_head(engine: Engine) -> None:
    heads = declared_heads()
    if heads is not None and stored_revisions(engine) == heads:
        return
    from alembic import command

    current = current_revisions(engine)
    if current == head_revisions():
        return
    unknown = current - known_revisions()
    if unknown:   # Alembic would fail with a traceback: a newer workbench wrote this database
        raise UnknownRevisionError(f"its schema revision {', '.join(sorted(unknown))} is unknown to this "
                                   "workbench (was it made by a newer version? upgrade the workbench)")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
