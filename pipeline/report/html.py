"""One self-contained HTML page of a run: highlighted quotes per document and who stands where.

:func:`write_report` reads a run folder (``load_artifacts``), saves the speaker summary to
``DIR/summary`` and writes ``DIR/report.html``.  The page has no external resources: CSS, JS and
the SVG chart are inline, so it opens offline.  All document text is escaped, so markup in an
article shows as text.  Only the first ``max_documents`` documents by ``doc_id`` are rendered
(the summary, chart and error list cover the whole run).
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Iterable

from datasets import Dataset

from pipeline.io.artifacts import load_artifacts, load_speakers
from pipeline.report.speaker_summary import LABELS, NO_TARGET, UNKNOWN_SPEAKER, summarise_speakers

CHART_SPEAKERS = 15


def _e(value: Any) -> str:
    """Escape for text and for double-quoted attributes."""
    return escape("" if value is None else str(value), quote=True)


def _json_attr(value: Any) -> str:
    return _e(json.dumps(value, ensure_ascii=False))


@dataclass(eq=False)
class _Span:
    """A stretch of document text to wrap in ``open``...``close``; ``rank`` orders equal spans."""

    start: int
    end: int
    rank: int
    open: str
    close: str
    first_open: str | None = None  # used for the first piece only (e.g. the quote number)


def highlight(text: str, spans: Iterable[_Span]) -> str:
    """Escaped ``text`` with each span wrapped in its tags, valid HTML even when spans overlap.

    The text is cut at every span edge; for each piece the open elements must be exactly the
    spans covering it, outermost first.  Elements are closed and reopened only where spans cross,
    so a span nested in another (a direct quote inside a mixed one) stays one element.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    edges = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[_Span] = []
    opened: set[int] = set()
    for a, b in zip(edges, edges[1:]):
        want = sorted((s for s in spans if s.start <= a and s.end >= b), key=lambda s: (s.start, -s.end, s.rank))
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        out.extend(s.close for s in reversed(stack[keep:]))
        for s in want[keep:]:
            out.append(s.open if id(s) in opened or s.first_open is None else s.first_open)
            opened.add(id(s))
        stack = want
        out.append(escape(text[a:b], quote=False))
    out.extend(s.close for s in reversed(stack))
    return "".join(out)


def _speaker(quote: dict) -> str:
    """The corpus-level name of the quote's speaker (set by :func:`render_report`), else its own."""
    return quote.get("speaker_name") or quote["speaker"] or UNKNOWN_SPEAKER


def _stance_chip(stance: dict) -> str:
    label = stance["label"] if stance["label"] in LABELS else "neutral"
    return (f'<span class="stance {label}" data-target="{_e(stance["target"])}" '
            f'title="{_e(stance["target"])}: P({_e(stance["label"])}) = {stance["score"]:.3f}">'
            f'<span class="t">{_e(stance["target"])}</span> <b>{_e(stance["label"])}</b> {stance["score"]:.2f}</span>')


def _quote_title(quote: dict) -> str:
    parts = [f"Speaker: {_speaker(quote)}"]
    if quote["speaker_mention"] and quote["speaker_mention"] != _speaker(quote):
        parts[0] += f' (mention: "{quote["speaker_mention"]}")'
    parts.append(f"{quote['kind']} quote" + (f", cue: {quote['cue']}" if quote["cue"] else ""))
    parts += [f"{s['target']}: {s['label']} {s['score']:.2f}" for s in quote["stances"]]
    return "\n".join(parts)


