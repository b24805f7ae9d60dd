"""DeepL through the official `deepl` library: key, language mapping, options, glossary, errors."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, ClassVar, Iterator, Mapping, Sequence, TypeVar
from urllib.parse import urlsplit

import deepl
from deepl import http_client as deepl_http
from deepl.api_data import MultilingualGlossaryDictionaryEntries

from workbench.domain.languages import LANGUAGES, normalize_tag, primary
from workbench.mt.base import (
    Glossary, MtAuthError, MtConfigError, MtConnectionError, MtError, MtQuotaError,
    MtUnavailableError, Suggestion, TranslateOptions,
)
from workbench.mt.markup import IGNORE_TAG, LINK_TAG, protect

log = logging.getLogger("workbench.mt.deepl")

KEY_ENV = "DEEPL_AUTH_KEY"
SERVER_ENV = "DEEPL_SERVER_URL"
KEY_FILE_NAME = "deepl.key"
#: DeepL takes at most 50 texts and 128 KiB per /v2/translate request.
MAX_TEXTS = 50
MAX_REQUEST_BYTES = 120_000
#: A glossary term must be at most 1,024 UTF-8 bytes, without control characters.
MAX_TERM_BYTES = 1024
FORMALITIES = ("more", "less", "default", "prefer_more", "prefer_less")

R = TypeVar("R")


# -- the key ----------------------------------------------------------------------------

def key_file_candidates(env: Mapping[str, str] | None = None) -> list[Path]:
    """Where a user may keep the key: $XDG_CONFIG_HOME/workbench/deepl.key, ~/.config/workbench/deepl.key."""
    env = os.environ if env is None else env
    out = []
    if env.get("XDG_CONFIG_HOME"):
        out.append(Path(env["XDG_CONFIG_HOME"]) / "workbench" / KEY_FILE_NAME)
    home = env.get("HOME") or str(Path.home())
    out.append(Path(home) / ".config" / "workbench" / KEY_FILE_NAME)
    return out


def load_auth_key(*, env: Mapping[str, str] | None = None, project_root: Path | None = None) -> str:
    """The key from DEEPL_AUTH_KEY, else from the user's config file; never from the project."""
    env = os.environ if env is None else env
    key = (env.get(KEY_ENV) or "").strip()
    if key:
        return key
    for path in key_file_candidates(env):
        if not path.is_file():
            continue
        if project_root is not None and path.resolve().is_relative_to(project_root.resolve()):
            raise MtConfigError(f"{path}: the DeepL key file is inside the course project; move it to "
                                f"~/.config/workbench/{KEY_FILE_NAME} so that it never reaches git")
        try:
            key = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            raise MtConfigError(f"{path}: cannot read the DeepL key file") from None
        if key:
            return key
        raise MtConfigError(f"{path}: the DeepL key file is empty")
    raise MtConfigError(f"no DeepL key: set {KEY_ENV} or write the key to "
                        f"~/.config/workbench/{KEY_FILE_NAME} (outside the project)")


# -- languages --------------------------------------------------------------------------

def deepl_source(code: str) -> str:
    """DeepL's source code: the language without region (FR, EN, DE)."""
    return primary(code).upper()


def deepl_target(code: str) -> str:
    """DeepL's target code: EN-GB (or EN-US for en-US), PT-PT/PT-BR, else the language."""
    tag = normalize_tag(code)
    lang = primary(tag)
    region = tag.split("-")[1] if "-" in tag else ""
    if lang == "en":
        return "EN-US" if region == "US" else "EN-GB"
    if lang == "pt":
        return "PT-BR" if region == "BR" else "PT-PT"
    info = LANGUAGES.get(lang)
    return info.deepl_target if info else lang.upper()


def _supports(code: str, what: str) -> bool:
    info = LANGUAGES.get(primary(code))
    return bool(info and getattr(info, what))


def supports_glossary(code: str) -> bool:
    return _supports(code, "deepl_glossary")


