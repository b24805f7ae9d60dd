"""The explicit registry of machine translation providers; workbench.toml [mt] provider chooses."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from workbench.mt.base import MtConfigError, Provider
from workbench.mt.deepl_provider import DeepLProvider
from workbench.mt.fake import FakeProvider

#: Where a provider may keep its own state (the DeepL glossary id and hashes), under .workbench/.
STATE_FILE = {"deepl": "deepl-glossary.json"}


def _deepl(*, state_dir: Path, project_root: Path | None) -> Provider:
    return DeepLProvider(state_path=state_dir / STATE_FILE["deepl"], project_root=project_root)


def _fake(*, state_dir: Path, project_root: Path | None) -> Provider:
    return FakeProvider()


#: provider id -> factory taking (state_dir, project_root).
PROVIDERS: dict[str, Callable[..., Provider]] = {
    DeepLProvider.id: _deepl,
    FakeProvider.id: _fake,
}


def create_provider(name: str, *, state_dir: Path, project_root: Path | None = None) -> Provider:
    factory = PROVIDERS.get(name)
    if factory is None:
        raise MtConfigError(f"workbench.toml: [mt] provider {name!r} is unknown "
                            f"(known: {', '.join(sorted(PROVIDERS))})")
    return factory(state_dir=state_dir, project_root=project_root)
