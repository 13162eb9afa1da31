"""Typed schema of the inference config, so a typo or a wrong type fails at start-up naming the key.

Registered in Hydra's ConfigStore by ``scripts/infer.py``; the YAML files extend it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from omegaconf import MISSING


@dataclass
class InferConfig:
    input_path: str = MISSING  # .txt, folder of .txt, .jsonl, .csv, .parquet or a saved dataset
    output_dir: str = MISSING
    targets: list[Any] = field(default_factory=list)  # stance targets for every document: names or {name, aliases}
    targets_file: Optional[str] = None  # more targets from a .json / .jsonl / one-name-a-line file
    export: list[str] = field(default_factory=list)  # extra copies of the tables: parquet, jsonl
    progress: bool = True
    show: int = 20  # quotes printed at the end; 0 prints none
    shard_size: int = 1000  # documents per resumable shard
    paths: Any = MISSING
    segmenter: Any = MISSING
    attributor: Any = MISSING
    stance: Optional[Any] = None
    runner: Any = MISSING  # configs/runner: local or ray
