"""Property-based tests (hypothesis) over random Unicode texts, quote marks, newlines and very
long tokens: nothing crashes, every record gives one row, and every offset points into the
document (``text == document[start:end]``)."""

from __future__ import annotations

import csv
import json

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="property tests need the dev extra: pip install -e '.[dev]'")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.quotes.tagger.labels import CharSpan  # noqa: E402

# Modest example counts keep `make test` fast; the ones below found nothing new past ~50.
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKS = list("“”\"‘’'«»„‚‹›「」")
BREAKS = ["\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\f", "\v", "\t"]
WORDS = ["said", "says", "told", "added", "according to", "that", "Mr.", "Ms. Lee", "Ana Lopez",
         "the minister", "he", "she", "WALLACE:", "GENEVA —", "―", "and", "for", ".", ",", "!", "?"]
characters = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be encoded
pieces = st.one_of(st.sampled_from(MARKS), st.sampled_from(BREAKS), st.sampled_from(WORDS),
                   st.text(characters, max_size=8), st.just(" "),
                   st.builds(lambda c, n: c * n, st.sampled_from("a .\n-“"), st.integers(50, 3000)))
documents = st.lists(pieces, max_size=60).map(" ".join)


def _check_offsets(text: str, quotes) -> None:
    for q in quotes:
        assert 0 <= q.start <= q.end <= len(text)
        for start, end in ((q.cue_start, q.cue_end), (q.speaker_start, q.speaker_end)):
            assert (start is None) == (end is None)
            if start is not None:
                assert 0 <= start <= end <= len(text)


@FAST
@given(documents)
def test_rules_segment_and_attribute_any_text(text):
    from pipeline.quotes.rules.attribute import attribute_quotes
    from pipeline.quotes.speakers import resolve_speakers
    from pipeline.quotes.rules.segment import find_quotes

    quotes = find_quotes(text)
    _check_offsets(text, quotes)
    quotes = resolve_speakers(text, attribute_quotes(text, quotes))
    _check_offsets(text, quotes)


@st.composite
def text_and_spans(draw):
    text = draw(documents.filter(bool))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 30))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, min(n, start + 300)))
        spans.append(CharSpan(start, end, draw(st.sampled_from(["CONTENT", "CUE", "SOURCE"])),
                              draw(st.floats(0, 1))))
    return text, spans


@FAST
@given(text_and_spans())
def test_tagger_post_processing_of_any_spans_keeps_offsets_in_the_document(case):
    from pipeline.quotes.tagger.quote_tagger import snap_to_words, to_quote_spans
    from pipeline.quotes.tagger.boundaries import apply_conventions
    from pipeline.quotes.tagger.linking import link_spans

    text, spans = case
    spans = [snap_to_words(text, s) for s in spans]
    linked = link_spans(spans, text)
    assert len(linked) == sum(s.label == "CONTENT" for s in spans)
    _check_offsets(text, to_quote_spans(text, apply_conventions(text, linked)))


@FAST
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 600)), max_size=40),
       st.integers(-50, 650), st.integers(-50, 650))
def test_span_index_finds_every_span_reaching_into_a_stretch(bounds, lo, hi):
    from pipeline.quotes.tagger.linking import SpanIndex

    spans = [CharSpan(a, b, "CUE") for a, b in bounds]
    index = SpanIndex(spans, n_long=2)
    expected = [s for s in spans if max(s.start, s.end) >= lo and min(s.start, s.end) <= hi]
    assert index.near(lo, hi) == expected


record_texts = st.one_of(st.text(characters, max_size=200), documents)


@FAST
@given(st.lists(st.tuples(record_texts, st.lists(st.text(characters, min_size=1, max_size=10), max_size=3)),
                min_size=1, max_size=8),
       st.booleans())
def test_every_jsonl_record_gives_one_row(tmp_path_factory, records, ascii_only):
    from pipeline.io.documents import load_documents

    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": text, "targets": targets}, ensure_ascii=ascii_only)
             for i, (text, targets) in enumerate(records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = load_documents(path)
    assert docs["doc_id"] == [f"r{i}" for i in range(len(records))]
    for row, (text, targets) in zip(docs, records):
        assert row["status"] in ("ok", "error")
        if text.strip() and all(t.strip() for t in targets):
            assert row["status"] == "ok" and row["text"] == text


@FAST
@given(st.lists(record_texts, min_size=1, max_size=8))
def test_every_csv_record_gives_one_row_with_its_text(tmp_path_factory, texts):
    from pipeline.io.documents import load_documents

    path = tmp_path_factory.mktemp("csv") / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([f"r{i}", text] for i, text in enumerate(texts))
    docs = load_documents(path)
    assert docs["doc_id"] == [f"r{i}" for i in range(len(texts))]
    for row, text in zip(docs, texts):
        assert row["status"] == ("ok" if text.strip() else "error")
        if text.strip():
            assert row["text"] == text


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, min_size=1, max_size=5))
def test_the_stages_give_one_row_per_record_and_quote_text_equals_the_document_slice(tmp_path_factory, texts):
    from pipeline.io.artifacts import build_tables
    from pipeline.quotes.rules.attribute import attribute_quotes
    from pipeline.quotes.speakers import resolve_speakers
    from pipeline.io.documents import load_documents
    from pipeline.quotes.rules.segment import find_quotes
    from pipeline.run.stages import Stages

    path = tmp_path_factory.mktemp("docs") / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
                    encoding="utf-8")
    stages = Stages(find_quotes, attribute_quotes, resolve_speakers, None)
    tables = build_tables(stages.process(load_documents(path)))
    documents = tables["documents"]
    assert documents["doc_id"] == [f"r{i}" for i in range(len(texts))]
    # No stage failed: an error row here would be a crash that isolation hid.
    assert all(s == "ok" or e == "text is empty" for s, e in zip(documents["status"], documents["error"]))
    by_id = dict(zip(documents["doc_id"], documents["text"]))
    for quote in tables["quotes"]:
        document = by_id[quote["doc_id"]]
        assert quote["text"] == document[quote["start"]:quote["end"]]
        _check_offsets(document, [type("Q", (), quote)])


def _snap_reference(text, span):
    """snap_to_words as it was, character by character (the reference for the faster one)."""
    start, end = span.start, span.end
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    if 0 < start < end and text[start - 1].isalnum() and text[start].isalnum():
        while start < end and text[start].isalnum():
            start += 1
        while start < end and text[start].isspace():
            start += 1
    if start >= end:
        return span
    return span if (start, end) == (span.start, span.end) else CharSpan(start, end, span.label, span.score)


@FAST
@given(text_and_spans())
def test_snap_to_words_matches_the_character_loop(case):
    from pipeline.quotes.tagger.quote_tagger import snap_to_words

    from pipeline.quotes.tagger.quote_tagger import WordRuns

    text, spans = case
    runs = WordRuns(text)
    assert [snap_to_words(text, s, runs) for s in spans] == [_snap_reference(text, s) for s in spans]
    assert [snap_to_words(text, s) for s in spans] == [_snap_reference(text, s) for s in spans]


def _snap_in_one_long_token(length: int):
    from types import SimpleNamespace

    from pipeline.quotes.tagger.quote_tagger import QuoteTagger

    text = "He said " + "x" * length + " here."
    spans = [CharSpan(i, i + 10, "CONTENT") for i in range(10, length, length // 100)]  # 100 spans in one token
    quotes = QuoteTagger.quotes_from_spans(SimpleNamespace(min_content_score=0.5, min_unattributed_score=0.0),
                                         text, spans)
    return quotes, spans


def test_spans_inside_a_very_long_token_keep_their_offsets():
    quotes, spans = _snap_in_one_long_token(4_000)
    # Each span starts mid-token: its start would move past the token's end, so it stays as it is.
    assert {(q.start, q.end) for q in quotes} == {(s.start, s.end) for s in spans}


@pytest.mark.slow  # wall-clock
def test_snapping_spans_inside_a_very_long_token_takes_linear_time():
    import time

    begin = time.perf_counter()
    quotes, spans = _snap_in_one_long_token(400_000)
    assert time.perf_counter() - begin < 1.0  # the character loop took about 5 s here
    assert {(q.start, q.end) for q in quotes} == {(s.start, s.end) for s in spans}
