"""A deterministic offline provider for the demo and the tests: marked, glossary-aware output."""

from __future__ import annotations

import re
from typing import ClassVar, Mapping, Sequence

from workbench.mt.base import Glossary, Suggestion, TranslateOptions
from workbench.mt.markup import map_text


class FakeProvider:
    """Prefixes `[xx]`, applies the term base's preferred terms, and keeps every placeholder intact.

    The output is clearly machine-made (a reviewer never mistakes it for a translation) and the
    same input always gives the same output, so tests and the demo can rely on it.
    """

    id: ClassVar[str] = "fake"
    on_wait = None                          # (it never waits)

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __repr__(self) -> str:
        return "FakeProvider()"

    def prepare_glossary(self, glossary: Glossary, *, source: str) -> None:
        return None

    def translate(self, texts: Sequence[str], *, source: str, target: str,
                  options: TranslateOptions) -> list[Suggestion]:
        self.calls.append({"texts": list(texts), "source": source, "target": target, "options": options})
        marker = f"[{target}]"
        apply = _glossary_function(options.glossary or {})
        out = []
        for text in texts:
            body = map_text(text, apply) if options.protect_markup else apply(text)
            out.append(Suggestion(text=f"{marker} {body}" if body else body, provider=self.id,
                                  billed_characters=len(text)))
        return out

    def close(self) -> None:
        return None


def _glossary_function(entries: Mapping[str, str]):
    if not entries:
        return lambda s: s
    terms = sorted(entries, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE)
    lowered = {k.casefold(): v for k, v in entries.items()}

    def apply(s: str) -> str:
        return pattern.sub(lambda m: lowered.get(m.group(1).casefold(), m.group(1)), s)

    return apply
