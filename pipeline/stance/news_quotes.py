"""News attributions labelled toward their article's own targets (the ``polnear_quotes`` format).

One JSON object per article (see ``../shared/data/stance/polnear_quotes/README.md``): ``doc_id``,
``targets`` (name, type, aliases), ``attributions`` (content / source / cue offsets into the
article) and ``labels`` (favor / against per attribution and target; every other pair is
neutral).  Articles are read from the PolNeAR text folder next to it.

Every (attribution, target) pair becomes a stance example built exactly as the pipeline builds
it at inference (:func:`attribution_pairs`, used by :mod:`pipeline.run.stages` too): the
attribution clause from the source / cue / content spans with the source marked as the holder,
the speaker resolved by the pipeline's resolver, the target's mention found outside the holder
by name or alias, else a reference ("the president", "she", "the plan"), and no pair whose
target is the attribution's own source.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd

from pipeline.quotes.references import DocumentTargets
from pipeline.quotes.spans import QuoteSpan, quote_kind
from pipeline.quotes.speakers import resolve_speakers
from pipeline.stance.features import NO_MENTION, clause_start, quote_clause
from pipeline.stance.targets import Target, TargetLocator, as_target, clause_mention, is_own_source

log = logging.getLogger(__name__)


def attribution_pairs(text: str, quotes: Sequence[dict], targets: Sequence[Any],
                      aliases: bool = True) -> Iterator[dict]:
    """Stance inputs for every (quote, target) pair of one document, in quote then target order.

    ``quotes`` are quote records (content span, ``speaker_*``, ``cue_*``, ``speaker``). Yields
    ``quote`` (index), ``target`` (name), ``text`` (the clause), ``mention`` and ``holder``
    (clause offsets, ``(-1, -1)`` for none); pairs whose target is the quote's own source are
    skipped.  ``aliases=False`` ignores the targets' aliases (to measure what they add).
    """
    targets = [as_target(t) for t in targets]
    if not aliases:
        targets = [Target(t.name) for t in targets]
    locate = TargetLocator(targets)
    document: DocumentTargets | None = None
    for q, quote in enumerate(quotes):
        clause, holder = quote_clause(text, quote)
        start = clause_start(quote)
        references = None
        for target in targets:
            if is_own_source(locate, target.name, quote.get("speaker_mention"), quote.get("speaker")):
                continue
            mention = clause_mention(locate, target.name, clause, holder)
            if mention == NO_MENTION:
                if references is None:  # read the document's targets once, only if needed
                    document = document or DocumentTargets(text, [t.name for t in targets], locate)
                    references = document.references(quote, start)
                span = references.get(target.name)
                if span is not None:
                    mention = (span[0] - start, span[1] - start)
            yield {"quote": q, "target": target.name, "text": clause, "mention": mention, "holder": holder}


def _span(value: Sequence[int] | None) -> tuple[int | None, int | None]:
    return (int(value[0]), int(value[1])) if value else (None, None)


def gold_quotes(text: str, attributions: Sequence[dict]) -> list[dict]:
    """The corpus attributions as the pipeline's quote records, speakers resolved by its resolver."""
    spans = []
    for attribution in attributions:
        start, end = _span(attribution["content"])
        cue_start, cue_end = _span(attribution.get("cue"))
        speaker_start, speaker_end = _span(attribution.get("source"))
        spans.append(QuoteSpan(
            start=start, end=end, kind=quote_kind(text[start:end]),
            cue=text[cue_start:cue_end] if cue_start is not None else None, cue_start=cue_start, cue_end=cue_end,
            speaker_mention=text[speaker_start:speaker_end] if speaker_start is not None else None,
            speaker_start=speaker_start, speaker_end=speaker_end))
    return [q.to_dict() for q in resolve_speakers(text, spans)]


def default_text_dir(path: str | Path) -> Path:
    """``.../stance/polnear_quotes/<split>.jsonl`` -> ``.../quotes/polnear/<split>/text``."""
    path = Path(path)
    return path.parent.parent.parent / "quotes" / "polnear" / path.stem / "text"


def read_articles(path: str | Path, text_dir: str | Path | None = None) -> Iterator[tuple[dict, str]]:
    """(article record, article text) for each line of a polnear_quotes file: the record's own
    ``text`` (files written by ``scripts/annotate.py``), else ``text_dir/<doc_id>.txt``."""
    text_dir = Path(text_dir) if text_dir else default_text_dir(path)
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            article = json.loads(line)
            if "text" in article:
                yield article, article["text"]
                continue
            if not text_dir.is_dir():
                raise FileNotFoundError(f"{path}, line {number}: no 'text' in the record and no article "
                                        f"folder at {text_dir} (set text_dir)")
            yield article, (text_dir / f"{article['doc_id']}.txt").read_text(encoding="utf-8")


def read_polnear_quotes(path: str | Path, text_dir: str | Path | None = None, aliases: bool = True,
                        neutral_mentioned: float = 1.0, neutral_unmentioned: float = 1.0,
                        seed: int = 0) -> pd.DataFrame:
    """The stance table of a polnear_quotes file: one row per (attribution, target) pair.

    Columns as the other readers (:data:`pipeline.stance.corpora.COLUMNS`), ``group`` = the
    article.  Neutral pairs may be subsampled: ``neutral_mentioned`` keeps that share of the
    neutral pairs whose clause mentions or refers to the target, ``neutral_unmentioned`` of the
    rest (1.0 keeps all; dev is read whole).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for article, text in read_articles(path, text_dir):
        attributions = sorted(article["attributions"], key=lambda a: a["a"])
        labels = {(l["a"], l["target"]): l["label"] for l in article.get("labels", [])}
        quotes = gold_quotes(text, attributions)
        for pair in attribution_pairs(text, quotes, article["targets"], aliases=aliases):
            label = labels.get((attributions[pair["quote"]]["a"], pair["target"]), "neutral")
            if label == "neutral":
                keep = neutral_mentioned if pair["mention"] != NO_MENTION else neutral_unmentioned
                if keep < 1.0 and rng.random() >= keep:
                    continue
            rows.append({"target": pair["target"], "text": pair["text"], "label": label,
                         "group": article["doc_id"], "topic": pair["target"],
                         "mention_start": pair["mention"][0], "mention_end": pair["mention"][1],
                         "holder_start": pair["holder"][0], "holder_end": pair["holder"][1]})
    from pipeline.stance.corpora import _frame  # the shared table shape; corpora registers this reader
    return _frame(rows)
