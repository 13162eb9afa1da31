"""``Pipeline``: the inference pipeline in Python, with the configs and stages of ``scripts/infer.py``.

    from pipeline import Pipeline
    nlp = Pipeline.from_pretrained()                                  # shipped models, default config
    nlp = Pipeline.from_pretrained(overrides=["segmenter=rules", "attributor=rules"])
    quotes = nlp(["text one", "text two"], targets=["climate action"])   # the quotes table
    output = nlp.run(records)              # output.quotes, output.documents, output.speakers
    for output in nlp.pipe(records, batch_size=256): ...               # streamed, batch by batch
    nlp.write("news.jsonl", "outputs/news")   # files in, artifacts out: what scripts/infer.py writes

The tables have the columns of ``DIR/quotes``, ``DIR/documents`` and ``DIR/speakers`` written
by ``scripts/infer.py``, and the rows are the same for the same input and config.  ``run``,
``pipe`` and ``__call__`` write nothing to disk; :meth:`Pipeline.write` runs the local runner
(shards, resume, manifest) as the script does.  The script, the local runner and each Ray
actor build this same object (:meth:`Pipeline.from_config`) and call :meth:`Pipeline.process`.
"""

from __future__ import annotations

import contextlib
import logging
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Sequence

import datasets
from datasets import Dataset, concatenate_datasets
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from pipeline.config_schema import InferConfig
from pipeline.io.artifacts import build_tables
from pipeline.io.documents import DOCUMENT_FEATURES, record_row
from pipeline.io.schema import empty_documents_with_quotes
from pipeline.locations import CONFIG_DIR, hydra_value, require, root_override
from pipeline.quotes.corpus_speakers import add_speakers_table
from pipeline.run.components import build_stages, component_configs
from pipeline.run.files import check_targets
from pipeline.stance.targets import as_target
from pipeline.run.stages import Stages, Timer, document_targets

log = logging.getLogger(__name__)

Record = str | Mapping[str, Any]


class PipelineOutput(NamedTuple):
    """The tables of one call, as ``scripts/infer.py`` writes them."""

    quotes: Dataset  # one row per quote
    documents: Dataset  # one row per input record, with ``status`` and ``error``
    speakers: Dataset  # one row per ``speaker_id`` of the quotes


