"""A readable text table of who said what, printed at the end of a run."""

from __future__ import annotations

from typing import Iterable


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_quote_table(quotes: Iterable[dict], max_rows: int = 40, quote_width: int = 60) -> str:
    """Speaker, cue, kind, shortened quote and stance per target, one line per quote."""
    quotes = list(quotes)
    targets: list[str] = []
    for quote in quotes:
        for stance in quote["stances"]:
            if stance["target"] not in targets:
                targets.append(stance["target"])
    header = ["doc", "speaker", "cue", "kind", "quote"] + targets
    lines = []
    for quote in quotes[:max_rows]:
        by_target = {s["target"]: f"{s['label']} {s['score']:.2f}" for s in quote["stances"]}
        lines.append([
            _short(quote["doc_id"], 16),
            _short(quote["speaker"] or (f"({quote['speaker_mention']})" if quote["speaker_mention"] else "?"), 22),
            _short(quote["cue"] or "", 12),
            quote["kind"],
            _short(quote["text"], quote_width),
        ] + [by_target.get(t, "") for t in targets])
    widths = [max(len(str(row[i])) for row in [header] + lines) for i in range(len(header))]
    render = lambda row: "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
    out = [render(header), render(["-" * w for w in widths])] + [render(row) for row in lines]
    if len(quotes) > max_rows:
        out.append(f"... {len(quotes) - max_rows} more quotes")
    return "\n".join(out)
