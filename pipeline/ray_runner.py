"""The same pipeline on a Ray cluster: read -> map_batches over an actor pool -> Parquet shards.

Each actor builds the components once (:class:`pipeline.stages.Stages`, the class the local
runner uses) and runs :meth:`Stages.process` over its batches, so no stage is implemented
twice.  The driver then turns the Parquet shards into the usual ``quotes`` / ``documents``
tables with the local writer.

Documents are read on the driver with :func:`pipeline.documents.load_documents` (every input
format, one status row per record), handed to Ray as Arrow blocks, processed by the workers,
and written by them as Parquet under ``output_dir/ray_shards``.  ``RAY_ADDRESS`` (or
``runner.address``) points at an existing cluster; without it a local Ray instance starts.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

import pyarrow as pa
from datasets import Dataset
from datasets.table import InMemoryTable

from pipeline.artifacts import build_tables, check_export, load_artifacts, write_tables
from pipeline.documents import DOCUMENT_FEATURES, check_input_path, load_documents
from pipeline.runner import package_versions
from pipeline.components import build_stages, checkpoint_provenance
from pipeline.stages import DOCUMENTS_WITH_QUOTES, empty_documents_with_quotes

log = logging.getLogger(__name__)

ORDER = "_row"  # the input position of each document, so the output keeps the input order


class StageWorker:
    """A Ray actor: loads the models once, then runs every stage over each batch it is given."""

    def __init__(self, components: Mapping[str, Any], targets: Sequence[str], threads: int = 1) -> None:
        import torch

        torch.set_num_threads(threads)
        self.stages = build_stages(components, targets)

    def __call__(self, batch: pa.Table) -> pa.Table:
        order = batch.column(ORDER)
        shard = Dataset(InMemoryTable(batch.drop_columns([ORDER]))).cast(DOCUMENT_FEATURES)
        processed = self.stages.process(shard)
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
) -> dict[str, Dataset]:
    """Run the pipeline with Ray Data; writes the same artifacts as :func:`pipeline.runner.run_pipeline`.

    ``components`` holds the ``segmenter``, ``attributor`` and ``stance`` configs (``_target_``
    dicts, as in ``configs/``); each actor instantiates them once.
    """
    check_export(export)
    check_input_path(input_path)
    if targets and components.get("stance") is None:
        raise ValueError("targets were given but stance is disabled (~stance)")
    output_dir = Path(output_dir)
    shards_dir = output_dir / "ray_shards"
    shutil.rmtree(shards_dir, ignore_errors=True)
    timings: dict[str, float] = {}
    begin = time.perf_counter()
    documents = load_documents(input_path)
    timings["load"] = round(time.perf_counter() - begin, 3)

    begin = time.perf_counter()
    if len(documents):
        _run_on_ray(documents, shards_dir, components, targets, address, num_workers,
                    cpus_per_worker, batch_size)
    timings["ray_stages"] = round(time.perf_counter() - begin, 3)

    begin = time.perf_counter()
    files = sorted(str(p) for p in shards_dir.glob("*.parquet"))
    if files:
        merged = Dataset.from_parquet(files).sort(ORDER).remove_columns(ORDER).cast(DOCUMENTS_WITH_QUOTES)
    else:  # an empty input: no Ray job, empty tables with the full schema
        merged = empty_documents_with_quotes()
    tables = build_tables(merged)
    manifest = {**(manifest or {}), "versions": package_versions(), "models": checkpoint_provenance(components),
                "runner": {"name": "ray", "workers": num_workers, "batch_size": batch_size},
                "timings_s": {**timings, "write": round(time.perf_counter() - begin, 3)},
                "input_path": str(input_path)}
    write_tables(tables, output_dir, manifest, export)
    shutil.rmtree(shards_dir, ignore_errors=True)
    quotes, documents, _ = load_artifacts(output_dir)
    return {"quotes": quotes, "documents": documents}


def _run_on_ray(documents: Dataset, shards_dir: Path, components: Mapping[str, Any],
                targets: Sequence[str], address: str | None, num_workers: int,
                cpus_per_worker: int, batch_size: int) -> None:
    """Stream the documents through an actor pool running :class:`Stages`; write Parquet shards."""
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
            fn_constructor_kwargs={"components": dict(components), "targets": list(targets),
                                   "threads": cpus_per_worker},
            batch_size=batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=num_workers),
            num_cpus=cpus_per_worker,
        )
        processed.write_parquet(str(shards_dir))
    finally:
        if started_here:
            ray.shutdown()
