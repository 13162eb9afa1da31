"""The same pipeline on a Ray cluster: read -> map_batches over an actor pool -> back to the driver.

Each actor builds the object the local runner and the Python API use
(:meth:`pipeline.run.pipeline.Pipeline.from_config`, every model loaded once) and runs
:meth:`Pipeline.process` over its batches, so no stage is implemented twice.  The driver checks
and reads the input and writes the usual tables with the local runner's code
(:mod:`pipeline.run.files`).

Documents are read on the driver with :func:`pipeline.io.documents.load_documents` (every input
format, one status row per record), handed to Ray as Arrow blocks and processed by the workers.
The results come back to the driver through Ray's object store, streamed batch by batch; with
``output_uri`` (storage every node and the driver's Ray can reach: ``s3://...``, a shared
mount) the workers write Parquet there first and the driver reads it back through Ray.  The
driver never looks for worker files on its own disk, and it checks that every input record
came back exactly once: a lost or repeated row fails the run with the positions named.  Model
paths are made absolute on the driver before the configs are shipped.  ``RAY_ADDRESS`` (or
``runner.address``) points at an existing cluster; without it a local Ray instance starts.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Dataset
from datasets.table import InMemoryTable

from pipeline.io.artifacts import build_tables
from pipeline.io.documents import DOCUMENT_FEATURES
from pipeline.io.schema import DOCUMENTS_WITH_QUOTES, empty_documents_with_quotes
from pipeline.models import PKG_PREFIX
from pipeline.run.components import COMPONENTS, checkpoint_provenance
from pipeline.run.files import check_run, package_versions, read_input, write_output
from pipeline.run.pipeline import Pipeline

log = logging.getLogger(__name__)

ORDER = "_row"  # the input position of each document, so the output keeps the input order


class LostRowsError(RuntimeError):
    """Ray did not give back every input record exactly once."""


def absolute_model_paths(components: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``components`` whose local ``name_or_path`` folders are absolute: a worker
    resolves a relative path against its own working directory, not the driver's."""
    components = copy.deepcopy(dict(components))
    for name in COMPONENTS:
        node = components.get(name)
        path = node.get("name_or_path") if isinstance(node, dict) else None
        if isinstance(path, str) and not path.startswith(PKG_PREFIX) and Path(path).exists():
            node["name_or_path"] = str(Path(path).resolve())
    return components


def check_every_row_came_back(order: np.ndarray, n_documents: int) -> None:
    """Fail loudly unless ``order`` holds each of ``0 .. n_documents - 1`` exactly once."""
    counts = np.bincount(order, minlength=n_documents) if len(order) else np.zeros(n_documents, int)
    missing = np.flatnonzero(counts[:n_documents] == 0)
    repeated = np.flatnonzero(counts > 1)
    unknown = np.flatnonzero(counts[n_documents:]) + n_documents
    if len(missing) or len(repeated) or len(unknown):
        def show(positions):
            return ", ".join(map(str, positions[:10])) + (" ..." if len(positions) > 10 else "")
        problems = [f"{len(missing)} missing (input positions {show(missing)})" if len(missing) else "",
                    f"{len(repeated)} repeated ({show(repeated)})" if len(repeated) else "",
                    f"{len(unknown)} unknown ({show(unknown)})" if len(unknown) else ""]
        raise LostRowsError(f"Ray gave back {len(order)} rows for {n_documents} input records: "
                            + "; ".join(p for p in problems if p))


class StageWorker:
    """A Ray actor: builds the :class:`Pipeline` of ``config`` once (the ``segmenter``,
    ``attributor``, ``stance`` and ``targets`` nodes), then runs it over each batch it is given."""

    def __init__(self, config: Mapping[str, Any], threads: int = 1) -> None:
        import torch

        torch.set_num_threads(threads)
        self.pipeline = Pipeline.from_config(config)

    def __call__(self, batch: pa.Table) -> pa.Table:
        order = batch.column(ORDER)
        shard = Dataset(InMemoryTable(batch.drop_columns([ORDER]))).cast(DOCUMENT_FEATURES)
        processed = self.pipeline.process(shard)
        return processed.data.table.append_column(ORDER, order)


