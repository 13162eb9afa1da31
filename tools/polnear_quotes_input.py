"""Write the polnear_quotes articles as pipeline input, each with its own targets (aliases
included): ``python tools/polnear_quotes_input.py gold=../shared/data/stance/polnear_quotes/dev.jsonl output=OUT.jsonl``.

Then ``scripts/infer.py input_path=OUT.jsonl`` and ``scripts/evaluate.py task=quote_stance
gold_path=... predictions=RUN`` score the stance stage end to end on the pipeline's own quotes.
"""

import json
import sys

from pipeline.stance.news_quotes import read_articles


def main(argv: list[str]) -> None:
    args = dict(arg.split("=", 1) for arg in argv)
    if set(args) - {"gold", "output", "text_dir"} or not {"gold", "output"} <= set(args):
        sys.exit("usage: python tools/polnear_quotes_input.py gold=FILE output=OUT.jsonl [text_dir=DIR]")
    with open(args["output"], "w", encoding="utf-8") as handle:
        for article, text in read_articles(args["gold"], args.get("text_dir")):
            targets = [{"name": t["name"], "aliases": t.get("aliases", [])} for t in article["targets"]]
            handle.write(json.dumps({"id": article["doc_id"], "text": text, "targets": targets},
                                    ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
