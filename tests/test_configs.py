"""Every primary config and every experiment composes, so no config rots."""

from __future__ import annotations

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import OmegaConf

from conftest import CONFIGS

import scripts_loader  # noqa: F401  (registers the infer schema)

EXPERIMENTS = sorted(p.stem for p in (CONFIGS / "experiment").glob("*.yaml"))


def _compose(name: str, overrides: list[str]):
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        return compose(config_name=name, overrides=overrides, return_hydra_config=True)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes(experiment):
    cfg = _compose("train", [f"experiment={experiment}"])
    assert cfg.model.name_or_path
    assert cfg.hydra.job.chdir is False
    assert OmegaConf.to_container(cfg.data.corpora, resolve=False)


@pytest.mark.parametrize("name,overrides", [
    ("train", ["debug=fast"]),
    ("train", ["experiment=stance_minilm", "trainer=gpu"]),
    ("train", ["experiment=stance_minilm", "model=mpnet"]),
    ("infer", ["input_path=examples", "output_dir=/tmp/x", "runner=ray"]),
    ("train_quotes", []),
    ("distill_tagger", ["teacher=x"]),
    ("choose_gate", []),
    ("calibrate", ["model_dir=x"]),
    ("report", ["predictions=x"]),
    ("infer", ["input_path=examples", "output_dir=/tmp/x"]),
    ("evaluate", ["gold_path=x", "gold_format=vast"]),
])
def test_primary_configs_compose(name, overrides):
    assert _compose(name, overrides)


def test_gpu_trainer_keeps_the_cpu_recipe_and_leaves_the_cpu():
    cfg = _compose("train", ["experiment=stance_minilm", "trainer=gpu"])
    assert cfg.trainer.args.use_cpu is False and cfg.trainer.args.bf16 is True
    assert cfg.trainer.args.learning_rate == _compose("train", ["experiment=stance_minilm"]).trainer.args.learning_rate


def test_infer_config_typos_and_wrong_types_name_the_key():
    from hydra.errors import ConfigCompositionException

    with pytest.raises(ConfigCompositionException, match="targe"):
        _compose("infer", ["input_path=x", "targe=[a]"])
    with pytest.raises(ConfigCompositionException, match="show"):
        _compose("infer", ["input_path=x", "show=many"])


def test_a_bad_component_dtype_fails_at_start_up_naming_the_key():
    from pipeline.run.components import component_configs

    cfg = _compose("infer", ["input_path=x", "output_dir=/tmp/x", "stance.dtype=fp16"])
    config = OmegaConf.to_container(cfg, resolve=False)
    with pytest.raises(ValueError, match=r"^stance\.dtype: .*got 'fp16'"):
        component_configs(config)
    config["stance"]["dtype"] = "bfloat16"
    assert component_configs(config)["stance"]["dtype"] == "bfloat16"
