"""What every run does around the stages, whichever runner: check and read the input, write the output.

Both runners (:mod:`pipeline.run.local_runner`, :mod:`pipeline.run.ray_runner`) call
:func:`read_input` before any work and :func:`write_output` with every row at the end, so the
checks, the corpus-level speaker pass, the manifest and the table layout are the same.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Sequence

from datasets import Dataset

from pipeline.io.artifacts import build_tables, check_export, load_artifacts, write_tables
from pipeline.io.documents import check_input_path, load_documents
from pipeline.quotes.corpus_speakers import add_speakers_table


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("quotestance", "torch", "transformers", "datasets", "tokenizers", "hydra-core"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def check_run(input_path: str | Path, export: Sequence[str] = ()) -> None:
    """Fail before any work on an unknown export format or an unusable input path."""
    check_export(export)
    check_input_path(input_path)


def check_targets(documents: Dataset, targets: Sequence[str], has_stance: bool) -> None:
    """Targets (configured or a record's own) need a stance model: fail before any work."""
    if not has_stance and (targets or any(documents["targets"])):
        raise ValueError("targets were given but stance is disabled (~stance)")


def read_input(input_path: str | Path, targets: Sequence[str] = (), has_stance: bool = True) -> Dataset:
    """The documents table of ``input_path`` (one row per record, see :mod:`pipeline.io.documents`),
    after checking that any targets can be labelled."""
    documents = load_documents(input_path)
    check_targets(documents, targets, has_stance)
    return documents


def write_output(tables: dict[str, Dataset], output_dir: str | Path, manifest: dict[str, Any],
                 export: Sequence[str] = ()) -> dict[str, Dataset]:
    """Group speakers over the whole run, write ``quotes``, ``documents``, ``speakers``, the
    exports and ``manifest.json`` (``manifest`` plus the counts), and return the written tables.

    The tables handed in may be memory-mapped from folders the caller removes next (finished
    shards, Ray's result files), so the ones returned are read back from ``output_dir``.
    """
    if "speakers" not in tables:
        tables = add_speakers_table(tables)
    write_tables(tables, output_dir, manifest, export)
    return written_tables(output_dir)


def written_tables(output_dir: str | Path) -> dict[str, Dataset]:
    quotes, documents, _ = load_artifacts(output_dir)
    return {"quotes": quotes, "documents": documents}


def write_artifacts(documents: Dataset, out_dir: str | Path, manifest: dict[str, Any],
                    export: Sequence[str] = ()) -> dict[str, Dataset]:
    """Build the tables of a processed documents table and write them as a run does."""
    tables = add_speakers_table(build_tables(documents))
    return write_tables(tables, out_dir, manifest, export)
