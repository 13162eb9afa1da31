"""Give each SEESAW article the entity names of another story as targets:
``python tools/make_unrelated_targets.py input=SEESAW.jsonl output=OUT.jsonl``.

The targets are those of the next story (sorted ids) that do not occur in the article's text;
run ``scripts/infer.py`` on OUT.jsonl, then ``scripts/evaluate.py task=unrelated_targets``.
The rule is in :func:`pipeline.eval.entity_stance.make_unrelated_targets`.
"""

import json
import sys

from pipeline.eval.entity_stance import write_unrelated_targets

USAGE = "usage: python tools/make_unrelated_targets.py input=SEESAW.jsonl output=OUT.jsonl"


def parse_args(argv: list[str]) -> dict:
    """``key=value`` arguments (the same look as the Hydra scripts); exactly ``input`` and ``output``."""
    args = dict(arg.split("=", 1) for arg in argv if "=" in arg)
    if len(args) != len(argv) or set(args) != {"input", "output"}:
        raise ValueError(USAGE)
    return args


def main(argv: list[str]) -> None:
    try:
        args = parse_args(argv)
        counts = write_unrelated_targets(args["input"], args["output"])
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(counts, indent=2))
    print(f"\nwritten to {args['output']}")


if __name__ == "__main__":
    main(sys.argv[1:])
