"""The quote tagger: SOURCE / CUE / CONTENT spans over whole articles.

- :mod:`pipeline.quotes.tagger.labels`   label layers; article -> tokens -> overlapping windows; span labels
- :mod:`pipeline.quotes.tagger.model`    the two-head token classifier (one logit slice per layer) and its loss
- :mod:`pipeline.quotes.tagger.decode`   window merging, constrained BIO decoding, character spans
- :mod:`pipeline.quotes.tagger.linking`  content -> cue and source
- :mod:`pipeline.quotes.tagger.training` ``train_tagger``: fine-tune, save fp16, score dev

Inference goes through :class:`pipeline.quotes.tagger.quote_tagger.QuoteTagger`.
"""
