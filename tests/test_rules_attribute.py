"""Tests for rule-based attribution (pipeline.quotes.rules.attribute).

All snippets are invented for these tests.
"""

from __future__ import annotations

from pipeline.quotes.lexicon import REPORTING_VERBS
from pipeline.quotes.rules.attribute import attribute_quotes
from pipeline.quotes.rules.segment import find_quotes
from pipeline.quotes.spans import QuoteSpan


def run(text: str) -> list[QuoteSpan]:
    return attribute_quotes(text, find_quotes(text))


def frame(q: QuoteSpan) -> tuple:
    return (q.cue, q.cue_start, q.cue_end, q.speaker_mention, q.speaker_start, q.speaker_end,
            q.attribution_score)


def test_quote_then_name_said():
    text = "“Our friendship is unbreakable,” Chinese President Han Zhiyuan said on Tuesday."
    (q,) = run(text)
    assert frame(q) == ("said", 63, 67, "Chinese President Han Zhiyuan", 33, 62, 0.9)
    assert text[q.speaker_start:q.speaker_end] == q.speaker_mention


def test_name_said_colon_quote():
    text = "Liu Qiang said: “We came to listen.”"
    (q,) = run(text)
    assert (q.start, q.end) == (17, 35)
    assert frame(q) == ("said", 10, 14, "Liu Qiang", 0, 9, 0.9)


def test_quote_said_description():
    text = "“It is a mistake,” said a spokeswoman for the ministry."
    (q,) = run(text)
    assert frame(q) == ("said", 19, 23, "a spokeswoman for the ministry", 24, 54, 0.9)


def test_apposition_is_not_part_of_the_mention():
    text = "Liu Qiang, the foreign minister, said: “We came to listen.”"
    (q,) = run(text)
    assert frame(q) == ("said", 33, 37, "Liu Qiang", 0, 9, 0.9)
    text = "Liu Qiang, the foreign minister, said the visit had been a success."
    (q,) = run(text)
    assert q.kind == "indirect"
    assert frame(q) == ("said", 33, 37, "Liu Qiang", 0, 9, 0.9)


def test_according_to_front_back_and_after_quote():
    text = ("According to the ministry, the talks will resume in May. "
            "Prices will rise, according to Harbor Economics.")
    a, b = run(text)
    assert frame(a) == ("According to", 0, 12, "the ministry", 13, 25, 0.8)
    assert frame(b) == ("according to", 75, 87, "Harbor Economics", 88, 104, 0.8)
    (q,) = run("“The plant will close,” according to the company.")
    assert frame(q) == ("according to", 24, 36, "the company", 37, 48, 0.8)


def test_told_reporters_direct_and_indirect():
    (q,) = run("“We will appeal,” Bennett told reporters.")
    assert frame(q) == ("told", 26, 30, "Bennett", 18, 25, 0.9)
    (q,) = run("Li told reporters on Monday that the new tariffs were unfair.")
    assert q.kind == "indirect"
    assert frame(q) == ("told", 3, 7, "Li", 0, 2, 0.9)


def test_indirect_said_that_with_description():
    (q,) = run("The ministry said that exports had fallen.")
    assert (q.start, q.end, q.kind) == (23, 41, "indirect")
    assert frame(q) == ("said", 13, 17, "The ministry", 0, 12, 0.9)


def test_mixed_quote_gets_the_framing_verb():
    (q,) = run("Ivanov added that the relationship is “the best in history”.")
    assert q.kind == "mixed"
    assert frame(q) == ("added", 7, 12, "Ivanov", 0, 6, 0.9)
    (q,) = run("Russia is “a reliable partner”, he said.")
    assert frame(q) == ("said", 35, 39, "he", 32, 34, 0.9)


def test_gerund_frame_takes_sentence_subject():
    (q,) = run("Han praised the talks, adding that trade would grow by a third.")
    assert frame(q) == ("adding", 23, 29, "Han", 0, 3, 0.8)


def test_multi_word_cue():
    (q,) = run("“The numbers do not add up,” the economist pointed out.")
    assert frame(q) == ("pointed out", 43, 54, "the economist", 29, 42, 0.9)