def supports_tags(code: str) -> bool:
    return _supports(code, "deepl_tags")


def deepl_formality(code: str, formality: str | None) -> str | None:
    """The formality to send: as asked where DeepL supports it, `prefer_*` elsewhere."""
    if not formality or formality == "default":
        return None
    if formality not in FORMALITIES:
        raise MtConfigError(f"unknown formality {formality!r}: use more, less or default")
    if _supports(code, "deepl_formality"):
        return formality
    return formality if formality.startswith("prefer_") else f"prefer_{formality}"


# -- glossary ---------------------------------------------------------------------------

def clean_entries(entries: Mapping[str, str]) -> dict[str, str]:
    """The entries DeepL accepts: non-empty, no control characters, at most 1,024 bytes, unique."""
    out: dict[str, str] = {}
    for source, target in entries.items():
        s, t = (source or "").strip(), (target or "").strip()
        if not s or not t or s in out:
            continue
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in s + t):
            continue
        if len(s.encode()) > MAX_TERM_BYTES or len(t.encode()) > MAX_TERM_BYTES:
            continue
        out[s] = t
    return out


def entries_hash(entries: Mapping[str, str]) -> str:
    data = "\n".join(f"{s}\t{t}" for s, t in sorted(entries.items()))
    return hashlib.sha256(data.encode()).hexdigest()


