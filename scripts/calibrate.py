"""Calibrate and score an existing stance checkpoint on the dev splits of a data config."""

import json
import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from pipeline.stance.classifier import StanceClassifier
from pipeline.stance.multi_target import MultiTargetStanceClassifier, is_multi_target_checkpoint
from pipeline.stance.training import calibrate_and_score, corpus_specs, load_splits

log = logging.getLogger(__name__)


def calibrate(cfg: DictConfig) -> dict:
    corpora = corpus_specs(OmegaConf.to_container(cfg.data.corpora, resolve=True))
    _, dev_frames = load_splits(corpora, cfg.seed, max_dev_samples=cfg.max_dev_samples, split_seed=cfg.split_seed)
    # The checkpoint says which model it is: the cross-encoder or the multi-target model.
    classifier_cls = MultiTargetStanceClassifier if is_multi_target_checkpoint(cfg.model_dir) else StanceClassifier
    metrics = calibrate_and_score(cfg.model_dir, dev_frames, cfg.model.max_length, cfg.dtype, cfg.neutral_bias,
                                  classifier_cls=classifier_cls)
    Path(cfg.paths.output_dir).mkdir(parents=True, exist_ok=True)
    (Path(cfg.paths.output_dir) / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


@hydra.main(version_base="1.3", config_path="../configs", config_name="calibrate")
def main(cfg: DictConfig) -> None:
    metrics = calibrate(cfg)
    for name, scores in metrics["dev"].items():
        log.info("dev %-10s macro-F1 %.4f  n=%d", name, scores["macro_f1"], scores["n"])


if __name__ == "__main__":
    main()
