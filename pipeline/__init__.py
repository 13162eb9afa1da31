"""quotestance: who said what, and for or against what, in news articles.

``from pipeline import Pipeline`` is the Python API (:mod:`pipeline.api`); the stages, loaders
and models are in the submodules.  ``Pipeline`` is imported on first use, so importing one
light submodule does not load torch and transformers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.api import Pipeline, PipelineOutput

__all__ = ["Pipeline", "PipelineOutput"]


def __getattr__(name: str):
    if name in __all__:
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
