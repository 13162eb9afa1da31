"""Quote-level stance scoring on the polnear_quotes format (pipeline.eval.quote_stance)."""

import pytest
from datasets import Dataset

from pipeline.eval.quote_stance import evaluate_quote_stance, match_quote, polar_scores
from pipeline.io.artifacts import write_tables
from pipeline.stance.classifier import StancePrediction
from test_news_quotes import ARTICLE, ATTRIBUTIONS, write_corpus


class FixedStance:
    """Says 'against' to every pair it is asked about, and records what it read."""

    context = "clause"

    def __init__(self):
        self.asked = []

    def predict(self, targets, texts, mentions=None, holders=None):
        self.asked += list(zip(targets, texts))
        return [StancePrediction("against", 0.9, {"against": 0.9}) for _ in targets]


def test_polar_scores_need_the_right_polarity():
    scores = polar_scores(["favor", "against", "neutral", "neutral"], ["against", "against", "favor", "neutral"])
    assert (scores["hits"], scores["predicted"], scores["gold"]) == (1, 3, 2)
    assert scores["precision"] == pytest.approx(1 / 3) and scores["recall"] == pytest.approx(0.5)


def test_from_gold_attributions_every_pair_counts_and_the_speakers_own_are_neutral(tmp_path):
    stance = FixedStance()
    result = evaluate_quote_stance(write_corpus(tmp_path), tmp_path / "out", classifier=stance)
    summary = result["summary"]
    assert summary["pairs"] == 3 * 3  # 3 attributions x 3 targets, the unasked ones included
    # Cruz's own attribution is not asked about Cruz or his party: 9 pairs - 2 own = 7 asked
    assert len(stance.asked) == 7
    assert summary["polar_precision"] == pytest.approx(2 / 7) and summary["polar_recall"] == 1.0
    assert (tmp_path / "out" / "metrics.json").exists() and (tmp_path / "out" / "pairs.jsonl").exists()


def test_end_to_end_matches_quotes_by_overlap_and_unmatched_attributions_are_neutral(tmp_path):
    gold = write_corpus(tmp_path)
    a1 = ATTRIBUTIONS[0]["content"]
    quote = {"doc_id": "cruz", "quote_id": "cruz#0", "text": ARTICLE[a1[0]:a1[1] - 4], "start": a1[0],
             "end": a1[1] - 4, "kind": "indirect", "cue": None, "cue_start": None, "cue_end": None,
             "speaker_mention": None, "speaker_start": None, "speaker_end": None, "speaker": "Ted Cruz",
             "attribution_score": 1.0,
             "stances": [{"target": "Democratic Party", "label": "against", "score": 0.8, "gated": False}]}
    from pipeline.io.artifacts import DOCUMENT_TABLE_FEATURES, QUOTE_TABLE_FEATURES
    quotes = Dataset.from_list([quote], features=QUOTE_TABLE_FEATURES)
    documents = Dataset.from_list([{"doc_id": "cruz", "status": "ok", "error": None, "n_quotes": 1,
                                    "source": "x", "targets": [], "meta": "{}", "text": ARTICLE}],
                                  features=DOCUMENT_TABLE_FEATURES)
    write_tables({"quotes": quotes, "documents": documents}, tmp_path / "run", {})
    result = evaluate_quote_stance(gold, tmp_path / "out", predictions=tmp_path / "run")
    summary = result["summary"]
    assert summary["attributions_matched"] == pytest.approx(1 / 3)
    assert summary["polar_precision"] == 1.0 and summary["polar_recall"] == 0.5  # Ortiz's quote was missed


def test_match_quote_needs_half_the_shorter_span():
    quotes = [{"start": 0, "end": 10}, {"start": 8, "end": 30}]
    assert match_quote((9, 20), quotes) == quotes[1]
    assert match_quote((40, 50), quotes) is None
