"""Render a run as HTML: ``python scripts/report.py predictions=DIR`` -> ``DIR/report.html`` and ``DIR/summary``."""

import sys
from pathlib import Path

import datasets
import hydra
from datasets import load_from_disk
from omegaconf import DictConfig

from pipeline.io.artifacts import ArtifactError
from pipeline.report.html import write_report
from pipeline.report.speaker_summary import format_speaker_summary


def report(cfg: DictConfig) -> Path:
    """Write the report and the summary table for ``cfg.predictions``; returns the report's path."""
    if cfg.max_documents is not None and cfg.max_documents < 0:
        raise ValueError(f"max_documents must be >= 0 or null, got {cfg.max_documents}")
    return write_report(cfg.predictions, max_documents=cfg.max_documents)


@hydra.main(version_base="1.3", config_path="../configs", config_name="report")
def main(cfg: DictConfig) -> None:
    datasets.disable_progress_bars()
    try:
        path = report(cfg)
    except (ArtifactError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    if cfg.show:
        print(format_speaker_summary(load_from_disk(str(path.parent / "summary")), max_rows=cfg.show))
    print(f"\nreport: {path}\nsummary table: {path.parent / 'summary'}")


if __name__ == "__main__":
    main()
