"""Linking and the span conventions give, span for span, what the quadratic implementation gave
(recorded in ``fixtures/linking_golden.json`` by ``fixtures/make_linking_golden.py``), and their
time grows with the length of the document, not with its square."""

from __future__ import annotations

import json
import time

import pytest

from conftest import ROOT
from pipeline.quotes.tagger.boundaries import apply_conventions
from pipeline.quotes.tagger.labels import CharSpan
from pipeline.quotes.tagger.linking import link_spans

CASES = json.loads((ROOT / "tests" / "fixtures" / "linking_golden.json").read_text(encoding="utf-8"))


def _linked(items):
    return [[None if s is None else [s.start, s.end, s.label, s.score] for s in (i.content, i.source, i.cue)]
            for i in items]


@pytest.mark.parametrize("case", CASES, ids=[f"seed{c['seed']}-noise{c['noise']}" for c in CASES])
def test_linking_and_conventions_match_the_recorded_output(case):
    text = case["text"]
    spans = [CharSpan(*span) for span in case["spans"]]
    linked = link_spans(spans, text)
    assert _linked(linked) == case["linked"]
    assert _linked(link_spans(spans)) == case["no_text"]
    assert _linked(apply_conventions(text, linked)) == case["conventions"]


def _seconds(n_items: int) -> float:
    from pipeline.bench import synthetic_attributions

    text, spans = synthetic_attributions(n_items, seed=3)
    begin = time.perf_counter()
    apply_conventions(text, link_spans(spans, text))
    return time.perf_counter() - begin


@pytest.mark.slow  # wall-clock: a busy machine can fail it without any change to the code
def test_linking_time_grows_about_linearly_with_the_document():
    _seconds(20)  # warm up the regexes
    # the best of three for both sizes: one slow run on a busy machine is not the algorithm
    small, large = min(_seconds(100) for _ in range(3)), min(_seconds(800) for _ in range(3))
    # 8x the text: the quadratic linking took about 60x as long; allow for a busy machine.
    assert large < 24 * small + 0.05, (small, large)


def test_line_breaks_are_the_regex_matches_without_its_quadratic_time():
    import random
    import re

    from pipeline.quotes.tagger.boundaries import line_breaks, line_pieces

    rng, pattern = random.Random(0), re.compile(r"\s*\n\s*")
    for _ in range(2000):
        text = "".join(rng.choice(" \t\n\r\x85\u2028\xa0ab.") for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert list(line_breaks(text, start, end)) == [m.span() for m in pattern.finditer(text, start, end)]
    text = "A" + " " * 2_000 + "B\n\nC"
    pieces = line_pieces(text, CharSpan(0, len(text), "CONTENT"))
    assert [text[p.start:p.end] for p in pieces] == ["A" + " " * 2_000 + "B", "C"]


@pytest.mark.slow  # wall-clock
def test_line_pieces_of_a_long_run_of_spaces_take_linear_time():
    from pipeline.quotes.tagger.boundaries import line_pieces

    text = "A" + " " * 200_000 + "B\n\nC"
    begin = time.perf_counter()
    pieces = line_pieces(text, CharSpan(0, len(text), "CONTENT"))
    assert [text[p.start:p.end] for p in pieces] == ["A" + " " * 200_000 + "B", "C"]
    assert time.perf_counter() - begin < 1.0
