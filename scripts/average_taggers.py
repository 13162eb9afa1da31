"""Average quote taggers into one checkpoint: ``python scripts/average_taggers.py model_dirs=[A,B]``."""

import logging

import hydra
from omegaconf import DictConfig

from pipeline.quotes.tagger.training import average_taggers

log = logging.getLogger(__name__)


def average(cfg: DictConfig) -> dict:
    """Average from a composed config; returns the metrics (dev scores under ``dev``)."""
    return average_taggers(list(cfg.model_dirs), cfg.paths.output_dir, cfg.data.dev_dir, window=cfg.window,
                           stride=cfg.stride, max_dev_docs=cfg.max_dev_docs, progress=cfg.progress)


@hydra.main(version_base="1.3", config_path="../configs", config_name="average_taggers")
def main(cfg: DictConfig) -> None:
    average(cfg)
    log.info("averaged checkpoint in %s/model; metrics in %s/metrics.json", cfg.paths.output_dir,
             cfg.paths.output_dir)


if __name__ == "__main__":
    main()
