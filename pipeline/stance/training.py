"""Fine-tune the stance cross-encoder on a mix of stance corpora.

Knows nothing about Hydra: ``scripts/train.py`` builds the arguments from the config.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import torch
from datasets import Dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    EvalPrediction,
    Trainer,
    TrainingArguments,
    set_seed,
)

from pipeline.eval.metrics import stance_metrics
from pipeline.models import resolve_model_path, save_fp16
from pipeline.stance.calibration import calibrate, softmax
from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.corpora import LABELS, holders_of, mentions_of, read_corpus, split_by_group
from pipeline.stance.features import NO_MENTION, encode_pairs, find_mention
from pipeline.stance.gate import RelevanceGate

log = logging.getLogger(__name__)


@dataclass
class CorpusSpec:
    """One corpus in the training mix: where its train (and dev) data lives and how to read it."""

    format: str
    train: str
    dev: str | None = None  # a given dev file; otherwise ``dev_fraction`` is carved from train
    dev_fraction: float = 0.1
    dev_unseen_topics: bool = False  # keep only dev rows whose topic is not in train (VAST zero-shot)
    weight: float = 1.0  # sampling weight: the train rows are resampled to weight x their count
    unrelated_negatives: float = 0.0  # add this share of train rows again, with an unrelated target, as neutral
    read_args: Mapping[str, Any] | None = None  # e.g. {split: train} for a TweetEval folder
    dev_read_args: Mapping[str, Any] | None = None


def corpus_specs(corpora: Mapping[str, Mapping[str, Any]]) -> dict[str, CorpusSpec]:
    """``data.corpora`` of a config (plain dicts) -> one :class:`CorpusSpec` per corpus."""
    return {name: CorpusSpec(**dict(spec)) for name, spec in corpora.items()}


def unrelated_target_negatives(frame: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """``share`` x len(frame) rows of ``frame`` again, each with another group's target, as neutral.

    A quote has no stance toward a target it does not concern: the drawn target must not be
    found in the text (whole, or by its name keys), so it is unrelated, not merely unmarked.
    The holder span stays, so the model sees a holder-marked clause with an absent target.
    """
    rng = np.random.default_rng(seed)
    pool = frame[["target", "group"]].drop_duplicates("target").to_numpy()
    rows = frame.sample(n=min(len(frame), round(share * len(frame))), random_state=seed)
    out = []
    for row in rows.to_dict("records"):
        for _ in range(5):  # a few draws; give up on rows whose every draw is mentioned
            target, group = pool[rng.integers(len(pool))]
            if group != row["group"] and find_mention(target, row["text"], aliases=True) == NO_MENTION:
                out.append({**row, "target": target, "label": "neutral", "topic": target,
                            "mention_start": -1, "mention_end": -1})
                break
    return pd.DataFrame(out, columns=frame.columns)


def load_splits(corpora: Mapping[str, CorpusSpec], seed: int,
                max_train_samples: int | None = None,
                max_dev_samples: int | None = None,
                split_seed: int | None = None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Read every corpus; return the concatenated train table and one dev table per corpus.

    ``split_seed`` (default ``seed``) carves the dev splits; keeping it fixed while ``seed``
    varies keeps dev the same across seeds, and disjoint from a checkpoint trained with it.
    """
    split_seed = seed if split_seed is None else split_seed
    trains, devs = [], {}
    for name, spec in corpora.items():
        train = read_corpus(spec.train, spec.format, **dict(spec.read_args or {}))
        if spec.dev:
            dev = read_corpus(spec.dev, spec.format, **dict(spec.dev_read_args or {}))
        else:
            train, dev = split_by_group(train, spec.dev_fraction, split_seed, spec.dev_unseen_topics)
        if spec.unrelated_negatives:
            negatives = unrelated_target_negatives(train, spec.unrelated_negatives, seed)
            log.info("%s: %d unrelated-target negatives", name, len(negatives))
            train = pd.concat([train, negatives], ignore_index=True)
        if spec.weight != 1.0:
            n = max(1, round(spec.weight * len(train)))
            train = train.sample(n=n, replace=spec.weight > 1.0, random_state=seed)
        if max_train_samples:
            train = train.sample(n=min(max_train_samples, len(train)), random_state=seed)
        if max_dev_samples:
            dev = dev.sample(n=min(max_dev_samples, len(dev)), random_state=seed)
        log.info("%s: %d train / %d dev pairs", name, len(train), len(dev))
        trains.append(train.assign(corpus=name))
        devs[name] = dev.reset_index(drop=True)
    train = pd.concat(trains, ignore_index=True).sample(frac=1.0, random_state=seed)
    return train.reset_index(drop=True), devs


