"""runner=ray on a local Ray instance gives the local runner's tables, row for row."""

from __future__ import annotations

import json

import pytest
from datasets import load_from_disk

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
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
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
    assert not (tmp_path / "ray" / "ray_shards").exists()


def test_ray_runner_handles_an_input_without_documents(tmp_path, tiny_stance_model):
    source = tmp_path / "none.jsonl"
    source.write_text("", encoding="utf-8")
    quotes, documents, manifest = _run(tmp_path, "ray", source, tiny_stance_model, "runner=ray")
    assert len(quotes) == 0 and len(documents) == 0 and manifest["counts"]["documents"] == 0
