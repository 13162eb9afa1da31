"""Quote tagger end to end: train a tiny random model on a PolNeAR-style folder, then tag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.quotes.spans import KINDS, QuoteSpan

DOCS = {
    "harbour": (
        "Harbour plan splits the town\n\n"
        "“The new harbour will bring jobs,” Mayor Ana Lopez said on Monday.\n\n"
        "Councillor Tom Reed said that the plan would hurt small shops and that rents would rise.\n\n"
        "Fishermen, according to their union, fear the “endless building works” will drive fish away."
    ),
    "bridge": (
        "Bridge repairs delayed again\n\n"
        "Engineers warned that the old bridge could close for a year. "
        "“We cannot promise anything,” a spokeswoman for the county said.\n\n"
        "Drivers told reporters the detour was “a nightmare” and asked for free buses."
    ),
}


def _ann(text: str, rows: list[tuple[str, str, str]]) -> str:
    """brat lines for (source, cue, content) triples found in ``text``."""
    lines, t, e = [], 0, 0
    for source, cue, content in rows:
        ids = {}
        anchor = text.index(source)
        for label, needle in (("Source", source), ("Cue", cue), ("Content", content)):
            t += 1
            # A cue is the first one after its source; the others occur once.
            start = text.index(needle, anchor) if label == "Cue" and needle in text[anchor:] else text.index(needle)
            lines.append(f"T{t}\t{label} {start} {start + len(needle)}\t{needle}")
            ids[label] = f"T{t}"
        e += 1
        lines.append(f"E{e}\tAttribution:{ids['Cue']} Content:{ids['Content']} Cue:{ids['Cue']} Source:{ids['Source']}")
    return "\n".join(lines) + "\n"


ANNOTATIONS = {
    "harbour": [
        ("Mayor Ana Lopez", "said", "“The new harbour will bring jobs,”"),
        ("Councillor Tom Reed", "said", "that the plan would hurt small shops and that rents would rise"),
        ("their union", "according to",
         "Fishermen, according to their union, fear the “endless building works” will drive fish away"),
    ],
    "bridge": [
        ("Engineers", "warned", "that the old bridge could close for a year"),
        ("a spokeswoman for the county", "said", "“We cannot promise anything,”"),
        ("Drivers", "told reporters", "the detour was “a nightmare”"),
    ],
}


def write_gold(folder: Path) -> Path:
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for doc_id, text in DOCS.items():
        (folder / "text" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (folder / "attributions" / f"{doc_id}_ab12.ann").write_text(_ann(text, ANNOTATIONS[doc_id]), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_encoder) -> tuple[Path, dict]:
    """Train for two steps through the script's ``train(cfg)``, as a user's config would."""
    from scripts_loader import compose_run_config, load_script

    root = tmp_path_factory.mktemp("quotes")
    gold = write_gold(root / "gold")
    out = root / "run"
    cfg = compose_run_config("train_quotes", [
        f"data.train_dir={gold}", f"data.dev_dir={gold}", f"model.name_or_path={tiny_encoder}",
        f"paths.output_dir={out}", "window=32", "stride=16", "progress=false",
        "trainer.args.max_steps=2", "trainer.args.per_device_train_batch_size=4",
        "trainer.args.save_strategy=no", "trainer.args.logging_steps=1",
    ])
    metrics = load_script("train_quotes").train(cfg)
    return out, metrics


def test_training_writes_a_self_describing_fp16_checkpoint_and_dev_metrics(trained):
    out, metrics = trained
    model_dir = out / "model"
    config = json.loads((model_dir / "config.json").read_text())
    assert config["quote_label_layers"] == {
        "content": ["O", "B-CONTENT", "I-CONTENT"],
        "speech": ["O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE"]}
    assert len(config["id2label"]) == 8
    # The content-probability threshold picked on dev travels with the checkpoint.
    assert config["quote_min_content_score"] == metrics["dev"]["min_content_score"]
    assert str(config["quote_min_content_score"]) in metrics["dev"]["by_threshold"]
    from safetensors import safe_open

    with safe_open(str(model_dir / "model.safetensors"), "pt") as weights:
        assert {str(weights.get_tensor(k).dtype) for k in weights.keys()} == {"torch.float16"}
    assert (model_dir / "README.md").exists()
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["train_windows"] == metrics["train_windows"] > 2
    summary = saved["dev"]["summary"]
    assert summary["exact"]["content"]["n_gold"] == 6
    for mode in ("exact", "overlap"):
        for key in ("content", "source", "cue", "pair"):
            assert 0.0 <= summary[mode][key]["f1"] <= 1.0


def test_training_can_continue_from_a_saved_tagger_in_fp32(trained):
    """``model.name_or_path=<tagger checkpoint>`` continues training it: heads kept, fp32 weights."""
    import torch

    from pipeline.quotes.tagger.model import build_tagger_model, load_tagger_model

    model_dir = trained[0] / "model"
    continued = build_tagger_model(str(model_dir))
    saved = load_tagger_model(str(model_dir), dtype="float32")
    assert continued.dtype == torch.float32
    weights = saved.state_dict()
    assert all(torch.equal(value, weights[name]) for name, value in continued.state_dict().items())


def test_tagger_returns_quote_spans_whose_offsets_point_at_the_text(trained):
    from pipeline.quotes.tagger.quote_tagger import QuoteTagger

    tagger = QuoteTagger.from_pretrained(str(trained[0] / "model"), window=32, stride=16, batch_size=4,
                                         progress=False)
    assert tagger.provenance["sha256"]
    text = DOCS["harbour"]
    quotes = tagger(text)
    assert isinstance(quotes, list)
    for q in quotes:
        assert isinstance(q, QuoteSpan) and q.kind in KINDS
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end].strip() == text[q.start:q.end]
        if q.speaker_start is not None:
            assert text[q.speaker_start:q.speaker_end] == q.speaker_mention
            assert 0.0 <= q.attribution_score <= 1.0
        if q.cue_start is not None:
            assert text[q.cue_start:q.cue_end] == q.cue
    assert tagger("") == []
    assert [len(x) for x in tagger.find([text, "", DOCS["bridge"]])][1] == 0


def test_linked_spans_become_quotes_with_kinds_and_rules_fill_missing_sources():
    from pipeline.quotes.tagger.fallback import keep_or_attribute
    from pipeline.quotes.tagger.quote_tagger import to_quote_spans
    from pipeline.quotes.tagger.labels import CharSpan
    from pipeline.quotes.tagger.linking import LinkedContent

    text = DOCS["harbour"]

    def at(needle: str, label: str) -> CharSpan:
        start = text.index(needle)
        return CharSpan(start, start + len(needle), label, 0.8)

    linked = [
        LinkedContent(at("“The new harbour will bring jobs,”", "CONTENT"), at("Mayor Ana Lopez", "SOURCE"),
                      at("said", "CUE")),
        LinkedContent(at("that the plan would hurt small shops and that rents would rise", "CONTENT"), None, None),
        LinkedContent(at("Fishermen, according to their union, fear the “endless building works”", "CONTENT"),
                      None, None),
    ]
    quotes = to_quote_spans(text, linked)
    assert [q.kind for q in quotes] == ["direct", "indirect", "mixed"]
    assert text[quotes[0].start:quotes[0].end] == "The new harbour will bring jobs,"  # marks dropped, as the rules do
    assert quotes[0].speaker_mention == "Mayor Ana Lopez" and quotes[0].cue == "said"
    assert quotes[0].attribution_score == pytest.approx(0.64)

    attributed = keep_or_attribute(text, quotes)
    assert attributed[0] == quotes[0]  # the tagger's link is kept
    assert attributed[1].speaker_mention == "Councillor Tom Reed"  # the rules fill the gap
    assert text[attributed[1].speaker_start:attributed[1].speaker_end] == attributed[1].speaker_mention


def test_tagger_configs_compose_and_plug_into_the_pipeline(trained, tmp_path, tiny_stance_model):
    from datasets import load_from_disk

    from scripts_loader import compose_run_config, infer_script

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.txt").write_text(DOCS["harbour"], encoding="utf-8")
    cfg = compose_run_config("infer", [
        f"input_path={docs}", f"output_dir={tmp_path / 'out'}", "segmenter=tagger", "attributor=tagger",
        f"segmenter.name_or_path={trained[0] / 'model'}", "segmenter.window=32", "segmenter.stride=16",
        f"stance.name_or_path={tiny_stance_model}", "progress=false",
    ])
    assert cfg.segmenter.batch_size > 0
    infer_script.infer(cfg)
    quotes = load_from_disk(str(tmp_path / "out" / "quotes"))
    for q in quotes:
        assert DOCS["harbour"][q["start"]:q["end"]] == q["text"]
        assert q["kind"] in KINDS


def test_averaging_two_taggers_gives_the_mean_weights_and_scores_dev(trained, tmp_path):
    """``scripts/average_taggers.py``: the soup's weights are the mean of its inputs (fp16)."""
    import torch

    from pipeline.quotes.tagger.model import load_tagger_model
    from scripts_loader import compose_run_config, load_script

    first = trained[0] / "model"
    second = tmp_path / "second"
    model = load_tagger_model(str(first), dtype="float32")
    with torch.no_grad():
        for value in model.parameters():
            value.add_(0.5)
    from transformers import AutoTokenizer

    from pipeline.models import save_fp16

    save_fp16(model, AutoTokenizer.from_pretrained(str(first)), second)
    gold = trained[0].parent / "gold"
    cfg = compose_run_config("average_taggers", [
        f"model_dirs=[{first},{second}]", f"data.dev_dir={gold}", f"paths.output_dir={tmp_path / 'soup'}",
        "window=32", "stride=16", "progress=false"])
    metrics = load_script("average_taggers").average(cfg)
    soup = load_tagger_model(str(tmp_path / "soup" / "model"), dtype="float32").state_dict()
    a = load_tagger_model(str(first), dtype="float32").state_dict()
    b = load_tagger_model(str(second), dtype="float32").state_dict()
    for name in ("classifier.weight", "bert.encoder.layer.0.attention.self.query.weight"):
        key = next(k for k in soup if k.endswith(name))
        assert torch.allclose(soup[key], (a[key] + b[key]) / 2, atol=2e-3)
    assert metrics["dev"]["summary"]["exact"]["content"]["n_gold"] == 6
    assert "quote_min_content_score" in json.loads((tmp_path / "soup" / "model" / "config.json").read_text())
    with pytest.raises(ValueError, match="model_dirs"):
        cfg.model_dirs = [str(first)]
        load_script("average_taggers").average(cfg)
