"""Fine-tune the stance classifier: ``python scripts/train.py [experiment=...] [key=value ...]``."""

import logging

import hydra
from omegaconf import DictConfig, OmegaConf

from pipeline.stance.multi_target_training import train_multi_target
from pipeline.stance.training import corpus_specs, train_stance

log = logging.getLogger(__name__)


def train(cfg: DictConfig) -> dict:
    """Train from a composed config; returns the per-corpus dev metrics.

    ``stance_model`` picks what is trained: ``cross_encoder`` (one pass per (target, text)
    pair) or ``multi_target`` (one pass per clause, a head per target).
    """
    shared = dict(
        corpora=corpus_specs(OmegaConf.to_container(cfg.data.corpora, resolve=True)),
        model_name_or_path=cfg.model.name_or_path,
        output_dir=cfg.paths.output_dir,
        training_args=OmegaConf.to_container(cfg.trainer.args, resolve=True),
        max_length=cfg.model.max_length,
        seed=cfg.seed,
        max_train_samples=cfg.max_train_samples,
        max_dev_samples=cfg.max_dev_samples,
        split_seed=cfg.split_seed,
        neutral_bias=cfg.neutral_bias,
    )
    if cfg.stance_model == "multi_target":
        return train_multi_target(
            **shared,
            gate=OmegaConf.to_container(cfg.gate, resolve=True) if cfg.get("gate") else None,
            head=OmegaConf.to_container(cfg.head, resolve=True) if cfg.get("head") else None,
        )
    if cfg.stance_model != "cross_encoder":
        raise ValueError(f"stance_model must be cross_encoder or multi_target, got {cfg.stance_model!r}")
    return train_stance(**shared, mark_mentions=cfg.mark_mentions, context=cfg.context)


@hydra.main(version_base="1.3", config_path="../configs", config_name="train")
def main(cfg: DictConfig) -> None:
    metrics = train(cfg)
    for name, scores in metrics["dev"].items():
        log.info("dev %-10s macro-F1 %.4f  n=%d", name, scores["macro_f1"], scores["n"])


if __name__ == "__main__":
    main()
