"""Scoring runs and models against gold: quotes, speakers, stance, entity stance, metrics."""
