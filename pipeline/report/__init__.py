"""What a person reads from a run: the HTML report, the speaker summary, the quote table."""
