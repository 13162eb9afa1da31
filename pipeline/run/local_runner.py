"""Run the stages in order over one input and write the artifacts, timing each stage."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from datasets import Dataset

from pipeline.io.artifacts import build_tables
from pipeline.io.schema import empty_documents_with_quotes
from pipeline.io.shards import ShardStore, fingerprint_config, fingerprint_documents
from pipeline.run.files import check_run, package_versions, read_input, write_output
from pipeline.run.pipeline import Pipeline
from pipeline.run.stages import Stages

log = logging.getLogger(__name__)


def run_pipeline(
    input_path: str | Path,
    output_dir: str | Path,
    stages: Pipeline | Stages,
    export: Sequence[str] = (),
    manifest: dict[str, Any] | None = None,
    shard_size: int = 1000,
    resume_key: Any = None,
) -> dict[str, Dataset]:
    """Load -> segment -> attribute -> stance -> write, shard by shard; returns the written tables.

    Finished shards survive a killed run; the same call again (same input, same
    ``resume_key``, normally the config) continues where it stopped.  ``stages``: the
    :class:`Pipeline` (or its built :class:`Stages`); the stance model is loaded at most once,
    and only when some quote has a target.  Input checks, reading and writing are those of
    the Ray runner (:mod:`pipeline.run.files`).
    """
    nlp = stages if isinstance(stages, Pipeline) else Pipeline(stages)
    check_run(input_path, export)
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        begin = time.perf_counter()
        result = work()
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - begin, 3)
        return result

    documents = timed("load", lambda: read_input(input_path, nlp.targets, nlp.has_stance))
    store = ShardStore(output_dir, len(documents), shard_size, fingerprint_documents(documents),
                       fingerprint_config(resume_key))
    todo = store.open()
    for number, index in enumerate(todo, start=1):
        shard = nlp.process(documents.select(store.rows(index)), timed=timed)
        timed("write", lambda: store.save(index, build_tables(shard)))
        log.info("shard %d/%d done (%d to go)", number, len(todo), len(todo) - number)
    # An empty input has no shards; its (empty) tables still get written.
    tables = store.merged() if store.n_shards else build_tables(empty_documents_with_quotes())
    manifest = {**(manifest or {}), "versions": package_versions(), "models": nlp.provenance,
                "timings_s": timings, "input_path": str(input_path),
                "shards": {"size": shard_size, "count": store.n_shards, "resumed": store.n_shards - len(todo)}}
    written = write_output(tables, output_dir, manifest, export)
    store.remove()  # the merged tables were memory-mapped from here; ``written`` are read back
    return written
