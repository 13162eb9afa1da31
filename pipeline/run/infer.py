"""A composed ``infer`` config, run over its ``input_path`` into its ``output_dir``: what
``scripts/infer.py`` and ``quotestance-infer`` do.

``runner=local`` builds the :class:`~pipeline.run.pipeline.Pipeline` here and writes shard by
shard (:meth:`Pipeline.write`); ``runner=ray`` ships the resolved component configs to the Ray
actors, each of which builds the same :class:`Pipeline`.
"""

from __future__ import annotations

from datasets import Dataset
from omegaconf import DictConfig, OmegaConf, open_dict

from pipeline.io.shards import content_config
from pipeline.run.components import checkpoint_provenance, component_configs
from pipeline.run.pipeline import Pipeline
from pipeline.stance.targets import read_targets_file


def resume_key(cfg: DictConfig) -> dict:
    """What a killed run must match to be resumed: the resolved config less display-only keys
    (``progress``, ``show``, ...) and the sha256 of every checkpoint it uses."""
    config = OmegaConf.to_container(cfg, resolve=True)
    checkpoints = {name: model["sha256"] for name, model in checkpoint_provenance(component_configs(config)).items()}
    return {"config": content_config(config), "checkpoints": checkpoints}


def infer(cfg: DictConfig) -> dict[str, Dataset]:
    """Run the pipeline from a composed config; returns the written tables."""
    if cfg.get("targets_file"):  # targets with aliases, kept out of the command line
        file_targets = [{"name": t.name, "aliases": list(t.aliases)} for t in read_targets_file(cfg.targets_file)]
        with open_dict(cfg):
            cfg.targets = list(cfg.targets) + file_targets
    config = OmegaConf.to_container(cfg, resolve=True)
    if cfg.runner.name == "ray":
        from pipeline.run.ray_runner import run_pipeline_ray

        runner = {k: v for k, v in config["runner"].items() if k != "name"}
        return run_pipeline_ray(
            input_path=cfg.input_path,
            output_dir=cfg.output_dir,
            components=component_configs(config),
            targets=list(cfg.targets),
            export=list(cfg.export),
            manifest={"config": config},
            **runner,
        )
    if cfg.runner.name != "local":
        raise ValueError(f"runner.name: unknown runner '{cfg.runner.name}'; expected local or ray")
    return Pipeline.from_config(cfg).write(
        cfg.input_path,
        cfg.output_dir,
        export=list(cfg.export),
        manifest={"config": config},
        shard_size=cfg.shard_size,
        resume_key=resume_key(cfg),
    )
