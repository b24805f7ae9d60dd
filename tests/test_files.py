"""Atomic writes: the new content or the old one, and the mode a plain write would give."""

import os
import stat

import pytest

from workbench.services.files import write_atomic


def test_writes_and_reports_unchanged(tmp_path):
    target = tmp_path / "a" / "b.po"
    assert write_atomic(target, b"one") is True
    assert target.read_bytes() == b"one"
    assert write_atomic(target, b"one") is False
    assert write_atomic(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["b.po"]   # no temporary file left


def test_new_file_gets_the_umask_mode_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "x.vtt", b"WEBVTT\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.vtt").stat().st_mode) == 0o644


def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "x.po"
    target.write_bytes(b"old")
    target.chmod(0o664)
    write_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_bytes(b"old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]
