"""The measured scenarios: each generates its input, runs ours and the alternative, returns figures."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.generate import generate_big_catalog, generate_big_template, generate_project
from bench.measure import Figure, measure

PY = sys.executable
WORKBENCH = [PY, "-m", "workbench"]


@dataclass(frozen=True)
class Sizes:
    catalog_entries: int
    runs: int
    subtitle_scale: float      # 50 videos × 100 cues at 1.0
    million_scale: float       # the big database: ~1,000,000 translations at 11
    memory_entries: int


QUICK = Sizes(catalog_entries=10_000, runs=3, subtitle_scale=0.2, million_scale=1.1, memory_entries=10_000)
FULL = Sizes(catalog_entries=100_000, runs=5, subtitle_scale=1.0, million_scale=11.0, memory_entries=100_000)


def _env(db: Path | None = None) -> dict:
    env = dict(os.environ, WORKBENCH_USER="bench")
    env.pop("WORKBENCH_DATABASE_URL", None)
    return env


def _fresh_project(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "locales").mkdir(parents=True)
    (root / "workbench.toml").write_text(
        '[project]\nname = "bench"\nsource_language = "fr"\n'
        'languages = ["fr", "en", "de", "nl", "it", "es", "pl", "bg", "hr", "el", "lv", "ro", "sl"]\n',
        encoding="utf-8")
    return root


def catalog(work: Path, sizes: Sizes) -> list[Figure]:
    """Import and export of one big catalog, next to gettext's C tools and polib."""
    n = sizes.catalog_entries
    root = _fresh_project(work / "catalog")
    pot = root / "locales" / "big.pot"
    po = root / "locales" / "de" / "LC_MESSAGES" / "big.po"
    generate_big_template(pot, entries=n)
    generate_big_catalog(po, entries=n)
    db = root / ".workbench"

    def empty_db():
        shutil.rmtree(db, ignore_errors=True)

    figures = [
        measure(f"workbench import ({n:,} entries, empty database)", [*WORKBENCH, "-C", str(root), "import"],
                runs=sizes.runs, env=_env(), setup=empty_db),
        measure("msgfmt --statistics", ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], runs=sizes.runs),
        measure("msgcat (parse and write)", ["msgcat", "-o", "/dev/null", str(po)], runs=sizes.runs),
        measure("polib.pofile (parse)", [PY, "-c", f"import polib; polib.pofile({str(po)!r})"], runs=sizes.runs),
    ]
    for f in figures:
        f.group = "import"
    export = [
        measure(f"workbench export --lang de ({n:,} entries, .po and .mo)",
                [*WORKBENCH, "-C", str(root), "export", "--lang", "de"], runs=sizes.runs, env=_env(),
                setup=lambda: po.unlink(missing_ok=True)),
        measure("msgcat (parse and write)", ["msgcat", "-o", str(work / "msgcat-out.po"), str(pot)],
                runs=sizes.runs),
        measure("polib parse + save", [PY, "-c", f"import polib; polib.pofile({str(pot)!r}).save("
                                                 f"{str(work / 'polib-out.po')!r})"], runs=sizes.runs),
    ]
    for f in export:
        f.group = "export"
    return figures + export


ALL = (catalog,)
