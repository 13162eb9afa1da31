"""Train the multi-target stance model on the same corpora as the cross-encoder.

Reads the same tables (:func:`pipeline.stance.training.load_splits`: ``target``, ``text``,
``label``, mention and holder spans) and turns rows that share (text, holder) into one example
with a slot per target, through the featurisation the classifier uses at inference
(:func:`pipeline.stance.multi_target.route_pairs`).  A news attribution with its article's
targets becomes one clause with a slot per mentioned target; a target without a mention (most
sentence-level topic corpora) is a (target, text) pair, as the cross-encoder reads it.  Calibration (temperature, neutral margin on dev) and the gate's settings are the
cross-encoder's (:func:`pipeline.stance.training.calibrate_and_score`).

Knows nothing about Hydra: ``scripts/train.py`` builds the arguments from the config.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd
import torch
from transformers import AutoTokenizer, Trainer, TrainingArguments, set_seed

from pipeline.models import resolve_model_path, save_fp16
from pipeline.stance.corpora import LABELS, holders_of, mentions_of
from pipeline.stance.multi_target import (
    MultiTargetStanceClassifier,
    MultiTargetStanceModel,
    clause_batch,
    is_multi_target_checkpoint,
    pair_batch,
    route_pairs,
)
from pipeline.stance.training import CorpusSpec, calibrate_and_score, load_splits

log = logging.getLogger(__name__)


def training_examples(frame: pd.DataFrame, tokenizer, max_length: int) -> list[dict]:
    """The examples of ``frame`` through the classifier's own routing (:func:`route_pairs`): one
    per distinct (text, holder) that mentions a target, with a label per mentioned target, and
    one per (target, text) pair without a mention (``pair: True``)."""
    label2id = {label: i for i, label in enumerate(LABELS)}
    labels = frame["label"].tolist()
    clauses, members, pairs, alone = route_pairs(tokenizer, frame["target"].tolist(), frame["text"].tolist(),
                                                 mentions_of(frame), holders_of(frame), max_length)
    for example, index in zip(clauses, members):
        example.update(pair=False, labels=[label2id[labels[i]] for i in index])
    for example, i in zip(pairs, alone):
        example.update(pair=True, labels=[label2id[labels[i]]], spans=[], holder=None)
    return clauses + pairs


class ClauseCollator:
    """Splits a batch into its clauses (:func:`clause_batch`) and its pairs (:func:`pair_batch`);
    either part may be empty."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, examples: Sequence[dict]) -> dict[str, torch.Tensor]:
        clauses = [e for e in examples if not e["pair"]]
        pairs = [e for e in examples if e["pair"]]
        empty = torch.zeros(0, 1, dtype=torch.long)
        if clauses:
            batch = clause_batch(self.tokenizer, clauses)
            slots = batch["target_mask"].shape[1]
            labels = torch.full((len(clauses), slots), -100, dtype=torch.long)
            for b, example in enumerate(clauses):
                labels[b, :len(example["labels"])] = torch.tensor(example["labels"])
        else:
            batch = {"input_ids": empty, "attention_mask": empty, "target_mask": torch.zeros(0, 1, 1),
                     "holder_mask": torch.zeros(0, 1)}
            labels = torch.zeros(0, 1, dtype=torch.long)
        if pairs:
            batch.update(pair_batch(self.tokenizer, pairs))
        else:
            batch.update(pair_input_ids=empty, pair_attention_mask=empty)
        return {**batch, "labels": labels,
                "pair_labels": torch.tensor([e["labels"][0] for e in pairs], dtype=torch.long)}


def build_model(model_name_or_path: str, head: Mapping[str, Any] | None = None) -> MultiTargetStanceModel:
    """``model_name_or_path`` decides where training starts: a multi-target checkpoint is
    continued whole; anything else (the base encoder, the cross-encoder ``models/stance``)
    gives its encoder weights to a new head."""
    if is_multi_target_checkpoint(model_name_or_path):
        log.info("continuing the multi-target checkpoint %s", model_name_or_path)
        return MultiTargetStanceModel.from_pretrained(resolve_model_path(model_name_or_path), dtype=torch.float32)
    log.info("multi-target head over the encoder of %s", model_name_or_path)
    return MultiTargetStanceModel.from_encoder(model_name_or_path, LABELS, **dict(head or {}))


def train_multi_target(
    corpora: Mapping[str, CorpusSpec],
    model_name_or_path: str,
    output_dir: str | Path,
    training_args: Mapping[str, Any],
    max_length: int = 192,
    seed: int = 42,
    max_train_samples: int | None = None,
    max_dev_samples: int | None = None,
    split_seed: int | None = None,
    neutral_bias: float | str = 0.0,
    gate: Mapping[str, Any] | None = None,
    head: Mapping[str, Any] | None = None,
) -> dict:
    """Train, save an fp16 checkpoint to ``output_dir/model`` and return per-corpus dev metrics.

    ``gate``: the relevance gate's settings stored in the checkpoint (see
    :func:`pipeline.stance.training.gate_settings`); ``head``: ``head_hidden`` / ``head_dropout``
    of a new head.
    """
    output_dir = Path(output_dir)
    set_seed(seed)
    train_frame, dev_frames = load_splits(corpora, seed, max_train_samples, max_dev_samples, split_seed)
    tokenizer = AutoTokenizer.from_pretrained(resolve_model_path(model_name_or_path))
    model = build_model(model_name_or_path, head)
    model.config.stance_context = "clause"
    model.config.stance_mark_mentions = True

    train_set = training_examples(train_frame, tokenizer, max_length)
    slots = sum(len(e["labels"]) for e in train_set)
    alone = sum(e["pair"] for e in train_set)
    log.info("%d train pairs: %d in %d clauses that mention their targets, %d read as pairs", slots,
             slots - alone, len(train_set) - alone, alone)
    # Dev is scored after training, through the saved checkpoint and the inference classifier.
    args = TrainingArguments(output_dir=str(output_dir / "trainer"), seed=seed,
                             **{**dict(training_args), "eval_strategy": "no", "remove_unused_columns": False})
    trainer = Trainer(model=model, args=args, train_dataset=train_set, data_collator=ClauseCollator(tokenizer),
                      processing_class=tokenizer)
    train_result = trainer.train()
    trainer.save_metrics("train", train_result.metrics)
    if not trainer.is_world_process_zero():
        return {"train": train_result.metrics}

    model_dir = save_fp16(trainer.model, tokenizer, output_dir / "model")
    metrics: dict[str, Any] = {"train": train_result.metrics, "train_steps": train_result.global_step,
                               "train_pairs": slots, "train_clauses": len(train_set) - alone,
                               "train_pairs_without_mention": alone}
    seen_pairs = slots * float(train_result.metrics.get("epoch", 1.0))
    metrics["seconds_per_1000_train_pairs"] = 1000 * train_result.metrics["train_runtime"] / max(seen_pairs, 1)
    metrics.update(calibrate_and_score(model_dir, dev_frames, max_length, neutral_bias=neutral_bias,
                                       classifier_cls=MultiTargetStanceClassifier, gate=gate))
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics
