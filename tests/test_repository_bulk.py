"""Bulk reads and writes of the repository: the driver's executemany writes what Core writes, the
history's JSON is json.dumps', and the garbage collector's pause nests and ends."""

from __future__ import annotations

import gc
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, insert, select

from workbench.services.context import Workbench
from workbench.storage import repository as repo
from workbench.storage.models import utcnow

R, U, T, C = repo.R, repo.U, repo.T, repo.C


@pytest.fixture
def wb(db_url, tmp_path):
    (tmp_path / "workbench.toml").write_text(
        '[project]\nname = "t"\nsource_language = "fr"\nlanguages = ["fr", "de"]\n', encoding="utf-8")
    wb = Workbench.open(tmp_path, db=db_url, user="u")
    yield wb
    wb.close()


@pytest.mark.parametrize("forms", [
    (), ("",), ("a",), ("a", "b"), ('quote " and \\ backslash',), ("line\nbreak\ttab\x01",),
    ("é ü ß — « » ’", "\u2028\u2029"), ("😀", "\ud800"),
])
def test_history_json_is_what_json_dumps_writes(forms):
    assert repo.forms_to_json(forms) == json.dumps(list(forms), ensure_ascii=False)


def test_insert_many_writes_what_core_writes(wb):
    now = utcnow()
    later = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    with wb.store.transaction() as conn:
        rid = repo.upsert_resource(conn, name="r", kind="catalog", module="m", path="r.pot", meta={})
        common = dict(resource_id=rid, kind="text", module="m", source="s", source_plural=None, context=None,
                      comments="", refs="a.py:1\nb.py:2", flags="python-format", previous_source=None,
                      start_ms=None, end_ms=None, cue_settings="", words=1, extra="{}")
        conn.execute(insert(U), [dict(common, key="core", position=0, obsolete=True)])
        repo.insert_many(conn, U, ("key", "position", "obsolete", *common),
                         [("bulk", 1, True, *common.values())])
        ids = dict(conn.execute(select(U.c.key, U.c.id)).all())
        row = dict(language="de", module="m", kind="text", state="translated", text="t", plurals=None, version=1,
                   author=None, origin="import", comment=None, translator_comments="", previous_source=None,
                   extra="{}")
        conn.execute(insert(T), [dict(row, unit_id=ids["core"], updated_at=now)])
        repo.insert_many(conn, T, ("unit_id", "updated_at", *row), [(ids["bulk"], now, *row.values())])
        tids = dict(conn.execute(select(T.c.unit_id, T.c.id)).all())
        change = dict(version=1, action="import", user="u", old_state="untranslated", new_state="translated",
                      old_text='[""]', new_text='["t"]', origin="import", comment=None)
        conn.execute(insert(C), [dict(change, translation_id=tids[ids["core"]], at=later)])
        repo.insert_many(conn, C, ("translation_id", "at", *change), [(tids[ids["bulk"]], later, *change.values())])
    with wb.store.transaction() as conn:
        units = {r["key"]: {k: v for k, v in r.items() if k not in ("id", "key", "position")}
                 for r in conn.execute(select(U)).mappings()}
        translations = [{k: v for k, v in r.items() if k not in ("id", "unit_id")}
                        for r in conn.execute(select(T).order_by(T.c.id)).mappings()]
        changes = [{k: v for k, v in r.items() if k not in ("id", "translation_id")}
                   for r in conn.execute(select(C).order_by(C.c.id)).mappings()]
        assert units["core"] == units["bulk"] and units["bulk"]["obsolete"] is True
        assert translations[0] == translations[1] and translations[1]["updated_at"] is not None
        assert changes[0] == changes[1]
        # and what the driver stored is what Core stored, byte for byte (dates on SQLite are text)
        if conn.dialect.name == "sqlite":
            raw = conn.exec_driver_sql("SELECT at, typeof(at) FROM change ORDER BY id").all()
            assert raw[0] == raw[1]
        repo.insert_many(conn, C, ("translation_id",), [])        # nothing to write: nothing written
        conn.execute(delete(C))