def _tokenised(frame: pd.DataFrame, tokenizer, max_length: int, mark_mentions: bool, desc: str,
               clause: bool = False) -> Dataset:
    label2id = {label: i for i, label in enumerate(LABELS)}
    table = Dataset.from_pandas(frame[["target", "text", "label", "mention_start", "mention_end",
                                       "holder_start", "holder_end"]], preserve_index=False)

    def featurise(batch):
        holders = list(zip(batch["holder_start"], batch["holder_end"])) if clause else None
        encoded = encode_pairs(tokenizer, batch["target"], batch["text"], max_length,
                               list(zip(batch["mention_start"], batch["mention_end"])), mark_mentions,
                               holders=holders, aliases=clause)
        encoded["labels"] = [label2id[label] for label in batch["label"]]
        encoded["length"] = [len(ids) for ids in encoded["input_ids"]]
        return encoded

    return table.map(featurise, batched=True, remove_columns=table.column_names, desc=desc)


def train_stance(
    corpora: Mapping[str, CorpusSpec],
    model_name_or_path: str,
    output_dir: str | Path,
    training_args: Mapping[str, Any],
    max_length: int = 192,
    seed: int = 42,
    max_train_samples: int | None = None,
    max_dev_samples: int | None = None,
    mark_mentions: bool = True,
    context: str = "content",
    split_seed: int | None = None,
    neutral_bias: float | str = 0.0,
) -> dict:
    """Train, save an fp16 checkpoint to ``output_dir/model`` and return per-corpus dev metrics.

    ``context``: ``clause`` trains on holder-marked texts (see :mod:`pipeline.stance.features`)
    and makes the pipeline pass each quote's attribution clause; ``content`` the quote alone.
    ``model_name_or_path`` may be a stance checkpoint to continue from (same label set).
    """
    if context not in ("content", "clause"):
        raise ValueError(f"context must be 'content' or 'clause', got {context!r}")
    output_dir = Path(output_dir)
    set_seed(seed)
    train_frame, dev_frames = load_splits(corpora, seed, max_train_samples, max_dev_samples, split_seed)
    clause = context == "clause"

    base = resolve_model_path(model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        dtype=torch.float32,  # shipped checkpoints are fp16 on disk; train in fp32
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    model.config.stance_mark_mentions = mark_mentions  # inference featurises the same way
    model.config.stance_context = context

    train_set = _tokenised(train_frame, tokenizer, max_length, mark_mentions, "tokenise train", clause)
    dev_all = pd.concat(dev_frames.values(), ignore_index=True)
    dev_set = _tokenised(dev_all, tokenizer, max_length, mark_mentions, "tokenise dev", clause)

    def compute_metrics(prediction: EvalPrediction) -> dict:
        pred = np.asarray(prediction.predictions).argmax(-1)
        gold = np.asarray(prediction.label_ids)
        scores = stance_metrics([LABELS[i] for i in gold], [LABELS[i] for i in pred], LABELS)
        return {"macro_f1": scores["macro_f1"], "accuracy": scores["accuracy"]}

    args = TrainingArguments(output_dir=str(output_dir / "trainer"), seed=seed, **dict(training_args))
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=dev_set,
        data_collator=DataCollatorWithPadding(tokenizer),
        processing_class=tokenizer,
        compute_metrics=compute_metrics,
    )
    train_result = trainer.train()
    trainer.save_metrics("train", train_result.metrics)
    if not trainer.is_world_process_zero():  # accelerate launch / torchrun: rank 0 saves and scores
        return {"train": train_result.metrics}

    model_dir = save_fp16(trainer.model, tokenizer, output_dir / "model")
    metrics: dict[str, Any] = {"train": train_result.metrics, "train_pairs": len(train_frame)}
    seen_pairs = len(train_frame) * float(train_result.metrics.get("epoch", 1.0))
    metrics["seconds_per_1000_train_pairs"] = 1000 * train_result.metrics["train_runtime"] / max(seen_pairs, 1)
    metrics.update(calibrate_and_score(model_dir, dev_frames, max_length, neutral_bias=neutral_bias))
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def gate_settings(dev: pd.DataFrame, neutral_probs: np.ndarray, encoder: str, threshold: float,
                  neutral_score: float | str = "dev", dtype: str = "auto") -> dict:
    """The relevance gate's ``threshold`` and ``neutral_score`` for a checkpoint; a ``"dev"``
    score is the mean of ``neutral_probs`` (the calibrated model's, one per ``dev`` row) over the
    pairs the gate skips, clipped to [0.5, 1] as :class:`RelevanceGate` requires."""
    skipped = 0
    if neutral_score == "dev":
        gate = RelevanceGate.from_config(encoder, threshold, neutral_score=1.0, dtype=dtype)
        keep = gate.keep(dev["target"].tolist(), dev["text"].tolist(), mentions_of(dev))
        skipped = int((~keep).sum())
        if not skipped:
            raise ValueError("gate.neutral_score=dev: the gate skips no dev pair; set a number")
        neutral_score = float(np.clip(neutral_probs[~keep].mean(), 0.5, 1.0))
        log.info("gate: neutral score %.3f measured on %d skipped dev pairs", neutral_score, skipped)
    return {"threshold": float(threshold), "neutral_score": float(neutral_score), "skipped_dev_pairs": skipped}


