"""The quote record every stage reads and extends.

A quote starts life in a segmenter (content span and kind), gains a cue and a source
mention in an attributor, and a canonical speaker in speaker resolution.  All offsets
are character offsets into the document text exactly as read: ``text[start:end]``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("direct", "indirect", "mixed")


@dataclass
class QuoteSpan:
    start: int
    end: int
    kind: str  # direct | indirect | mixed
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker: str | None = None  # canonical full name in the document, or None
    attribution_score: float = 0.0
    stances: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def quote_kind(content: str) -> str:
    """Gold kind from the content text: fully quoted = direct, partly quoted = mixed."""
    stripped = content.strip().rstrip(".,")
    if re.match(r'^["“].*["”]$', stripped, flags=re.S) and not re.search(r'["“”]', stripped[1:-1]):
        return "direct"
    return "mixed" if re.search(r'["“”]', content) else "indirect"
