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
import re
import unicodedata
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


#: Words dropped from the front of a name before comparing (and "the"): honorifics and the
#: offices news puts before a name ("Sen. Elizabeth Warren", "President Obama").  Kept short
#: and apart from the resolver's lists, so the measure does not move when the resolver does.
_EVAL_TITLES = frozenset("""the mr mrs ms miss dr sen senator rep representative gov governor president
    vice prime minister secretary speaker judge justice mayor gen general rev sir dame lord lady former
    presidential candidate nominee chairman chairwoman chair ceo""".split())
_EVAL_SUFFIXES = frozenset("jr sr ii iii iv".split())


def comparable_name(name: str | None) -> tuple[str, ...]:
    """A name as compared by ``task=speakers``: case and accents folded, punctuation and a
    possessive "'s" dropped, leading titles and "the" and trailing "Jr."/"Sr." removed."""
    if not name:
        return ()
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"['’]s\b", "", folded)
    tokens = re.findall(r"[\w]+", folded.replace("_", " "))
    while len(tokens) > 1 and tokens[0] in _EVAL_TITLES:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _EVAL_SUFFIXES:
        tokens = tokens[:-1]
    return tuple(tokens)


def name_match(gold: str | None, predicted: str | None) -> str:
    """``exact`` | ``partial`` | ``wrong`` | ``missed`` (no prediction) for a named gold speaker.

    Partial: one name's words (initials aside) are all in the other's ("Obama" / "Barack Obama",
    "Joseph R. Biden" / "Joseph Biden"); "Bill Clinton" for "Hillary Clinton" is wrong.
    """
    if not predicted:
        return "missed"
    g, p = comparable_name(gold), comparable_name(predicted)
    if g == p:
        return "exact"
    g_words, p_words = {t for t in g if len(t) > 1}, {t for t in p if len(t) > 1}
    if g_words and p_words and (g_words <= p_words or p_words <= g_words):
        return "partial"
    return "wrong"


def _best_overlap(start: int, end: int, quotes: list[dict]) -> dict | None:
    """The predicted quote whose content overlaps ``[start, end)`` most, when the overlap is at
    least half of the shorter of the two spans (the rule of ``task=quote_stance``)."""
    best, best_overlap = None, 0
    for q in quotes:
        overlap = min(end, q["end"]) - max(start, q["start"])
        if overlap > best_overlap and overlap >= 0.5 * min(end - start, q["end"] - q["start"]):
            best, best_overlap = q, overlap
    return best


def evaluate_polnear_speakers(gold_path: str | Path, predictions: str | Path, output_dir: str | Path,
                              polnear_dir: str | Path | None = None) -> dict:
    """Canonical speakers of an infer run on PolNeAR against ``polnear_speakers`` gold.

    Gold lines are ``{"doc_id", "a", "speaker", "type"}``; ``a`` numbers the attributions of the
    article's gold ``.ann`` (:func:`pipeline.quotes.polnear.read_gold`) in content-offset order,
    so the content spans come from ``polnear_dir`` (default: ``../polnear/<split>`` beside the gold
    folder, split being the gold file's stem).  Each gold attribution is matched to the predicted
    quote whose content overlaps it most (at least half of the shorter span).

    Named gold speakers (denominator: all of them, found or not): ``exact`` and ``partial``
    (:func:`name_match`), ``accuracy`` = exact + partial, ``wrong`` (another name), ``missed``
    (no quote found, or found with no speaker; ``not_found`` says how many had no quote); the
    same over the named attributions whose content was found (``*_on_found``: the resolver's share,
    since no resolver names a quote the tagger missed).
    Null gold speakers: ``invented`` = share of those matched to a quote whose speaker is a
    name (``invented_of_all``: over all null gold).  Writes ``output_dir/metrics.json``.
    """
    from pipeline.quotes.polnear import read_gold

    gold_path = Path(gold_path)
    if polnear_dir is None:
        polnear_dir = gold_path.parent.parent / "polnear" / gold_path.stem
    articles = read_gold(polnear_dir)
    quotes, _, _ = load_artifacts(predictions)
    by_doc: dict[str, list[dict]] = {}
    for quote in quotes.select_columns(["doc_id", "start", "end", "speaker", "speaker_mention"]):
        by_doc.setdefault(quote["doc_id"], []).append(quote)
    rows = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        if "a" not in gold:
            continue
        if gold["doc_id"] not in articles:
            raise ValueError(f"{gold['doc_id']!r} of {gold_path} is not in {polnear_dir}")
        text, attributions = articles[gold["doc_id"]]
        spans = sorted((a.content.start, a.content.end) for a in attributions)
        start, end = spans[gold["a"] - 1]
        match = _best_overlap(start, end, by_doc.get(gold["doc_id"], []))
        predicted = match["speaker"] if match else None
        if gold["speaker"]:
            outcome = name_match(gold["speaker"], predicted)
        else:
            outcome = "invented" if predicted else "null_kept"
        rows.append({"doc_id": gold["doc_id"], "a": gold["a"], "type": gold.get("type"),
                     "content": text[start:end][:200], "gold": gold["speaker"], "found": match is not None,
                     "mention": match["speaker_mention"] if match else None, "predicted": predicted,
                     "outcome": outcome})
    named = [r for r in rows if r["gold"]]
    null = [r for r in rows if not r["gold"]]
    null_found = [r for r in null if r["found"]]
    named_found = [r for r in named if r["found"]]
    count = Counter(r["outcome"] for r in rows)

    def share(n: int, d: int) -> float:
        return round(n / d, 4) if d else 0.0

    summary = {
        "attributions": len(rows),
        "named": len(named),
        "accuracy": share(count["exact"] + count["partial"], len(named)),
        "exact": share(count["exact"], len(named)),
        "partial": share(count["partial"], len(named)),
        "wrong": share(count["wrong"], len(named)),
        "missed": share(count["missed"], len(named)),
        "not_found": share(sum(not r["found"] for r in named), len(named)),
        # The resolver's own share: named gold attributions whose content the tagger found.
        "named_found": len(named_found),
        "accuracy_on_found": share(sum(r["outcome"] in ("exact", "partial") for r in named_found), len(named_found)),
        "exact_on_found": share(sum(r["outcome"] == "exact" for r in named_found), len(named_found)),
        "wrong_on_found": share(sum(r["outcome"] == "wrong" for r in named_found), len(named_found)),
        "missed_on_found": share(sum(r["outcome"] == "missed" for r in named_found), len(named_found)),
        "null": len(null),
        "null_found": len(null_found),
        "invented": share(count["invented"], len(null_found)),
        "invented_of_all": share(count["invented"], len(null)),
        "accuracy_by_type": {
            kind: share(sum(r["outcome"] in ("exact", "partial") for r in named if r["type"] == kind),
                        sum(r["type"] == kind for r in named))
            for kind in sorted({r["type"] for r in named if r["type"]})},
    }
    metrics = {"summary": summary, "rows": rows, "gold_path": str(gold_path),
               "polnear_dir": str(polnear_dir), "predictions": str(predictions)}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))
    return metrics
