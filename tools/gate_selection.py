"""Measure the relevance gate on dev: what each threshold skips and what it costs.

Two kinds of dev data:

* **the stance corpora's dev splits** (as training carves them): every pair there was annotated,
  so a skipped pair that the cross-encoder labels favor/against is a loss; reported as the
  macro-F1 with and without the gate, per corpus;
* **pipeline runs** (``scripts/infer.py`` output over SEESAW valid, its unrelated-target twin):
  (quote clause, target) pairs as the pipeline makes them; reported as the share skipped and
  the share of the run's favor/against labels that the gate would turn neutral.

The cross-encoder reads every pair once (its logits are the no-gate reference); the gate's
embeddings are computed once per distinct text and target, so the whole threshold grid costs
one pass.  ``neutral_score`` is the mean calibrated probability of ``neutral`` that the
cross-encoder gives the pairs the chosen threshold skips in the pipeline runs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from datasets import load_from_disk

from pipeline.eval.metrics import stance_metrics
from pipeline.stance.calibration import softmax
from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.corpora import LABELS, holders_of, mentions_of
from pipeline.stance.features import NO_MENTION, quote_clause
from pipeline.stance.gate import RelevanceGate, mentioned

log = logging.getLogger(__name__)


def run_pairs(run_dir: str | Path) -> pd.DataFrame:
    """(target, clause, holder, label) for every stance of a finished pipeline run."""
    run_dir = Path(run_dir)
    documents = {row["doc_id"]: row["text"] for row in
                 load_from_disk(str(run_dir / "documents")).select_columns(["doc_id", "text"]).to_list()}
    rows = []
    for quote in load_from_disk(str(run_dir / "quotes")).to_list():
        clause, holder = quote_clause(documents[quote["doc_id"]], quote)
        for stance in quote["stances"]:
            rows.append({"target": stance["target"], "text": clause, "holder": holder, "label": stance["label"]})
    return pd.DataFrame(rows)


def _probs(classifier: StanceClassifier, frame: pd.DataFrame, mentions=None, holders=None,
           cache: Path | None = None) -> np.ndarray:
    """Calibrated probabilities; ``cache`` (a .npy file) keeps them across sweeps of one checkpoint."""
    if cache is not None and cache.exists():
        probs = np.load(cache)
        if len(probs) == len(frame):
            return probs
    logits = classifier.logits(frame["target"].tolist(), frame["text"].tolist(), mentions, holders)
    probs = softmax(classifier.decision_logits(logits), classifier.temperature)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, probs)
    return probs


def sweep_gate(classifier: StanceClassifier, gate: RelevanceGate, dev_frames: Mapping[str, pd.DataFrame],
               runs: Mapping[str, pd.DataFrame], thresholds: Sequence[float],
               neutral_sample: int = 2000, seed: int = 0, cache_dir: str | Path | None = None) -> dict:
    """One row per threshold: per-corpus macro-F1 and skip share, per-run skip and flip shares."""
    neutral = [i for i, label in classifier.id2label.items() if label == "neutral"][0]
    corpora = {}
    for name, frame in dev_frames.items():
        log.info("gate sweep: %s (%d pairs)", name, len(frame))
        given = mentions_of(frame)
        cache = Path(cache_dir) / f"{name}.npy" if cache_dir else None
        probs = _probs(classifier, frame, given, holders_of(frame), cache)
        texts, targets = frame["text"].tolist(), frame["target"].tolist()
        corpora[name] = {
            "gold": frame["label"].tolist(),
            "pred": [classifier.id2label[int(i)] for i in probs.argmax(axis=1)],
            "mentioned": mentioned(targets, texts) | np.array([tuple(m) != NO_MENTION for m in given]),
            "similarity": gate.similarities(targets, texts),
        }
    pipeline_runs = {}
    for name, frame in runs.items():
        texts, targets = frame["text"].tolist(), frame["target"].tolist()
        pipeline_runs[name] = {
            "frame": frame,
            "stance": frame["label"].isin(["favor", "against"]).to_numpy(),
            "mentioned": mentioned(targets, texts),
            "similarity": gate.similarities(targets, texts),
        }

    rows = []
    for threshold in thresholds:
        row: dict = {"threshold": threshold, "corpora": {}, "runs": {}}
        for name, c in corpora.items():
            skip = ~c["mentioned"] & (c["similarity"] < threshold)
            gated = [("neutral" if s else p) for s, p in zip(skip, c["pred"])]
            row["corpora"][name] = {
                "macro_f1": stance_metrics(c["gold"], gated, LABELS)["macro_f1"],
                "macro_f1_no_gate": stance_metrics(c["gold"], c["pred"], LABELS)["macro_f1"],
                "skipped": float(skip.mean()),
            }
        for name, r in pipeline_runs.items():
            skip = ~r["mentioned"] & (r["similarity"] < threshold)
            row["runs"][name] = {
                "skipped": float(skip.mean()),
                "stances_lost": float((skip & r["stance"]).sum() / max(1, r["stance"].sum())),
                "n_stances": int(r["stance"].sum()),
            }
        rows.append(row)

    # The score a skipped pair gets: the cross-encoder's mean P(neutral) over a sample of the pairs
    # the runs' gate skips, at each threshold (one forward pass over the sample at the lowest).
    every = pd.concat([r["frame"].assign(similarity=r["similarity"], mentioned=r["mentioned"])
                       for r in pipeline_runs.values()], ignore_index=True) if pipeline_runs else pd.DataFrame()
    if len(every):
        skipped_any = every[~every["mentioned"] & (every["similarity"] < max(thresholds))]
        sample = skipped_any.sample(n=min(neutral_sample, len(skipped_any)), random_state=seed)
        cache = Path(cache_dir) / f"runs_sample_{max(thresholds)}.npy" if cache_dir else None
        p_neutral = _probs(classifier, sample, None, sample["holder"].tolist(), cache)[:, neutral] if len(sample) else []
        for row in rows:
            chosen = np.asarray(sample["similarity"] < row["threshold"]) if len(sample) else np.zeros(0, bool)
            row["neutral_score"] = float(np.mean(p_neutral[chosen])) if chosen.any() else None
            row["neutral_score_n"] = int(chosen.sum())
    for row in rows:
        deltas = [c["macro_f1"] - c["macro_f1_no_gate"] for c in row["corpora"].values()]
        row["worst_corpus_delta"] = float(min(deltas)) if deltas else 0.0
    return {"rows": rows}


def format_sweep(result: dict) -> str:
    rows = result["rows"]
    corpora = list(rows[0]["corpora"]) if rows else []
    runs = list(rows[0]["runs"]) if rows else []
    head = ["threshold"] + [f"{c} F1 (skip)" for c in corpora] + [f"{r} skip / stances lost" for r in runs] + ["P(neutral)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [f"{row['threshold']:.2f}"]
        cells += [f"{row['corpora'][c]['macro_f1']:.4f} ({row['corpora'][c]['skipped']:.2f})" for c in corpora]
        cells += [f"{row['runs'][r]['skipped']:.2f} / {row['runs'][r]['stances_lost']:.3f}" for r in runs]
        score = row.get("neutral_score")
        cells.append("" if score is None else f"{score:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    if rows:
        lines.append("| no gate | " + " | ".join(f"{rows[0]['corpora'][c]['macro_f1_no_gate']:.4f}" for c in corpora)
                     + " |" * (len(runs) + 1))
    return "\n".join(lines)
