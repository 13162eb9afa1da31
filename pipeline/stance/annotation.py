"""Label your own quotes: export a run's quotes x targets for a person, import the labels back.

**Export** (:func:`export_run`) writes one JSON object per document in the polnear_quotes format
(``doc_id``, ``targets``, ``attributions`` with content / source / cue offsets, ``labels``), with
the document ``text`` inline, so the training reader needs no separate text folder; the model's
own favor / against answers come as ``suggestions`` for the annotator to accept or change.  With
``label_studio`` it writes Label Studio tasks instead: one task per (quote, target), the clause
to read, the target, and a favor / against / neutral choice (:data:`LABEL_STUDIO_CONFIG` is the
labelling interface to paste into the project).

**Import** (:func:`import_labels`) turns labelled files back into a training corpus: the
exported format with ``labels`` filled in (favor / against; every other pair is neutral), or a
Label Studio JSON export of the tasks above.  ``scripts/train.py`` reads the result with
``format: polnear_quotes`` (``configs/data/stance_own_quotes.yaml``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from pipeline.io.artifacts import load_artifacts
from pipeline.stance.features import quote_clause

POLAR = ("favor", "against")
LABEL_STUDIO_CONFIG = """<View>
  <Header value="$target"/>
  <Text name="clause" value="$clause"/>
  <Choices name="stance" toName="clause" choice="single" required="true">
    <Choice value="favor"/><Choice value="against"/><Choice value="neutral"/>
  </Choices>
</View>"""


def _span(quote: dict, name: str) -> list[int] | None:
    start, end = quote.get(f"{name}start"), quote.get(f"{name}end")
    return [int(start), int(end)] if start is not None and end is not None and end > start else None


def run_records(predictions: str | Path) -> list[dict]:
    """The documents of a run as polnear_quotes records (``labels`` empty, ``suggestions`` the
    model's favor / against answers), in doc_id order; documents without quotes are left out."""
    quotes, documents, _ = load_artifacts(predictions)
    texts = {d["doc_id"]: d["text"] for d in documents if d["status"] == "ok"}
    by_doc: dict[str, list[dict]] = {}
    for quote in quotes:
        by_doc.setdefault(quote["doc_id"], []).append(quote)
    records = []
    for doc_id in sorted(by_doc):
        doc_quotes = sorted(by_doc[doc_id], key=lambda q: (q["start"], q["end"]))
        targets = list(dict.fromkeys(s["target"] for q in doc_quotes for s in q["stances"]))
        attributions, suggestions = [], []
        for a, quote in enumerate(doc_quotes, start=1):
            attributions.append({"a": a, "content": [quote["start"], quote["end"]],
                                 "source": _span(quote, "speaker_"), "cue": _span(quote, "cue_")})
            suggestions += [{"a": a, "target": s["target"], "label": s["label"], "score": round(s["score"], 3)}
                            for s in quote["stances"] if s["label"] in POLAR]
        records.append({"doc_id": doc_id, "text": texts[doc_id],
                        "targets": [{"name": t, "aliases": []} for t in targets],
                        "attributions": attributions, "labels": [], "suggestions": suggestions})
    return records


def label_studio_tasks(records: Iterable[dict]) -> list[dict]:
    """One Label Studio task per (attribution, target) of the records, the clause as its text."""
    tasks = []
    for record in records:
        text = record["text"]
        suggested = {(s["a"], s["target"]): s["label"] for s in record.get("suggestions", [])}
        for attribution in record["attributions"]:
            quote = {"start": attribution["content"][0], "end": attribution["content"][1]}
            for name, part in (("speaker_", attribution.get("source")), ("cue_", attribution.get("cue"))):
                if part:
                    quote[f"{name}start"], quote[f"{name}end"] = part
            clause, _ = quote_clause(text, quote)
            for target in record["targets"]:
                tasks.append({"data": {"doc_id": record["doc_id"], "a": attribution["a"],
                                       "target": target["name"], "clause": clause,
                                       "suggested": suggested.get((attribution["a"], target["name"]), "neutral")}})
    return tasks


def export_run(predictions: str | Path, output: str | Path, fmt: str = "polnear_quotes") -> int:
    """Write a run's quotes x targets for labelling; returns the number of records or tasks."""
    records = run_records(predictions)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "polnear_quotes":
        _write_jsonl(records, output)
        return len(records)
    if fmt == "label_studio":
        tasks = label_studio_tasks(records)
        output.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        output.with_suffix(".xml").write_text(LABEL_STUDIO_CONFIG, encoding="utf-8")
        # the documents themselves, to import Label Studio's answers against
        _write_jsonl(records, output.with_suffix(".documents.jsonl"))
        return len(tasks)
    raise ValueError(f"format must be 'polnear_quotes' or 'label_studio', got {fmt!r}")


def _write_jsonl(records: Iterable[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _checked_label(value: Any, where: str) -> str:
    if value not in (*POLAR, "neutral"):
        raise ValueError(f"{where}: label must be favor, against or neutral, got {value!r}")
    return value


def import_labels(inputs: Iterable[str | Path], output: str | Path, documents: str | Path | None = None) -> dict:
    """Labelled files -> one training corpus (polnear_quotes format, text inline) at ``output``.

    ``inputs``: exported records with ``labels`` filled in (``.jsonl``), or Label Studio JSON
    exports (``.json``), which need the exported ``documents`` file beside them. Returns counts.
    """
    records: dict[str, dict] = {}
    studio: list[dict] = []
    for path in map(Path, inputs):
        if path.suffix == ".json":
            studio += json.loads(path.read_text(encoding="utf-8"))
            continue
        for record in _read_jsonl(path):
            if "text" not in record:
                raise ValueError(f"{path}: record {record.get('doc_id')!r} has no 'text' (export it with "
                                 "scripts/annotate.py mode=export)")
            for label in record.get("labels", []):
                _checked_label(label.get("label"), f"{path}: {record['doc_id']}")
            record.pop("suggestions", None)
            records[record["doc_id"]] = record
    if studio:
        if documents is None:
            raise ValueError("Label Studio exports need documents=<the .documents.jsonl written by the export>")
        base = {r["doc_id"]: {**r, "labels": []} for r in _read_jsonl(Path(documents))}
        labelled = set()  # documents with at least one answered task; their unanswered pairs count as neutral
        for task in studio:
            data = task["data"]
            choices = [c for a in task.get("annotations", []) if not a.get("was_cancelled")
                       for r in a.get("result", []) for c in r.get("value", {}).get("choices", [])]
            if not choices:
                continue  # not labelled yet
            label = _checked_label(choices[-1], f"task {data['doc_id']}#{data['a']} {data['target']}")
            labelled.add(data["doc_id"])
            if label in POLAR:
                base[data["doc_id"]]["labels"].append({"a": data["a"], "target": data["target"], "label": label})
        for doc_id, record in base.items():
            if doc_id not in labelled:
                continue
            record.pop("suggestions", None)
            records.setdefault(doc_id, record)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    _write_jsonl(records.values(), output)
    labels = [l["label"] for r in records.values() for l in r.get("labels", [])]
    return {"documents": len(records), "favor": labels.count("favor"), "against": labels.count("against"),
            "attributions": sum(len(r["attributions"]) for r in records.values())}
