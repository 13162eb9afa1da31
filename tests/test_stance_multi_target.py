"""The multi-target stance model: one encoder pass per clause, a head per target (issue 22)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import scripts_loader  # noqa: F401  (registers the infer schema)
from conftest import CONFIGS, LABELS
from test_news_quotes import write_corpus
from test_stance_model import _write_corpora

CLAUSES = [
    "Hale said Donald Trump wrecked climate action and the Senate.",
    "Okafor praised climate action, and warned Donald Trump against tariffs.",
    "Miller argued that bike lanes and steel tariffs help Donald Trump's voters.",
    "Ortiz said the Senate would pass the tax bill that Trump wants.",
    "Lee called the plan for tariffs a disaster for the Senate.",
]
TARGETS = ["Donald Trump", "climate action", "Senate", "tariffs", "bike lanes", "tax bill", "steel",
           "voters", "plan", "disaster"]


@pytest.fixture(scope="session")
def tiny_multi_target(tiny_encoder, tmp_path_factory):
    """A multi-target model around the tiny random encoder, saved as training saves it."""
    import torch
    from transformers import AutoTokenizer

    from pipeline.models import save_fp16
    from pipeline.stance.multi_target import MultiTargetStanceModel

    torch.manual_seed(0)
    model = MultiTargetStanceModel.from_encoder(str(tiny_encoder), LABELS, head_hidden=16)
    with torch.no_grad():  # spread the logits so different inputs give visibly different answers
        model.head[-1].weight.mul_(50.0)
    model.config.stance_gate_threshold, model.config.stance_gate_neutral_score = 0.12, 0.964
    return save_fp16(model, AutoTokenizer.from_pretrained(tiny_encoder), tmp_path_factory.mktemp("tiny_mt"))


def _classifier(path, **kwargs):
    from pipeline.stance.multi_target import MultiTargetStanceClassifier

    return MultiTargetStanceClassifier.from_pretrained(str(path), dtype="float32", progress=False, **kwargs)


def _pairs(n_targets: int):
    """Every clause x the first ``n_targets`` targets, with each mention found in the clause."""
    from pipeline.stance.features import find_mention

    targets, texts, mentions, holders = [], [], [], []
    for clause in CLAUSES:
        for target in TARGETS[:n_targets]:
            targets.append(target)
            texts.append(clause)
            mentions.append(find_mention(target, clause, aliases=True))
            holders.append((0, clause.index(" ")))
    return targets, texts, mentions, holders


def _count_encoder_rows(classifier) -> list[int]:
    """Rows (sequences) the encoder reads, appended per forward call."""
    rows: list[int] = []
    classifier.model.encoder.register_forward_hook(lambda module, args, kwargs, out: rows.append(
        kwargs["input_ids"].shape[0]), with_kwargs=True)
    return rows


@pytest.mark.parametrize("n_targets", [1, 2, 10])
def test_one_encoder_pass_per_distinct_clause_whatever_the_number_of_targets(tiny_multi_target, n_targets):
    classifier = _classifier(tiny_multi_target, batch_size=2)
    rows = _count_encoder_rows(classifier)
    targets, texts, mentions, holders = _pairs(n_targets)
    # Only the mentioned pairs, so no target string needs an encoding of its own.
    keep = [i for i, m in enumerate(mentions) if m[0] >= 0]
    predictions = classifier.predict(*[[values[i] for i in keep] for values in (targets, texts, mentions, holders)])
    assert len(predictions) == len(keep)
    assert sum(rows) == len({texts[i] for i in keep})


def test_a_target_without_a_mention_is_read_as_a_pair_and_the_clause_skipped(tiny_multi_target):
    classifier = _classifier(tiny_multi_target)
    rows = _count_encoder_rows(classifier)
    unmentioned = ["nuclear power", "gun control"]
    targets = [t for _ in CLAUSES for t in unmentioned]
    texts = [c for c in CLAUSES for _ in unmentioned]
    first = classifier.predict(targets, texts)
    assert sum(rows) == len(targets)  # one (target, clause) pass per pair, no clause pass for them
    rows.clear()
    mixed = classifier.predict(["Donald Trump", "nuclear power"], [CLAUSES[0]] * 2)
    assert sum(rows) == 2  # the clause for Donald Trump, the pair for nuclear power
    assert mixed[1].probs == pytest.approx(first[0].probs, abs=1e-5)  # a pair's answer ignores its neighbours
    assert len({round(p.probs["favor"], 6) for p in first}) > 1


def test_pairs_start_from_the_cross_encoders_own_head(tiny_stance_model):
    """Started from a cross-encoder, the pair route answers exactly as that cross-encoder does."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from pipeline.stance.features import encode_pairs
    from pipeline.stance.multi_target import MultiTargetStanceModel, pair_batch

    cross = AutoModelForSequenceClassification.from_pretrained(tiny_stance_model).float().eval()
    model = MultiTargetStanceModel.from_encoder(str(tiny_stance_model), LABELS, head_hidden=16).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_stance_model)
    encoded = encode_pairs(tokenizer, ["gun control", "nuclear power"], CLAUSES[:2], 64, holders=[(0, 4), (0, 6)],
                           aliases=True)
    batch = pair_batch(tokenizer, [{k: encoded[k][n] for k in encoded} for n in range(2)])
    with torch.no_grad():
        ours = model.classify_pairs(batch["pair_input_ids"], batch["pair_attention_mask"],
                                    batch.get("pair_token_type_ids"))
        theirs = cross(**{k[len("pair_"):]: v for k, v in batch.items()}).logits
    order = [cross.config.label2id[label] for label in LABELS]
    torch.testing.assert_close(ours, theirs[:, order], atol=1e-5, rtol=1e-4)
    assert not torch.allclose(ours[0], ours[1])