class GlossaryState:
    """The id and content hashes of our DeepL glossary, kept in a JSON file under .workbench/."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.data: dict = {}
        if path is not None and path.is_file():
            try:
                self.data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.data = {}

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


# -- the provider -----------------------------------------------------------------------

class DeepLProvider:
    """DeepL text translation with our options, the term base as a multilingual glossary."""

    id: ClassVar[str] = "deepl"
    on_wait: Callable[[str], None] | None = None

    def __init__(self, *, auth_key: str | None = None, server_url: str | None = None,
                 state_path: Path | None = None, project_root: Path | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        key = auth_key or load_auth_key(env=env, project_root=project_root)
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in key):
            raise MtConfigError("the DeepL key contains spaces, line breaks or control characters: "
                                f"check {KEY_ENV} or ~/.config/workbench/{KEY_FILE_NAME}")
        self.server_url = server_url or env.get(SERVER_ENV) or None
        self._secret = key
        try:
            self._client = deepl.DeepLClient(key, server_url=self.server_url, send_platform_info=False)
        except ValueError as exc:
            raise MtConfigError(f"DeepL: {self._redact(str(exc))}") from None
        self._client.set_app_info("workbench", "0.1")
        self._state = GlossaryState(state_path)
        self._checked = False       # the remembered glossary was seen on the server in this session
        self.requests = 0

    def __repr__(self) -> str:
        return f"DeepLProvider(server_url={self.server_url!r})"

    def __reduce__(self):
        raise TypeError("a DeepLProvider holds a secret and cannot be pickled")

    def close(self) -> None:
        self._client.close()

    @property
    def host(self) -> str:
        return urlsplit(self.server_url).netloc if self.server_url else "api.deepl.com"

    # -- glossary

    def prepare_glossary(self, glossary: Glossary, *, source: str) -> None:
        """Upload the term base as one multilingual glossary, only what changed since last time."""
        wanted: dict[str, tuple[str, str, dict[str, str]]] = {}
        for (src, tgt), entries in glossary.dictionaries.items():
            if primary(src) != primary(source):
                continue
            found = self._dictionary(source=src, target=tgt, entries=entries)
            if found:
                wanted[found[0]] = found[1]
        self._sync(wanted, name=glossary.name, prune=True)

    def _dictionary(self, *, source: str, target: str, entries: Mapping[str, str]):
        if not supports_glossary(target):
            return None
        clean = clean_entries(entries)
        if not clean:
            return None
        s, t = deepl_source(source), deepl_source(target)
        return f"{s}>{t}", (s, t, clean)

    def _sync(self, wanted: dict[str, tuple[str, str, dict[str, str]]], *, name: str, prune: bool) -> None:
        state = self._state.data
        if state.get("server") != (self.server_url or ""):
            state.clear()
        glossary_id = state.get("glossary_id")
        if glossary_id and not self._checked:
            try:
                self._call(lambda: self._client.get_multilingual_glossary(glossary_id))
                self._checked = True
            except _GlossaryGone:
                log.info("the DeepL glossary %s is gone; creating it again", glossary_id)
                state.clear()
                glossary_id = None
        if not glossary_id:
            if not wanted:
                return
            dicts = [MultilingualGlossaryDictionaryEntries(s, t, e) for s, t, e in wanted.values()]
            info = self._call(lambda: self._client.create_multilingual_glossary(name, dicts))
            state.clear()
            state.update(server=self.server_url or "", name=name, glossary_id=info.glossary_id,
                         dictionaries={k: entries_hash(e) for k, (_, _, e) in wanted.items()})
            self._state.save()
            self._checked = True
            log.info("created DeepL glossary %s with %d dictionaries", info.glossary_id, len(wanted))
            return
        hashes: dict = state.setdefault("dictionaries", {})
        for key, (s, t, entries) in wanted.items():
            digest = entries_hash(entries)
            if hashes.get(key) == digest:
                continue
            d = MultilingualGlossaryDictionaryEntries(s, t, entries)
            self._call(lambda: self._client.replace_multilingual_glossary_dictionary(glossary_id, d))
            hashes[key] = digest
            self._state.save()
            log.info("updated DeepL glossary dictionary %s (%d terms)", key, len(entries))
        if prune:
            for key in [k for k in hashes if k not in wanted]:
                s, t = key.split(">")
                try:
                    self._call(lambda: self._client.delete_multilingual_glossary_dictionary(
                        glossary_id, source_lang=s, target_lang=t))
                except _GlossaryGone:
                    pass
                del hashes[key]
                self._state.save()

    def glossary_for(self, source: str, target: str) -> str | None:
        """The glossary id to send for this pair, or None (no dictionary, or Croatian)."""
        if not supports_glossary(target):
            return None
        name = f"{deepl_source(source)}>{deepl_source(target)}"
        if name in self._state.data.get("dictionaries", {}):
            return self._state.data.get("glossary_id")
        return None

    # -- translation

    def translate(self, texts: Sequence[str], *, source: str, target: str,
                  options: TranslateOptions) -> list[Suggestion]:
        kwargs: dict = {"source_lang": deepl_source(source), "target_lang": deepl_target(target)}
        glossary_id = None
        if options.glossary:
            found = self._dictionary(source=source, target=target, entries=options.glossary)
            if found:
                self._sync(dict([found]), name=self._state.data.get("name") or "workbench", prune=False)
                glossary_id = self.glossary_for(source, target)
        if glossary_id:
            kwargs["glossary"] = glossary_id
        formality = deepl_formality(target, options.formality)
        if formality:
            kwargs["formality"] = formality
        if options.context:
            kwargs["context"] = options.context
        if not options.split_sentences:
            kwargs["split_sentences"] = "0"
        tags = options.protect_markup and supports_tags(target)
        if tags:
            kwargs.update(tag_handling="xml", ignore_tags=[IGNORE_TAG], non_splitting_tags=[IGNORE_TAG, LINK_TAG])
        out: list[Suggestion] = []
        for chunk in _chunks(list(texts)):
            protected = [protect(t) for t in chunk] if tags else None
            payload = [p.xml for p in protected] if protected else chunk
            try:
                results = self._call(lambda: self._client.translate_text(payload, **kwargs))
            except MtError as exc:
                exc.partial = out
                raise
            for i, result in enumerate(results):
                text = protected[i].restore(result.text).text if protected else result.text
                out.append(Suggestion(text=text, provider=self.id,
                                      billed_characters=int(result.billed_characters or 0)))
        return out

    # -- errors

    def _redact(self, text: str) -> str:
        return text.replace(self._secret, "[key]") if self._secret else text

    def _call(self, fn: Callable[[], R]) -> R:
        self.requests += 1
        retries = deepl_http.max_network_retries
        try:
            with _retries_told(self.on_wait, retries):
                return fn()
        except deepl.GlossaryNotFoundException:
            raise _GlossaryGone() from None
        except deepl.AuthorizationException:
            raise MtAuthError(f"DeepL refused the key (403 Forbidden) at {self.host}: check {KEY_ENV} "
                              f"or ~/.config/workbench/{KEY_FILE_NAME}") from None
        except deepl.QuotaExceededException:
            raise MtQuotaError("DeepL character quota exceeded (456)") from None
        except deepl.TooManyRequestsException:
            raise MtUnavailableError(f"DeepL: too many requests (429), still refused after {retries} "
                                     f"retries; wait a few minutes and run again") from None
        except deepl.ConnectionException:
            raise MtConnectionError(f"cannot reach DeepL at {self.host} (no network or connection "
                                    f"dropped, {retries} retries); check the connection and run again") from None
        except deepl.DeepLException as exc:
            status = exc.http_status_code
            if status and status >= 500:
                raise MtUnavailableError(f"DeepL server error ({status}), still failing after {retries} "
                                         f"retries; try again later") from None
            raise MtError(f"DeepL rejected the request ({status or 'no status'}): "
                          f"{self._redact(str(exc))[:300]}") from None
        except ValueError as exc:
            raise MtError(f"DeepL: {self._redact(str(exc))}") from None


#: What the deepl library logs (at INFO) before it tries a request again.
_RETRY = re.compile(r"Starting retry (\d+) for request .* after sleeping for ([\d.]+) seconds")


class _RetryNotice(logging.Handler):
    """Turns the deepl library's retry log lines into a short line for `on_wait`."""

    def __init__(self, on_wait: Callable[[str], None], retries: int) -> None:
        super().__init__(logging.INFO)
        self.on_wait, self.retries = on_wait, retries
        self.thread = threading.get_ident()          # (another thread's requests are not ours)

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        m = _RETRY.search(record.getMessage())
        if m:
            self.on_wait(f"DeepL: no answer, retry {m.group(1)}/{self.retries} in {float(m.group(2)):.0f} s")


