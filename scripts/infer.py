"""Label the quotes in a corpus: ``python scripts/infer.py input_path=PATH output_dir=DIR [targets='[a,b]']``."""

import logging
import sys

import datasets
import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from pipeline.run.components import build_stages, checkpoint_provenance, component_configs
from pipeline.config_schema import InferConfig
from pipeline.io.documents import InputError
from pipeline.run.ray_runner import run_pipeline_ray
from pipeline.run.local_runner import run_pipeline
from pipeline.io.shards import content_config
from pipeline.report.speaker_summary import format_speaker_summary, summarise_speakers
from pipeline.report.quote_table import format_quote_table

log = logging.getLogger(__name__)
ConfigStore.instance().store(name="infer_schema", node=InferConfig)


def resume_key(cfg: DictConfig) -> dict:
    """What a killed run must match to be resumed: the resolved config less display-only keys
    (``progress``, ``show``, ...) and the sha256 of every checkpoint it uses."""
    config = OmegaConf.to_container(cfg, resolve=True)
    checkpoints = {name: model["sha256"] for name, model in checkpoint_provenance(component_configs(config)).items()}
    return {"config": content_config(config), "checkpoints": checkpoints}


def infer(cfg: DictConfig) -> dict:
    """Run the pipeline from a composed config; returns the written tables."""
    config = OmegaConf.to_container(cfg, resolve=True)
    components = component_configs(config)
    if cfg.runner.name == "ray":
        runner = {k: v for k, v in config["runner"].items() if k != "name"}
        return run_pipeline_ray(
            input_path=cfg.input_path,
            output_dir=cfg.output_dir,
            components=components,
            targets=list(cfg.targets),
            export=list(cfg.export),
            manifest={"config": config},
            **runner,
        )
    if cfg.runner.name != "local":
        raise ValueError(f"runner.name: unknown runner '{cfg.runner.name}'; expected local or ray")
    return run_pipeline(
        input_path=cfg.input_path,
        output_dir=cfg.output_dir,
        stages=build_stages(components, list(cfg.targets)),
        export=list(cfg.export),
        manifest={"config": config},
        shard_size=cfg.shard_size,
        resume_key=resume_key(cfg),
    )


@hydra.main(version_base="1.3", config_path="../configs", config_name="infer")
def main(cfg: DictConfig) -> None:
    # Per-shard table bars from datasets are noise; the stance (and tagger) bars show progress.
    datasets.disable_progress_bars()
    try:
        tables = infer(cfg)
    except (InputError, FileNotFoundError, ValueError) as exc:  # PlanMismatch is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    documents, quotes = tables["documents"], tables["quotes"]
    errors = [row for row in documents if row["status"] != "ok"]
    print(f"\n{len(documents)} documents ({len(errors)} with errors), {len(quotes)} quotes -> {cfg.output_dir}")
    for row in errors[:10]:
        print(f"  error in {row['doc_id']}: {row['error']}")
    if cfg.show and len(quotes):
        print(format_quote_table(quotes, max_rows=cfg.show))
        print("\n" + format_speaker_summary(summarise_speakers(quotes), max_rows=cfg.show))


if __name__ == "__main__":
    main()
