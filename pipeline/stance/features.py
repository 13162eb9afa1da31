"""The one featurisation path for stance, shared by training, evaluation and inference.

A stance example is a sentence pair: the target first, the quote (or sentence, post, claim)
second.  Truncation takes tokens from the longer side, which is the text unless a target
is absurdly long, so the target is normally seen in full.  No padding
here: batches are padded dynamically by the collator or the classifier.
"""

from __future__ import annotations

from typing import Sequence

from transformers import PreTrainedTokenizerBase


def encode_pairs(
    tokenizer: PreTrainedTokenizerBase,
    targets: Sequence[str],
    texts: Sequence[str],
    max_length: int,
) -> dict[str, list[list[int]]]:
    """Tokenise (target, text) pairs, truncating the text side to fit ``max_length``."""
    return tokenizer(
        list(targets),
        list(texts),
        truncation="longest_first",
        max_length=max_length,
        padding=False,
    )
