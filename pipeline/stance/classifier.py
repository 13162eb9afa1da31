"""StanceClassifier: a cross-encoder over (target, text) pairs -> favor / against / neutral."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import torch
from tqdm.auto import tqdm
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from pipeline.models import checkpoint_hash, resolve_model_path
from pipeline.stance.features import encode_pairs

log = logging.getLogger(__name__)


@dataclass
class StancePrediction:
    label: str
    score: float  # probability of ``label``
    probs: dict[str, float]


class StanceClassifier:
    """Loads a fine-tuned checkpoint once and labels (target, text) pairs in length-sorted batches.

    The label set comes from the checkpoint's ``id2label``, so any checkpoint trained by
    ``scripts/train.py`` (or a compatible hub model) works.
    """

    def __init__(self, model, tokenizer, max_length: int = 192, batch_size: int = 32,
                 progress: bool = True) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.progress = progress
        self.id2label = {int(i): str(l) for i, l in model.config.id2label.items()}
        self.provenance: dict[str, str | None] = {}

    @classmethod
    def from_pretrained(cls, name_or_path: str, **kwargs) -> "StanceClassifier":
        path = resolve_model_path(name_or_path)
        if not Path(path).exists():
            raise FileNotFoundError(
                f"stance model {name_or_path!r} not found; train one with scripts/train.py "
                "or set stance.name_or_path to a checkpoint folder")
        # Shipped checkpoints are fp16 on disk; compute in fp32 on CPU.
        model = AutoModelForSequenceClassification.from_pretrained(path, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(path)
        log.info("loaded stance model from %s", path)
        classifier = cls(model, tokenizer, **kwargs)
        classifier.provenance = {"path": str(path), "sha256": checkpoint_hash(path)}
        return classifier

    @torch.inference_mode()
    def predict(self, targets: Sequence[str], texts: Sequence[str]) -> list[StancePrediction]:
        """Label each (target, text) pair; output order matches input order."""
        if len(targets) != len(texts):
            raise ValueError(f"{len(targets)} targets but {len(texts)} texts")
        if not targets:
            return []
        encoded = encode_pairs(self.tokenizer, targets, texts, self.max_length)
        ids = encoded["input_ids"]
        # Sorting by length keeps padding inside a batch small.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        results: list[StancePrediction | None] = [None] * len(ids)
        batches = range(0, len(order), self.batch_size)
        for begin in tqdm(batches, desc="stance", unit="batch", disable=not self.progress):
            index = order[begin:begin + self.batch_size]
            features = [{k: encoded[k][i] for k in encoded} for i in index]
            batch = self.tokenizer.pad(features, return_tensors="pt")
            probs = torch.softmax(self.model(**batch).logits.float(), dim=-1)
            for row, i in zip(probs.tolist(), index):
                best = max(range(len(row)), key=row.__getitem__)
                results[i] = StancePrediction(
                    label=self.id2label[best],
                    score=float(row[best]),
                    probs={self.id2label[j]: float(p) for j, p in enumerate(row)},
                )
        return results  # type: ignore[return-value]
