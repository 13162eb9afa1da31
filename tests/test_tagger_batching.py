"""Leaner tagging (issue 13): windows batched across documents, int8, the fast BIO decoder.

A tiny random tagger (2 layers, 32 wide, random heads) tags plenty of spans, which is what
these checks need: the batched path must give exactly the per-document path's quotes.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

TEXTS = [
    "“The new harbour will bring jobs,” Mayor Ana Lopez said on Monday. Councillor Tom Reed said that "
    "the plan would hurt small shops and that rents would rise, and fishermen fear the works.",
    "",
    "Short one.",
    "Engineers warned that the old bridge could close for a year. “We cannot promise anything,” a "
    "spokeswoman for the county said.\n\nDrivers told reporters the detour was “a nightmare” and asked "
    "for free buses, while the council said it would answer next week after a long meeting.",
    "“Never,” Tom Reed said.",
]


@pytest.fixture(scope="module")
def tiny_tagger_dir(tmp_path_factory, tiny_encoder) -> Path:
    import torch
    from transformers import AutoTokenizer

    from pipeline.models import save_fp16
    from pipeline.quotes.tagger.model import build_tagger_model

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_encoder))
    model = build_tagger_model(str(tiny_encoder))
    with torch.no_grad():  # louder heads than the default init: more spans to compare
        model.classifier.weight.mul_(20.0)
    model.config.quote_min_content_score = 0.0
    out = tmp_path_factory.mktemp("tiny_tagger")
    save_fp16(model, tokenizer, out)
    return out


def _tagger(path, **kwargs):
    from pipeline.quotes.tagger.quote_tagger import QuoteTagger

    return QuoteTagger.from_pretrained(str(path), progress=False, **{"window": 24, "stride": 12, **kwargs})


def test_windows_batched_across_documents_give_each_documents_own_quotes(tiny_tagger_dir):
    tagger = _tagger(tiny_tagger_dir, dtype="float32", batch_size=3)
    alone = [tagger(text) for text in TEXTS]
    assert sum(map(len, alone)) > 3, "the random tagger should find some quotes"
    assert tagger.find_quotes_batch(TEXTS) == alone
    assert tagger.find_quotes_batch(list(reversed(TEXTS))) == list(reversed(alone))


def test_the_segment_stage_batches_a_batch_segmenter_and_isolates_its_failures():
    from datasets import Dataset

    from faults import SEGMENT_FAULT, faulty_find_quotes, out_of_range_find_quotes
    from pipeline.io.documents import DOCUMENT_FEATURES
    from pipeline.run.stages import add_quotes

    class Batched:
        def __init__(self, find):
            self.find, self.calls = find, []

        def __call__(self, text):
            return self.find(text)

        def find_quotes_batch(self, texts):
            self.calls.append(len(texts))
            return [self.find(t) for t in texts]

    texts = TEXTS + [f"{SEGMENT_FAULT} “Never,” Tom Reed said.", "“Yes,” Ann Lee said."]
    rows = [{"doc_id": str(i), "text": t, "status": "ok" if t else "error", "error": None if t else "text is empty",
             "targets": [], "target_aliases": [], "source": "test", "meta": "{}"} for i, t in enumerate(texts)]
    documents = Dataset.from_list(rows, features=DOCUMENT_FEATURES)

    def statuses(table):
        return [(r["status"], r["error"], len(r["quotes"])) for r in table]

    for find in (faulty_find_quotes, out_of_range_find_quotes):
        batched = Batched(find)
        got, want = add_quotes(documents, batched), add_quotes(documents, find)
        assert statuses(got) == statuses(want)
        assert got["quotes"] == want["quotes"]
        assert batched.calls == [len(texts) - 1]  # one call for the ok documents of the shard
        failed = [r for r in got if r["doc_id"] == str(len(texts) - 2)][0]
        assert failed["status"] == "error" and failed["error"].startswith("segment failed")
        assert [r["status"] for r in got][-1] == "ok" and len(got[len(texts) - 1]["quotes"]) == 1


def test_int8_tagger_runs_and_finds_quotes_inside_the_text(tiny_tagger_dir):
    import torch

    tagger = _tagger(tiny_tagger_dir, quantize="int8")
    assert tagger.provenance["quantize"] == "int8"
    linear = {name: type(m).__module__ for name, m in tagger.model.named_modules() if type(m).__name__ == "Linear"}
    assert "quantized" in linear["bert.encoder.layer.0.attention.self.query"]
    assert "quantized" in linear["bert.encoder.layer.0.intermediate.dense"]
    # Down-projections and the head keep fp32 (see quantize_int8).
    assert "quantized" not in linear["bert.encoder.layer.0.output.dense"] + linear["classifier"]
    for text, quotes in zip(TEXTS, tagger.find_quotes_batch(TEXTS)):
        assert all(0 <= q.start < q.end <= len(text) for q in quotes)
    with pytest.raises(ValueError, match="quantize"):
        _tagger(tiny_tagger_dir, quantize="int4")


#: int8 must give fp32's tag on at least this share of (token, label layer) positions of the
#: tiny tagger.  Measured 234 of 234 here; a random 32-wide model is a harsher case than MiniLM, whose
#: int8 cost is 1.55 points of content exact F1 on PolNeAR dev (docs/benchmarks.md).
INT8_TAG_AGREEMENT = 0.95


def test_int8_tags_agree_with_fp32_on_the_tiny_tagger(tiny_tagger_dir):
    import torch
    from transformers import AutoTokenizer

    from pipeline.quotes.tagger.decode import layer_slices
    from pipeline.quotes.tagger.model import load_tagger_model, tagger_layers

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_tagger_dir))
    batch = tokenizer([t for t in TEXTS if t], padding=True, return_tensors="pt")
    fp32 = load_tagger_model(str(tiny_tagger_dir), dtype="float32")
    int8 = load_tagger_model(str(tiny_tagger_dir), quantize="int8")
    with torch.no_grad():
        want, got = fp32(**batch).logits, int8(**batch).logits
    assert not torch.equal(want, got)  # int8 really ran: the logits moved
    real = batch["attention_mask"].bool()
    agree = total = 0
    for cols in layer_slices(tagger_layers(fp32)).values():
        same = want[..., cols].argmax(-1) == got[..., cols].argmax(-1)
        agree, total = agree + int(same[real].sum()), total + int(real.sum())
    assert total > 100
    assert agree / total >= INT8_TAG_AGREEMENT, f"int8 agrees with fp32 on {agree}/{total} tags"


def _brute_force(probs, tags):
    from pipeline.quotes.tagger.decode import allowed_transitions

    start, allowed = allowed_transitions(tags)
    best, best_score = None, -np.inf
    logp = np.log(np.clip(probs, 1e-12, 1.0))
    for path in itertools.product(range(len(tags)), repeat=len(probs)):
        if not start[path[0]] or not all(allowed[a, b] for a, b in zip(path, path[1:])):
            continue
        total = sum(logp[t, j] for t, j in enumerate(path))
        if total > best_score:
            best, best_score = path, total
    return list(best), best_score


def test_viterbi_finds_the_best_valid_bio_path():
    from pipeline.quotes.tagger.decode import softmax, viterbi
    from pipeline.quotes.tagger.labels import label_layers

    rng = np.random.default_rng(0)
    for tags in label_layers().values():
        for _ in range(40):
            probs = softmax(rng.normal(size=(int(rng.integers(1, 6)), len(tags))) * 3)
            path = viterbi(probs, tags)
            want, score = _brute_force(probs, tags)
            logp = np.log(np.clip(probs, 1e-12, 1.0))
            assert sum(logp[t, j] for t, j in enumerate(path)) == pytest.approx(score)
            assert list(path) == want


def test_tagger_fast_is_the_default_tagger_with_int8_linear_layers_and_less_overlap():
    from scripts_loader import compose_run_config

    default = compose_run_config("infer", ["input_path=x", "output_dir=/tmp/x"]).segmenter
    fast = compose_run_config("infer", ["input_path=x", "output_dir=/tmp/x", "segmenter=tagger_fast"]).segmenter
    assert default.quantize is None and fast.quantize == "int8"
    assert (default.stride, fast.stride) == (128, 192)
    levers = ("quantize", "stride")
    assert {k: v for k, v in fast.items() if k not in levers} == {k: v for k, v in default.items() if k not in levers}
