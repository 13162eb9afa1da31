"""Time the corpus-level speaker grouping on a synthetic corpus: ``python tools/bench_speakers.py``."""

import json
import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig

from pipeline.quotes.corpus_speakers import benchmark_grouping

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path="../configs", config_name="bench_speakers")
def main(cfg: DictConfig) -> None:
    results = benchmark_grouping(cfg.n_quotes, cfg.n_names, cfg.n_documents, cfg.seed)
    out = Path(cfg.paths.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_speakers.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
