"""Run the stages in order over one input and write the artifacts, timing each stage."""

from __future__ import annotations

import logging
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Sequence

from datasets import Dataset

from pipeline.artifacts import EXPORT_FORMATS, write_artifacts
from pipeline.documents import check_input_path, load_documents
from pipeline.stages import Attribute, FindQuotes, add_attributions, add_quotes, add_stances
from pipeline.stance.classifier import StanceClassifier

log = logging.getLogger(__name__)


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("quotestance", "torch", "transformers", "datasets", "tokenizers", "hydra-core"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def needs_stance(documents: Dataset, targets: Sequence[str]) -> bool:
    """True if any document with quotes has a target (so the stance model must be loaded)."""
    if targets:
        return True
    return any(row for row in documents["targets"])


def run_pipeline(
    input_path: str | Path,
    output_dir: str | Path,
    find_quotes: FindQuotes,
    attribute: Attribute,
    resolve: Callable,
    load_classifier: Callable[[], StanceClassifier] | None,
    targets: Sequence[str] = (),
    export: Sequence[str] = (),
    manifest: dict[str, Any] | None = None,
) -> dict[str, Dataset]:
    """Load -> segment -> attribute -> stance -> write.  Returns the written tables.

    ``load_classifier`` is called at most once, and only when some quote has a target.
    """
    unknown = sorted(set(export) - set(EXPORT_FORMATS))
    if unknown:
        raise ValueError(f"export: unknown format(s) {unknown}; expected any of {list(EXPORT_FORMATS)}")
    check_input_path(input_path)
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        begin = time.perf_counter()
        result = work()
        timings[name] = round(time.perf_counter() - begin, 3)
        log.info("%s: %.2fs", name, timings[name])
        return result

    documents = timed("load", lambda: load_documents(input_path))
    documents = timed("segment", lambda: add_quotes(documents, find_quotes))
    documents = timed("attribute", lambda: add_attributions(documents, attribute, resolve))
    models: dict[str, Any] = {}
    if load_classifier is not None and needs_stance(documents, targets):
        classifier = timed("load_stance_model", load_classifier)
        models["stance"] = getattr(classifier, "provenance", {})
        documents = timed("stance", lambda: add_stances(documents, classifier, targets))
    elif targets or any(documents["targets"]):
        raise ValueError("targets were given but stance is disabled (~stance)")
    manifest = {**(manifest or {}), "versions": package_versions(), "models": models,
                "timings_s": timings, "input_path": str(input_path)}
    return timed("write", lambda: write_artifacts(documents, output_dir, manifest, export))
