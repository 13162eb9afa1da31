"""Multi-target stance: read each attribution clause once and answer every target from that pass.

The cross-encoder (:class:`pipeline.stance.classifier.StanceClassifier`) reads one (target,
clause) pair per pass, so stance costs grow with the number of targets.  This model encodes a
clause once with every target's mention marked « » and the holder ⟨ ⟩
(:func:`pipeline.stance.features.encode_clause`), then, for each target, pools the encoder
states of that target's own mention, the holder's and the whole clause's, and a small head
labels favor / against / neutral.  Target-dependent pooling over a shared encoding is a known
design for aspect and target sentiment.

A target the relevance gate keeps for its meaning without a mention in the clause (a VAST-style
topic: "climate change is a serious concern") has no state of its own to pool: it is read as
the cross-encoder reads it, one (target, clause) pass through the same encoder, and labelled from
the pooled first token by a second head (``pair_head``, started from the cross-encoder's own
classifier when training starts from ``models/stance``).  Pooling the clause against the
target's separate encoding instead lost 22 points of VAST macro-F1 (issue 22's first run).  So
the cost is one pass per clause that mentions a target, plus one per kept pair without a mention.

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
from transformers import AutoConfig, AutoModel, AutoModelForSequenceClassification, PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput

from pipeline.models import inference_dtype, resolve_model_path
from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.features import NO_MENTION, encode_clause, encode_pairs, find_mention

log = logging.getLogger(__name__)

LABELS = ("against", "favor", "neutral")


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
    """A transformer encoder read once per clause, and a head per (clause, target) slot; a
    second head for (target, clause) pairs whose target has no mention.

    Each slot's features: the clause's mean state, the holder's mean state (zeros without a
    holder), the target's marked mention's mean state and the product of clause and target.
    A pair's: the encoder's pooled first token (its pooler where it has one, as
    ``*ForSequenceClassification`` models read it).
    """

    config_class = MultiTargetStanceConfig
    base_model_prefix = "encoder"
    accepts_loss_kwargs = False  # the loss is a plain mean over the batch's labelled slots

    def __init__(self, config: MultiTargetStanceConfig) -> None:
        super().__init__(config)
        self.encoder = AutoModel.from_config(AutoConfig.for_model(**config.encoder))
        hidden = self.encoder.config.hidden_size
        self.head = nn.Sequential(
            nn.Linear(4 * hidden, config.head_hidden), nn.GELU(), nn.Dropout(config.head_dropout),
            nn.Linear(config.head_hidden, len(config.id2label)))
        self.pair_dropout = nn.Dropout(config.head_dropout)
        self.pair_head = nn.Linear(hidden, len(config.id2label))
        self.post_init()

    @classmethod
    def from_encoder(cls, name_or_path: str, labels: Sequence[str] = LABELS, **head) -> "MultiTargetStanceModel":
        """A new model around a pretrained encoder: a base encoder, or the encoder of any
        checkpoint ``AutoModel`` reads (the cross-encoder's ``bert.*`` weights included)."""
        path = resolve_model_path(name_or_path)
        classifier = _sequence_classifier(path, labels)
        encoder = classifier.base_model if classifier is not None else AutoModel.from_pretrained(path, dtype=torch.float32)
        config = MultiTargetStanceConfig(encoder=encoder.config.to_dict(), id2label=dict(enumerate(labels)),
                                         label2id={label: i for i, label in enumerate(labels)},
                                         pad_token_id=getattr(encoder.config, "pad_token_id", None), **head)
        model = cls(config)
        model.encoder.load_state_dict(encoder.state_dict())
        if classifier is not None:  # the cross-encoder's own head reads the pairs, in this model's label order
            order = [classifier.config.label2id[label] for label in labels]
            with torch.no_grad():
                model.pair_head.weight.copy_(classifier.classifier.weight[order])
                model.pair_head.bias.copy_(classifier.classifier.bias[order])
        return model

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
               token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """Encoder states, (batch, length, hidden)."""
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state

    def classify_pairs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                       token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """Logits (pairs, labels) of (target, clause) pairs encoded as the cross-encoder encodes them."""
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra)
        pooled = getattr(out, "pooler_output", None)
        if pooled is None:
            pooled = out.last_hidden_state[:, 0]
        return self.pair_head(self.pair_dropout(pooled))

    def classify(self, hidden: torch.Tensor, attention_mask: torch.Tensor, target_mask: torch.Tensor,
                 holder_mask: torch.Tensor) -> torch.Tensor:
        """Logits (batch, slots, labels) from the clause states and each slot's masks;
        ``target_mask`` (batch, slots, length) selects a slot's mention tokens."""
        clause = _masked_mean(hidden, attention_mask)
        holder = _masked_mean(hidden, holder_mask)
        target_mask = target_mask.to(hidden.dtype)  # (batch, slots, length): one matmul, not a copy per slot
        target = torch.einsum("btl,blh->bth", target_mask, hidden) / target_mask.sum(-1, keepdim=True).clamp(min=1.0)
        clause = clause.unsqueeze(1).expand_as(target)
        holder = holder.unsqueeze(1).expand_as(target)
        return self.head(torch.cat([clause, holder, target, clause * target], dim=-1))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, target_mask: torch.Tensor,
                holder_mask: torch.Tensor, pair_input_ids: torch.Tensor, pair_attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None, pair_token_type_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None, pair_labels: torch.Tensor | None = None) -> SequenceClassifierOutput:
        """Training forward over a batch of clauses (``labels`` (batch, slots), -100 on padding
        slots) and one of pairs (``pair_labels`` (pairs,)); either may be empty (0 rows).
        ``logits``: the labelled clause slots' then the pairs', (items, labels); the loss is
        their mean cross-entropy."""
        logits, gold = [], []
        if input_ids.shape[0]:
            hidden = self.encode(input_ids, attention_mask, token_type_ids)
            slot_logits = self.classify(hidden, attention_mask, target_mask, holder_mask)
            if labels is not None:
                keep = labels.reshape(-1) != -100
                logits.append(slot_logits.reshape(-1, slot_logits.shape[-1])[keep])
                gold.append(labels.reshape(-1)[keep])
            else:
                logits.append(slot_logits.reshape(-1, slot_logits.shape[-1]))
        if pair_input_ids.shape[0]:
            logits.append(self.classify_pairs(pair_input_ids, pair_attention_mask, pair_token_type_ids))
            if pair_labels is not None:
                gold.append(pair_labels)
        logits = torch.cat(logits) if logits else self.pair_head.weight.new_zeros(0, self.config.num_labels)
        loss = None
        if labels is not None or pair_labels is not None:
            loss = nn.functional.cross_entropy(logits.float(), torch.cat(gold))
        return SequenceClassifierOutput(loss=loss, logits=logits)


