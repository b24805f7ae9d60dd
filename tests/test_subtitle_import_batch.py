"""An import writes its files through one connection, each file all or nothing (Store.batch)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from workbench.domain.errors import WorkbenchError
from workbench.services.context import Workbench
from workbench.services.importing import import_project
from workbench.storage import engine
from workbench.storage import repository as repo
from workbench.storage.engine import Store

from tests.subtitle_support import FIXTURES, VIDEO, course, wb  # noqa: F401  (fixtures)

DE = f"subtitles/de/{VIDEO}.vtt"


def stored(wb: Workbench) -> dict:
    """What the import left: file hashes, and per language its translations and history rows."""
    T, C = repo.T, repo.C
    with wb.store.read() as conn:
        hashes = set(conn.execute(select(repo.F.c.path)).scalars())
        rows = dict(conn.execute(select(T.c.language, func.count()).group_by(T.c.language)).all())
        changes = dict(conn.execute(select(T.c.language, func.count()).join(C, C.c.translation_id == T.c.id)
                                    .group_by(T.c.language)).all())
    return {"hashes": hashes, "rows": rows, "changes": changes}


def test_a_file_that_fails_after_writing_leaves_nothing_and_the_others_stay(wb, monkeypatch):
    set_file_hash = repo.set_file_hash

    def fail_for_de(conn, path, sha256, **options):
        if path == DE:     # its translations and their history are written by now
            raise WorkbenchError(f"{path}: refused for the test")
        set_file_hash(conn, path, sha256, **options)

    monkeypatch.setattr(repo, "set_file_hash", fail_for_de)
    report = import_project(wb)
    [bad] = report.errors
    assert bad.path == DE and bad.error == f"{DE}: refused for the test"
    after = stored(wb)
    assert DE not in after["hashes"]
    assert "de" not in after["rows"] and "de" not in after["changes"]
    assert after["rows"]["it"] and after["changes"]["it"]      # the other files are imported
    assert f"subtitles/{VIDEO}.vtt" in after["hashes"]

    monkeypatch.setattr(repo, "set_file_hash", set_file_hash)
    again = import_project(wb)
    assert not again.errors
    assert [f.path for f in again.changed_files] == [DE]
    assert DE in stored(wb)["hashes"] and stored(wb)["changes"]["de"] > 0


def test_an_interrupted_import_keeps_the_files_it_finished(wb):
    def stop_after_the_source(done, total, what):
        if what == DE:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_project(wb, progress=stop_after_the_source)
    after = stored(wb)
    assert after["hashes"] == {f"subtitles/{VIDEO}.vtt", DE}
    assert after["changes"]["de"] > 0 and "it" not in after["changes"]

    report = import_project(wb)
    assert not report.errors
    assert [f.path for f in report.changed_files] == [f"subtitles/it/{VIDEO}.srt"]


def dump(wb: Workbench) -> dict:
    """Everything an import writes, without row ids and times."""
    R, U, T, C = repo.R, repo.U, repo.T, repo.C
    with wb.store.read() as conn:
        return {
            "resources": conn.execute(select(R.c.name, R.c.meta).order_by(R.c.name)).all(),
            "units": conn.execute(select(U.c.key, U.c.source, U.c.start_ms).order_by(U.c.key)).all(),
            "translations": conn.execute(
                select(U.c.key, T.c.language, T.c.state, T.c.text, T.c.version, T.c.origin)
                .join(U, U.c.id == T.c.unit_id).order_by(U.c.key, T.c.language)).all(),
            "history": conn.execute(
                select(U.c.key, T.c.language, C.c.version, C.c.action, C.c.old_text, C.c.new_text)
                .join(T, T.c.id == C.c.translation_id).join(U, U.c.id == T.c.unit_id)
                .order_by(U.c.key, T.c.language, C.c.version)).all(),
            "hashes": conn.execute(select(repo.F.c.path, repo.F.c.sha256).order_by(repo.F.c.path)).all(),
        }


def test_an_import_committing_after_every_file_writes_what_one_transaction_writes(tmp_path, monkeypatch):
    """Each transaction of the batch reads the resource and its units again (SourceRows)."""
    dumps = []
    for every in (0.0, 3600.0):
        course = tmp_path / f"course-{every:g}"
        shutil.copytree(FIXTURES / "course", course)
        monkeypatch.setattr(engine, "BATCH_COMMIT_EVERY", every)
        wb = Workbench.open(course, db=f"sqlite:///{tmp_path / f'{every:g}.db'}", user="coordinator")
        try:
            assert not import_project(wb).errors
            (course / "subtitles" / f"{VIDEO}.vtt").write_bytes(
                (course / "subtitles" / f"{VIDEO}.vtt").read_bytes().replace(b"Bonjour", b"Salut"))
            assert not import_project(wb, force=True).errors
            dumps.append(dump(wb))
        finally:
            wb.close()
    assert dumps[0]["translations"] and dumps[0]["history"]
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize("commit_every", [0.0, 3600.0])
def test_batch_pieces_are_all_or_nothing_however_often_it_commits(db_url, commit_every):
    store = Store(db_url)
    F = repo.F
    try:
        with store.batch(commit_every=commit_every) as batch:
            for n in range(5):
                try:
                    with batch.piece() as conn:
                        conn.execute(insert(F).values(path=f"f{n}", sha256="a"))
                        if n == 2:
                            raise WorkbenchError("no")
                        conn.execute(insert(F).values(path=f"f{n}.b", sha256="b"))
                except WorkbenchError:
                    pass
        with store.read() as conn:
            assert sorted(conn.execute(select(F.c.path)).scalars()) == [
                "f0", "f0.b", "f1", "f1.b", "f3", "f3.b", "f4", "f4.b"]
    finally:
        store.dispose()


def test_an_unexpected_error_keeps_the_pieces_before_it(db_url):
    store = Store(db_url)
    F = repo.F
    try:
        with pytest.raises(RuntimeError):
            with store.batch(commit_every=3600) as batch:
                with batch.piece() as conn:
                    conn.execute(insert(F).values(path="kept", sha256="a"))
                with batch.piece() as conn:
                    conn.execute(insert(F).values(path="lost", sha256="a"))
                    raise RuntimeError("bug")
        with store.read() as conn:
            assert list(conn.execute(select(F.c.path)).scalars()) == ["kept"]
    finally:
        store.dispose()


def test_a_process_that_never_disposes_its_store_still_checkpoints_at_exit(tmp_path):
    db = tmp_path / "wb.db"
    code = (f"from sqlalchemy import insert\n"
            f"from workbench.storage.engine import Store\n"
            f"from workbench.storage import repository as repo\n"
            f"store = Store('sqlite:///{db}')\n"
            f"with store.transaction() as conn:\n"
            f"    conn.execute(insert(repo.F).values(path='x', sha256='y'))\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert db.exists() and not Path(f"{db}-wal").exists()    # the last close checkpointed the WAL
