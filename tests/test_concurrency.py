"""No lost updates: 8 processes × 200 saves on the same 50 translations, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import random
from collections import Counter, defaultdict
from pathlib import Path

from review_support import make_project
from sqlalchemy import select

from workbench.domain.errors import ConflictError
from workbench.services.context import Workbench
from workbench.services.editing import get_translation, save_translation
from workbench.storage import repository as repo

PROCESSES = 8
SAVES = 200
KEYS = [f"m1/p{i}" for i in range(1, 51)]
SEED = 20240611


def worker(args: tuple[str, str, int]) -> list[tuple]:
    """Make SAVES saves, each based on the version this process last read of that translation."""
    root, db_url, number = args
    rng = random.Random(SEED + number)
    wb = Workbench.open(Path(root), db=db_url, user=f"w{number}")
    seen: dict[str, int] = {}
    out: list[tuple] = []
    try:
        for i in range(SAVES):
            key = rng.choice(KEYS)
            if key not in seen or rng.random() < 0.5:
                seen[key] = get_translation(wb, resource="m1", key=key, language="de").version
            text = f"w{number}-s{i}"
            try:
                t = save_translation(wb, resource="m1", key=key, language="de", forms=[text],
                                     base_version=seen[key])
            except ConflictError as exc:
                assert exc.mine == (text,) and exc.current_version > seen[key]
                out.append(("conflict", key, text, seen[key], None))
                seen[key] = exc.current_version
            except Exception as exc:  # anything else is a failure of the test
                out.append(("error", key, text, seen[key], f"{type(exc).__name__}: {exc}"))
            else:
                out.append(("accepted", key, text, seen[key], t.version))
                seen[key] = t.version
    finally:
        wb.close()
    return out


def test_concurrent_saves_lose_nothing_and_apply_nothing_twice(tmp_path, db_url):
    root = tmp_path / "course"
    wb = make_project(root, db_url, n=len(KEYS), users=False)   # no users: everyone may edit
    wb.close()
    with multiprocessing.get_context("fork").Pool(PROCESSES) as pool:
        results = [r for rs in pool.map(worker, [(str(root), db_url, n) for n in range(PROCESSES)]) for r in rs]

    # every save was either accepted or refused as a conflict
    assert len(results) == PROCESSES * SAVES
    assert [r for r in results if r[0] == "error"] == []
    accepted = [r for r in results if r[0] == "accepted"]
    conflicts = [r for r in results if r[0] == "conflict"]
    assert len(accepted) + len(conflicts) == PROCESSES * SAVES
    assert accepted and conflicts, "the test should produce both outcomes"

    wb = Workbench.open(root, db=db_url, user="checker")
    T, U, C = repo.T, repo.U, repo.C
    with wb.store.transaction() as conn:
        edits = conn.execute(
            select(U.c.key, C.c.version, C.c.new_text, C.c.old_text, C.c.user)
            .join(T, T.c.id == C.c.translation_id).join(U, U.c.id == T.c.unit_id)
            .where(C.c.action == "edit", T.c.language == "de")).all()
        finals = {r.key: r for r in conn.execute(
            select(U.c.key, T.c.text, T.c.version).join(U, U.c.id == T.c.unit_id)
            .where(T.c.language == "de", U.c.key.in_(KEYS)))}
    wb.close()

    # the number of accepted saves equals the number of edit records in the history
    assert len(edits) == len(accepted)
    # no save was applied twice, and no refused save was applied at all
    recorded = Counter(json.loads(e.new_text)[0] for e in edits)
    assert all(n == 1 for n in recorded.values())
    assert set(recorded) == {r[2] for r in accepted}
    assert not recorded.keys() & {r[2] for r in conflicts}

    by_key: dict[str, list[tuple]] = defaultdict(list)
    for r in accepted:
        by_key[r[1]].append(r)
    history_by_key: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for e in edits:
        history_by_key[e.key][e.version] = (json.loads(e.old_text)[0], json.loads(e.new_text)[0])
    for key in KEYS:
        saves = sorted(by_key[key], key=lambda r: r[4])
        # each accepted save made exactly the next version, from the version it was based on
        assert [r[4] for r in saves] == list(range(1, len(saves) + 1))
        assert all(r[4] == r[3] + 1 for r in saves)
        # each translation's final text is its last accepted save
        final = finals[key]
        assert final.version == len(saves)
        assert final.text == (saves[-1][2] if saves else "")
        # the history chains: each edit started from the text the previous one left
        previous = ""
        for r in saves:
            assert history_by_key[key][r[4]] == (previous, r[2])
            previous = r[2]