def _document_spans(quotes: list[dict]) -> list[_Span]:
    spans: list[_Span] = []
    extra: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for n, quote in enumerate(quotes, 1):
        attrs = (f'class="q q-{_e(quote["kind"])}" data-quote="{_e(quote["quote_id"])}" '
                 f'data-speaker="{_e(_speaker(quote))}" title="{_e(_quote_title(quote))}"')
        spans.append(_Span(quote["start"], quote["end"], 0, f"<mark {attrs} data-part=\"cont\">", "</mark>",
                           first_open=f'<mark {attrs} data-n="{n}">'))
        if quote["cue_start"] is not None and quote["cue_end"] is not None:
            extra[("cue", quote["cue_start"], quote["cue_end"])].append(quote["quote_id"])
        if quote["speaker_start"] is not None and quote["speaker_end"] is not None:
            extra[("who", quote["speaker_start"], quote["speaker_end"])].append(quote["quote_id"])
    for (kind, start, end), ids in extra.items():
        title = "cue" if kind == "cue" else "speaker mention"
        tag = "u" if kind == "cue" else "span"
        spans.append(_Span(start, end, 1 if kind == "who" else 2,
                           f'<{tag} class="{kind}" data-quotes="{_json_attr(ids)}" title="{title}">', f"</{tag}>"))
    return spans


