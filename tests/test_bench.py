"""The benchmark harness measures our pipeline in its own process (the peer is optional)."""

from __future__ import annotations

import pytest

from pipeline.bench import format_benchmark, run_benchmark


@pytest.mark.slow  # a fresh process per measured system; make test-all runs it
def test_benchmark_reports_rates_for_our_pipeline(tmp_path, tiny_stance_model):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("“We will win,” Mayor Ana Lopez said.\n\nShe said that the vote was close.", encoding="utf-8")
    (docs / "b.txt").write_text("No quotes here at all.", encoding="utf-8")
    components = {
        "segmenter": {"_target_": "pipeline.quotes.rules.segment.find_quotes", "_partial_": True},
        "attributor": {"link": {"_target_": "pipeline.quotes.rules.attribute.attribute_quotes", "_partial_": True},
                       "resolve": {"_target_": "pipeline.quotes.speakers.resolve_speakers", "_partial_": True}},
        "stance": {"_target_": "pipeline.stance.classifier.StanceClassifier.from_pretrained",
                   "name_or_path": str(tiny_stance_model), "progress": False},
    }
    components["stance"]["gate"] = {"encoder": str(tiny_stance_model), "threshold": 1.01, "neutral_score": 0.9}
    results = run_benchmark(str(docs), components, ["voting", "taxes"], runs=1, warmup=0, peer=False,
                            target_counts=[1, 2])
    assert results["input"] == {"dir": str(docs), "documents": 2, "words": 19}
    assert results["ours"]["quotes"] == 2 and results["ours"]["n_targets"] == 1
    assert results["ours_2_targets"]["n_targets"] == 2
    assert results["ours"]["docs_per_s"] > 0 and results["ours"]["peak_rss_mb"] > 50
    assert results["ours"]["pairs_gated"] == 1.0  # neither quote names a target; no cosine reaches 1.01
    assert "extra_target_s_per_doc" in results
    assert {"segment", "attribute", "stance"} <= set(results["ours"]["stage_s"])  # where the time goes
    assert sum(results["ours"]["stage_s"].values()) <= results["ours"]["seconds"]
    table = format_benchmark(results)
    assert "ours_2_targets" in table and "one more target" in table and "seconds by stage" in table
    assert not any(line.startswith("textacy") for line in table.splitlines())


def test_size_sweep_reports_seconds_per_100k_characters_for_each_size():
    from pipeline.bench import format_size_sweep, run_size_sweep

    components = {
        "segmenter": {"_target_": "pipeline.quotes.rules.segment.find_quotes", "_partial_": True},
        "attributor": {"link": {"_target_": "pipeline.quotes.rules.attribute.attribute_quotes", "_partial_": True},
                       "resolve": {"_target_": "pipeline.quotes.speakers.resolve_speakers", "_partial_": True}},
        "stance": None,
    }
    rows = run_size_sweep(components, sizes_kb=(1, 4))
    assert [r["kb"] for r in rows] == [1, 4] and rows[1]["chars"] > 3 * rows[0]["chars"]
    assert all(r["quotes"] > 0 and r["pipeline_quotes"] > 0 and r["pipeline_status"] == "ok" for r in rows)
    assert all(r["linking_s_per_100k_chars"] > 0 for r in rows)
    assert "s/100k" in format_size_sweep(rows)
