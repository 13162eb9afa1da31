"""The demo's stance cases, with the shipped models: a quote's stance is about its target."""

from __future__ import annotations

import pytest

from conftest import ROOT

TARGETS = ["climate action", "steel tariffs", "bike lanes"]


@pytest.fixture(scope="module")
def demo_quotes(tmp_path_factory):
    from scripts_loader import compose_run_config, infer_script

    out = tmp_path_factory.mktemp("demo_cases")
    cfg = compose_run_config("infer", [f"input_path={ROOT / 'examples'}", f"output_dir={out}",
                                       f"targets=[{','.join(TARGETS)}]", "progress=false", "show=0"])
    infer_script.infer(cfg)
    from datasets import load_from_disk

    return load_from_disk(str(out / "quotes")).to_list()


def _labels(quotes, speaker, words):
    found = [q for q in quotes if q["speaker"] == speaker and words in q["text"]]
    assert found, f"no quote of {speaker} containing {words!r}"
    return {s["target"]: s["label"] for s in found[0]["stances"]}


# Measured with the shipped models/stance (sha256 6357b562…): Miller names the target only as
# "the plan"; the pipeline marks it as bike lanes (pipeline.quotes.references) and the model still
# says neutral (0.77). Strict, so the test says so when a model gets it right. See
# models/stance/README.md, Known weaknesses.
NOT_YET = pytest.mark.xfail(strict=True, reason="'the plan' is marked as the target; the shipped model says neutral")


@pytest.mark.slow
def test_hale_argues_against_climate_action(demo_quotes):
    # "climate policy" names the target "climate action" by its topic stem (features.news_alias)
    assert _labels(demo_quotes, "Richard Hale", "left to markets")["climate action"] == "against"


@pytest.mark.slow
def test_miller_is_neutral_toward_steel_tariffs(demo_quotes):
    assert _labels(demo_quotes, "Frank Miller", "costly mistake")["steel tariffs"] == "neutral"


@pytest.mark.slow
@NOT_YET
def test_miller_is_against_bike_lanes(demo_quotes):
    assert _labels(demo_quotes, "Frank Miller", "costly mistake")["bike lanes"] == "against"
