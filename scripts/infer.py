"""Label the quotes in a corpus: ``python scripts/infer.py input_path=PATH output_dir=DIR [targets='[a,b]']``.

A thin wrapper: :func:`pipeline.run.infer.infer` builds :class:`pipeline.Pipeline` from the
composed config (or, with ``runner=ray``, each Ray actor does) and writes ``output_dir``.
"""

import logging
import sys

import datasets
import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig

from pipeline.config_schema import InferConfig
from pipeline.io.documents import InputError
from pipeline.report.quote_table import format_quote_table
from pipeline.report.speaker_summary import format_speaker_summary, summarise_speakers
from pipeline.run.infer import infer, resume_key  # noqa: F401  (resume_key: what a resume must match)

log = logging.getLogger(__name__)
ConfigStore.instance().store(name="infer_schema", node=InferConfig)


@hydra.main(version_base="1.3", config_path="../configs", config_name="infer")
def main(cfg: DictConfig) -> None:
    # Per-shard table bars from datasets are noise; the stance (and tagger) bars show progress.
    datasets.disable_progress_bars()
    try:
        tables = infer(cfg)
    except (InputError, FileNotFoundError, ValueError) as exc:  # PlanMismatch is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    documents, quotes = tables["documents"], tables["quotes"]
    errors = [row for row in documents if row["status"] != "ok"]
    print(f"\n{len(documents)} documents ({len(errors)} with errors), {len(quotes)} quotes -> {cfg.output_dir}")
    for row in errors[:10]:
        print(f"  error in {row['doc_id']}: {row['error']}")
    if cfg.show and len(quotes):
        print(format_quote_table(quotes, max_rows=cfg.show))
        print("\n" + format_speaker_summary(summarise_speakers(quotes), max_rows=cfg.show))


if __name__ == "__main__":
    main()
