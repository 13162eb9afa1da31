"""Run the stages in order over one input and write the artifacts, timing each stage."""

from __future__ import annotations

import logging
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Sequence

from datasets import Dataset

from pipeline.io.artifacts import build_tables, check_export, load_artifacts, write_tables
from pipeline.io.documents import check_input_path, load_documents
from pipeline.io.shards import ShardStore, fingerprint_config, fingerprint_documents
from pipeline.run.stages import Stages, empty_documents_with_quotes

log = logging.getLogger(__name__)


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("quotestance", "torch", "transformers", "datasets", "tokenizers", "hydra-core"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def run_pipeline(
    input_path: str | Path,
    output_dir: str | Path,
    stages: Stages,
    export: Sequence[str] = (),
    manifest: dict[str, Any] | None = None,
    shard_size: int = 1000,
    resume_key: Any = None,
) -> dict[str, Dataset]:
    """Load -> segment -> attribute -> stance -> write, shard by shard; returns the written tables.

    Finished shards survive a killed run; the same call again (same input, same
    ``resume_key``, normally the config) continues where it stopped.  ``stages`` holds the
    built components (:func:`pipeline.run.components.build_stages`); the stance model is loaded at
    most once, and only when some quote has a target.
    """
    check_export(export)
    check_input_path(input_path)
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        begin = time.perf_counter()
        result = work()
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - begin, 3)
        return result

    documents = timed("load", lambda: load_documents(input_path))
    if stages.load_classifier is None and (stages.targets or any(documents["targets"])):
        raise ValueError("targets were given but stance is disabled (~stance)")
    store = ShardStore(output_dir, len(documents), shard_size, fingerprint_documents(documents),
                       fingerprint_config(resume_key))
    todo = store.open()
    for number, index in enumerate(todo, start=1):
        shard = stages.process(documents.select(store.rows(index)), timed)
        timed("write", lambda: store.save(index, build_tables(shard)))
        log.info("shard %d/%d done (%d to go)", number, len(todo), len(todo) - number)
    # An empty input has no shards; its (empty) tables still get written.
    tables = store.merged() if store.n_shards else build_tables(empty_documents_with_quotes())
    manifest = {**(manifest or {}), "versions": package_versions(), "models": stages.provenance,
                "timings_s": timings, "input_path": str(input_path),
                "shards": {"size": shard_size, "count": store.n_shards, "resumed": store.n_shards - len(todo)}}
    write_tables(tables, output_dir, manifest, export)
    store.remove()
    # The merged tables were memory-mapped from the shard folders just removed: hand back
    # the written ones.
    quotes, documents, _ = load_artifacts(output_dir)
    return {"quotes": quotes, "documents": documents}
