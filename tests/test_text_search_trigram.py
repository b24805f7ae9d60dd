"""The text search on PostgreSQL with pg_trgm's indexes (migration 0008): made where the server lets
the database have pg_trgm, gone after a downgrade, usable by the search's query; and searches find
the same units with and without an index, on SQLite and PostgreSQL (accents, case, LIKE's wildcards
and backslash in the needle)."""

import shutil
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from tests.conftest import PG_ADMIN_DSN, postgres_available
from workbench.domain.query import Filter
from workbench.services import browse
from workbench.services.context import Workbench
from workbench.services.importing import import_project
from workbench.storage import trigram_indexes
from workbench.storage.engine import Store
from workbench.storage.migrate import alembic_config

MINI = Path(__file__).parent / "fixtures" / "mini"

#: Entries added to the mini course: (key, source, plural source or None, German forms).
ENTRIES = (
    ("m1/x/team", "Une ÉQUIPE solidaire", None, ["Ein solidarisches Team"]),
    ("m1/x/crew", "L'équipe du chantier", None, ["Die Mannschaft der Baustelle"]),
    ("m1/x/percent", "Réduire de 50% le délai", None, ["Die Frist um 50% KÜRZEN"]),
    ("m1/x/percent-word", "Réduire de 50 pour cent", None, ["Um 50 Prozent kürzen"]),
    ("m1/x/underscore", "Le fichier mon_plan.txt", None, ["Die Datei mon_plan.txt"]),
    ("m1/x/space", "Mon plan d'action", None, ["Mein Aktionsplan"]),
    ("m1/x/backslash", "Le dossier C:\\cours\\m1", None, ["Der Ordner C:\\kurs\\m1"]),
    ("m1/x/dots", "Attendez...", None, ["Warten Sie..."]),
    ("m1/x/staff", "%(n)d salarié", "%(n)d SALARIÉS", ["%(n)d Beschäftigter", "%(n)d Beschäftigte"]),
)

#: (where, needle) -> the keys found, in course order. The needles are given to the service as
#: they are (the editor's filter line reads backslashes as escapes, as a shell does).
CASES = {
    ("text", "équipe"): ["m1/x/team", "m1/x/crew"],
    ("text", "ÉQUIPE"): ["m1/x/team", "m1/x/crew"],
    ("text", "Équipe"): ["m1/x/team", "m1/x/crew"],
    ("text", "equipe"): [],
    ("source", "équipe"): ["m1/x/team", "m1/x/crew"],
    ("target", "équipe"): [],
    ("text", "kürzen"): ["m1/x/percent", "m1/x/percent-word"],
    ("target", "KÜRZEN"): ["m1/x/percent", "m1/x/percent-word"],
    ("source", "KÜRZEN"): [],
    ("text", "50%"): ["m1/x/percent"],
    ("text", "0% l"): ["m1/x/percent"],
    ("text", "%"): ["m1/quiz-1/result", "m1/x/percent", "m1/x/staff"],
    ("text", "%(n)"): ["m1/x/staff"],
    ("text", "%%%"): [],
    ("text", "mon_plan"): ["m1/x/underscore"],
    ("text", "n_p"): ["m1/x/underscore"],
    ("text", "_"): ["m1/x/underscore"],
    ("text", "mon plan"): ["m1/x/space"],
    ("text", "\\cours"): ["m1/x/backslash"],
    ("text", "s\\m"): ["m1/x/backslash"],
    ("target", "C:\\"): ["m1/x/backslash"],
    ("text", "\\"): ["m1/x/backslash"],
    ("text", "\\\\"): [],
    ("text", "\\%"): [],
    ("text", "..."): ["m1/x/dots"],
    ("text", "salariés"): ["m1/x/staff"],
    ("target", "BESCHÄFTIGTE"): ["m1/x/staff"],
    ("text", "conversation"): ["m1/lesson-1/p1"],
    ("text", "SMALLTALK"): ["m1/lesson-1/title", "m1/lesson-1/p1", "m1/quiz-1/q1"],
    ("text", "Wo"): ["m1/quiz-1/q1"],
    ("text", "xyzzy"): [],
}


