"""CPU seconds of the segment stage, each configuration in its own fresh process, paired runs.

    python tools/time_segment.py --runs 5 --input ../shared/data/quotes/polnear/dev/text \
        -c "segmenter=tagger" -c "segmenter=tagger_fast" -c "segmenter.name_or_path=STUDENT/model"

Each ``-c`` is one configuration: the ``scripts/infer.py`` overrides that differ (``~stance``
and ``progress=false`` are added).  In every run each configuration gets a fresh process that
loads its models, then times the segment stage (:meth:`pipeline.run.stages.Stages.process`)
over every ``.txt`` in ``--input``: process CPU seconds (user + system, all threads) and wall
seconds.  The order of the configurations flips from run to run, so load from other jobs falls
on all of them alike.  Prints the median CPU and wall seconds of each and the speed-up against
the first: the ratio of median CPU, and the median of the per-run ratios.  ``--out`` also
writes every run as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(input_dir: str, overrides: list[str]) -> dict:
    from pipeline import Pipeline

    nlp = Pipeline.from_pretrained(overrides=[*overrides, "~stance", "progress=false"])
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(Path(input_dir).glob("*.txt"))]
    documents = nlp._documents(records, 0, {})
    seconds: dict[str, tuple[float, float]] = {}

    def timed(name, work):
        cpu, wall = _cpu(), time.perf_counter()
        result = work()
        seconds[name] = (_cpu() - cpu, time.perf_counter() - wall)
        return result

    shard = nlp.process(documents, timed=timed)
    return {"cpu": seconds["segment"][0], "wall": seconds["segment"][1], "documents": len(records),
            "quotes": sum(len(q) for q in shard["quotes"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default="../shared/data/quotes/polnear/dev/text")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-c", "--config", action="append", dest="configs", default=[],
                        help="space-separated infer overrides of one configuration (repeat the flag)")
    parser.add_argument("--out", help="write every run here as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("overrides", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.input, args.overrides)), flush=True)
        return
    if not args.configs:
        parser.error("give at least one -c configuration")
    runs: dict[str, list[dict]] = {c: [] for c in args.configs}
    for r in range(args.runs):
        for config in (args.configs if r % 2 == 0 else args.configs[::-1]):
            done = subprocess.run([sys.executable, __file__, "--child", "--input", args.input, "--", *config.split()],
                                  capture_output=True, text=True)
            line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
            if done.returncode or not line:
                sys.exit(f"{config!r} failed:\n{done.stderr[-3000:]}")
            runs[config].append(json.loads(line[-1][7:]))
            print(f"run {r + 1} {config}: {runs[config][-1]}", flush=True)
    base = args.configs[0]
    print(f"\n| configuration | segment CPU s (median of {args.runs}) | wall s | quotes | "
          "speed-up (CPU medians) | median of paired ratios |\n|---|---|---|---|---|---|")
    for config in args.configs:
        cpu = statistics.median(x["cpu"] for x in runs[config])
        wall = statistics.median(x["wall"] for x in runs[config])
        paired = statistics.median(b["cpu"] / x["cpu"] for b, x in zip(runs[base], runs[config]))
        base_cpu = statistics.median(x["cpu"] for x in runs[base])
        print(f"| {config} | {cpu:.1f} | {wall:.1f} | {runs[config][0]['quotes']} | {base_cpu / cpu:.2f}x | {paired:.2f}x |")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
