"""StanceClassifier: a cross-encoder over (target, text) pairs -> favor / against / neutral."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from pipeline.models import checkpoint_hash, inference_dtype, resolve_checkpoint
from pipeline.stance.calibration import softmax
from pipeline.stance.features import encode_pairs
from pipeline.stance.gate import RelevanceGate

log = logging.getLogger(__name__)


@dataclass
class StancePrediction:
    label: str
    score: float  # probability of ``label``
    probs: dict[str, float]
    gated: bool = False  # answered by the relevance gate without the model: ``score`` is its constant


class StanceClassifier:
    """Loads a fine-tuned checkpoint once and labels (target, text) pairs in length-sorted batches.

    The label set comes from the checkpoint's ``id2label``, so any checkpoint trained by
    ``scripts/train.py`` (or a compatible hub model) works.
    """

    CONTEXTS = ("content", "clause")
    CHECKPOINT_KIND = "stance model"  # how errors and logs name the checkpoint, and how to train one
    TRAIN_COMMAND = "scripts/train.py"

    def __init__(self, model, tokenizer, max_length: int = 192, batch_size: int = 32,
                 progress: bool = True, context: str | None = None, gate: RelevanceGate | None = None) -> None:
        if context is not None and context not in self.CONTEXTS:
            raise ValueError(f"stance.context must be one of {list(self.CONTEXTS)} or null, got {context!r}")
        self._context = context
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.progress = progress
        self.id2label = {int(i): str(l) for i, l in model.config.id2label.items()}
        self.provenance: dict[str, str | None] = {}
        self.gate = gate
        self.gated_pairs = 0  # pairs the gate labelled without the cross-encoder, over this object's life
        self.pairs = 0

    @classmethod
    def from_pretrained(cls, name_or_path: str, dtype: str = "auto", gate: dict | None = None,
                        **kwargs) -> "StanceClassifier":
        """``dtype``: the compute dtype, see :func:`pipeline.models.inference_dtype`.
        ``gate``: the relevance gate's settings (:meth:`RelevanceGate.from_config`), or None to
        send every pair through the cross-encoder."""
        path = resolve_checkpoint(name_or_path, cls.CHECKPOINT_KIND, cls.TRAIN_COMMAND, "stance.name_or_path")
        model = cls.load_model(path, dtype)
        tokenizer = AutoTokenizer.from_pretrained(path)
        log.info("loaded %s from %s (%s)", cls.CHECKPOINT_KIND, path, model.dtype)
        if gate is not None:
            gate = cls._gate(model.config, dict(gate), dtype)
        classifier = cls(model, tokenizer, gate=gate, **kwargs)
        classifier.provenance = {"path": str(path), "sha256": checkpoint_hash(path), "dtype": str(model.dtype)}
        return classifier

    @staticmethod
    def load_model(path, dtype: str):
        """The checkpoint's model in the compute dtype (shipped checkpoints are fp16 on disk)."""
        return AutoModelForSequenceClassification.from_pretrained(path, dtype=inference_dtype(dtype))

    @staticmethod
    def _gate(config, settings: dict, dtype: str) -> RelevanceGate:
        """The relevance gate: ``threshold`` and ``neutral_score`` from the checkpoint's config
        (``stance_gate_threshold``, ``stance_gate_neutral_score``, measured for that model) unless
        ``stance.gate`` sets them; refused for a checkpoint without a ``neutral`` label."""
        if "neutral" not in {str(label) for label in config.id2label.values()}:
            raise ValueError("stance.gate: the checkpoint has no 'neutral' label, so the gate cannot answer "
                             "for it; set stance.gate=null")
        for key in ("threshold", "neutral_score"):
            if settings.get(key) is None:
                settings[key] = getattr(config, f"stance_gate_{key}", None)
                if settings[key] is None:
                    raise ValueError(f"stance.gate.{key}: not set, and the checkpoint's config has no "
                                     f"stance_gate_{key}")
        try:
            return RelevanceGate.from_config(dtype=dtype, **settings)
        except TypeError as exc:  # an unknown or missing key
            raise ValueError(f"stance.gate: {exc}") from exc

    @property
    def temperature(self) -> float:
        """Logit temperature fitted on dev by training (1.0 for an uncalibrated checkpoint)."""
        return float(getattr(self.model.config, "stance_temperature", 1.0) or 1.0)

    @property
    def neutral_bias(self) -> float:
        """Added to the neutral logit before the temperature: a favor/against label needs this
        margin over neutral (chosen on dev by training, 0.0 for older checkpoints)."""
        return float(getattr(self.model.config, "stance_neutral_bias", 0.0) or 0.0)

    def decision_logits(self, logits: np.ndarray) -> np.ndarray:
        """``logits`` with the checkpoint's neutral margin applied: what labels and scores come from."""
        label2id = {label: i for i, label in self.id2label.items()}
        if not self.neutral_bias or "neutral" not in label2id:
            return logits
        shifted = logits.copy()
        shifted[:, label2id["neutral"]] += self.neutral_bias
        return shifted

    @property
    def mark_mentions(self) -> bool:
        """Whether the checkpoint was trained with the target mention marked in the text."""
        return bool(getattr(self.model.config, "stance_mark_mentions", False))

    @property
    def context(self) -> str:
        """What the pipeline passes as text: the quote's ``content``, or its attribution ``clause``.

        A checkpoint trained on clauses with the holder marked says so in its config
        (``stance_context: clause``); the ``context`` argument overrides it (for ablations).
        """
        return self._context or str(getattr(self.model.config, "stance_context", None) or "content")

    @torch.inference_mode()
    def logits(self, targets: Sequence[str], texts: Sequence[str],
               mentions: Sequence[tuple[int, int]] | None = None,
               holders: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
        """Raw logits, shape (pairs, labels), in input order; batches are length-sorted.

        ``mentions``: the target's character span in each text where known; otherwise the
        target is searched for in the text (see :mod:`pipeline.stance.features`).
        ``holders``: the holder's (source mention's) span in each text, marked only by
        checkpoints trained with holders (``stance_context: clause``).
        """
        if len(targets) != len(texts):
            raise ValueError(f"{len(targets)} targets but {len(texts)} texts")
        out = np.zeros((len(targets), len(self.id2label)), dtype=np.float32)
        if not len(targets):
            return out
        clause = self.context == "clause"
        encoded = encode_pairs(self.tokenizer, targets, texts, self.max_length, mentions, self.mark_mentions,
                               holders=holders if clause else None, aliases=clause)
        ids = encoded["input_ids"]
        # Sorting by length keeps padding inside a batch small.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = range(0, len(order), self.batch_size)
        for begin in tqdm(batches, desc="stance", unit="batch", disable=not self.progress):
            index = order[begin:begin + self.batch_size]
            features = [{k: encoded[k][i] for k in encoded} for i in index]
            batch = self.tokenizer.pad(features, return_tensors="pt")
            out[index] = self.model(**batch).logits.float().numpy()
        return out

    def predict(self, targets: Sequence[str], texts: Sequence[str],
                mentions: Sequence[tuple[int, int]] | None = None,
                holders: Sequence[tuple[int, int]] | None = None) -> list[StancePrediction]:
        """Label each (target, text) pair with calibrated probabilities; order matches input.

        With a relevance gate, only the pairs it keeps go through the cross-encoder; the others
        are ``neutral`` with the gate's calibrated score (:mod:`pipeline.stance.gate`).
        """
        keep = np.ones(len(targets), dtype=bool)
        if self.gate is not None and len(targets):
            keep = self.gate.keep(targets, texts, mentions)  # a mention the caller gives is a mention
        index = np.flatnonzero(keep)
        self.pairs += len(targets)
        self.gated_pairs += len(targets) - len(index)
        pick = lambda values: None if values is None else [values[i] for i in index]  # noqa: E731
        kept = softmax(self.decision_logits(self.logits(pick(targets), pick(texts), pick(mentions),
                                                        pick(holders))), self.temperature)
        probs = np.tile(self._gated_probs(), (len(targets), 1))
        probs[index] = kept
        results = []
        for row, kept_by_gate in zip(probs, keep):
            best = int(row.argmax())
            results.append(StancePrediction(
                label=self.id2label[best],
                score=float(row[best]),
                probs={self.id2label[j]: float(p) for j, p in enumerate(row)},
                gated=not bool(kept_by_gate),
            ))
        return results

    def _gated_probs(self) -> np.ndarray:
        """Probabilities of a pair the gate skips: ``neutral`` at the gate's score, the rest
        shared by the other labels."""
        labels = len(self.id2label)
        if self.gate is None or "neutral" not in self.id2label.values():
            return np.full(labels, 1.0 / labels, dtype=np.float32)
        probs = np.full(labels, (1.0 - self.gate.neutral_score) / max(1, labels - 1), dtype=np.float32)
        probs[[i for i, label in self.id2label.items() if label == "neutral"][0]] = self.gate.neutral_score
        return probs
