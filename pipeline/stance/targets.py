"""Stance targets with aliases, and where a quote's clause mentions one.

A target is a name ("Donald Trump", "climate action") with the other forms users or a corpus
know it by (``aliases``: "Trump", "the Republican nominee").  A plain string is a target without
aliases; a mapping ``{"name": ..., "aliases": [...]}`` carries them.  The stance stage and the
training readers both find a target's mention through :class:`TargetLocator` and
:func:`clause_mention`, so what counts as a mention is the same in training and at inference.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pipeline.quotes.references import is_topic_target
from pipeline.stance.features import NO_MENTION, find_mention, news_mention

Span = tuple[int, int]


@dataclass(frozen=True)
class Target:
    """A stance target: the ``name`` labels are reported under, and the ``aliases`` that count
    as its mentions."""

    name: str
    aliases: tuple[str, ...] = ()


def as_target(value: Any) -> Target:
    """A :class:`Target` from a string or a ``{"name", "aliases"}`` mapping; a clear error otherwise."""
    if isinstance(value, Target):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("a target must be a non-empty string")
        return Target(value.strip())
    if isinstance(value, Mapping):
        name = value.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a target mapping needs a non-empty 'name', got {dict(value)!r}")
        aliases = value.get("aliases") or []
        if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"target {name!r}: 'aliases' must be a list of strings")
        return Target(name.strip(), tuple(dict.fromkeys(a.strip() for a in aliases
                                                        if a.strip() and a.strip() != name.strip())))
    raise ValueError(f"a target must be a string or a mapping with 'name' and 'aliases', got {value!r}")


def merge_targets(*groups: Iterable[Any]) -> list[Target]:
    """Targets of several sources in order, one per name; a repeated name gains the aliases."""
    merged: dict[str, Target] = {}
    for group in groups:
        for value in group or ():
            target = as_target(value)
            if target.name in merged:
                old = merged[target.name]
                target = Target(target.name, tuple(dict.fromkeys(old.aliases + target.aliases)))
            merged[target.name] = target
    return list(merged.values())


def read_targets_file(path: str | Path) -> list[Target]:
    """Targets from a file: a JSON list (``.json``), one JSON value a line (``.jsonl``), or one
    name a line (any other file); each value a name or a ``{"name", "aliases"}`` mapping."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"targets_file {str(path)!r} not found")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        values = json.loads(text)
        if not isinstance(values, list):
            raise ValueError(f"targets_file {str(path)!r}: expected a JSON list of targets")
    elif path.suffix == ".jsonl":
        values = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        values = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        return merge_targets(values)
    except ValueError as exc:
        raise ValueError(f"targets_file {str(path)!r}: {exc}") from exc


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
