"""Resumable runs: process the documents in shards, each saved once it is finished.

A run writes ``DIR/.shards/plan.json`` (what is being computed: an input fingerprint, a
config fingerprint, the shard size) and one folder per finished shard.  The input fingerprint
covers every field of every record (targets and meta included); the config fingerprint covers
what the caller passes, normally the resolved config less :data:`DISPLAY_ONLY` keys plus the
checkpoints' sha256, so a resume never mixes old and new labels.  A shard folder
appears only by an atomic rename after both its tables are on disk, so a run killed at any
point (``kill -9`` included) leaves only whole shards; the same command started again skips
them and computes the rest.  When every shard is done the tables are concatenated into the
final ``quotes``/``documents`` and the shard folders are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from datasets import Dataset, concatenate_datasets, load_from_disk

from pipeline.io.artifacts import save_table
from pipeline.io.documents import DOCUMENT_FEATURES

log = logging.getLogger(__name__)

TABLES = ("quotes", "documents")
# Config keys that change how a run is shown or where it is written, never what it computes;
# dropped at any depth (``segmenter.progress`` is ``${progress}``).
DISPLAY_ONLY = frozenset({"progress", "show", "export", "paths", "runner", "output_dir"})


class PlanMismatch(ValueError):
    """``output_dir`` holds an unfinished run over other input or with another config."""


def fingerprint_documents(documents: Dataset) -> str:
    """sha256 over every field of every record (id, text, targets, meta, status, ...), in order:
    the same input gives the same value, and any change to a record gives another."""
    digest = hashlib.sha256()
    columns = sorted(DOCUMENT_FEATURES)
    for batch in documents.select_columns(columns).iter(batch_size=1000):
        for values in zip(*(batch[name] for name in columns)):
            record = json.dumps(values, ensure_ascii=False)
            digest.update(f"{len(record)}:".encode())
            digest.update(record.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def content_config(config: Any) -> Any:
    """``config`` without its :data:`DISPLAY_ONLY` keys, at any depth."""
    if isinstance(config, dict):
        return {k: content_config(v) for k, v in config.items() if k not in DISPLAY_ONLY}
    if isinstance(config, (list, tuple)):
        return [content_config(v) for v in config]
    return config


def fingerprint_config(config: Any) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


class ShardStore:
    """The shard folders of one output directory."""

    def __init__(self, out_dir: str | Path, n_documents: int, shard_size: int,
                 input_fingerprint: str, config_fingerprint: str) -> None:
        if shard_size < 1:
            raise ValueError(f"shard_size must be at least 1, got {shard_size}")
        self.root = Path(out_dir) / ".shards"
        self.n_documents = n_documents
        self.shard_size = shard_size
        self.plan = {"n_documents": n_documents, "shard_size": shard_size,
                     "input": input_fingerprint, "config": config_fingerprint}

    @property
    def n_shards(self) -> int:
        return (self.n_documents + self.shard_size - 1) // self.shard_size

    def open(self) -> list[int]:
        """Start or resume: check the plan of an unfinished run; return the shards still to do."""
        plan_path = self.root / "plan.json"
        if plan_path.exists():
            previous = json.loads(plan_path.read_text())
            changed = [key for key in self.plan if previous.get(key) != self.plan[key]]
            if changed:
                raise PlanMismatch(
                    f"output_dir {str(self.root.parent)!r} holds an unfinished run with a different "
                    f"{', '.join(changed)}; use a new output_dir or delete that one")
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            plan_path.write_text(json.dumps(self.plan, indent=2))
        todo = [i for i in range(self.n_shards) if not self._dir(i).exists()]
        if len(todo) < self.n_shards:
            log.info("resuming: %d of %d shards already done", self.n_shards - len(todo), self.n_shards)
        return todo

    def rows(self, index: int) -> range:
        begin = index * self.shard_size
        return range(begin, min(begin + self.shard_size, self.n_documents))

    def _dir(self, index: int) -> Path:
        return self.root / f"{index:06d}"

    def save(self, index: int, tables: dict[str, Dataset]) -> None:
        tmp = self.root / f".{index:06d}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in TABLES:  # save_table keeps a table without rows loadable
            save_table(tables[name], tmp, name)
        tmp.rename(self._dir(index))  # the shard exists only once it is whole

    def merged(self) -> dict[str, Dataset]:
        """All shards' tables, concatenated in shard order."""
        merged = {}
        for name in TABLES:
            parts = [load_from_disk(str(self._dir(i) / name)) for i in range(self.n_shards)]
            merged[name] = concatenate_datasets(parts) if parts else None
        return merged

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
