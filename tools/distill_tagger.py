"""Distil a smaller quote tagger from a trained one (measured, not shipped).

    python tools/distill_tagger.py teacher=models/quotes 'student_layers=[0,2,4]' trainer.args.num_train_epochs=1

The loss is ``distill.alpha`` x KL(teacher || student) on tag distributions softened by
``distill.temperature``, plus (1 - alpha) x the gold cross-entropy, per label layer.  With
``student_layers`` the student is the teacher cut down to those encoder layers (embeddings and
head kept); without it the student is built from ``model.name_or_path``.  Everything else
(windows, data, dev scoring, the fp16 checkpoint and its card) is ``scripts/train_quotes.py``'s,
through :func:`pipeline.quotes.tagger.training.train_tagger`.  Config: ``configs/distill_tagger.yaml``.

The one run measured (layers [0,2,4], 1 epoch): PolNeAR dev content exact F1 0.526 against the
teacher's 0.659 (docs/benchmarks.md, "Measured and not kept").
"""

from __future__ import annotations

import copy
import logging
from typing import Any, Sequence

import hydra
import torch
from omegaconf import DictConfig, OmegaConf
from torch.nn import functional as F
from transformers import Trainer

from pipeline.quotes.tagger.decode import layer_slices
from pipeline.quotes.tagger.labels import IGNORE, label_layers
from pipeline.quotes.tagger.model import load_tagger_model, tagger_layers
from pipeline.quotes.tagger.training import train_tagger

log = logging.getLogger(__name__)


def student_from_teacher(teacher, keep: "list[int] | tuple[int, ...]"):
    """A smaller tagger initialised from a trained one: the teacher's embeddings, the
    encoder layers whose indices are in ``keep`` (in that order) and its tag head.

    The teacher is not changed.  Works for BERT-style encoders (``base_model.encoder.layer``),
    which MiniLM is.  ``keep`` must be distinct, increasing indices of the teacher's layers.
    """
    encoder = getattr(getattr(teacher, "base_model", None), "encoder", None)
    blocks = getattr(encoder, "layer", None)
    if not isinstance(blocks, torch.nn.ModuleList):
        raise ValueError(f"student_layers: {type(teacher).__name__} has no base_model.encoder.layer list to copy from")
    keep = [int(i) for i in keep]
    n = len(blocks)
    if not keep or any(i < 0 or i >= n for i in keep) or keep != sorted(set(keep)):
        raise ValueError(f"student_layers must be distinct increasing layer indices in 0..{n - 1} of the "
                         f"teacher, got {keep}")
    student = copy.deepcopy(teacher)
    student.base_model.encoder.layer = torch.nn.ModuleList([student.base_model.encoder.layer[i] for i in keep])
    student.config.num_hidden_layers = len(keep)
    student.config.distilled_from_layers = keep
    for new_index, block in enumerate(student.base_model.encoder.layer):  # attention caches index by layer
        for module in block.modules():
            if hasattr(module, "layer_idx"):
                module.layer_idx = new_index
    return student.float().train()


class DistillationLoss:
    """Knowledge distillation for the layered tagger: per label layer, the KL divergence from
    the teacher's tag distribution to the student's, both softened by ``temperature`` (scaled by
    ``temperature**2`` so its gradients keep their size), mixed with the gold cross-entropy of
    :class:`LayeredTokenLoss`: ``alpha * KL + (1 - alpha) * CE``, each a mean per labelled
    (token, layer).  Positions with ``IGNORE`` gold (special tokens, padding) count in neither.
    """

    def __init__(self, layers: dict[str, list[str]], temperature: float = 2.0, alpha: float = 0.5) -> None:
        if not temperature > 0:
            raise ValueError(f"distill.temperature must be > 0, got {temperature!r}")
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"distill.alpha must be in [0, 1], got {alpha!r}")
        self.slices = list(layer_slices(layers).values())
        self.temperature = float(temperature)
        self.alpha = float(alpha)

    def __call__(self, student_logits: torch.Tensor, teacher_logits: torch.Tensor,
                 labels: torch.Tensor) -> torch.Tensor:
        t = self.temperature
        kl = student_logits.new_zeros((), dtype=torch.float32)
        ce = student_logits.new_zeros((), dtype=torch.float32)
        for layer, cols in enumerate(self.slices):
            target = labels[..., layer]
            mask = target != IGNORE
            s = student_logits[..., cols][mask].float()
            if s.numel() == 0:
                continue
            te = teacher_logits[..., cols][mask].float()
            kl = kl + F.kl_div(F.log_softmax(s / t, dim=-1), F.log_softmax(te / t, dim=-1),
                               log_target=True, reduction="sum") * t * t
            ce = ce + F.cross_entropy(s, target[mask], reduction="sum")
        n = (labels != IGNORE).sum().clamp(min=1)
        return (self.alpha * kl + (1.0 - self.alpha) * ce) / n


