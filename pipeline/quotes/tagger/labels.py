"""Label layers of the quote tagger, and the one featurisation path from article to windows.

Two label layers, each its own BIO tag set and its own softmax over a slice of the logits:

* ``content``: ``O``, ``B-CONTENT``, ``I-CONTENT``.  A content span is the *hull* of a PolNeAR
  content (discontinuous ones such as ``"A," he said, "B."`` included), which is what the
  scorer compares, so the source and cue inside it live on the other layer.
* ``speech``: ``O``, ``B-SOURCE``, ``I-SOURCE``, ``B-CUE``, ``I-CUE``.

A source or cue inside a content (the frame of a discontinuous quote, or another attribution
nested in the quoted clause) therefore needs no label that a single layer cannot represent.
When spans of one layer overlap (rare: a content nested in a content), the longer one is kept.

Articles are tokenised once, without truncation; windows of ``window`` tokens (special tokens
included) start every ``stride`` tokens, the last one aligned to the end of the article, so
every token sits in at least one window and most in two.  Training, evaluation and inference
all go through :func:`encode_document` and :func:`make_windows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

IGNORE = -100

#: layer name -> span types tagged on that layer (order fixes the label ids).
LAYERS: dict[str, tuple[str, ...]] = {
    "content": ("CONTENT",),
    "speech": ("SOURCE", "CUE"),
}


def layer_labels(types: Sequence[str]) -> list[str]:
    """BIO tag names of one layer: ``O`` first, then ``B-``/``I-`` per span type."""
    return ["O"] + [f"{prefix}-{t}" for t in types for prefix in ("B", "I")]


def label_layers(layers: dict[str, Sequence[str]] | None = None) -> dict[str, list[str]]:
    """``layer -> tag names``, for the model config."""
    return {name: layer_labels(types) for name, types in (layers or LAYERS).items()}


def flat_id2label(layers: dict[str, list[str]]) -> dict[int, str]:
    """One id per (layer, tag), in layer order: the slice of the logits each layer owns."""
    names = [f"{layer}:{tag}" for layer, tags in layers.items() for tag in tags]
    return dict(enumerate(names))


@dataclass(frozen=True)
class CharSpan:
    """A labelled character span ``text[start:end]``; ``score`` is the model's confidence."""

    start: int
    end: int
    label: str  # CONTENT | SOURCE | CUE
    score: float = 1.0


@dataclass
class DocumentEncoding:
    """An article tokenised once: token ids and their character offsets into the text."""

    ids: list[int]
    offsets: list[tuple[int, int]]


@dataclass
class Window:
    """One model input: ``input_ids`` with special tokens; ``first`` is the article token index of
    the first non-special token, ``positions`` the indices in ``input_ids`` of the article tokens."""

    first: int
    input_ids: list[int]
    positions: list[int]


def encode_document(tokenizer, text: str) -> DocumentEncoding:
    """Tokenise a whole article (no special tokens, no truncation), dropping empty tokens."""
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True,
                        truncation=False, verbose=False)
    ids, offsets = [], []
    for token_id, (start, end) in zip(encoded["input_ids"], encoded["offset_mapping"]):
        if end > start:
            # Some tokenizers (byte-level BPE) include the leading blank in the offset.
            while start < end and text[start].isspace():
                start += 1
            ids.append(token_id)
            offsets.append((start, end))
    return DocumentEncoding(ids, offsets)


def special_template(tokenizer) -> tuple[list[int], list[int]]:
    """The special tokens a single sequence gets before and after it (``[CLS]`` / ``[SEP]`` for BERT)."""
    plain = tokenizer("a", add_special_tokens=False)["input_ids"]
    full = tokenizer("a", add_special_tokens=True)["input_ids"]
    for i in range(len(full) - len(plain) + 1):
        if full[i:i + len(plain)] == plain:
            return full[:i], full[i + len(plain):]
    return [], []


def window_starts(n_tokens: int, inner: int, stride: int) -> list[int]:
    """Start token of each window: every ``stride`` tokens, the last one flush with the end."""
    if inner <= 0 or stride <= 0:
        raise ValueError(f"window must exceed the special tokens and stride must be positive "
                         f"(inner={inner}, stride={stride})")
    if n_tokens <= inner:
        return [0]
    starts = list(range(0, n_tokens - inner, stride))
    starts.append(n_tokens - inner)
    return sorted(set(starts))


def make_windows(encoding: DocumentEncoding, tokenizer, window: int, stride: int) -> list[Window]:
    """Overlapping windows over an article (see the module docstring)."""
    before, after = special_template(tokenizer)
    inner = window - len(before) - len(after)
    if stride > inner:
        raise ValueError(f"stride {stride} leaves gaps between windows of {inner} article tokens")
    out = []
    for first in window_starts(len(encoding.ids), inner, stride):
        ids = encoding.ids[first:first + inner]
        positions = list(range(len(before), len(before) + len(ids)))
        out.append(Window(first, before + ids + after, positions))
    return out


def _select(spans: Iterable[CharSpan]) -> list[CharSpan]:
    """Non-overlapping spans, longer first (a nested or crossing shorter span is dropped)."""
    kept: list[CharSpan] = []
    for span in sorted(set(spans), key=lambda s: (-(s.end - s.start), s.start, s.label)):
        if span.end > span.start and all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def token_labels(encoding: DocumentEncoding, spans: Iterable[CharSpan], tags: Sequence[str]) -> np.ndarray:
    """Tag ids of one layer for every article token: a token inside a span's characters gets
    ``I-``, the first such token ``B-``."""
    tag_id = {tag: i for i, tag in enumerate(tags)}
    labels = np.zeros(len(encoding.ids), dtype=np.int64)
    starts = np.array([s for s, _ in encoding.offsets], dtype=np.int64)
    ends = np.array([e for _, e in encoding.offsets], dtype=np.int64)
    for span in _select(spans):
        inside = np.nonzero((starts < span.end) & (ends > span.start))[0]
        if len(inside) == 0:
            continue
        labels[inside] = tag_id[f"I-{span.label}"]
        labels[inside[0]] = tag_id[f"B-{span.label}"]
    return labels


def document_labels(encoding: DocumentEncoding, spans: Iterable[CharSpan],
                    layers: dict[str, list[str]]) -> np.ndarray:
    """Tag ids, shape (tokens, layers): each span goes to the layer that has its type."""
    spans = list(spans)
    columns = []
    for tags in layers.values():
        mine = [s for s in spans if f"B-{s.label}" in tags]
        columns.append(token_labels(encoding, mine, tags))
    return np.stack(columns, axis=1) if columns else np.zeros((len(encoding.ids), 0), dtype=np.int64)


def window_labels(window: Window, labels: np.ndarray) -> list[list[int]]:
    """Per input position, one tag id per layer; special tokens get ``IGNORE``."""
    out = [[IGNORE] * labels.shape[1] for _ in window.input_ids]
    for i, position in enumerate(window.positions):
        out[position] = labels[window.first + i].tolist()
    return out


def attribution_spans(attributions) -> list[CharSpan]:
    """Gold :class:`pipeline.quotes.polnear.Attribution` records -> labelled char spans (hulls)."""
    spans = []
    for a in attributions:
        spans.append(CharSpan(a.content.start, a.content.end, "CONTENT"))
        if a.source is not None:
            spans.append(CharSpan(a.source.start, a.source.end, "SOURCE"))
        if a.cue is not None:
            spans.append(CharSpan(a.cue.start, a.cue.end, "CUE"))
    return spans
