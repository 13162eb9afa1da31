"""One document a stage fails on becomes that document's error row; the rest of the run goes on.

Fault injection (``tests/faults.py``) for each stage in the local runner; the Ray runner's
test (``test_ray_runner.py``) uses the same documents and checks.
"""

from __future__ import annotations

import json

from faults import ATTRIBUTE_FAULT, SEGMENT_FAULT, STANCE_FAULT, FaultyStance
from pipeline.run.local_runner import run_pipeline
from pipeline.run.stages import Stages

# Shards of two: the stance failure shares its shard (and its stance batch) with a good document.
DOCS = [
    {"id": "ok1", "text": "“We will win,” Mayor Ana Lopez said on Monday."},
    {"id": "seg", "text": f"{SEGMENT_FAULT} “Never,” Tom Reed said."},
    {"id": "stance", "text": f"“The {STANCE_FAULT} plan is bad,” Mei Tan said."},
    {"id": "ok2", "text": "“Class sizes are too big,” Principal Jo Kim said."},
    {"id": "attr", "text": f"“{ATTRIBUTE_FAULT} happens,” Ed Park said."},
    {"id": "empty", "text": ""},
]
EXPECTED_STATUS = {"ok1": ("ok", None), "ok2": ("ok", None), "empty": ("error", "text is empty"),
                   "seg": ("error", "segment failed: RuntimeError: segmenter exploded"),
                   "attr": ("error", "attribute failed: KeyError: 'attributor exploded'"),
                   "stance": ("error", "stance failed: ValueError: stance model exploded")}


def _corpus(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(doc) + "\n" for doc in DOCS), encoding="utf-8")
    return path


def _check(tables):
    documents, quotes = tables["documents"], tables["quotes"]
    assert documents["doc_id"] == [doc["id"] for doc in DOCS]  # every record, in input order
    assert {row["doc_id"]: (row["status"], row["error"]) for row in documents} == EXPECTED_STATUS
    assert sorted(set(quotes["doc_id"])) == ["ok1", "ok2"]
    assert all(q["stances"] == [{"target": "the plan", "label": "neutral", "score": 0.5, "gated": False}] for q in quotes)
    n_quotes = dict(zip(documents["doc_id"], documents["n_quotes"]))
    assert n_quotes["seg"] == n_quotes["attr"] == n_quotes["stance"] == 0


def _faulty_stages(segmenter=None):
    from faults import faulty_attribute, faulty_find_quotes
    from pipeline.quotes.speakers import resolve_speakers

    return Stages(segmenter or faulty_find_quotes, faulty_attribute, resolve_speakers, FaultyStance,
                  targets=["the plan"])


def test_local_runner_turns_each_stages_failure_into_that_documents_error_row(tmp_path):
    tables = run_pipeline(_corpus(tmp_path), tmp_path / "out", _faulty_stages(), shard_size=2)
    _check(tables)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    counts = {k: manifest["counts"][k] for k in ("documents", "documents_ok", "documents_error", "quotes")}
    assert counts == {"documents": 6, "documents_ok": 2, "documents_error": 4, "quotes": 2}


def test_a_segmenter_span_outside_the_text_is_an_error_row_not_a_wrong_quote(tmp_path):
    from faults import out_of_range_find_quotes

    tables = run_pipeline(_corpus(tmp_path), tmp_path / "out", _faulty_stages(out_of_range_find_quotes))
    seg = tables["documents"].filter(lambda row: row["doc_id"] == "seg")[0]
    assert seg["status"] == "error" and seg["error"].startswith("segment failed: ValueError: content span")
