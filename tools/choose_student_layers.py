"""Which teacher layers to start a distilled student from: for each candidate set, the student
as initialised (no training) is compared with the teacher on PolNeAR train windows.

    python tools/choose_student_layers.py [teacher] [n_windows]

Prints, per candidate, the mean KL(teacher || student) per labelled (token, layer) at
temperature 1 and the share of labelled tokens whose argmax tag agrees with the teacher's.
The lower the KL at the start, the less the distillation has to repair.
"""

from __future__ import annotations

import sys

import torch
from transformers import AutoTokenizer

from pipeline.models import resolve_model_path
from pipeline.quotes.tagger.decode import layer_slices
from pipeline.quotes.tagger.labels import IGNORE, label_layers
from distill_tagger import DistillationLoss, student_from_teacher  # tools/distill_tagger.py
from pipeline.quotes.tagger.model import load_tagger_model
from pipeline.quotes.tagger.training import WindowCollator, _documents, window_dataset

CANDIDATES = ([0, 1, 2], [0, 2, 4], [1, 3, 5], [0, 2, 5], [0, 3, 5], [3, 4, 5],
              [0, 5], [0, 3], [2, 5], [0, 1])


def main(teacher_path: str = "models/quotes", n_windows: int = 96) -> None:
    torch.manual_seed(0)
    layers = label_layers()
    teacher = load_tagger_model(teacher_path, dtype="float32")
    tokenizer = AutoTokenizer.from_pretrained(resolve_model_path(teacher_path))
    gold = _documents("../shared/data/quotes/polnear/train", None)
    windows = window_dataset(gold, tokenizer, 256, 128, layers, "windows").shuffle(seed=0).select(range(n_windows))
    batch = WindowCollator(tokenizer.pad_token_id or 0, len(layers))(list(windows))
    labels = batch.pop("labels")
    with torch.no_grad():
        t_logits = teacher(**batch).logits
    kl = DistillationLoss(layers, temperature=1.0, alpha=1.0)
    slices = list(layer_slices(layers).values())
    for keep in CANDIDATES:
        student = student_from_teacher(teacher, keep).eval()
        with torch.no_grad():
            s_logits = student(**batch).logits
        agree = total = 0
        for layer, cols in enumerate(slices):
            mask = labels[..., layer] != IGNORE
            agree += int((s_logits[..., cols].argmax(-1) == t_logits[..., cols].argmax(-1))[mask].sum())
            total += int(mask.sum())
        print(f"{str(keep):12s} KL {float(kl(s_logits, t_logits, labels)):.4f}  argmax agreement {agree / total:.4f}",
              flush=True)


if __name__ == "__main__":
    main(*(sys.argv[1:2] or []), *([int(sys.argv[2])] if len(sys.argv) > 2 else []))
