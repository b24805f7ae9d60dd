"""Markup kept: HTML and WebVTT tags, Markdown links, emphasis and inline code."""

from __future__ import annotations

import re
from typing import Sequence

from workbench.domain.checks.base import CheckContext, Issue, Severity
from workbench.domain.checks.text import NO_ISSUES, TAG, FormCheck, listing, multiset_diff
from workbench.domain.units import Unit

_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "embed",
                   "source", "track", "param"})


def _tags(text: str) -> tuple[list[str], bool]:
    """The tags of `text` as `<b>`/`</b>`, and whether they nest properly."""
    tokens: list[str] = []
    stack: list[str] = []
    nested = True
    for m in TAG.finditer(text):
        closing, name = m.group(1), m.group(2).lower()
        tokens.append(f"<{closing}{name}>")
        if name in _VOID or m.group().endswith("/>"):
            continue
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            nested = False
    return tokens, nested and not stack


class HtmlTagsCheck(FormCheck):
    id = "html-tags"
    name = "HTML tags"
    description = ("The translation has the same HTML (or WebVTT) tags as the source, properly nested. "
                   "Attributes such as a link's title may be translated; the tags may move.")
    severity = Severity.ERROR

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        if "<" not in source and "<" not in target:
            return NO_ISSUES
        s_tags, s_nested = _tags(source)
        t_tags, t_nested = _tags(target)
        if not s_tags and not t_tags:
            return NO_ISSUES
        missing, extra = multiset_diff(s_tags, t_tags)
        issues: list[Issue] = []
        if missing:
            issues.append(self.issue(f"tag {listing(missing)} missing", form=form))
        if extra:
            issues.append(self.issue(f"tag {listing(extra)} not in the source", form=form))
        if not issues and s_nested and not t_nested:
            issues.append(self.issue("tags are not properly nested", form=form))
        return issues


_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*(<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\s*\)")
_CODE = re.compile(r"`+[^`]+`+")
_STRONG = re.compile(r"\*\*|__")


def _markdown(text: str) -> tuple[list[str], list[str], list[str], int]:
    """(link targets, image targets, inline code spans, number of ** and __ markers)."""
    code = _CODE.findall(text) if "`" in text else []
    if code:
        text = _CODE.sub(" ", text)
    links: list[str] = []
    images: list[str] = []
    if "](" in text:
        for m in _LINK.finditer(text):
            (images if m.group(1) else links).append(m.group(3))
        text = _LINK.sub(lambda m: m.group(2), text)
    strong = len(_STRONG.findall(text)) if ("**" in text or "__" in text) else 0
    return links, images, code, strong


def _has_markdown(text: str) -> bool:
    return "](" in text or "**" in text or "__" in text or "`" in text


class MarkdownCheck(FormCheck):
    id = "markdown"
    name = "Markdown"
    description = ("The translation keeps the source's Markdown: the same number of links and images, "
                   "closed **bold** markers (errors), the same link targets and `inline code` "
                   "(warnings: a link may point to a translated page).")
    severity = Severity.ERROR

    def pair(self, unit: Unit, source: str, target: str, form: int, ctx: CheckContext) -> Sequence[Issue]:
        # what _has_markdown tests, inline (this runs for every text), single characters first:
        # "](", "**", "__" and "`" each need one of "]", "*", "_", "`"
        if ("]" not in source and "*" not in source and "_" not in source and "`" not in source
                and "]" not in target and "*" not in target and "_" not in target and "`" not in target):
            return NO_ISSUES
        if not _has_markdown(source) and not _has_markdown(target):
            return NO_ISSUES
        s_links, s_images, s_code, s_strong = _markdown(source)
        t_links, t_images, t_code, t_strong = _markdown(target)
        issues: list[Issue] = []
        warn = Severity.WARNING
        if len(s_links) != len(t_links):
            issues.append(self.issue(f"{len(t_links)} Markdown link(s), the source has {len(s_links)}",
                                     form=form))
        else:
            missing, extra = multiset_diff(s_links, t_links)
            if missing:
                issues.append(self.issue(f"link target {listing(missing)} replaced by {listing(extra)}",
                                         form=form, severity=warn))
        if len(s_images) != len(t_images):
            issues.append(self.issue(f"{len(t_images)} Markdown image(s), the source has {len(s_images)}",
                                     form=form))
        if s_strong != t_strong:
            if t_strong % 2:
                issues.append(self.issue("unclosed ** or __ (bold) marker", form=form))
            else:
                issues.append(self.issue(f"{t_strong // 2} bold passage(s), the source has {s_strong // 2}",
                                         form=form, severity=warn))
        missing, extra = multiset_diff(s_code, t_code)
        if missing:
            issues.append(self.issue(f"inline code {listing(missing)} missing or changed",
                                     form=form, severity=warn))
        elif extra:
            issues.append(self.issue(f"inline code {listing(extra)} not in the source",
                                     form=form, severity=warn))
        return issues