def _short(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _quote_item(n: int, quote: dict) -> str:
    mention = quote["speaker_mention"]
    mention_html = (f' <span class="mention">(“{_e(mention)}”)</span>'
                    if mention and mention != _speaker(quote) else "")
    cue = f' <span class="cue-word">{_e(quote["cue"])}</span>' if quote["cue"] else ""
    targets = [s["target"] for s in quote["stances"]]
    stances = "".join(_stance_chip(s) for s in quote["stances"]) or '<span class="none">no stance</span>'
    return (f'<li class="quote-item" data-quote="{_e(quote["quote_id"])}" data-speaker="{_e(_speaker(quote))}" '
            f'data-targets="{_json_attr(targets)}"><div class="who-line"><span class="qn">{n}</span> '
            f'<span class="speaker-name">{_e(_speaker(quote))}</span>{mention_html}'
            f' <span class="kind k-{_e(quote["kind"])}">{_e(quote["kind"])}</span>{cue}</div>'
            f'<div class="excerpt">{_e(_short(quote["text"], 90))}</div>'
            f'<div class="stances">{stances}</div></li>')


def _document_card(doc: dict, quotes: list[dict]) -> str:
    head = (f'<header><h3 id="doc-{_e(doc["doc_id"])}">{_e(doc["doc_id"])}</h3>'
            f'<span class="meta">{len(quotes)} quote{"s" * (len(quotes) != 1)}'
            + (f' · targets: {_e(", ".join(doc["targets"]))}' if doc["targets"] else "")
            + (f' · {_e(doc["source"])}' if doc["source"] else "") + "</span></header>")
    if doc["status"] != "ok":
        return (f'<section class="doc doc-error" data-doc="{_e(doc["doc_id"])}">{head}'
                f'<p class="error">error: {_e(doc["error"])}</p></section>')
    text = highlight(doc["text"] or "", _document_spans(quotes))
    items = "".join(_quote_item(n, q) for n, q in enumerate(quotes, 1)) or '<li class="none">no quotes found</li>'
    return (f'<section class="doc" data-doc="{_e(doc["doc_id"])}">{head}<div class="doc-body">'
            f'<div class="text">{text}</div><ol class="quote-list">{items}</ol></div></section>')


def _selected_documents(quotes: Dataset, documents: Dataset, max_documents: int | None) -> list[tuple[dict, list[dict]]]:
    """The first ``max_documents`` documents by doc_id, each with its quotes in text order."""
    doc_ids = documents["doc_id"]
    order = sorted(range(len(doc_ids)), key=lambda i: doc_ids[i])
    if max_documents is not None:
        order = order[:max_documents]
    rows = documents.select(order).to_list() if order else []
    wanted = {row["doc_id"] for row in rows}
    quote_rows = [i for i, d in enumerate(quotes["doc_id"]) if d in wanted] if len(quotes) else []
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for quote in (quotes.select(quote_rows).to_list() if quote_rows else []):
        by_doc[quote["doc_id"]].append(quote)
    return [(row, sorted(by_doc[row["doc_id"]], key=lambda q: (q["start"], -q["end"]))) for row in rows]


def _doc_link(doc_id: str, shown: bool) -> str:
    code = f"<code>{_e(doc_id)}</code>"
    return f'<a href="#doc-{_e(doc_id)}">{code}</a>' if shown else code


def _num_cell(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return '<td class="num" data-value="">–</td>'
    shown = str(value) if isinstance(value, int) else f"{value:.{digits}f}"
    return f'<td class="num" data-value="{value}">{shown}</td>'


def _mix_bar(n_favor: int, n_against: int, n_neutral: int) -> str:
    total = n_favor + n_against + n_neutral
    if not total:
        return '<span class="mix empty"></span>'
    parts = "".join(f'<span class="{label}" style="width:{100 * n / total:.1f}%"></span>'
                    for label, n in zip(LABELS, (n_favor, n_against, n_neutral)) if n)
    return f'<span class="mix" title="favor {n_favor} · against {n_against} · neutral {n_neutral}">{parts}</span>'


SUMMARY_COLUMNS = [("Speaker", "text"), ("Target", "text"), ("Quotes", "num"), ("Favor", "num"),
                   ("Against", "num"), ("Neutral", "num"), ("Mix", "num"), ("Mean p", "num"),
                   ("p(favor)", "num"), ("p(against)", "num"), ("p(neutral)", "num")]


def _variants_title(row: dict) -> str:
    others = [v for v in row.get("variants") or [] if v != row["speaker"]]
    return f' title="{_e("also: " + ", ".join(others))}"' if others else ""


SPEAKER_COLUMNS = [("Speaker", "text"), ("Also called", "text"), ("Type", "text"), ("Quotes", "num"),
                   ("Documents", "num"), ("Ambiguous", "text")]


def _speakers_table(speakers: list[dict], max_rows: int) -> str:
    """One row per corpus-level speaker with the name forms it was found under."""
    head = "".join(f'<th data-type="{kind}" scope="col">{name}</th>' for name, kind in SPEAKER_COLUMNS)
    body = "".join(
        f'<tr data-speaker-id="{_e(row["speaker_id"])}"><td>{_e(row["name"])}</td>'
        f'<td>{_e(", ".join(v for v in row["variants"] if v != row["name"]))}</td><td>{_e(row["type"])}</td>'
        + _num_cell(row["n_quotes"]) + _num_cell(row["n_documents"])
        + f'<td>{"bare name that fits several people" if row["ambiguous"] else ""}</td></tr>'
        for row in speakers[:max_rows])
    note = (f'<p class="note">table shows {max_rows} of {len(speakers)} speakers; all are in <code>speakers</code>.</p>'
            if len(speakers) > max_rows else "")
    return (f'<div class="table-wrap"><table id="speakers-table" class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>{note}')


def _summary_table(rows: list[dict], max_rows: int) -> str:
    head = "".join(f'<th data-type="{kind}" scope="col">{name}</th>' for name, kind in SUMMARY_COLUMNS)
    body = []
    for row in rows[:max_rows]:
        labelled = row["n_favor"] + row["n_against"] + row["n_neutral"]
        balance = (row["n_favor"] - row["n_against"]) / labelled if labelled else None
        body.append(
            f'<tr data-speaker="{_e(row["speaker"])}" data-target="{_e(row["target"])}">'
            f'<td{_variants_title(row)}>{_e(row["speaker"])}</td><td>{_e(row["target"])}</td>'
            + "".join(_num_cell(row[k]) for k in ("n_quotes", "n_favor", "n_against", "n_neutral"))
            + f'<td data-value="{"" if balance is None else f"{balance:.4f}"}">'
            f'{_mix_bar(row["n_favor"], row["n_against"], row["n_neutral"])}</td>'
            + "".join(_num_cell(row[k]) for k in ("mean_score", "mean_favor_score", "mean_against_score",
                                                  "mean_neutral_score"))
            + "</tr>")
    note = (f'<p class="note">table shows {max_rows} of {len(rows)} rows; all rows are in <code>summary</code>.</p>'
            if len(rows) > max_rows else "")
    return (f'<div class="table-wrap"><table id="summary-table" class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{note}')


def _chart(rows: list[dict], target: str) -> str:
    """Horizontal bars: length = quotes, colours = share of favor / against / neutral labels."""
    per: dict[str, list[int]] = {}
    for row in rows:
        if target and row["target"] != target:
            continue
        counts = per.setdefault((row["speaker"], row.get("speaker_id") or ""), [0, 0, 0, 0])
        counts[0] = max(counts[0], row["speaker_n_quotes"] if not target else row["n_quotes"])
        for i, label in enumerate(LABELS, 1):
            counts[i] += row[f"n_{label}"]
    top = sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0]))[:CHART_SPEAKERS]
    if not top:
        return f'<div class="chart" data-target="{_e(target)}"><p class="none">no quotes</p></div>'
    label_w, bar_w, row_h = 210, 620, 26
    biggest = max(c[0] for _, c in top)
    bars = []
    for i, ((speaker, _), (n, *by_label)) in enumerate(top):
        y = i * row_h
        width = bar_w * n / biggest
        labelled = sum(by_label)
        name = speaker if len(speaker) <= 28 else speaker[:27] + "…"
        segments, x = [], label_w
        for label, count in zip(LABELS, by_label):
            if count:
                w = width * count / labelled
                segments.append(f'<rect class="{label}" x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}"/>')
                x += w
        if not labelled:
            segments.append(f'<rect class="unlabelled" x="{label_w}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}"/>')
        tip = (f"{speaker}: {n} quote{'s' * (n != 1)}" + (f" on {target}" if target else "")
               + "".join(f"\n{label}: {count}" for label, count in zip(LABELS, by_label)))
        bars.append(f'<g class="bar" data-speaker="{_e(speaker)}"><title>{_e(tip)}</title>'
                    f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4}" text-anchor="end">{_e(name)}</text>'
                    f'{"".join(segments)}<text class="count" x="{label_w + width + 6:.1f}" y="{y + row_h / 2 + 4}">'
                    f'{n}</text></g>')
    height = len(top) * row_h
    return (f'<div class="chart" data-target="{_e(target)}"{" hidden" if target else ""}>'
            f'<svg role="img" aria-label="most quoted speakers" viewBox="0 0 {label_w + bar_w + 50} {height}" '
            f'width="{label_w + bar_w + 50}" height="{height}">{"".join(bars)}</svg></div>')


