"""Multi-target stance: read each attribution clause once and answer every target from that pass.

The cross-encoder (:class:`pipeline.stance.classifier.StanceClassifier`) reads one (target,
clause) pair per pass, so stance costs grow with the number of targets.  This model encodes a
clause once with every target's mention marked « » and the holder ⟨ ⟩
(:func:`pipeline.stance.features.encode_clause`), then, for each target, pools the encoder
states of that target's own mention, the holder's and the whole clause's, and a small head
labels favor / against / neutral.  A target the relevance gate keeps for its meaning without
a mention in the clause (a VAST-style topic) is answered from the clause's pooled state and the
target's own encoding (a short encoder pass over the target string, one per distinct target,
cached).  Target-dependent pooling over a shared encoding is a known design for aspect and
target sentiment.

The checkpoint is self-describing (label maps, the encoder's config, calibration, the gate's
settings in ``config.json``) and loads with :meth:`MultiTargetStanceModel.from_pretrained`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm
from transformers import AutoConfig, AutoModel, AutoTokenizer, PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput

from pipeline.models import checkpoint_hash, inference_dtype, resolve_checkpoint, resolve_model_path
from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.features import NO_MENTION, encode_clause, find_mention

log = logging.getLogger(__name__)

LABELS = ("against", "favor", "neutral")
TARGET_MAX_LENGTH = 32  # tokens of a target string's own encoding ("climate change is a serious concern")


class MultiTargetStanceConfig(PretrainedConfig):
    """The encoder's own config (``encoder``, a dict with its ``model_type``) and the head's size."""

    model_type = "multi_target_stance"

    def __init__(self, encoder: dict | None = None, head_hidden: int = 256, head_dropout: float = 0.1,
                 initializer_range: float = 0.02, **kwargs) -> None:
        self.encoder = dict(encoder or {})
        self.head_hidden = head_hidden
        self.head_dropout = head_dropout
        self.initializer_range = initializer_range
        super().__init__(**kwargs)


def _masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``hidden`` (..., L, H) over the positions where ``mask`` (..., L) is 1; 0 for none."""
    mask = mask.to(hidden.dtype)
    return (hidden * mask.unsqueeze(-1)).sum(-2) / mask.sum(-1, keepdim=True).clamp(min=1.0)


class MultiTargetStanceModel(PreTrainedModel):
    """A transformer encoder read once per clause, and a head per (clause, target) slot.

    Each slot's features: the clause's mean state, the holder's mean state (zeros without a
    holder), the target's state (its marked mention's mean state, else the projection of the
    target string's own encoding) and the product of clause and target.
    """

    config_class = MultiTargetStanceConfig
    base_model_prefix = "encoder"
    accepts_loss_kwargs = False  # the loss is a plain mean over the batch's labelled slots

    def __init__(self, config: MultiTargetStanceConfig) -> None:
        super().__init__(config)
        self.encoder = AutoModel.from_config(AutoConfig.for_model(**config.encoder))
        hidden = self.encoder.config.hidden_size
        self.topic_projection = nn.Linear(hidden, hidden)  # the target's own encoding -> a mention-like state
        self.head = nn.Sequential(
            nn.Linear(4 * hidden, config.head_hidden), nn.GELU(), nn.Dropout(config.head_dropout),
            nn.Linear(config.head_hidden, len(config.id2label)))
        self.post_init()

    @classmethod
    def from_encoder(cls, name_or_path: str, labels: Sequence[str] = LABELS, **head) -> "MultiTargetStanceModel":
        """A new model around a pretrained encoder: a base encoder, or the encoder of any
        checkpoint ``AutoModel`` reads (the cross-encoder's ``bert.*`` weights included)."""
        encoder = AutoModel.from_pretrained(resolve_model_path(name_or_path), dtype=torch.float32)
        config = MultiTargetStanceConfig(encoder=encoder.config.to_dict(), id2label=dict(enumerate(labels)),
                                         label2id={label: i for i, label in enumerate(labels)},
                                         pad_token_id=getattr(encoder.config, "pad_token_id", None), **head)
        model = cls(config)
        model.encoder.load_state_dict(encoder.state_dict())
        return model

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
               token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """Encoder states, (batch, length, hidden)."""
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state

    def encode_targets(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Target strings' own encodings (mean states), (targets, hidden)."""
        return _masked_mean(self.encode(input_ids, attention_mask), attention_mask)

    def classify(self, hidden: torch.Tensor, attention_mask: torch.Tensor, target_mask: torch.Tensor,
                 holder_mask: torch.Tensor, topic_states: torch.Tensor, has_mention: torch.Tensor) -> torch.Tensor:
        """Logits (batch, slots, labels) from the clause states and each slot's masks.

        ``target_mask`` (batch, slots, length) selects a slot's mention tokens; ``topic_states``
        (batch, slots, hidden) is the target's own encoding, used where ``has_mention`` is 0.
        """
        clause = _masked_mean(hidden, attention_mask)
        holder = _masked_mean(hidden, holder_mask)
        target_mask = target_mask.to(hidden.dtype)  # (batch, slots, length): one matmul, not a copy per slot
        mention = torch.einsum("btl,blh->bth", target_mask, hidden) / target_mask.sum(-1, keepdim=True).clamp(min=1.0)
        topic = self.topic_projection(topic_states.to(hidden.dtype))
        target = torch.where(has_mention.unsqueeze(-1).bool(), mention, topic)
        clause = clause.unsqueeze(1).expand_as(target)
        holder = holder.unsqueeze(1).expand_as(target)
        return self.head(torch.cat([clause, holder, target, clause * target], dim=-1))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, target_mask: torch.Tensor,
                holder_mask: torch.Tensor, has_mention: torch.Tensor, topic_index: torch.Tensor,
                topic_input_ids: torch.Tensor, topic_attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None) -> SequenceClassifierOutput:
        """Training forward: the batch's distinct target strings are encoded in one extra pass
        (``topic_input_ids``); ``topic_index`` (batch, slots) picks a slot's row (-1: none).
        ``labels`` (batch, slots), -100 on padding slots."""
        hidden = self.encode(input_ids, attention_mask, token_type_ids)
        batch, slots = topic_index.shape
        topic_states = hidden.new_zeros(batch, slots, hidden.shape[-1])
        if topic_input_ids.numel():
            encoded = self.encode_targets(topic_input_ids, topic_attention_mask)
            rows = topic_index.clamp(min=0)
            topic_states = torch.where((topic_index >= 0).unsqueeze(-1), encoded[rows], topic_states)
        logits = self.classify(hidden, attention_mask, target_mask, holder_mask, topic_states, has_mention)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1),
                                               ignore_index=-100)
        return SequenceClassifierOutput(loss=loss, logits=logits)


