"""The demo's stance cases, with the shipped models: a quote's stance is about its target.

Each case asserts what holds with a margin (:data:`MARGIN`) on any CPU, in fp32 or bf16, on
the model's full probabilities, or that the relevance gate answered the pair without the model
when that is the point.  Where the demo's label is within a few points of another label
(Okafor: favor 0.51 against neutral; Hale: against 0.43 against favor 0.36), that label is a
coin flip between machines and is not asserted.
"""

from __future__ import annotations

import pytest

from conftest import ROOT

TARGETS = ["climate action", "steel tariffs", "bike lanes"]
#: A polar label must beat the opposite polar label by at least this much probability.
MARGIN = 0.25


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """The demo's quotes, and every (target, clause) pair the stance stage sent to the classifier
    with its full probabilities, recorded around :meth:`StanceClassifier.predict`."""
    from datasets import load_from_disk

    from pipeline.stance.classifier import StanceClassifier
    from scripts_loader import compose_run_config, infer_script

    out = tmp_path_factory.mktemp("demo_cases")
    cfg = compose_run_config("infer", [f"input_path={ROOT / 'examples'}", f"output_dir={out}",
                                       f"targets=[{','.join(TARGETS)}]", "progress=false", "show=0"])
    seen, predict = [], StanceClassifier.predict

    def recording(self, targets, texts, *args, **kwargs):
        predictions = predict(self, targets, texts, *args, **kwargs)
        gated = self._gated_probs() if self.gate is not None else None
        seen.extend((t, x, p, gated) for t, x, p in zip(targets, texts, predictions))
        return predictions

    StanceClassifier.predict = recording
    try:
        infer_script.infer(cfg)
    finally:
        StanceClassifier.predict = predict
    return load_from_disk(str(out / "quotes")).to_list(), seen


def _labels(quotes, speaker, words):
    found = [q for q in quotes if q["speaker"] == speaker and words in q["text"]]
    assert found, f"no quote of {speaker} containing {words!r}"
    return {s["target"]: s["label"] for s in found[0]["stances"]}


def _prediction(seen, words, target):
    """``(prediction, the gate's constant probabilities)`` of the pair whose clause holds ``words``."""
    found = [(p, gated) for t, text, p, gated in seen if t == target and words in text]
    assert len(found) == 1, f"{len(found)} clauses with {words!r} toward {target!r}"
    return found[0]


# Measured with the shipped models/stance (sha256 6357b562…): Miller names the target only as
# "the plan"; the pipeline marks it as bike lanes (pipeline.quotes.references) and the model still
# says neutral (0.77). Strict, so the test says so when a model gets it right. See
# models/stance/README.md, Known weaknesses.
NOT_YET = pytest.mark.xfail(strict=True, reason="'the plan' is marked as the target; the shipped model says neutral")


@pytest.mark.slow
def test_hale_takes_a_side_on_climate_action(demo_run):
    # "climate policy" names the target "climate action" by its topic stem (features.news_alias),
    # so the model reads the pair and gives it a side. Which side is close: against 0.43, favor
    # 0.36 with the shipped model here in bf16 and in fp32 (the demo prints against), so the side is not asserted.
    quotes, seen = demo_run
    prediction, gated = _prediction(seen, "left to markets", "climate action")
    probs = prediction.probs
    assert list(probs.values()) != pytest.approx(list(gated), abs=1e-6)  # the model answered, not the gate
    assert probs["against"] + probs["favor"] >= probs["neutral"] + MARGIN, probs
    assert _labels(quotes, "Richard Hale", "left to markets")["climate action"] != "neutral"


@pytest.mark.slow
def test_okafor_is_for_climate_action_not_against_it(demo_run):
    # favor 0.51, neutral 0.39, against 0.10 here, bf16 and fp32 alike: favor or neutral may differ between CPUs
    quotes, seen = demo_run
    probs = _prediction(seen, "Climate action creates jobs", "climate action")[0].probs
    assert probs["favor"] >= probs["against"] + MARGIN, probs
    assert _labels(quotes, "Amara Okafor", "Climate action creates jobs")["climate action"] != "against"


@pytest.mark.slow
def test_miller_is_neutral_toward_steel_tariffs(demo_run):
    # The model answers this pair (the clause sits within the gate's threshold of the target):
    # neutral 0.96 in bf16 and fp32, far from either side.
    quotes, seen = demo_run
    probs = _prediction(seen, "costly mistake", "steel tariffs")[0].probs
    assert probs["neutral"] >= max(probs["favor"], probs["against"]) + MARGIN, probs
    assert _labels(quotes, "Frank Miller", "costly mistake")["steel tariffs"] == "neutral"


@pytest.mark.slow
def test_the_gate_answers_a_pair_its_clause_is_far_from(demo_run):
    # Delgado's "the lanes would cut traffic injuries" says nothing of steel tariffs;
    # that pair is never sent to the model: it gets the gate's constant probabilities.
    seen = demo_run[1]
    gated = [(p, g) for t, text, p, g in seen if g is not None
             and list(p.probs.values()) == pytest.approx(list(g), abs=1e-6)]
    assert gated, "the relevance gate answered no pair of the demo"
    prediction, constant = _prediction(seen, "traffic injuries", "steel tariffs")
    assert list(prediction.probs.values()) == pytest.approx(list(constant), abs=1e-6)
    assert prediction.label == "neutral"


@pytest.mark.slow
@NOT_YET
def test_miller_is_against_bike_lanes(demo_run):
    assert _labels(demo_run[0], "Frank Miller", "costly mistake")["bike lanes"] == "against"
