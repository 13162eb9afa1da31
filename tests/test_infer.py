"""The inference script end to end: documents in, quotes/documents/manifest out."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from datasets import load_from_disk

from conftest import ROOT
from scripts_loader import compose_run_config, infer_script

DOC = (
    "Mayor Ana Lopez defended the new bus lanes on Monday.\n\n"
    "“The lanes will cut commutes for thousands of people,” Lopez said.\n\n"
    "Councillor Tom Reed disagreed. He said that the plan would hurt small shops."
)


def run_infer(tmp_path, input_path, model_dir, *overrides):
    cfg = compose_run_config("infer", [
        f"input_path={input_path}", f"output_dir={tmp_path / 'out'}",
        f"stance.name_or_path={model_dir}", "progress=false", "segmenter=rules", "attributor=rules", *overrides])
    return infer_script.infer(cfg)


def test_quotes_have_exact_offsets_speakers_and_one_stance_per_target(tmp_path, tiny_stance_model):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "buses.txt").write_text(DOC, encoding="utf-8")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    run_infer(tmp_path, docs, tiny_stance_model, "targets=[the new bus lanes,taxes]", "export=[parquet]")
    out = tmp_path / "out"
    quotes, documents = load_from_disk(str(out / "quotes")), load_from_disk(str(out / "documents"))

    assert {r["doc_id"]: r["status"] for r in documents} == {"buses": "ok", "empty": "error"}
    assert documents.filter(lambda r: r["doc_id"] == "empty")[0]["error"] == "text is empty"
    assert len(quotes) >= 2
    for quote in quotes:
        assert DOC[quote["start"]:quote["end"]] == quote["text"]
        assert [s["target"] for s in quote["stances"]] == ["the new bus lanes", "taxes"]
        assert all(s["label"] in {"favor", "against", "neutral"} and 0 <= s["score"] <= 1 for s in quote["stances"])
        if quote["speaker_start"] is not None:
            assert DOC[quote["speaker_start"]:quote["speaker_end"]] == quote["speaker_mention"]
    direct = [q for q in quotes if q["text"] == "The lanes will cut commutes for thousands of people,"
              or q["text"].startswith("The lanes will cut commutes")]
    assert direct and direct[0]["kind"] == "direct" and direct[0]["speaker"] == "Ana Lopez"
    assert direct[0]["cue"] == "said"
    indirect = [q for q in quotes if "hurt small shops" in q["text"]]
    assert indirect and indirect[0]["kind"] == "indirect" and indirect[0]["speaker"] == "Tom Reed"
    assert documents.filter(lambda r: r["doc_id"] == "buses")[0]["n_quotes"] == len(quotes)

    manifest = json.loads((out / "manifest.json").read_text())
    speakers = {q["speaker_id"] for q in quotes if q["speaker_id"]}
    assert manifest["counts"] == {"documents": 2, "documents_ok": 1, "documents_error": 1, "quotes": len(quotes),
                                  "speakers": len(speakers)}
    assert manifest["models"]["stance"]["sha256"]
    assert manifest["config"]["targets"] == ["the new bus lanes", "taxes"]
    assert {"load", "segment", "attribute", "stance"} <= set(manifest["timings_s"])
    assert (out / "quotes.parquet").exists()


def test_bad_jsonl_records_each_appear_once_and_the_run_finishes(tmp_path, tiny_stance_model):
    html = "<p>“Prices will fall,” <b>Minister Omar Diaz</b> said.</p>"
    lines = [
        json.dumps({"id": "ok", "text": DOC, "targets": ["taxes"]}),
        json.dumps({"id": "html", "text": html}),
        json.dumps({"id": "unbalanced", "text": "“We never agreed, the clerk said. Then she left."}),
        "not json at all",
        json.dumps({"id": "ok", "text": "duplicate"}),
        json.dumps({"text": 3}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = run_infer(tmp_path, path, tiny_stance_model)
    documents = tables["documents"]
    assert len(documents) == 6
    assert documents["status"] == ["ok", "ok", "ok", "error", "error", "error"]
    # Only the ok document with a target gets stances; others have none.
    for quote in tables["quotes"]:
        assert (quote["doc_id"] == "ok") == bool(quote["stances"])


@pytest.mark.slow
def test_a_two_megabyte_document_is_read_whole_and_gives_every_quote(tmp_path, tiny_stance_model):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "The council met. “Budgets matter,” Reed said. " * 45000}) + "\n",
                    encoding="utf-8")
    tables = run_infer(tmp_path, path, tiny_stance_model)
    assert tables["documents"]["status"] == ["ok"] and len(tables["documents"][0]["text"]) > 2_000_000
    assert len(tables["quotes"]) == 45000 and set(tables["quotes"]["text"]) == {"Budgets matter,"}


def _cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "infer.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("path,message", [
    ("does/not/exist.jsonl", "input_path 'does/not/exist.jsonl' does not exist"),
    ("pyproject.toml", "unknown format '.toml'"),
])
def test_unusable_input_fails_at_start_with_one_line(tmp_path, path, message):
    result = _cli(f"input_path={path}", f"output_dir={tmp_path / 'out'}", "~stance", "segmenter=rules",
                  "attributor=rules")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"error: {message}" or message in result.stderr
    assert not (tmp_path / "out" / "quotes").exists()


def test_an_input_file_without_records_gives_empty_tables_not_an_error(tmp_path, tiny_stance_model):
    source = tmp_path / "none.jsonl"
    source.write_text("", encoding="utf-8")
    tables = run_infer(tmp_path, source, tiny_stance_model, "targets=[taxes]")
    assert len(tables["quotes"]) == 0 and len(tables["documents"]) == 0
    assert "stances" in tables["quotes"].column_names


def test_saved_quotes_relabel_stances_without_retagging(tmp_path, tiny_stance_model):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "buses.txt").write_text(DOC, encoding="utf-8")
    run_infer(tmp_path / "first", docs, tiny_stance_model, "targets=[taxes]")
    first = load_from_disk(str(tmp_path / "first" / "out" / "quotes"))
    (docs / "new.txt").write_text("“Fares must fall,” Tom Reed said.", encoding="utf-8")
    (docs / "buses.txt").rename(docs / "renamed.txt")  # matched by text, not by id
    cfg = compose_run_config("infer", [
        f"input_path={docs}", f"output_dir={tmp_path / 'second'}", f"stance.name_or_path={tiny_stance_model}",
        "progress=false", "segmenter=saved", f"segmenter.predictions={tmp_path / 'first' / 'out'}",
        "targets=[the new bus lanes]"])
    infer_script.infer(cfg)
    second = load_from_disk(str(tmp_path / "second" / "quotes"))
    spans = ("start", "end", "kind", "cue_start", "speaker_start", "speaker")
    assert len(first) >= 2
    assert [[q[k] for k in spans] for q in second] == [[q[k] for k in spans] for q in first]
    assert set(second["doc_id"]) == {"renamed"}  # a text the first run did not see has no quotes
    assert [s["target"] for q in second for s in q["stances"]] == ["the new bus lanes"] * len(second)


def test_saved_quotes_need_an_existing_run(tmp_path):
    from pipeline.quotes.saved import SavedQuotes

    with pytest.raises(FileNotFoundError, match="segmenter.predictions"):
        SavedQuotes.from_predictions(str(tmp_path / "nothing"))


def test_targets_file_adds_targets_with_aliases_to_the_configured_ones(tmp_path, tiny_stance_model):
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    targets = tmp_path / "targets.jsonl"
    targets.write_text('{"name": "bus lane plan", "aliases": ["the plan"]}\n', encoding="utf-8")
    run_infer(tmp_path, tmp_path / "doc.txt", tiny_stance_model, "targets=[taxes]", f"targets_file={targets}")
    quotes = load_from_disk(str(tmp_path / "out" / "quotes"))
    reed = [q for q in quotes if "hurt small shops" in q["text"]][0]
    stances = {s["target"]: s for s in reed["stances"]}
    assert list(stances) == ["taxes", "bus lane plan"]
    assert stances["bus lane plan"]["gated"] is False  # "the plan" is an alias: a mention, read by the model
