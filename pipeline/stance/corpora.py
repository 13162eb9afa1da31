"""Readers for the stance corpora, each into one table: ``target``, ``text``, ``label``.

Every reader maps its corpus' own labels onto ``against`` / ``favor`` / ``neutral`` and keeps
a ``group`` column (the unit that must not be split: a comment, a debate topic, a sentence) and
a ``topic`` column, used to carve dev splits without leakage.
Readers read the files exactly as distributed (see ../shared/data/stance/*/README.md);
the withheld test files have the same formats, so evaluation uses the same readers.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable

import pandas as pd

from pipeline.stance.news_quotes import read_polnear_quotes

LABELS = ("against", "favor", "neutral")
COLUMNS = ["target", "text", "label", "group", "topic", "mention_start", "mention_end", "holder_start", "holder_end"]

GWSD_TARGET = "climate change is a serious concern"


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["topic"] = [t if isinstance(t, str) else g for t, g in zip(frame["topic"], frame["target"])]
    for column in ("mention_start", "mention_end", "holder_start", "holder_end"):
        frame[column] = frame[column].fillna(-1).astype(int)
    bad = set(frame["label"]) - set(LABELS)
    if bad:
        raise ValueError(f"unmapped labels {sorted(bad)}")
    return frame


def mentions_of(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Each row's target mention span in its text, ``(-1, -1)`` where the corpus gives none."""
    return list(zip(frame["mention_start"].tolist(), frame["mention_end"].tolist()))