def render_report(quotes: Dataset, documents: Dataset, manifest: dict, summary: Dataset,
                  max_documents: int | None = 200, max_summary_rows: int = 2000,
                  speakers: Dataset | None = None) -> str:
    """The whole report page as one HTML string (see the module doc).

    Speakers are the corpus-level ones of ``summary`` (one per ``speaker_id``, under its fullest
    name); ``speakers`` (the run's table) adds a list of them with their name variants.
    """
    rows = summary.to_list()
    selected = _selected_documents(quotes, documents, max_documents)
    names = {r["speaker_id"]: r["speaker"] for r in rows if r.get("speaker_id")}
    for _, doc_quotes in selected:
        for quote in doc_quotes:
            quote["speaker_name"] = names.get(quote.get("speaker_id"))
    speaker_rows = speakers.to_list() if speakers is not None else []
    statuses = documents["status"]
    n_docs, n_errors = len(statuses), sum(s != "ok" for s in statuses)
    targets = sorted({r["target"] for r in rows if r["target"] != NO_TARGET})
    speakers = sorted({r["speaker"] for r in rows})
    error_rows = sorted((r for r in documents.select_columns(["doc_id", "status", "error"]) if r["status"] != "ok"),
                        key=lambda r: r["doc_id"])
    error_cap = max_documents if max_documents is not None else len(error_rows)
    shown_ids = {doc["doc_id"] for doc, _ in selected}
    errors = "".join(f'<li>{_doc_link(r["doc_id"], r["doc_id"] in shown_ids)}: {_e(r["error"])}</li>'
                     for r in error_rows[:error_cap])
    if len(error_rows) > error_cap:
        errors += f'<li class="note">… and {len(error_rows) - error_cap} more (see the documents table)</li>'
    run = manifest.get("input_path") or (manifest.get("config") or {}).get("input_path") or ""
    facts = (f"{n_docs} documents ({n_errors} with errors) · {len(quotes)} quotes · "
             f"{len(speakers)} speakers · {len(targets)} targets")
    doc_note = (f"showing {len(selected)} of {n_docs} documents"
                + (f" (the first {len(selected)} by doc_id; raise max_documents to show more)"
                   if len(selected) < n_docs else ""))
    options = "".join(f'<option value="{_e(t)}">{_e(t)}</option>' for t in targets)
    speaker_options = "".join(f'<option value="{_e(s)}"></option>' for s in speakers)
    charts = _chart(rows, "") + "".join(_chart(rows, t) for t in targets)
    manifest_json = _e(json.dumps(manifest, indent=2, ensure_ascii=False, default=str))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quote report{" – " + _e(run) if run else ""}</title><style>{CSS}</style></head>
