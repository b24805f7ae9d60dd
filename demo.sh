#!/usr/bin/env bash
# Install the workbench into .venv and open it on the bundled demo course (SQLite, no key needed).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e .
exec .venv/bin/workbench "$@"
