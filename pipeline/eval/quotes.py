"""Score predicted quotes against PolNeAR-style gold (``text/*.txt`` + ``attributions/*.ann``).

The gold is read by :func:`pipeline.quotes.polnear.read_gold`.  Spans are compared two ways:
- exact: equal after trimming white space (no-break spaces included), quote marks and edge punctuation from both ends;
- overlap: the shared characters are at least half of the longer span.
Predictions are matched to gold one-to-one (greedy, by overlap), per document.  Reported for
content, source and cue spans and for (content, source) pairs, plus content by quote kind.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.io.artifacts import load_artifacts
from pipeline.quotes.polnear import Attribution, Span, read_gold

TRIM = " \t\r\n\"'“”‘’«».,;:!?—–-()[]"


def trim(text: str, span: Span) -> Span:
    """Shrink ``span`` past white space, quote marks and punctuation at either edge."""
    start, end = span.start, span.end
    while start < end and (text[start] in TRIM or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in TRIM or text[end - 1].isspace()):
        end -= 1
    return Span(start, end)


def _same(text: str, a: Span | None, b: Span | None, mode: str) -> bool:
    if a is None or b is None:
        return False
    a, b = trim(text, a), trim(text, b)
    if mode == "exact":
        return (a.start, a.end) == (b.start, b.end) and a.end > a.start
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= 0.5 * max(a.end - a.start, b.end - b.start)


def _match(text: str, gold: list[Span | None], pred: list[Span | None], mode: str) -> int:
    """Count one-to-one matches (greedy over candidates in document order)."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and _same(text, g, p, mode):
                used.add(i)
                hits += 1
                break
    return hits


def _prf(hits_p: int, n_pred: int, hits_r: int, n_gold: int) -> dict:
    precision = hits_p / n_pred if n_pred else 0.0
    recall = hits_r / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_pred": n_pred, "n_gold": n_gold}


def _pair_hits(text: str, gold: list[Attribution], pred: list[Attribution], mode: str) -> int:
    used: set[int] = set()
    hits = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and _same(text, g.content, p.content, mode) and _same(text, g.source, p.source, mode):
                used.add(i)
                hits += 1
                break
    return hits


def score(gold: dict[str, tuple[str, list[Attribution]]], pred: dict[str, list[Attribution]]) -> dict:
    """P/R/F1 for content, source, cue, (content, source) pairs and content by kind, both modes."""
    summary: dict[str, dict] = {}
    for mode in ("exact", "overlap"):
        counts = {key: [0, 0, 0, 0] for key in ("content", "source", "cue", "pair")}  # hit_p, n_p, hit_r, n_g
        by_kind = {kind: [0, 0, 0, 0] for kind in ("direct", "mixed", "indirect")}
        for doc_id, (text, gold_attrs) in gold.items():
            pred_attrs = pred.get(doc_id, [])
            for key in ("content", "source", "cue"):
                g = list({getattr(a, key) for a in gold_attrs if getattr(a, key) is not None})
                p = list({getattr(a, key) for a in pred_attrs if getattr(a, key) is not None})
                counts[key][0] += _match(text, p, g, mode)
                counts[key][1] += len(p)
                counts[key][2] += _match(text, g, p, mode)
                counts[key][3] += len(g)
            g_pairs = [a for a in gold_attrs if a.source is not None]
            p_pairs = [a for a in pred_attrs if a.source is not None]
            counts["pair"][0] += _pair_hits(text, p_pairs, g_pairs, mode)
            counts["pair"][1] += len(p_pairs)
            counts["pair"][2] += _pair_hits(text, g_pairs, p_pairs, mode)
            counts["pair"][3] += len(g_pairs)
            for kind, c in by_kind.items():
                g = [a.content for a in gold_attrs if a.kind == kind]
                p = [a.content for a in pred_attrs if a.kind == kind]
                all_g = [a.content for a in gold_attrs]
                all_p = [a.content for a in pred_attrs]
                # Precision of kind-k predictions against any gold; recall of kind-k gold by any prediction.
                c[0] += _match(text, p, all_g, mode)
                c[1] += len(p)
                c[2] += _match(text, g, all_p, mode)
                c[3] += len(g)
        summary[mode] = {key: _prf(*c) for key, c in counts.items()}
        summary[mode]["content_by_kind"] = {kind: _prf(*c) for kind, c in by_kind.items()}
    return summary


def evaluate_quote_predictions(gold_path: str | Path, predictions: str | Path, output_dir: str | Path) -> dict:
    """Score an infer output folder against PolNeAR-style gold; write ``output_dir/metrics.json``."""
    gold = read_gold(gold_path)
    quotes, documents, manifest = load_artifacts(predictions)
    pred: dict[str, list[Attribution]] = {}
    for q in quotes:
        source = Span(q["speaker_start"], q["speaker_end"]) if q["speaker_start"] is not None else None
        cue = Span(q["cue_start"], q["cue_end"]) if q["cue_start"] is not None else None
        pred.setdefault(q["doc_id"], []).append(Attribution(Span(q["start"], q["end"]), source, cue, q["kind"]))
    missing = sorted(set(gold) - set(documents["doc_id"]))
    metrics = {"summary": score(gold, pred), "documents": len(gold), "documents_missing_in_predictions": missing,
               "gold_path": str(gold_path), "predictions": str(predictions)}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics
