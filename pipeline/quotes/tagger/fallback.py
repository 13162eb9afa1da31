"""Attribution for quotes found by :class:`pipeline.quotes.tagger.quote_tagger.QuoteTagger`.

The tagger links its own source and cue spans; ``keep_or_attribute`` keeps those links and
asks the weight-free rules (:func:`pipeline.quotes.rules.attribute.attribute_quotes`) only about the
quotes that came without a source, so a frame the model missed can still be found (when
the rules find none either, the tagger's cue, if any, stays).

One link of the tagger is checked: a source across a sentence end from the quote
(``Reed said that A. Lopez now says B``: for A, "Lopez" belongs to the next sentence) gives way
to the frame the rules find for the quote (its own sentence's, or one borrowed from the quote
beside it in the paragraph), when they find one.
"""

from __future__ import annotations

from pipeline.quotes.rules.attribute import SENTENCE_BREAK_RE, attribute_quotes
from pipeline.quotes.spans import QuoteSpan

# The least rules score that replaces such a link: any frame, a borrowed one (0.6) included.
_RULES_MIN = 0.6


def _source_across_sentence_end(text: str, q: QuoteSpan) -> bool:
    """Whether a sentence end or a line break lies between ``q`` and its source (one outside
    the quote)."""
    if q.speaker_start is None:
        return False
    if q.speaker_start >= q.end:
        lo, hi = q.end, q.speaker_start
    elif q.speaker_end <= q.start:
        lo, hi = q.speaker_end, q.start
    else:
        return False
    return "\n" in text[lo:hi] or SENTENCE_BREAK_RE.search(text, lo, hi + 1) is not None


def keep_or_attribute(text: str, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """Return ``quotes`` (same order): linked ones as they are, the others attributed by rules."""
    doubtful = [q.speaker_start is None or _source_across_sentence_end(text, q) for q in quotes]
    if not any(doubtful):
        return list(quotes)
    # The rules bound each frame by the neighbouring quotes, so they see all of them.
    by_rules = attribute_quotes(text, quotes)
    out = []
    for q, ruled, doubt in zip(quotes, by_rules, doubtful):
        if q.speaker_start is None:
            out.append(ruled if ruled.speaker_start is not None else q)
        elif doubt and ruled.speaker_start is not None and ruled.attribution_score >= _RULES_MIN:
            out.append(ruled)
        else:
            out.append(q)
    return out