NEUTRAL_BIAS_GRID = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)


def choose_neutral_bias(logits: np.ndarray, dev_frames: Mapping[str, pd.DataFrame],
                        neutral: int, grid=NEUTRAL_BIAS_GRID) -> tuple[float, dict[float, float]]:
    """The neutral-logit bias with the best mean macro-F1 over the dev corpora (each counts once).

    Returns the bias and the mean macro-F1 of every grid value; ties keep the smaller bias.
    """
    means = {}
    for bias in grid:
        shifted = logits.copy()
        shifted[:, neutral] += bias
        predicted = [LABELS[int(i)] for i in shifted.argmax(axis=1)]
        f1s, begin = [], 0
        for frame in dev_frames.values():
            f1s.append(stance_metrics(frame["label"].tolist(), predicted[begin:begin + len(frame)], LABELS)["macro_f1"])
            begin += len(frame)
        means[bias] = float(np.mean(f1s))
    best = max(grid, key=lambda b: (round(means[b], 6), -b))
    return best, means


def calibrate_and_score(model_dir: str | Path, dev_frames: Mapping[str, pd.DataFrame],
                        max_length: int = 192, dtype: str = "auto", neutral_bias: float | str = 0.0,
                        classifier_cls: type[StanceClassifier] = StanceClassifier,
                        gate: Mapping[str, Any] | None = None) -> dict:
    """Fit the logit temperature on dev, store it in the checkpoint's config, score every dev set.

    ``neutral_bias``: a margin that favor/against must clear over neutral, added to the neutral
    logit; ``"dev"`` chooses it on the mean dev macro-F1 (:func:`choose_neutral_bias`).  It is
    stored as ``stance_neutral_bias``, and the temperature is fitted after it, so scores stay
    calibrated probabilities of the labels actually given.

    Scoring goes through the saved fp16 checkpoint and the inference classifier, so the dev
    numbers describe exactly what ships (``dtype`` as at inference, see
    :func:`pipeline.models.inference_dtype`).  ``classifier_cls``: the inference class of the
    checkpoint (the cross-encoder's, or :class:`pipeline.stance.multi_target.MultiTargetStanceClassifier`).

    ``gate`` (``encoder``, ``threshold``, ``neutral_score``): store the relevance gate's settings
    in the checkpoint's config as ``stance_gate_*``; ``neutral_score: dev`` measures it as the
    mean calibrated probability of ``neutral`` over the dev pairs the gate would skip.
    """
    classifier = classifier_cls.from_pretrained(str(model_dir), dtype=dtype, max_length=max_length)
    label2id = {label: i for i, label in classifier.id2label.items()}
    dev_all = pd.concat(dev_frames.values(), ignore_index=True)
    logits = classifier.logits(dev_all["target"].tolist(), dev_all["text"].tolist(), mentions_of(dev_all),
                               holders_of(dev_all))
    result: dict[str, Any] = {}
    if neutral_bias == "dev":
        neutral_bias, result["neutral_bias_grid"] = choose_neutral_bias(logits, dev_frames, label2id["neutral"])
        log.info("neutral bias %.2f chosen on the mean dev macro-F1 %s", neutral_bias, result["neutral_bias_grid"])
    classifier.model.config.stance_neutral_bias = float(neutral_bias)
    logits = classifier.decision_logits(logits)
    calibration = calibrate(logits, np.array([label2id[label] for label in dev_all["label"]]))
    classifier.model.config.stance_temperature = calibration["temperature"]
    if gate is not None:
        result["gate"] = gate_settings(dev_all, softmax(logits, calibration["temperature"])[:, label2id["neutral"]],
                                       **dict(gate))
        classifier.model.config.stance_gate_threshold = result["gate"]["threshold"]
        classifier.model.config.stance_gate_neutral_score = result["gate"]["neutral_score"]
    classifier.model.config.save_pretrained(model_dir)
    log.info("temperature %.3f; ECE %.4f -> %.4f on held-out dev half", calibration["temperature"],
             calibration["ece_before"], calibration["ece_after"])
    # The temperature never moves the argmax, so the same logits give every corpus' labels.
    predicted = [classifier.id2label[int(i)] for i in logits.argmax(axis=1)]
    scores, begin = {}, 0
    for name, frame in dev_frames.items():
        scores[name] = stance_metrics(frame["label"].tolist(), predicted[begin:begin + len(frame)], LABELS)
        begin += len(frame)
        log.info("dev %s macro-F1 %.4f (n=%d)", name, scores[name]["macro_f1"], len(frame))
    return {**result, "neutral_bias": float(neutral_bias), "calibration": calibration, "dev": scores}