def test_multi_paragraph_attribution_in_first_paragraph():
    text = "“We will keep going,” she said, “because the work matters.\n\n“And we are not finished.”"
    a, b = run(text)
    assert text[b.start:b.end] == "because the work matters.\n\n“And we are not finished."
    assert frame(a) == ("said", 26, 30, "she", 22, 25, 0.9)
    assert frame(b) == ("said", 26, 30, "she", 22, 25, 0.9)


def test_frames_do_not_cross_other_quotes():
    a, b = run("She said: “Yes.” “No,” he replied.")
    assert frame(a) == ("said", 4, 8, "She", 0, 3, 0.9)
    assert frame(b) == ("replied", 26, 33, "he", 23, 25, 0.9)


def test_unattributed_quote_borrows_from_same_paragraph():
    a, b = run("“We came to listen,” Wang said. “Now we must act.”")
    assert frame(b) == ("said", 26, 30, "Wang", 21, 25, 0.6)


def test_according_elsewhere_in_paragraph_scores_lower():
    qs = run("The deal is off, according to Orion Motors. “We tried everything.”")
    assert frame(qs[1]) == ("according to", 17, 29, "Orion Motors", 30, 42, 0.7)


def test_no_speaker_keeps_none():
    text = "The square was quiet on Sunday.\n\n“Nobody expected this.”"
    (q,) = run(text)
    assert frame(q) == (None, None, None, None, None, None, 0.0)
    # A sentence after a full-stop quote is not its attribution.
    (q,) = run("“The vote is final.” The council then moved on to other business.")
    assert q.speaker_mention is None and q.attribution_score == 0.0


def test_input_not_mutated_and_order_kept():
    text = "“A,” Wang said. Li said: “B.”"
    quotes = find_quotes(text)
    rev = list(reversed(quotes))
    out = attribute_quotes(text, rev)
    assert [text[q.start:q.end] for q in out] == ["B.", "A,"]
    assert [q.speaker_mention for q in out] == ["Li", "Wang"]
    assert all(q.speaker_mention is None for q in quotes)


def test_reporting_verbs_cover_the_usual_cues():
    for verb in ("said", "says", "say", "added", "told", "claimed", "noted", "wrote", "argued",
                 "warned", "insisted", "stated", "explained", "asked", "replied", "announced",
                 "declared", "stressed", "suggested", "acknowledged", "admitted", "believed",
                 "predicted", "urged", "vowed", "tweeted", "continued", "remarked", "observed",
                 "complained", "countered", "conceded", "recalled", "emphasized", "emphasised",
                 "pointed out"):
        assert verb in REPORTING_VERBS, verb


def _at(text: str, content: str, kind: str) -> QuoteSpan:
    start = text.index(content)
    return QuoteSpan(start=start, end=start + len(content), kind=kind)


def test_a_title_or_an_initial_is_no_sentence_end_for_the_subject_of_a_gerund_frame():
    text = "Ms. Ray has backed Mr. Cole's plan, promising that the pier will reopen in May."
    (q,) = attribute_quotes(text, [_at(text, "that the pier will reopen in May", "indirect")])
    assert (q.speaker_mention, q.cue) == ("Ms. Ray", "promising")


def test_a_paragraph_ending_in_name_verb_colon_frames_the_quote_that_opens_the_next():
    text = "The board met late.\n\nRosa Delgado, the harbour chief, replied:\n\n“We will not wait for the council.”"
    (q,) = attribute_quotes(text, [_at(text, "We will not wait for the council.", "direct")])
    assert (q.speaker_mention, q.cue, q.attribution_score) == ("Rosa Delgado", "replied", 0.9)
    # not when the paragraph goes on after the colon, nor for a quote inside its paragraph
    text = "Rosa Delgado replied: maybe.\n\nThen “we will not wait,” a clerk wrote"
    (q,) = attribute_quotes(text, [_at(text, "we will not wait,", "direct")])
    assert q.speaker_mention is None


def test_a_closed_question_then_name_and_any_past_tense_verb():
    text = "“Why is the bridge still closed?” Ray demanded. Nobody answered."
    (q,) = attribute_quotes(text, [_at(text, "Why is the bridge still closed?", "direct")])
    assert (q.speaker_mention, q.cue) == ("Ray", "demanded")
    # a verb that goes on with an object is no frame
    text = "“Why is the bridge still closed?” Ray opened the meeting."
    (q,) = attribute_quotes(text, [_at(text, "Why is the bridge still closed?", "direct")])
    assert q.speaker_mention is None
