"""Speaker x target summary: exact counts and means on a small invented run, and its text table."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasets import Dataset

from pipeline.io.artifacts import QUOTE_TABLE_FEATURES, load_artifacts
from pipeline.run.files import write_artifacts
from pipeline.report.speaker_summary import SUMMARY_FEATURES, format_speaker_summary, summarise_speakers
from pipeline.io.schema import DOCUMENTS_WITH_QUOTES

BUSES = ('Mayor Ana Lopez called the plan "a <b>bold</b> step" on Monday. '
         '"The lanes will cut commutes," Lopez said.\n'
         'Councillor Tom Reed said that the plan would hurt small shops & cafés.')
BUDGET = "Officials said the budget <i>is fine</i> and the deficit will shrink, a spokesperson added."


def quote(text: str, content: str, kind: str, speaker: str | None = None, mention: str | None = None,
          cue: str | None = None, stances: tuple = (), after: str = "") -> dict:
    """A quote record with offsets found in ``text`` (searching from ``after`` when given)."""
    base = text.index(after) if after else 0
    start = text.index(content, base)
    record = {"start": start, "end": start + len(content), "kind": kind, "cue": cue, "cue_start": None,
              "cue_end": None, "speaker_mention": mention, "speaker_start": None, "speaker_end": None,
              "speaker": speaker, "attribution_score": 0.9,
              "stances": [{"target": t, "label": label, "score": score, "gated": False}
                          for t, label, score in stances]}
    if cue:
        record["cue_start"] = text.index(cue, base)
        record["cue_end"] = record["cue_start"] + len(cue)
    if mention:
        record["speaker_start"] = text.index(mention, base)
        record["speaker_end"] = record["speaker_start"] + len(mention)
    return record


def document(doc_id: str, text: str, quotes: list[dict], status: str = "ok", error: str | None = None) -> dict:
    return {"doc_id": doc_id, "text": text, "targets": ["bus lanes"], "target_aliases": [[]], "status": status, "error": error,
            "source": f"{doc_id}.txt", "meta": "{}", "quotes": quotes}


def small_documents() -> list[dict]:
    """Three invented documents: nested quotes and markup, crossing quotes, and an error."""
    shops, lanes = "small shops", "bus lanes"
    buses = [
        quote(BUSES, 'the plan "a <b>bold</b> step"', "mixed", "Ana Lopez", "Ana Lopez", "called",
              ((lanes, "favor", 0.8), (shops, "neutral", 0.6))),
        quote(BUSES, "a <b>bold</b> step", "direct", "Ana Lopez", "Ana Lopez", "called",
              ((lanes, "favor", 0.9), (shops, "neutral", 0.5))),
        quote(BUSES, "The lanes will cut commutes,", "direct", "Ana Lopez", "Lopez", "said",
              ((lanes, "favor", 0.7), (shops, "against", 0.7)), after='"The lanes'),
        quote(BUSES, "the plan would hurt small shops & cafés", "indirect", "Tom Reed", "Tom Reed", "said",
              ((lanes, "against", 0.75), (shops, "favor", 0.65)), after="Councillor"),
    ]
    budget = [  # two quotes that cross: neither contains the other
        quote(BUDGET, "the budget <i>is fine</i> and the deficit", "indirect", None, "Officials", "said",
              ((lanes, "neutral", 0.4),)),
        quote(BUDGET, "the deficit will shrink", "indirect", None, "a spokesperson", "added"),
    ]
    return [document("a-buses", BUSES, buses), document("b-budget", BUDGET, budget),
            document("c-empty", "", [], status="error", error="text is <empty>")]


def make_run(out_dir: Path, docs: list[dict] | None = None) -> Path:
    """Write an artifact folder like scripts/infer.py does, without any model."""
    table = Dataset.from_list(small_documents() if docs is None else docs, features=DOCUMENTS_WITH_QUOTES)
    write_artifacts(table, out_dir, {"input_path": "invented/"})
    return out_dir


def test_summary_counts_and_means_are_exact(tmp_path):
    quotes, _, _ = load_artifacts(make_run(tmp_path / "run"))
    summary = summarise_speakers(quotes)
    assert summary.features == SUMMARY_FEATURES
    rows = {(r["speaker"], r["target"]): r for r in summary}
    assert [(r["speaker"], r["target"]) for r in summary] == [
        ("Ana Lopez", "bus lanes"), ("Ana Lopez", "small shops"),
        ("(unknown)", "bus lanes"), ("(unknown)", "(no target)"),
        ("Tom Reed", "bus lanes"), ("Tom Reed", "small shops")]
    ana = rows[("Ana Lopez", "bus lanes")]
    assert (ana["n_quotes"], ana["n_favor"], ana["n_against"], ana["n_neutral"]) == (3, 3, 0, 0)
    assert ana["mean_score"] == pytest.approx(0.8) and ana["mean_favor_score"] == pytest.approx(0.8)
    assert ana["mean_against_score"] is None and ana["mean_neutral_score"] is None
    shops = rows[("Ana Lopez", "small shops")]
    assert (shops["n_quotes"], shops["n_favor"], shops["n_against"], shops["n_neutral"]) == (3, 0, 1, 2)
    assert shops["mean_score"] == pytest.approx(0.6)
    assert shops["mean_against_score"] == pytest.approx(0.7) and shops["mean_neutral_score"] == pytest.approx(0.55)
    assert ana["speaker_n_quotes"] == 3 and rows[("Tom Reed", "small shops")]["speaker_n_quotes"] == 1
    unknown = rows[("(unknown)", "bus lanes")]
    assert (unknown["n_quotes"], unknown["n_neutral"], unknown["speaker_n_quotes"]) == (1, 1, 2)
    no_target = rows[("(unknown)", "(no target)")]
    assert (no_target["n_quotes"], no_target["n_favor"], no_target["mean_score"]) == (1, 0, None)
    reed = rows[("Tom Reed", "bus lanes")]
    assert (reed["n_against"], reed["mean_against_score"]) == (1, pytest.approx(0.75))


def test_summary_of_a_run_without_quotes_is_empty_with_its_columns():
    empty = Dataset.from_dict({name: [] for name in QUOTE_TABLE_FEATURES}, features=QUOTE_TABLE_FEATURES)
    summary = summarise_speakers(empty)
    assert len(summary) == 0 and summary.features == SUMMARY_FEATURES
    assert format_speaker_summary(summary) == "no quotes: nothing to summarise"


def test_format_speaker_summary_is_aligned_and_truncated(tmp_path):
    quotes, _, _ = load_artifacts(make_run(tmp_path / "run"))
    text = format_speaker_summary(summarise_speakers(quotes), max_rows=4)
    lines = text.splitlines()
    assert lines[0].split() == ["speaker", "target", "quotes", "favor", "against", "neutral",
                                "mean", "p", "p(favor)", "p(against)", "p(neutral)"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split()[:2] == ["Ana", "Lopez"] and "bus lanes" in lines[2]
    assert lines[2].split()[-4:] == ["0.80", "0.80", "-", "-"]
    assert lines[-1] == "... 2 more rows"
    table = lines[:-1]
    # Numbers are right-aligned: every row ends its "quotes" column at the same character.
    quotes_end = lines[0].index("quotes") + len("quotes")
    assert all(line[quotes_end - 1].isdigit() for line in table[2:])


LATER = "Mayor Lopez said the lanes had worked. Tom Reed disagreed."


def test_summary_groups_one_person_across_documents(tmp_path):
    """"Ana Lopez" in one article and "Lopez" in another are one speaker, one row per target."""
    later = [quote(LATER, "the lanes had worked", "indirect", "Lopez", "Mayor Lopez", "said",
                   (("bus lanes", "favor", 0.9),))]
    run = make_run(tmp_path / "run", small_documents() + [document("d-later", LATER, later)])
    quotes, _, _ = load_artifacts(run)
    ids = {q["speaker"]: q["speaker_id"] for q in quotes if q["speaker"]}
    assert ids["Lopez"] == ids["Ana Lopez"] != ids["Tom Reed"]
    rows = {(r["speaker"], r["target"]): r for r in summarise_speakers(quotes)}
    lopez = rows[("Ana Lopez", "bus lanes")]
    assert (lopez["n_quotes"], lopez["speaker_n_quotes"]) == (4, 4)
    assert lopez["variants"] == ["Ana Lopez", "Lopez"] and lopez["speaker_id"] == ids["Lopez"]
    assert not any(speaker == "Lopez" for speaker, _ in rows)
