"""The relevance gate before the stance cross-encoder, with tiny random models."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.gate import RelevanceGate, SentenceEncoder, mentioned


class CountingEncoder:
    """Embeds a string as a unit vector along one of two axes: money words or the rest."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        money = ("budget", "fiscal", "spending")
        return np.array([[1.0, 0.0] if any(w in t.lower() for w in money) else [0.0, 1.0] for t in texts],
                        dtype=np.float32)


def test_mentions_pass_and_similar_pairs_pass_and_each_string_is_encoded_once():
    encoder = CountingEncoder()
    gate = RelevanceGate(encoder, threshold=0.5, neutral_score=0.9)
    targets = ["Donald Trump", "fiscal policy", "fiscal policy", "climate action", "budget cuts"]
    texts = ["Trump's plan failed, she said.", "The budget is a disgrace.", "The budget is a disgrace.",
             "The budget is a disgrace.", "Budgets must shrink."]
    assert gate.keep(targets, texts).tolist() == [True, True, True, False, True]
    # Mentions need no embedding; the repeated text and target were encoded once each.
    assert sorted(encoder.seen) == sorted(["The budget is a disgrace.", "fiscal policy", "climate action"])


def test_a_name_passes_only_by_a_mention_however_close_its_meaning():
    encoder = CountingEncoder()
    gate = RelevanceGate(encoder, threshold=0.5, neutral_score=0.9)
    targets = ["Budget Office", "budget cuts", "Budget Office", "Budget Office"]
    texts = ["Spending is out of control.", "Spending is out of control.", "She said the cuts were cruel.",
             "Its fiscal forecast is wrong."]
    # A reference the caller resolved ("She" in the third text) counts as a mention.
    mentions = [(-1, -1), (-1, -1), (0, 3), (-1, -1)]
    assert gate.keep(targets, texts, mentions).tolist() == [False, True, True, False]
    assert "Budget Office" not in encoder.seen  # a name is never embedded


def test_mention_by_name_key_or_topic_stem_but_not_by_a_generic_word():
    targets = ["Democratic Party", "gun control", "the death penalty", "Republican Party", "climate action"]
    texts = ["Democrats blocked it.", "Guns were everywhere.", "No more penalties.", "The party met.",
             "Taxes went up."]
    assert mentioned(targets, texts).tolist() == [True, True, True, False, False]


def test_gated_pairs_are_neutral_with_the_gate_score_and_kept_pairs_unchanged(tiny_stance_model):
    plain = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False)
    gated = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False)
    gated.gate = RelevanceGate(CountingEncoder(), threshold=0.5, neutral_score=0.8)
    targets = ["fiscal policy", "climate action", "the mayor"]
    texts = ["The budget is a disgrace.", "The budget is a disgrace.", "The mayor lied about the budget."]
    before, after = plain.predict(targets, texts), gated.predict(targets, texts)
    assert after[0].probs == pytest.approx(before[0].probs, abs=1e-5)  # similar: read by the model
    assert after[2].probs == pytest.approx(before[2].probs, abs=1e-5)  # mentioned: read by the model
    assert after[1].label == "neutral" and after[1].score == pytest.approx(0.8)
    assert [p.gated for p in after] == [False, True, False]  # the output says which score is a constant
    assert sum(after[1].probs.values()) == pytest.approx(1.0)
    assert (gated.pairs, gated.gated_pairs) == (3, 1)


def test_gate_from_config_with_a_real_encoder(tiny_stance_model):
    classifier = StanceClassifier.from_pretrained(
        str(tiny_stance_model), progress=False,
        gate={"encoder": str(tiny_stance_model), "threshold": 1.01, "neutral_score": 0.95})
    assert isinstance(classifier.gate.encoder, SentenceEncoder)
    vectors = classifier.gate.encoder.encode(["a short one", "a much longer sentence than the first"])
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    predictions = classifier.predict(["climate action", "tax"], ["Nothing here.", "The tax is too high."])
    assert predictions[0].label == "neutral" and predictions[0].score == pytest.approx(0.95)  # cosine <= 1 < 1.01
    assert classifier.gated_pairs == 1  # "tax" is mentioned, so only one pair skipped


def test_a_gate_score_that_would_not_make_neutral_the_label_is_refused():
    with pytest.raises(ValueError, match="neutral_score"):
        RelevanceGate(CountingEncoder(), threshold=0.3, neutral_score=0.4)


def test_gate_settings_come_from_the_checkpoint_unless_the_config_sets_them(tiny_stance_model):
    classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False,
                                                  gate={"encoder": str(tiny_stance_model)})
    assert (classifier.gate.threshold, classifier.gate.neutral_score) == (0.12, 0.964)  # conftest stores them
    classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False,
                                                  gate={"encoder": str(tiny_stance_model), "threshold": 0.3})
    assert classifier.gate.threshold == 0.3


def test_a_checkpoint_without_a_neutral_label_refuses_the_gate(tiny_stance_model, tmp_path):
    import shutil

    folder = tmp_path / "two_labels"
    shutil.copytree(tiny_stance_model, folder)
    config = json.loads((folder / "config.json").read_text())
    config["id2label"] = {"0": "against", "1": "favor", "2": "other"}
    config["label2id"] = {"against": 0, "favor": 1, "other": 2}
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="no 'neutral' label"):
        StanceClassifier.from_pretrained(str(folder), progress=False, gate={"encoder": str(tiny_stance_model)})
