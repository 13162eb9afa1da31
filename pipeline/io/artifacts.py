"""Write and read a run's artifacts: ``quotes``, ``documents`` (save_to_disk) and ``manifest.json``.

Evaluation and reporting read artifacts only through :func:`load_artifacts`, which checks
the schema, so a change of columns shows up as one clear error rather than a KeyError later.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any, Sequence

from datasets import Dataset, Features, Value, load_from_disk

from pipeline.io.schema import QUOTE_FEATURES, STANCE_FEATURES

log = logging.getLogger(__name__)

QUOTE_TABLE_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "quote_id": Value("string"),
        "text": Value("string"),
        **{k: v for k, v in QUOTE_FEATURES.items() if k != "stances"},
        "stances": [STANCE_FEATURES],
    }
)
DOCUMENT_TABLE_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "status": Value("string"),
        "error": Value("string"),
        "n_quotes": Value("int64"),
        "source": Value("string"),
        "targets": [Value("string")],
        "meta": Value("string"),
        "text": Value("string"),
    }
)
EXPORT_FORMATS = ("parquet", "jsonl")


def check_export(export: Sequence[str]) -> None:
    """Fail before any work when ``export`` names a format the writer does not know."""
    unknown = sorted(set(export) - set(EXPORT_FORMATS))
    if unknown:
        raise ValueError(f"export: unknown format(s) {unknown}; expected any of {list(EXPORT_FORMATS)}")


def quotes_table(documents: Dataset) -> Dataset:
    """One row per quote, with its text cut from the document exactly at ``[start, end)``."""
    rows = []
    for doc in documents.select_columns(["doc_id", "text", "quotes"]):
        for i, quote in enumerate(doc["quotes"]):
            rows.append({"doc_id": doc["doc_id"], "quote_id": f"{doc['doc_id']}#{i}",
                         "text": doc["text"][quote["start"]:quote["end"]], **quote})
    if not rows:  # from_list([]) drops the columns; an empty table must keep its schema
        return Dataset.from_dict({name: [] for name in QUOTE_TABLE_FEATURES}, features=QUOTE_TABLE_FEATURES)
    return Dataset.from_list(rows, features=QUOTE_TABLE_FEATURES)


def documents_table(documents: Dataset) -> Dataset:
    """One row per input record: status, error and how many quotes it gave."""
    def count(row: dict) -> dict:
        return {"n_quotes": len(row["quotes"])}

    if not len(documents):  # map() over no rows adds no column
        return Dataset.from_dict({name: [] for name in DOCUMENT_TABLE_FEATURES}, features=DOCUMENT_TABLE_FEATURES)
    table = documents.map(count, remove_columns=["quotes"], desc="count quotes", load_from_cache_file=False)
    return table.select_columns(list(DOCUMENT_TABLE_FEATURES)).cast(DOCUMENT_TABLE_FEATURES)


def build_tables(documents: Dataset) -> dict[str, Dataset]:
    """The two output tables of a documents table that went through the stages."""
    return {"quotes": quotes_table(documents), "documents": documents_table(documents)}


def save_table(table: Dataset, out_dir: Path, name: str) -> Path:
    """``save_to_disk`` under a temporary name, then move into place.

    A run killed mid-write never leaves a half-written table where a finished one is expected.
    """
    tmp, final = out_dir / f".{name}.tmp", out_dir / name
    shutil.rmtree(tmp, ignore_errors=True)
    # An empty table saved with the default sharding has no data file and cannot be loaded
    # back (datasets 5.2); one explicit shard keeps it loadable.
    table.save_to_disk(str(tmp), num_shards=1 if not len(table) else None)
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    return final


def write_tables(tables: dict[str, Dataset], out_dir: str | Path, manifest: dict[str, Any],
                 export: Sequence[str] = ()) -> dict[str, Dataset]:
    """Save ``quotes``, ``documents`` and ``speakers`` under ``out_dir``, optional exports, then
    the manifest.

    The corpus-level speaker pass (``speaker_id`` and the ``speakers`` table) runs before, over
    the whole run at once: :func:`pipeline.run.files.write_output`, which both runners call.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        save_table(table, out_dir, name)
        for fmt in export:
            if fmt == "parquet":
                table.to_parquet(str(out_dir / f"{name}.parquet"))
            elif fmt == "jsonl":
                table.to_json(str(out_dir / f"{name}.jsonl"), lines=True, force_ascii=False)
    status = tables["documents"]["status"]
    manifest = {**manifest, "counts": {
        "documents": len(status),
        "documents_ok": sum(s == "ok" for s in status),
        "documents_error": sum(s == "error" for s in status),
        "quotes": len(tables["quotes"]),
        **({"speakers": len(tables["speakers"])} if "speakers" in tables else {}),
    }}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str))
    return tables


class ArtifactError(ValueError):
    """An artifact folder is missing a table or a column."""


def load_artifacts(out_dir: str | Path) -> tuple[Dataset, Dataset, dict]:
    """Load ``(quotes, documents, manifest)`` from a run folder and check their columns."""
    out_dir = Path(out_dir)
    tables = []
    for name, features in (("quotes", QUOTE_TABLE_FEATURES), ("documents", DOCUMENT_TABLE_FEATURES)):
        if not (out_dir / name).exists():
            raise ArtifactError(f"{out_dir}: no '{name}' table; is this the output_dir of scripts/infer.py?")
        table = load_from_disk(str(out_dir / name))
        missing = sorted(set(features) - set(table.column_names))
        if missing:
            raise ArtifactError(f"{out_dir / name}: missing columns {missing}")
        tables.append(table)
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    return tables[0], tables[1], manifest


def load_speakers(out_dir: str | Path) -> Dataset | None:
    """The ``speakers`` table of a run folder (``speaker_id``, ``name``, ``variants``, ``type``,
    ``n_quotes``, ``n_documents``, ``ambiguous``), or None for a run written before it existed."""
    path = Path(out_dir) / "speakers"
    return load_from_disk(str(path)) if path.exists() else None
