"""Sweep the stance model's neutral margin on finished pipeline runs, without re-running them.

    python tools/sweep_neutral_bias.py model=DIR seesaw_run=RUN gold=SEESAW.jsonl [unrelated_run=RUN2] out=OUT

Scores every (quote, target) pair of each run once with the checkpoint (the pipeline's own
featurisation: attribution clause, holder marked), then, for each neutral bias of the grid,
relabels the stances and scores the run with the same evaluators as scripts/evaluate.py
(task=entity_stance, task=unrelated_targets).  For choosing a margin on dev; re-run the
pipeline with the chosen one before reporting it.
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
from pipeline.stance.features import quote_clause
from pipeline.stance.training import NEUTRAL_BIAS_GRID

GRID = (-3.0, -2.0, -1.5) + NEUTRAL_BIAS_GRID


def _pairs(run: str):
    quotes, documents, _ = load_artifacts(run)
    text = dict(zip(documents["doc_id"], documents["text"]))
    rows = quotes.to_list()
    pairs = [(i, s["target"]) for i, q in enumerate(rows) for s in q["stances"]]
    clauses = [quote_clause(text[rows[i]["doc_id"]], rows[i]) for i, _ in pairs]
    return quotes, rows, pairs, clauses


def _relabel(run: str, quotes, rows, pairs, labels, scores, where: Path) -> Path:
    stances = [[] for _ in rows]
    for (i, target), label, score in zip(pairs, labels, scores):
        stances[i].append({"target": target, "label": label, "score": float(score)})
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(run, where, ignore=shutil.ignore_patterns("quotes", ".shards"))
    quotes.remove_columns("stances").add_column("stances", stances, feature=quotes.features["stances"]) \
        .save_to_disk(str(where / "quotes"))
    return where


def main(args: dict[str, str]) -> None:
    classifier = StanceClassifier.from_pretrained(args["model"], progress=False)
    neutral = {l: i for i, l in classifier.id2label.items()}["neutral"]
    out = Path(args["out"])
    out.mkdir(parents=True, exist_ok=True)
    runs = {"seesaw": args["seesaw_run"]}
    if args.get("unrelated_run"):
        runs["unrelated"] = args["unrelated_run"]
    scored = {}
    for name, run in runs.items():
        quotes, rows, pairs, clauses = _pairs(run)
        logits = classifier.logits([t for _, t in pairs], [c[0] for c in clauses], holders=[c[1] for c in clauses])
        scored[name] = (run, quotes, rows, pairs, logits)
    results = {}
    for bias in GRID:
        row = {}
        for name, (run, quotes, rows, pairs, logits) in scored.items():
            shifted = logits.copy()
            shifted[:, neutral] += bias
            probs = softmax(shifted, classifier.temperature)
            labels = [classifier.id2label[int(j)] for j in probs.argmax(1)]
            where = _relabel(run, quotes, rows, pairs, labels, probs.max(1), out / f"{name}_tmp")
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
