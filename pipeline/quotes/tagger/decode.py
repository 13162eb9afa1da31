"""From per-window logits to character spans.

1. Each window's logits are turned into per-layer probabilities (a softmax over each layer's
   slice) and averaged per article token over the windows that contain it, weighted by the
   token's distance from the window edge, so the window that sees the most context on both
   sides counts most and every token gets one consistent distribution.
2. Each layer is decoded with a constrained Viterbi pass (``I-X`` only after ``B-X``/``I-X``),
   which repairs the BIO sequence instead of emitting orphan ``I-`` fragments.
3. Tag runs become character spans ``[offsets[first].start, offsets[last].end)``; the span's
   score is the mean probability of its tags.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from pipeline.quotes.tagger.labels import CharSpan, DocumentEncoding, Window


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def layer_slices(layers: dict[str, list[str]]) -> dict[str, slice]:
    """Which columns of the flat logits belong to each layer."""
    out, begin = {}, 0
    for name, tags in layers.items():
        out[name] = slice(begin, begin + len(tags))
        begin += len(tags)
    return out


def edge_weights(n: int) -> np.ndarray:
    """1, 2, ..., peak, ..., 2, 1: a token's distance (+1) to the nearer window edge."""
    index = np.arange(n)
    return np.minimum(index + 1, n - index).astype(np.float64)


def merge_windows(n_tokens: int, windows: Sequence[Window], window_logits: Sequence[np.ndarray],
                  layers: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """Per layer, probabilities of shape (tokens, tags) averaged over the covering windows.

    ``window_logits[i]`` has shape (len(windows[i].input_ids), total tags) (longer is fine:
    padding is ignored).
    """
    slices = layer_slices(layers)
    sums = {name: np.zeros((n_tokens, len(tags))) for name, tags in layers.items()}
    weights = np.zeros(n_tokens)
    for window, logits in zip(windows, window_logits):
        logits = np.asarray(logits, dtype=np.float64)
        rows = logits[window.positions]
        w = edge_weights(len(window.positions))
        index = np.arange(window.first, window.first + len(window.positions))
        weights[index] += w
        for name, cols in slices.items():
            sums[name][index] += w[:, None] * softmax(rows[:, cols])
    weights = np.maximum(weights, 1e-12)[:, None]
    return {name: total / weights for name, total in sums.items()}


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(start_allowed[K], allowed[K_prev, K_cur]) for BIO tags."""
    k = len(tags)
    start = np.array([not t.startswith("I-") for t in tags])
    allowed = np.ones((k, k), dtype=bool)
    for j, cur in enumerate(tags):
        if cur.startswith("I-"):
            kind = cur[2:]
            for i, prev in enumerate(tags):
                allowed[i, j] = prev in (f"B-{kind}", f"I-{kind}")
    return start, allowed


def viterbi(probs: np.ndarray, tags: Sequence[str]) -> np.ndarray:
    """The most probable tag sequence that is valid BIO (max of summed log-probabilities).

    Transitions are allowed or not (no learned scores), so when the per-token argmax is
    already valid BIO it is the answer.  Otherwise the pass runs over Python floats: with a
    handful of tags, about twice as fast as numpy calls per token.  Ties go to the lowest
    tag id, as ``np.argmax`` breaks them.
    """
    n, k = probs.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    logp = np.log(np.clip(probs, 1e-12, 1.0))
    start, allowed = allowed_transitions(tags)
    best = logp.argmax(axis=1)
    if start[best[0]] and allowed[best[:-1], best[1:]].all():
        return best.astype(np.int64)
    preds = [np.flatnonzero(allowed[:, j]).tolist() for j in range(k)]
    free = [len(p) == k for p in preds]  # any tag may precede this one (O, B-X)
    tag_ids = range(k)
    rows = logp.tolist()
    score = [rows[0][j] if start[j] else -np.inf for j in tag_ids]
    back = [[0] * k]
    for t in range(1, n):
        top = max(tag_ids, key=score.__getitem__)
        step = [top if free[j] else max(preds[j], key=score.__getitem__) for j in tag_ids]
        row = rows[t]
        score = [score[step[j]] + row[j] for j in tag_ids]
        back.append(step)
    path = np.zeros(n, dtype=np.int64)
    last = max(tag_ids, key=score.__getitem__)
    path[-1] = last
    for t in range(n - 1, 0, -1):
        last = back[t][last]
        path[t - 1] = last
    return path


def tags_to_spans(path: np.ndarray, probs: np.ndarray, tags: Sequence[str],
                  encoding: DocumentEncoding) -> list[CharSpan]:
    """Runs of ``B-X I-X ...`` -> :class:`CharSpan` with the mean tag probability as score."""
    spans: list[CharSpan] = []
    run: list[int] = []
    kind = None

    def close() -> None:
        if run:
            start, end = encoding.offsets[run[0]][0], encoding.offsets[run[-1]][1]
            score = float(np.mean([probs[t, path[t]] for t in run]))
            spans.append(CharSpan(start, end, kind, score))

    for t, tag_id in enumerate(path):
        tag = tags[tag_id]
        if tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
            close()
            run, kind = [t], tag[2:]
        elif tag.startswith("I-"):
            run.append(t)
        else:
            close()
            run, kind = [], None
    close()
    return spans


def decode_layers(encoding: DocumentEncoding, probs: dict[str, np.ndarray],
                  layers: dict[str, list[str]]) -> list[CharSpan]:
    """All spans of all layers, sorted by start."""
    spans: list[CharSpan] = []
    for name, tags in layers.items():
        path = viterbi(probs[name], tags)
        spans.extend(tags_to_spans(path, probs[name], tags, encoding))
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


def decode_windows(encoding: DocumentEncoding, windows: Sequence[Window],
                   window_logits: Sequence[np.ndarray], layers: dict[str, list[str]]) -> list[CharSpan]:
    """Merge the windows' logits and decode every layer to character spans."""
    probs = merge_windows(len(encoding.ids), windows, window_logits, layers)
    return decode_layers(encoding, probs, layers)
