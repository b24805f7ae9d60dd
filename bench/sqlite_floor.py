"""What SQLite alone takes to write the rows an import wrote: the floor under any import that stores them.

python -m bench.sqlite_floor DATABASE SCRATCH RUNS
    reads the unit, translation and change rows of DATABASE (an imported workbench database) into
    memory, then RUNS times: makes SCRATCH an empty database with DATABASE's tables and indexes and
    the workbench's pragmas (WAL, synchronous=NORMAL), and times inserting the same rows with
    executemany in one transaction, commit included. Prints JSON: {"seconds": [...], "rows": N}.
    Nothing is parsed, built or converted in the timed part: it is the database's own share.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

TABLES = ("unit", "translation", "change")


def _schema(source: sqlite3.Connection) -> list[str]:
    """CREATE statements of the workbench's own tables and indexes (not the text-search index,
    which an import does not write)."""
    return [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index') "
        "AND name NOT LIKE 'text_search%' AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, rowid")]


def _fresh(path: Path, schema: list[str]) -> sqlite3.Connection:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(f"{path}{suffix}")
        except FileNotFoundError:
            pass
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for sql in schema:
        conn.execute(sql)
    return conn


def main(argv: list[str]) -> int:
    database, scratch, runs = Path(argv[0]), Path(argv[1]), int(argv[2])
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as source:
        schema = _schema(source)
        rows = {name: source.execute(f'SELECT * FROM "{name}" ORDER BY id').fetchall() for name in TABLES}
    seconds = []
    for _ in range(runs):
        conn = _fresh(scratch, schema)
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for name in TABLES:
            if rows[name]:
                marks = ", ".join("?" * len(rows[name][0]))
                conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows[name])
        conn.execute("COMMIT")
        seconds.append(time.perf_counter() - started)
        conn.close()
    _fresh(scratch, []).close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    print(json.dumps({"seconds": seconds, "rows": {name: len(r) for name, r in rows.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