<body>
<header class="page"><h1>Who said what, and where they stand</h1>
<p class="facts">{_e(facts)}{" · input: <code>" + _e(run) + "</code>" if run else ""}</p>
<div class="filters" role="search"><label>Speaker <input id="f-speaker" list="speakers" placeholder="type a name"></label>
<datalist id="speakers">{speaker_options}</datalist>
<label>Target <select id="f-target"><option value="">all targets</option>{options}</select></label>
<button type="button" id="f-clear">clear</button><span id="filter-note"></span></div>
<p class="legend"><mark class="q q-direct">direct</mark> <mark class="q q-indirect">indirect</mark>
<mark class="q q-mixed">mixed</mark> quote · <u class="cue">cue</u> · <span class="who">speaker mention</span> ·
stance: <span class="stance favor"><b>favor</b></span> <span class="stance against"><b>against</b></span>
<span class="stance neutral"><b>neutral</b></span> with the probability of that label · hover a quote for its speaker</p>
</header>
<main>
<section id="summary"><h2>Speakers × targets</h2>
<p class="note">All {n_docs} documents. Click a column header to sort. Mix: favor / against / neutral share;
p(label): mean probability over the quotes given that label.</p>
{_summary_table(rows, max_summary_rows)}
{f'<h2>Speakers ({len(speaker_rows)})</h2><p class="note">One row per person or organisation across the run, '
 'with the name forms its quotes were found under.</p>' + _speakers_table(speaker_rows, max_summary_rows)
 if speaker_rows else ""}
