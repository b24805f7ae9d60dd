"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temporary file and a rename; False when unchanged."""
    if path.is_file() and path.read_bytes() == data:
        return False
    replace_atomic(path, data)
    return True


def replace_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename, whatever `path` holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); an exported file gets the mode a plain write
        # would give it (the existing file's, else 0666 less the umask)
        os.fchmod(fd, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    # reading the umask means setting it: two threads at once could leave it at 0 (exports write
    # several files at a time)
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return mask
