"""Why gold SEESAW relations are missed: a recall error analysis of one ``scripts/infer.py`` run.

    python tools/seesaw_misses.py gold=../shared/data/e2e/seesaw/valid.jsonl predictions=RUN out=DIR

Every gold (subject, object) pair of ``task=entity_stance`` (same gold, same speaker matching) gets
one cause, the first that applies:

- ``hit``: predicted with the gold polarity;
- ``d_wrong_polarity``: predicted with the other polarity;
- ``a0_subject_not_speaker``: the subject is a Topic / Event / Others entity (nobody to quote);
- ``a_no_subject_quote``: no quote of the run is attributed to a speaker matching the subject;
- ``b_no_mention``: the subject has quotes, none of whose attribution clause mentions the object
  as the stance stage finds mentions (:func:`find_mention` with key words and news aliases, then
  :mod:`pipeline.quotes.references`: "the president", "her");
- ``c_neutral``: a quote of the subject mentions the object, and every label toward it is neutral.

For (e), a relation that no quote expresses, each miss also says whether any of its gold
sentences overlaps the content span of a quote of the run (any speaker), and of a quote of the
subject. Writes ``DIR/misses.jsonl`` (one row per gold pair, with its sentences and the quotes
over them, for reading a sample) and ``DIR/summary.json``; prints the counts.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.io.artifacts import load_artifacts
from pipeline.eval.entity_stance import NOT_ENTITIES, gold_pairs, match_quote, normalise_name, predicted_pairs, read_jsonl
from pipeline.quotes.references import DocumentTargets
from pipeline.stance.features import clause_start, news_mention, quote_clause

SPEAKER_TYPES = {"People", "Organization", "GPE"}


def sentence_spans(article: dict) -> list[tuple[int, int]]:
    """Character spans of ``sentences`` in ``text`` (title, blank line, sentences joined by spaces)."""
    spans, at = [], len(article["title"]) + 2
    for sentence in article["sentences"]:
        spans.append((at, at + len(sentence)))
        at += len(sentence) + 1
    return spans


def analyse(gold_path: str, predictions: str) -> tuple[list[dict], Counter]:
    articles = read_jsonl(gold_path)
    quotes, documents, _ = load_artifacts(predictions)
    text = dict(zip(documents["doc_id"], documents["text"]))
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for quote in quotes.to_list():
        by_doc[quote["doc_id"]].append(quote)
    rows, counts = [], Counter()
    for article in articles:
        doc_id, entities = article["id"], [e for e in article["entities"] if e["name"] not in NOT_ENTITIES]
        types = {e["name"]: e["type"] for e in entities}
        doc_quotes = by_doc.get(doc_id, [])
        pred, _, _ = predicted_pairs(doc_quotes, article["entities"])
        speaker_of = [(match_quote(q, entities) or (None,))[0] for q in doc_quotes]
        clauses = [quote_clause(text[doc_id], q)[0] for q in doc_quotes]
        document = DocumentTargets(text[doc_id], article["targets"], news_mention)
        references = [document.references(q, clause_start(q)) for q in doc_quotes]
        spans = sentence_spans(article)
        sentences_of = defaultdict(set)
        for t in article["triplets"]:
            sentences_of[(t["subject"], t["object"])].add(t["sentence"])
        for (subject, obj), polarity in gold_pairs(article).items():
            own = [i for i, s in enumerate(speaker_of) if s == subject]
            mentioning = [i for i in own if news_mention(obj, clauses[i])[0] >= 0 or obj in references[i]]
            labels = [s["label"] for i in mentioning for s in doc_quotes[i]["stances"] or []
                      if normalise_name(s["target"]) == normalise_name(obj)]
            if (subject, obj) in pred:
                cause = "hit" if pred[(subject, obj)][0] == polarity else "d_wrong_polarity"
            elif types.get(subject) not in SPEAKER_TYPES:
                cause = "a0_subject_not_speaker"
            elif not own:
                cause = "a_no_subject_quote"
            elif not mentioning:
                cause = "b_no_mention"
            else:
                cause = "c_neutral"
            sents = sorted(sentences_of[(subject, obj)])
            over = lambda q, k: any(q["start"] < spans[k][1] and spans[k][0] < q["end"] for k in [k])  # noqa: E731
            covering = sorted({i for k in sents if k < len(spans) for i, q in enumerate(doc_quotes) if over(q, k)})
            rows.append({
                "doc_id": doc_id, "subject": subject, "subject_type": types.get(subject), "object": obj,
                "gold": polarity, "pred": pred.get((subject, obj), (None,))[0], "cause": cause,
                "subject_quotes": len(own), "mentioning_quotes": len(mentioning), "labels": labels,
                "sentence_in_any_quote": bool(covering),
                "sentence_in_subject_quote": any(speaker_of[i] == subject for i in covering),
                "sentences": [article["sentences"][k] for k in sents if k < len(article["sentences"])],
                "quotes_over_sentences": [{"speaker": doc_quotes[i]["speaker"] or doc_quotes[i]["speaker_mention"],
                                           "matched": speaker_of[i], "text": doc_quotes[i]["text"][:300],
                                           "stances": [(s["target"], s["label"]) for s in doc_quotes[i]["stances"] or []
                                                       if s["label"] != "neutral"]} for i in covering],
            })
            counts[cause] += 1
            counts[f"{cause}|in_any_quote={bool(covering)}"] += 1
    return rows, counts


def main(args: dict[str, str]) -> None:
    rows, counts = analyse(args["gold"], args["predictions"])
    out = Path(args["out"])
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "misses.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary = {"gold_pairs": len(rows), "causes": dict(sorted(counts.items()))}
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main(dict(arg.split("=", 1) for arg in sys.argv[1:]))
