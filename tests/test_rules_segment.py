"""Tests for the rule-based quote finder (pipeline.quotes.rules.segment).

All snippets are invented for these tests.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.quotes.rules.segment import find_quotes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def spans(text: str) -> list[tuple[str, str]]:
    return [(q.kind, text[q.start:q.end]) for q in find_quotes(text)]


# ----------------------------------------------------------------- direct quotes

def test_straight_double_quotes():
    text = '"We will not retreat," the mayor said.'
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (1, 21, "direct")
    assert text[q.start:q.end] == "We will not retreat,"


def test_curly_double_quotes_after_colon_are_direct():
    text = "The mayor said: “We will not retreat.”"
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (17, 37, "direct")
    assert text[q.start:q.end] == "We will not retreat."


def test_quote_directly_after_verb_is_direct():
    text = 'Officials said "no comment" and left.'
    assert spans(text) == [("direct", "no comment")]


def test_headline_single_quotes_not_apostrophes():
    text = ("Minister calls deal 'a historic step'\n\n"
            "The minister's office didn't comment on the '90s-era rules or the students' complaints.")
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (21, 36, "direct")
    assert text[q.start:q.end] == "a historic step"


def test_headline_curly_single_quotes_with_possessive():
    text = "Han’s envoy calls summit ‘a turning point’ for the region\n\nOfficials didn’t say more."
    assert spans(text) == [("direct", "a turning point")]
    (q,) = find_quotes(text)
    assert (q.start, q.end) == (26, 41)


def test_single_quotes_in_body_are_not_quotes():
    text = "Headline without quotes\n\nThe firm's chief said it wasn't 'over' yet."
    # 'over' is not a quote of its own; the sentence is plain indirect speech.
    assert spans(text) == [("indirect", "it wasn't 'over' yet")]


def test_multi_paragraph_quote_is_one_span():
    text = ("“We have waited a long time for this,” she said. “The first stage is done.\n\n"
            "“The second stage starts in May.\n\n"
            "“And the third will follow.”\n\n"
            "The talks ended on Friday.")
    qs = find_quotes(text)
    assert [(q.start, q.end, q.kind) for q in qs] == [(1, 37, "direct"), (50, 137, "direct")]
    assert text[50:137] == ("The first stage is done.\n\n“The second stage starts in May.\n\n"
                            "“And the third will follow.")


def test_nested_single_quote_stays_inside_outer():
    text = "“He told me ‘never again’, and I believed him,” she said."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (1, 46, "direct")
    assert text[q.start:q.end] == "He told me ‘never again’, and I believed him,"


# ----------------------------------------------------------------- mixed quotes

def test_partial_quote_in_reported_clause_is_mixed():
    text = "Ivanov added that the relationship is “the best in history”."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (18, 59, "mixed")
    assert text[q.start:q.end] == "the relationship is “the best in history”"


def test_mixed_with_post_posed_frame():
    text = "Russia is “a reliable partner”, he said."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (0, 30, "mixed")


def test_two_fragments_in_one_clause_are_one_mixed_span():
    text = "The mayor said the plan was “reckless” and “deeply unfair” to residents."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (15, 71, "mixed")
    assert text[q.start:q.end] == "the plan was “reckless” and “deeply unfair” to residents"


def test_that_plus_quote_is_mixed_and_keeps_inner_period():
    text = "Kovac said that “nobody will be left behind.”"
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (16, 45, "mixed")
    assert text[q.start:q.end] == "“nobody will be left behind.”"


def test_scare_quote_without_reporting_frame_is_direct():
    text = "Councilman Frank Miller called the plan “a costly mistake” on Tuesday."
    assert spans(text) == [("direct", "a costly mistake")]


# ----------------------------------------------------------------- indirect speech

def test_indirect_bare_clause():
    text = "Wang said China and Russia would deepen cooperation. The talks continued into the night."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (10, 51, "indirect")
    assert text[q.start:q.end] == "China and Russia would deepen cooperation"


def test_indirect_told_reporters_that():
    text = "Li told reporters on Monday that the new tariffs were unfair."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (33, 60, "indirect")


def test_indirect_according_to_front_and_back():
    text = ("According to the ministry, the talks will resume in May. "
            "Prices will rise, according to Harbor Economics.")
    assert [(q.start, q.end, q.kind) for q in find_quotes(text)] == [
        (27, 55, "indirect"), (57, 73, "indirect")]
    assert spans(text) == [("indirect", "the talks will resume in May"),
                           ("indirect", "Prices will rise")]


def test_indirect_post_posed_and_apposition_and_gerund():
    assert spans("The negotiations were productive, Wang said.") == [
        ("indirect", "The negotiations were productive")]
    text = "Liu Qiang, the foreign minister, said the visit had been a success."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (38, 66, "indirect")
    assert spans("Han praised the talks, adding that trade would grow by a third.") == [
        ("indirect", "trade would grow by a third")]


def test_no_reporting_frame_no_quote():
    assert find_quotes("The talks continued into the night. Prices rose by 3 percent.") == []
    assert find_quotes("") == []


# ----------------------------------------------------------------- robustness

def test_unclosed_quote_is_capped_at_paragraph_end():
    text = "He said “this quote never closes and runs on\n\nA new paragraph with “a real quote” in it."
    qs = find_quotes(text)
    assert [(q.start, q.end, q.kind) for q in qs] == [(9, 44, "direct"), (68, 80, "direct")]
    assert text[68:80] == "a real quote"


def test_unclosed_quote_at_end_of_text_ends_there():
    text = "The last paragraph opens “but never closes  \n"
    (q,) = find_quotes(text)
    assert (q.start, q.end) == (26, 42)
    assert text[q.start:q.end] == "but never closes"


def test_stray_closing_mark_is_ignored():
    text = "Stray mark” here. Then “a quote” follows."
    assert [(q.start, q.end) for q in find_quotes(text)] == [(24, 31)]


def test_second_opening_mark_ends_the_unclosed_first():
    text = "She said “first part and then “second part” ends."
    assert spans(text) == [("direct", "first part and then"), ("direct", "second part")]


def test_inch_mark_is_not_a_quote():
    text = 'The 27" screen costs more, "which is absurd," he said.'
    assert spans(text) == [("direct", "which is absurd,")]


def test_html_attribute_quotes_are_ignored():
    text = '<p class="lead">“We are ready,” she said.</p>\n<div id="x"><a href="/y">link</a></div>'
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.kind) == (17, 30, "direct")


def test_messy_html_does_not_crash():
    text = '<html><p>"Open <b>bold</b>\n<p>“Another” <script>var a = "x";</script><<<>>>\u201c'
    qs = find_quotes(text)
    assert all(0 <= q.start <= q.end <= len(text) for q in qs)


def test_examples_sorted_and_non_overlapping():
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        qs = find_quotes(text)
        assert qs, path.name
        kinds = {q.kind for q in qs}
        assert kinds == {"direct", "indirect", "mixed"}, path.name
        for a, b in zip(qs, qs[1:]):
            assert a.end <= b.start, (path.name, a, b)


PARA = ('Liu Qiang, the foreign minister, said the talks were useful. “We are ready,” he said. '
        'Ivanov added that ties are “the best in history”. '
        '<p class="x">According to the ministry, trade grew.</p>\n\n')


def test_a_long_document_gives_every_paragraph_its_quotes():
    text = PARA * 400  # about 80 KB
    assert len(find_quotes(text)) == 4 * 400


@pytest.mark.slow  # wall-clock
def test_two_megabyte_document_is_fast():
    text = PARA * (2_000_000 // len(PARA) + 1)
    assert len(text) >= 2_000_000
    t0 = time.perf_counter()
    qs = find_quotes(text)
    elapsed = time.perf_counter() - t0
    # About 1 s on an idle 2-core machine; the bound is loose so a busy machine passes,
    # while anything quadratic in the text length (hours at 2 MB) still fails.
    assert elapsed < 60.0
    assert len(qs) == 4 * text.count(PARA)
    assert text[qs[1].start:qs[1].end] == "We are ready,"
