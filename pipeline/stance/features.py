"""The one featurisation path for stance, shared by training, evaluation and inference.

A stance example is a sentence pair: the target first, the quote (or sentence, post, claim)
second.  Two things make the pair target-aware:

* **Mention marking.**  Where the target is mentioned inside the text, the mention is wrapped in
  ``«`` ``»`` (both single tokens of the MiniLM vocabulary), so a sentence naming two people
  says which one the label is about.  A corpus that gives the mention's offsets (NewsMTSC) uses
  them; otherwise, in training and at inference alike, the first case-insensitive occurrence of
  the target string is marked.  A checkpoint trained with marking says so in its config
  (``stance_mark_mentions``); older checkpoints get the plain pair they were trained on.
* **Target-aware truncation.**  A text longer than its token budget keeps the window around
  the marked mention (the head of the text when there is none), instead of losing its tail.

No padding here: batches are padded dynamically by the collator or the classifier.
"""

from __future__ import annotations

import re
from typing import Sequence

from transformers import PreTrainedTokenizerBase

OPEN, CLOSE = "«", "»"
NO_MENTION = (-1, -1)


def find_mention(target: str, text: str) -> tuple[int, int]:
    """Character span of the first whole-word, case-insensitive occurrence of ``target`` in ``text``."""
    target = target.strip()
    if not target:
        return NO_MENTION
    match = re.search(r"(?<!\w)" + re.escape(target) + r"(?!\w)", text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else NO_MENTION


def mark_mention(text: str, start: int, end: int) -> tuple[str, int]:
    """Wrap ``text[start:end]`` in markers; return the new text and where the marked mention starts."""
    if start < 0 or end <= start or end > len(text):
        return text, -1
    return f"{text[:start]}{OPEN} {text[start:end]} {CLOSE}{text[end:]}", start


def _crop(text: str, offsets: list[tuple[int, int]], anchor: int, budget: int) -> str:
    """Cut ``text`` (tokenised as ``offsets``) to ``budget`` tokens around char ``anchor``."""
    if len(offsets) <= budget:
        return text
    if anchor < 0:
        first = 0
    else:
        at = next((i for i, (s, _) in enumerate(offsets) if s >= anchor), len(offsets) - 1)
        first = min(max(0, at - budget // 2), len(offsets) - budget)
    return text[offsets[first][0]:offsets[first + budget - 1][1]]


def encode_pairs(
    tokenizer: PreTrainedTokenizerBase,
    targets: Sequence[str],
    texts: Sequence[str],
    max_length: int,
    mentions: Sequence[tuple[int, int]] | None = None,
    mark_mentions: bool = True,
) -> dict[str, list[list[int]]]:
    """Tokenise (target, text) pairs with the mention marked and the text cropped around it.

    ``mentions`` gives each text's mention span (``(-1, -1)`` to search for the target); by
    default every target is searched for.  ``mark_mentions=False`` gives the plain pair,
    truncated at the end of the text.
    """
    targets = list(targets)
    if not mark_mentions:
        return tokenizer(targets, list(texts), truncation="longest_first", max_length=max_length,
                         padding=False)
    marked, anchors = [], []
    for i, (target, text) in enumerate(zip(targets, texts)):
        span = tuple(mentions[i]) if mentions is not None else NO_MENTION
        if span[0] < 0:
            span = find_mention(target, text)
        text, anchor = mark_mention(text, *span)
        marked.append(text)
        anchors.append(anchor)
    target_ids = tokenizer(targets, add_special_tokens=False)["input_ids"]
    text_offsets = tokenizer(marked, add_special_tokens=False, return_offsets_mapping=True,
                             verbose=False)["offset_mapping"]  # long texts are cropped next
    cropped = []
    for text, anchor, offsets, ids in zip(marked, anchors, text_offsets, target_ids):
        budget = max(8, max_length - 3 - min(len(ids), max_length // 2))
        cropped.append(_crop(text, offsets, anchor, budget))
    return tokenizer(
        targets,
        cropped,
        truncation="longest_first",  # only bites on absurdly long targets after the crop
        max_length=max_length,
        padding=False,
    )
