"""The pipeline stages, each a function from the documents table to the documents table.

    load_documents -> add_quotes -> add_attributions -> add_stances -> write_artifacts

Each stage states the columns it needs and the ones it adds or fills.  A stage that fails on
one document (an exception, or offsets outside its text) turns that document into an error row
(``status="error"``, ``error`` naming the stage and the message, no quotes) and goes on with
the others, so one bad document never stops a run.  Quotes travel inside
the documents table (a ``quotes`` list column of :class:`pipeline.quotes.spans.QuoteSpan` records)
until the writer flattens them into one row per quote.  Stages know nothing about Hydra or
files; the segmenter, attributor and classifier are passed in already built.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Sequence

from datasets import Dataset, concatenate_datasets

from pipeline.io.schema import (  # the table schemas; imported from here by older code
    DOCUMENTS_WITH_QUOTES,
    QUOTE_FEATURES,
    STANCE_FEATURES,
    empty_documents_with_quotes,
)
from pipeline.quotes.spans import QuoteSpan
from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.news_quotes import attribution_pairs
from pipeline.stance.targets import Target, merge_targets

log = logging.getLogger(__name__)

FindQuotes = Callable[[str], list[QuoteSpan]]
Attribute = Callable[[str, list[QuoteSpan]], list[QuoteSpan]]


def _spans(quotes: list[dict]) -> list[QuoteSpan]:
    return [QuoteSpan(**quote) for quote in quotes]


def stage_error(stage: str, exc: BaseException) -> str:
    """The ``error`` of a document a stage failed on: the stage, the exception and its message."""
    return f"{stage} failed: {type(exc).__name__}: {exc}"


def _failed(stage: str, row: dict, exc: Exception) -> dict:
    log.warning("document %r: %s", row["doc_id"], stage_error(stage, exc))
    log.debug("traceback of the %s failure on %r", stage, row["doc_id"], exc_info=exc)
    return {"quotes": [], "status": "error", "error": stage_error(stage, exc)}


def _checked(text: str, quotes: list[QuoteSpan]) -> list[dict]:
    """The quotes as records, after checking every offset points into ``text``."""
    for quote in quotes:
        for name in ("", "cue_", "speaker_"):
            start, end = getattr(quote, f"{name}start"), getattr(quote, f"{name}end")
            if (start, end) != (None, None) and not (0 <= (start or 0) <= (end or 0) <= len(text)):
                raise ValueError(f"{name or 'content '}span [{start}, {end}) is outside the "
                                 f"document ({len(text)} characters)")
    return [q.to_dict() for q in quotes]


#: Documents per batched segmenter call: their windows share model batches.
SEGMENT_BATCH = 64


def add_quotes(documents: Dataset, find_quotes: FindQuotes) -> Dataset:
    """Segment: needs ``text``, ``status``; adds ``quotes`` (content span and kind).

    A segmenter with a ``find_quotes_batch(texts)`` method (the tagger) gets
    :data:`SEGMENT_BATCH` documents per call; when that call fails, each of those documents
    is segmented alone, so only the ones that fail alone become error rows.
    """

    def segment(row: dict) -> dict:
        if row["status"] != "ok":
            return {"quotes": []}
        try:
            return {"quotes": _checked(row["text"], find_quotes(row["text"]))}
        except Exception as exc:  # one document's failure is its error row, not the run's end
            return _failed("segment", row, exc)

    find_batch = getattr(find_quotes, "find_quotes_batch", None)
    if find_batch is None:
        return documents.map(segment, features=DOCUMENTS_WITH_QUOTES, desc="segment quotes",
                             load_from_cache_file=False, new_fingerprint=_fresh())

    def segment_batch(batch: dict) -> dict:
        rows = [dict(zip(batch, values)) for values in zip(*batch.values())]
        ok = [i for i, row in enumerate(rows) if row["status"] == "ok"]
        out = [{"quotes": [], "status": row["status"], "error": row["error"]} for row in rows]
        try:
            found = find_batch([rows[i]["text"] for i in ok])
            if len(found) != len(ok):
                raise ValueError(f"{len(found)} results for {len(ok)} documents")
        except Exception as exc:
            log.debug("batched segmentation failed (%s); segmenting each document alone", exc)
            found = None
        for n, i in enumerate(ok):
            if found is None:
                out[i].update(segment(rows[i]))
                continue
            try:
                out[i]["quotes"] = _checked(rows[i]["text"], found[n])
            except Exception as exc:
                out[i].update(_failed("segment", rows[i], exc))
        return {key: [o[key] for o in out] for key in ("quotes", "status", "error")}

    return documents.map(segment_batch, batched=True, batch_size=SEGMENT_BATCH, features=DOCUMENTS_WITH_QUOTES,
                         desc="segment quotes", load_from_cache_file=False, new_fingerprint=_fresh())


def add_attributions(documents: Dataset, attribute: Attribute,
                     resolve: Callable[[str, list[QuoteSpan]], list[QuoteSpan]]) -> Dataset:
    """Attribute: needs ``text``, ``quotes``; fills each quote's cue, source mention and speaker.

    ``attribute`` links a content span to its source mention and cue; ``resolve`` turns the
    mention into the document's canonical name for that speaker (or leaves it None).
    """

    def link(row: dict) -> dict:
        if not row["quotes"]:
            return {"quotes": row["quotes"]}
        try:
            quotes = resolve(row["text"], attribute(row["text"], _spans(row["quotes"])))
            return {"quotes": _checked(row["text"], quotes)}
        except Exception as exc:  # one document's failure is its error row, not the run's end
            return _failed("attribute", row, exc)

    return documents.map(link, features=DOCUMENTS_WITH_QUOTES, desc="attribute speakers",
                         load_from_cache_file=False, new_fingerprint=_fresh())


def document_targets(row_targets: Sequence[Any], config_targets: Sequence[Any],
                     row_aliases: Sequence[Sequence[str]] | None = None) -> list[Target]:
    """Targets for one document: the configured ones, then the document's own, one per name
    (a repeated name gains the other's aliases).  ``row_aliases`` are the documents table's
    ``target_aliases``, parallel to its ``targets`` names."""
    own = [Target(name, tuple(aliases)) for name, aliases in
           zip(row_targets or [], row_aliases or [()] * len(row_targets or []))]
    return merge_targets(config_targets, own)


def add_stances(documents: Dataset, classifier: StanceClassifier | None,
                targets: Sequence[Any] = ()) -> Dataset:
    """Stance: needs ``quotes``, ``targets``; fills each quote's ``stances`` for its document's targets.

    Each (quote, target) pair's input is built by :func:`pipeline.stance.news_quotes.attribution_pairs`,
    the path training uses too.  A target that is the quote's own source gets no stance.  All
    pairs of the table are classified together, so batches are full and length-sorted;
    documents without quotes or without targets cost nothing.
    """
    columns = ["text", "targets", "quotes"] + (["target_aliases"] if "target_aliases" in documents.column_names else [])
    rows = documents.select_columns(columns).to_list()
    pairs: list[tuple[int, int, str]] = []  # (row, quote, target)
    texts, mentions, holders = [], [], []
    clause = classifier is None or classifier.context == "clause"
    for r, row in enumerate(rows):
        row_targets = document_targets(row["targets"], targets, row.get("target_aliases"))
        if not row["quotes"] or not row_targets:
            continue
        if classifier is None:
            raise ValueError("targets were given but no stance classifier is configured")
        for pair in attribution_pairs(row["text"], row["quotes"], row_targets):
            pairs.append((r, pair["quote"], pair["target"]))
            if clause:  # the source mention and cue carry the holder and the polarity
                texts.append(pair["text"])
                mentions.append(pair["mention"])
                holders.append(pair["holder"])
            else:
                quote = row["quotes"][pair["quote"]]
                texts.append(row["text"][quote["start"]:quote["end"]])
    if not pairs:
        return documents
    predictions = classifier.predict([t for _, _, t in pairs], texts, mentions=mentions if clause else None,
                                     holders=holders if clause else None)
    stances: dict[tuple[int, int], list[dict]] = {}
    for (r, q, target), prediction in zip(pairs, predictions):
        stances.setdefault((r, q), []).append(
            {"target": target, "label": prediction.label, "score": prediction.score, "gated": prediction.gated})

    def fill(row: dict, index: int) -> dict:
        quotes = row["quotes"]
        for q, quote in enumerate(quotes):
            quote["stances"] = stances.get((index, q), [])
        return {"quotes": quotes}

    return documents.map(fill, with_indices=True, features=DOCUMENTS_WITH_QUOTES,
                         desc="attach stances", load_from_cache_file=False, new_fingerprint=_fresh())


def _fresh() -> str:
    """A new fingerprint for a ``Dataset.map`` result. Without one, ``datasets`` hashes the mapped
    function with everything it closes over (the tagger's weights: 1-2 s per stage and shard);
    results are never read back from its cache here, so the hash buys nothing."""
    return uuid.uuid4().hex


Timer = Callable[[str, Callable[[], Any]], Any]


def _untimed(name: str, work: Callable[[], Any]) -> Any:
    return work()


class Stages:
    """The built components of one pipeline run: segment -> attribute -> stance over a shard.

    One instance per process (the local runner) or per Ray actor, so every model is loaded
    once.  The stance classifier is loaded on the first shard that has a quote to label.
    Both runners call :meth:`process`; there is no second implementation of any stage.
    """

    def __init__(self, find_quotes: FindQuotes, attribute: Attribute,
                 resolve: Callable[[str, list[QuoteSpan]], list[QuoteSpan]],
                 load_classifier: Callable[[], StanceClassifier] | None,
                 targets: Sequence[str] = ()) -> None:
        self.find_quotes, self.attribute, self.resolve = find_quotes, attribute, resolve
        self.load_classifier = load_classifier
        self.targets = list(targets)  # names or {"name", "aliases"} mappings
        self.classifier: StanceClassifier | None = None

    @property
    def provenance(self) -> dict[str, Any]:
        """Checkpoints in use (path, sha256), for the manifest."""
        models = {}
        if getattr(self.find_quotes, "provenance", None):
            models["quotes"] = self.find_quotes.provenance
        if self.classifier is not None:
            models["stance"] = getattr(self.classifier, "provenance", {})
        return models

    def _add_stances_isolated(self, shard: Dataset) -> Dataset:
        """:func:`add_stances` over the shard; when it fails, over each half again, so the
        documents that fail alone become error rows and the others keep full batches."""
        try:
            return add_stances(shard, self.classifier, self.targets)
        except Exception as exc:
            if len(shard) == 1:
                row = shard[0]
                return shard.map(lambda _: _failed("stance", row, exc), features=DOCUMENTS_WITH_QUOTES,
                                 load_from_cache_file=False, new_fingerprint=_fresh())
            if len(shard) == 0:
                raise
        half = len(shard) // 2
        return concatenate_datasets([self._add_stances_isolated(shard.select(range(half))),
                                     self._add_stances_isolated(shard.select(range(half, len(shard))))])

    def _needs_stance(self, shard: Dataset) -> bool:
        return any(quotes and (self.targets or targets)
                   for quotes, targets in zip(shard["quotes"], shard["targets"]))

    def process(self, shard: Dataset, timed: Timer = _untimed) -> Dataset:
        """Run every stage over a shard of the documents table; a document a stage fails on
        becomes an error row (see the module docstring), the others go on."""
        shard = timed("segment", lambda: add_quotes(shard, self.find_quotes))
        shard = timed("attribute", lambda: add_attributions(shard, self.attribute, self.resolve))
        if self.classifier is None and self.load_classifier is not None and self._needs_stance(shard):
            self.classifier = timed("load_stance_model", self.load_classifier)
        if self.classifier is not None:
            shard = timed("stance", lambda: self._add_stances_isolated(shard))
        return shard
