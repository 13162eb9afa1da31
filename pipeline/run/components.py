"""Build the pipeline's components from their configs (``_target_`` dicts from ``configs/``)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from hydra.errors import InstantiationException
from hydra.utils import instantiate

from pipeline.models import checkpoint_hash, inference_dtype, resolve_model_path
from pipeline.run.stages import Stages

COMPONENTS = ("segmenter", "attributor", "stance")  # the config groups that build the stages


def component_configs(config: Mapping[str, Any]) -> dict[str, Any]:
    """The resolved ``segmenter``, ``attributor`` and ``stance`` nodes of a run config.

    A bad ``dtype`` fails here, at start-up, rather than when the lazily loaded stance model
    is first needed.
    """
    components = {name: config.get(name) for name in COMPONENTS}
    for name, node in components.items():
        if isinstance(node, Mapping) and "dtype" in node:
            try:
                inference_dtype(node["dtype"])
            except ValueError as exc:
                raise ValueError(f"{name}.dtype: {exc}") from None
    return components


def checkpoint_provenance(components: Mapping[str, Any]) -> dict[str, dict]:
    """Path and sha256 of each configured checkpoint (``quotes``, ``stance``), read from the
    configs without loading a model: for the manifest and for what a resume must match."""
    models = {}
    for key, name in (("segmenter", "quotes"), ("stance", "stance")):
        config = components.get(key) or {}
        if "name_or_path" in config:
            path = resolve_model_path(config["name_or_path"])
            # Each worker resolves dtype "auto" on its own hardware; the configured value is kept.
            models[name] = {"path": path, "sha256": checkpoint_hash(path), "dtype": config.get("dtype", "auto")}
    return models


def build(node: Mapping[str, Any]) -> Any:
    """``instantiate(node)``, with a missing file or a bad value raised as itself (one line the
    scripts print: "quote tagger ... not found; set ...") instead of inside Hydra's wrapper."""
    try:
        return instantiate(node)
    except InstantiationException as exc:
        if isinstance(exc.__cause__, (FileNotFoundError, ValueError)):
            raise exc.__cause__ from None
        raise


def build_stages(components: Mapping[str, Any], targets: Sequence[str] = ()) -> Stages:
    """The segmenter, attributor (link + resolve) and, loaded on first use, the stance model."""
    stance = components.get("stance")
    return Stages(
        find_quotes=build(components["segmenter"]),
        attribute=build(components["attributor"]["link"]),
        resolve=build(components["attributor"]["resolve"]),
        load_classifier=(lambda: build(stance)) if stance is not None else None,
        targets=targets,
    )
