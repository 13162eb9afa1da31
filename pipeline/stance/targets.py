"""Where a quote's clause mentions a stance target (:class:`pipeline.io.targets.Target`), by
name or alias, and whether the target is the quote's own source.

The stance stage and the training readers both find a target's mention through
:class:`TargetLocator` and :func:`clause_mention`, so what counts as a mention is the same in
training and at inference.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from pipeline.io.targets import Target, as_target, merge_targets, read_targets_file  # noqa: F401  (re-exported)
from pipeline.quotes.references import is_topic_target
from pipeline.stance.features import NO_MENTION, find_mention, news_mention

Span = tuple[int, int]


def _alias_span(alias: str, text: str) -> Span:
    """Whole-word occurrence of ``alias``: case-sensitive when it has a capital ("US" is not
    "us"), case-insensitive when all lower-case ("the nominee")."""
    if alias == alias.lower():
        return find_mention(alias, text)
    match = re.search(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", text)
    return (match.start(), match.end()) if match else NO_MENTION


class TargetLocator:
    """``locate(name, text)``: the first mention of the target called ``name`` in ``text``, by
    its name as news writes it (:func:`pipeline.stance.features.news_mention`) or by an alias;
    ``(-1, -1)`` for none.  Names without registered aliases are found by name alone."""

    def __init__(self, targets: Sequence[Any] = ()) -> None:
        self.aliases = {t.name: t.aliases for t in map(as_target, targets)}

    def __call__(self, name: str, text: str) -> Span:
        spans = [news_mention(name, text)] + [_alias_span(a, text) for a in self.aliases.get(name, ())]
        found = [s for s in spans if s[0] >= 0]
        return min(found) if found else NO_MENTION


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def clause_mention(locate: TargetLocator, name: str, clause: str, holder: Span = NO_MENTION) -> Span:
    """The first mention of ``name`` in an attribution clause outside its holder (the source
    mention): "Republican Sen. Ted Cruz said that Democrats ..." mentions the Republican Party
    only if the content does, since the holder's words describe the speaker."""
    at = 0
    while at < len(clause):
        start, end = locate(name, clause[at:])
        if start < 0:
            return NO_MENTION
        span = (at + start, at + end)
        if holder[0] < 0 or not _overlaps(span, holder):
            return span
        at = span[1]
    return NO_MENTION


def _words(name: str) -> set[str]:
    return {w.lower().strip(".,'’\"") for w in name.split()} - {"the", "mr.", "mrs.", "ms.", "dr."}


def is_own_source(locate: TargetLocator, name: str, speaker_mention: str | None, speaker: str | None) -> bool:
    """Whether the target is the quote's own source (a quote takes no stance toward its own
    speaker, so such pairs are neither labelled nor trained on):

    * the resolved speaker and the target share all the words of the shorter name ("Clinton" /
      "Hillary Clinton"; not "Heidi Cruz" / "Rafael Cruz");
    * the source mention up to its first comma names the target, not as a possessive ("the
      Trump campaign", "Sen. Ted Cruz"; not "Scott's niece").

    Topics ("Trump's tax plan") are never a source.
    """
    if is_topic_target(name):
        return False
    if speaker:
        mine, theirs = _words(name), _words(speaker)
        if mine and theirs and (mine <= theirs or theirs <= mine):
            return True
    if speaker_mention:
        head = speaker_mention.split(",")[0]
        start, end = locate(name, head)
        if start >= 0 and not re.match(r"['’]s?\b", head[end:]):
            return True
    return False
