"""Console commands (``[project.scripts]`` in pyproject.toml) for the Hydra scripts in ``scripts/``.

``quotestance-infer input_path=... output_dir=...`` is ``python scripts/infer.py ...`` run from
any directory: the same ``@hydra.main`` with the same configs, and ``paths.root_dir`` set to the
checkout (through ``$QUOTESTANCE_ROOT``, unless already set), so the shipped models and
``../shared/data`` are found.  From a non-editable install the scripts and configs come from
``<prefix>/share/quotestance`` and the root is ``$QUOTESTANCE_ROOT`` or the working directory
(see :mod:`pipeline.locations`).  Relative input and output paths stay relative to the working
directory; a ``paths.root_dir=...`` override still wins.
"""

from __future__ import annotations

import os
import runpy
import sys

from pipeline.locations import CHECKOUT, ROOT_ENV, SCRIPTS_DIR, require


def run_script(name: str) -> None:
    """Run ``scripts/<name>.py`` as ``python scripts/<name>.py`` would, with this command line."""
    try:
        script = require(SCRIPTS_DIR / f"{name}.py")
    except FileNotFoundError as exc:
        sys.exit(f"error: {exc}")
    # Through the environment rather than sys.argv: Hydra wants every override in one run
    # of words, and this way child processes (Ray workers, launchers) see the same root.
    # An installed copy has no models of its own: the working directory, or $QUOTESTANCE_ROOT.
    os.environ.setdefault(ROOT_ENV, str(CHECKOUT or os.getcwd()))
    # As __main__, so @hydra.main finds configs/ relative to the script file.
    runpy.run_path(str(script), run_name="__main__")


def infer() -> None:
    """``quotestance-infer``: scripts/infer.py."""
    run_script("infer")


def train() -> None:
    """``quotestance-train``: scripts/train.py (the stance classifier)."""
    run_script("train")


def train_quotes() -> None:
    """``quotestance-train-quotes``: scripts/train_quotes.py (the quote tagger)."""
    run_script("train_quotes")


def evaluate() -> None:
    """``quotestance-evaluate``: scripts/evaluate.py."""
    run_script("evaluate")


def report() -> None:
    """``quotestance-report``: scripts/report.py."""
    run_script("report")