def _sequence_classifier(path, labels: Sequence[str]):
    """The ``*ForSequenceClassification`` model at ``path`` (the cross-encoder) when it has exactly
    ``labels``, else None (a base encoder)."""
    config = AutoConfig.from_pretrained(path)
    architectures = getattr(config, "architectures", None) or []
    if not any(a.endswith("ForSequenceClassification") for a in architectures) or \
            set(getattr(config, "label2id", {}) or {}) != set(labels):
        return None
    return AutoModelForSequenceClassification.from_pretrained(path, dtype=torch.float32)


# AutoConfig / AutoModel read the checkpoint too (``AutoModel.from_pretrained(path)``), and
# AutoTokenizer, which reads the config first, does not warn about an unknown model type.
AutoConfig.register(MultiTargetStanceConfig.model_type, MultiTargetStanceConfig, exist_ok=True)
AutoModel.register(MultiTargetStanceConfig, MultiTargetStanceModel, exist_ok=True)


def clause_batch(tokenizer, examples: Sequence[dict]) -> dict[str, torch.Tensor]:
    """Pad encoded clauses (:func:`pipeline.stance.features.encode_clause` output whose
    ``spans`` are all mentions) into tensors, with each slot's token mask and the holder's."""
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in examples[0]]
    batch = tokenizer.pad([{k: e[k] for k in keys} for e in examples], return_tensors="pt")
    length = batch["input_ids"].shape[1]
    slots = max(1, max(len(e["spans"]) for e in examples))
    target_mask = torch.zeros(len(examples), slots, length)
    holder_mask = torch.zeros(len(examples), length)
    right = tokenizer.padding_side == "right"
    for b, example in enumerate(examples):
        pad = 0 if right else length - len(example["input_ids"])
        for t, span in enumerate(example["spans"]):
            target_mask[b, t, pad + span[0]:pad + span[1]] = 1.0
        if example["holder"] is not None:
            holder_mask[b, pad + example["holder"][0]:pad + example["holder"][1]] = 1.0
    return {**batch, "target_mask": target_mask, "holder_mask": holder_mask}


