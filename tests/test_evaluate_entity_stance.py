"""End-to-end entity stance scoring (SEESAW-style), speaker->entity matching, unrelated targets.

The gold file is a made-up two-story SEESAW-format fixture; predictions are written by hand
with the project's own artifact writer, so every figure below is counted by hand.
"""

from __future__ import annotations

import json
import re

import pytest
from datasets import Dataset, load_from_disk

from conftest import ROOT
from pipeline.run.files import write_artifacts
from pipeline.eval.entity_stance import (
    evaluate_entity_stance,
    evaluate_unrelated_targets,
    format_entity_stance_metrics,
    gold_pairs,
    make_unrelated_targets,
    match_entity,
    match_quote,
    match_rule,
    name_in_text,
    read_jsonl,
    story_of,
)
from pipeline.io.schema import DOCUMENTS_WITH_QUOTES
from scripts_loader import compose_run_config, evaluate_script, load_tool

GOLD = ROOT / "tests" / "fixtures" / "entity_stance_gold.jsonl"


def _entities(*pairs):
    return [{"name": name, "type": kind, "role": "Salient"} for name, kind in pairs]


ENTITIES = _entities(("Joe Biden", "People"), ("Democratic Party", "People"), ("Republican lawmakers", "People"),
                     ("White House", "Organization"), ("Trump administration", "Organization"),
                     ("Donald Trump", "People"), ("William B. Taylor Jr.", "People"), ("John Hickenlooper", "People"),
                     ("Nancy Pelosi", "People"), ("United States Congress", "Organization"), ("andrew mccabe", "People"),
                     ("report that Trump told Cohen to lie", "Topic"))


@pytest.mark.parametrize("name,entity,rule", [
    ("Joe Biden", "Joe Biden", "full"),
    ("joe\xa0 biden ", "Joe Biden", "full"),  # case and white space, no-break space included
    ("the White House", "White House", "full"),
    ("Biden", "Joe Biden", "surname"),
    ("President Biden", "Joe Biden", "surname"),
    ("Joseph R. Biden", "Joe Biden", "surname"),  # first names agree on the initial
    ("Trump", "Donald Trump", "surname"),  # a person before the stem of "Trump administration"
    ("William Taylor", "William B. Taylor Jr.", "surname"),
    ("Colorado Gov. John Hickenlooper", "John Hickenlooper", "surname"),  # the name follows the last title
    ("House Speaker Nancy Pelosi (D-Calif.)", "Nancy Pelosi", "surname"),
    ("Andrew G. McCabe", "andrew mccabe", "surname"),  # a person listed in lower case
    ("Democrats", "Democratic Party", "stem"),
    ("California Democrat", "Democratic Party", "stem"),
    ("Congress", "United States Congress", "stem"),  # organisation heads only: organisations only
    ("Republicans", "Republican lawmakers", "stem"),
    ("GOP lawmakers", "Republican lawmakers", "stem"),
    ("House Republicans", "Republican lawmakers", "stem"),
])
def test_speaker_matches_an_entity_by_full_name_surname_then_stem(name, entity, rule):
    assert match_rule(name, ENTITIES) == (entity, rule)
    assert match_entity(name, ENTITIES) == entity


@pytest.mark.parametrize("name", [
    None, "", "Hunter Biden",  # same surname, another first name: not Joe Biden (not by stem either)
    "Biden administration",  # "administration" is no stem; Joe Biden is a person, reached by name only
    "Carl Moss", "the president",
    "Donald Trump Jr.",  # a suffix the listed person lacks: another person
    "Democratic Rep. Adam Schiff",  # a politician not listed is not his party
    "Michael Cohen",  # a topic naming him is not him
    "Whether McCabe",
    "state officials",  # generic words only: no organisation head
])
def test_speaker_without_an_entity_matches_none(name):
    assert match_entity(name, ENTITIES) is None


