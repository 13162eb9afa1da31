"""Where the project's configs, scripts and shipped models are, found from this package.

The configs and ``models/`` sit beside the package in the checkout (an editable install,
``pip install -e .``, points there).  ``paths.root_dir`` (``configs/paths/default.yaml``) is
``$QUOTESTANCE_ROOT`` when set, else ``.``: the scripts run from the repository root, while
the console commands set the variable and the Python API passes the root as an override, so
both find the models from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "configs"
SCRIPTS_DIR = PROJECT_ROOT / "scripts"
ROOT_ENV = "QUOTESTANCE_ROOT"  # read by configs/paths/default.yaml


def require(path: Path) -> Path:
    """``path``, or a one-line error that says a source checkout is needed."""
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: quotestance's configs and scripts live in its source checkout; "
            "install it from there with `pip install -e .`")
    return path


def hydra_value(value: str | Path) -> str:
    """``value`` quoted for a Hydra command-line override (spaces, commas, quotes kept)."""
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def root_dir() -> str:
    """The root ``paths.*`` are relative to: ``$QUOTESTANCE_ROOT``, else the checkout."""
    return os.environ.get(ROOT_ENV) or str(PROJECT_ROOT)


def root_override() -> str:
    """The override that makes ``paths.*`` (models, data) relative to :func:`root_dir`, not the cwd."""
    return f"paths.root_dir={hydra_value(root_dir())}"