def pair_batch(tokenizer, examples: Sequence[dict]) -> dict[str, torch.Tensor]:
    """Pad encoded (target, clause) pairs; keys prefixed ``pair_`` as the model's forward takes them."""
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in examples[0]]
    batch = tokenizer.pad([{k: e[k] for k in keys} for e in examples], return_tensors="pt")
    return {f"pair_{k}": v for k, v in batch.items()}


def route_pairs(tokenizer, targets: Sequence[str], texts: Sequence[str],
                mentions: Sequence[tuple[int, int]] | None, holders: Sequence[tuple[int, int]] | None,
                max_length: int) -> tuple[list[dict], list[list[int]], list[dict], list[int]]:
    """The one featurisation path of the multi-target model, for training and inference alike.

    Pairs with identical (text, holder) become one encoded clause (:func:`encode_clause`) with a
    slot per pair whose target is mentioned in it; a pair whose target has no mention there (or
    whose mention fell outside a cropped clause) becomes a (target, clause) pair encoded as the
    cross-encoder encodes it (:func:`encode_pairs`).  A pair's mention is the given span, else
    the target searched for in the text (by key words too); ``holders`` ``None`` or
    ``(-1, -1)``: no holder.  Returns the clauses (first-seen order) with each one's pair
    indices, then the pair encodings with their pair indices.
    """
    groups: dict[tuple[str, tuple[int, int]], list[int]] = {}
    for i, text in enumerate(texts):
        holder = tuple(holders[i]) if holders is not None else NO_MENTION
        groups.setdefault((text, holder), []).append(i)
    clauses, members, alone = [], [], []
    spans_of: dict[int, tuple[int, int]] = {}
    for (text, holder), index in groups.items():
        spans = [tuple(mentions[i]) if mentions is not None and tuple(mentions[i])[0] >= 0
                 else find_mention(targets[i], text, aliases=True) for i in index]
        spans_of.update(zip(index, spans))
        mentioned = [k for k, span in enumerate(spans) if span != NO_MENTION]
        example = encode_clause(tokenizer, text, [spans[k] for k in mentioned], holder, max_length) if mentioned else None
        kept = [k for n, k in enumerate(mentioned) if example["spans"][n] is not None]
        alone.extend(index[k] for k in range(len(index)) if k not in kept)
        if kept:
            example["spans"] = [span for span in example["spans"] if span is not None]
            clauses.append(example)
            members.append([index[k] for k in kept])
    alone.sort()
    encoded = encode_pairs(tokenizer, [targets[i] for i in alone], [texts[i] for i in alone], max_length,
                           [spans_of[i] for i in alone], mark_mentions=True,
                           holders=[tuple(holders[i]) if holders is not None else NO_MENTION for i in alone],
                           aliases=True) if alone else {}
    pairs = [{k: encoded[k][n] for k in encoded} for n in range(len(alone))]
    return clauses, members, pairs, alone


