"""The schema of the documents table as the stages fill it: one row per input record, its quotes
in a ``quotes`` list column (:class:`pipeline.quotes.spans.QuoteSpan` records as dicts), each with
its ``stances``.  The writer (:mod:`pipeline.io.artifacts`) flattens it into one row per quote.
"""

from __future__ import annotations

from datasets import Dataset, Features, Value

from pipeline.io.documents import DOCUMENT_FEATURES

# gated: the relevance gate answered without the model; ``score`` is then its constant, not a probability
STANCE_FEATURES = {"target": Value("string"), "label": Value("string"), "score": Value("float32"),
                   "gated": Value("bool")}
QUOTE_FEATURES = {
    "start": Value("int64"),
    "end": Value("int64"),
    "kind": Value("string"),
    "cue": Value("string"),
    "cue_start": Value("int64"),
    "cue_end": Value("int64"),
    "speaker_mention": Value("string"),
    "speaker_start": Value("int64"),
    "speaker_end": Value("int64"),
    "speaker": Value("string"),
    "attribution_score": Value("float32"),
    "stances": [STANCE_FEATURES],
}
DOCUMENTS_WITH_QUOTES = Features({**DOCUMENT_FEATURES, "quotes": [QUOTE_FEATURES]})


def empty_documents_with_quotes() -> Dataset:
    """A documents table with no rows and every column (``map`` over no rows adds none)."""
    return Dataset.from_dict({name: [] for name in DOCUMENTS_WITH_QUOTES}, features=DOCUMENTS_WITH_QUOTES)
