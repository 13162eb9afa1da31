"""Quotes: span records, the rules and the learned tagger that find and attribute them, and speakers."""
