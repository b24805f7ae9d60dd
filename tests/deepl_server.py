"""A local HTTP server that speaks the few DeepL endpoints we use, with levers for failure cases.

Started by the tests on 127.0.0.1 with a free port; the real `deepl` library talks to it through
`server_url`. Like DeepL's own mock server it authenticates any non-empty key but the ones in
`invalid_keys`, can answer 429 or 5xx N times, drop N connections, start with a small character
quota (then 456), and remembers every request it received (`requests`, `last_request`).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TARGETS = {"FR", "EN-GB", "EN-US", "DE", "NL", "IT", "ES", "PL", "BG", "HR", "EL", "LV", "RO", "SL",
           "PT-PT", "PT-BR"}
FORMALITY = {"FR", "DE", "NL", "IT", "ES", "PL", "PT-PT", "PT-BR"}
NO_TAGS = {"HR"}
NO_GLOSSARY = {"HR"}
_TAG = re.compile(r"<[^<>]+>")


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: dict | None
    status: int | None = None          # what the server answered (None: connection dropped)

    @property
    def auth_key(self) -> str | None:
        value = self.headers.get("Authorization", "")
        return value[len("DeepL-Auth-Key "):] if value.startswith("DeepL-Auth-Key ") else None


@dataclass
class MockGlossary:
    glossary_id: str
    name: str
    dictionaries: dict = field(default_factory=dict)     # (src, tgt) lower -> {source: target}

    def info(self) -> dict:
        return {"glossary_id": self.glossary_id, "name": self.name,
                "creation_time": "2026-01-01T00:00:00.000000+00:00",
                "dictionaries": [{"source_lang": s, "target_lang": t, "entry_count": len(e)}
                                 for (s, t), e in sorted(self.dictionaries.items())]}


class DeepLMockServer:
    """The server and its levers; use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.invalid_keys = {"invalid"}
        self.requests: list[Request] = []
        self.glossaries: dict[str, MockGlossary] = {}
        self.fail_status = 0
        self.fail_times = 0
        self.drop_times = 0
        self.quota: int | None = None
        self.used = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- levers

    def fail(self, status: int, times: int) -> None:
        """Answer the next `times` requests with `status` (429 or a 5xx)."""
        with self.lock:
            self.fail_status, self.fail_times = status, times

    def drop(self, times: int) -> None:
        """Close the next `times` connections without an answer."""
        with self.lock:
            self.drop_times = times

    def set_quota(self, characters: int | None) -> None:
        with self.lock:
            self.quota, self.used = characters, 0

    # -- what was received

    @property
    def last_request(self) -> Request | None:
        return self.requests[-1] if self.requests else None

    def translate_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path == "/v2/translate"]

    def glossary_writes(self) -> list[Request]:
        return [r for r in self.requests if r.path.startswith("/v3/glossaries") and r.method != "GET"]

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "DeepLMockServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "DeepLMockServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the API

    def handle(self, req: Request) -> tuple[int, dict | None]:
        key = req.auth_key
        if not key or key in self.invalid_keys:
            return 403, {"message": "Authorization failed"}
        path = req.path
        if path == "/v2/translate" and req.method == "POST":
            return self.translate(req.body or {})
        if path == "/v2/usage":
            return 200, {"character_count": self.used, "character_limit": self.quota or 500000}
        if path == "/v2/languages":
            return 200, [{"language": t, "name": t} for t in sorted(TARGETS)]
        m = re.fullmatch(r"/v3/glossaries(?:/(?P<id>[^/]+))?(?P<rest>/dictionaries|/entries)?", path)
        if m:
            return self.glossary_api(req, m["id"], m["rest"])
        return 404, {"message": "Not found"}

    def translate(self, body: dict) -> tuple[int, dict]:
        texts = body.get("text") or []
        target = str(body.get("target_lang", "")).upper()
        source = str(body.get("source_lang") or "").upper()
        if not texts or not target:
            return 400, {"message": "Parameter 'text' and 'target_lang' are required"}
        if target not in TARGETS:
            return 400, {"message": f"Value for 'target_lang' not supported: {target}"}
        formality = body.get("formality")
        if formality in ("more", "less") and target not in FORMALITY:
            return 400, {"message": "'formality' is not supported for given 'target_lang'."}
        if body.get("tag_handling") and target in NO_TAGS:
            return 400, {"message": f"Tag handling is not supported for {target}"}
        entries: dict = {}
        if body.get("glossary_id"):
            if not source:
                return 400, {"message": "Use of a glossary requires the 'source_lang' parameter"}
            if target.split("-")[0] in NO_GLOSSARY:
                return 400, {"message": f"No glossary support for {target}"}
            glossary = self.glossaries.get(body["glossary_id"])
            if glossary is None:
                return 404, {"message": "Glossary not found"}
            pair = (source.lower(), target.split("-")[0].lower())
            if pair not in glossary.dictionaries:
                return 400, {"message": "Glossary has no dictionary for this language pair"}
            entries = glossary.dictionaries[pair]
        characters = sum(len(t) for t in texts)
        with self.lock:
            if self.quota is not None and self.used + characters > self.quota:
                return 456, {"message": "Quota Exceeded"}
            self.used += characters
        ignore = set(body.get("ignore_tags") or ()) if body.get("tag_handling") else set()
        return 200, {"translations": [
            {"detected_source_language": source or "FR", "billed_characters": len(t),
             "text": fake_translate(t, target=target, entries=entries, tags=bool(body.get("tag_handling")),
                                    ignore=ignore)}
            for t in texts]}

    def glossary_api(self, req: Request, glossary_id: str | None, rest: str | None) -> tuple[int, dict | None]:
        if glossary_id is None:
            if req.method == "GET":
                return 200, {"glossaries": [g.info() for g in self.glossaries.values()]}
            if req.method == "POST":
                body = req.body or {}
                dictionaries = {}
                for d in body.get("dictionaries") or []:
                    status, parsed = _dictionary(d)
                    if status != 200:
                        return status, parsed
                    dictionaries.update(parsed)
                if not body.get("name") or not dictionaries:
                    return 400, {"message": "Invalid glossary"}
                g = MockGlossary(uuid.uuid4().hex, body["name"], dictionaries)
                self.glossaries[g.glossary_id] = g
                return 201, g.info()
            return 405, {"message": "Method not allowed"}
        g = self.glossaries.get(glossary_id)
        if g is None:
            return 404, {"message": "Glossary not found"}
        if rest is None:
            if req.method == "GET":
                return 200, g.info()
            if req.method == "DELETE":
                del self.glossaries[glossary_id]
                return 204, None
            if req.method == "PATCH":
                body = req.body or {}
                if body.get("name"):
                    g.name = body["name"]
                for d in body.get("dictionaries") or []:
                    status, parsed = _dictionary(d)
                    if status != 200:
                        return status, parsed
                    for pair, entries in parsed.items():
                        g.dictionaries.setdefault(pair, {}).update(entries)
                return 200, g.info()
        if rest == "/dictionaries" and req.method == "PUT":
            status, parsed = _dictionary(req.body or {})
            if status != 200:
                return status, parsed
            g.dictionaries.update(parsed)
            (s, t), entries = next(iter(parsed.items()))
            return 200, {"source_lang": s, "target_lang": t, "entry_count": len(entries)}
        pair = (req.query.get("source_lang", [""])[0].lower(), req.query.get("target_lang", [""])[0].lower())
        if rest == "/dictionaries" and req.method == "DELETE":
            if pair not in g.dictionaries:
                return 404, {"message": "Dictionary not found"}
            del g.dictionaries[pair]
            return 204, None
        if rest == "/entries" and req.method == "GET":
            if pair not in g.dictionaries:
                return 404, {"message": "Dictionary not found"}
            tsv = "\n".join(f"{s}\t{t}" for s, t in g.dictionaries[pair].items())
            return 200, {"dictionaries": [{"source_lang": pair[0], "target_lang": pair[1],
                                           "entries": tsv, "entries_format": "tsv"}]}
        return 405, {"message": "Method not allowed"}


