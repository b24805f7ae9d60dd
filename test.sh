#!/usr/bin/env bash
# Install the workbench with its test extra into .venv and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
# one worker per core (at most 4: each builds its own demo databases); tests share nothing but the
# PostgreSQL server, where each takes its own database or schema
exec .venv/bin/python -m pytest -p no:cacheprovider -q -n auto --maxprocesses=4 "$@"
