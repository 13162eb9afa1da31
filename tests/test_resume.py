"""A run killed with SIGKILL and started again finishes with every row exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from datasets import Dataset, load_from_disk

from conftest import ROOT
from pipeline.io.shards import PlanMismatch, ShardStore


def _write_corpus(path, n=60):
    lines = []
    for i in range(n):
        text = (f"Councillor Ana Ruiz{i} spoke on day {i}.\n\n"
                f"“Item {i} must pass,” Ruiz{i} said.\n\nShe said that the vote on item {i} was close.")
        lines.append(json.dumps({"id": f"doc{i:03d}", "text": text}))
    lines.insert(7, "{broken json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _infer(input_path, out, **popen):
    return subprocess.Popen(
        [sys.executable, "scripts/infer.py", f"input_path={input_path}", f"output_dir={out}", "~stance",
         "segmenter=rules", "attributor=rules", "shard_size=2", "progress=false", "show=0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def _rows(out):
    quotes = load_from_disk(str(out / "quotes")).to_pandas().drop(columns=["stances"])
    documents = load_from_disk(str(out / "documents")).to_pandas()
    return quotes.sort_values("quote_id").reset_index(drop=True), documents.sort_values("source").reset_index(drop=True)


@pytest.mark.slow  # three runs of the script in fresh processes, one killed part-way
def test_killed_run_resumes_without_redoing_or_duplicating(tmp_path):
    corpus = tmp_path / "in.jsonl"
    _write_corpus(corpus)
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    assert _infer(corpus, clean).wait(timeout=300) == 0

    run = _infer(corpus, resumed)
    shards = resumed / ".shards"
    deadline = time.time() + 240
    while time.time() < deadline and len(list(shards.glob("0*"))) < 4:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done_before = len(list(shards.glob("0*")))
    assert 4 <= done_before < 31, "the run should have been killed part-way"
    assert not (resumed / "quotes").exists()

    again = _infer(corpus, resumed)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err[-2000:]
    assert f"resuming: {done_before} of 31 shards already done" in out + err
    manifest = json.loads((resumed / "manifest.json").read_text())
    assert manifest["shards"] == {"size": 2, "count": 31, "resumed": done_before}
    assert not shards.exists()

    clean_quotes, clean_docs = _rows(clean)
    quotes, docs = _rows(resumed)
    assert len(docs) == 61 and docs["source"].is_unique
    assert quotes.equals(clean_quotes)
    assert docs.equals(clean_docs)
    assert quotes["quote_id"].is_unique


def test_resuming_with_other_input_is_refused(tmp_path):
    store = ShardStore(tmp_path, n_documents=4, shard_size=2, input_fingerprint="a", config_fingerprint="c")
    assert store.open() == [0, 1]
    store.save(0, {"quotes": Dataset.from_dict({"x": [1]}), "documents": Dataset.from_dict({"x": [1]})})
    assert ShardStore(tmp_path, 4, 2, "a", "c").open() == [1]
    with pytest.raises(PlanMismatch, match="different input"):
        ShardStore(tmp_path, 4, 2, "b", "c").open()


def test_a_shard_without_quotes_is_saved_loadable_and_merged(tmp_path):
    from pipeline.io.artifacts import build_tables
    from pipeline.run.stages import add_quotes
    from pipeline.io.documents import load_documents

    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "quiet", "text": "No one was quoted here."}\n'
                      '{"id": "loud", "text": "“Yes,” she said."}\n', encoding="utf-8")
    from pipeline.quotes.rules.segment import find_quotes

    documents = add_quotes(load_documents(source), find_quotes)
    store = ShardStore(tmp_path / "out", n_documents=2, shard_size=1, input_fingerprint="a", config_fingerprint="c")
    assert store.open() == [0, 1]
    for index in (0, 1):
        store.save(index, build_tables(documents.select(store.rows(index))))
    merged = store.merged()
    assert merged["documents"]["doc_id"] == ["quiet", "loud"]
    assert merged["quotes"]["doc_id"] == ["loud"]


# What a resume must match (issue 12): the input records, the config that decides the output,
# and the checkpoints' bytes; settings that only change the display must not matter.

class _Killed(Exception):
    """Stands in for a kill after some shards are on disk."""


def _stages(kill_after: int | None = None):
    from faults import FaultyStance
    from pipeline.quotes.rules.attribute import attribute_quotes
    from pipeline.quotes.speakers import resolve_speakers
    from pipeline.quotes.rules.segment import find_quotes
    from pipeline.run.stages import Stages

    class Stoppable(Stages):
        done = 0

        def process(self, shard, timed=None):
            if kill_after is not None and self.done == kill_after:
                raise _Killed
            self.done += 1
            return super().process(shard)

    return Stoppable(find_quotes, attribute_quotes, resolve_speakers, FaultyStance)


def _write_records(path, **changes):
    records = [{"id": f"d{i}", "text": f"“Item {i} must pass,” Ana Ruiz said.", "targets": ["item"],
                "outlet": "Daily"} for i in range(4)]
    records[3].update(changes)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.mark.parametrize("change", [{"targets": ["another target"]}, {"outlet": "Weekly"}],
                         ids=["targets", "meta"])
def test_resume_is_refused_when_a_records_targets_or_meta_changed(tmp_path, change):
    from pipeline.run.local_runner import run_pipeline

    corpus, out = tmp_path / "in.jsonl", tmp_path / "out"
    _write_records(corpus)
    with pytest.raises(_Killed):
        run_pipeline(corpus, out, _stages(kill_after=1), shard_size=2, resume_key="k")
    _write_records(corpus, **change)
    with pytest.raises(PlanMismatch, match="different input"):
        run_pipeline(corpus, out, _stages(), shard_size=2, resume_key="k")
    _write_records(corpus)  # the original input resumes
    run_pipeline(corpus, out, _stages(), shard_size=2, resume_key="k")
    assert json.loads((out / "manifest.json").read_text())["shards"]["resumed"] == 1


def _resume_key(*overrides):
    from scripts_loader import compose_run_config, infer_script

    cfg = compose_run_config("infer", ["input_path=in.jsonl", "output_dir=out", *overrides])
    return infer_script.resume_key(cfg)


def test_display_only_settings_do_not_refuse_a_resume_but_output_settings_do(tiny_stance_model):
    stance = f"stance.name_or_path={tiny_stance_model}"
    key = _resume_key(stance, "targets=[a]")
    assert _resume_key(stance, "targets=[a]", "progress=false", "show=0", "export=[jsonl]") == key
    assert _resume_key(stance, "targets=[b]") != key
    assert _resume_key(stance, "targets=[a]", "segmenter.stride=64") != key


def test_resume_is_refused_when_a_checkpoint_was_swapped_at_the_same_path(tmp_path, tiny_stance_model):
    import shutil

    model = tmp_path / "stance"
    shutil.copytree(tiny_stance_model, model)
    key = _resume_key(f"stance.name_or_path={model}")
    weights = model / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1  # one bit of one weight
    weights.write_bytes(bytes(data))
    assert _resume_key(f"stance.name_or_path={model}") != key
