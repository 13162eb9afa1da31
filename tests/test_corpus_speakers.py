"""Corpus-level speakers (pipeline.quotes.corpus_speakers): one id per person across documents.

Names are invented for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import Dataset

from pipeline.quotes.corpus_speakers import SpeakerGrouper, group_speakers
from pipeline.eval.speakers import b_cubed

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def grouped(rows: list[tuple[str, str | None, str | None]], texts: dict[str, str] | None = None):
    """(doc_id, per-document speaker, mention) rows -> (speaker ids, speakers table as dicts by id)."""
    quotes = Dataset.from_dict({"doc_id": [r[0] for r in rows], "speaker": [r[1] for r in rows],
                                "speaker_mention": [r[2] for r in rows]})
    documents = None
    if texts:
        documents = Dataset.from_dict({"doc_id": list(texts), "text": list(texts.values())})
    quotes, table = group_speakers(quotes, documents)
    return quotes["speaker_id"], {row["speaker_id"]: row for row in table}


def test_name_variants_across_documents_are_one_speaker():
    ids, table = grouped([
        ("a", "Han Zhiyuan", "Chinese President Han Zhiyuan"),
        ("b", "Han", "President Han"),
        ("c", "Han Zhiyuan", "Han"),
        ("c", "Han Zhiyuan", "he"),
    ])
    assert len(set(ids)) == 1
    row = table[ids[0]]
    assert (row["name"], row["variants"], row["type"]) == ("Han Zhiyuan", ["Han", "Han Zhiyuan"], "person")
    assert (row["n_quotes"], row["n_documents"], row["ambiguous"]) == (4, 3, False)


def test_two_people_with_one_surname_stay_two_and_a_bare_surname_is_ambiguous():
    ids, table = grouped([
        ("a", "John Smith", "Senator John Smith"),
        ("b", "Mary Smith", "Orion Motors chief executive Mary Smith"),
        ("c", "Smith", "Smith"),
        ("d", "Smith", "Smith"),
    ])
    john, mary, bare, bare2 = ids
    assert len({john, mary, bare}) == 3 and bare == bare2
    assert table[bare]["ambiguous"] and table[bare]["name"] == "Smith"
    assert not table[john]["ambiguous"] and not table[mary]["ambiguous"]


def test_document_context_picks_one_of_several_people():
    ids, _ = grouped([
        ("a", "John Smith", "Senator John Smith"),
        ("b", "Mary Smith", "Ms. Smith"),
        ("c", "Smith", "Senator Smith, who chairs the committee,"),  # title in the mention
        ("d", "Smith", "Smith"),  # role in the article's text
        ("e", "Smith", "Ms. Smith"),  # gender
    ], texts={"d": "Smith, the senator from Ohio, said the vote would be close. “Yes,” Smith said."})
    john, mary, by_mention, by_text, by_gender = ids
    assert (by_mention, by_text, by_gender) == (john, john, mary)


def test_initials_join_the_one_person_they_fit():
    ids, table = grouped([
        ("a", "John Smith", "John Smith"),
        ("b", "Mary Smith", "Mary Smith"),
        ("c", "J. Smith", "Sen. J. Smith"),
        ("d", "John A. Smith", "John A. Smith"),
    ])
    assert ids[0] == ids[2] == ids[3] != ids[1]
    assert table[ids[0]]["name"] == "John A. Smith"
    ids, table = grouped([("a", "John Smith", None), ("b", "Jane Smith", None), ("c", "J. Smith", None)])
    assert len(set(ids)) == 3 and table[ids[2]]["ambiguous"]


def test_organisations_merge_on_name_and_acronym():
    ids, table = grouped([
        ("a", "National Health Agency", "The National Health Agency (NHA)"),
        ("b", "NHA", "the NHA"),
        ("c", "White House", "The White House"),
        ("d", "White House", "the White House"),
    ])
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    assert table[ids[0]]["type"] == table[ids[2]]["type"] == "organisation"
    assert table[ids[0]]["variants"] == ["NHA", "National Health Agency"]
    ids, table = grouped([("a", "Harbor Economics", "Harbor Economics"), ("b", "Pike Research", "Pike Research")])
    assert [table[i]["type"] for i in ids] == ["organisation", "organisation"]  # firms named by their trade


def test_quotes_without_speaker_have_no_id_and_ids_are_stable():
    rows = [("a", None, "officials"), ("b", "Petra Novak", "Petra Novak"), ("c", "Novak", "Ms. Novak")]
    ids, table = grouped(rows)
    assert ids[0] is None and ids[1] == ids[2]
    assert grouped(list(reversed(rows)))[0] == list(reversed(ids))  # input order does not matter
    assert ids[1].startswith("spk_") and sum(r["n_quotes"] for r in table.values()) == 2


def test_no_break_spaces_do_not_split_a_name():
    ids, table = grouped([("a", "Dmitri\u00a0Volkov", None), ("b", "Dmitri Volkov", None)])
    assert ids[0] == ids[1] and table[ids[0]]["variants"] == ["Dmitri Volkov"]


def test_gold_corpus_b_cubed_from_gold_names():
    """The grouping alone, fed the gold per-document names: every same-person decision of the
    corpus gold except the one bare "Wang" that nothing in its article can decide."""
    gold = [json.loads(line) for line in (FIXTURES / "speakers_corpus_gold.jsonl").read_text().splitlines()]
    rows = [(doc["id"], s["speaker"], s["speaker"]) for doc in gold for s in doc["speakers"] if s["person"]]
    texts = {doc["id"]: doc["text"] for doc in gold}
    ids, _ = grouped(rows, texts)
    persons = [s["person"] for doc in gold for s in doc["speakers"] if s["person"]]
    scores = b_cubed(persons, ids)
    assert scores["precision"] == 1.0 and scores["f1"] >= 0.95


def test_dev2_corpus_b_cubed_from_gold_names():
    """The grouping alone on the second dev gold (speakers_corpus_dev2.jsonl; once called held-out,
    but later resolver changes were made with it in view, so its figures are dev figures).
    Measured when it was written (88055f7):
    B-cubed P 0.946, R 0.830, F1 0.884; the misses are bare "Park" (two people) whose articles'
    "Gov." / "Mr." do not decide, and "Dr. Reyes". The floor guards against regressions."""
    gold = [json.loads(line) for line in (FIXTURES / "speakers_corpus_dev2.jsonl").read_text().splitlines()]
    rows = [(doc["id"], s["speaker"], s["speaker"]) for doc in gold for s in doc["speakers"] if s["person"]]
    ids, _ = grouped(rows, {doc["id"]: doc["text"] for doc in gold})
    persons = [s["person"] for doc in gold for s in doc["speakers"] if s["person"]]
    assert b_cubed(persons, ids)["f1"] >= 0.88


def test_b_cubed_counts():
    assert b_cubed(["a", "a", "b"], ["x", "x", "x"])["recall"] == 1.0
    assert b_cubed(["a", "a", "b"], ["x", "x", "x"])["precision"] == pytest.approx(5 / 9)
    assert b_cubed(["a", "a", "b"], ["x", "y", "z"])["precision"] == 1.0


def test_grouper_scales_linearly_on_a_small_synthetic_corpus():
    grouper = SpeakerGrouper()
    for i in range(5_000):
        grouper.add(f"d{i % 1000}", f"Given{i % 97} Surname{i % 1013}", None)
    ids = grouper.ids()
    assert len(ids) == 5_000 and len(set(ids)) == len({(i % 97, i % 1013) for i in range(5_000)})


@pytest.mark.slow
def test_corpus_gold_end_to_end(tmp_path):
    """The shipped tagger, per-document resolution and grouping on the corpus gold."""
    from pipeline.api import Pipeline
    from pipeline.run.files import write_output
    from pipeline.eval.speakers import evaluate_speaker_predictions

    nlp = Pipeline.from_pretrained(overrides=["~stance"])
    gold_path = FIXTURES / "speakers_corpus_gold.jsonl"
    records = [json.loads(line) for line in gold_path.read_text().splitlines()]
    output = nlp.run([{"id": r["id"], "text": r["text"]} for r in records])
    write_output(output._asdict(), tmp_path, {})
    summary = evaluate_speaker_predictions(gold_path, tmp_path, tmp_path / "eval")["summary"]
    assert summary["b_cubed_f1"] >= 0.95 and summary["accuracy"] >= 0.95


@pytest.mark.slow
def test_dev2_corpus_end_to_end(tmp_path):
    """The default pipeline (shipped tagger, resolution, grouping) on the second dev gold (once
    called held-out; tuned on since, see issue 21), scored by
    the evaluation code of ``scripts/evaluate.py task=speakers``. Measured when the gold was
    written, before any later resolver change: within-document accuracy 0.775 (31 of 40),
    B-cubed P 0.901, R 0.688, F1 0.780 (the dev part gives 1.000 and 0.987). Capitalised titles
    in front of a name ("Police Chief Oliver Grant"; a change made for SEESAW's "House Speaker
    Nancy Pelosi", not tuned here) raised them to 0.825 and 0.822, and common US first names for
    gender ("Ruth", "Samuel" among them, chosen for SEESAW) to 0.900 and 0.897. Floors at those
    values: a later change may raise them, not lower them."""
    from pipeline.api import Pipeline
    from pipeline.io.artifacts import write_tables
    from pipeline.eval.speakers import evaluate_speaker_predictions

    nlp = Pipeline.from_pretrained(overrides=["~stance"])
    gold_path = FIXTURES / "speakers_corpus_dev2.jsonl"
    records = [json.loads(line) for line in gold_path.read_text().splitlines()]
    output = nlp.run([{"id": r["id"], "text": r["text"]} for r in records])
    write_tables({"quotes": output.quotes, "documents": output.documents}, tmp_path, {})
    summary = evaluate_speaker_predictions(gold_path, tmp_path, tmp_path / "eval")["summary"]
    assert summary["found"] == summary["gold_quotes"] == 40
    assert summary["accuracy"] >= 0.9 and summary["b_cubed_f1"] >= 0.89


def test_a_bare_name_whose_gender_fits_nobody_stays_ambiguous():
    ids, table = grouped([("a", "Peter Novak", "Peter Novak"), ("b", "Paul Novak", "Paul Novak"),
                          ("c", "Novak", "Ms. Novak, the minister,")])
    assert len(set(ids)) == 3 and table[ids[2]]["ambiguous"]


def test_a_nickname_and_a_middle_initial_are_one_person_with_one_stable_id():
    """"Joe Biden" and "Joseph R. Biden" are one person; the id is the same whether or not the
    run has an article with the fuller form, so adding one article does not move it."""
    ids, table = grouped([("a", "Joe Biden", "Joe Biden"), ("b", "Joseph R. Biden", "President Joseph R. Biden"),
                          ("c", "Bill Corwin", "Bill Corwin"), ("d", "William Corwin", "William Corwin")])
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    alone, _ = grouped([("a", "Joe Biden", "Joe Biden")])
    assert alone[0] == ids[0]
    assert table[ids[0]]["name"] == "Joseph R. Biden"


def test_two_people_of_one_surname_keep_two_ids_and_an_article_keeps_an_organisation():
    ids, _ = grouped([("a", "John Smith", "John Smith"), ("b", "Jane Smith", "Ms. Jane Smith"),
                      ("c", "The FASB", "The FASB"), ("d", "FASB", "FASB")])
    assert ids[0] != ids[1] and ids[2] == ids[3]
