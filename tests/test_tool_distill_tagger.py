"""tools/distill_tagger.py, a smaller tagger distilled from a trained one (research, not shipped):
the student's initialisation, the loss, the config keys, and a tiny end-to-end run (tiny random
models only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from pipeline.quotes.tagger.labels import IGNORE, label_layers
from scripts_loader import load_tool

distill_tool = load_tool("distill_tagger")
student_from_teacher = distill_tool.student_from_teacher
DistillationLoss = distill_tool.DistillationLoss
DistillTrainer = distill_tool.DistillTrainer


@pytest.fixture(scope="module")
def tiny_teacher(tmp_path_factory) -> Path:
    """A 4-layer, 32-wide random tagger saved like a trained one (fp16, label layers in its config)."""
    from transformers import AutoTokenizer

    from conftest import save_tiny_encoder
    from pipeline.models import save_fp16
    from pipeline.quotes.tagger.model import build_tagger_model

    base = save_tiny_encoder(tmp_path_factory.mktemp("tiny_base4"), layers=4)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = build_tagger_model(str(base))
    with torch.no_grad():  # sharper teacher distributions than a random head gives
        model.classifier.weight.mul_(10.0)
    return save_fp16(model, tokenizer, tmp_path_factory.mktemp("tiny_teacher"))


def _teacher(path: Path):
    from pipeline.quotes.tagger.model import load_tagger_model

    return load_tagger_model(str(path), dtype="float32")


def _batch(n: int = 4, length: int = 24, seed: int = 1) -> dict:
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 20000, (n, length), generator=g)
    mask = torch.ones_like(ids)
    mask[0, length - 5:] = 0  # one padded row
    labels = torch.stack([torch.randint(0, 3, (n, length), generator=g),
                          torch.randint(0, 5, (n, length), generator=g)], dim=-1)
    labels[:, 0] = IGNORE
    labels[mask == 0] = IGNORE
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def test_student_copies_the_chosen_teacher_layers_embeddings_and_head(tiny_teacher):
    from pipeline.quotes.tagger.model import tagger_layers

    teacher = _teacher(tiny_teacher)
    student = student_from_teacher(teacher, [0, 2])
    assert len(student.bert.encoder.layer) == 2 and student.config.num_hidden_layers == 2
    assert len(teacher.bert.encoder.layer) == 4 and teacher.config.num_hidden_layers == 4  # teacher untouched
    assert student.config.distilled_from_layers == [0, 2]
    assert tagger_layers(student) == tagger_layers(teacher)
    t, s = teacher.state_dict(), student.state_dict()
    for new, old in ((0, 0), (1, 2)):
        names = [k for k in s if k.startswith(f"bert.encoder.layer.{new}.")]
        assert names
        for k in names:
            assert torch.equal(s[k], t[k.replace(f"layer.{new}.", f"layer.{old}.", 1)]), k
    # Layer 1 of the student is the teacher's layer 2, not its layer 1.
    assert not torch.equal(s["bert.encoder.layer.1.attention.self.query.weight"],
                           t["bert.encoder.layer.1.attention.self.query.weight"])
    for k in [k for k in s if not k.startswith("bert.encoder.")]:
        assert torch.equal(s[k], t[k]), k
    # Copies, not shared tensors: training the student leaves the teacher as it was.
    with torch.no_grad():
        student.bert.encoder.layer[1].output.dense.weight.add_(1.0)
        student.classifier.weight.add_(1.0)
    assert torch.equal(teacher.state_dict()["bert.encoder.layer.2.output.dense.weight"],
                       t["bert.encoder.layer.2.output.dense.weight"])
    batch = _batch()
    out = student(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    assert out.shape == (4, 24, 8) and torch.isfinite(out).all()


@pytest.mark.parametrize("keep", [[], [4], [-1], [2, 0], [1, 1]])
def test_student_layers_out_of_range_or_unordered_fail_naming_the_key(tiny_teacher, keep):
    with pytest.raises(ValueError, match="student_layers"):
        student_from_teacher(_teacher(tiny_teacher), keep)


def test_distillation_loss_is_zero_against_itself_and_ignores_unlabelled_positions():
    batch = _batch()
    logits = torch.randn(4, 24, 8, generator=torch.Generator().manual_seed(2))
    kl_only = DistillationLoss(label_layers(), temperature=2.0, alpha=1.0)
    assert float(kl_only(logits, logits, batch["labels"])) == pytest.approx(0.0, abs=1e-6)
    other = torch.randn(4, 24, 8, generator=torch.Generator().manual_seed(3))
    loss = DistillationLoss(label_layers(), temperature=2.0, alpha=0.5)
    value = float(loss(logits, other, batch["labels"]))
    assert value > 0
    changed = logits.clone()
    changed[batch["labels"][..., 0] == IGNORE] += 100.0  # special tokens and padding do not count
    assert float(loss(changed, other, batch["labels"])) == pytest.approx(value, rel=1e-6)
    # alpha=0 is the plain gold cross-entropy of the undistilled tagger.
    from pipeline.quotes.tagger.model import LayeredTokenLoss

    plain = LayeredTokenLoss(label_layers())({"logits": logits}, batch["labels"])
    assert float(DistillationLoss(label_layers(), alpha=0.0)(logits, other, batch["labels"])) == \
        pytest.approx(float(plain), rel=1e-5)


@pytest.mark.parametrize("kwargs,match", [({"temperature": 0.0}, "temperature"), ({"alpha": 1.5}, "alpha")])
def test_distillation_loss_refuses_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DistillationLoss(label_layers(), **kwargs)


def test_distillation_loss_is_finite_and_falls_on_a_tiny_batch(tiny_teacher):
    torch.manual_seed(0)
    teacher = _teacher(tiny_teacher).eval()
    student = student_from_teacher(teacher, [1])
    batch = _batch()
    labels = batch.pop("labels")
    with torch.no_grad():
        target = teacher(**batch).logits
    loss_fn = DistillationLoss(label_layers(), temperature=2.0, alpha=0.5)
    optimiser = torch.optim.AdamW(student.parameters(), lr=1e-3)
    losses = []
    for _ in range(15):
        loss = loss_fn(student(**batch).logits, target, labels)
        assert torch.isfinite(loss)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0], losses


def test_distill_trainer_keeps_teacher_logits_per_window(tiny_teacher):
    """The teacher runs once per window: the second epoch reads its logits back."""
    teacher = _teacher(tiny_teacher)
    calls = []
    teacher.register_forward_hook(lambda *_: calls.append(1))
    trainer = DistillTrainer.__new__(DistillTrainer)  # only the teacher cache, no Trainer state
    trainer.teacher, trainer.teacher_cache = teacher.eval(), {}
    batch = _batch()
    first = trainer.teacher_logits(batch["input_ids"], batch["attention_mask"])
    again = trainer.teacher_logits(batch["input_ids"], batch["attention_mask"])
    assert len(calls) == 1 and torch.equal(first, again)
    with torch.no_grad():
        direct = teacher(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    real = batch["attention_mask"].bool()
    assert torch.allclose(first[real], direct[real], atol=1e-2)


@pytest.mark.parametrize("overrides,match", [
    (["teacher=null", "student_layers=[0,2]"], "student_layers needs teacher"),
    (["teacher=x", "student_layers=abc"], "student_layers"),
    (["teacher=x", "student_layers=[0,1.5]"], "student_layers"),
    (["teacher=x", "distill.alpha=2"], "distill.alpha"),
    (["teacher=x", "distill.temperature=0"], "distill.temperature"),
])
def test_bad_distill_settings_fail_naming_the_key(tmp_path, overrides, match):
    from scripts_loader import compose_run_config

    cfg = compose_run_config("distill_tagger", [f"paths.output_dir={tmp_path}", *overrides])
    with pytest.raises(ValueError, match=match):
        distill_tool.distill(cfg)


def test_distill_tagger_distils_a_student_from_a_teacher(tmp_path, tiny_teacher):
    from scripts_loader import compose_run_config
    from test_tagger_end_to_end import write_gold

    from pipeline.quotes.tagger.model import load_tagger_model

    gold = write_gold(tmp_path / "gold")
    out = tmp_path / "run"
    cfg = compose_run_config("distill_tagger", [
        f"data.train_dir={gold}", f"data.dev_dir={gold}", f"teacher={tiny_teacher}", "student_layers=[1,3]",
        f"paths.output_dir={out}", "window=32", "stride=16", "progress=false",
        "trainer.args.max_steps=2", "trainer.args.per_device_train_batch_size=4",
        "trainer.args.save_strategy=no", "trainer.args.logging_steps=1",
    ])
    metrics = distill_tool.distill(cfg)
    student = load_tagger_model(str(out / "model"), dtype="float32")
    assert student.config.num_hidden_layers == 2 and len(student.bert.encoder.layer) == 2
    assert student.config.distilled_from_layers == [1, 3]
    assert metrics["train"]["train_loss"] > 0
    card = (out / "model" / "README.md").read_text()
    assert str(tiny_teacher) in card and '"student_layers": [\n    1,\n    3\n  ]' in card
    assert json.loads((out / "metrics.json").read_text())["dev"]["summary"]["exact"]["content"]["n_gold"] == 6