class DistillTrainer(Trainer):
    """A Trainer whose loss is :class:`DistillationLoss` against a
    frozen teacher tagger run on the same windows (no gradients, eval mode).

    The teacher's logits of each window are kept (fp16, in memory: 8 numbers per token) the
    first time it is seen, so later epochs cost the student's passes only."""

    def __init__(self, *args, teacher, distill_loss: DistillationLoss, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.teacher = teacher.eval().requires_grad_(False)
        self.distill_loss = distill_loss
        self.teacher_cache: dict[bytes, Any] = {}

    def teacher_logits(self, input_ids, attention_mask):
        import torch

        keys = [ids[mask.bool()].cpu().numpy().tobytes() for ids, mask in zip(input_ids, attention_mask)]
        missing = [i for i, key in enumerate(keys) if key not in self.teacher_cache]
        if missing:
            if next(self.teacher.parameters()).device != input_ids.device:
                self.teacher.to(input_ids.device)
            with torch.no_grad():
                fresh = self.teacher(input_ids=input_ids[missing], attention_mask=attention_mask[missing]).logits
            for row, i in enumerate(missing):
                self.teacher_cache[keys[i]] = fresh[row, :int(attention_mask[i].sum())].to(torch.float16).cpu()
        out = torch.zeros(*input_ids.shape, self.teacher.config.num_labels, device=input_ids.device)
        for i, key in enumerate(keys):
            cached = self.teacher_cache[key]
            out[i, :len(cached)] = cached.to(out.device, torch.float32)
        return out

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        inputs = dict(inputs)
        labels = inputs.pop("labels")
        outputs = model(**inputs)
        teacher_logits = self.teacher_logits(inputs["input_ids"], inputs["attention_mask"])
        loss = self.distill_loss(outputs.logits, teacher_logits, labels)
        return (loss, outputs) if return_outputs else loss


def check_distill_options(teacher: str | None, student_layers: Sequence[int] | None,
                          temperature: float, alpha: float) -> list[int] | None:
    """Fail early, naming the config key, on distillation settings that cannot work."""
    if student_layers is not None and not teacher:
        raise ValueError("student_layers needs teacher=<tagger checkpoint> to copy the layers from")
    if student_layers is not None:
        if isinstance(student_layers, (str, bytes)) or not isinstance(student_layers, Sequence):
            raise ValueError(f"student_layers must be a list of teacher layer indices like [0,2,4], "
                             f"got {student_layers!r}")
        if not student_layers or not all(isinstance(i, int) and not isinstance(i, bool) for i in student_layers):
            raise ValueError(f"student_layers must be a non-empty list of integers, got {list(student_layers)!r}")
        student_layers = [int(i) for i in student_layers]
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not temperature > 0:
        raise ValueError(f"distill.temperature must be a number > 0, got {temperature!r}")
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"distill.alpha must be a number in [0, 1], got {alpha!r}")
    return student_layers


def distill(cfg: DictConfig) -> dict:
    """Distil from a composed ``distill_tagger`` config; returns the metrics (dev under ``dev``)."""
    student_layers = (OmegaConf.to_container(cfg.student_layers) if OmegaConf.is_list(cfg.student_layers)
                      else cfg.student_layers)
    student_layers = check_distill_options(cfg.teacher, student_layers, cfg.distill.temperature, cfg.distill.alpha)
    layers = label_layers()
    teacher = load_tagger_model(cfg.teacher, dtype="float32")
    if tagger_layers(teacher) != layers:
        raise ValueError(f"teacher {cfg.teacher} has label layers {tagger_layers(teacher)}, not {layers}")
    student, base = None, cfg.model.name_or_path
    if student_layers is not None:
        student, base = student_from_teacher(teacher, student_layers), cfg.teacher
        log.info("student: teacher %s layers %s of %d", cfg.teacher, student_layers, teacher.config.num_hidden_layers)
    loss = DistillationLoss(layers, cfg.distill.temperature, cfg.distill.alpha)
    return train_tagger(
        train_dir=cfg.data.train_dir,
        dev_dir=cfg.data.dev_dir,
        model_name_or_path=base,
        output_dir=cfg.paths.output_dir,
        training_args=OmegaConf.to_container(cfg.trainer.args, resolve=True),
        window=cfg.window,
        stride=cfg.stride,
        seed=cfg.seed,
        max_train_docs=cfg.max_train_docs,
        max_dev_docs=cfg.max_dev_docs,
        progress=cfg.progress,
        model=student,
        make_trainer=lambda **common: DistillTrainer(**common, teacher=teacher, distill_loss=loss),
        card_extra={"teacher": str(cfg.teacher), "student_layers": student_layers,
                    "distill_temperature": cfg.distill.temperature, "distill_alpha": cfg.distill.alpha},
    )


@hydra.main(version_base="1.3", config_path="../configs", config_name="distill_tagger")
def main(cfg: DictConfig) -> None:
    metrics = distill(cfg)
    log.info("student in %s/model; dev content exact F1 %.4f", cfg.paths.output_dir,
             metrics["dev"]["headline"]["content_exact_f1"] if "dev" in metrics else float("nan"))


if __name__ == "__main__":
    main()
