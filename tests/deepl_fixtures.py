"""Fixtures for the DeepL tests: the local mock server and a library tuned for fast retries."""

from __future__ import annotations

import pytest
from deepl import http_client

from deepl_server import DeepLMockServer

#: A key that looks real; the tests grep for it wherever it must never appear.
SECRET_KEY = "f63c02c5-f056-4f5e-9a4e-0123456789ab:fx"
RETRIES = 2


@pytest.fixture
def fast_retries(monkeypatch):
    """Few retries, short timeouts and a backoff of milliseconds instead of seconds."""
    monkeypatch.setattr(http_client, "max_network_retries", RETRIES)
    monkeypatch.setattr(http_client, "min_connection_timeout", 2.0)
    monkeypatch.setattr(http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)
    monkeypatch.setattr(http_client._BackoffTimer, "BACKOFF_MAX", 0.05)


@pytest.fixture
def deepl_server(fast_retries):
    with DeepLMockServer() as server:
        yield server


@pytest.fixture
def deepl_env(monkeypatch, deepl_server, tmp_path):
    """DEEPL_AUTH_KEY and DEEPL_SERVER_URL set for code that reads them (the CLI, the services)."""
    monkeypatch.setenv("DEEPL_AUTH_KEY", SECRET_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return deepl_server
