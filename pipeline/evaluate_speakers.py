"""Score canonical speakers against a small hand-written gold set.

Gold is JSONL, one document a line: ``id``, ``text`` and ``speakers``, a list of
``{"quote": <a piece of the quote's content, verbatim>, "speaker": <full name or null>}``.
The same file is a valid input for ``scripts/infer.py`` (``speakers`` is kept as metadata).
A gold quote is found when a predicted quote covers at least half of its piece; it is correct
when that quote's ``speaker`` equals the gold one (null included).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.artifacts import load_artifacts


def evaluate_speaker_predictions(gold_path: str | Path, predictions: str | Path, output_dir: str | Path) -> dict:
    """Accuracy of ``speaker`` over the gold quotes; writes ``output_dir/metrics.json``."""
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
            rows.append({"doc_id": doc["id"], "quote": gold["quote"], "gold": gold["speaker"],
                         "found": bool(covering), "predicted": predicted,
                         "correct": bool(covering) and predicted == gold["speaker"]})
    found = [r for r in rows if r["found"]]
    metrics = {
        "summary": {
            "gold_quotes": len(rows),
            "found": len(found),
            "accuracy": sum(r["correct"] for r in rows) / max(len(rows), 1),
            "accuracy_on_found": sum(r["correct"] for r in found) / max(len(found), 1),
        },
        "rows": rows,
        "gold_path": str(gold_path),
        "predictions": str(predictions),
    }
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))
    return metrics
