"""Fine-tune the two-layer quote tagger on PolNeAR-style articles and score it on dev.

Knows nothing about Hydra: ``scripts/train_quotes.py`` builds the arguments from the config.
Dev scoring runs the saved fp16 checkpoint through :class:`pipeline.quotes.tagger.quote_tagger.QuoteTagger`
(windows, merging, decoding, linking) and :func:`pipeline.eval.quotes.score`, so the
numbers describe exactly what ships.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from datasets import Dataset
from transformers import AutoConfig, AutoTokenizer, Trainer, TrainingArguments, set_seed

from pipeline.eval.quotes import score
from pipeline.models import resolve_model_path, save_fp16
from pipeline.quotes.polnear import Attribution, Span, read_gold
from pipeline.quotes.tagger.quote_tagger import MIN_SCORE_KEY, QuoteTagger
from pipeline.quotes.tagger.labels import (
    IGNORE,
    CharSpan,
    attribution_spans,
    document_labels,
    encode_document,
    label_layers,
    make_windows,
    window_labels,
)
from pipeline.quotes.tagger.model import LayeredTokenLoss, build_tagger_model, load_tagger_model, tagger_layers

log = logging.getLogger(__name__)

#: Minimum content span probabilities tried on dev after training.
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


def _documents(gold_dir: str | Path, max_docs: int | None) -> dict[str, tuple[str, list]]:
    gold = read_gold(gold_dir)
    if max_docs:
        gold = dict(list(gold.items())[:max_docs])  # read_gold sorts by name
    return gold


def window_dataset(gold: Mapping[str, tuple[str, list]], tokenizer, window: int, stride: int,
                   layers: dict[str, list[str]], desc: str) -> Dataset:
    """One row per window: ``input_ids``, ``attention_mask``, ``labels`` (tokens x layers)."""
    table = Dataset.from_dict({
        "doc_id": list(gold),
        "text": [text for text, _ in gold.values()],
        "spans": [[{"start": s.start, "end": s.end, "label": s.label} for s in attribution_spans(attrs)]
                  for _, attrs in gold.values()],
    })

    def featurise(batch: dict) -> dict:
        out: dict[str, list] = {"input_ids": [], "attention_mask": [], "labels": []}
        for text, spans in zip(batch["text"], batch["spans"]):
            encoding = encode_document(tokenizer, text)
            if not encoding.ids:
                continue
            labels = document_labels(encoding, [CharSpan(s["start"], s["end"], s["label"]) for s in spans], layers)
            for w in make_windows(encoding, tokenizer, window, stride):
                out["input_ids"].append(w.input_ids)
                out["attention_mask"].append([1] * len(w.input_ids))
                out["labels"].append(window_labels(w, labels))
        return out

    return table.map(featurise, batched=True, batch_size=16, remove_columns=table.column_names, desc=desc)


class WindowCollator:
    """Pads windows to the longest in the batch (labels with ``IGNORE``)."""

    def __init__(self, pad_token_id: int, n_layers: int) -> None:
        self.pad = pad_token_id
        self.n_layers = n_layers

    def __call__(self, rows: list[dict]) -> dict:
        import torch

        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        labels = torch.full((len(rows), width, self.n_layers), IGNORE, dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n] = torch.as_tensor(r["input_ids"])
            mask[i, :n] = torch.as_tensor(r["attention_mask"])
            labels[i, :n] = torch.as_tensor(r["labels"])
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def _attributions(quotes) -> list[Attribution]:
    return [Attribution(Span(q.start, q.end),
                        Span(q.speaker_start, q.speaker_end) if q.speaker_start is not None else None,
                        Span(q.cue_start, q.cue_end) if q.cue_start is not None else None,
                        q.kind)
            for q in quotes]


def evaluate_tagger(model_dir: str | Path, gold_dir: str | Path, window: int, stride: int,
                    max_docs: int | None = None, batch_size: int = 32, progress: bool = True,
                    thresholds: Sequence[float] = ()) -> dict:
    """Score a saved tagger on PolNeAR-style gold with :func:`pipeline.eval.quotes.score`.

    The model runs once; each of ``thresholds`` (minimum content span probability) is scored
    under ``by_threshold``.  The top-level ``summary`` uses the checkpoint's own threshold.
    """
    gold = _documents(gold_dir, max_docs)
    tagger = QuoteTagger.from_pretrained(str(model_dir), window=window, stride=stride,
                                         batch_size=batch_size, progress=progress)
    texts = [text for text, _ in gold.values()]
    began = time.perf_counter()
    spans = tagger.predict_spans(texts)
    seconds = time.perf_counter() - began

    def scored(threshold: float | None) -> dict:
        pred = {doc_id: _attributions(tagger.quotes_from_spans(text, doc_spans, threshold))
                for doc_id, text, doc_spans in zip(gold, texts, spans)}
        return score(gold, pred)

    result = {"summary": scored(None), "min_content_score": tagger.min_content_score,
              "documents": len(gold), "inference_seconds": seconds}
    result["by_threshold"] = {str(t): {"summary": scored(t)} for t in thresholds}
    return result


def choose_threshold(model_dir: str | Path, by_threshold: Mapping[str, dict]) -> float:
    """Store the threshold with the best dev content exact F1 in the checkpoint's config."""
    best = max(by_threshold, key=lambda t: (by_threshold[t]["summary"]["exact"]["content"]["f1"], -float(t)))
    config = AutoConfig.from_pretrained(str(model_dir))
    setattr(config, MIN_SCORE_KEY, float(best))
    config.save_pretrained(str(model_dir))
    return float(best)


def _headline(metrics: dict) -> dict:
    s = metrics["summary"]
    return {
        "content_exact_f1": s["exact"]["content"]["f1"],
        "content_overlap_f1": s["overlap"]["content"]["f1"],
        "source_exact_f1": s["exact"]["source"]["f1"],
        "cue_exact_f1": s["exact"]["cue"]["f1"],
        "pair_exact_f1": s["exact"]["pair"]["f1"],
        "pair_overlap_f1": s["overlap"]["pair"]["f1"],
        "direct_content_exact_f1": s["exact"]["content_by_kind"]["direct"]["f1"],
        "n_content_pred": s["exact"]["content"]["n_pred"],
        "n_content_gold": s["exact"]["content"]["n_gold"],
    }


def _model_card(model_dir: Path, config: dict, metrics: dict) -> None:
    head = metrics["dev"]["headline"]
    made = ("The weight average of the checkpoints below (`scripts/average_taggers.py`)" if "averaged" in config
            else "Trained by `scripts/train_quotes.py` on PolNeAR train")
    lines = ["# Quote tagger (SOURCE / CUE / CONTENT, two label layers)", "",
             f"{made}; scored on PolNeAR dev with",
             "`pipeline.eval.quotes.score` through the inference path (windows, merging, linking).", "",
             "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in head.items()]
    lines += ["", f"Content spans below probability {metrics['dev']['min_content_score']} are dropped "
              "(the threshold with the best dev content exact F1 among those tried):", "",
              "| threshold | content exact F1 | pair overlap F1 | contents predicted |", "|---|---|---|---|"]
    for t, entry in metrics["dev"]["by_threshold"].items():
        h = entry["headline"]
        lines.append(f"| {t} | {h['content_exact_f1']:.4f} | {h['pair_overlap_f1']:.4f} | {h['n_content_pred']} |")
    lines += ["", "## Training config", "", "```json", json.dumps(config, indent=2, default=str), "```", ""]
    (model_dir / "README.md").write_text("\n".join(lines))


def train_tagger(
    train_dir: str | Path,
    dev_dir: str | Path,
    model_name_or_path: str,
    output_dir: str | Path,
    training_args: Mapping[str, Any],
    window: int = 256,
    stride: int = 128,
    seed: int = 42,
    max_train_docs: int | None = None,
    max_dev_docs: int | None = None,
    eval_batch_size: int = 32,
    progress: bool = True,
    model: Any = None,
    make_trainer: Callable[..., Trainer] | None = None,
    card_extra: Mapping[str, Any] | None = None,
) -> dict:
    """Train, save an fp16 checkpoint to ``output_dir/model``, score dev, write ``metrics.json``.

    ``model``: a tagger already built (its tokenizer is ``model_name_or_path``'s), instead of
    one built from ``model_name_or_path``; ``make_trainer``: builds the Trainer from the
    keyword arguments this function prepares (default: a ``Trainer`` with
    :class:`LayeredTokenLoss`); ``card_extra``: more keys for the model card's config.  Research
    variants (``tools/distill_tagger.py``) use these three; the shipped recipe uses none.
    """
    output_dir = Path(output_dir)
    set_seed(seed)
    layers = label_layers()
    base = resolve_model_path(model_name_or_path)
    if model is None:
        model = build_tagger_model(base, layers)
    tokenizer = AutoTokenizer.from_pretrained(base)

    train_gold = _documents(train_dir, max_train_docs)
    train_set = window_dataset(train_gold, tokenizer, window, stride, layers, "window train articles")
    log.info("%d train articles -> %d windows of %d tokens (stride %d)", len(train_gold), len(train_set),
             window, stride)

    args = TrainingArguments(output_dir=str(output_dir / "trainer"), seed=seed, **dict(training_args))
    common = dict(model=model, args=args, train_dataset=train_set,
                  data_collator=WindowCollator(tokenizer.pad_token_id or 0, len(layers)), processing_class=tokenizer)
    if make_trainer is not None:
        trainer = make_trainer(**common)
    else:
        trainer = Trainer(**common, compute_loss_func=LayeredTokenLoss(layers))
    train_result = trainer.train()
    trainer.save_metrics("train", train_result.metrics)
    if not trainer.is_world_process_zero():  # accelerate launch / torchrun: rank 0 saves and scores
        return {"train": train_result.metrics}
    model_dir = save_fp16(trainer.model, tokenizer, output_dir / "model")
    metrics: dict[str, Any] = {
        "train": train_result.metrics,
        "train_articles": len(train_gold),
        "train_windows": len(train_set),
        "window": window,
        "stride": stride,
        "dev": score_on_dev(model_dir, dev_dir, window, stride, max_dev_docs, eval_batch_size, progress),
    }
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    card = {"model": model_name_or_path, "window": window, "stride": stride,
            "seed": seed, "train_dir": str(train_dir), "max_train_docs": max_train_docs,
            "training_args": dict(training_args), **dict(card_extra or {})}
    _model_card(model_dir, card, metrics)
    return metrics


def score_on_dev(model_dir: Path, dev_dir: str | Path, window: int, stride: int, max_dev_docs: int | None,
                 eval_batch_size: int, progress: bool) -> dict:
    """One pass over dev: pick the content-probability threshold, store it in the checkpoint,
    report its scores (and every threshold's, so the choice is visible)."""
    dev = evaluate_tagger(model_dir, dev_dir, window, stride, max_dev_docs, eval_batch_size, progress,
                          thresholds=THRESHOLDS)
    chosen = choose_threshold(model_dir, dev["by_threshold"])
    dev["summary"] = dev["by_threshold"][str(chosen)]["summary"]
    dev["min_content_score"] = chosen
    for entry in dev["by_threshold"].values():
        entry["headline"] = _headline(entry)
    dev["headline"] = _headline(dev)
    for key, value in dev["headline"].items():
        log.info("dev %-24s %s", key, f"{value:.4f}" if isinstance(value, float) else value)
    return dev


def average_taggers(model_dirs: Sequence[str | Path], output_dir: str | Path, dev_dir: str | Path,
                    window: int = 256, stride: int = 128, max_dev_docs: int | None = None,
                    eval_batch_size: int = 32, progress: bool = True) -> dict:
    """Average the weights of taggers fine-tuned from the same base and head initialisation
    (a uniform "model soup": same seed, other data order or schedule), save the average as an
    fp16 checkpoint in ``output_dir/model`` and score it on dev like a trained one.

    Inference costs what one model costs; averaging only works for models that stayed in one
    basin, which the dev scores show.
    """
    if len(model_dirs) < 2:
        raise ValueError(f"model_dirs needs two or more tagger checkpoints, got {list(model_dirs)}")
    output_dir = Path(output_dir)
    models = [load_tagger_model(str(d), dtype="float32") for d in model_dirs]
    layers = [tagger_layers(m) for m in models]
    if any(layer != layers[0] for layer in layers):
        raise ValueError(f"model_dirs have different label layers: {layers}")
    states = [m.state_dict() for m in models]
    averaged = {name: (sum(state[name] for state in states) / len(states)) if value.is_floating_point() else value
                for name, value in states[0].items()}
    models[0].load_state_dict(averaged)
    model_dir = save_fp16(models[0], AutoTokenizer.from_pretrained(str(model_dirs[0])), output_dir / "model")
    metrics = {"averaged": [str(d) for d in model_dirs], "window": window, "stride": stride,
               "dev": score_on_dev(model_dir, dev_dir, window, stride, max_dev_docs, eval_batch_size, progress)}
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    _model_card(model_dir, {"averaged": metrics["averaged"], "window": window, "stride": stride}, metrics)
    return metrics
