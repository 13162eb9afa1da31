"""Quotes from an earlier run: re-label stances (new targets, a new stance model) without re-tagging.

``segmenter=saved segmenter.predictions=DIR`` reads ``DIR/quotes`` and ``DIR/documents`` of a
``scripts/infer.py`` run and gives each document the quotes found there, with their cues and
source mentions, so the attributor keeps those links and only speaker resolution and stance
run again.  Documents are matched by their text, not their id, so a renamed or reordered
input still finds its quotes; a text the earlier run did not see gets none.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pipeline.io.artifacts import load_artifacts
from pipeline.quotes.spans import QuoteSpan

log = logging.getLogger(__name__)

_LINK_FIELDS = ("start", "end", "kind", "cue", "cue_start", "cue_end", "speaker_mention", "speaker_start",
                "speaker_end", "attribution_score")


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class SavedQuotes:
    """A segmenter that looks up each document's quotes in an earlier run's output."""

    def __init__(self, by_text: dict[str, list[dict]], source: str) -> None:
        self.by_text = by_text
        self.provenance = {"path": source, "sha256": None, "kind": "saved quotes"}

    @classmethod
    def from_predictions(cls, predictions: str) -> "SavedQuotes":
        """Index the quotes of ``predictions`` (an output_dir of scripts/infer.py) by document text."""
        if not Path(predictions).exists():
            raise FileNotFoundError(f"segmenter.predictions: {predictions} does not exist")
        quotes, documents, _ = load_artifacts(predictions)
        text_of = {row["doc_id"]: row["text"] for row in documents.select_columns(["doc_id", "text"])}
        by_text: dict[str, list[dict]] = {}
        for quote in quotes.select_columns(["doc_id", *_LINK_FIELDS]):
            text = text_of.get(quote.pop("doc_id"))
            if text is not None:
                by_text.setdefault(_key(text), []).append(quote)
        for spans in by_text.values():
            spans.sort(key=lambda q: (q["start"], q["end"]))
        log.info("read %d quotes of %d documents from %s", len(quotes), len(by_text), predictions)
        return cls(by_text, str(predictions))

    def __call__(self, text: str) -> list[QuoteSpan]:
        return [QuoteSpan(**quote) for quote in self.by_text.get(_key(text), [])]
