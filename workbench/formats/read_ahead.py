"""Files parsed in a forked process while the caller does other work (on two cores, an import
parses a catalog's translation files while it writes the template's units)."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Callable, Sequence


def can_read_ahead() -> bool:
    """Whether a child can be forked safely here: a system with fork, and no other thread (one
    could hold a lock that the child would then wait for forever)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class ReadAhead:
    """`parse(path)` of each path, in that order, in a child process forked at once. take(path)
    waits for its result; None when the child could not give one (the caller then parses the file
    itself, and so reports its errors as usual). close() ends the child and removes its files."""

    def __init__(self, parse: Callable[[Path], object], paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        self._dir = tempfile.mkdtemp(prefix="workbench-ahead-")
        self._done: dict[int, bool] = {}
        self._buffer = b""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                                   # the child: never returns
            os.close(read)
            _child(parse, self._paths, self._dir, write)
        os.close(write)
        self._pid: int | None = pid
        self._pipe: int | None = read

    def take(self, path: Path) -> object | None:
        """The result for `path` (each is given once), or None."""
        if path not in self._paths or self._pipe is None:
            return None
        i = self._paths.index(path)
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

    def __enter__(self) -> "ReadAhead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _child(parse: Callable[[Path], object], paths: list[Path], directory: str, pipe: int) -> None:
    """Parse each file, pickle its result into `directory`, say so on `pipe`, then exit without
    running anything of the parent's (no atexit, no flushing of its buffers)."""
    status = 0
    try:
        for i, path in enumerate(paths):
            ok = False
            try:
                result = parse(path)
                with open(os.path.join(directory, str(i)), "wb") as f:
                    pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
                ok = True
            except Exception:                          # the parent parses it again and reports
                pass
            os.write(pipe, b"%d %d\n" % (i, ok))
    except BaseException:                              # the parent went away, or an interrupt
        status = 1
    finally:
        os._exit(status)