def test_a_surname_shared_by_two_listed_people_needs_the_first_name():
    entities = _entities(("Joe Biden", "People"), ("Jill Biden", "People"))
    assert match_entity("Biden", entities) is None  # ambiguous
    assert match_entity("Dr. Jill Biden", entities) == "Jill Biden"
    assert match_entity("Joseph Biden", entities) is None  # both initials fit: ambiguous, no nickname table
    assert match_entity("Joseph Biden", entities[:1]) == "Joe Biden"
    # A group whose last word matches is no person: "Democratic Party" is not "Republican Party".
    assert match_entity("Republican Party", _entities(("Democratic Party", "People"))) is None


@pytest.mark.parametrize("name,entity", [
    ("Democratic Rep. Ted Lieu of California", "Ted Lieu"),  # the name ends at "of"
    ("the South Carolina representative James Clyburn, the House majority whip,", "Jim Clyburn"),  # apposition
    ("Secretaries of State Madeleine Albright and John Kerry", "Madeleine Albright"),  # a list: the first name
    ("Massachusetts Gov. William Weld", "Bill Weld"),  # a nickname
    ("Democrat Bill Clinton", "Bill Clinton"),  # a party word before the first name
    ("US District Court Judge Amy Berman Jackson", "Amy Berman Jackson"),
    ("Iran's IRGC", "Islamic Revolutionary Guard Corps"),  # an acronym of an organisation
    ("Planned Parenthood and other groups", "Planned Parenthood"),  # "and" before a lower-case word is no list
])
def test_speaker_names_with_appositions_lists_nicknames_and_acronyms(name, entity):
    entities = _entities(("Ted Lieu", "People"), ("Jim Clyburn", "People"), ("Madeleine Albright", "People"),
                         ("John Kerry", "People"), ("Bill Weld", "People"), ("Bill Clinton", "People"),
                         ("Democratic Party", "People"), ("Amy Berman Jackson", "People"), ("United States", "GPE"),
                         ("California", "GPE"), ("Islamic Revolutionary Guard Corps", "Organization"),
                         ("Planned Parenthood", "Organization"))
    assert match_entity(name, entities) == entity


@pytest.mark.parametrize("speaker,mention,entity", [
    ("Tulsi Gabbard Votes", "Ms. Gabbard", "Tulsi Gabbard"),  # a canonical name taken from a headline
    ("Ex-FBI Director Andrew McCabe Loses Appeal", "McCabe", "andrew mccabe"),
    ("Melania Trump", "Trump", None),  # another person of the surname: the mention does not override
    ("Joe Biden", "he", "Joe Biden"),
])
def test_a_quote_falls_back_to_its_mention_when_its_canonical_speaker_matches_nothing(speaker, mention, entity):
    entities = ENTITIES + _entities(("Tulsi Gabbard", "People"))
    found = match_quote({"speaker": speaker, "speaker_mention": mention}, entities)
    assert (found[0] if found else None) == entity


def test_the_mention_fallback_and_nicknames_can_be_switched_off():
    entities = ENTITIES + _entities(("Tulsi Gabbard", "People"), ("Bill Weld", "People"))
    quote = {"speaker": "Tulsi Gabbard Votes", "speaker_mention": "Ms. Gabbard"}
    assert match_quote(quote, entities)[0] == "Tulsi Gabbard"
    assert match_quote(quote, entities, mention_fallback=False) is None
    # a null canonical name still reads the mention: that is no fallback, it is the only name there is
    assert match_quote({"speaker": None, "speaker_mention": "Ms. Gabbard"}, entities, mention_fallback=False)[0] \
        == "Tulsi Gabbard"
    assert match_entity("Massachusetts Gov. William Weld", entities) == "Bill Weld"
    assert match_entity("Massachusetts Gov. William Weld", entities, nicknames=False) is None


