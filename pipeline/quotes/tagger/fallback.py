"""Attribution for quotes found by :class:`pipeline.quotes.tagger.quote_tagger.QuoteTagger`.

The tagger links its own source and cue spans; ``keep_or_attribute`` keeps those links and
asks the weight-free rules (:func:`pipeline.quotes.rules.attribute.attribute_quotes`) only about the
quotes that came without a source, so a frame the model missed can still be found (when
the rules find none either, the tagger's cue, if any, stays).
"""

from __future__ import annotations

from pipeline.quotes.rules.attribute import attribute_quotes
from pipeline.quotes.spans import QuoteSpan


def keep_or_attribute(text: str, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """Return ``quotes`` (same order): linked ones as they are, the others attributed by rules."""
    if all(q.speaker_start is not None for q in quotes):
        return list(quotes)
    # The rules bound each frame by the neighbouring quotes, so they see all of them.
    by_rules = attribute_quotes(text, quotes)
    return [ruled if q.speaker_start is None and ruled.speaker_start is not None else q
            for q, ruled in zip(quotes, by_rules)]