def _po(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mini_with_entries(target: Path, *, filler: int = 0) -> Path:
    """The mini course with ENTRIES (and `filler` more, all alike) added to its template and
    German catalog."""
    shutil.copytree(MINI, target)
    pot = target / "locales" / "m1.pot"
    po = target / "locales" / "de" / "LC_MESSAGES" / "m1.po"
    pot_text, po_text = [pot.read_text(encoding="utf-8")], [po.read_text(encoding="utf-8")]
    more = [(f"m1/filler/{i}", f"Une phrase de plus, la {i}e", None, [f"Noch ein Satz, der {i}."])
            for i in range(filler)]
    for key, source, plural, forms in [*ENTRIES, *more]:
        head = f"\nmsgctxt {_po(key)}\nmsgid {_po(source)}\n"
        if plural is None:
            pot_text.append(head + 'msgstr ""\n')
            po_text.append(head + f"msgstr {_po(forms[0])}\n")
        else:
            head += f"msgid_plural {_po(plural)}\n"
            pot_text.append(head + 'msgstr[0] ""\nmsgstr[1] ""\n')
            po_text.append(head + "".join(f"msgstr[{i}] {_po(f)}\n" for i, f in enumerate(forms)))
    pot.write_text("".join(pot_text), encoding="utf-8")
    po.write_text("".join(po_text), encoding="utf-8")
    return target


@contextmanager
def _database():
    """A PostgreSQL database of its own, dropped afterwards (not a schema of `test`: a database has
    pg_trgm once, in one schema, and a test schema that holds it takes it along when dropped)."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"wb_trgm_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_database():
    with _database() as name:
        yield name


def _pg_url(name: str, user: str = "postgres") -> str:
    return f"postgresql+psycopg://{user}@127.0.0.1:5432/{name}"


def _need_pg_trgm() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN) as conn:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone() is None:
            pytest.skip("this PostgreSQL server has no pg_trgm (its contrib package is not installed): "
                        "migration 0008 leaves the text search scanning there")


def _present(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return trigram_indexes.present(conn)
    finally:
        engine.dispose()


def _migrate(url: str, command: str, revision: str) -> None:
    from alembic import command as commands

    engine = create_engine(url)
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(commands, command)(cfg, revision)
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=[
    ("sqlite", "indexed"), ("sqlite", "scanned"),
    pytest.param(("postgres", "indexed"), marks=pytest.mark.postgres),
    pytest.param(("postgres", "scanned"), marks=pytest.mark.postgres),
], ids="-".join)
def course(request, tmp_path_factory):
    """The mini course with ENTRIES (searches change nothing: one per module), searched through the
    database's index (SQLite: its trigram index caught up; PostgreSQL: pg_trgm's indexes) or
    scanning (SQLite: right after the import; PostgreSQL: migrated down to 0007, as before pg_trgm's
    indexes or where the server has none)."""
    database, how = request.param
    root = _mini_with_entries(tmp_path_factory.mktemp("trigram") / "mini")
    with ExitStack() as stack:
        if database == "sqlite":
            url = f"sqlite:///{root / 'wb.db'}"
        else:
            if how == "indexed":
                _need_pg_trgm()
            url = _pg_url(stack.enter_context(_database()))
        wb = Workbench.open(root, db=url, user="coordinator")
        stack.callback(lambda: wb.close())
        report = import_project(wb)
        assert not report.errors, [f.error for f in report.errors]
        if database == "postgres":
            if how == "scanned":
                wb.close()
                _migrate(url, "downgrade", "0007")
                wb = Workbench(project=wb.project, store=Store(url, upgrade=False), user="coordinator")
            with wb.store.read() as conn:
                assert trigram_indexes.available(conn) is (how == "indexed")
        elif how == "indexed":
            browse.index_text(wb, language="de")
        yield wb


def keys(wb, f: Filter) -> list[str]:
    found = [r.key for r in browse.page(wb, language="de", filter=f)]
    assert browse.count(wb, language="de", filter=f) == len(found)
    return found


@pytest.mark.parametrize("where, needle", CASES, ids=[f"{w}:{n}" for w, n in CASES])
def test_searches_find_the_same_with_and_without_an_index(course, where, needle):
    f = Filter(**{{"text": "text", "source": "source_text", "target": "target_text"}[where]: (needle,)})
    assert keys(course, f) == CASES[where, needle]


@pytest.mark.postgres
def test_the_migration_makes_the_indexes_and_downgrade_drops_them(pg_database, tmp_path):
    _need_pg_trgm()
    url = _pg_url(pg_database)
    wb = Workbench.open(_mini_with_entries(tmp_path / "mini"), db=url, user="coordinator")
    wb.close()
    assert _present(url) == [name for name, _, _ in trigram_indexes.INDEXES]
    _migrate(url, "downgrade", "0007")
    assert _present(url) == []
    _migrate(url, "upgrade", "head")
    assert _present(url) == [name for name, _, _ in trigram_indexes.INDEXES]


def test_on_sqlite_the_migration_does_nothing_both_ways(tmp_path):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    Workbench.open(_mini_with_entries(tmp_path / "mini"), db=url).close()
    _migrate(url, "downgrade", "0007")
    _migrate(url, "upgrade", "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name LIKE '%trgm%'")).scalar_one() == 0
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0008"
    engine.dispose()


@pytest.mark.postgres
def test_the_search_can_use_the_indexes(pg_database, tmp_path):
    """The expressions the search's query tests are those the indexes hold, so PostgreSQL looks
    them up there (a course of a couple of thousand units, its statistics fresh; the plan is the
    planner's choice, so sequential scans are ruled out too)."""
    _need_pg_trgm()
    import psycopg

    url = _pg_url(pg_database)
    wb = Workbench.open(_mini_with_entries(tmp_path / "mini", filler=2000), db=url, user="coordinator")
    try:
        import_project(wb)
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={pg_database}", autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE unit, translation")     # (as autovacuum would, after an import)
        statements = []
        event.listen(wb.store.engine, "before_cursor_execute",
                     lambda conn, cursor, statement, params, context, many: statements.append((statement, params)))
        assert browse.count(wb, language="de", filter=Filter(text=("équipe",))) == 2
        statement, params = statements[-1]
        with wb.store.engine.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    finally:
        wb.close()
    for name, _, _ in trigram_indexes.INDEXES:
        assert f"Bitmap Index Scan on {name}" in plan, plan


