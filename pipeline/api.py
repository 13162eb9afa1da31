"""The public Python API: ``from pipeline import Pipeline``.

    from pipeline import Pipeline
    nlp = Pipeline.from_pretrained()                                  # shipped models, default config
    nlp = Pipeline.from_pretrained(overrides=["segmenter=rules", "attributor=rules"])
    quotes = nlp(["text one", "text two"], targets=["climate action"])   # the quotes table
    output = nlp.run(records)              # output.quotes, output.documents, output.speakers
    for output in nlp.pipe(records, batch_size=256): ...               # streamed, batch by batch
    nlp.write("news.jsonl", "outputs/news")   # files in, artifacts out, as scripts/infer.py

The class lives with the runners (:mod:`pipeline.run.pipeline`), since the local runner and
each Ray actor build it too; :func:`infer` is what ``scripts/infer.py`` runs.
"""

from __future__ import annotations

from pipeline.run.infer import infer, resume_key
from pipeline.run.pipeline import Pipeline, PipelineOutput, compose_infer_config

__all__ = ["Pipeline", "PipelineOutput", "compose_infer_config", "infer", "resume_key"]
