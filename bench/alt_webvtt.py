"""The alternative for subtitles: webvtt-py reading (and with --save, writing .vtt and .srt) the same files.

python -m bench.alt_webvtt SUBTITLES_DIR [--save OUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import webvtt


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    out = Path(argv[2]) if len(argv) > 2 and argv[1] == "--save" else None
    cues = 0
    for path in sorted(root.rglob("*.vtt")):
        captions = webvtt.read(str(path))
        cues += len(captions.captions)
        if out is not None and path.parent != root:        # translations only: what an export writes
            target = out / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            captions.save(str(target))
            captions.save_as_srt(str(target.with_suffix(".srt")), keep_formatting=True)
    print(cues)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
