"""Each stance reader maps its corpus' labels correctly, from small files written here."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.stance.corpora import GWSD_TARGET, read_corpus, split_by_group


def test_vast(tmp_path):
    path = tmp_path / "vast.csv"
    pd.DataFrame({
        "post": ["Taxes fund schools.", "Taxes fund schools.", "Cars are noisy."],
        "topic_str": ["tax", "school funding", "cars"], "new_topic": ["tax", "school", "cars"],
        "label": [1, 2, 0], "seen?": [1, 1, 1], "arc_id": [7, 7, 9],
    }).to_csv(path, index=False)
    frame = read_corpus(path, "vast")
    assert frame["label"].tolist() == ["favor", "neutral", "against"]
    assert frame["group"].tolist() == ["7", "7", "9"]  # a comment is never split
    assert frame["topic"].tolist() == ["tax", "school", "cars"]
    assert frame["target"].tolist() == ["tax", "school funding", "cars"]


def test_newsmtsc_original_and_hf_formats(tmp_path):
    original = tmp_path / "orig.jsonl"
    original.write_text(json.dumps({
        "primary_gid": "g1", "sentence_normalized": "Smith praised Jones but mocked Lee.",
        "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 4.0},
                    {"from": 31, "to": 34, "mention": "Lee", "polarity": 2.0}]}) + "\n")
    hf = tmp_path / "hf.jsonl"
    hf.write_text(json.dumps({"mention": "Jones", "polarity": 1, "from": 14, "to": 19,
                              "sentence": "Smith praised Jones.", "id": "g2"}) + "\n")
    frame = read_corpus(original, "newsmtsc")
    assert frame[["target", "label"]].values.tolist() == [["Smith", "neutral"], ["Lee", "against"]]
    assert frame["mention_start"].tolist() == [0, 31]
    assert read_corpus(hf, "newsmtsc")["label"].tolist() == ["favor"]


def test_gwsd_posterior_argmax_then_majority_vote(tmp_path):
    path = tmp_path / "gwsd.tsv"
    rows = [
        {"sentence": "Warming is a hoax.", "worker_0": "disagrees", "worker_1": "disagrees",
         "disagree": 0.9, "agree": 0.05, "neutral": 0.05, "guid": "a"},
        {"sentence": "Seas will rise.", "worker_0": "agrees", "worker_1": "agrees", "worker_2": "neutral",
         "disagree": None, "agree": None, "neutral": None, "guid": "b"},
        {"sentence": "Split vote.", "worker_0": "agrees", "worker_1": "neutral",
         "disagree": None, "agree": None, "neutral": None, "guid": "c"},
    ]
    pd.DataFrame(rows).to_csv(path, sep="\t", index=False)
    frame = read_corpus(path, "gwsd")
    assert frame["label"].tolist() == ["against", "favor"]  # the tie is dropped
    assert set(frame["target"]) == {GWSD_TARGET}


def test_ibm(tmp_path):
    path = tmp_path / "ibm.csv"
    pd.DataFrame({"topicId": [1, 1], "topicText": ["This house would ban smoking"] * 2,
                  "claims.stance": ["PRO", "CON"],
                  "claims.claimCorrectedText": ["Smoking harms others", "Adults may choose"]}).to_csv(path, index=False)
    frame = read_corpus(path, "ibm")
    assert frame["label"].tolist() == ["favor", "against"]
    assert frame["target"][0] == "This house would ban smoking"


def test_semeval_official_tsv_and_tweeteval_folder(tmp_path):
    tsv = tmp_path / "task.tsv"
    tsv.write_text("ID\tTarget\tTweet\tStance\n1\tAtheism\tPrayer helps me \"daily\"\tAGAINST\n"
                   "2\tAtheism\tNo gods needed\tFAVOR\n3\tAtheism\tNice weather\tNONE\n", encoding="utf-8")
    assert read_corpus(tsv, "semeval")["label"].tolist() == ["against", "favor", "neutral"]
    folder = tmp_path / "tweeteval" / "climate"
    folder.mkdir(parents=True)
    (folder / "val_text.txt").write_text("We must act now\nWho cares\n", encoding="utf-8")
    (folder / "val_labels.txt").write_text("2\n0\n")
    frame = read_corpus(tmp_path / "tweeteval", "semeval", split="val")
    assert frame["label"].tolist() == ["favor", "neutral"]
    assert frame["target"][0] == "Climate Change is a Real Concern"


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match="unknown stance format"):
        read_corpus(tmp_path, "tweets")
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "none.csv", "vast")


def test_group_split_is_disjoint_and_leaks_no_text():
    frame = pd.DataFrame({
        "target": [f"t{i % 10}" for i in range(100)],
        "text": [f"post {i % 40}" for i in range(100)],
        "label": ["favor"] * 100, "group": [f"t{i % 10}" for i in range(100)],
        "mention_start": -1, "mention_end": -1,
    })
    train, dev = split_by_group(frame, 0.2, seed=1)
    assert not set(train["group"]) & set(dev["group"])
    assert not set(train["text"]) & set(dev["text"])
    assert 0.15 <= len(dev) / len(frame) <= 0.35
    again_train, again_dev = split_by_group(frame, 0.2, seed=1)
    assert again_dev.equals(dev)


def test_unseen_topic_split_keeps_only_zero_shot_dev_rows():
    # 20 comments, each paired with its own topic and with the shared topic "economy".
    rows = []
    for i in range(20):
        for topic in (f"topic{i}", "economy"):
            rows.append({"target": topic, "text": f"comment {i}", "label": "favor", "group": str(i),
                         "topic": topic, "mention_start": -1, "mention_end": -1})
    frame = pd.DataFrame(rows)
    train, dev = split_by_group(frame, 0.2, seed=0, unseen_topics=True)
    assert len(train) == 32 and len(dev) == 4
    assert not set(dev["topic"]) & set(train["topic"])
    assert not set(dev["text"]) & set(train["text"])


def test_directed_sentiment_gives_both_directions_with_both_spans(tmp_path):
    path = tmp_path / "ds.tsv"
    rows = [
        ("[Rosa Delgado] praised [Frank Miller] for the budget.", "Rosa Delgado", "Frank Miller", 1),
        ("Critics of [the council] were scolded by [Okafor].", "the council", "Okafor", 4),
        ("[Hale] met [Kim] on Tuesday.", "Hale", "Kim", 0),
        ("A broken row with [only one] entity.", "only one", "missing", 3),
    ]
    path.write_text("".join(f"{s}\t{a}\t{b}\t{label}\n" for s, a, b, label in rows), encoding="utf-8")
    frame = read_corpus(path, "directed_sentiment")
    assert len(frame) == 6  # two directions per sentence; the broken row is dropped
    first = frame.iloc[0]
    assert first["text"] == "Rosa Delgado praised Frank Miller for the budget."
    assert (first["target"], first["label"]) == ("Frank Miller", "favor")
    assert first["text"][first["holder_start"]:first["holder_end"]] == "Rosa Delgado"
    assert first["text"][first["mention_start"]:first["mention_end"]] == "Frank Miller"
    assert (frame.iloc[1]["target"], frame.iloc[1]["label"]) == ("Rosa Delgado", "neutral")
    # label 4: entity2 (Okafor) is against entity1 (the council); the other way is neutral
    assert frame.iloc[2][["target", "label"]].tolist() == ["Okafor", "neutral"]
    assert frame.iloc[3][["target", "label"]].tolist() == ["the council", "against"]
    assert frame.iloc[4:]["label"].tolist() == ["neutral", "neutral"]
    assert frame["group"].nunique() == 3  # a sentence's two rows stay together
