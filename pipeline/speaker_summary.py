"""Who stands where: one row per (speaker, target) with stance counts and mean probabilities.

Columns of :data:`SUMMARY_FEATURES`:

``speaker``
    the quote's canonical speaker; quotes whose speaker is None are grouped under ``(unknown)``.
``target``
    the stance target; quotes that carry no stance at all (a run without targets or with
    ``stance=null``) are counted under ``(no target)`` so every quote is in the table.
``n_quotes``
    quotes of this speaker labelled for this target (a quote labelled for two targets counts
    once in each target's row, so do not add ``n_quotes`` over targets: use ``speaker_n_quotes``).
``n_favor``, ``n_against``, ``n_neutral``
    how many of those quotes got each label (they add up to ``n_quotes``).
``mean_score``
    mean probability of the predicted label over those quotes (the classifier's confidence).
``mean_favor_score``, ``mean_against_score``, ``mean_neutral_score``
    mean probability over the quotes that got that label; null where the count is 0.
``speaker_n_quotes``
    distinct quotes of the speaker over the whole run, whatever the target.

Rows are ordered by ``speaker_n_quotes`` (most quoted first), then speaker, then target.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from datasets import Dataset, Features, Value

UNKNOWN_SPEAKER = "(unknown)"
NO_TARGET = "(no target)"
LABELS = ("favor", "against", "neutral")
SUMMARY_FEATURES = Features({
    "speaker": Value("string"),
    "target": Value("string"),
    "n_quotes": Value("int64"),
    "n_favor": Value("int64"),
    "n_against": Value("int64"),
    "n_neutral": Value("int64"),
    "mean_score": Value("float64"),
    "mean_favor_score": Value("float64"),
    "mean_against_score": Value("float64"),
    "mean_neutral_score": Value("float64"),
    "speaker_n_quotes": Value("int64"),
})


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise_speakers(quotes: Dataset, batch_size: int = 10_000) -> Dataset:
    """Speaker x target stance counts and mean scores over all ``quotes`` (see the module doc)."""
    scores: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: {label: [] for label in LABELS})
    no_target: dict[str, int] = defaultdict(int)
    speaker_quotes: dict[str, int] = defaultdict(int)
    columns = quotes.select_columns(["speaker", "stances"])
    for batch in columns.iter(batch_size=batch_size):
        for speaker, stances in zip(batch["speaker"], batch["stances"]):
            speaker = speaker or UNKNOWN_SPEAKER
            speaker_quotes[speaker] += 1
            if not stances:
                no_target[speaker] += 1
            for stance in stances or []:
                bucket = scores[(speaker, stance["target"])]
                bucket.setdefault(stance["label"], []).append(float(stance["score"]))
    rows: list[dict[str, Any]] = []
    for (speaker, target), by_label in scores.items():
        everything = [s for values in by_label.values() for s in values]
        rows.append({
            "speaker": speaker, "target": target, "n_quotes": len(everything),
            **{f"n_{label}": len(by_label[label]) for label in LABELS},
            "mean_score": _mean(everything),
            **{f"mean_{label}_score": _mean(by_label[label]) for label in LABELS},
            "speaker_n_quotes": speaker_quotes[speaker],
        })
    for speaker, n in no_target.items():
        rows.append({"speaker": speaker, "target": NO_TARGET, "n_quotes": n,
                     **{f"n_{label}": 0 for label in LABELS}, "mean_score": None,
                     **{f"mean_{label}_score": None for label in LABELS},
                     "speaker_n_quotes": speaker_quotes[speaker]})
    rows.sort(key=lambda r: (-r["speaker_n_quotes"], r["speaker"], r["target"] == NO_TARGET, r["target"]))
    # Dataset.from_list([]) loses the columns (datasets 5), so build column-wise.
    return Dataset.from_dict({name: [row[name] for row in rows] for name in SUMMARY_FEATURES},
                             features=SUMMARY_FEATURES)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_speaker_summary(summary: Dataset | list[dict], max_rows: int = 20) -> str:
    """An aligned text table of the summary's first ``max_rows`` rows."""
    rows = summary.to_list() if isinstance(summary, Dataset) else list(summary)
    if not rows:
        return "no quotes: nothing to summarise"
    header = ["speaker", "target", "quotes", "favor", "against", "neutral",
              "mean p", "p(favor)", "p(against)", "p(neutral)"]
    numeric = set(range(2, len(header)))
    lines = [[row["speaker"], row["target"], row["n_quotes"], row["n_favor"], row["n_against"],
              row["n_neutral"], _score(row["mean_score"]), _score(row["mean_favor_score"]),
              _score(row["mean_against_score"]), _score(row["mean_neutral_score"])]
             for row in rows[:max_rows]]
    lines = [[str(cell) for cell in line] for line in lines]
    widths = [max(len(line[i]) for line in [header] + lines) for i in range(len(header))]

    def render(line: list[str]) -> str:
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))]
        return "  ".join(cells).rstrip()

    out = [render(header), render(["-" * w for w in widths])] + [render(line) for line in lines]
    if len(rows) > max_rows:
        out.append(f"... {len(rows) - max_rows} more rows")
    return "\n".join(out)
