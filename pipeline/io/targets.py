"""Stance targets as users give them: a name, or a name with aliases.

A target is a name ("Donald Trump", "climate action") with the other forms users or a corpus
know it by (``aliases``: "Trump", "the Republican nominee").  A plain string is a target without
aliases; a mapping ``{"name": ..., "aliases": [...]}`` carries them.  Read here (input records,
configs, target files); where a target is mentioned is :mod:`pipeline.stance.targets`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping


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