<h2>Most quoted speakers</h2>
<p class="note">Bar length: quotes (for the chosen target, if any); colours: share of
<span class="swatch favor"></span>favor, <span class="swatch against"></span>against,
<span class="swatch neutral"></span>neutral labels; <span class="swatch unlabelled"></span>no stance.</p>
{charts}
</section>
<section id="errors"><h2>Documents with errors ({len(error_rows)})</h2>
{f'<ul class="errors">{errors}</ul>' if error_rows else '<p class="note">none</p>'}</section>
<section id="documents"><h2>Documents</h2><p class="note paging">{_e(doc_note)}</p>
{"".join(_document_card(doc, qs) for doc, qs in selected)}
</section>
<details id="manifest"><summary>Run manifest</summary><pre>{manifest_json}</pre></details>
</main>
<script>{JS}</script>
</body></html>
"""


def save_summary(summary: Dataset, path: Path) -> None:
    """``save_to_disk`` through a temporary name, so a killed run leaves no half-written table."""
    tmp = path.with_name(f".{path.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    summary.save_to_disk(str(tmp))
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)


def write_report(out_dir: str | Path, max_documents: int | None = 200) -> Path:
    """Summarise a run folder into ``out_dir/summary`` and write ``out_dir/report.html``; returns its path."""
    out_dir = Path(out_dir)
    quotes, documents, manifest = load_artifacts(out_dir)
    speakers = load_speakers(out_dir)
    summary = summarise_speakers(quotes, speakers)
    save_summary(summary, out_dir / "summary")
    path = out_dir / "report.html"
    path.write_text(render_report(quotes, documents, manifest, summary, max_documents, speakers=speakers),
                    encoding="utf-8")
    return path


CSS = """
:root{--favor:#2e7d32;--against:#c62828;--neutral:#6b7280;--ink:#1f2328;--muted:#667085;--line:#e4e7ec}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f7f9}
header.page{background:#fff;border-bottom:1px solid var(--line);padding:14px 28px;position:sticky;top:0;z-index:5}
h1{font-size:21px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 6px}h3{font-size:15px;margin:0}
main{max-width:1320px;margin:0 auto;padding:0 28px 40px}
.facts,.note{color:var(--muted);margin:2px 0 8px}.note{font-size:13px}
.filters{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin:6px 0}
.filters input,.filters select{font:inherit;padding:3px 6px;border:1px solid #c8ccd3;border-radius:5px;min-width:230px}
.filters button{font:inherit;padding:3px 10px;border:1px solid #c8ccd3;border-radius:5px;background:#fff;cursor:pointer}
#filter-note{color:var(--muted);font-size:13px}
.legend{font-size:13px;color:var(--muted);margin:4px 0 0}
mark.q{color:inherit;border-radius:3px;padding:1px 0}
mark.q-direct{background:rgba(255,200,0,.38)}mark.q-indirect{background:rgba(60,150,240,.22)}
mark.q-mixed{background:rgba(170,80,200,.20)}
mark.q mark.q{box-shadow:inset 0 -2px 0 rgba(0,0,0,.35)}
mark.q[data-n]::before{content:attr(data-n);font:600 10px/1 system-ui,sans-serif;color:#fff;background:#475467;
 border-radius:7px;padding:1px 4px;margin-right:2px;vertical-align:2px}
mark.q.dim{background:transparent;box-shadow:none}mark.q.dim::before{opacity:.3}
mark.q.active{outline:2px solid #f79009;background:rgba(247,144,9,.30)}
u.cue{text-decoration:underline 2px;text-underline-offset:3px;text-decoration-color:#344054}
.who{font-weight:650;color:#1d3a8a}
.stance{display:inline-block;border-radius:4px;padding:0 6px;margin:2px 4px 2px 0;font-size:12.5px;color:#fff;white-space:nowrap}
.stance.favor{background:var(--favor)}.stance.against{background:var(--against)}.stance.neutral{background:var(--neutral)}
.stance .t{opacity:.9}
.table-wrap{max-height:460px;overflow:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
td:nth-child(-n+2){white-space:normal;min-width:120px;max-width:260px;overflow-wrap:anywhere}
th{position:sticky;top:0;background:#f0f2f5;cursor:pointer;user-select:none}
th:hover{background:#e4e7ec}th::after{content:" ↕";color:#98a2b3;font-size:11px}
th[aria-sort=ascending]::after{content:" ▲";color:var(--ink)}th[aria-sort=descending]::after{content:" ▼";color:var(--ink)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.mix{display:inline-flex;width:90px;height:10px;border-radius:3px;overflow:hidden;background:#eaecf0;vertical-align:middle}
.mix span{height:100%}.mix .favor,.swatch.favor{background:var(--favor)}.mix .against,.swatch.against{background:var(--against)}
.mix .neutral,.swatch.neutral{background:var(--neutral)}.swatch.unlabelled{background:#cfd4dc}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 3px 0 2px;vertical-align:-1px}
.chart{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px;overflow-x:auto}
.chart svg{max-width:100%;height:auto;font:13px system-ui,sans-serif}
.chart rect.favor{fill:var(--favor)}.chart rect.against{fill:var(--against)}.chart rect.neutral{fill:var(--neutral)}
.chart rect.unlabelled{fill:#cfd4dc}.chart .count{fill:var(--muted)}.chart .bar.dim{opacity:.18}
.errors{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 8px 8px 28px;margin:0}
.error{color:var(--against);margin:6px 0 0}
.doc{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:12px 0}
.doc>header{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap;border-bottom:1px solid var(--line);padding-bottom:6px}
.doc .meta{color:var(--muted);font-size:13px}.doc-error{border-color:#f4b4b4;background:#fff8f8}
.doc-body{display:grid;grid-template-columns:minmax(0,3fr) minmax(260px,2fr);gap:22px;margin-top:10px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font:16px/1.7 Georgia,"Times New Roman",serif}
.quote-list{list-style:none;margin:0;padding:0;font-size:13.5px}
.quote-item{padding:6px 8px;border-radius:6px;border:1px solid var(--line);margin-bottom:6px;cursor:default}
.quote-item:hover{border-color:#f79009;background:#fffaf0}
.qn{display:inline-block;min-width:18px;text-align:center;font-size:10px;font-weight:600;color:#fff;
 background:#475467;border-radius:7px;padding:1px 4px}
.speaker-name{font-weight:650}.mention{color:var(--muted)}
.kind{font-size:11px;border-radius:3px;padding:0 4px;border:1px solid #d0d5dd;color:#475467}
.cue-word{font-size:12px;color:#475467;text-decoration:underline}
.none{color:var(--muted);font-size:13px}
.excerpt{color:#475467;font:italic 13px/1.35 Georgia,serif;margin:2px 0 1px}
.doc h3,mark.q{scroll-margin-top:150px}
pre{background:#fff;border:1px solid var(--line);padding:10px;overflow:auto;font-size:12px;max-height:400px}
@media (max-width:860px){.doc-body{grid-template-columns:1fr}}
"""

JS = r"""
(function () {
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  // Sortable tables: click (or Enter on) a header; numbers sort by data-value, text by locale.
  all('table.sortable').forEach(function (table) {
    all('th', table).forEach(function (th, col) {
      th.tabIndex = 0;
      var sort = function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending', num = th.dataset.type === 'num';
        all('th', table).forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var value = function (row) {
          var cell = row.cells[col], v = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent;
          return num ? (v === '' ? -Infinity : parseFloat(v)) : v.toLowerCase();
        };
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a), y = value(b), d = num ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });
  // Filters by speaker (substring, any case) and target; also read from / written to the URL hash.
  var speaker = document.getElementById('f-speaker'), target = document.getElementById('f-target');
  var matches = function (name, q) { return !q || name.toLowerCase().indexOf(q) >= 0; };
  function apply() {
    var q = speaker.value.trim().toLowerCase(), t = target.value, shown = 0, docs = all('.doc');
    all('#summary-table tbody tr').forEach(function (r) {
      r.hidden = !(matches(r.dataset.speaker, q) && (!t || r.dataset.target === t));
    });
    all('.chart').forEach(function (c) { c.hidden = c.dataset.target !== t; });
    all('.chart .bar').forEach(function (b) { b.classList.toggle('dim', !matches(b.dataset.speaker, q)); });
    docs.forEach(function (doc) {
      var any = false;
      all('.quote-item', doc).forEach(function (li) {
        var ok = matches(li.dataset.speaker, q) && (!t || JSON.parse(li.dataset.targets).indexOf(t) >= 0);
        li.hidden = !ok; any = any || ok;
        all('mark.q', doc).forEach(function (m) { if (m.dataset.quote === li.dataset.quote) m.classList.toggle('dim', !ok); });
      });
      all('.stance', doc).forEach(function (s) { s.hidden = !!t && s.dataset.target !== t; });
      doc.hidden = (q || t) ? !any : false;
      if (!doc.hidden) shown++;
    });
    document.getElementById('filter-note').textContent = (q || t) ? shown + ' of ' + docs.length + ' shown documents match' : '';
    try { history.replaceState(null, '', (q || t) ? '#' + new URLSearchParams({speaker: speaker.value.trim(), target: t}) : location.pathname); } catch (e) {}
  }
  var params = new URLSearchParams(location.hash.slice(1));
  speaker.value = params.get('speaker') || '';
  target.value = params.get('target') || '';
  speaker.addEventListener('input', apply);
  target.addEventListener('change', apply);
  document.getElementById('f-clear').addEventListener('click', function () { speaker.value = ''; target.value = ''; apply(); });
  // Hovering a quote in a document's list lights it up in the text.
  all('.quote-item').forEach(function (li) {
    var marks = function () { return all('mark.q', li.closest('.doc')).filter(function (m) { return m.dataset.quote === li.dataset.quote; }); };
    li.addEventListener('mouseenter', function () { marks().forEach(function (m) { m.classList.add('active'); }); });
    li.addEventListener('mouseleave', function () { marks().forEach(function (m) { m.classList.remove('active'); }); });
    li.addEventListener('click', function () { var m = marks()[0]; if (m) m.scrollIntoView({block: 'center', behavior: 'smooth'}); });
  });
  if (speaker.value || target.value) apply();
  document.body.dataset.ready = '1';
})();
"""
