"""Label your own quotes and retrain on them.

    python scripts/annotate.py mode=export predictions=INFER_DIR output=to_label.jsonl [format=label_studio]
    python scripts/annotate.py mode=import inputs='[labelled.jsonl]' output=my_quotes.jsonl
    python scripts/train.py experiment=stance_news_quotes data=stance_own_quotes data.corpora.own_quotes.train=my_quotes.jsonl
"""

import sys

import hydra
from omegaconf import DictConfig

from pipeline.stance.annotation import export_run, import_labels


def annotate(cfg: DictConfig) -> dict:
    """Export a run for labelling or import labelled files; returns what was written."""
    if cfg.mode == "export":
        if not cfg.predictions:
            raise ValueError("predictions: set it to an output_dir of scripts/infer.py for mode=export")
        return {"written": export_run(cfg.predictions, cfg.output, cfg.format), "output": cfg.output}
    if cfg.mode == "import":
        if not cfg.inputs:
            raise ValueError("inputs: list the labelled files for mode=import")
        return {**import_labels(list(cfg.inputs), cfg.output, cfg.documents), "output": cfg.output}
    raise ValueError(f"mode must be 'export' or 'import', got {cfg.mode!r}")


@hydra.main(version_base="1.3", config_path="../configs", config_name="annotate")
def main(cfg: DictConfig) -> None:
    try:
        result = annotate(cfg)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(result)


if __name__ == "__main__":
    main()
