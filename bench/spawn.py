"""A tiny launcher: runs a command, then writes its wall seconds and peak resident kilobytes to a file.

Peak memory read by the benchmark's own wait4() would include the benchmark process: Linux keeps a
process's high-water mark across exec, and a spawned child starts from its parent's. This launcher is
started with `python -I -S` (about 5 MB) and forks the measured command, so that floor is small; GNU
time, when installed, is used instead (its floor is about 1 MB).
"""

import os
import sys
import time

out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{elapsed} {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
