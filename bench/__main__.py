"""python -m bench [--quick]: generate synthetic courses, measure, write bench/REPORT.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import scenarios
from bench.measure import Figure
from bench.report import write_report

HERE = Path(__file__).resolve().parent


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    tools = {}
    for tool, args in (("msgfmt", ["--version"]), ("pofilter", ["--version"]), ("sqlite3", None)):
        path = shutil.which(tool)
        if path and args:
            out = subprocess.run([path, *args], capture_output=True, text=True).stdout.splitlines()
            tools[tool] = out[0] if out else path
    import sqlite3

    code = os.environ.get("BENCH_COMMIT")
    if not code:
        git = ["git", "-C", str(HERE.parent)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True).stdout.strip()
        code = (head + (" with uncommitted changes in the work tree" if dirty else "")) if head else "unknown"
    tools["code measured"] = code
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform(), **tools}


def _shorten(command: str, work: Path) -> str:
    """Commands as a reader would type them: `python`, paths relative to the repository."""
    repo = HERE.parent
    for long, short in ((sys.executable, "python"), (str(Path(sys.executable).parent) + "/", ""),
                        (str(work.resolve()) + "/", "bench/out/"), (str(repo) + "/", "")):
        command = command.replace(long, short)
    return command


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="reduced scale, a couple of minutes")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="where generated courses go")
    parser.add_argument("--report", type=Path, default=None,
                        help="report file (default: bench/REPORT.md; bench/out/REPORT-quick.md with --quick, "
                             "bench/out/REPORT-full-only.md with --only)")
    parser.add_argument("--rewrite-report", action="store_true",
                        help="measure nothing: write the report again from the last run's saved figures "
                             "(after editing bench/reading.md)")
    parser.add_argument("--only", action="append", default=None, metavar="SCENARIO",
                        help="run only this scenario (repeatable): " + ", ".join(s.__name__ for s in scenarios.ALL))
    args = parser.parse_args(argv)
    sizes = scenarios.QUICK if args.quick else scenarios.FULL
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    # a partial run (--only) never replaces the report of a whole run
    kind = ("quick" if args.quick else "full") + ("-only" if args.only else "")
    saved = args.work / f"last-{kind}.json"
    report = args.report or (HERE / "REPORT.md" if kind == "full" else args.work / f"REPORT-{kind}.md")
    if args.rewrite_report:
        data = json.loads(saved.read_text())
        write_report(report, figures=[Figure.from_dict(f) for f in data["figures"]], machine=data["machine"],
                     sizes=data["sizes"], quick=args.quick, elapsed=data["elapsed"], argv=data["argv"])
        print(f"report: {report} (from {saved})")
        return 0
    started = time.time()
    load_before = os.getloadavg()
    figures = []
    for scenario in scenarios.ALL:
        if args.only and scenario.__name__ not in args.only:
            continue
        print(f"== {scenario.__doc__.splitlines()[0]}", flush=True)
        try:
            produced = scenario(args.work, sizes)
        except Exception as exc:        # one broken scenario must not lose the others' figures
            produced = [Figure(name=scenario.__name__, command="", failed=f"{type(exc).__name__}: {exc}",
                               group=scenario.__name__)]
        for fig in produced:
            fig.command = _shorten(fig.command, args.work)
            figures.append(fig)
            if fig.failed:
                print(f"   {fig.name}: FAILED {fig.failed}", flush=True)
            else:
                print(f"   {fig.name}: median {fig.median:.3f} s (min {fig.low:.3f}, max {fig.high:.3f}), "
                      f"peak {fig.peak:.0f} MB {fig.note}", flush=True)
    facts = machine()
    facts["load average (1, 5, 15 min) at start"] = ", ".join(f"{x:.1f}" for x in load_before)
    facts["load average (1, 5, 15 min) at end"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    elapsed = time.time() - started
    saved.write_text(json.dumps({"figures": [f.to_dict() for f in figures], "machine": facts, "sizes": str(sizes),
                                 "elapsed": elapsed, "argv": sys.argv[1:]}, indent=1))
    write_report(report, figures=figures, machine=facts, sizes=sizes, quick=args.quick,
                 elapsed=elapsed, argv=sys.argv[1:])
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
