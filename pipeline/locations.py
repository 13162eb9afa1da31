"""Where the project's configs, scripts and models are, found from this package.

Two ways to install, one lookup:

* **From a source checkout** (``pip install -e .``, the supported path): the configs, the
  scripts and the shipped ``models/`` sit beside the package.  ``paths.root_dir``
  (``configs/paths/default.yaml``) is ``$QUOTESTANCE_ROOT`` when set, else the checkout, so the
  console commands and the Python API find the models from any working directory.
* **A non-editable install** (``pip install .`` or a wheel): ``configs/`` and ``scripts/`` are
  installed as data files under ``<prefix>/share/quotestance/``; the models are not in the
  wheel.  ``paths.root_dir`` is then ``$QUOTESTANCE_ROOT`` (a folder holding ``models/``; a
  checkout works), else the working directory; ``paths.models_dir=DIR`` or
  ``Pipeline.from_pretrained(DIR)`` points at the checkpoints directly.  A missing checkpoint
  fails at load with one line that names these settings (:func:`missing_models_hint`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_PARENT = Path(__file__).resolve().parent.parent
ROOT_ENV = "QUOTESTANCE_ROOT"  # read by configs/paths/default.yaml
SHARE = Path("share") / "quotestance"


def _checkout() -> Path | None:
    """The source checkout this package runs from, or None for an installed copy."""
    if (PACKAGE_PARENT / "configs" / "infer.yaml").is_file() and (PACKAGE_PARENT / "scripts").is_dir():
        return PACKAGE_PARENT
    return None


def _installed_data() -> Path | None:
    """``<prefix>/share/quotestance`` of a non-editable install (sys.prefix, or the prefix that
    holds this site-packages, for ``pip install --prefix``)."""
    candidates = [Path(sys.prefix) / SHARE]
    if len(PACKAGE_PARENT.parents) >= 3:  # <prefix>/lib/pythonX.Y/site-packages
        candidates.append(PACKAGE_PARENT.parents[2] / SHARE)
    return next((c for c in candidates if (c / "configs" / "infer.yaml").is_file()), None)


CHECKOUT = _checkout()
#: Kept for callers that expect it: the checkout, or the installed data folder.
PROJECT_ROOT = CHECKOUT or _installed_data() or PACKAGE_PARENT
CONFIG_DIR = PROJECT_ROOT / "configs"
SCRIPTS_DIR = PROJECT_ROOT / "scripts"


def require(path: Path) -> Path:
    """``path``, or a one-line error that says how to install so that it exists."""
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: quotestance's configs and scripts come with a source checkout "
            "(`pip install -e .` there) or a full `pip install .` (installed under <prefix>/share/quotestance)")
    return path


def hydra_value(value: str | Path) -> str:
    """``value`` quoted for a Hydra command-line override (spaces, commas, quotes kept)."""
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def root_dir() -> str:
    """The root ``paths.*`` are relative to: ``$QUOTESTANCE_ROOT``, else the checkout, else the
    working directory (an installed copy carries no models)."""
    return os.environ.get(ROOT_ENV) or str(CHECKOUT or Path.cwd())


def root_override() -> str:
    """The override that makes ``paths.*`` (models, data) relative to :func:`root_dir`, not the cwd."""
    return f"paths.root_dir={hydra_value(root_dir())}"


def missing_models_hint() -> str:
    """What to do when a shipped checkpoint is not found (appended to the load error)."""
    if CHECKOUT is not None and not os.environ.get(ROOT_ENV):
        return ""
    return (f"; the shipped models live in the source checkout's models/: set {ROOT_ENV}=<checkout> "
            "or paths.models_dir=<folder with quotes/ and stance/>")
