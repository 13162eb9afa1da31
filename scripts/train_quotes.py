"""Fine-tune the quote tagger: ``python scripts/train_quotes.py [key=value ...]``."""

import logging

import hydra
from omegaconf import DictConfig, OmegaConf

from pipeline.quotes.tagger.training import train_tagger

log = logging.getLogger(__name__)


def train(cfg: DictConfig) -> dict:
    """Train from a composed config; returns the metrics (dev scores under ``dev``)."""
    return train_tagger(
        train_dir=cfg.data.train_dir,
        dev_dir=cfg.data.dev_dir,
        model_name_or_path=cfg.model.name_or_path,
        output_dir=cfg.paths.output_dir,
        training_args=OmegaConf.to_container(cfg.trainer.args, resolve=True),
        window=cfg.window,
        stride=cfg.stride,
        seed=cfg.seed,
        max_train_docs=cfg.max_train_docs,
        max_dev_docs=cfg.max_dev_docs,
        progress=cfg.progress,
    )


@hydra.main(version_base="1.3", config_path="../configs", config_name="train_quotes")
def main(cfg: DictConfig) -> None:
    metrics = train(cfg)
    log.info("metrics written to %s/metrics.json", cfg.paths.output_dir)
    for key, value in metrics["dev"]["headline"].items():
        log.info("dev %-24s %s", key, value)


if __name__ == "__main__":
    main()