# AutoConfig / AutoModel read the checkpoint too (``AutoModel.from_pretrained(path)``), and
# AutoTokenizer, which reads the config first, does not warn about an unknown model type.
AutoConfig.register(MultiTargetStanceConfig.model_type, MultiTargetStanceConfig, exist_ok=True)
AutoModel.register(MultiTargetStanceConfig, MultiTargetStanceModel, exist_ok=True)


def clause_batch(tokenizer, examples: Sequence[dict]) -> dict[str, torch.Tensor]:
    """Pad encoded clauses (:func:`pipeline.stance.features.encode_clause` output, one per
    example) into tensors, with each target slot's token mask and the holder's."""
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in examples[0]]
    batch = tokenizer.pad([{k: e[k] for k in keys} for e in examples], return_tensors="pt")
    length = batch["input_ids"].shape[1]
    slots = max(1, max(len(e["spans"]) for e in examples))
    target_mask = torch.zeros(len(examples), slots, length)
    has_mention = torch.zeros(len(examples), slots, dtype=torch.long)
    holder_mask = torch.zeros(len(examples), length)
    right = tokenizer.padding_side == "right"
    for b, example in enumerate(examples):
        pad = 0 if right else length - len(example["input_ids"])
        for t, span in enumerate(example["spans"]):
            if span is not None:
                target_mask[b, t, pad + span[0]:pad + span[1]] = 1.0
                has_mention[b, t] = 1
        if example["holder"] is not None:
            holder_mask[b, pad + example["holder"][0]:pad + example["holder"][1]] = 1.0
    return {**batch, "target_mask": target_mask, "holder_mask": holder_mask, "has_mention": has_mention}


def clause_examples(tokenizer, targets: Sequence[str], texts: Sequence[str],
                    mentions: Sequence[tuple[int, int]] | None, holders: Sequence[tuple[int, int]] | None,
                    max_length: int) -> tuple[list[dict], list[list[int]]]:
    """The one featurisation path of the multi-target model, for training and inference alike.

    Pairs with identical (text, holder) become one encoded clause (:func:`encode_clause`) with
    a slot per pair; returns the clauses, in first-seen order, and each one's pair indices.  A
    pair's mention is the given span, else the target searched for in the text (by key words
    too, as the cross-encoder does for clauses); ``holders`` ``None`` or ``(-1, -1)``: no holder.
    """
    groups: dict[tuple[str, tuple[int, int]], list[int]] = {}
    for i, text in enumerate(texts):
        holder = tuple(holders[i]) if holders is not None else NO_MENTION
        groups.setdefault((text, holder), []).append(i)
    examples, members = [], []
    for (text, holder), index in groups.items():
        spans = [tuple(mentions[i]) if mentions is not None and tuple(mentions[i])[0] >= 0
                 else find_mention(targets[i], text, aliases=True) for i in index]
        examples.append(encode_clause(tokenizer, text, spans, holder, max_length))
        members.append(index)
    return examples, members


