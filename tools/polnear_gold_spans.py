"""PolNeAR's gold attributions as a saved run, to score speaker resolution on gold source spans:
``python tools/polnear_gold_spans.py gold=../shared/data/stance/polnear_quotes/dev.jsonl output=DIR``.

Then ``scripts/infer.py input_path=../shared/data/quotes/polnear/dev/text output_dir=RUN
segmenter=saved segmenter.predictions=DIR "~stance"`` resolves every gold attribution's source
with the pipeline's resolver, and ``scripts/evaluate.py task=speakers gold_format=polnear_speakers
gold_path=../shared/data/quotes/polnear_speakers/dev.jsonl predictions=RUN`` scores it.  With no
tagger in the way, what remains is the resolver's own error (and the gold's conventions); a
gold attribution with no source gets what the rule attributor finds for it, as a tagged quote
without one would.
"""

import sys
from pathlib import Path

from datasets import Dataset

from pipeline.io.artifacts import build_tables, write_tables
from pipeline.io.schema import DOCUMENTS_WITH_QUOTES
from pipeline.quotes.spans import quote_kind
from pipeline.stance.news_quotes import read_articles


def _piece(text: str, span: list[int] | None) -> tuple[str | None, int | None, int | None]:
    return (text[span[0]:span[1]], span[0], span[1]) if span else (None, None, None)


def gold_documents(gold: str, text_dir: str | None = None) -> Dataset:
    """One document row per article, its gold attributions as quotes (speakers unresolved)."""
    rows = []
    for article, text in read_articles(gold, text_dir):
        quotes = []
        for attribution in article["attributions"]:
            start, end = attribution["content"]
            cue, cue_start, cue_end = _piece(text, attribution.get("cue"))
            mention, speaker_start, speaker_end = _piece(text, attribution.get("source"))
            quotes.append({"start": start, "end": end, "kind": quote_kind(text[start:end]), "cue": cue,
                           "cue_start": cue_start, "cue_end": cue_end, "speaker_mention": mention,
                           "speaker_start": speaker_start, "speaker_end": speaker_end, "speaker": None,
                           "attribution_score": 1.0, "stances": []})
        rows.append({"doc_id": article["doc_id"], "text": text, "targets": [], "target_aliases": [],
                     "status": "ok", "error": None, "source": gold, "meta": None, "quotes": quotes})
    return Dataset.from_list(rows, features=DOCUMENTS_WITH_QUOTES)


def main(argv: list[str]) -> None:
    args = dict(arg.split("=", 1) for arg in argv if "=" in arg)
    if set(args) - {"gold", "output", "text_dir"} or not {"gold", "output"} <= set(args):
        sys.exit("usage: python tools/polnear_gold_spans.py gold=FILE output=DIR [text_dir=DIR]")
    documents = gold_documents(args["gold"], args.get("text_dir"))
    tables = build_tables(documents)
    write_tables(tables, Path(args["output"]), {"kind": "gold attributions", "gold": args["gold"]})
    print(f"{len(documents)} articles, {len(tables['quotes'])} gold attributions -> {args['output']}")


if __name__ == "__main__":
    main(sys.argv[1:])
