"""Import the thin Hydra scripts as modules, so tests call their functions directly."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT


def load_script(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


infer_script = load_script("infer")
train_script = load_script("train")
evaluate_script = load_script("evaluate")
