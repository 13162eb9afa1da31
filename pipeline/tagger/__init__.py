"""The quote tagger: SOURCE / CUE / CONTENT spans over whole articles.

- :mod:`pipeline.tagger.labels`   label layers; article -> tokens -> overlapping windows; span labels
- :mod:`pipeline.tagger.model`    the two-head token classifier (one logit slice per layer) and its loss
- :mod:`pipeline.tagger.decode`   window merging, constrained BIO decoding, character spans
- :mod:`pipeline.tagger.linking`  content -> cue and source
- :mod:`pipeline.tagger.training` ``train_tagger``: fine-tune, save fp16, score dev

Inference goes through :class:`pipeline.segment.tagger.QuoteTagger`.
"""
