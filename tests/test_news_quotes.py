"""Stance pairs from news attributions labelled toward their article's targets (polnear_quotes format)."""

import json

import pytest

from pipeline.stance.corpora import read_corpus
from pipeline.stance.features import NO_MENTION
from pipeline.stance.news_quotes import attribution_pairs
from pipeline.stance.targets import Target, TargetLocator, as_target, clause_mention, is_own_source

ARTICLE = ("Cruz slams Democrats over tax bill\n\n"
           "Republican Sen. Ted Cruz said that Democrats had wrecked the tax bill. "
           "“The nominee has no plan,” said Rep. Lena Ortiz, a Democrat. "
           "Ortiz said the Republican nominee would lose.")


def span(text: str, piece: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return [start, start + len(piece)]


TARGETS = [
    {"name": "Democratic Party", "type": "organisation", "aliases": ["Democrats"]},
    {"name": "Republican Party", "type": "organisation", "aliases": ["Republicans"]},
    {"name": "Ted Cruz", "type": "person", "aliases": ["Cruz", "the Republican nominee", "the nominee"]},
]
ATTRIBUTIONS = [
    {"a": 1, "content": span(ARTICLE, "Democrats had wrecked the tax bill"),
     "source": span(ARTICLE, "Republican Sen. Ted Cruz"), "cue": span(ARTICLE, "said", 0)},
    {"a": 2, "content": span(ARTICLE, "The nominee has no plan,"),
     "source": span(ARTICLE, "Rep. Lena Ortiz, a Democrat"), "cue": span(ARTICLE, "said", 1)},
    {"a": 3, "content": span(ARTICLE, "the Republican nominee would lose"),
     "source": span(ARTICLE, "Ortiz", 1), "cue": span(ARTICLE, "said", 2)},
]
LABELS = [{"a": 1, "target": "Democratic Party", "label": "against"},
          {"a": 2, "target": "Ted Cruz", "label": "against"}]


def write_corpus(tmp_path):
    """The invented article above in the polnear_quotes layout; returns the dev.jsonl path."""
    (tmp_path / "quotes" / "polnear" / "dev" / "text").mkdir(parents=True)
    (tmp_path / "quotes" / "polnear" / "dev" / "text" / "cruz.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "stance" / "polnear_quotes"
    folder.mkdir(parents=True)
    record = {"doc_id": "cruz", "targets": TARGETS, "attributions": ATTRIBUTIONS, "labels": LABELS}
    (folder / "dev.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder / "dev.jsonl"


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path)


def test_every_pair_is_read_with_its_label_and_the_speakers_own_pairs_are_left_out(corpus):
    frame = read_corpus(corpus, "polnear_quotes")
    pairs = {(row.text[:12], row.target): row.label for row in frame.itertuples()}
    # Cruz's own attribution has no pair toward Cruz, nor toward his party named in his holder
    assert ("Republican S", "Ted Cruz") not in pairs and ("Republican S", "Republican Party") not in pairs
    assert pairs[("Republican S", "Democratic Party")] == "against"
    assert pairs[("The nominee ", "Ted Cruz")] == "against"
    assert pairs[("Ortiz said t", "Republican Party")] == "neutral"  # unlisted pairs are neutral
    assert set(frame["group"]) == {"cruz"}


def test_the_target_is_marked_in_the_content_never_inside_the_holder(corpus):
    frame = read_corpus(corpus, "polnear_quotes")
    row = frame[(frame.target == "Democratic Party") & frame.text.str.startswith("Republican")].iloc[0]
    assert row.text[row.mention_start:row.mention_end] == "Democrats"
    assert row.text[row.holder_start:row.holder_end] == "Republican Sen. Ted Cruz"
    # "Rep. Lena Ortiz, a Democrat" holds the stance; "Democrat" there is not the party
    quote = [q for q in frame.itertuples() if q.text.startswith("The nominee") and q.target == "Democratic Party"][0]
    assert quote.mention_start == -1


def test_aliases_are_mentions_and_can_be_switched_off(corpus):
    with_aliases = read_corpus(corpus, "polnear_quotes")
    without = read_corpus(corpus, "polnear_quotes", aliases=False)

    def mention(frame):
        row = frame[(frame.target == "Ted Cruz") & frame.text.str.startswith("The nominee")].iloc[0]
        return row.text[row.mention_start:row.mention_end] if row.mention_start >= 0 else None

    assert mention(with_aliases) == "The nominee"
    assert mention(without) is None


def test_neutral_pairs_can_be_subsampled_and_polar_pairs_are_always_kept(corpus):
    frame = read_corpus(corpus, "polnear_quotes", neutral_mentioned=0.0, neutral_unmentioned=0.0)
    assert sorted(frame["label"]) == ["against", "against"]


def test_targets_from_strings_and_mappings():
    assert as_target(" Joe Biden ") == Target("Joe Biden")
    assert as_target({"name": "Joe Biden", "aliases": ["Biden", "Joe Biden"]}) == Target("Joe Biden", ("Biden",))
    with pytest.raises(ValueError, match="name"):
        as_target({"aliases": ["x"]})
    with pytest.raises(ValueError, match="aliases"):
        as_target({"name": "x", "aliases": "y"})


def test_an_alias_with_capitals_is_case_sensitive():
    locate = TargetLocator([{"name": "United States", "aliases": ["US"]}])
    assert locate("United States", "what the US wants") == (9, 11)
    assert locate("United States", "give us a break") == NO_MENTION


def test_own_source_by_resolved_speaker_or_source_mention_but_not_a_possessive():
    locate = TargetLocator(TARGETS)
    assert is_own_source(locate, "Ted Cruz", "he", "Ted Cruz")
    assert is_own_source(locate, "Ted Cruz", "the Cruz campaign", None)
    assert not is_own_source(locate, "Ted Cruz", "Cruz's father", None)
    assert not is_own_source(locate, "Heidi Cruz", "he", "Rafael Cruz")
    assert not is_own_source(locate, "Cruz's tax plan", "Cruz", "Ted Cruz")  # a topic is never a source


def test_clause_mention_skips_the_holder():
    locate = TargetLocator([])
    clause = "Sen. Ted Cruz said Cruz would win"
    assert clause_mention(locate, "Ted Cruz", clause, (0, 13)) == (19, 23)
    assert clause_mention(locate, "Ted Cruz", clause) == (5, 13)


def test_attribution_pairs_match_the_inference_clause():
    quotes = [{"start": 10, "end": 30, "speaker_start": 0, "speaker_end": 5, "speaker_mention": "Maria",
               "speaker": "Maria Lopez", "cue_start": 6, "cue_end": 9, "kind": "indirect"}]
    text = "Maria says the tariffs on steel are a tax."
    pairs = list(attribution_pairs(text, quotes, ["steel tariffs", "Maria Lopez"]))
    assert [p["target"] for p in pairs] == ["steel tariffs"]
    assert pairs[0]["text"] == text[:30] and pairs[0]["holder"] == (0, 5)
    assert pairs[0]["text"][slice(*pairs[0]["mention"])].startswith("tariffs")


def test_targets_file_in_three_formats(tmp_path):
    from pipeline.stance.targets import read_targets_file

    (tmp_path / "t.json").write_text(json.dumps(["climate action", {"name": "Joe Biden", "aliases": ["Biden"]}]))
    (tmp_path / "t.jsonl").write_text('"climate action"\n{"name": "Joe Biden", "aliases": ["Biden"]}\n')
    (tmp_path / "t.txt").write_text("climate action\nJoe Biden\n")
    want = [Target("climate action"), Target("Joe Biden", ("Biden",))]
    assert read_targets_file(tmp_path / "t.json") == read_targets_file(tmp_path / "t.jsonl") == want
    assert read_targets_file(tmp_path / "t.txt") == [Target("climate action"), Target("Joe Biden")]
    (tmp_path / "bad.json").write_text(json.dumps([{"aliases": ["x"]}]))
    with pytest.raises(ValueError, match="bad.json"):
        read_targets_file(tmp_path / "bad.json")
