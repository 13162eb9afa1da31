"""Who stands where: one row per (speaker, target) with stance counts and mean probabilities.

Columns of :data:`SUMMARY_FEATURES`:

``speaker_id``
    the corpus-level speaker (:mod:`pipeline.quotes.corpus_speakers`): rows are per id, so
    "Han Zhiyuan" in one article and "President Han" in another are one row, and two people
    called Smith are two; null for quotes without a speaker.
``speaker``
    the id's fullest name (its ``name`` in the ``speakers`` table); quotes whose speaker is None
    are grouped under ``(unknown)``.
``variants``
    every name form of the id in the run ("Han", "Han Zhiyuan").
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

from datasets import Dataset, Features, Sequence, Value

from pipeline.quotes.corpus_speakers import group_speakers

UNKNOWN_SPEAKER = "(unknown)"
NO_TARGET = "(no target)"
LABELS = ("favor", "against", "neutral")
SUMMARY_FEATURES = Features({
    "speaker_id": Value("string"),
    "speaker": Value("string"),
    "variants": Sequence(Value("string")),
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


def speaker_names(quotes: Dataset, speakers: Dataset | None = None) -> tuple[Dataset, dict[str, dict]]:
    """``quotes`` with ``speaker_id`` (grouped here for runs written without it) and, per id, its
    ``name`` and ``variants``: from the ``speakers`` table when given, else from the quotes."""
    if "speaker_id" not in quotes.column_names:
        quotes, speakers = group_speakers(quotes)
    if speakers is not None:
        return quotes, {row["speaker_id"]: {"name": row["name"], "variants": row["variants"]}
                        for row in speakers.select_columns(["speaker_id", "name", "variants"])}
    forms: dict[str, set[str]] = defaultdict(set)
    for batch in quotes.select_columns(["speaker_id", "speaker"]).iter(batch_size=100_000):
        for key, name in zip(batch["speaker_id"], batch["speaker"]):
            if key and name:
                forms[key].add(" ".join(name.split()))
    return quotes, {key: {"name": max(names, key=lambda n: (len(n.split()), len(n), n)), "variants": sorted(names)}
                    for key, names in forms.items()}


def summarise_speakers(quotes: Dataset, speakers: Dataset | None = None, batch_size: int = 10_000) -> Dataset:
    """Speaker x target stance counts and mean scores over all ``quotes``, one row per
    ``speaker_id`` and target (see the module doc); ``speakers`` is the run's speakers table."""
    quotes, names = speaker_names(quotes, speakers)
    scores: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: {label: [] for label in LABELS})
    no_target: dict[str, int] = defaultdict(int)
    speaker_quotes: dict[str, int] = defaultdict(int)
    columns = quotes.select_columns(["speaker_id", "stances"])
    for batch in columns.iter(batch_size=batch_size):
        for speaker, stances in zip(batch["speaker_id"], batch["stances"]):
            speaker = speaker or UNKNOWN_SPEAKER
            speaker_quotes[speaker] += 1
            if not stances:
                no_target[speaker] += 1
            for stance in stances or []:
                bucket = scores[(speaker, stance["target"])]
                bucket.setdefault(stance["label"], []).append(float(stance["score"]))
    def who(key: str) -> dict[str, Any]:
        if key == UNKNOWN_SPEAKER:
            return {"speaker_id": None, "speaker": UNKNOWN_SPEAKER, "variants": []}
        known = names.get(key, {"name": key, "variants": []})
        return {"speaker_id": key, "speaker": known["name"], "variants": known["variants"]}

    rows: list[dict[str, Any]] = []
    for (speaker, target), by_label in scores.items():
        everything = [s for values in by_label.values() for s in values]
        rows.append({
            **who(speaker), "target": target, "n_quotes": len(everything),
            **{f"n_{label}": len(by_label[label]) for label in LABELS},
            "mean_score": _mean(everything),
            **{f"mean_{label}_score": _mean(by_label[label]) for label in LABELS},
            "speaker_n_quotes": speaker_quotes[speaker],
        })
    for speaker, n in no_target.items():
        rows.append({**who(speaker), "target": NO_TARGET, "n_quotes": n,
                     **{f"n_{label}": 0 for label in LABELS}, "mean_score": None,
                     **{f"mean_{label}_score": None for label in LABELS},
                     "speaker_n_quotes": speaker_quotes[speaker]})
    rows.sort(key=lambda r: (-r["speaker_n_quotes"], r["speaker"], r["speaker_id"] or "",
                             r["target"] == NO_TARGET, r["target"]))
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