def test_metrics_report_triplet_f1_with_and_without_the_mention_fallback(tmp_path):
    pred = _write_predictions(tmp_path / "pred", {"TRIPLET_002_DOCUMENT_0": [
        # a canonical name taken from a headline; only its mention names the listed person
        _quote("Joe Park Wins Vote", "Park", [_stance("port tax", "against", 0.8)])]})
    on = evaluate_entity_stance(GOLD, pred, tmp_path / "on")["summary"]
    off = evaluate_entity_stance(GOLD, pred, tmp_path / "off", mention_fallback=False)["summary"]
    assert on["triplet"]["tp"] == 1 and off["triplet"]["tp"] == 0
    assert on["scorer"] == {"mention_fallback": True, "nicknames": True}
    assert off["scorer"] == {"mention_fallback": False, "nicknames": True}
    for s in (on, off):  # both settings reported either way; the default keys follow the setting
        assert s["triplet_by_mention_fallback"] == {"with": on["triplet"], "without": off["triplet"]}
    text = format_entity_stance_metrics({"summary": on})
    assert f"with the speaker-mention fallback {on['triplet']['f1']:.3f}" in text and "without 0.000" in text
    cfg = compose_run_config("evaluate", ["task=entity_stance", f"gold_path={GOLD}", f"predictions={pred}",
                                          f"output_dir={tmp_path / 'cfg'}", "entity_stance.mention_fallback=false"])
    assert evaluate_script.evaluate(cfg)["summary"]["triplet"]["tp"] == 0


def test_gold_pairs_keep_listed_distinct_entities_and_take_the_majority_polarity():
    article = read_jsonl(GOLD)[0]
    assert gold_pairs(article) == {
        ("Ana Ruiz", "Harbor Party"): "NEG",
        ("Ana Ruiz", "bridge plan"): "POS",  # POS twice, NEG once
        ("Democratic Party", "Harbor Party"): "NEG",
        ("Democratic Party", "Lena Ortiz"): "NEG",  # one each: a tie goes to NEG
    }


def _stance(target, label, score):
    return {"target": target, "label": label, "score": score, "gated": False}


def _quote(speaker=None, mention=None, stances=()):
    return {"start": 0, "end": 1, "kind": "direct", "cue": None, "cue_start": None, "cue_end": None,
            "speaker_mention": mention, "speaker_start": None, "speaker_end": None, "speaker": speaker,
            "attribution_score": 1.0, "stances": list(stances)}


def _write_predictions(path, quotes_by_doc, texts=None):
    rows = [{"doc_id": doc_id, "text": (texts or {}).get(doc_id, "x"), "targets": [], "target_aliases": [], "status": "ok",
             "error": None, "source": "x", "meta": "{}", "quotes": quotes} for doc_id, quotes in quotes_by_doc.items()]
    write_artifacts(Dataset.from_list(rows, features=DOCUMENTS_WITH_QUOTES), path, {})
    return path


def _fixture_predictions(tmp_path):
    return _write_predictions(tmp_path / "pred", {
        "TRIPLET_001_DOCUMENT_0": [
            _quote("Ana Ruiz", "Mayor Ana Ruiz", [
                _stance("Harbor Party", "against", 0.9), _stance("bridge plan", "favor", 0.6),
                _stance("Democratic Party", "neutral", 0.8), _stance("Ana Ruiz", "against", 0.7),  # self: ignored
                _stance("Lena Ortiz", "favor", 0.55)]),
            _quote(None, "Ruiz", [_stance("bridge plan", "against", 0.7)]),  # speaker null: the mention
            _quote("Mayor Ana Ruiz", "she", [_stance("bridge plan", "favor", 0.3),  # POS 0.9 > NEG 0.7
                                             _stance("Harbor Party", "neutral", 0.9)]),
            _quote(None, "Democrats", [_stance("Harbor Party", "against", 0.8), _stance("Lena Ortiz", "favor", 0.9)]),
            _quote("Carl Moss", "Carl Moss", [_stance("Harbor Party", "favor", 0.99)]),  # not listed: ignored
            _quote(None, None, [_stance("Harbor Party", "favor", 0.99)]),
        ],
        "TRIPLET_002_DOCUMENT_0": [
            _quote("Republicans", "Republicans", [_stance("port tax", "against", 0.7), _stance("Joe Park", "favor", 0.6),
                                                  _stance("weather", "favor", 0.9)]),  # not a listed target
            _quote("Joe Park", "Joe Park", [_stance("port tax", "neutral", 0.8)]),
        ],
    })


