"""Score a stance classifier on a gold file in one of the corpus formats."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from datasets import Dataset

from pipeline.eval.metrics import semeval_f_avg, stance_metrics
from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.corpora import LABELS, holders_of, mentions_of, read_corpus

log = logging.getLogger(__name__)


def evaluate_stance_file(classifier: StanceClassifier, gold_path: str | Path, gold_format: str,
                         output_dir: str | Path, **read_args) -> dict:
    """Predict every gold pair; write ``predictions`` (save_to_disk) and ``metrics.json``."""
    gold = read_corpus(gold_path, gold_format, **read_args)
    predictions = classifier.predict(gold["target"].tolist(), gold["text"].tolist(), mentions_of(gold),
                                     holders_of(gold))
    pred_labels = [p.label for p in predictions]
    metrics = stance_metrics(gold["label"].tolist(), pred_labels, LABELS)
    if gold_format == "semeval":
        metrics["semeval"] = semeval_f_avg(gold["label"].tolist(), pred_labels, gold["group"].tolist())
    metrics.update(gold_path=str(gold_path), gold_format=gold_format, model=classifier.provenance)

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    Dataset.from_dict({
        "target": gold["target"].tolist(),
        "text": gold["text"].tolist(),
        "gold": gold["label"].tolist(),
        "pred": pred_labels,
        "score": [p.score for p in predictions],
    }).save_to_disk(str(output_dir / "predictions"))
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    try:
        plot_confusion(metrics, output_dir / "confusion.png")
    except ImportError:  # matplotlib comes with the `train` extra; the metrics do not need it
        logging.getLogger(__name__).info("matplotlib not installed: no confusion.png (pip install 'quotestance[train]')")
    return metrics


def plot_confusion(metrics: dict, path: str | Path) -> Path:
    """Draw the confusion matrix (counts, rows gold) as a PNG next to metrics.json."""
    import matplotlib

    matplotlib.use("Agg")  # no display here
    import matplotlib.pyplot as plt

    labels, matrix = metrics["confusion"]["labels"], metrics["confusion"]["matrix"]
    figure, axes = plt.subplots(figsize=(4.2, 3.6), dpi=120)
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels)
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    peak = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            axes.text(j, i, str(value), ha="center", va="center",
                      color="white" if value > peak / 2 else "black")
    axes.set_title(f"macro-F1 {metrics['macro_f1']:.3f}  (n={metrics['n']})", fontsize=10)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return Path(path)


def format_stance_metrics(metrics: dict) -> str:
    """Macro-F1, per-class P/R/F1 and the confusion matrix (rows gold, columns predicted)."""
    lines = [f"macro-F1 {metrics['macro_f1']:.4f}   accuracy {metrics['accuracy']:.4f}   n={metrics['n']}"
             f"   (macro over {', '.join(metrics['labels_in_macro'])})", "",
             f"{'class':<10}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for label, s in metrics["per_class"].items():
        lines.append(f"{label:<10}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>9d}")
    labels = metrics["confusion"]["labels"]
    lines += ["", "confusion (rows gold, columns predicted)", " " * 10 + "".join(f"{l:>9}" for l in labels)]
    for label, row in zip(labels, metrics["confusion"]["matrix"]):
        lines.append(f"{label:<10}" + "".join(f"{v:>9d}" for v in row))
    if "semeval" in metrics:
        s = metrics["semeval"]
        lines += ["", f"SemEval F_avg: per-target mean {s['f_avg_per_target_mean']:.4f}, micro {s['f_avg_micro']:.4f}"]
    return "\n".join(lines)
