"""Tests for the check of the tagger's links (pipeline.quotes.tagger.fallback).

All snippets are invented for these tests.
"""

from __future__ import annotations

from pipeline.quotes.spans import QuoteSpan
from pipeline.quotes.tagger.fallback import keep_or_attribute


def _quote(text: str, content: str, source: str | None, kind: str = "indirect", nth: int = 0) -> QuoteSpan:
    start = text.index(content)
    q = QuoteSpan(start=start, end=start + len(content), kind=kind)
    if source is not None:
        s = text.index(source) if nth == 0 else [i for i in range(len(text)) if text.startswith(source, i)][nth]
        q.speaker_mention, q.speaker_start, q.speaker_end = source, s, s + len(source)
        q.attribution_score = 0.9
    return q


def test_a_source_in_the_next_sentence_gives_way_to_the_frame_of_the_quote_own_sentence():
    text = ("Mayor Ana Lopez said on Monday that the ferry would run all winter. "
            "Tom Reed now says the budget cannot pay for it.")
    q = _quote(text, "that the ferry would run all winter", "Tom Reed")
    (out,) = keep_or_attribute(text, [q])
    assert out.speaker_mention == "Mayor Ana Lopez" and out.cue == "said"
    assert text[out.speaker_start:out.speaker_end] == "Mayor Ana Lopez"


def test_a_source_in_the_sentence_before_gives_way_too():
    text = ("Tom Reed spoke first. Ana Lopez, the harbour chief, told reporters that the pier "
            "would close in May.")
    q = _quote(text, "that the pier would close in May", "Tom Reed")
    (out,) = keep_or_attribute(text, [q])
    assert out.speaker_mention == "Ana Lopez"


def test_a_source_past_a_sentence_end_stays_when_the_rules_find_no_frame():
    text = "The pier will close in May. Tom Reed wrote as much."
    q = _quote(text, "The pier will close in May", "Tom Reed")
    assert keep_or_attribute(text, [q]) == [q]


def test_a_source_in_the_quote_own_sentence_is_kept():
    text = "Tom Reed, who chairs the board, warned that the pier would close, Ana Lopez said."
    q = _quote(text, "that the pier would close", "Tom Reed")
    assert keep_or_attribute(text, [q]) == [q]