def test_units_of_reads_what_unit_from_row_reads(wb):
    from workbench.domain.units import Unit, UnitKind

    unit = Unit("k", "r", UnitKind.CUE, "m", 3, "s", None, "ctx", "c1\nc2", ("a.py:1", "b.py:2"), ("f1", "f2"),
                "prev", 100, 2000, "line:0", False, {"identifier": "7"})
    with wb.store.transaction() as conn:
        rid = repo.upsert_resource(conn, name="r", kind="subtitles", module="m", path="r.vtt", meta={})
        values = repo.unit_values(unit)
        repo.insert_many(conn, U, ("resource_id", *repo.UNIT_COLUMNS), [(rid, *values.values())])
        by_row = [repo.unit_from_row(r, "r") for r in repo.unit_rows(conn, rid)]
        assert repo.units_of(conn, rid, "r") == by_row == [unit] == [repo.unit_from_values(values, "r")]
        assert by_row[0].extra == unit.extra


def test_a_unit_row_reads_back_as_stored_unit_says(wb):
    from workbench.domain.units import Unit, UnitKind

    units = [
        Unit("plain", "r", UnitKind.TEXT, "m", 0, "s"),
        Unit("full", "r", UnitKind.QUIZ_CHOICE, "m", 1, "a b", "a bs", "ctx", "c1\nc2", ("a.py:1", "b.py:2"),
             ("f1", "f2"), "prev", None, None, "", False, {"translator_comments": ["x", ""], "id": "7"}),
        Unit("cue", "r", UnitKind.CUE, "m", 2, "s", None, None, "", (), (), None, 100, 2000, "line:0", False, {}),
        # what the columns cannot hold as it is: read back otherwise
        Unit("odd", "r", UnitKind.TEXT, "m", 3, "s", None, None, "", ("a\nb", ""), ("x,y", ""), None, None, None,
             "", False, {"t": ("a",), "n": {"k": 1}}),
    ]
    with wb.store.transaction() as conn:
        rid = repo.upsert_resource(conn, name="r", kind="catalog", module="m", path="r.pot", meta={})
        rows = [repo.unit_row(unit, rid) for unit in units]
        assert [r[1:] for r in rows] == [tuple(repo.unit_values(unit).values()) for unit in units]
        repo.insert_many(conn, U, ("resource_id", *repo.UNIT_COLUMNS), rows)
        stored = [repo.stored_unit(unit, row) for unit, row in zip(units, rows)]
        back = repo.units_of(conn, rid, "r")
        assert stored == back
        assert [u.extra for u in stored] == [u.extra for u in back]
        assert stored[:3] == units[:3] and stored[3] != units[3]


def test_the_garbage_collector_pause_nests_and_ends():
    was = gc.isenabled()
    gc.enable()
    try:
        with repo.paused_gc():
            assert not gc.isenabled()
            with repo.paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()          # the outer pause still holds
        assert gc.isenabled()
        with pytest.raises(RuntimeError):
            with repo.paused_gc():
                raise RuntimeError("bulk work failed")
        assert gc.isenabled()
        gc.disable()                            # paused by someone else before: left paused
        with repo.paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_rows_inserted_with_the_next_ids_get_them(wb):
    with wb.store.transaction() as conn:
        ids = repo.next_ids(conn, R, 2)
        if wb.store.dialect != "sqlite":
            assert ids is None
            return
        repo.insert_many(conn, R, ("id", "name", "kind", "module", "path", "meta"),
                         [(i, f"r{i}", "catalog", "m", "p", "{}") for i in ids])
        assert [r["id"] for r in repo.resources(conn)] == list(ids)
        assert repo.next_ids(conn, R, 1) == range(ids[-1] + 1, ids[-1] + 2)


def test_a_converted_date_is_written_as_insert_many_converts_it(wb):
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    with wb.store.transaction() as conn:
        rid = repo.upsert_resource(conn, name="r", kind="catalog", module="m", path="p", meta={})
        repo.insert_many(conn, U, ("resource_id", "key", "kind", "module", "position", "source"),
                         [(rid, "k", "text", "m", 0, "s")])
        uid = conn.execute(select(U.c.id)).scalar_one()
        columns = ("unit_id", "language", "module", "kind", "updated_at")
        repo.insert_many(conn, T, columns, [(uid, "de", "m", "text", now)])
        repo.insert_many(conn, T, columns, [(uid, "es", "m", "text", repo.driver_value(conn, T, "updated_at", now))],
                         converted=("updated_at",))
        dates = dict(conn.execute(select(T.c.language, T.c.updated_at)).all())
    assert dates["de"] == dates["es"]
