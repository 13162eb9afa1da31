"""Model-based quote finder: the two-layer SOURCE / CUE / CONTENT tagger plus span linking.

``QuoteTagger.from_pretrained(path)`` loads a checkpoint written by ``scripts/train_quotes.py``
once; calling it on an article returns its quotes as :class:`QuoteSpan` records with the
content span, the kind, and the source mention and cue already linked (so the attribute
stage only resolves speakers, see :func:`pipeline.quotes.tagger.fallback.keep_or_attribute`).

Offsets: ``start``/``end`` are the content as PolNeAR marks it (a leading "that" of indirect
speech included), except that a direct quote's surrounding quote marks are left out, as in
the rule-based segmenter.  ``attribution_score`` is the product of the content and source
span probabilities (0.0 when no source was linked).  Content spans less probable than
``min_content_score`` (picked on dev by training unless given) are dropped, and so is a content
that ends up with neither a cue nor a source (not an attribution: scraper boilerplate, a
headline) unless its probability reaches ``min_unattributed_score`` (``configs/segmenter/tagger.yaml``,
chosen on PolNeAR dev with ``tools/sweep_unattributed.py``).  A content span's probability
(its ``score``) is the mean probability of its CONTENT tags.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Sequence

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import AutoTokenizer

from pipeline.models import checkpoint_hash, resolve_model_path
from pipeline.quotes.spans import QuoteSpan, quote_kind
from pipeline.quotes.tagger.boundaries import apply_conventions
from pipeline.quotes.tagger.decode import decode_windows
from pipeline.quotes.tagger.labels import CharSpan, DocumentEncoding, Window, encode_document, make_windows
from pipeline.quotes.tagger.linking import LinkedContent, link_spans
from pipeline.quotes.tagger.model import load_tagger_model, tagger_layers

log = logging.getLogger(__name__)

_MARKS = "\"“”„«»"
# Runs of str.isalnum() characters (\w less the underscore) and of white space, matched in C:
# a span inside a 2 MB token must not walk it character by character in Python.
_ALNUM_RUN = re.compile(r"[^\W_]*")
_SPACE_RUN = re.compile(r"\s*")
MIN_SCORE_KEY = "quote_min_content_score"


class QuoteTagger:
    """Finds, classifies and links quotes in whole articles (overlapping windows)."""

    def __init__(self, model, tokenizer, window: int = 256, stride: int = 128, batch_size: int = 16,
                 progress: bool = True, min_content_score: float | None = None,
                 min_unattributed_score: float = 0.0) -> None:
        self.model = model.eval()
        # Content spans whose mean tag probability is lower are dropped; by default the
        # threshold that training picked on dev (stored in the checkpoint's config).
        if min_content_score is None:
            min_content_score = float(getattr(model.config, MIN_SCORE_KEY, 0.0) or 0.0)
        self.min_content_score = min_content_score
        # A content with neither cue nor source is kept only at this probability or above.
        self.min_unattributed_score = float(min_unattributed_score)
        self.tokenizer = tokenizer
        self.window = window
        self.stride = stride
        self.batch_size = batch_size
        self.progress = progress
        self.layers = tagger_layers(model)
        self.provenance: dict[str, str | None] = {}

    @classmethod
    def from_pretrained(cls, name_or_path: str, dtype: str = "auto", quantize: str | None = None,
                        **kwargs) -> "QuoteTagger":
        """``dtype``: the compute dtype, see :func:`pipeline.models.inference_dtype`;
        ``quantize``: ``int8`` for dynamic int8 linear layers on the CPU (see
        :func:`pipeline.quotes.tagger.model.quantize_int8`), else null."""
        model = load_tagger_model(name_or_path, dtype, quantize)
        path = resolve_model_path(name_or_path)
        tagger = cls(model, AutoTokenizer.from_pretrained(path), **kwargs)
        tagger.provenance = {"path": str(path), "sha256": checkpoint_hash(path), "dtype": str(model.dtype)}
        if quantize:
            tagger.provenance["quantize"] = quantize
        log.info("loaded quote tagger from %s", path)
        return tagger

    # ------------------------------------------------------------------ prediction

    @torch.inference_mode()
    def _logits(self, windows: Sequence[Window], desc: str) -> list[np.ndarray]:
        """Logits of each window, in order.  A batch holds windows of one length only (all
        articles' full windows together, then each shorter length), so nothing is padded and an
        article gets the spans it gets alone, whichever articles share its call (on PolNeAR dev
        only some scores moved, in the 7th digit, with the batch size; ``quantize=int8`` scales
        activations per batch, so there spans can move slightly)."""
        pad = self.tokenizer.pad_token_id or 0
        device = next(self.model.parameters()).device
        by_length: dict[int, list[int]] = {}
        for i, w in enumerate(windows):
            by_length.setdefault(len(w.input_ids), []).append(i)
        batches = [same[begin:begin + self.batch_size] for _, same in sorted(by_length.items(), reverse=True)
                   for begin in range(0, len(same), self.batch_size)]
        out: list[np.ndarray | None] = [None] * len(windows)
        for batch in tqdm(batches, desc=desc, unit="batch", disable=not self.progress or len(batches) < 2):
            width = max(len(windows[i].input_ids) for i in batch)
            ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                n = len(windows[i].input_ids)
                ids[row, :n] = torch.tensor(windows[i].input_ids)
                mask[row, :n] = 1
            logits = self.model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
            for row, i in zip(logits.float().cpu().numpy(), batch):
                out[i] = row
        return out

    def predict_spans(self, texts: Sequence[str]) -> list[list[CharSpan]]:
        """SOURCE / CUE / CONTENT character spans of each article (windows batched across articles)."""
        encodings: list[DocumentEncoding] = [encode_document(self.tokenizer, t) for t in texts]
        per_doc = [make_windows(e, self.tokenizer, self.window, self.stride) if e.ids else [] for e in encodings]
        windows: list[Window] = [w for doc_windows in per_doc for w in doc_windows]
        logits = self._logits(windows, "tag quotes") if windows else []
        out: list[list[CharSpan]] = []
        begin = 0
        for encoding, doc_windows in zip(encodings, per_doc):
            mine = logits[begin:begin + len(doc_windows)]
            begin += len(doc_windows)
            out.append(decode_windows(encoding, doc_windows, mine, self.layers) if doc_windows else [])
        return out

    def quotes_from_spans(self, text: str, spans: Sequence[CharSpan], min_content_score: float | None = None,
                          min_unattributed_score: float | None = None) -> list[QuoteSpan]:
        """Drop unsure content spans, link the rest to cues and sources, drop the unsure ones
        left with neither cue nor source, build the records."""
        threshold = self.min_content_score if min_content_score is None else min_content_score
        unattributed = self.min_unattributed_score if min_unattributed_score is None else min_unattributed_score
        runs = WordRuns(text)
        kept = [snap_to_words(text, s, runs) for s in spans if s.label != "CONTENT" or s.score >= threshold]
        linked = apply_conventions(text, link_spans(kept, text))
        return to_quote_spans(text, drop_unattributed(linked, unattributed))

    def find(self, texts: Sequence[str]) -> list[list[QuoteSpan]]:
        """Quotes of each article."""
        return [self.quotes_from_spans(text, spans) for text, spans in zip(texts, self.predict_spans(texts))]

    #: The batched segmenter interface of :func:`pipeline.run.stages.add_quotes`: the windows of
    #: all the texts share model batches.
    find_quotes_batch = find

    def __call__(self, text: str) -> list[QuoteSpan]:
        return self.find([text])[0]


class WordRuns:
    """Where the run of ``str.isalnum()`` characters at a position ends, remembering the last
    run: spans that fall in one very long token (a 2 MB blob) find its end once, not each."""

    def __init__(self, text: str) -> None:
        self.text, self.lo, self.hi = text, -1, -1

    def end(self, pos: int, stop: int | None = None) -> int:
        if not self.lo <= pos <= self.hi:
            self.lo, self.hi = pos, _ALNUM_RUN.match(self.text, pos).end()
        return self.hi if stop is None else min(self.hi, stop)


def snap_to_words(text: str, span: CharSpan, runs: WordRuns | None = None) -> CharSpan:
    """Keep whole words: an end inside a word moves to the word's end, a start inside a word
    moves past that word.

    Tags live on sub-word tokens, so runs can split a word: a cue "approve" followed by a
    content "s bike lanes" becomes "approves" and "bike lanes".
    """
    runs = runs if runs is not None else WordRuns(text)
    start, end = span.start, span.end
    if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end = runs.end(end)
    if 0 < start < end and text[start - 1].isalnum() and text[start].isalnum():
        start = _SPACE_RUN.match(text, runs.end(start, end), end).end()
    if start >= end:
        return span
    return span if (start, end) == (span.start, span.end) else replace(span, start=start, end=end)


def drop_unattributed(linked: Sequence[LinkedContent], min_score: float) -> list[LinkedContent]:
    """Contents with neither a cue nor a source are not attributions: keep them only when
    their probability reaches ``min_score`` (0 keeps all, above 1 drops all)."""
    return [item for item in linked
            if item.cue is not None or item.source is not None or item.content.score >= min_score]


def _strip(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def to_quote_spans(text: str, linked: Sequence[LinkedContent]) -> list[QuoteSpan]:
    """Linked spans -> :class:`QuoteSpan` records, sorted by start."""
    quotes = []
    for item in linked:
        c = item.content
        kind = quote_kind(text[c.start:c.end])
        start, end = _strip(text, c.start, c.end, _MARKS if kind == "direct" else "")
        while start < end and (text[start] in ",;:" or text[start].isspace()):  # ", construction will ..."
            start += 1
        if end <= start:
            continue
        quote = QuoteSpan(start=start, end=end, kind=kind)
        if item.cue is not None:
            quote.cue, quote.cue_start, quote.cue_end = text[item.cue.start:item.cue.end], item.cue.start, item.cue.end
        if item.source is not None:
            s = item.source
            quote.speaker_mention, quote.speaker_start, quote.speaker_end = text[s.start:s.end], s.start, s.end
            quote.attribution_score = float(c.score * s.score)
        quotes.append(quote)
    return sorted(quotes, key=lambda q: (q.start, q.end))
