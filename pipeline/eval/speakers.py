"""Score canonical speakers against a small hand-written gold set.

Gold is JSONL, one document a line: ``id``, ``text`` and ``speakers``, a list of
``{"quote": <a piece of the quote's content, verbatim>, "speaker": <full name or null>}``,
optionally with ``"person"``: a gold id of the person or organisation that is the same across
the documents of the file. The corpus gold has two dev parts, ``tests/fixtures/speakers_corpus_gold.jsonl``
and ``tests/fixtures/speakers_corpus_dev2.jsonl`` (the second was once held out, but resolver changes
were since made with it in view, so its figures are dev figures). Pass either as ``gold_path``.
The same file is a valid input for ``scripts/infer.py`` (``speakers`` is kept as metadata).
A gold quote is found when a predicted quote covers at least half of its piece; it is correct
when that quote's ``speaker`` equals the gold one (null included).

Where gold quotes carry ``person``, the same-person decisions across the corpus are scored with
B-cubed precision, recall and F1 over the gold quotes that have a person: each quote's predicted
cluster is its ``speaker_id`` (or, for runs written before speaker ids, its ``speaker`` name);
a quote not found or without a predicted speaker is a cluster of its own.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipeline.io.artifacts import load_artifacts


def b_cubed(gold: list[str], predicted: list[str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of two clusterings of the same items (labels per item)."""
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    pair = Counter(zip(gold, predicted))
    gold_size, pred_size = Counter(gold), Counter(predicted)
    precision = sum(pair[(g, p)] / pred_size[p] for g, p in zip(gold, predicted)) / len(gold)
    recall = sum(pair[(g, p)] / gold_size[g] for g, p in zip(gold, predicted)) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "items": len(gold)}


def evaluate_speaker_predictions(gold_path: str | Path, predictions: str | Path, output_dir: str | Path) -> dict:
    """Accuracy of ``speaker`` over the gold quotes (and B-cubed of the corpus-level speaker
    ids where the gold has ``person``); writes ``output_dir/metrics.json``."""
    quotes, _, _ = load_artifacts(predictions)
    by_doc: dict[str, list[dict]] = {}
    for quote in quotes:
        by_doc.setdefault(quote["doc_id"], []).append(quote)
    rows = []
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        for gold in doc["speakers"]:
            start = doc["text"].index(gold["quote"])
            end = start + len(gold["quote"])
            covering = [q for q in by_doc.get(doc["id"], [])
                        if min(end, q["end"]) - max(start, q["start"]) >= 0.5 * (end - start)]
            predicted = covering[0]["speaker"] if covering else None
            cluster = (covering[0].get("speaker_id") or predicted) if covering else None
            rows.append({"doc_id": doc["id"], "quote": gold["quote"], "gold": gold["speaker"],
                         "found": bool(covering), "predicted": predicted,
                         "correct": bool(covering) and predicted == gold["speaker"],
                         "person": gold.get("person"), "speaker_id": cluster})
    found = [r for r in rows if r["found"]]
    summary = {
        "gold_quotes": len(rows),
        "found": len(found),
        "accuracy": sum(r["correct"] for r in rows) / max(len(rows), 1),
        "accuracy_on_found": sum(r["correct"] for r in found) / max(len(found), 1),
    }
    with_person = [(i, r) for i, r in enumerate(rows) if r["person"]]
    if with_person:
        scores = b_cubed([r["person"] for _, r in with_person],
                         [r["speaker_id"] if r["speaker_id"] else f"(none {i})" for i, r in with_person])
        summary.update({f"b_cubed_{k}": v for k, v in scores.items() if k != "items"})
        summary["b_cubed_quotes"] = scores["items"]
    metrics = {"summary": summary, "rows": rows, "gold_path": str(gold_path), "predictions": str(predictions)}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))
    return metrics


def speaker_coverage(predictions: str | Path, output_dir: str | Path, top: int = 25) -> dict:
    """How many quotes with a source mention got a canonical speaker: the share of quotes with a
    ``speaker_mention`` whose ``speaker`` is not null, over an output folder of ``scripts/infer.py``
    (no gold needed), with the most frequent mentions left without a name.  Writes
    ``output_dir/metrics.json``."""
    quotes, _, _ = load_artifacts(predictions)
    mentions, speakers = quotes["speaker_mention"], quotes["speaker"]
    with_mention = [(m, s) for m, s in zip(mentions, speakers) if m]
    resolved = sum(s is not None for _, s in with_mention)
    unresolved = Counter(" ".join(m.split()).lower() for m, s in with_mention if s is None)
    summary = {
        "quotes": len(quotes),
        "with_mention": len(with_mention),
        "with_speaker": resolved,
        "mention_share": len(with_mention) / max(len(quotes), 1),
        "speaker_share_of_mentions": resolved / max(len(with_mention), 1),
    }
    metrics = {"summary": summary, "top_unresolved_mentions": unresolved.most_common(top),
               "predictions": str(predictions)}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))
    return metrics
