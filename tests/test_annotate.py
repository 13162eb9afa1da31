"""Export a run's quotes for labelling and import the labels as a training corpus (scripts/annotate.py)."""

import json

import pytest
from datasets import Dataset

from pipeline.io.artifacts import DOCUMENT_TABLE_FEATURES, QUOTE_TABLE_FEATURES, write_tables
from pipeline.stance.corpora import read_corpus
from scripts_loader import load_script

TEXT = "Mayor Ana Ruiz said the bike lanes were a triumph. “Tariffs hurt us,” added Tom Lee."
annotate_script = load_script("annotate")


def _quote(content, mention, cue, speaker, stances):
    start, s_start, c_start = TEXT.index(content), TEXT.index(mention), TEXT.index(cue)
    return {"doc_id": "d1", "quote_id": "x", "text": content, "start": start, "end": start + len(content),
            "kind": "indirect", "cue": cue, "cue_start": c_start, "cue_end": c_start + len(cue),
            "speaker_mention": mention, "speaker_start": s_start, "speaker_end": s_start + len(mention),
            "speaker": speaker, "attribution_score": 0.9,
            "stances": [{"target": t, "label": l, "score": 0.8, "gated": False} for t, l in stances]}


@pytest.fixture
def run(tmp_path):
    quotes = [_quote("the bike lanes were a triumph", "Mayor Ana Ruiz", "said", "Ana Ruiz",
                     [("bike lanes", "favor"), ("steel tariffs", "neutral")]),
              _quote("Tariffs hurt us,", "Tom Lee", "added", "Tom Lee",
                     [("bike lanes", "neutral"), ("steel tariffs", "against")])]
    documents = [{"doc_id": "d1", "status": "ok", "error": None, "n_quotes": 2, "source": "x",
                  "targets": [], "meta": "{}", "text": TEXT}]
    write_tables({"quotes": Dataset.from_list(quotes, features=QUOTE_TABLE_FEATURES),
                  "documents": Dataset.from_list(documents, features=DOCUMENT_TABLE_FEATURES)}, tmp_path / "run", {})
    return tmp_path / "run"


def compose(tmp_path, *overrides):
    from omegaconf import OmegaConf

    base = {"mode": None, "predictions": None, "format": "polnear_quotes", "inputs": [], "documents": None,
            "output": None}
    return OmegaConf.merge(OmegaConf.create(base), OmegaConf.from_dotlist(list(overrides)))


def test_export_label_import_and_train_reader_round_trip(run, tmp_path):
    exported = tmp_path / "to_label.jsonl"
    annotate_script.annotate(compose(tmp_path, "mode=export", f"predictions={run}", f"output={exported}"))
    record = json.loads(exported.read_text().splitlines()[0])
    assert record["text"] == TEXT and [t["name"] for t in record["targets"]] == ["bike lanes", "steel tariffs"]
    assert TEXT[slice(*record["attributions"][1]["content"])] == "Tariffs hurt us,"
    assert {(s["a"], s["target"], s["label"]) for s in record["suggestions"]} == {
        (1, "bike lanes", "favor"), (2, "steel tariffs", "against")}
    # the annotator keeps one suggestion and turns the other into favor
    record["labels"] = [{"a": 1, "target": "bike lanes", "label": "favor"},
                        {"a": 2, "target": "steel tariffs", "label": "favor"}]
    exported.write_text(json.dumps(record) + "\n")
    corpus = tmp_path / "mine.jsonl"
    counts = annotate_script.annotate(compose(tmp_path, "mode=import", f"inputs=[{exported}]", f"output={corpus}"))
    assert (counts["documents"], counts["favor"], counts["against"]) == (1, 2, 0)
    frame = read_corpus(corpus, "polnear_quotes")
    labels = {(row.text[:8], row.target): row.label for row in frame.itertuples()}
    assert labels[("Tariffs ", "steel tariffs")] == "favor"
    assert labels[("Mayor An", "bike lanes")] == "favor" and labels[("Mayor An", "steel tariffs")] == "neutral"


def test_label_studio_tasks_and_their_answers(run, tmp_path):
    tasks_path = tmp_path / "tasks.json"
    n = annotate_script.annotate(compose(tmp_path, "mode=export", f"predictions={run}", f"output={tasks_path}",
                                         "format=label_studio"))["written"]
    tasks = json.loads(tasks_path.read_text())
    assert n == len(tasks) == 4 and tasks_path.with_suffix(".xml").exists()
    assert tasks[0]["data"]["clause"].startswith("Mayor Ana Ruiz said")
    for task in tasks:  # what Label Studio's JSON export looks like once answered
        answer = "against" if task["data"]["target"] == "steel tariffs" else "neutral"
        task["annotations"] = [{"result": [{"value": {"choices": [answer]}}]}]
    tasks_path.write_text(json.dumps(tasks))
    corpus = tmp_path / "mine.jsonl"
    counts = annotate_script.annotate(compose(tmp_path, "mode=import", f"inputs=[{tasks_path}]", f"output={corpus}",
                                              f"documents={tmp_path / 'tasks.documents.jsonl'}"))
    assert (counts["favor"], counts["against"]) == (0, 2)


def test_bad_labels_and_missing_inputs_fail_with_a_message(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"doc_id": "d", "text": "x", "targets": [], "attributions": [],
                               "labels": [{"a": 1, "target": "t", "label": "pro"}]}) + "\n")
    with pytest.raises(ValueError, match="favor, against or neutral"):
        annotate_script.annotate(compose(tmp_path, "mode=import", f"inputs=[{bad}]", f"output={tmp_path / 'o'}"))
    with pytest.raises(ValueError, match="predictions"):
        annotate_script.annotate(compose(tmp_path, "mode=export", f"output={tmp_path / 'o'}"))
