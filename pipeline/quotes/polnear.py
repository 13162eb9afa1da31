"""PolNeAR-style attribution gold: ``text/*.txt`` and brat ``attributions/*.ann``.

Read by tagger training (:mod:`pipeline.quotes.tagger.training`) and by quote evaluation
(:mod:`pipeline.eval.quotes`).  Each ``E`` relation gives one content span with its source
and cue; a discontinuous span is taken as its hull; the kind comes from the content text
(:func:`pipeline.quotes.spans.quote_kind`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.quotes.spans import quote_kind


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Attribution:
    content: Span
    source: Span | None
    cue: Span | None
    kind: str


def _span(field: str) -> Span:
    # Discontinuous spans ("12 20;25 30") are scored as their hull.
    numbers = [int(n) for n in re.findall(r"\d+", field)]
    return Span(min(numbers), max(numbers))


def read_ann(ann_path: Path, text: str) -> list[Attribution]:
    """Attributions of one brat .ann file: each ``E`` relation's content with its source and cue."""
    spans: dict[str, tuple[str, Span]] = {}
    events = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _span(offsets))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    attributions = []
    for event in events:
        roles = {re.sub(r"\d+$", "", role): ref for role, ref in event.items()}
        contents = [ref for role, ref in event.items() if role.startswith("Content")]
        source = spans.get(roles.get("Source", ""), (None, None))[1]
        cue = spans.get(roles.get("Cue", ""), (None, None))[1]
        for ref in contents:
            if ref in spans:
                content = spans[ref][1]
                attributions.append(Attribution(content, source, cue,
                                                quote_kind(text[content.start:content.end])))
    return attributions


def read_gold(gold_dir: str | Path) -> dict[str, tuple[str, list[Attribution]]]:
    """``doc_id -> (text, attributions)``; with several .ann files per article, the first by name."""
    gold_dir = Path(gold_dir)
    if not (gold_dir / "text").is_dir() or not (gold_dir / "attributions").is_dir():
        raise FileNotFoundError(f"gold_path {str(gold_dir)!r} needs text/ and attributions/ folders")
    gold = {}
    anns = sorted((gold_dir / "attributions").glob("*.ann"))
    for text_path in sorted((gold_dir / "text").glob("*.txt")):
        text = text_path.read_text(encoding="utf-8")
        mine = [a for a in anns if a.name.startswith(text_path.stem + "_") or a.stem == text_path.stem]
        gold[text_path.stem] = (text, read_ann(mine[0], text) if mine else [])
    return gold
