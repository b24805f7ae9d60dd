"""Timing and peak memory of commands, each run in its own process, as median with min and max."""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence


@dataclass
class Figure:
    name: str
    command: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    failed: str | None = None
    note: str = ""
    group: str = ""                 # figures of one group are compared with its first figure (ours)
    unit: str = "s"
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> "Figure":
        data = dict(data)
        extra = data.get("extra") or {}
        if "target" in extra:
            extra["target"] = tuple(extra["target"])
        data["extra"] = extra
        return cls(**data)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def low(self) -> float:
        return min(self.seconds) if self.seconds else float("nan")

    @property
    def high(self) -> float:
        return max(self.seconds) if self.seconds else float("nan")

    def percentile(self, share: float) -> float:
        """The value below which `share` of the samples lie (nearest rank)."""
        if not self.seconds:
            return float("nan")
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else float("nan")


SPAWN = Path(__file__).with_name("spawn.py")


def run_once(argv: Sequence[str], *, cwd: str | None = None, env: dict | None = None,
             ok_codes: Sequence[int] = (0,)) -> tuple[float, float, int, bytes]:
    """Wall seconds, peak resident MB, exit code and stdout of one run (through bench/spawn.py)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rusage") as result:
        proc = subprocess.run([sys.executable, "-I", "-S", str(SPAWN), result.name, *argv], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        fields = Path(result.name).read_text().split()
    if proc.returncode not in ok_codes or len(fields) != 2:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}")
    return float(fields[0]), int(fields[1]) / 1024, proc.returncode, proc.stdout


def measure(name: str, argv: Sequence[str], *, runs: int, cwd: str | None = None, env: dict | None = None,
            setup: Callable[[], None] | None = None, verify: Callable[[bytes], str | None] | None = None,
            ok_codes: Sequence[int] = (0,)) -> Figure:
    """`runs` runs of a command; `verify` (given each run's output) returns why it did not do its work, if so."""
    figure = Figure(name=name, command=shlex.join(argv))
    for _ in range(runs):
        if setup:
            setup()
        try:
            seconds, peak, _, out = run_once(argv, cwd=cwd, env=env, ok_codes=ok_codes)
        except (RuntimeError, OSError) as exc:
            figure.failed = str(exc)
            break
        problem = verify(out) if verify else None
        if problem:
            figure.failed = f"the run did not do its work: {problem}"
            break
        figure.seconds.append(seconds)
        figure.peak_mb.append(peak)
    return figure


def measure_inline(name: str, fn: Callable[[], float], *, runs: int, description: str = "") -> Figure:
    """For figures measured inside one process (latencies): fn returns seconds."""
    figure = Figure(name=name, command=description)
    for _ in range(runs):
        figure.seconds.append(fn())
    return figure