def test_entity_stance_scores_triplets_pairs_and_polarity(tmp_path):
    metrics = evaluate_entity_stance(GOLD, _fixture_predictions(tmp_path), tmp_path / "eval")
    s = metrics["summary"]
    # gold pairs: 4 + 2; predicted: (Ruiz, Harbor) NEG, (Ruiz, bridge) POS, (Ruiz, Ortiz) POS,
    # (Democratic Party, Harbor) NEG, (Democratic Party, Ortiz) POS, (Republican lawmakers, port tax) NEG,
    # (Republican lawmakers, Joe Park) POS. Found in both: 5 pairs, 3 with the gold polarity.
    assert (s["pair"]["tp"], s["pair"]["n_pred"], s["pair"]["n_gold"]) == (5, 7, 6)
    assert s["pair"]["precision"] == pytest.approx(5 / 7)
    assert s["pair"]["recall"] == pytest.approx(5 / 6)
    assert s["pair"]["f1"] == pytest.approx(2 * (5 / 7) * (5 / 6) / (5 / 7 + 5 / 6))
    assert s["triplet"]["precision"] == pytest.approx(3 / 7)
    assert s["triplet"]["recall"] == pytest.approx(3 / 6)
    assert s["triplet"]["f1"] == pytest.approx(2 * (3 / 7) * 0.5 / (3 / 7 + 0.5))
    assert s["polarity_accuracy"] == pytest.approx(3 / 5) and s["polarity_n"] == 5
    assert s["confusion"]["matrix"] == [[1, 1], [1, 2]]  # rows gold POS/NEG, columns predicted POS/NEG
    assert s["gold_neg_share"] == pytest.approx(4 / 6)
    assert s["counts"] == {
        "articles": 2, "articles_missing": 0, "articles_error": 0, "gold_triplets": 6, "gold_triplet_rows": 12,
        "predicted_triplets": 7, "quotes": 8, "quotes_matched": 6,
        "quotes_matched_by_rule": {"full": 2, "surname": 2, "stem": 2, "acronym": 0},
            "gold_pairs_with_quoted_subject": 6}

    saved = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert saved["summary"] == s
    table = load_from_disk(str(tmp_path / "eval" / "triplets"))
    assert table.column_names == ["doc_id", "subject", "object", "gold", "pred", "pred_score"]
    rows = {(r["subject"], r["object"]): r for r in table.to_list()}
    assert len(table) == len(rows) == 8  # 6 gold pairs + 2 predicted only
    row = rows[("Ana Ruiz", "bridge plan")]
    assert (row["gold"], row["pred"], row["pred_score"]) == ("POS", "POS", pytest.approx(0.9))
    assert (rows[("Joe Park", "port tax")]["gold"], rows[("Joe Park", "port tax")]["pred"]) == ("NEG", None)
    assert (rows[("Ana Ruiz", "Lena Ortiz")]["gold"], rows[("Ana Ruiz", "Lena Ortiz")]["pred"]) == (None, "POS")
    text = format_entity_stance_metrics(metrics)
    assert "triplet" in text and "polarity accuracy 0.600" in text


def test_entity_stance_through_the_script_config(tmp_path):
    cfg = compose_run_config("evaluate", ["task=entity_stance", f"gold_path={GOLD}",
                                          f"predictions={_fixture_predictions(tmp_path)}",
                                          f"output_dir={tmp_path / 'eval'}"])
    assert evaluate_script.evaluate(cfg)["summary"]["pair"]["tp"] == 5
    with pytest.raises(ValueError, match="predictions"):
        evaluate_script.evaluate(compose_run_config("evaluate", ["task=entity_stance", f"gold_path={GOLD}"]))