def test_predictions_do_not_depend_on_the_order_of_targets(tiny_multi_target):
    classifier = _classifier(tiny_multi_target)
    targets, texts, mentions, holders = _pairs(10)
    order = np.random.default_rng(0).permutation(len(targets))
    straight = classifier.predict(targets, texts, mentions, holders)
    shuffled = classifier.predict(*[[values[i] for i in order] for values in (targets, texts, mentions, holders)])
    for k, i in enumerate(order):
        assert shuffled[k].label == straight[i].label
        assert shuffled[k].probs == pytest.approx(straight[i].probs, abs=1e-5)


def test_each_target_is_answered_from_its_own_mention_span(tiny_multi_target):
    classifier = _classifier(tiny_multi_target)
    clause = CLAUSES[0]
    trump, climate = (clause.index("Donald Trump"), clause.index("Donald Trump") + 12), \
        (clause.index("climate action"), clause.index("climate action") + 14)
    holder = (0, 4)
    a = classifier.logits(["Donald Trump", "climate action"], [clause] * 2, [trump, climate], [holder] * 2)
    b = classifier.logits(["Donald Trump", "climate action"], [clause] * 2, [climate, trump], [holder] * 2)
    assert not np.allclose(a[0], a[1])  # two targets of one clause get different answers ...
    np.testing.assert_allclose(a, b[::-1], atol=1e-5)  # ... that follow their spans, not their names


def test_gated_pairs_stay_neutral_and_marked(tiny_multi_target):
    from pipeline.stance.gate import RelevanceGate

    class FarAway:  # a gate whose similarity never reaches the threshold
        def keep(self, targets, texts, mentions=None):
            from pipeline.stance.gate import mentioned
            return mentioned(targets, texts)

    classifier = _classifier(tiny_multi_target)
    classifier.gate = RelevanceGate.__new__(RelevanceGate)
    classifier.gate.neutral_score = 0.964
    classifier.gate.keep = FarAway().keep
    predictions = classifier.predict(["Donald Trump", "nuclear power"], [CLAUSES[0]] * 2)
    assert not predictions[0].gated
    assert predictions[1].gated and predictions[1].label == "neutral"
    assert predictions[1].score == pytest.approx(0.964)


def test_checkpoint_round_trip_is_fp16_on_disk_and_self_describing(tiny_multi_target, tiny_stance_model, tmp_path):
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    from pipeline.models import save_fp16
    from pipeline.stance.multi_target import MultiTargetStanceModel, is_multi_target_checkpoint

    assert is_multi_target_checkpoint(str(tiny_multi_target)) and not is_multi_target_checkpoint(str(tiny_stance_model))
    config = json.loads((tiny_multi_target / "config.json").read_text())
    assert config["model_type"] == "multi_target_stance"
    assert config["id2label"] == {"0": "against", "1": "favor", "2": "neutral"}
    assert all(t.dtype == torch.float16 for t in load_file(tiny_multi_target / "model.safetensors").values())
    assert isinstance(AutoModel.from_pretrained(tiny_multi_target), MultiTargetStanceModel)

    classifier = _classifier(tiny_multi_target)
    targets, texts, mentions, holders = _pairs(3)
    before = classifier.logits(targets + ["gun control"], texts + [CLAUSES[0]], mentions + [(-1, -1)],
                               holders + [(0, 4)])
    save_fp16(classifier.model, AutoTokenizer.from_pretrained(tiny_multi_target), tmp_path / "again")
    after = _classifier(tmp_path / "again").logits(targets + ["gun control"], texts + [CLAUSES[0]],
                                                   mentions + [(-1, -1)], holders + [(0, 4)])
    np.testing.assert_allclose(before, after, atol=1e-2)
    assert _classifier(tmp_path / "again").context == "clause"


