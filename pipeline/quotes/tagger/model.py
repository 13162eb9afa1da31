"""The two-layer quote tagger: one encoder, one linear head per label layer.

It is a plain ``AutoModelForTokenClassification`` whose ``num_labels`` is the sum of the
layers' tag counts; each layer owns a slice of the logits and gets its own softmax (in the
loss and in decoding).  So any encoder a user points ``model.name_or_path`` at works, the
checkpoint is an ordinary ``save_pretrained`` folder (fp16 safetensors via
:func:`pipeline.models.save_fp16`), and the config carries the label maps: ``id2label`` names
every column ``layer:tag`` and ``quote_label_layers`` maps each layer to its tag list.
"""

from __future__ import annotations


import torch
from torch.nn import functional as F
from transformers import AutoConfig, AutoModelForTokenClassification

from pipeline.models import inference_dtype, resolve_checkpoint, resolve_model_path
from pipeline.quotes.tagger.decode import layer_slices
from pipeline.quotes.tagger.labels import IGNORE, flat_id2label, label_layers

CONFIG_KEY = "quote_label_layers"


def build_tagger_model(name_or_path: str, layers: dict[str, list[str]] | None = None):
    """A tagger to train, in fp32: new heads on a pretrained encoder, or, given a tagger
    checkpoint with the same label layers, that checkpoint (to continue training it)."""
    layers = layers or label_layers()
    path = resolve_model_path(name_or_path)
    id2label = flat_id2label(layers)
    config = AutoConfig.from_pretrained(path, num_labels=len(id2label), id2label=id2label,
                                        label2id={v: k for k, v in id2label.items()})
    setattr(config, CONFIG_KEY, {name: list(tags) for name, tags in layers.items()})
    return AutoModelForTokenClassification.from_pretrained(path, config=config, dtype=torch.float32)


def tagger_layers(model) -> dict[str, list[str]]:
    """The label layers stored in a tagger's config."""
    layers = getattr(model.config, CONFIG_KEY, None)
    if not layers:
        raise ValueError(f"{type(model).__name__} config has no {CONFIG_KEY!r}: not a quote tagger checkpoint")
    return {name: list(tags) for name, tags in layers.items()}


QUANTIZE = (None, "int8")


def quantize_int8(model):
    """Dynamic int8 quantisation of the ``nn.Linear`` layers that do not narrow their input:
    int8 weights with one scale per output channel, activations quantised per batch (fbgemm
    kernels, so CPU only).  The model is cast to float32 first.

    Layers with more inputs than outputs stay fp32: the feed-forward down-projections (their
    input, after the activation function, has outliers that one activation scale per batch
    renders badly) and the tag head.  On PolNeAR dev (stride 128) content exact F1 is 0.6515
    this way, against 0.6345 with every layer in int8, 0.6154 with one scale per weight
    matrix, and 0.6575 in fp32.
    """
    if next(model.parameters()).device.type != "cpu":
        raise ValueError("quantize=int8 runs on the CPU only")
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    model = model.float()
    spec = {name: per_channel_dynamic_qconfig for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and module.in_features <= module.out_features}
    return quantize_dynamic(model, spec).eval()


def load_tagger_model(name_or_path: str, dtype: str = "auto", quantize: str | None = None):
    """Load a saved tagger (fp16 on disk) for inference in ``dtype`` (see
    :func:`pipeline.models.inference_dtype`), or with its linear layers in int8 when
    ``quantize="int8"`` (``dtype`` is then float32 for the rest)."""
    if quantize not in QUANTIZE:
        raise ValueError(f"quantize must be one of {QUANTIZE}, not {quantize!r}")
    path = resolve_checkpoint(name_or_path, "quote tagger", "scripts/train_quotes.py", "segmenter.name_or_path")
    model = AutoModelForTokenClassification.from_pretrained(
        path, dtype=torch.float32 if quantize else inference_dtype(dtype))
    tagger_layers(model)  # fail early on a checkpoint that is not a tagger
    return quantize_int8(model.eval()) if quantize == "int8" else model.eval()


class LayeredTokenLoss:
    """Cross-entropy per layer over its slice of the logits, summed over layers.

    ``labels`` has shape (batch, tokens, layers) with ``IGNORE`` on special and padding
    positions.  Passed to the Trainer as ``compute_loss_func``.
    """

    def __init__(self, layers: dict[str, list[str]]) -> None:
        self.slices = list(layer_slices(layers).values())

    def __call__(self, outputs, labels: torch.Tensor, num_items_in_batch=None) -> torch.Tensor:
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs[0]
        total = logits.new_zeros(())
        for layer, cols in enumerate(self.slices):
            target = labels[..., layer].reshape(-1)
            total = total + F.cross_entropy(logits[..., cols].reshape(-1, cols.stop - cols.start).float(),
                                            target, ignore_index=IGNORE, reduction="sum")
        if num_items_in_batch is not None:
            # The Trainer counts labelled positions over all layers: this is the mean per
            # (token, layer), scaled for gradient accumulation.
            return total / num_items_in_batch
        return total / (labels != IGNORE).sum().clamp(min=1)
