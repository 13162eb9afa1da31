"""PolNeAR span conventions applied to linked tagger output, on sentences written for the tests."""

from __future__ import annotations

from pipeline.quotes.tagger.boundaries import (
    apply_conventions,
    drop_leading_preposition,
    drop_speaker_label,
    end_at_closing_mark,
    extend_cue_left,
    signed_quote,
    split_at_paragraphs,
)
from pipeline.quotes.tagger.labels import CharSpan
from pipeline.quotes.tagger.linking import LinkedContent


def at(text: str, needle: str, label: str) -> CharSpan:
    start = text.index(needle)
    return CharSpan(start, start + len(needle), label)


def test_cue_takes_in_auxiliaries_and_adverbs_before_its_verb():
    text = "The minister has also repeatedly said that the budget is fair."
    cue = extend_cue_left(text, at(text, "said", "CUE"), [at(text, "The minister", "SOURCE")])
    assert text[cue.start:cue.end] == "has also repeatedly said"


def test_cue_does_not_grow_into_a_source_or_other_words():
    text = "Lopez has said so, and Reed said no."
    source = at(text, "Lopez has", "SOURCE")  # a source that already took the auxiliary
    assert extend_cue_left(text, at(text, "said so", "CUE"), [source]) == at(text, "said so", "CUE")
    assert extend_cue_left(text, at(text, "said no", "CUE"), []) == at(text, "said no", "CUE")


def test_content_loses_the_preposition_of_its_cue():
    text = "The union called for a national strike."
    content = drop_leading_preposition(text, at(text, "for a national strike", "CONTENT"))
    assert text[content.start:content.end] == "a national strike"
    only = drop_leading_preposition(text, at(text, "for", "CONTENT"))  # nothing would be left
    assert only == at(text, "for", "CONTENT")


def test_content_across_a_paragraph_break_is_split_and_the_far_piece_loses_its_speaker():
    text = "Lopez said the lanes were safe.\n\nDrivers were not convinced by the data."
    item = LinkedContent(at(text, "the lanes were safe.\n\nDrivers were not convinced", "CONTENT"),
                         at(text, "Lopez", "SOURCE"), at(text, "said", "CUE"))
    near, far = split_at_paragraphs(text, item)
    assert text[near.content.start:near.content.end] == "the lanes were safe."
    assert near.source == item.source and near.cue == item.cue
    assert text[far.content.start:far.content.end] == "Drivers were not convinced"
    assert far.source is None and far.cue is None


def test_all_conventions_together_keep_a_clean_item_unchanged():
    text = "Reed said the plan would hurt shops."
    item = LinkedContent(at(text, "the plan would hurt shops.", "CONTENT"), at(text, "Reed", "SOURCE"),
                         at(text, "said", "CUE"))
    assert apply_conventions(text, [item]) == [item]


def test_quoted_content_ends_at_its_closing_mark_not_after_its_own_frame():
    text = "“The bridge will open in May,” Lopez said on Friday."
    item = LinkedContent(at(text, "“The bridge will open in May,” Lopez said on Friday.", "CONTENT"),
                         at(text, "Lopez", "SOURCE"), at(text, "said", "CUE"))
    cut = end_at_closing_mark(text, item)
    assert text[cut.content.start:cut.content.end] == "“The bridge will open in May,”"
    assert cut.source == item.source and cut.cue == item.cue


def test_quoted_content_ends_before_a_dash_signature():
    text = "“Fix the potholes first.” ― Dana Reed, Leeds"
    item = LinkedContent(at(text, text, "CONTENT"), None, None)
    cut = end_at_closing_mark(text, item)
    assert text[cut.content.start:cut.content.end] == "“Fix the potholes first.”"


def test_closing_mark_rule_leaves_discontinuous_and_mixed_quotes_alone():
    # The frame sits between two quoted parts: the hull is PolNeAR's content.
    text = "“The bridge,” Lopez said, “will open in May.”"
    item = LinkedContent(at(text, text, "CONTENT"), at(text, "Lopez", "SOURCE"), at(text, "said", "CUE"))
    assert end_at_closing_mark(text, item) == item
    # Words after the closing mark that are not the frame stay in the content.
    text = "Reed promised “a fair deal” to the drivers."
    item = LinkedContent(at(text, "“a fair deal” to the drivers", "CONTENT"), at(text, "Reed", "SOURCE"),
                         at(text, "promised", "CUE"))
    assert end_at_closing_mark(text, item) == item


def test_transcript_speaker_label_becomes_the_source_not_content():
    text = "\"HOST: Will the mayor run again?\""
    item = LinkedContent(at(text, text, "CONTENT"), None, None)
    out = drop_speaker_label(text, item)
    assert text[out.content.start:out.content.end] == "Will the mayor run again?\""
    assert text[out.source.start:out.source.end] == "HOST"
    # A content that merely starts with a capitalised word is untouched.
    text = "NATO said: the alliance stands."
    item = LinkedContent(at(text, text, "CONTENT"), None, None)
    assert drop_speaker_label(text, item) == item


def test_dateline_is_not_a_content_and_a_source_stays_on_its_line():
    text = "Steel tariffs 'a mistake', says manufacturers' group\n\nWASHINGTON — The group said prices would rise."
    dateline = LinkedContent(at(text, "WASHINGTON", "CONTENT"), None, None)
    headline = LinkedContent(at(text, "Steel tariffs 'a mistake'", "CONTENT"),
                             at(text, "manufacturers' group\n\nWASHINGTON", "SOURCE"), at(text, "says", "CUE"))
    out = apply_conventions(text, [headline, dateline])
    assert len(out) == 1
    assert text[out[0].source.start:out[0].source.end] == "manufacturers' group"
    # A capitalised content with a cue, or one not before a dash, is kept.
    text = "NATO — the alliance — said ISIS was weakened."
    kept = LinkedContent(at(text, "ISIS was weakened", "CONTENT"), None, at(text, "said", "CUE"))
    assert apply_conventions(text, [kept]) == [kept]


def test_dash_signature_is_cue_and_source_of_the_quote_before_it():
    text = "“Fix the potholes first.” ― Dana Reed\n“Nobody asked us.” ― Sam Ito."
    first = LinkedContent(at(text, "“Fix the potholes first.”", "CONTENT"), at(text, "Sam Ito", "SOURCE"), None)
    out = signed_quote(text, first)
    assert text[out.source.start:out.source.end] == "Dana Reed" and text[out.cue.start:out.cue.end] == "―"
    second = LinkedContent(at(text, "“Nobody asked us.”", "CONTENT"), None, None)
    out = signed_quote(text, second)
    assert text[out.source.start:out.source.end] == "Sam Ito"
    # A headline dash before one capitalised word is not a signature.
    text = "Rivals Are Not Fighting Over Taxes — Yet.\n\nMore below."
    item = LinkedContent(at(text, "Taxes", "CONTENT"), None, at(text, "Fighting Over", "CUE"))
    assert signed_quote(text, item) == item