def compose_infer_config(overrides: Sequence[str] = ()) -> DictConfig:
    """``configs/infer.yaml`` composed with ``overrides``, as ``scripts/infer.py`` gets it.

    Model paths (``paths.root_dir``) point into the checkout, whatever the working directory.
    Hydra's global state (say, inside a ``@hydra.main`` app) is left as it was.
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.initialize import get_gh_backup, restore_gh_from_backup

    ConfigStore.instance().store(name="infer_schema", node=InferConfig)
    backup = get_gh_backup()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(require(CONFIG_DIR)), version_base="1.3"):
            return compose(config_name="infer", overrides=[root_override(), *overrides])
    finally:
        restore_gh_from_backup(backup)


@contextlib.contextmanager
def _quiet_table_bars() -> Iterator[None]:
    # One bar per stage and batch from datasets is noise; the tagger and stance bars
    # (``progress``) show the work.  The user's own setting is restored afterwards.
    was_disabled = datasets.is_progress_bar_enabled() is False
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _with_speakers(tables: dict[str, Dataset]) -> PipelineOutput:
    # What the writer adds (``pipeline.run.files.write_output``): corpus-level speaker ids.
    return PipelineOutput(**add_speakers_table(tables))


def _as_list(value: Any, what: str) -> list[Any]:
    """Targets as a list: a string or ``{"name", "aliases"}`` mapping is one target."""
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):  # one target, not its characters or keys
        value = [value]
    items = list(value)
    for item in items:
        try:
            as_target(item)
        except ValueError as exc:
            raise ValueError(f"{what}: {exc}") from exc
    return items


class Pipeline:
    """Segment -> attribute -> stance over texts or records, with every model loaded once.

    Build it with :meth:`from_pretrained` (the Hydra configs of ``scripts/infer.py``) or from
    already built :class:`pipeline.run.stages.Stages`.  Records are strings or dicts like the lines
    of a JSONL input (``id``, ``text``, optional ``targets``; other fields go to ``meta``).  A
    record without an ``id`` gets its position in the input (``"0"``, ``"1"``, ...).  A bad
    record (empty text, no ``text``, a repeated id, ...) gives a row with ``status="error"`` in
    the documents table and no quotes; it never stops the call.
    """

    def __init__(self, stages: Stages, config: DictConfig | None = None, batch_size: int = 1000) -> None:
        self.stages = stages
        self.config = config  # the composed config (unresolved), or None
        self.targets = list(stages.targets)  # configured targets, for every record
        self.batch_size = batch_size

    @classmethod
    def from_config(cls, config: DictConfig | Mapping[str, Any]) -> "Pipeline":
        """Build the components of a composed ``infer`` config (as ``scripts/infer.py`` does).

        ``config`` may also be a plain dict with the ``segmenter``, ``attributor``, ``stance``
        and ``targets`` nodes (what a Ray actor is shipped)."""
        if not isinstance(config, DictConfig):
            config = OmegaConf.create(dict(config))
        components = component_configs({name: OmegaConf.to_container(config[name], resolve=True)
                                         if config.get(name) is not None else None
                                         for name in ("segmenter", "attributor", "stance")})
        stages = build_stages(components, list(config.get("targets") or []))
        return cls(stages, config=config, batch_size=config.get("shard_size") or 1000)

    @classmethod
    def from_pretrained(cls, path: str | Path | None = None, overrides: Sequence[str] = ()) -> "Pipeline":
        """The pipeline of ``scripts/infer.py`` with the same config ``overrides``.

        ``path``: a folder with ``quotes/`` and ``stance/`` checkpoints (sets
        ``paths.models_dir``); by default the shipped ``models/`` of the checkout.  An override
        of ``segmenter.name_or_path`` or ``stance.name_or_path`` picks a single checkpoint.
        Everything runs in this process (``runner`` does not apply); ``shard_size`` becomes the
        default ``batch_size`` of :meth:`run` and :meth:`pipe`.
        """
        prefix = [] if path is None else [f"paths.models_dir={hydra_value(Path(path).resolve())}"]
        return cls.from_config(compose_infer_config([*prefix, *overrides]))

    @property
    def provenance(self) -> dict[str, Any]:
        """The checkpoints in use (path, sha256, dtype); stance appears once it is loaded."""
        return self.stages.provenance

    @property
    def has_stance(self) -> bool:
        """Whether a stance model is configured (``~stance`` removes it)."""
        return self.stages.load_classifier is not None

    # ------------------------------------------------------------------ running

    def __call__(self, records: Record | Iterable[Record], targets: str | Iterable[str] | None = None) -> Dataset:
        """The quotes table of ``records`` (one row per quote, as ``DIR/quotes``).

        ``targets`` are added to the configured ones and each record's own.  Records that
        could not be used are logged; :meth:`run` returns their rows with the reason.
        """
        output = self.run(records, targets=targets)
        errors = [row for row in output.documents.select_columns(["doc_id", "status", "error"])
                  if row["status"] != "ok"]
        if errors:
            log.warning("%d of %d records could not be used (first: %r: %s); Pipeline.run() returns "
                        "the documents table with every reason", len(errors), len(output.documents),
                        errors[0]["doc_id"], errors[0]["error"])
        return output.quotes

    def run(self, records: Record | Iterable[Record], targets: str | Iterable[str] | None = None,
            batch_size: int | None = None) -> PipelineOutput:
        """The tables of ``records``: ``quotes``, ``documents`` (one row per record, with
        ``status`` and ``error``) and ``speakers`` (grouped over all the records), as
        ``DIR/quotes``, ``DIR/documents`` and ``DIR/speakers``.  ``batch_size``: records per
        pass through the stages (default ``shard_size``, as the script)."""
        parts = list(self._batches(records, batch_size, targets))
        if not parts:
            return _with_speakers(build_tables(empty_documents_with_quotes()))
        return _with_speakers({name: concatenate_datasets([p[name] for p in parts]) if len(parts) > 1
                               else parts[0][name] for name in ("quotes", "documents")})

    def pipe(self, records: Record | Iterable[Record], batch_size: int | None = None,
             targets: str | Iterable[str] | None = None) -> Iterator[PipelineOutput]:
        """Stream ``records`` (any iterable, read lazily) in batches of ``batch_size``; yields
        each batch's :class:`PipelineOutput`.  Ids stay unique across batches; speakers are
        grouped within each batch (:meth:`run` groups them over all records)."""
        for tables in self._batches(records, batch_size, targets):
            yield _with_speakers(tables)

    def _batches(self, records: Record | Iterable[Record], batch_size: int | None,
                 targets: str | Iterable[str] | None) -> Iterator[dict[str, Dataset]]:
        batch_size = batch_size or self.batch_size
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        run_targets = document_targets(_as_list(targets, "targets"), self.targets)
        if isinstance(records, (str, Mapping)):
            records = [records]
        stream = iter(records)
        first_seen: dict[str, str] = {}
        offset = 0
        while batch := list(islice(stream, batch_size)):
            documents = self._documents(batch, offset, first_seen)
            offset += len(batch)
            yield self._process(documents, run_targets)

    def _documents(self, batch: list[Any], offset: int, first_seen: dict[str, str]) -> Dataset:
        rows = []
        for position, record in enumerate(batch, start=offset):
            source = f"records[{position}]"
            if isinstance(record, str):
                record = {"text": record}
            if not isinstance(record, Mapping):
                rows.append(record_row({}, str(position), source))
                rows[-1]["error"] = f"expected a string or a dict, got {type(record).__name__}"
                continue
            # The loader's check of one record: the same rows and messages as a JSONL line.
            rows.append(record_row(dict(record), str(position), source))
        for row in rows:  # repeated ids, across batches too, as the loader marks them
            first = first_seen.setdefault(row["doc_id"], row["source"])
            if first != row["source"]:
                row.update(status="error", text="", targets=[], target_aliases=[],
                           error=f"duplicate id {row['doc_id']!r} (first used at {first}); "
                                 "this record was skipped")
        return Dataset.from_list(rows, features=DOCUMENT_FEATURES)

    def _process(self, documents: Dataset, targets: list[str]) -> dict[str, Dataset]:
        with _quiet_table_bars():
            return build_tables(self.process(documents, targets))

    def process(self, documents: Dataset, targets: Sequence[str] | None = None,
                timed: Timer | None = None) -> Dataset:
        """Every stage over a documents table (:data:`pipeline.io.documents.DOCUMENT_FEATURES`);
        returns it with its ``quotes`` column.  ``targets`` replace the configured ones for this
        call (each record's own are added).  The local runner calls this per shard and each Ray
        actor per batch; a document a stage fails on becomes an error row."""
        targets = self.targets if targets is None else list(targets)
        check_targets(documents, targets, self.has_stance)
        configured, self.stages.targets = self.stages.targets, targets
        try:
            return self.stages.process(documents) if timed is None else self.stages.process(documents, timed)
        finally:
            self.stages.targets = configured

    # ------------------------------------------------------------------ files

    def write(self, input_path: str | Path, output_dir: str | Path, export: Sequence[str] = (),
              shard_size: int | None = None, resume_key: Any = None,
              manifest: dict[str, Any] | None = None) -> dict[str, Dataset]:
        """Read ``input_path`` (any input format), run every stage shard by shard and write
        ``output_dir`` as ``scripts/infer.py`` does (``quotes``, ``documents``, ``speakers``,
        ``manifest.json``, ``export`` copies); a killed call resumes with the same arguments.
        Returns the written ``quotes`` and ``documents`` tables."""
        from pipeline.run.local_runner import run_pipeline

        return run_pipeline(input_path, output_dir, self, export=export, manifest=manifest,
                            shard_size=shard_size or self.batch_size, resume_key=resume_key)
