"""Benchmark the pipeline against textacy: ``python scripts/bench.py input_dir=FOLDER_OF_TXT``."""

import json
import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from pipeline.bench import format_benchmark, run_benchmark
from pipeline.components import component_configs

log = logging.getLogger(__name__)


def bench(cfg: DictConfig) -> dict:
    components = component_configs(OmegaConf.to_container(cfg, resolve=True))
    results = run_benchmark(cfg.input_dir, components, list(cfg.targets), cfg.runs, cfg.warmup, cfg.peer)
    out = Path(cfg.paths.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    return results


@hydra.main(version_base="1.3", config_path="../configs", config_name="bench")
def main(cfg: DictConfig) -> None:
    print(format_benchmark(bench(cfg)))


if __name__ == "__main__":
    main()