def run_pipeline_ray(
    input_path: str | Path,
    output_dir: str | Path,
    components: Mapping[str, Any],
    targets: Sequence[str] = (),
    export: Sequence[str] = (),
    manifest: dict[str, Any] | None = None,
    address: str | None = None,
    num_workers: int = 2,
    cpus_per_worker: int = 1,
    batch_size: int = 64,
    output_uri: str | None = None,
) -> dict[str, Dataset]:
    """Run the pipeline with Ray Data; writes the same artifacts as :func:`pipeline.run.local_runner.run_pipeline`.

    ``components`` holds the ``segmenter``, ``attributor`` and ``stance`` configs (``_target_``
    dicts, as in ``configs/``); each actor instantiates them once.  ``output_uri``: shared
    storage for the workers' Parquet (a run folder is made inside it and kept); None sends the
    results back through the object store.  Raises :class:`LostRowsError` unless every input
    record comes back exactly once.
    """
    check_run(input_path, export)
    output_dir = Path(output_dir)
    components = absolute_model_paths(components)
    config = {**components, "targets": list(targets)}  # what each actor's Pipeline is built from
    results_dir = output_dir / ".ray_results"  # written and read by the driver only
    shutil.rmtree(results_dir, ignore_errors=True)
    timings: dict[str, float] = {}
    begin = time.perf_counter()
    documents = read_input(input_path, targets, components.get("stance") is not None)
    timings["load"] = round(time.perf_counter() - begin, 3)

    begin = time.perf_counter()
    files = []
    if len(documents):
        files = _run_on_ray(documents, results_dir, config, address, num_workers, cpus_per_worker,
                            batch_size, output_uri)
    timings["ray_stages"] = round(time.perf_counter() - begin, 3)

    begin = time.perf_counter()
    if files:
        merged = Dataset.from_parquet(files)
        check_every_row_came_back(np.asarray(merged[ORDER], dtype=np.int64), len(documents))
        merged = merged.sort(ORDER).remove_columns(ORDER).cast(DOCUMENTS_WITH_QUOTES)
    else:  # an empty input (no Ray job): empty tables with the full schema
        check_every_row_came_back(np.zeros(0, dtype=np.int64), len(documents))
        merged = empty_documents_with_quotes()
    tables = build_tables(merged)
    manifest = {**(manifest or {}), "versions": package_versions(), "models": checkpoint_provenance(components),
                "runner": {"name": "ray", "workers": num_workers, "batch_size": batch_size,
                           "output_uri": output_uri},
                "timings_s": {**timings, "write": round(time.perf_counter() - begin, 3)},
                "input_path": str(input_path)}
    written = write_output(tables, output_dir, manifest, export)
    shutil.rmtree(results_dir, ignore_errors=True)
    return written


def _run_on_ray(documents: Dataset, results_dir: Path, config: Mapping[str, Any],
                address: str | None, num_workers: int, cpus_per_worker: int, batch_size: int,
                output_uri: str | None) -> list[str]:
    """Stream the documents through an actor pool running :class:`Pipeline`; the driver writes
    what comes back as Parquet files under ``results_dir`` and returns their paths."""
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address or os.environ.get("RAY_ADDRESS"), log_to_driver=False,
                 include_dashboard=False)
    try:
        table = documents.flatten_indices().data.table
        table = table.append_column(ORDER, pa.array(range(len(table)), pa.int64()))
        blocks = [table.slice(i, batch_size) for i in range(0, len(table), batch_size)]
        dataset = ray.data.from_arrow(blocks)
        processed = dataset.map_batches(
            StageWorker,
            fn_constructor_kwargs={"config": dict(config), "threads": cpus_per_worker},
            batch_size=batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=num_workers),
            num_cpus=cpus_per_worker,
        )
        if output_uri:
            # The workers write to shared storage; the driver reads it back through Ray, so
            # it needs no access of its own to that storage.
            run_uri = f"{output_uri.rstrip('/')}/run-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
            processed.write_parquet(run_uri)
            log.info("worker output kept in %s", run_uri)
            processed = ray.data.read_parquet(run_uri)
        results_dir.mkdir(parents=True, exist_ok=True)
        files = []
        for number, batch in enumerate(processed.iter_batches(batch_format="pyarrow", batch_size=None)):
            if batch.num_rows:
                files.append(str(results_dir / f"part-{number:06d}.parquet"))
                pq.write_table(batch, files[-1])
        return files
    finally:
        if started_here:
            ray.shutdown()
