"""Stance toward a target: corpora, featurisation, the classifier and its training."""
