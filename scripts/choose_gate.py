"""Sweep the stance relevance gate's threshold on dev: ``python scripts/choose_gate.py runs=[...]``."""

import json
import logging
from pathlib import Path

import hydra
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from pipeline.stance.gate import RelevanceGate
from pipeline.stance.gate_selection import format_sweep, run_pairs, sweep_gate
from pipeline.stance.training import corpus_specs, load_splits

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path="../configs", config_name="choose_gate")
def main(cfg: DictConfig) -> None:
    corpora = corpus_specs(OmegaConf.to_container(cfg.data.corpora, resolve=True))
    _, dev_frames = load_splits(corpora, cfg.seed, max_dev_samples=cfg.max_dev_samples, split_seed=cfg.split_seed)
    classifier = instantiate(cfg.stance)
    gate = RelevanceGate.from_config(cfg.encoder, threshold=0.0, neutral_score=1.0, progress=cfg.progress)
    runs = {Path(run).name: run_pairs(run) for run in cfg.runs}
    result = sweep_gate(classifier, gate, dev_frames, runs, list(cfg.thresholds), cache_dir=cfg.cache_dir)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "gate_sweep.json").write_text(json.dumps(result, indent=2))
    table = format_sweep(result)
    (out / "gate_sweep.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
