"""Linking predicted spans: each content gets its cue and source."""

from __future__ import annotations

from pipeline.quotes.tagger.labels import CharSpan
from pipeline.quotes.tagger.linking import link_spans


def at(text: str, needle: str, label: str, nth: int = 0) -> CharSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return CharSpan(start, start + len(needle), label)


def links(text: str, spans: list[CharSpan]) -> list[tuple[str, str | None, str | None]]:
    out = []
    for item in link_spans(spans, text):
        source = text[item.source.start:item.source.end] if item.source else None
        cue = text[item.cue.start:item.cue.end] if item.cue else None
        out.append((text[item.content.start:item.content.end], source, cue))
    return out


def test_frame_inside_a_discontinuous_quote_and_frames_before_and_after():
    text = ("“We will win,” Ms. Park said, “and soon.” The rival camp claimed that the count was rigged. "
            "Turnout was low, officials said.")
    spans = [
        at(text, "“We will win,” Ms. Park said, “and soon.”", "CONTENT"), at(text, "Ms. Park", "SOURCE"),
        at(text, "said", "CUE"),
        at(text, "The rival camp", "SOURCE"), at(text, "claimed", "CUE"),
        at(text, "that the count was rigged", "CONTENT"),
        at(text, "Turnout was low", "CONTENT"), at(text, "officials", "SOURCE"), at(text, "said", "CUE", nth=1),
    ]
    assert links(text, spans) == [
        ("“We will win,” Ms. Park said, “and soon.”", "Ms. Park", "said"),
        ("that the count was rigged", "The rival camp", "claimed"),
        ("Turnout was low", "officials", "said"),
    ]


def test_a_source_is_shared_by_several_contents_and_by_a_participial_frame():
    text = ("The senator said that taxes would fall and that schools would get more money, "
            "adding that the plan was fair.")
    spans = [
        at(text, "The senator", "SOURCE"), at(text, "said", "CUE"),
        at(text, "that taxes would fall", "CONTENT"),
        at(text, "that schools would get more money", "CONTENT"),
        at(text, "adding", "CUE"), at(text, "that the plan was fair", "CONTENT"),
    ]
    result = links(text, spans)
    assert [source for _, source, _ in result] == ["The senator"] * 3
    assert [cue for _, _, cue in result] == ["said", "said", "adding"]


def test_no_source_across_a_sentence_break_and_none_is_invented():
    text = "Mr. Lee left early. The report was widely criticised as flawed."
    spans = [at(text, "Mr. Lee", "SOURCE"), at(text, "criticised as", "CUE"), at(text, "flawed", "CONTENT")]
    assert links(text, spans) == [("flawed", None, "criticised as")]
    assert links(text, [at(text, "The report", "CONTENT")]) == [("The report", None, None)]


def test_each_content_takes_its_own_nearby_cue():
    text = "Smith said the deal was dead. Jones insisted it was alive."
    spans = [
        at(text, "Smith", "SOURCE"), at(text, "said", "CUE"), at(text, "the deal was dead", "CONTENT"),
        at(text, "Jones", "SOURCE"), at(text, "insisted", "CUE"), at(text, "it was alive", "CONTENT"),
    ]
    assert links(text, spans) == [("the deal was dead", "Smith", "said"), ("it was alive", "Jones", "insisted")]


def test_no_cue_across_a_line_break():
    text = "Rates to stay low, minister says\n\nThe minister hinted that rates would stay low until May."
    spans = [at(text, "minister says", "CUE"), at(text, "rates would stay low until May", "CONTENT")]
    assert links(text, spans) == [("rates would stay low until May", None, None)]
    spans += [at(text, "The minister", "SOURCE"), at(text, "hinted", "CUE")]
    assert links(text, spans) == [("rates would stay low until May", "The minister", "hinted")]