@pytest.mark.postgres
def test_without_pg_trgm_for_its_user_the_migration_makes_nothing_and_searches_scan(tmp_path):
    """A user who may not create the extension (no CREATE privilege on the database): the migration
    still reaches its revision, quietly, and searches scan."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    suffix = uuid.uuid4().hex[:10]
    name, role = f"wb_trgm_{suffix}", f"wb_trgm_user_{suffix}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}", autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA course AUTHORIZATION "{role}"')
        url = _pg_url(name, role) + "?options=-csearch_path%3Dcourse"
        wb = Workbench.open(_mini_with_entries(tmp_path / "mini"), db=url, user="coordinator")
        try:
            import_project(wb)
            with wb.store.read() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0008"
                assert conn.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")).scalar_one() == 0
                assert trigram_indexes.present(conn) == []
                assert not trigram_indexes.available(conn)
            assert keys(wb, Filter(text=("ÉQUIPE",))) == ["m1/x/team", "m1/x/crew"]
            assert keys(wb, Filter(text=("n_p",))) == ["m1/x/underscore"]
        finally:
            wb.close()
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.mark.parametrize("needle, useful", [
    ("équipe", True), ("ÉQU", True), ("123", True), ("\\cours", True), ("l'équipe", True),
    ("a_b", False), ("l'é", False), ("50%", False), ("...", False), ("ab_", False), ("de la", False),
])
def test_needles_without_three_letters_in_a_row_are_scanned_on_postgresql(needle, useful):
    """(pg_trgm would give only blank-padded trigrams for them, found in most texts)"""
    assert trigram_indexes.useful(needle) is useful


@pytest.mark.parametrize("needle, variants", [
    ("abc", ["abc"]),                                  # ASCII: LIKE folds it
    ("équipe", ["équipe", "Équipe"]),
    ("ÉQUIPE", ["éQUIPE", "ÉQUIPE"]),
    ("kürzen", ["kürzen", "kÜrzen"]),
    ("Straße", ["Straße"]),                            # ß has no one-letter capital
    ("50 %", ["50 %"]),
    ("ÄÖÜÉÈ", ["ÄÖÜÉÈ", "äöüéè"]),                     # past 16 spellings: as typed, lower, upper
])
def test_sqlite_scans_spell_out_the_case_beyond_ascii(needle, variants):
    assert browse.case_variants(needle) == variants