def holders_of(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Each row's holder (the entity whose stance it is) span in its text, ``(-1, -1)`` for none."""
    return list(zip(frame["holder_start"].tolist(), frame["holder_end"].tolist()))


def read_vast(path: str | Path) -> pd.DataFrame:
    """VAST CSV (``post``, ``topic_str``, ``label`` 0=con 1=pro 2=neutral); group = the comment."""
    labels = {0: "against", 1: "favor", 2: "neutral"}
    raw = pd.read_csv(path, keep_default_na=False)
    rows = [
        {"target": r.topic_str, "text": r.post, "label": labels[int(r.label)], "group": str(r.arc_id),
         "topic": r.new_topic}
        for r in raw.itertuples(index=False)
    ]
    return _frame(rows)


def read_newsmtsc(path: str | Path) -> pd.DataFrame:
    """NewsMTSC JSONL, original (one sentence, several targets) or ``hf/`` (one target a line).

    Sentiment toward the mentioned person is read as stance: neg/neu/pos -> against/neutral/favor.
    The mention's character span is kept so featurisation can mark it in the sentence.
    """
    by_polarity = {2.0: "against", 4.0: "neutral", 6.0: "favor", -1: "against", 0: "neutral", 1: "favor"}
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if "targets" in record:
                sentence = record["sentence_normalized"]
                targets = record["targets"]
                group = record.get("primary_gid", "")
            else:
                sentence = record["sentence"]
                targets = [record]
                group = record.get("id", "")
            for target in targets:
                rows.append(
                    {
                        "target": target["mention"],
                        "text": sentence,
                        "label": by_polarity[target["polarity"]],
                        "group": group,
                        "mention_start": target["from"],
                        "mention_end": target["to"],
                    }
                )
    return _frame(rows)


def read_gwsd(path: str | Path) -> pd.DataFrame:
    """GWSD TSV against the fixed proposition "climate change is a serious concern".

    Label rule: the argmax of the authors' posteriors (``agree``/``neutral``/``disagree``) where
    they exist; otherwise the strict majority of the raw worker votes; rows with neither are dropped.
    """
    labels = {"agree": "favor", "agrees": "favor", "disagree": "against", "disagrees": "against",
              "neutral": "neutral"}
    raw = pd.read_csv(path, sep="\t", keep_default_na=True)
    workers = [c for c in raw.columns if c.startswith("worker_")]
    rows = []
    for r in raw.to_dict("records"):
        posterior = {k: r.get(k) for k in ("agree", "neutral", "disagree")}
        if all(pd.notna(v) for v in posterior.values()):
            label = labels[max(posterior, key=lambda k: float(posterior[k]))]
        else:
            votes = Counter(str(r[w]) for w in workers if pd.notna(r[w]))
            if not votes:
                continue
            (top, count), = votes.most_common(1)
            if count * 2 <= sum(votes.values()) or top not in labels:
                continue
            label = labels[top]
        rows.append({"target": GWSD_TARGET, "text": r["sentence"], "label": label, "group": str(r["guid"])})
    return _frame(rows)


def read_ibm(path: str | Path) -> pd.DataFrame:
    """IBM Claim Stance CSV: the debate motion is the target, PRO/CON the label (no neutral)."""
    labels = {"PRO": "favor", "CON": "against"}
    raw = pd.read_csv(path, keep_default_na=False)
    rows = [
        {"target": r["topicText"], "text": r["claims.claimCorrectedText"],
         "label": labels[r["claims.stance"]], "group": str(r["topicId"])}
        for r in raw.to_dict("records")
    ]
    return _frame(rows)


def read_semeval(path: str | Path, split: str = "val") -> pd.DataFrame:
    """SemEval-2016 Task 6: the official TSV (ID, Target, Tweet, Stance), or a TweetEval folder.

    For a TweetEval folder (``<target>/<split>_text.txt`` + ``<split>_labels.txt``), ``split``
    picks train / val / test.
    """
    path = Path(path)
    labels = {"FAVOR": "favor", "AGAINST": "against", "NONE": "neutral"}
    rows = []
    if path.is_dir():
        tweeteval = {"0": "neutral", "1": "against", "2": "favor"}
        names = {"abortion": "Legalization of Abortion", "atheism": "Atheism",
                 "climate": "Climate Change is a Real Concern", "feminist": "Feminist Movement",
                 "hillary": "Hillary Clinton"}
        text_files = sorted(path.glob(f"*/{split}_text.txt"))
        if not text_files:
            raise FileNotFoundError(f"no */{split}_text.txt under {path}")
        for text_file in text_files:
            folder = text_file.parent
            texts = text_file.read_text(encoding="utf-8").splitlines()
            gold = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
            if len(texts) != len(gold):
                raise ValueError(f"{folder}: {len(texts)} texts but {len(gold)} labels")
            target = names.get(folder.name, folder.name)
            rows += [{"target": target, "text": t.strip(), "label": tweeteval[g], "group": target}
                     for t, g in zip(texts, gold)]
    else:
        with open(path, encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append({"target": r["Target"], "text": r["Tweet"],
                             "label": labels[r["Stance"].strip()], "group": r["Target"]})
    return _frame(rows)


_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def read_directed_sentiment(path: str | Path) -> pd.DataFrame:
    """Directed sentiment TSV (sentence with both entities in [ ], entity1, entity2, label 0-4).

    Each sentence gives two rows, one per direction: the holder's stance toward the other
    entity.  Label 1/3: entity1 is favor/against entity2; 2/4: the same from entity2; the
    other direction, and both directions of label 0, are neutral.  The brackets are removed;
    both entities' spans are kept (target as the mention, the other as the holder).  Rows whose
    two bracketed spans cannot be found are dropped.
    """
    directed = {1: (0, "favor"), 2: (1, "favor"), 3: (0, "against"), 4: (1, "against")}
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, fields in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if len(fields) < 4 or not fields[3].strip().isdigit():
                continue
            sentence, names, label = fields[0], fields[1:3], int(fields[3])
            text, spans, shift = sentence, [], 0
            for match in _BRACKETED.finditer(sentence):
                begin = match.start() - shift
                spans.append((match.group(1), begin, begin + len(match.group(1))))
                shift += 2
            text = _BRACKETED.sub(lambda m: m.group(1), sentence)
            located = []
            for name in names:
                hit = next((s for s in spans if s[0].strip() == name.strip() and s not in located), None)
                if hit is None:
                    break
                located.append(hit)
            if len(located) != 2:
                continue
            holder_of, stance = directed.get(label, (None, "neutral"))
            for holder in (0, 1):
                target = 1 - holder
                rows.append({
                    "target": names[target].strip(), "text": text,
                    "label": stance if holder == holder_of else "neutral",
                    "group": str(number),
                    "mention_start": located[target][1], "mention_end": located[target][2],
                    "holder_start": located[holder][1], "holder_end": located[holder][2],
                })
    return _frame(rows)


READERS: dict[str, Callable[..., pd.DataFrame]] = {
    "directed_sentiment": read_directed_sentiment,
    "vast": read_vast,
    "newsmtsc": read_newsmtsc,
    "gwsd": read_gwsd,
    "ibm": read_ibm,
    "semeval": read_semeval,
    "polnear_quotes": read_polnear_quotes,
}


def read_corpus(path: str | Path, fmt: str, **kwargs) -> pd.DataFrame:
    """Read ``path`` with the reader for ``fmt``; a clear error for an unknown format or path."""
    if fmt not in READERS:
        raise ValueError(f"unknown stance format {fmt!r}; expected one of {sorted(READERS)}")
    if not Path(path).exists():
        raise FileNotFoundError(f"stance data not found: {path}")
    return READERS[fmt](path, **kwargs)


def split_by_group(frame: pd.DataFrame, dev_fraction: float, seed: int,
                   unseen_topics: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Carve a group-disjoint dev split; with ``unseen_topics``, also topic-disjoint.

    Groups are shuffled with ``seed`` and taken into dev until ``dev_fraction`` of the rows is
    reached; train keeps every row of the other groups.  With ``unseen_topics`` (VAST), dev then
    keeps only rows whose topic never occurs in train: the zero-shot setting of the VAST test
    set, which is also article-disjoint from train.
    """
    groups = frame["group"].drop_duplicates().sample(frac=1.0, random_state=seed).tolist()
    sizes = frame.groupby("group").size()
    dev_groups, taken = set(), 0
    for group in groups:
        if taken >= dev_fraction * len(frame):
            break
        dev_groups.add(group)
        taken += int(sizes[group])
    in_dev = frame["group"].isin(dev_groups)
    train, dev = frame[~in_dev], frame[in_dev]
    if unseen_topics:
        dev = dev[~dev["topic"].isin(set(train["topic"]))]
    return train.reset_index(drop=True), dev.reset_index(drop=True)
