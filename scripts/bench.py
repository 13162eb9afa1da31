"""Benchmark the pipeline against textacy: ``python scripts/bench.py input_dir=FOLDER_OF_TXT``;
time against document length: ``python scripts/bench.py sweep=true``."""

import json
import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from pipeline.bench import format_benchmark, format_size_sweep, run_benchmark, run_size_sweep
from pipeline.run.components import component_configs

log = logging.getLogger(__name__)


def bench(cfg: DictConfig) -> dict:
    components = component_configs(OmegaConf.to_container(cfg, resolve=True))
    out = Path(cfg.paths.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    if cfg.sweep.enabled:
        rows = run_size_sweep(components if cfg.sweep.pipeline else None, list(cfg.sweep.sizes_kb))
        results = {"sweep": rows}
    else:
        results = run_benchmark(cfg.input_dir, components, list(cfg.targets), cfg.runs, cfg.warmup, cfg.peer,
                                target_counts=list(cfg.target_counts))
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    return results


@hydra.main(version_base="1.3", config_path="../configs", config_name="bench")
def main(cfg: DictConfig) -> None:
    results = bench(cfg)
    print(format_size_sweep(results["sweep"]) if "sweep" in results else format_benchmark(results))


if __name__ == "__main__":
    main()
