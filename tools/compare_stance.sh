#!/usr/bin/env bash
# Score one stance checkpoint on the pipeline's stance measures, re-using the quotes of one tagged
# run so that only the stance model differs between checkpoints:
#   tools/compare_stance.sh MODEL_DIR OUT_DIR TAGGED_RUN
# TAGGED_RUN: an output_dir of scripts/infer.py over SEESAW valid, made once with
#   .venv/bin/python scripts/infer.py input_path=$DATA_DIR/e2e/seesaw/valid.jsonl output_dir=TAGGED_RUN "~stance"
# Measures: SEESAW valid triplets (scripts/evaluate.py task=entity_stance), stances toward another
# story's entities (tools/make_unrelated_targets.py, task=unrelated_targets) and directed sentiment
# valid (task=stance). DATA_DIR defaults to ../shared/data. Writes OUT_DIR/{seesaw,unrelated,ds}/metrics.json
# and prints one summary line. Run from the repository root. STANCE=multi_target scores a
# multi-target checkpoint (default: minilm, the cross-encoder).
set -euo pipefail
if [ $# -ne 3 ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
model=$1; out=$2; tagged=$3
data=${DATA_DIR:-../shared/data}
py=.venv/bin/python
seesaw=$data/e2e/seesaw/valid.jsonl
unrelated=$out/valid_unrelated.jsonl
mkdir -p "$out"
$py tools/make_unrelated_targets.py input=$seesaw output=$unrelated > /dev/null
stance=${STANCE:-minilm}
common=(segmenter=saved segmenter.predictions=$tagged stance=$stance stance.name_or_path=$model progress=false show=0)
$py scripts/infer.py input_path=$seesaw output_dir=$out/run_seesaw "${common[@]}" > $out/run_seesaw.log 2>&1
$py scripts/evaluate.py task=entity_stance gold_path=$seesaw predictions=$out/run_seesaw output_dir=$out/seesaw > /dev/null 2>&1
$py scripts/infer.py input_path=$unrelated output_dir=$out/run_unrelated "${common[@]}" > $out/run_unrelated.log 2>&1
$py scripts/evaluate.py task=unrelated_targets predictions=$out/run_unrelated output_dir=$out/unrelated > /dev/null 2>&1
$py scripts/evaluate.py task=stance gold_path=$data/stance/directed_sentiment/valid.tsv gold_format=directed_sentiment \
    stance=$stance stance.name_or_path=$model output_dir=$out/ds progress=false > /dev/null 2>&1
$py - "$out" <<'PY'
import json, sys
out = sys.argv[1]
s = json.load(open(f"{out}/seesaw/metrics.json"))["summary"]
u = json.load(open(f"{out}/unrelated/metrics.json"))
u = u.get("summary", u)
d = json.load(open(f"{out}/ds/metrics.json"))
print(json.dumps({"seesaw_triplet_f1": s["triplet"]["f1"], "seesaw_pair_f1": s["pair"]["f1"],
                  "seesaw_polarity_acc": s["polarity_accuracy"], "unrelated": u,
                  "seesaw_triplet_f1_without_mention_fallback": s["triplet_by_mention_fallback"]["without"]["f1"],
                  "ds_macro_f1": d["macro_f1"]}, indent=1))
PY
