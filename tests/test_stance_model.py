"""The stance classifier and its training, with tiny random models."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import torch

from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.training import CorpusSpec, train_stance


def test_predictions_keep_input_order_across_length_sorted_batches(tiny_stance_model):
    classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), batch_size=2, progress=False)
    targets = ["tax", "climate action", "the mayor", "tax"]
    texts = ["A very long sentence " * 20, "Short.", "Medium length text here.", "Short."]
    batched = classifier.predict(targets, texts)
    alone = [classifier.predict([t], [x])[0] for t, x in zip(targets, texts)]
    for a, b in zip(batched, alone):
        assert a.label == b.label
        assert a.score == pytest.approx(b.score, abs=1e-3)
        assert sum(a.probs.values()) == pytest.approx(1.0, abs=1e-5)
    assert batched[1].probs == pytest.approx(batched[3].probs, abs=1e-3)  # same pair, same answer
    assert len({round(p.score, 3) for p in batched[:3]}) > 1  # the pairs really differ


def test_checkpoint_is_fp16_on_disk_and_upcast_in_memory(tiny_stance_model):
    from safetensors import safe_open

    with safe_open(str(tiny_stance_model / "model.safetensors"), "pt") as handle:
        dtypes = {handle.get_tensor(k).dtype for k in handle.keys()}
    assert torch.float16 in dtypes and torch.float32 not in dtypes
    classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), dtype="float32", progress=False)
    assert next(classifier.model.parameters()).dtype == torch.float32
    assert len(classifier.provenance["sha256"]) == 64


def test_missing_checkpoint_says_how_to_get_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/train.py"):
        StanceClassifier.from_pretrained(str(tmp_path / "nothing"))


def _write_corpora(folder):
    vast = folder / "vast.csv"
    topics = ["taxes", "schools", "parks", "roads", "trains", "ports"]
    pd.DataFrame({
        "post": [f"Comment {i} about {topics[i % 6]}." for i in range(36)],
        "topic_str": [topics[i % 6] for i in range(36)], "new_topic": [topics[i % 6] for i in range(36)],
        "label": [i % 3 for i in range(36)], "arc_id": list(range(36)),
    }).to_csv(vast, index=False)
    news = folder / "news.jsonl"
    news.write_text("".join(json.dumps({"mention": "Lee", "polarity": p, "from": 0, "to": 3,
                                        "sentence": f"Lee spoke {i}.", "id": str(i)}) + "\n"
                            for i, p in enumerate([-1, 0, 1] * 4)))
    return vast, news


def test_train_writes_a_loadable_checkpoint_and_dev_metrics(tmp_path, tiny_stance_model):
    vast, news = _write_corpora(tmp_path)
    corpora = {"vast": CorpusSpec(format="vast", train=str(vast), dev_fraction=0.34),
               "newsmtsc": CorpusSpec(format="newsmtsc", train=str(news), dev=str(news))}
    metrics = train_stance(
        corpora, str(tiny_stance_model), tmp_path / "run",
        training_args={"max_steps": 2, "per_device_train_batch_size": 4, "use_cpu": True,
                       "report_to": "none", "save_strategy": "no", "eval_strategy": "no",
                       "train_sampling_strategy": "group_by_length", "disable_tqdm": True},
        max_length=32, seed=3,
    )
    assert set(metrics["dev"]) == {"vast", "newsmtsc"}
    assert metrics["dev"]["newsmtsc"]["n"] == 12
    assert 0.0 <= metrics["dev"]["vast"]["macro_f1"] <= 1.0
    saved = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert saved["dev"]["vast"]["n"] == metrics["dev"]["vast"]["n"]
    classifier = StanceClassifier.from_pretrained(str(tmp_path / "run" / "model"), progress=False)
    assert classifier.predict(["taxes"], ["Comment"])[0].label in {"against", "favor", "neutral"}
    assert classifier.mark_mentions  # inference marks the mention as training did


def test_temperature_fit_recovers_a_known_temperature_and_lowers_ece():
    import numpy as np

    from pipeline.stance.calibration import calibrate, expected_calibration_error, fit_temperature, softmax

    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 3)) * 2.0
    gold = np.array([rng.choice(3, p=p) for p in softmax(true_logits)])
    overconfident = true_logits * 3.0  # a model three times too sure of itself
    assert fit_temperature(overconfident, gold) == pytest.approx(3.0, rel=0.1)
    result = calibrate(overconfident, gold)
    assert result["ece_after"] < result["ece_before"] / 2
    assert expected_calibration_error(np.array([[1.0, 0.0, 0.0]]), np.array([0])) == 0.0


def test_classifier_applies_the_checkpoint_temperature(tiny_stance_model, tmp_path):
    import shutil

    hot = tmp_path / "hot"
    shutil.copytree(tiny_stance_model, hot)
    plain = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False)
    warmed = StanceClassifier.from_pretrained(str(hot), progress=False)
    warmed.model.config.stance_temperature = 50.0
    a, b = plain.predict(["tax"], ["Cut it."])[0], warmed.predict(["tax"], ["Cut it."])[0]
    assert a.label == b.label  # temperature never changes the label
    assert b.score < a.score and b.score == pytest.approx(1 / 3, abs=0.05)


@pytest.mark.parametrize("experiment, corpora", [
    ("stance_minilm", {"vast", "newsmtsc", "gwsd", "ibm", "semeval"}),
    ("stance_news_relations", {"vast", "newsmtsc", "gwsd", "ibm", "semeval", "directed_sentiment"}),
])
def test_train_script_runs_the_experiments_shrunk(tmp_path, tiny_stance_model, experiment, corpora):
    """Each stance experiment with debug=fast and a tiny model: every corpus reader and split runs."""
    from conftest import ROOT
    from scripts_loader import compose_run_config, train_script

    if not (ROOT.parent / "shared" / "data" / "stance").exists():
        pytest.skip("../shared/data/stance is not beside this checkout")
    cfg = compose_run_config("train", [f"experiment={experiment}", "debug=fast",
                                       f"model.name_or_path={tiny_stance_model}",
                                       f"hydra.run.dir={tmp_path}", "max_dev_samples=8",
                                       "+trainer.args.disable_tqdm=true"])
    metrics = train_script.train(cfg)
    assert set(metrics["dev"]) == corpora
    assert all(scores["n"] == 8 for scores in metrics["dev"].values())
    assert (tmp_path / "model" / "model.safetensors").exists()


def test_inference_dtype_names_and_auto():
    from pipeline.models import inference_dtype, native_bf16

    assert inference_dtype("float32") is torch.float32
    assert inference_dtype("bfloat16") is torch.bfloat16
    assert inference_dtype("auto") is (torch.bfloat16 if native_bf16() else torch.float32)
    with pytest.raises(ValueError, match="auto, float32, bfloat16; got 'fp16'"):
        inference_dtype("fp16")


def test_bfloat16_inference_keeps_the_fp32_answers(tiny_stance_model):
    targets = ["tax", "climate action", "the mayor"]
    texts = ["A very long sentence " * 20, "Short.", "Medium length text here."]
    answers = {}
    for dtype in ("float32", "bfloat16"):
        classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), dtype=dtype, progress=False)
        assert classifier.provenance["dtype"] == f"torch.{dtype}"
        assert next(classifier.model.parameters()).dtype == getattr(torch, dtype)
        answers[dtype] = classifier.predict(targets, texts)
    for full, half in zip(answers["float32"], answers["bfloat16"]):
        assert half.probs == pytest.approx(full.probs, abs=0.02)


def test_clause_context_comes_from_the_checkpoint_and_can_be_overridden(tiny_stance_model):
    from pipeline.stance.classifier import StanceClassifier

    classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False)
    assert classifier.context == "content"  # checkpoints without the key read the quote alone
    classifier.model.config.stance_context = "clause"
    assert classifier.context == "clause"
    assert StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False,
                                            context="content").context == "content"
    with pytest.raises(ValueError, match="stance.context"):
        StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False, context="sentence")


def test_unrelated_target_negatives_are_neutral_and_never_mentioned():
    from pipeline.stance.corpora import COLUMNS
    from pipeline.stance.features import find_mention
    from pipeline.stance.training import unrelated_target_negatives

    names = ["Rosa Delgado", "Frank Miller", "Amara Okafor", "Richard Hale", "Daniel Kim", "Tomas Lind"]
    frame = pd.DataFrame([{"target": names[i % 6], "text": f"{names[i % 6]} spoke to {names[(i + 1) % 6]}.",
                           "label": "favor", "group": str(i), "topic": names[i % 6],
                           "mention_start": 0, "mention_end": len(names[i % 6]),
                           "holder_start": -1, "holder_end": -1} for i in range(60)], columns=COLUMNS)
    negatives = unrelated_target_negatives(frame, 0.5, seed=0)
    assert 20 <= len(negatives) <= 30
    assert set(negatives["label"]) == {"neutral"}
    assert (negatives["mention_start"] == -1).all()
    for row in negatives.itertuples():
        assert find_mention(row.target, row.text, aliases=True) == (-1, -1)


def test_dev_split_is_fixed_by_split_seed_not_by_the_training_seed(tmp_path):
    from pipeline.stance.training import load_splits

    vast, _ = _write_corpora(tmp_path)
    corpora = {"vast": CorpusSpec(format="vast", train=str(vast), dev_fraction=0.34)}
    _, dev_a = load_splits(corpora, seed=1, split_seed=42)
    _, dev_b = load_splits(corpora, seed=2, split_seed=42)
    _, dev_c = load_splits(corpora, seed=2, split_seed=7)
    assert dev_a["vast"]["text"].tolist() == dev_b["vast"]["text"].tolist()
    assert dev_a["vast"]["text"].tolist() != dev_c["vast"]["text"].tolist()


def test_neutral_bias_is_chosen_on_the_dev_mean_and_applied_by_the_classifier(tiny_stance_model, tmp_path):
    import shutil

    import numpy as np

    from pipeline.stance.training import choose_neutral_bias

    # against, favor, neutral logits: the model over-calls favor on neutral pairs by a margin of 0.8
    logits = np.array([[0.0, 0.8, 0.0]] * 6 + [[0.0, 2.0, 0.0]] * 4 + [[2.0, 0.0, 0.0]] * 2)
    gold = ["neutral"] * 6 + ["favor"] * 4 + ["against"] * 2
    frames = {"a": pd.DataFrame({"label": gold[:6] + gold[10:]}), "b": pd.DataFrame({"label": gold[6:10]})}
    order = np.r_[0:6, 10:12, 6:10]  # rows in the frames' order
    bias, means = choose_neutral_bias(logits[order], frames, neutral=2)
    assert bias == 1.0  # the smallest grid value that clears 0.8 and keeps the true favors
    assert means[1.0] > means[0.0]

    biased = tmp_path / "biased"
    shutil.copytree(tiny_stance_model, biased)
    classifier = StanceClassifier.from_pretrained(str(biased), progress=False)
    raw = classifier.logits(["tax"], ["Cut it."])
    classifier.model.config.stance_neutral_bias = 100.0
    assert classifier.decision_logits(raw)[0, 2] == pytest.approx(raw[0, 2] + 100.0)
    prediction = classifier.predict(["tax"], ["Cut it."])[0]
    assert prediction.label == "neutral" and prediction.score == pytest.approx(1.0)