def test_the_stage_reads_one_clause_per_quote_for_every_target(tiny_multi_target):
    """add_stances is unchanged: the quotes' pairs come from attribution_pairs, grouped here."""
    from datasets import Dataset

    from pipeline.io.schema import DOCUMENTS_WITH_QUOTES
    from pipeline.run.stages import add_stances
    from pipeline.stance.news_quotes import gold_quotes

    text = "Hale said Donald Trump wrecked climate action. Okafor said climate action saves jobs."
    quotes = gold_quotes(text, [
        {"content": [10, 45], "source": [0, 4], "cue": [5, 9]},
        {"content": [59, 84], "source": [47, 53], "cue": [54, 58]}])
    for quote in quotes:
        quote["stances"] = []
    row = {name: None for name in DOCUMENTS_WITH_QUOTES}
    row.update(doc_id="d", text=text, status="ok", targets=["Donald Trump", "climate action"], quotes=quotes)
    documents = Dataset.from_list([row], features=DOCUMENTS_WITH_QUOTES)
    classifier = _classifier(tiny_multi_target)
    rows = _count_encoder_rows(classifier)
    out = add_stances(documents, classifier)
    stances = [[s["target"] for s in q["stances"]] for q in out[0]["quotes"]]
    assert stances == [["Donald Trump", "climate action"], ["Donald Trump", "climate action"]]
    assert sum(rows) <= 2 + 1  # one pass per quote's clause (+ "Donald Trump" alone for the second quote)


def test_stance_config_builds_the_multi_target_classifier(tiny_multi_target):
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.utils import instantiate

    from pipeline.stance.multi_target import MultiTargetStanceClassifier

    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name="infer", overrides=["input_path=x", "stance=multi_target",
                                                      f"stance.name_or_path={tiny_multi_target}",
                                                      "stance.progress=false", "stance.gate=null"])
        default = compose(config_name="infer", overrides=["input_path=x"])
        train = compose(config_name="train", overrides=["experiment=stance_multi_target"])
    GlobalHydra.instance().clear()
    assert isinstance(instantiate(cfg.stance), MultiTargetStanceClassifier)
    assert default.stance._target_.startswith("pipeline.stance.classifier.StanceClassifier")
    assert train.stance_model == "multi_target" and train.neutral_bias == "dev"


def test_a_short_training_run_groups_clauses_and_writes_a_calibrated_checkpoint(tmp_path, tiny_encoder):
    from pipeline.stance.multi_target_training import train_multi_target
    from pipeline.stance.training import CorpusSpec

    news_quotes = write_corpus(tmp_path)
    vast, news = _write_corpora(tmp_path)
    corpora = {"polnear_quotes": CorpusSpec(format="polnear_quotes", train=str(news_quotes), dev=str(news_quotes)),
               "vast": CorpusSpec(format="vast", train=str(vast), dev_fraction=0.34),
               "newsmtsc": CorpusSpec(format="newsmtsc", train=str(news), dev=str(news))}
    metrics = train_multi_target(
        corpora, str(tiny_encoder), tmp_path / "run",
        training_args={"max_steps": 20, "per_device_train_batch_size": 4, "learning_rate": 1e-3,
                       "use_cpu": True, "report_to": "none", "save_strategy": "no",
                       "train_sampling_strategy": "group_by_length", "disable_tqdm": True},
        max_length=48, seed=3, neutral_bias="dev", head={"head_hidden": 16},
        gate={"encoder": str(tiny_encoder), "threshold": 0.99, "neutral_score": "dev"})
    assert metrics["train_steps"] == 20
    assert metrics["train_clauses"] < metrics["train_pairs"]  # an attribution's targets share one example
    assert set(metrics["dev"]) == {"polnear_quotes", "vast", "newsmtsc"}
    assert metrics["neutral_bias"] in metrics["neutral_bias_grid"]
    config = json.loads((tmp_path / "run" / "model" / "config.json").read_text())
    assert config["stance_temperature"] > 0 and config["stance_context"] == "clause"
    assert 0.5 <= config["stance_gate_neutral_score"] <= 1.0 and config["stance_gate_threshold"] == 0.99
    classifier = _classifier(tmp_path / "run" / "model")
    assert classifier.predict(["taxes"], ["Comment about taxes."])[0].label in set(LABELS)