class MultiTargetStanceClassifier(StanceClassifier):
    """:class:`StanceClassifier`'s interface over :class:`MultiTargetStanceModel`.

    ``predict(targets, texts, mentions, holders)`` groups the pairs by identical (text, holder)
    and reads each distinct clause once for all the targets it mentions, and each pair without
    a mention once (:func:`route_pairs`); batches hold ``batch_size`` clauses or pairs,
    length-sorted.  The relevance gate, calibration (temperature and
    neutral margin) and gated answers are the cross-encoder's (inherited).
    """

    def __init__(self, model, tokenizer, max_length: int = 192, batch_size: int = 32, progress: bool = True,
                 context: str | None = None, gate=None) -> None:
        if context not in (None, "clause"):
            raise ValueError(f"stance.context: the multi-target model reads clauses only, got {context!r}")
        super().__init__(model, tokenizer, max_length, batch_size, progress, context, gate)

    CHECKPOINT_KIND = "multi-target stance model"
    TRAIN_COMMAND = "scripts/train.py experiment=stance_multi_target"

    @staticmethod
    def load_model(path, dtype: str):
        """The whole model (the encoder built from its config included) in the compute dtype."""
        return MultiTargetStanceModel.from_pretrained(path).to(inference_dtype(dtype))

    @property
    def context(self) -> str:
        return "clause"

    @property
    def mark_mentions(self) -> bool:
        return True

    @torch.inference_mode()
    def logits(self, targets: Sequence[str], texts: Sequence[str],
               mentions: Sequence[tuple[int, int]] | None = None,
               holders: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
        """Raw logits, shape (pairs, labels), in input order: one encoder pass per distinct
        (text, holder) that mentions a target, plus one per pair whose target it does not
        mention (:func:`route_pairs`).  ``mentions``: the target's span in each text where known
        (else it is searched for, by key words too); ``holders``: the holder's span, ``(-1, -1)``
        for none.  Batches are length-sorted."""
        if len(targets) != len(texts):
            raise ValueError(f"{len(targets)} targets but {len(texts)} texts")
        out = np.zeros((len(targets), len(self.id2label)), dtype=np.float32)
        if not len(targets):
            return out
        clauses, members, pairs, alone = route_pairs(self.tokenizer, targets, texts, mentions, holders,
                                                     self.max_length)
        clause_order = sorted(range(len(clauses)), key=lambda g: len(clauses[g]["input_ids"]))
        pair_order = sorted(range(len(pairs)), key=lambda n: len(pairs[n]["input_ids"]))
        batches = [("clause", clause_order[b:b + self.batch_size]) for b in range(0, len(clause_order), self.batch_size)]
        batches += [("pair", pair_order[b:b + self.batch_size]) for b in range(0, len(pair_order), self.batch_size)]
        for kind, chunk in tqdm(batches, desc="stance", unit="batch", disable=not self.progress):
            if kind == "pair":
                batch = pair_batch(self.tokenizer, [pairs[n] for n in chunk])
                logits = self.model.classify_pairs(*(batch.get(f"pair_{k}") for k in
                                                     ("input_ids", "attention_mask", "token_type_ids")))
                out[[alone[n] for n in chunk]] = logits.float().numpy()
                continue
            batch = clause_batch(self.tokenizer, [clauses[g] for g in chunk])
            hidden = self.model.encode(batch["input_ids"], batch["attention_mask"], batch.get("token_type_ids"))
            logits = self.model.classify(hidden, batch["attention_mask"], batch["target_mask"],
                                         batch["holder_mask"]).float().numpy()
            for b, g in enumerate(chunk):
                for t, i in enumerate(members[g]):
                    out[i] = logits[b, t]
        return out


def is_multi_target_checkpoint(name_or_path: str) -> bool:
    """Whether ``name_or_path`` holds a :class:`MultiTargetStanceModel` (its config says so)."""
    config = Path(resolve_model_path(name_or_path)) / "config.json"
    return config.is_file() and json.loads(config.read_text()).get("model_type") == MultiTargetStanceConfig.model_type
