"""Classification metrics used by stance training and evaluation."""

from __future__ import annotations

from typing import Sequence

from sklearn.metrics import confusion_matrix, precision_recall_fscore_support


def stance_metrics(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    """Macro-F1 over ``labels`` plus per-class precision/recall/F1/support and the confusion matrix.

    Labels absent from the gold set (IBM has no neutral) are left out of the macro average.
    """
    present = [label for label in labels if label in set(gold)]
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(labels), zero_division=0)
    per_class = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
        for i, label in enumerate(labels)
    }
    macro = sum(per_class[label]["f1"] for label in present) / max(len(present), 1)
    accuracy = sum(g == q for g, q in zip(gold, pred)) / max(len(gold), 1)
    return {
        "macro_f1": float(macro),
        "accuracy": float(accuracy),
        "n": len(gold),
        "labels_in_macro": present,
        "per_class": per_class,
        "confusion": {"labels": list(labels),
                      "matrix": confusion_matrix(gold, pred, labels=list(labels)).tolist()},
    }


def semeval_f_avg(gold: Sequence[str], pred: Sequence[str], groups: Sequence[str]) -> dict:
    """SemEval-2016 Task 6 score: (F1 favor + F1 against) / 2, per target and averaged over targets."""
    per_target = {}
    for target in sorted(set(groups)):
        index = [i for i, g in enumerate(groups) if g == target]
        _, _, f, _ = precision_recall_fscore_support(
            [gold[i] for i in index], [pred[i] for i in index], labels=["favor", "against"], zero_division=0)
        per_target[target] = float((f[0] + f[1]) / 2)
    _, _, f, _ = precision_recall_fscore_support(gold, pred, labels=["favor", "against"], zero_division=0)
    return {
        "f_avg_per_target_mean": sum(per_target.values()) / max(len(per_target), 1),
        "f_avg_micro": float((f[0] + f[1]) / 2),
        "per_target": per_target,
    }
