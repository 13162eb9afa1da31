"""Quote-level stance toward an article's own targets, scored on the polnear_quotes format.

Every (attribution, target) pair of the gold counts: favor / against from its labels, neutral
otherwise.  Two ways to predict:

* **from the gold attributions** (:func:`predict_from_gold`): the stance model alone, on the
  clause built from the gold source / cue / content spans exactly as at inference
  (:func:`pipeline.stance.news_quotes.attribution_pairs`);
* **end to end** (:func:`predict_from_run`): each gold attribution takes the stances of the
  pipeline's quote whose content overlaps it most (at least half of the shorter span); an
  attribution without such a quote is neutral toward every target.

A pair that gets no label (a target that is the quote's own speaker) counts as ``neutral``.
Reported: macro-F1 over the three labels, precision / recall / F1 of the polar labels (a hit
needs the right polarity), the share of attributions matched, and of pairs the gate answered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.eval.metrics import stance_metrics
from pipeline.io.artifacts import load_artifacts
from pipeline.stance.corpora import LABELS
from pipeline.stance.news_quotes import attribution_pairs, gold_quotes, read_articles

POLAR = ("favor", "against")


def polar_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Precision / recall / F1 of the favor and against labels together; a hit needs the polarity."""
    hits = sum(g == p and p in POLAR for g, p in zip(gold, pred))
    predicted = sum(p in POLAR for p in pred)
    actual = sum(g in POLAR for g in gold)
    precision = hits / predicted if predicted else 0.0
    recall = hits / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": predicted, "gold": actual,
            "hits": hits}


def _gold_pairs(article: dict) -> tuple[list[dict], dict[tuple[int, str], str]]:
    attributions = sorted(article["attributions"], key=lambda a: a["a"])
    labels = {(l["a"], l["target"]): l["label"] for l in article.get("labels", [])}
    return attributions, labels


def predict_from_gold(gold_path: str | Path, classifier, text_dir: str | Path | None = None,
                      aliases: bool = True) -> list[dict]:
    """One row per gold (attribution, target) pair: ``doc_id``, ``a``, ``target``, ``gold``,
    ``pred``, ``score``, ``gated``, ``mentioned``, ``input`` (the index of the stance input it was
    answered from, in the order the classifier was given them); the model reads the gold clauses."""
    rows, inputs = [], []
    for article, text in read_articles(gold_path, text_dir):
        attributions, labels = _gold_pairs(article)
        quotes = gold_quotes(text, attributions)
        asked = {}
        for pair in attribution_pairs(text, quotes, article["targets"], aliases=aliases):
            asked[(pair["quote"], pair["target"])] = len(inputs)
            inputs.append(pair)
        for q, attribution in enumerate(attributions):
            for target in article["targets"]:
                name = target["name"] if isinstance(target, dict) else target
                rows.append({"doc_id": article["doc_id"], "a": attribution["a"], "target": name,
                             "gold": labels.get((attribution["a"], name), "neutral"),
                             "input": asked.get((q, name))})
    predictions = classifier.predict([p["target"] for p in inputs], [p["text"] for p in inputs],
                                     mentions=[p["mention"] for p in inputs], holders=[p["holder"] for p in inputs])
    for row in rows:
        index = row["input"]  # the stance input it was answered from (None: not asked)
        prediction = predictions[index] if index is not None else None
        row.update(pred=prediction.label if prediction else "neutral",
                   score=prediction.score if prediction else None,
                   gated=bool(prediction.gated) if prediction else False,
                   asked=prediction is not None,
                   mentioned=index is not None and inputs[index]["mention"][0] >= 0)
    return rows


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_quote(span: tuple[int, int], quotes: list[dict]) -> dict | None:
    """The quote whose content overlaps ``span`` most, if that is at least half the shorter span."""
    best, best_overlap = None, 0
    for quote in quotes:
        shared = _overlap(span, (quote["start"], quote["end"]))
        shorter = min(span[1] - span[0], quote["end"] - quote["start"])
        if shared > best_overlap and shorter > 0 and shared >= 0.5 * shorter:
            best, best_overlap = quote, shared
    return best


def predict_from_run(gold_path: str | Path, predictions: str | Path, text_dir: str | Path | None = None) -> list[dict]:
    """One row per gold (attribution, target) pair, predicted by the pipeline run in ``predictions``
    (``scripts/infer.py`` over the same articles, doc_id = the article's)."""
    quotes_table, _, _ = load_artifacts(predictions)
    by_doc: dict[str, list[dict]] = {}
    for quote in quotes_table:
        by_doc.setdefault(quote["doc_id"], []).append(quote)
    rows = []
    for article, _ in read_articles(gold_path, text_dir):
        attributions, labels = _gold_pairs(article)
        for attribution in attributions:
            quote = match_quote(tuple(attribution["content"]), by_doc.get(article["doc_id"], []))
            stances = {s["target"]: s for s in (quote or {}).get("stances", [])}
            for target in article["targets"]:
                name = target["name"] if isinstance(target, dict) else target
                stance = stances.get(name)
                rows.append({"doc_id": article["doc_id"], "a": attribution["a"], "target": name,
                             "gold": labels.get((attribution["a"], name), "neutral"),
                             "pred": stance["label"] if stance else "neutral",
                             "score": stance["score"] if stance else None,
                             "gated": bool(stance and stance.get("gated")), "asked": stance is not None,
                             "matched": quote is not None})
    return rows


def score_rows(rows: list[dict]) -> dict[str, Any]:
    """The summary of :func:`predict_from_gold` / :func:`predict_from_run` rows."""
    gold, pred = [r["gold"] for r in rows], [r["pred"] for r in rows]
    metrics = stance_metrics(gold, pred, LABELS)
    polar = polar_scores(gold, pred)
    attributions = {(r["doc_id"], r["a"]): r.get("matched", True) for r in rows}
    polar_rows = [r for r in rows if r["gold"] in POLAR]
    summary = {
        "pairs": len(rows),
        "macro_f1": metrics["macro_f1"],
        "polar_precision": polar["precision"], "polar_recall": polar["recall"], "polar_f1": polar["f1"],
        "attributions": len(attributions),
        "attributions_matched": sum(attributions.values()) / max(len(attributions), 1),
        "gated_share": sum(r["gated"] for r in rows) / max(len(rows), 1),
        # the gate's ceiling: gold polar pairs that never reached the model (gated or not asked)
        "polar_gold_not_read": sum(r["gated"] or not r["asked"] for r in polar_rows),
        "polar_gold": len(polar_rows),
    }
    return {"summary": summary, "metrics": metrics, "polar": polar}


def evaluate_quote_stance(gold_path: str | Path, output_dir: str | Path, classifier=None,
                          predictions: str | Path | None = None, text_dir: str | Path | None = None,
                          aliases: bool = True) -> dict[str, Any]:
    """Score from the gold attributions (``classifier``) or end to end (``predictions``); write
    ``metrics.json`` and ``pairs.jsonl`` (one row per pair) under ``output_dir``."""
    if predictions:
        rows = predict_from_run(gold_path, predictions, text_dir)
    elif classifier is not None:
        rows = predict_from_gold(gold_path, classifier, text_dir, aliases)
    else:
        raise ValueError("task=quote_stance needs a stance model (stance=...) or predictions=INFER_DIR")
    result = {"mode": "end_to_end" if predictions else "gold_attributions", **score_rows(rows)}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(result, indent=2))
    with open(output_dir / "pairs.jsonl", "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return result
