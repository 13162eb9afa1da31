"""Choose ``segmenter.min_unattributed_score`` on PolNeAR dev: the probability a content with
neither a cue nor a source needs to be kept.

    python tools/sweep_unattributed.py [gold=../shared/data/quotes/polnear/dev] [out=DIR] [OVERRIDE ...]

The default pipeline's tagger (``OVERRIDE``s as for ``scripts/infer.py``, e.g.
``segmenter.dtype=float32``) tags every dev article once; then, for each threshold of the grid,
the contents are linked and filtered, attributed and resolved by the pipeline's own stages and
scored with :func:`pipeline.eval.quotes.score` (what ``scripts/evaluate.py task=quotes``
reports).  Prints content exact / overlap P, R, F1 per threshold and how many contents had
neither cue nor source; writes ``out/sweep.json``.  Re-run ``scripts/infer.py`` with the
chosen value before reporting it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pipeline.api import compose_infer_config
from pipeline.run.components import build_stages, component_configs
from pipeline.eval.quotes import score
from pipeline.quotes.polnear import Attribution, Span, read_gold

GRID = (0.0, 0.8, 0.85, 0.9, 0.925, 0.95, 0.97, 0.98, 0.99, 1.01)


def _attributions(quotes) -> list[Attribution]:
    return [Attribution(Span(q.start, q.end),
                        Span(q.speaker_start, q.speaker_end) if q.speaker_start is not None else None,
                        Span(q.cue_start, q.cue_end) if q.cue_start is not None else None, q.kind)
            for q in quotes]


def main(argv: list[str]) -> None:
    args = dict(a.split("=", 1) for a in argv if a.split("=", 1)[0] in ("gold", "out"))
    overrides = [a for a in argv if a.split("=", 1)[0] not in ("gold", "out")]
    gold = read_gold(args.get("gold", "../shared/data/quotes/polnear/dev"))
    out = Path(args.get("out", "outputs/sweep_unattributed"))
    config = compose_infer_config(["~stance", "progress=false", *overrides])
    stages = build_stages(component_configs(config))
    tagger = stages.find_quotes
    texts = [text for text, _ in gold.values()]
    began = time.perf_counter()
    spans = tagger.predict_spans(texts)
    print(f"tagged {len(texts)} documents in {time.perf_counter() - began:.0f} s", file=sys.stderr)

    rows = []
    for threshold in GRID:
        pred, unattributed = {}, 0
        for doc_id, text, doc_spans in zip(gold, texts, spans):
            kept = tagger.quotes_from_spans(text, doc_spans, min_unattributed_score=0.0)
            unattributed += sum(q.cue_start is None and q.speaker_start is None for q in kept)
            quotes = tagger.quotes_from_spans(text, doc_spans, min_unattributed_score=threshold)
            quotes = stages.resolve(text, stages.attribute(text, quotes))
            pred[doc_id] = _attributions(quotes)
        summary = score(gold, pred)
        rows.append({"min_unattributed_score": threshold, "unattributed_contents": unattributed, "summary": summary})
        e, o = summary["exact"]["content"], summary["overlap"]["content"]
        print(f"{threshold:5.3f}  content exact P {e['precision']:.4f} R {e['recall']:.4f} F1 {e['f1']:.4f}"
              f"  overlap P {o['precision']:.4f} R {o['recall']:.4f} F1 {o['f1']:.4f}  n_pred {e['n_pred']}"
              f"  pair exact F1 {summary['exact']['pair']['f1']:.4f}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "sweep.json").write_text(json.dumps({"unattributed_contents_at_0": rows[0]["unattributed_contents"],
                                                "rows": rows}, indent=2))
    print(f"written to {out / 'sweep.json'}")


if __name__ == "__main__":
    main(sys.argv[1:])
