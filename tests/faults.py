"""Components that fail on purpose, for fault-injection tests (importable by Ray workers too).

Each wraps the weight-free rules (or, for stance, a fixed answer) and raises on a document
whose text holds its trigger word, so a test can check that exactly that document becomes an
error row naming the stage.
"""

from __future__ import annotations

from typing import Sequence

from pipeline.quotes.rules.attribute import attribute_quotes
from pipeline.run.ray_runner import StageWorker
from pipeline.quotes.rules.segment import find_quotes
from pipeline.stance.classifier import StancePrediction

SEGMENT_FAULT, ATTRIBUTE_FAULT, STANCE_FAULT = "SEGFAULTWORD", "ATTRFAULTWORD", "STANCEFAULTWORD"


def faulty_find_quotes(text: str):
    if SEGMENT_FAULT in text:
        raise RuntimeError("segmenter exploded")
    return find_quotes(text)


def faulty_attribute(text: str, quotes):
    if ATTRIBUTE_FAULT in text:
        raise KeyError("attributor exploded")
    return attribute_quotes(text, quotes)


def out_of_range_find_quotes(text: str):
    """A segmenter bug: a span past the end of the text."""
    quotes = find_quotes(text)
    if SEGMENT_FAULT in text and quotes:
        quotes[0].end = len(text) + 5
    return quotes


class FaultyStance:
    """Labels every pair neutral, and raises on any batch holding a quote with the trigger."""

    context = "content"

    def __init__(self, **_: object) -> None:
        self.calls = 0

    def predict(self, targets: Sequence[str], texts: Sequence[str], **_: object) -> list[StancePrediction]:
        self.calls += 1
        if any(STANCE_FAULT in text for text in texts):
            raise ValueError("stance model exploded")
        return [StancePrediction("neutral", 0.5, {"neutral": 0.5}) for _ in texts]


class DroppingWorker(StageWorker):
    """A Ray actor that loses the first row of every batch it is given."""

    def __call__(self, batch):
        return super().__call__(batch).slice(1)
