"""The editor's filter language: `state:draft check:cps module:2 kind:quiz "plan d'action"`."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from workbench.domain.errors import WorkbenchError
from workbench.domain.states import State

KINDS = {"text": ("text",), "quiz": ("quiz-question", "quiz-choice", "quiz-feedback"),
         "subtitle": ("cue",), "cue": ("cue",), "question": ("quiz-question",),
         "choice": ("quiz-choice",), "feedback": ("quiz-feedback",)}
FIELDS = ("state", "check", "module", "kind", "key", "in", "video", "resource", "source", "target", "is")


class QueryError(WorkbenchError):
    """A filter the editor cannot understand."""


@dataclass(frozen=True)
class Filter:
    states: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    key_prefix: str | None = None
    text: tuple[str, ...] = ()          # words or phrases, in source or target
    source_text: tuple[str, ...] = ()
    target_text: tuple[str, ...] = ()
    commented: bool = False             # the reviewer left a comment
    stale: bool = False                 # the source changed since the translation

    def is_empty(self) -> bool:
        return self == Filter()

    def with_(self, **changes) -> "Filter":
        return replace(self, **changes)


def parse_filter(query: str, *, modules: tuple[str, ...] = ()) -> Filter:
    """Parse the filter language; `module:2` means the second module (or a module id)."""
    try:
        tokens = shlex.split(query, posix=True)
    except ValueError as exc:
        raise QueryError(f"filter: {exc} (close the quotes)") from None
    out: dict[str, list[str]] = {k: [] for k in ("states", "checks", "modules", "kinds", "resources",
                                                "text", "source_text", "target_text")}
    key_prefix = None
    flags = {"commented": False, "stale": False}
    for token in tokens:
        name, sep, value = token.partition(":")
        if sep and name in FIELDS and not value:        # 'state:' alone: a typo, not a word to find
            raise QueryError(f"filter: {name}: needs a value, with no space after the colon "
                             f"(state:draft, kind:quiz, module:2...)")
        if not sep or name not in FIELDS:
            out["text"].append(token)
            continue
        values = [v for v in value.split(",") if v]
        if name == "state":
            for v in values:
                if v not in {s.value for s in State}:
                    raise QueryError(f"filter: unknown state {v!r} (untranslated, draft, translated, approved)")
            out["states"] += values
        elif name == "check":
            out["checks"] += values
        elif name == "module":
            for v in values:
                if v.isdigit() and modules and 1 <= int(v) <= len(modules):
                    out["modules"].append(modules[int(v) - 1])
                elif v.isdigit() and not modules:
                    out["modules"].append(f"m{v}")
                else:
                    out["modules"].append(v)
        elif name == "kind":
            for v in values:
                if v not in KINDS:
                    raise QueryError(f"filter: unknown kind {v!r} ({', '.join(KINDS)})")
                out["kinds"] += KINDS[v]
        elif name in ("in", "video", "resource"):
            out["resources"] += values
        elif name == "key":
            key_prefix = value
        elif name == "source":
            out["source_text"].append(value)
        elif name == "target":
            out["target_text"].append(value)
        elif name == "is":
            for v in values:
                if v not in flags:
                    raise QueryError(f"filter: unknown is:{v} (is:commented, is:stale)")
                flags[v] = True
    return Filter(**{k: tuple(dict.fromkeys(v)) for k, v in out.items()}, key_prefix=key_prefix, **flags)


def describe(f: Filter) -> str:
    """The filter written back in the query language."""
    parts = []
    for name, values in (("state", f.states), ("check", f.checks), ("module", f.modules), ("in", f.resources)):
        if values:
            parts.append(f"{name}:{','.join(values)}")
    if f.kinds:
        fam = [k for k, v in KINDS.items() if set(v) == set(f.kinds)]
        parts.append(f"kind:{fam[0] if fam else ','.join(f.kinds)}")
    if f.key_prefix:
        parts.append(f"key:{f.key_prefix}")
    for flag in ("commented", "stale"):
        if getattr(f, flag):
            parts.append(f"is:{flag}")
    for t in f.source_text:
        parts.append(f"source:{_quote(t)}")
    for t in f.target_text:
        parts.append(f"target:{_quote(t)}")
    parts += [_quote(t) for t in f.text]
    return " ".join(parts)


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[^\s\"']+", text) else '"' + text.replace('"', '\\"') + '"'
