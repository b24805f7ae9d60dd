"""Work done in a forked process while the caller does other work (on two cores, an import parses
a catalog's translation files while it writes the template's units, an export compiles the .mo
while it writes the .po)."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from functools import partial
from typing import Callable, Sequence


def can_read_ahead() -> bool:
    """Whether a child can be forked safely here: a system with fork, and no other thread (one
    could hold a lock that the child would then wait for forever)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class InChild:
    """Calls made one after the other in a child process forked at once. result(i) waits for the
    i-th call's result (each is given once); None when the child could not give it (the caller
    then does the work itself, and so reports its errors as usual). close() ends the child and
    removes its files. The results must pickle."""

    def __init__(self, calls: Sequence[Callable[[], object]]) -> None:
        self._dir = tempfile.mkdtemp(prefix="workbench-child-")
        self._done: dict[int, bool] = {}
        self._buffer = b""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                                   # the child: never returns
            os.close(read)
            _child(list(calls), self._dir, write)
        os.close(write)
        self._pid: int | None = pid
        self._pipe: int | None = read

    def result(self, i: int) -> object | None:
        if self._pipe is None:
            return None
        while i not in self._done:
            chunk = os.read(self._pipe, 4096)
            if not chunk:                              # the child ended before it
                return None
            *lines, self._buffer = (self._buffer + chunk).split(b"\n")
            for line in lines:
                index, ok = line.split()
                self._done[int(index)] = ok == b"1"
        if not self._done.pop(i):
            return None
        file = os.path.join(self._dir, str(i))
        try:
            with open(file, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        finally:
            try:
                os.unlink(file)
            except OSError:
                pass

    def close(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                os.kill(pid, signal.SIGTERM)           # (it only writes into its own folder)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "InChild":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ReadAhead(InChild):
    """`parse(path)` of each path, in that order, in a child process; take(path) is its result
    (or None, see InChild)."""

    def __init__(self, parse: Callable[[Path], object], paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        super().__init__([partial(parse, path) for path in self._paths])

    def take(self, path: Path) -> object | None:
        return self.result(self._paths.index(path)) if path in self._paths else None


def _child(calls: list[Callable[[], object]], directory: str, pipe: int) -> None:
    """Make each call, pickle its result into `directory`, say so on `pipe`, then exit without
    running anything of the parent's (no atexit, no flushing of its buffers)."""
    status = 0
    try:
        for i, call in enumerate(calls):
            ok = False
            try:
                result = call()
                with open(os.path.join(directory, str(i)), "wb") as f:
                    pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
                ok = True
            except Exception:                          # the parent does it again, and reports
                pass
            os.write(pipe, b"%d %d\n" % (i, ok))
    except BaseException:                              # the parent went away, or an interrupt
        status = 1
    finally:
        os._exit(status)
