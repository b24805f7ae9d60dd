"""The measured scenarios: each generates its input, runs ours and the alternative, returns figures."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.generate import (
    TARGETS, VOCABULARY, generate_big_catalog, generate_big_template, generate_project, generate_subtitles,
    memory_queries, memory_sources, write_tmx,
)
from bench.measure import Figure, measure, run_once

PY = sys.executable
REPO = Path(__file__).resolve().parent.parent
WORKBENCH = [PY, "-m", "workbench"]
#: Bump when the generator changes what it writes, so that cached data sets are made again.
GENERATOR_VERSION = 5


@dataclass(frozen=True)
class Sizes:
    runs: int
    catalog_entries: int       # the big catalog for import and export
    videos: int                # subtitles: videos × cues per video, in 13 languages
    cues_per_video: int
    check_entries: int         # the catalog `workbench check` and pofilter go through (all translated)
    million_scale: float       # the big course: 13 ≈ 91,000 units × 12 target languages ≈ 1,100,000
    memory_entries: int        # translation memory entries
    lookups: int               # translation memory lookups per run


QUICK = Sizes(runs=3, catalog_entries=5_000, videos=5, cues_per_video=100, check_entries=3_000,
              million_scale=0.2, memory_entries=5_000, lookups=60)
FULL = Sizes(runs=5, catalog_entries=100_000, videos=50, cues_per_video=100, check_entries=100_000,
             million_scale=13.0, memory_entries=100_000, lookups=300)


def _inputs(work: Path) -> Path:
    """Generated input files, kept between runs (they depend only on the generator and the size)."""
    return work / f"inputs-v{GENERATOR_VERSION}"


def _env() -> dict:
    env = dict(os.environ, WORKBENCH_USER="bench")
    env.pop("WORKBENCH_DATABASE_URL", None)
    return env


def _project(root: Path, *, name: str = "bench") -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "locales").mkdir(parents=True)
    (root / "workbench.toml").write_text(
        f'[project]\nname = "{name}"\nsource_language = "fr"\n'
        'languages = ["fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl"]\n',
        encoding="utf-8")
    return root


def _database(root: Path) -> Path:
    return root / ".workbench"


def _cached(marker: Path, key: dict) -> dict | None:
    """The record of a data set made earlier with the same key, if it is complete."""
    try:
        record = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    return record if record.get("key") == key else None


def _count(root: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{_database(root) / 'workbench.db'}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchone()[0]


def _expect_rows(root: Path, *, units: int, translations: int | None = None):
    """A verify function: the database holds this many units (and translation rows with text)."""
    def verify(_out: bytes) -> str | None:
        found = _count(root, "SELECT count(*) FROM unit")
        if found != units:
            return f"{found} units in the database, {units} expected"
        if translations is not None:
            found = _count(root, "SELECT count(*) FROM translation WHERE state != 'untranslated'")
            if found != translations:
                return f"{found} translations in the database, {translations} expected"
        return None
    return verify


def _expect_files(*paths: Path):
    def verify(_out: bytes) -> str | None:
        missing = [str(p) for p in paths if not p.is_file() or not p.stat().st_size]
        return f"not written: {', '.join(missing)}" if missing else None
    return verify


def _group(group: str, figures: list[Figure]) -> list[Figure]:
    for f in figures:
        f.group = group
    return figures


def _import_once(root: Path, what: str) -> Figure:
    """Import a generated project into a fresh database, timed once (the data set's set-up)."""
    shutil.rmtree(_database(root), ignore_errors=True)
    seconds, peak, code, _ = run_once([*WORKBENCH, "-C", str(root), "import"], env=_env())
    if code != 0:
        raise RuntimeError(f"workbench import of {root} exited {code}")
    return Figure(name=what, command=f"workbench -C {root.name} import", seconds=[seconds], peak_mb=[peak])


# -- catalogs -----------------------------------------------------------------------------

def catalog(work: Path, sizes: Sizes) -> list[Figure]:
    """Import and export of one big catalog, next to gettext's C tools and polib."""
    n = sizes.catalog_entries
    inputs = _inputs(work)
    pot_in, po_in = inputs / f"big-{n}.pot", inputs / f"big-{n}.de.po"
    counted = po_in.with_suffix(".translated")
    if not (pot_in.exists() and po_in.exists() and counted.exists()):
        generate_big_template(pot_in, entries=n)
        counted.write_text(str(generate_big_catalog(po_in, entries=n)))
    translated = int(counted.read_text())
    root = _project(work / "catalog")
    pot = root / "locales" / "big.pot"
    po = root / "locales" / "de" / "LC_MESSAGES" / "big.po"
    po.parent.mkdir(parents=True)
    shutil.copy(pot_in, pot)
    shutil.copy(po_in, po)
    db = _database(root)
    runs = sizes.runs
    size_mb = po_in.stat().st_size / 1e6

    imports = [
        measure(f"workbench import ({n:,} entries: .pot and de .po, empty database)",
                [*WORKBENCH, "-C", str(root), "import"], runs=runs, env=_env(),
                setup=lambda: shutil.rmtree(db, ignore_errors=True), verify=_expect_rows(root, units=n, translations=translated)),
        measure("msgfmt --statistics", ["msgfmt", "--statistics", "-o", "/dev/null", str(po_in)], runs=runs),
        measure("msgcat (parse and write)", ["msgcat", "-o", "/dev/null", str(po_in)], runs=runs),
        measure("polib.pofile (parse)", [PY, "-c", f"import polib; polib.pofile({str(po_in)!r})"], runs=runs),
    ]
    imports[0].note = f"the .po is {size_mb:.0f} MB; the alternatives read only the .po, ours the .pot and the .po"
    imports.append(_sqlite_floor(root, runs=runs))
    exports = [
        measure(f"workbench export --lang de ({n:,} entries, .po and .mo)",
                [*WORKBENCH, "-C", str(root), "export", "--lang", "de"], runs=runs, env=_env(),
                setup=lambda: (po.unlink(missing_ok=True), po.with_suffix(".mo").unlink(missing_ok=True)),
                verify=_expect_files(po, po.with_suffix(".mo"))),
        measure("msgcat (parse and write)", ["msgcat", "-o", str(work / "msgcat-out.po"), str(po_in)], runs=runs),
        measure("msgfmt (parse, write .mo)", ["msgfmt", "-o", str(work / "msgfmt-out.mo"), str(po_in)], runs=runs),
        measure("polib parse + save", [PY, "-c", f"import polib; polib.pofile({str(po_in)!r}).save("
                                                 f"{str(work / 'polib-out.po')!r})"], runs=runs),
    ]
    return _group("import", imports) + _group("export", exports)


def _sqlite_floor(root: Path, *, runs: int) -> Figure:
    """SQLite alone writing the rows the last import wrote (bench/sqlite_floor.py): no import can
    store them faster on this machine."""
    scratch = root / "sqlite-floor.db"
    _, peak, _, out = run_once([PY, "-m", "bench.sqlite_floor", str(_database(root) / "workbench.db"),
                                   str(scratch), str(runs)], env=_env(), cwd=str(REPO))
    result = json.loads(out)
    rows = result["rows"]
    figure = Figure(name="SQLite alone: inserting the rows that import wrote, nothing read or built",
                    command=f"python -m bench.sqlite_floor {root.name}/.workbench/workbench.db {scratch.name} {runs}",
                    seconds=result["seconds"], peak_mb=[peak])
    figure.note = (f"{rows['unit']:,} units, {rows['translation']:,} translations and {rows['change']:,} history "
                   f"rows, taken from the imported database and written with executemany into an empty one with "
                   f"the same tables, indexes and pragmas, in one transaction (commit included), inside one "
                   f"process: the database's own share of the import, a floor under any import that stores them")
    return figure


# -- subtitles ----------------------------------------------------------------------------

def subtitles(work: Path, sizes: Sizes) -> list[Figure]:
    """Import and export of a course's subtitles in 13 languages, next to webvtt-py."""
    videos, per = sizes.videos, sizes.cues_per_video
    pristine = _inputs(work) / f"subtitles-{videos}x{per}"
    if not (pristine / "workbench.toml").exists():
        shutil.rmtree(pristine, ignore_errors=True)
        generate_subtitles(pristine, videos=videos, cues_per_video=per)
    root = work / "subtitles"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(pristine, root)
    db = _database(root)
    runs = sizes.runs
    files = sum(1 for _ in pristine.rglob("*.vtt"))
    what = f"{videos} videos × {per} cues = {videos * per:,} cues, {files} .vtt files in 13 languages"
    imports = [
        measure(f"workbench import ({what}, empty database)", [*WORKBENCH, "-C", str(root), "import"],
                runs=runs, env=_env(), setup=lambda: shutil.rmtree(db, ignore_errors=True),
                verify=_expect_rows(root, units=videos * per, translations=videos * per * 12)),
        measure("webvtt-py read", [PY, "-m", "bench.alt_webvtt", str(pristine / "subtitles")], runs=runs,
                cwd=str(REPO)),
    ]

    def clear_exported():
        for lang_dir in (root / "subtitles").iterdir():
            if lang_dir.is_dir():
                shutil.rmtree(lang_dir)

    out = work / "webvtt-out"
    exports = [
        measure(f"workbench export ({videos * 12} .vtt and .srt pairs, 12 languages)",
                [*WORKBENCH, "-C", str(root), "export"], runs=runs, env=_env(), setup=clear_exported,
                verify=_expect_files(*(root / "subtitles" / lang / f"{video.stem}{ext}" for lang in TARGETS
                                       for video in (pristine / "subtitles").glob("*.vtt") for ext in (".vtt", ".srt")))),
        measure("webvtt-py read + save .vtt + save_as_srt",
                [PY, "-m", "bench.alt_webvtt", str(pristine / "subtitles"), "--save", str(out)], runs=runs,
                cwd=str(REPO), setup=lambda: shutil.rmtree(out, ignore_errors=True)),
    ]
    return _group("subtitle import", imports) + _group("subtitle export", exports)


# -- checks -------------------------------------------------------------------------------

def check(work: Path, sizes: Sizes) -> list[Figure]:
    """`workbench check` over a whole translated catalog, next to translate-toolkit's pofilter."""
    n = sizes.check_entries
    inputs = _inputs(work)
    pot_in, po_in = inputs / f"check-{n}.pot", inputs / f"check-{n}.de.po"
    if not (pot_in.exists() and po_in.exists()):
        generate_big_template(pot_in, entries=n, seed=13)
        generate_big_catalog(po_in, entries=n, seed=13, translated_share=1.0, defects=0.02)
    root = _project(work / "check")
    po = root / "locales" / "de" / "LC_MESSAGES" / "big.po"
    po.parent.mkdir(parents=True)
    shutil.copy(pot_in, root / "locales" / "big.pot")
    shutil.copy(po_in, po)
    setup = _import_once(root, f"(set-up) workbench import of the {n:,}-entry catalog")
    _warm(root)
    runs = sizes.runs
    figures = [
        measure(f"workbench check --lang de ({n:,} translations, all checks)",
                [*WORKBENCH, "-C", str(root), "check", "--lang", "de"], runs=runs, env=_env(), ok_codes=(0, 1),
                verify=lambda out: None if f"in {n:,} translation".replace(",", "") in out.decode().replace(",", "")
                else f"it did not say it checked {n} translations: {out.decode()[-200:]!r}"),
        measure("pofilter (translate-toolkit, default checks)",
                [str(Path(PY).with_name("pofilter")), "--progress=none", "-i", str(po_in),
                 "-o", str(work / "pofilter-out.po")], runs=runs, verify=_expect_files(work / "pofilter-out.po"),
                setup=lambda: (work / "pofilter-out.po").unlink(missing_ok=True)),
    ]
    figures[0].note = (f"on the imported database ({setup.median:.1f} s to import, not counted); "
                       "pofilter reads the same catalog file")
    return _group("check", figures)


# -- the million-translation course ---------------------------------------------------------

def million_course(work: Path, sizes: Sizes, *, seed: int = 7) -> tuple[Path, dict]:
    """The big course project and its database, made once per seed and scale and kept in `work`."""
    scale = sizes.million_scale
    root = work / f"course-seed{seed}-scale{scale:g}"
    marker = root / "bench-dataset.json"
    key = {"seed": seed, "scale": scale, "generator": GENERATOR_VERSION, "record": 2}
    record = _cached(marker, key)
    if record is not None:
        record["cached"] = True
        return root, record
    shutil.rmtree(root, ignore_errors=True)
    print(f"   generating the course at scale {scale:g} (once; kept in {root})", flush=True)
    started = time.perf_counter()
    shape = generate_project(root, scale=scale, seed=seed)
    files_seconds = time.perf_counter() - started
    imported = _import_once(root, "import")
    # the first start of the editor right after the import (whatever the import left for later is done now)
    env = _env()
    env["BENCH_T0"] = repr(time.time())
    seconds, peak, _, out = run_once([PY, "-m", "bench.editor_probe", str(root), "de"], env=env, cwd=str(REPO))
    first = json.loads(out)
    record = {"key": key, "code": _code(), "units": shape.units, "translations": shape.translations,
              "stored": shape.catalog_translations + shape.cue_translations,
              "files_seconds": round(files_seconds, 1), "import_seconds": round(imported.median, 1),
              "import_peak_mb": round(imported.peak), "shape": asdict(shape),
              "first_screen_after_import": round(first["first_screen"], 2),
              "open_editor_after_import": round(first["open_editor"], 2), "ui_peak_after_import_mb": round(peak)}
    marker.write_text(json.dumps(record, indent=2))
    record["cached"] = False
    return root, record


def _code() -> str:
    """The commit whose code is running (BENCH_COMMIT when the runner says so)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"].split()[0]
    import subprocess

    out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def _course_note(record: dict) -> str:
    how = ("made in this run" if not record["cached"] else
           f"made earlier (by the code of {record.get('code', 'an earlier commit')}) and reused")
    return (f"course of {record['units']:,} units × 12 target languages = {record['translations']:,} translations, "
            f"{record['stored']:,} of them with text; generating its files took {record['files_seconds']:.0f} s and "
            f"`workbench import` into an empty database {record['import_seconds']:.0f} s "
            f"(peak {record['import_peak_mb']} MB); {how}")


def status(work: Path, sizes: Sizes) -> list[Figure]:
    """`workbench status` on the million-translation course."""
    root, record = million_course(work, sizes)
    _warm(root)
    figure = measure(f"workbench status ({record['translations']:,} translations)",
                     [*WORKBENCH, "-C", str(root), "status"], runs=sizes.runs, env=_env())
    figure.note = _course_note(record)
    course_import = Figure(name=f"workbench import of the whole course (files → empty database, once)",
                           command=f"workbench -C {root.name} import",
                           seconds=[record["import_seconds"]], peak_mb=[record["import_peak_mb"]])
    return _group("status", [figure]) + _group("course import", [course_import])


# -- translation memory -------------------------------------------------------------------

def memory(work: Path, sizes: Sizes) -> list[Figure]:
    """Translation-memory lookups against a memory of many entries, one by one."""
    n = sizes.memory_entries
    root = work / f"memory-{n}-v{GENERATOR_VERSION}"
    marker = root / "bench-dataset.json"
    key = {"entries": n, "generator": GENERATOR_VERSION}
    record = _cached(marker, key)
    if record is None:
        _project(root, name="memory")
        tmx = _inputs(work) / f"memory-{n}.tmx"
        if not tmx.exists():
            write_tmx(tmx, memory_sources(n))
        seconds, peak, code, out = run_once([PY, "-m", "bench.memory_probe", "setup", str(root), str(tmx)],
                                            env=_env(), cwd=str(REPO))
        if code != 0:
            raise RuntimeError(f"TMX import exited {code}")
        record = {"key": key, "import_seconds": round(seconds, 1), "import_peak_mb": round(peak),
                  **json.loads(out)}
        marker.write_text(json.dumps(record, indent=2))
    first = Figure(name=f"first lookup: open the database, build the index of {n:,} entries",
                   command=f"python -m bench.memory_probe lookup {root.name} {n} {sizes.lookups}")
    each = Figure(name=f"each further lookup ({n:,} entries)", command="", unit="ms")
    scan = Figure(name="rapidfuzz full scan of the same entries (process.extract, ratio ≥ 70)", command="",
                  unit="ms")
    found = 0
    for run in range(sizes.runs):
        seconds, peak, code, out = run_once(
            [PY, "-m", "bench.memory_probe", "lookup", str(root), str(n), str(sizes.lookups),
             "--scan", "50" if run == 0 else "0"], env=_env(), cwd=str(REPO))
        result = json.loads(out)
        first.seconds.append(result["open"] + result["first"])
        first.peak_mb.append(peak)
        each.seconds += result["seconds"]
        each.peak_mb.append(peak)
        scan.seconds += result.get("scan", [])
        found = result["found"]
    p95 = each.percentile(0.95)
    each.extra["target"] = (p95, 0.050, "memory lookup p95 under 50 ms at 100k entries"
                            + ("" if n >= 100_000 else f" (this run: {n:,} entries)"))
    each.note = (f"{len(each.seconds):,} lookups in {sizes.runs} processes (a third exact copies, a third "
                 f"near variants, a third new sentences); p95 {p95 * 1000:.1f} ms; {found} of {sizes.lookups} "
                 f"found a match; memory imported from a {n:,}-unit TMX in {record['import_seconds']:.0f} s")
    scan.note = "the same queries (first 50), scoring every entry: what a lookup costs without an index"
    scan.peak_mb = []
    query = memory_queries(memory_sources(n), 2)[1]
    cli = measure(f"workbench tm search (one lookup from the command line, {n:,} entries)",
                  [*WORKBENCH, "-C", str(root), "tm", "search", "--lang", "de", query], runs=sizes.runs, env=_env())
    cli.note = "a new process each time: start-up, opening the database and building the index included"
    return _group("translation memory", [first, each, scan, cli])


# -- the editor ---------------------------------------------------------------------------

#: What the editor is asked, typed into its filter bar: two filters, then two text searches (a common
#: word of the course's domain and a rare one, which makes the list query read nearly every row).
EDITOR_FILTERS = ("state:draft", "state:untranslated kind:quiz")
EDITOR_SEARCHES = ("équipe", "VOCABULARY")


def editor(work: Path, sizes: Sizes) -> list[Figure]:
    """The editor through Textual headless on the million-translation course: first screen, filter, search."""
    root, record = million_course(work, sizes)
    rare = VOCABULARY[5000]
    queries = [*EDITOR_FILTERS, *(rare if q == "VOCABULARY" else q for q in EDITOR_SEARCHES)]
    first = Figure(name="first screen: the dashboard with every language's progress",
                   command=shlex.join(["python", "-m", "bench.editor_probe", root.name, "de", *queries]))
    opened = Figure(name="open the editor on de: to the frame with the list's first page and the first unit",
                    command="")
    applied = {q: Figure(name=f"{'filter' if q in EDITOR_FILTERS else 'text search'} `{q}`: from Enter to the "
                              f"frame showing the list and the unit", command="") for q in queries}
    counted: dict[str, list[float]] = {q: [] for q in queries}
    spent: dict[str, list[dict]] = {q: [] for q in queries}
    rows: dict[str, int] = {}
    trips = []
    _warm(root)
    for _ in range(sizes.runs):
        env = _env()
        env["BENCH_T0"] = repr(time.time())
        seconds, peak, code, out = run_once([PY, "-m", "bench.editor_probe", str(root), "de", *queries],
                                            env=env, cwd=str(REPO))
        if code != 0:
            raise RuntimeError(f"editor probe exited {code}")
        result = json.loads(out)
        first.seconds.append(result["first_screen"])
        opened.seconds.append(result["open_editor"])
        trips.append(result["key_round_trip"])
        for q in queries:
            applied[q].seconds.append(result["queries"][q]["apply"])
            counted[q].append(result["queries"][q]["count"])
            spent[q].append(result["queries"][q].get("spent", {}))
            rows[q] = result["queries"][q]["rows"]
        for f in (first, opened, *applied.values()):
            f.peak_mb.append(peak)
    first.note = (f"from the benchmark starting the process (interpreter, imports, database, status of "
                  f"{record['translations']:,} translations) to the dashboard drawn; " + _course_note(record))
    trip = sorted(trips)[len(trips) // 2]
    for q, f in applied.items():
        count = sorted(counted[q])[len(counted[q]) // 2]

        def part(label: str) -> float:
            values = sorted(d.get(label, 0.0) for d in spent[q])
            return values[len(values) // 2] * 1000 if values else float("nan")

        f.note = (f"{rows[q]:,} matching units. Of this time, the editor's own code on the UI thread took "
                  f"{part('screen'):.0f} ms (the list's page query {part('page query'):.0f} ms, the unit's detail "
                  f"{part('unit detail'):.0f} ms); the rest is Textual laying out and rendering the frame (a key "
                  f"that only moves the filter bar's cursor reaches its frame in {trip * 1000:.0f} ms). The frame "
                  f"with the count of matches (a worker, off the UI thread) came after {count * 1000:.0f} ms")
        if q in EDITOR_FILTERS:
            f.extra["target"] = (f.median, 0.100, f"editor filter under 100 ms at 1,000,000 translations"
                                 + ("" if record["translations"] >= 1_000_000 else
                                    f" (this run: {record['translations']:,})"))
    after = Figure(name="first screen right after the course was imported (once, when the course was made)",
                   command="python -m bench.editor_probe (the same, first run after the import)",
                   seconds=[record["first_screen_after_import"]], peak_mb=[record["ui_peak_after_import_mb"]])
    after.note = (f"the editor then opened in {record['open_editor_after_import']:.2f} s; measured by the code of "
                  f"{record['code']}. Later starts (above) find the work done")
    return _group("editor", [after, first, opened, *applied.values()])


def _warm(root: Path) -> None:
    """One untimed `workbench status`: upgrades a cached database if the schema moved on, warms the cache."""
    run_once([*WORKBENCH, "-C", str(root), "status"], env=_env())


ALL = (catalog, subtitles, check, status, memory, editor)
