"""Protect placeholders, tags and Markdown links as XML for a tag-aware MT engine, and restore them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from xml.sax.saxutils import escape

#: The XML element that wraps a protected piece (sent with ignore_tags=[IGNORE_TAG]).
IGNORE_TAG = "x"
#: The XML element that wraps the text of a Markdown link (translated, then put back as a link).
LINK_TAG = "a"

_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\[\]\n]+)\]\((?P<url>[^()\s]+(?:\s+\"[^\"\n]*\")?)\)")

#: What must come back unchanged: printf and brace placeholders, tags, entities, code, URLs.
ATOM = re.compile(
    r"""
      %\([^)\s]+\)[-\#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]   # %(name)s
    | %(?:\d+\$)?[-\#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]   # %s %1$s %.2f
    | \{\{[^{}\n]*\}\}                                     # {{ variable }}
    | \{[A-Za-z0-9_.\[\]:!]*\}                              # {name} {0} {}
    | </?[A-Za-z][A-Za-z0-9:.-]*(?:\s[^<>\n]*)?/?>          # <b> </b> <br/> <c.loud> <v Nadia>
    | <(?:\d+:)?\d{2}:\d{2}\.\d{3}>                          # <00:01.500> (WebVTT timestamp)
    | \{\\[^{}\n]*\}                                        # {\an8} (ASS override in SRT)
    | &(?:[A-Za-z][A-Za-z0-9]*|\#\d+|\#x[0-9A-Fa-f]+);      # &nbsp; &#160;
    | `[^`\n]+`                                             # `code`
    | https?://[^\s<>()\[\]]+                               # bare URLs
    """,
    re.VERBOSE,
)


def atoms(text: str) -> list[str]:
    """The protected pieces of `text`, in order (Markdown link targets included)."""
    found: list[str] = []
    for piece, kind in split(text):
        if kind == "atom":
            found.append(piece)
        elif kind == "link":
            m = _LINK.fullmatch(piece)
            found.extend(atoms(m["text"]))
            found.append(m["url"])
    return found


def split(text: str) -> list[tuple[str, str]]:
    """`text` as pieces tagged "text", "atom" or "link"; joined they give `text` back."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.extend(_split_atoms(text[pos:m.start()]))
        out.append((m.group(0), "link"))
        pos = m.end()
    out.extend(_split_atoms(text[pos:]))
    return [p for p in out if p[0]]


def _split_atoms(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    for m in ATOM.finditer(text):
        out.append((text[pos:m.start()], "text"))
        out.append((m.group(0), "atom"))
        pos = m.end()
    out.append((text[pos:], "text"))
    return out


def map_text(text: str, fn: Callable[[str], str]) -> str:
    """Apply `fn` to the translatable parts of `text` only (link texts included)."""
    out = []
    for piece, kind in split(text):
        if kind == "text":
            out.append(fn(piece))
        elif kind == "atom":
            out.append(piece)
        else:
            m = _LINK.fullmatch(piece)
            out.append(f"{m['bang']}[{map_text(m['text'], fn)}]({m['url']})")
    return "".join(out)


@dataclass(slots=True)
class Protected:
    """A text turned into XML: protected pieces in <x i="n">, link texts in <a i="n">."""

    xml: str
    pieces: list[str] = field(default_factory=list)   # index -> original atom
    links: dict[int, tuple[str, str]] = field(default_factory=dict)   # index -> (bang, url)

    def restore(self, translated: str) -> "Restored":
        missing: list[str] = []
        seen: set[int] = set()

        def link(m: re.Match) -> str:
            i = int(m["i"])
            bang, url = self.links.get(i, ("", ""))
            seen.add(i)
            return f"{bang}[{atoms_back(m['inner'])}]({url})"

        def atom(m: re.Match) -> str:
            i = int(m["i"])
            if i >= len(self.pieces):
                return ""
            seen.add(i)
            return self.pieces[i]

        def atoms_back(s: str) -> str:
            parts = []
            pos = 0
            for m in _X_BACK.finditer(s):
                parts.append(_unescape(s[pos:m.start()]))
                parts.append(atom(m))
                pos = m.end()
            parts.append(_unescape(s[pos:]))
            return "".join(parts)

        text = []
        pos = 0
        for m in _A_BACK.finditer(translated):
            text.append(atoms_back(translated[pos:m.start()]))
            text.append(link(m))
            pos = m.end()
        text.append(atoms_back(translated[pos:]))
        for i, piece in enumerate(self.pieces):
            if i not in seen and i not in self.links:
                missing.append(piece)
        for i, (_bang, url) in self.links.items():
            if i not in seen:
                missing.append(url)
        return Restored("".join(text), missing)


@dataclass(frozen=True, slots=True)
class Restored:
    text: str
    missing: list[str]          # protected pieces that did not come back


_X_BACK = re.compile(rf'<{IGNORE_TAG}\s+i="(?P<i>\d+)"\s*(?:/>|>(?P<inner>.*?)</{IGNORE_TAG}\s*>)', re.S)
_A_BACK = re.compile(rf'<{LINK_TAG}\s+i="(?P<i>\d+)"\s*>(?P<inner>.*?)</{LINK_TAG}\s*>', re.S)


def _unescape(s: str) -> str:
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
             .replace("&apos;", "'").replace("&amp;", "&"))


def protect(text: str) -> Protected:
    """`text` as XML in which every placeholder, tag and link target is protected."""
    result = Protected(xml="")
    out: list[str] = []

    def add_atom(piece: str) -> str:
        result.pieces.append(piece)
        return f'<{IGNORE_TAG} i="{len(result.pieces) - 1}">{escape(piece)}</{IGNORE_TAG}>'

    def render(pieces: list[tuple[str, str]]) -> str:
        parts = []
        for piece, kind in pieces:
            if kind == "text":
                parts.append(escape(piece))
            elif kind == "atom":
                parts.append(add_atom(piece))
            else:
                m = _LINK.fullmatch(piece)
                result.pieces.append(m["url"])
                index = len(result.pieces) - 1
                result.links[index] = (m["bang"], m["url"])
                parts.append(f'<{LINK_TAG} i="{index}">{render(_split_atoms(m["text"]))}</{LINK_TAG}>')
        return "".join(parts)

    out.append(render(split(text)))
    result.xml = "".join(out)
    return result
