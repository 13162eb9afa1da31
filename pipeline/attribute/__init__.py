"""Quote attribution: reporting cues, speaker mentions and canonical speakers."""
