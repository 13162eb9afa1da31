"""Evaluation: stance metrics files, and quote P/R/F1 against PolNeAR-style gold written here."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from datasets import Dataset, load_from_disk
from pipeline.run.files import write_artifacts
from pipeline.eval.quotes import evaluate_quote_predictions, trim
from pipeline.quotes.polnear import Span
from pipeline.quotes.spans import quote_kind
from pipeline.eval.metrics import semeval_f_avg, stance_metrics
from pipeline.io.schema import DOCUMENTS_WITH_QUOTES
from scripts_loader import compose_run_config, evaluate_script


def test_stance_metrics_macro_f1_and_confusion():
    gold = ["favor", "favor", "against", "neutral"]
    pred = ["favor", "against", "against", "favor"]
    m = stance_metrics(gold, pred, ["against", "favor", "neutral"])
    assert m["per_class"]["against"]["f1"] == pytest.approx(2 / 3)
    assert m["per_class"]["favor"]["f1"] == pytest.approx(0.5)
    assert m["per_class"]["neutral"]["f1"] == 0.0
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.5) / 3)
    assert m["confusion"]["matrix"] == [[1, 0, 0], [1, 1, 0], [0, 1, 0]]
    # IBM has no neutral: macro over the classes in the gold only.
    assert stance_metrics(["favor", "against"], ["favor", "against"], ["against", "favor", "neutral"])["macro_f1"] == 1.0


def test_semeval_f_avg_averages_favor_and_against_per_target():
    s = semeval_f_avg(["favor", "against", "favor", "neutral"], ["favor", "against", "against", "neutral"],
                      ["a", "a", "b", "b"])
    assert s["per_target"]["a"] == 1.0
    assert s["per_target"]["b"] == 0.0


def test_evaluate_script_writes_predictions_and_metrics(tmp_path, tiny_stance_model):
    gold = tmp_path / "vast.csv"
    pd.DataFrame({"post": ["Tax the rich.", "Parks are lovely.", "Ban cars."],
                  "topic_str": ["taxes", "parks", "cars"], "new_topic": ["taxes", "parks", "cars"],
                  "label": [1, 1, 0], "arc_id": [1, 2, 3]}).to_csv(gold, index=False)
    cfg = compose_run_config("evaluate", [
        "task=stance", f"gold_path={gold}", "gold_format=vast", f"output_dir={tmp_path / 'eval'}",
        f"stance.name_or_path={tiny_stance_model}", "progress=false"])
    metrics = evaluate_script.evaluate(cfg)
    predictions = load_from_disk(str(tmp_path / "eval" / "predictions"))
    assert predictions.column_names == ["target", "text", "gold", "pred", "score"]
    assert predictions["gold"] == ["favor", "favor", "against"]
    saved = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert saved["macro_f1"] == metrics["macro_f1"]
    assert saved["n"] == 3
    assert (tmp_path / "eval" / "confusion.png").read_bytes()[:4] == b"\x89PNG"


GOLD_TEXT = ("Senator Mia Park said the bill would pass. “It is a good day,” she added.\n"
             "Critics disagreed.")


def _gold_dir(tmp_path):
    gold = tmp_path / "gold"
    (gold / "text").mkdir(parents=True)
    (gold / "attributions").mkdir()
    (gold / "text" / "doc1.txt").write_text(GOLD_TEXT, encoding="utf-8")
    t = GOLD_TEXT
    spans = {
        "T1": ("Source", t.index("Senator Mia Park"), t.index("Senator Mia Park") + len("Senator Mia Park")),
        "T2": ("Cue", t.index("said"), t.index("said") + 4),
        "T3": ("Content", t.index("the bill"), t.index("pass") + 4),
        "T4": ("Content", t.index("“It"), t.index("day,”") + 5),
        "T5": ("Source", t.index("she"), t.index("she") + 3),
        "T6": ("Cue", t.index("added"), t.index("added") + 5),
    }
    lines = [f"{k}\t{label} {a} {b}\t{t[a:b]}" for k, (label, a, b) in spans.items()]
    lines += ["E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1", "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5"]
    (gold / "attributions" / "doc1_zz.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (gold / "attributions" / "doc1_zzz.ann").write_text("", encoding="utf-8")  # second annotator: ignored
    return gold, spans


def _predictions(tmp_path, quotes):
    docs = Dataset.from_list([{"doc_id": "doc1", "text": GOLD_TEXT, "targets": [], "target_aliases": [], "status": "ok", "error": None,
                               "source": "x", "meta": "{}", "quotes": quotes}], features=DOCUMENTS_WITH_QUOTES)
    write_artifacts(docs, tmp_path / "pred", {})
    return tmp_path / "pred"


def _quote(start, end, kind, source=None, cue=None):
    return {"start": start, "end": end, "kind": kind, "cue": None, "cue_start": cue and cue[0],
            "cue_end": cue and cue[1], "speaker_mention": None, "speaker_start": source and source[0],
            "speaker_end": source and source[1], "speaker": None, "attribution_score": 1.0, "stances": []}


def test_quote_scores_exact_after_trimming_marks_and_overlap(tmp_path):
    gold, spans = _gold_dir(tmp_path)
    t = GOLD_TEXT
    direct_inner = (t.index("It is"), t.index("day") + 3)  # no marks, no comma: equal after trimming
    preds = _predictions(tmp_path, [
        _quote(spans["T3"][1], spans["T3"][2] - 5, "indirect", source=(spans["T1"][1] + 8, spans["T1"][2])),
        _quote(*direct_inner, "direct", source=spans["T5"][1:], cue=spans["T6"][1:]),
        _quote(t.index("Critics"), t.index("disagreed") + 9, "indirect"),
    ])
    m = evaluate_quote_predictions(gold, preds, tmp_path / "eval")["summary"]
    assert m["exact"]["content"]["precision"] == pytest.approx(1 / 3)
    assert m["exact"]["content"]["recall"] == pytest.approx(1 / 2)
    assert m["overlap"]["content"]["recall"] == 1.0  # "the bill would" covers most of "the bill would pass"
    assert m["exact"]["pair"]["recall"] == pytest.approx(1 / 2)  # "Mia Park" is not "Senator Mia Park" exactly
    assert m["overlap"]["pair"]["recall"] == 1.0
    assert m["exact"]["cue"]["n_gold"] == 2 and m["exact"]["cue"]["recall"] == pytest.approx(1 / 2)
    assert m["exact"]["content_by_kind"]["direct"]["recall"] == 1.0


def test_gold_kind_and_trim():
    assert quote_kind("“It is a good day,”") == "direct"
    assert quote_kind("the plan is “the best in history”") == "mixed"
    assert quote_kind("the bill would pass") == "indirect"
    assert trim("say “Hi there.” ok", Span(4, 15)) == Span(5, 13)
    assert trim("say “Hi there.”\xa0ok", Span(4, 16)) == Span(5, 13)  # a no-break space is white space


def test_speaker_accuracy_counts_found_and_correct_quotes(tmp_path):
    from pipeline.eval.speakers import evaluate_speaker_predictions

    t = GOLD_TEXT
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "doc1", "text": t, "speakers": [
        {"quote": "the bill would pass", "speaker": "Mia Park"},
        {"quote": "It is a good day", "speaker": "Mia Park"},
        {"quote": "Critics disagreed", "speaker": None}]}) + "\n", encoding="utf-8")
    quotes = [_quote(t.index("the bill"), t.index("pass") + 4, "indirect"), _quote(t.index("It is"), t.index("day") + 3, "direct")]
    quotes[0]["speaker"], quotes[1]["speaker"] = "Mia Park", "Someone Else"
    summary = evaluate_speaker_predictions(gold, _predictions(tmp_path, quotes), tmp_path / "eval")["summary"]
    assert summary == {"gold_quotes": 3, "found": 2, "accuracy": 1 / 3, "accuracy_on_found": 0.5}


def test_speaker_coverage_is_the_named_share_of_quotes_with_a_mention(tmp_path):
    from pipeline.eval.speakers import speaker_coverage

    t = GOLD_TEXT
    quotes = [_quote(t.index("the bill"), t.index("pass") + 4, "indirect"),
              _quote(t.index("It is"), t.index("day") + 3, "direct"),
              _quote(t.index("disagreed"), t.index("disagreed") + 9, "indirect")]
    quotes[0]["speaker_mention"], quotes[0]["speaker"] = "Senator Mia Park", "Mia Park"
    quotes[1]["speaker_mention"] = "she"
    metrics = speaker_coverage(_predictions(tmp_path, quotes), tmp_path / "eval")
    assert metrics["summary"] == {"quotes": 3, "with_mention": 2, "with_speaker": 1, "mention_share": 2 / 3,
                                  "speaker_share_of_mentions": 0.5}
    assert [tuple(m) for m in metrics["top_unresolved_mentions"]] == [("she", 1)]
    assert json.loads((tmp_path / "eval" / "metrics.json").read_text())["summary"]["with_speaker"] == 1


def test_polnear_speakers_scores_named_exact_partial_and_invented(tmp_path):
    """``task=speakers gold_format=polnear_speakers``: gold attributions numbered in content order,
    each matched to the most-overlapping quote; "Park" for "Mia Park" is partial, a name where the
    gold has none is invented, and the script routes the format."""
    gold_dir, spans = _gold_dir(tmp_path)
    t = GOLD_TEXT
    polnear = tmp_path / "data" / "polnear" / "dev"
    polnear.parent.mkdir(parents=True)
    gold_dir.rename(polnear)
    (polnear / "text" / "doc1.txt").write_text(t, encoding="utf-8")
    ann = polnear / "attributions" / "doc1_zz.ann"
    critics = (t.index("Critics"), t.index("disagreed") + 9)
    ann.write_text(ann.read_text() + f"T7\tContent {critics[0]} {critics[1]}\tCritics disagreed\nE3\tAttribution:T7 Content:T7\n")
    speakers = tmp_path / "data" / "polnear_speakers" / "dev.jsonl"
    speakers.parent.mkdir()
    speakers.write_text("\n".join(json.dumps(r) for r in [
        {"doc_id": "doc1", "a": 1, "speaker": "Sen. Mia Park", "type": "person"},
        {"doc_id": "doc1", "a": 2, "speaker": "Mia Park", "type": "person"},
        {"doc_id": "doc1", "a": 3, "speaker": None, "type": None},
        {"doc_id": "doc1", "done": True}]) + "\n", encoding="utf-8")
    quotes = [_quote(spans["T3"][1], spans["T3"][2], "indirect"), _quote(t.index("It is"), t.index("day") + 3, "direct"),
              _quote(*critics, "indirect")]
    quotes[0]["speaker"], quotes[1]["speaker"], quotes[2]["speaker"] = "Mia Park", "Park", "Critics Union"
    cfg = compose_run_config("evaluate", [
        "task=speakers", "gold_format=polnear_speakers", f"gold_path={speakers}",
        f"predictions={_predictions(tmp_path, quotes)}", f"output_dir={tmp_path / 'eval'}"])
    summary = evaluate_script.evaluate(cfg)["summary"]
    assert (summary["exact"], summary["partial"], summary["accuracy"]) == (0.5, 0.5, 1.0)
    assert summary["invented"] == 1.0 and summary["null_found"] == 1


def test_speaker_names_compare_without_titles_and_keep_other_people_apart():
    from pipeline.eval.speakers import name_match

    assert name_match("Donald Trump", "President Donald J. Trump") == "partial"
    assert name_match("The New York Post", "New York Post") == "exact"
    assert name_match("Barack Obama", "Obama") == "partial"
    assert name_match("Hillary Clinton", "Bill Clinton") == "wrong"
    assert name_match("Hillary Clinton", None) == "missed"
