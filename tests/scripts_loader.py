"""Import the thin Hydra scripts (and the tools) as modules, so tests call their functions directly."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT


def load_script(name: str, folder: str = "scripts"):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_tool(name: str):
    """A research tool of ``tools/`` (outside the package), loaded the same way."""
    return load_script(name, folder="tools")


infer_script = load_script("infer")
train_script = load_script("train")
evaluate_script = load_script("evaluate")


def compose_run_config(config_name: str, overrides: list[str]):
    """Compose a primary config as ``@hydra.main`` would hand it to the script.

    Sets the HydraConfig (so ``${hydra:...}`` resolves) and drops the ``hydra`` node, which
    the script never sees.
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import open_dict

    from conftest import CONFIGS

    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name=config_name, overrides=overrides, return_hydra_config=True)
    with open_dict(cfg):  # what @hydra.main sets when it creates the run folder
        cfg.hydra.runtime.output_dir = cfg.hydra.run.dir
    HydraConfig.instance().set_config(cfg)
    with open_dict(cfg):
        del cfg["hydra"]
    return cfg
