"""Translation-memory lookups timed one by one inside one process, through the memory service.

python -m bench.memory_probe setup ROOT TMX       import a TMX file into the project's memory
python -m bench.memory_probe lookup ROOT ENTRIES LOOKUPS [--scan N]
    prints JSON: the first lookup (opens the database and builds the index), then each lookup's
    seconds; with --scan, also rapidfuzz's full scan of the same entries for the first N queries.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def setup(root: Path, tmx: Path) -> None:
    from workbench.services.context import Workbench
    from workbench.services.memory import import_tmx

    wb = Workbench.open(root, user="bench")
    report = import_tmx(wb, tmx)
    print(json.dumps({"read": report.read, "added": report.added}))


def lookups(root: Path, entries: int, n: int, scan: int) -> None:
    from bench.generate import memory_queries, memory_sources

    sources = memory_sources(entries)
    queries = memory_queries(sources, n + 1)
    started = time.perf_counter()
    from workbench.services.context import Workbench
    from workbench.services.memory import lookup

    wb = Workbench.open(root, user="bench")
    opened = time.perf_counter()
    lookup(wb, queries[0], language="de")
    first = time.perf_counter()
    seconds, found = [], 0
    for q in queries[1:]:
        t = time.perf_counter()
        matches = lookup(wb, q, language="de")
        seconds.append(time.perf_counter() - t)
        found += bool(matches)
    result = {"open": opened - started, "first": first - opened, "seconds": seconds, "found": found}
    if scan:
        from rapidfuzz import fuzz, process

        scanned = []
        for q in queries[1:scan + 1]:
            t = time.perf_counter()
            process.extract(q, sources, scorer=fuzz.ratio, score_cutoff=70, limit=5)
            scanned.append(time.perf_counter() - t)
        result["scan"] = scanned
    print(json.dumps(result))


def main(argv: list[str]) -> int:
    if argv[0] == "setup":
        setup(Path(argv[1]), Path(argv[2]))
    else:
        scan = int(argv[argv.index("--scan") + 1]) if "--scan" in argv else 0
        lookups(Path(argv[1]), int(argv[2]), int(argv[3]), scan)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