class MultiTargetStanceClassifier(StanceClassifier):
    """:class:`StanceClassifier`'s interface over :class:`MultiTargetStanceModel`.

    ``predict(targets, texts, mentions, holders)`` groups the pairs by identical (text, holder)
    and reads each distinct clause once, whatever the number of targets; batches hold
    ``batch_size`` clauses, length-sorted.  The relevance gate, calibration (temperature and
    neutral margin) and gated answers are the cross-encoder's (inherited).
    """

    def __init__(self, model, tokenizer, max_length: int = 192, batch_size: int = 32, progress: bool = True,
                 context: str | None = None, gate=None) -> None:
        if context not in (None, "clause"):
            raise ValueError(f"stance.context: the multi-target model reads clauses only, got {context!r}")
        super().__init__(model, tokenizer, max_length, batch_size, progress, context, gate)
        self._target_states: dict[str, torch.Tensor] = {}  # target string -> its own encoding

    @classmethod
    def from_pretrained(cls, name_or_path: str, dtype: str = "auto", gate: dict | None = None,
                        **kwargs) -> "MultiTargetStanceClassifier":
        path = resolve_checkpoint(name_or_path, "multi-target stance model", "scripts/train.py "
                                  "experiment=stance_multi_target", "stance.name_or_path")
        # Shipped checkpoints are fp16 on disk; the whole model (encoder built from its config
        # included) is cast to the compute dtype here.
        model = MultiTargetStanceModel.from_pretrained(path).to(inference_dtype(dtype))
        tokenizer = AutoTokenizer.from_pretrained(path)
        log.info("loaded multi-target stance model from %s (%s)", path, model.dtype)
        if gate is not None:
            gate = cls._gate(model.config, dict(gate), dtype)
        classifier = cls(model, tokenizer, gate=gate, **kwargs)
        classifier.provenance = {"path": str(path), "sha256": checkpoint_hash(path), "dtype": str(model.dtype)}
        return classifier

    @property
    def context(self) -> str:
        return "clause"

    @property
    def mark_mentions(self) -> bool:
        return True

    def target_states(self, targets: Sequence[str]) -> torch.Tensor:
        """The targets' own encodings, (len(targets), hidden); each distinct string is encoded
        once over this object's life."""
        missing = sorted(set(targets) - set(self._target_states))
        for begin in range(0, len(missing), self.batch_size):
            chunk = missing[begin:begin + self.batch_size]
            batch = self.tokenizer(chunk, truncation=True, max_length=TARGET_MAX_LENGTH, padding=True,
                                   return_tensors="pt")
            states = self.model.encode_targets(batch["input_ids"], batch["attention_mask"])
            self._target_states.update(zip(chunk, states))
        hidden = self.model.encoder.config.hidden_size
        if not targets:
            return torch.zeros(0, hidden, dtype=self.model.dtype)
        return torch.stack([self._target_states[t] for t in targets])

    @torch.inference_mode()
    def logits(self, targets: Sequence[str], texts: Sequence[str],
               mentions: Sequence[tuple[int, int]] | None = None,
               holders: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
        """Raw logits, shape (pairs, labels), in input order; one encoder pass per distinct
        (text, holder).  ``mentions``: the target's span in each text where known (else it is
        searched for, by key words too, as the cross-encoder does for clauses); ``holders``: the
        holder's span, ``(-1, -1)`` for none."""
        if len(targets) != len(texts):
            raise ValueError(f"{len(targets)} targets but {len(texts)} texts")
        out = np.zeros((len(targets), len(self.id2label)), dtype=np.float32)
        if not len(targets):
            return out
        examples, members = clause_examples(self.tokenizer, targets, texts, mentions, holders, self.max_length)
        order = sorted(range(len(examples)), key=lambda g: len(examples[g]["input_ids"]))
        batches = range(0, len(order), self.batch_size)
        for begin in tqdm(batches, desc="stance", unit="batch", disable=not self.progress):
            chunk = order[begin:begin + self.batch_size]
            batch = clause_batch(self.tokenizer, [examples[g] for g in chunk])
            slots = batch["target_mask"].shape[1]
            topic_targets = [""] * (len(chunk) * slots)
            for b, g in enumerate(chunk):
                for t, i in enumerate(members[g]):
                    if examples[g]["spans"][t] is None:
                        topic_targets[b * slots + t] = targets[i]
            wanted = sorted({t for t in topic_targets if t})
            topic_states = torch.zeros(len(chunk) * slots, self.model.encoder.config.hidden_size,
                                       dtype=self.model.dtype)
            if wanted:
                states = dict(zip(wanted, self.target_states(wanted)))
                for k, target in enumerate(topic_targets):
                    if target:
                        topic_states[k] = states[target]
            hidden = self.model.encode(batch["input_ids"], batch["attention_mask"], batch.get("token_type_ids"))
            logits = self.model.classify(hidden, batch["attention_mask"], batch["target_mask"], batch["holder_mask"],
                                         topic_states.view(len(chunk), slots, -1), batch["has_mention"])
            logits = logits.float().numpy()
            for b, g in enumerate(chunk):
                for t, i in enumerate(members[g]):
                    out[i] = logits[b, t]
        return out


def is_multi_target_checkpoint(name_or_path: str) -> bool:
    """Whether ``name_or_path`` holds a :class:`MultiTargetStanceModel` (its config says so)."""
    config = Path(resolve_model_path(name_or_path)) / "config.json"
    return config.is_file() and json.loads(config.read_text()).get("model_type") == MultiTargetStanceConfig.model_type