@contextmanager
def _retries_told(on_wait: Callable[[str], None] | None, retries: int) -> Iterator[None]:
    """While a request runs, each retry the library makes is told to `on_wait` (the library says
    so in its log, at INFO level: the logger is let down to INFO meanwhile if it was above)."""
    if on_wait is None:
        yield
        return
    logger = logging.getLogger("deepl")
    handler = _RetryNotice(on_wait, retries)
    with _LOGGER_LOCK:              # the first request in lowers the level, the last out restores it
        if not _LOGGER_STATE["users"]:
            _LOGGER_STATE["level"] = logger.level
            if logger.getEffectiveLevel() > logging.INFO:
                logger.setLevel(logging.INFO)
        _LOGGER_STATE["users"] += 1
        logger.addHandler(handler)
    try:
        yield
    finally:
        with _LOGGER_LOCK:
            logger.removeHandler(handler)
            _LOGGER_STATE["users"] -= 1
            if not _LOGGER_STATE["users"]:
                logger.setLevel(_LOGGER_STATE["level"])


_LOGGER_LOCK = threading.Lock()
_LOGGER_STATE = {"users": 0, "level": logging.NOTSET}


class _GlossaryGone(MtError):
    def __init__(self) -> None:
        super().__init__("the DeepL glossary no longer exists")


def _chunks(texts: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    current: list[str] = []
    size = 0
    for text in texts:
        n = len(text.encode()) * 2 + 64    # room for the protection tags and JSON escapes
        if current and (len(current) >= MAX_TEXTS or size + n > MAX_REQUEST_BYTES):
            out.append(current)
            current, size = [], 0
        current.append(text)
        size += n
    if current:
        out.append(current)
    return out
