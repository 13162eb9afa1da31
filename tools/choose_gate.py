"""Sweep the stance relevance gate's threshold on dev: ``python tools/choose_gate.py runs=[...]``.

How ``stance.gate.threshold`` and ``neutral_score`` were chosen for models/stance (its model card,
"The relevance gate"); run it again for a new checkpoint.  ``runs``: output folders of
``scripts/infer.py`` with ``stance.gate=null`` over dev documents (``tools/compare_stance.sh``
makes a SEESAW valid run and its unrelated-target twin).  Config: ``configs/choose_gate.yaml``.
"""

import json
import logging
from pathlib import Path

import hydra
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from pipeline.stance.gate import RelevanceGate
from gate_selection import format_sweep, run_pairs, sweep_gate  # tools/gate_selection.py
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
