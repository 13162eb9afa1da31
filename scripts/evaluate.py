"""Score predictions against gold: ``python scripts/evaluate.py task=stance gold_path=FILE gold_format=vast``."""

import json
import logging
import sys

import hydra
from hydra.utils import instantiate
from omegaconf import DictConfig

from pipeline.eval.stance import evaluate_stance_file, format_stance_metrics
from pipeline.stance.corpora import READERS

log = logging.getLogger(__name__)


def evaluate(cfg: DictConfig) -> dict:
    """Evaluate from a composed config; returns the metrics written to ``output_dir/metrics.json``."""
    if cfg.task == "speaker_coverage":  # no gold: the share of quotes with a mention that get a name
        from pipeline.eval.speakers import speaker_coverage

        if not cfg.predictions:
            raise ValueError("predictions: set it to an output_dir of scripts/infer.py for task=speaker_coverage")
        return speaker_coverage(cfg.predictions, cfg.output_dir)
    if cfg.task == "stance":
        if cfg.gold_format not in READERS:
            raise ValueError(f"gold_format must be one of {sorted(READERS)} for task=stance, got {cfg.gold_format!r}")
        read_args = {"split": cfg.split} if cfg.gold_format == "semeval" else {}
        return evaluate_stance_file(instantiate(cfg.stance), cfg.gold_path, cfg.gold_format,
                                    cfg.output_dir, **read_args)
    if cfg.task == "quotes":
        from pipeline.eval.quotes import evaluate_quote_predictions

        if not cfg.predictions:
            raise ValueError("predictions: set it to an output_dir of scripts/infer.py for task=quotes")
        return evaluate_quote_predictions(cfg.gold_path, cfg.predictions, cfg.output_dir)
    if cfg.task == "speakers":
        from pipeline.eval.speakers import evaluate_speaker_predictions

        if not cfg.predictions:
            raise ValueError("predictions: set it to an output_dir of scripts/infer.py for task=speakers")
        if cfg.gold_format == "polnear_speakers":
            from pipeline.eval.speakers import evaluate_polnear_speakers

            return evaluate_polnear_speakers(cfg.gold_path, cfg.predictions, cfg.output_dir,
                                             cfg.get("polnear_dir"))
        if cfg.gold_format not in (None, "speakers_jsonl"):
            raise ValueError("gold_format must be 'polnear_speakers' or left out (the speakers JSONL of "
                             f"tests/fixtures) for task=speakers, got {cfg.gold_format!r}")
        return evaluate_speaker_predictions(cfg.gold_path, cfg.predictions, cfg.output_dir)
    if cfg.task == "entity_stance":
        from pipeline.eval.entity_stance import evaluate_entity_stance

        if not cfg.predictions:
            raise ValueError("predictions: set it to an output_dir of scripts/infer.py run on gold_path "
                             "for task=entity_stance")
        return evaluate_entity_stance(cfg.gold_path, cfg.predictions, cfg.output_dir,
                                      mention_fallback=cfg.entity_stance.mention_fallback,
                                      nicknames=cfg.entity_stance.nicknames)
    if cfg.task == "quote_stance":
        from pipeline.eval.quote_stance import evaluate_quote_stance

        classifier = None if cfg.predictions else instantiate(cfg.stance)
        return evaluate_quote_stance(cfg.gold_path, cfg.output_dir, classifier, cfg.predictions,
                                     cfg.text_dir, cfg.aliases)
    if cfg.task == "unrelated_targets":
        from pipeline.eval.entity_stance import evaluate_unrelated_targets

        if not cfg.predictions:
            raise ValueError("predictions: set it to an output_dir of scripts/infer.py run on the output of "
                             "tools/make_unrelated_targets.py for task=unrelated_targets")
        return evaluate_unrelated_targets(cfg.predictions, cfg.output_dir)
    raise ValueError("task must be 'stance', 'quotes', 'speakers', 'speaker_coverage', 'entity_stance', 'quote_stance' or "
                     "'unrelated_targets', "
                     f"got {cfg.task!r}")


@hydra.main(version_base="1.3", config_path="../configs", config_name="evaluate")
def main(cfg: DictConfig) -> None:
    try:
        metrics = evaluate(cfg)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    if cfg.task == "stance":
        print(format_stance_metrics(metrics))
    elif cfg.task == "entity_stance":
        from pipeline.eval.entity_stance import format_entity_stance_metrics

        print(format_entity_stance_metrics(metrics))
    elif cfg.task == "unrelated_targets":
        from pipeline.eval.entity_stance import format_unrelated_metrics

        print(format_unrelated_metrics(metrics))
    else:
        print(json.dumps(metrics["summary"], indent=2))
    print(f"\nwritten to {cfg.output_dir}")


if __name__ == "__main__":
    main()