def _dictionary(d: dict) -> tuple[int, dict]:
    source, target = str(d.get("source_lang", "")).lower(), str(d.get("target_lang", "")).lower()
    if target.upper() in NO_GLOSSARY or source.upper() in NO_GLOSSARY:
        return 400, {"message": f"Unsupported glossary language pair {source}-{target}"}
    if d.get("entries_format") != "tsv":
        return 400, {"message": "Unsupported entries format"}
    entries = {}
    for line in str(d.get("entries", "")).splitlines():
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            return 400, {"message": "Invalid glossary entries"}
        entries[parts[0]] = parts[1]
    if not entries:
        return 400, {"message": "Glossary entries must not be empty"}
    return 200, {(source, target): entries}


def fake_translate(text: str, *, target: str, entries: dict, tags: bool, ignore: set[str]) -> str:
    """`DE: ` + the text with glossary terms replaced; tags and ignored elements left as they are."""
    def words(s: str) -> str:
        for term in sorted(entries, key=len, reverse=True):
            s = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", entries[term], s, flags=re.IGNORECASE)
        return s

    if not tags:
        return f"{target}: {words(text)}"
    out, pos, depth = [], 0, 0
    for m in _TAG.finditer(text):
        chunk = text[pos:m.start()]
        out.append(chunk if depth else words(chunk))
        tag = m.group(0)
        name = re.match(r"</?\s*([A-Za-z0-9_:-]+)", tag)
        if name and name.group(1) in ignore and not tag.endswith("/>"):
            depth += -1 if tag.startswith("</") else 1
        out.append(tag)
        pos = m.end()
    out.append(words(text[pos:]) if not depth else text[pos:])
    return f"{target}: " + "".join(out)


def _handler_for(server: DeepLMockServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:   # quiet
            return

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(raw.decode()).items()}
            req = Request(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
            with server.lock:
                server.requests.append(req)
                if server.drop_times > 0:
                    server.drop_times -= 1
                    drop = True
                else:
                    drop = False
                    failing = server.fail_times > 0
                    if failing:
                        server.fail_times -= 1
            if drop:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if failing:
                status, payload = server.fail_status, {"message": "Simulated failure"}
            else:
                status, payload = server.handle(req)
            req.status = status
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data:
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler


def free_port() -> int:
    """A port where nothing listens (for the no-network case)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
