"""The weight-free rules: quote segmentation (``segment``) and attribution (``attribute``)."""
