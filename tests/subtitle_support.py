"""The subtitle test course (tests/fixtures/subtitles/course), copied for each test, and a workbench on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.services.context import Workbench

FIXTURES = Path(__file__).parent / "fixtures" / "subtitles"
VIDEO = "m1-v1-demo"


@pytest.fixture
def course(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(FIXTURES / "course", target)
    return target


@pytest.fixture
def wb(course, db_url):
    wb = Workbench.open(course, db=db_url, user="coordinator")
    yield wb
    wb.close()