def test_an_article_without_predictions_counts_as_missing(tmp_path):
    pred = _write_predictions(tmp_path / "pred", {"TRIPLET_002_DOCUMENT_0": []})
    s = evaluate_entity_stance(GOLD, pred, tmp_path / "eval")["summary"]
    assert s["counts"]["articles_missing"] == 1 and s["pair"]["n_pred"] == 0 and s["pair"]["recall"] == 0.0


# --- unrelated targets -------------------------------------------------------------------------

def test_story_of_reads_the_seesaw_id():
    assert story_of("TRIPLET_042_DOCUMENT_2") == "042"
    with pytest.raises(ValueError):
        story_of("doc1")


def test_name_in_text_full_name_capitalised_tokens_and_stems():
    text = "Republicans met in the harbors; a democratic vote. Ruiz spoke; the GOP left."
    assert name_in_text("Ana Ruiz", text)  # "Ruiz"
    assert name_in_text("Republican lawmakers", text)  # stem of "Republicans"
    assert name_in_text("Democratic Party", text)  # whole word, any case
    assert name_in_text("GOP", text)
    assert not name_in_text("bridge plan", text)
    assert not name_in_text("Lena Ortiz", text)
    assert name_in_text("ana ruiz", text, person=True)  # People listed in lower case: every token counts
    assert not name_in_text("ana ruiz", text)


def test_unrelated_targets_come_from_the_next_story_and_never_occur_in_the_text():
    articles = read_jsonl(GOLD)
    rows = make_unrelated_targets(articles)
    assert [r["targets_story"] for r in rows] == ["002", "001"]
    # 001 mentions "Republicans"; 002 mentions "Ruiz", "harbors" and "democratic"; 002 keeps at most its 3.
    assert rows[0]["targets"] == ["Joe Park", "port tax"]
    assert rows[1]["targets"] == ["bridge plan", "Lena Ortiz"]
    assert [r["text"] for r in rows] == [a["text"] for a in articles]
    for row in rows:
        for name in row["targets"]:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", row["text"], re.IGNORECASE)
            for token in re.findall(r"\w+", name):
                if token[0].isupper() and len(token) >= 4:
                    assert not re.search(rf"(?<!\w){re.escape(token)}(?!\w)", row["text"], re.IGNORECASE)


def test_make_unrelated_targets_script_writes_jsonl(tmp_path, capsys):
    script = load_tool("make_unrelated_targets")
    out = tmp_path / "unrelated.jsonl"
    script.main([f"input={GOLD}", f"output={out}"])
    rows = read_jsonl(out)
    assert [r["targets"] for r in rows] == [["Joe Park", "port tax"], ["bridge plan", "Lena Ortiz"]]
    assert '"targets": 4' in capsys.readouterr().out
    with pytest.raises(SystemExit):
        script.main([f"input={GOLD}"])


def test_unrelated_share_counts_favor_and_against_pairs(tmp_path):
    pred = _write_predictions(tmp_path / "pred", {
        "a": [_quote("X", "X", [_stance("t1", "favor", 0.7), _stance("t2", "neutral", 0.9)]),
              _quote("Y", "Y", [_stance("t1", "against", 0.6), _stance("t2", "neutral", 0.8),
                                _stance("t3", "neutral", 0.8)])],
        "b": [_quote(None, None, [])],
    })
    cfg = compose_run_config("evaluate", ["task=unrelated_targets", f"predictions={pred}",
                                          f"output_dir={tmp_path / 'eval'}"])  # no gold_path needed
    s = evaluate_script.evaluate(cfg)["summary"]
    assert s["pairs"] == 5 and s["favor_or_against"] == 2 and s["quotes"] == 3
    assert s["favor_or_against_share"] == pytest.approx(0.4)
    assert s["label_shares"] == pytest.approx({"favor": 0.2, "against": 0.2, "neutral": 0.6})
    assert s["quotes_with_favor_or_against"] == 2
    assert json.loads((tmp_path / "eval" / "metrics.json").read_text())["summary"] == s
