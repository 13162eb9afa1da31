"""The HTML report: escaping, overlapping highlights, errors, paging, the script, and a headless browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from datasets import load_from_disk
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

from conftest import CONFIGS, ROOT
from pipeline.io.artifacts import load_artifacts
from pipeline.report.html import highlight, render_report, write_report, _Span
from pipeline.report.speaker_summary import SUMMARY_FEATURES, summarise_speakers
from scripts_loader import load_script
from test_speaker_summary import make_run

CHROMIUM = Path("/usr/bin/chromium")
VOID = {"meta", "input", "br", "img", "hr", "link", "rect", "col", "wbr"}


class Page(HTMLParser):
    """Checks that tags nest properly and collects, per quote id, the text of its highlight elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.quote_text: dict[str, str] = {}
        self.quote_pieces: dict[str, int] = {}
        self.cues: list[str] = []
        self.rows: list[dict] = []
        self.titles: dict[str, str] = {}
        self.body: dict = {}
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "body":
            self.body = attrs
        if tag == "tr" and "data-speaker" in attrs:
            self.rows.append({**attrs, "cells": []})
        if tag == "mark" and "data-quote" in attrs:
            qid = attrs["data-quote"]
            self.quote_pieces[qid] = self.quote_pieces.get(qid, 0) + 1
            self.quote_text.setdefault(qid, "")
            self.titles.setdefault(qid, attrs.get("title", ""))
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        open_tags = [(tag, attrs) for tag, attrs in self.stack]
        for tag, attrs in open_tags:
            if tag == "mark" and "data-quote" in attrs:
                self.quote_text[attrs["data-quote"]] += data
        if open_tags and open_tags[-1][0] == "u" and "cue" in open_tags[-1][1].get("class", ""):
            self.cues.append(data)
        if self.rows and any(tag == "td" for tag, _ in open_tags) and any(tag == "tbody" for tag, _ in open_tags):
            self.rows[-1]["cells"].append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert not page.problems, page.problems[:5]
    return page


@pytest.fixture()
def run(tmp_path) -> Path:
    return make_run(tmp_path / "run")


def _render(run: Path, **kwargs) -> str:
    quotes, documents, manifest = load_artifacts(run)
    return render_report(quotes, documents, manifest, summarise_speakers(quotes), **kwargs)


def _check_quotes(page: Page, run: Path) -> None:
    quotes, _, _ = load_artifacts(run)
    assert set(page.quote_text) == set(quotes["quote_id"])
    for quote in quotes:
        assert page.quote_text[quote["quote_id"]] == quote["text"], quote["quote_id"]


def test_highlight_handles_nesting_and_crossing_spans():
    text = "abcdefghij"
    spans = [_Span(0, 6, 0, "<a>", "</a>"), _Span(2, 4, 0, "<b>", "</b>"), _Span(5, 8, 0, "<c>", "</c>"),
             _Span(3, 3, 0, "<z>", "</z>"), _Span(8, 99, 0, "<z>", "</z>")]  # empty and out of range: ignored
    assert highlight(text, spans) == "<a>ab<b>cd</b>e<c>f</c></a><c>gh</c>ij"
    assert highlight("<x> & y", []) == "&lt;x&gt; &amp; y"
    assert highlight("", spans) == ""


def test_report_escapes_markup_and_highlights_every_quote_exactly(run):
    html = _render(run)
    page = parse(html)
    _check_quotes(page, run)
    assert "<b>bold</b>" not in html and "<i>is fine</i>" not in html
    assert "a &lt;b&gt;bold&lt;/b&gt; step" in html
    assert "text is &lt;empty&gt;" in html
    # The direct quote nested in the mixed one stays one element; the crossing pair is split once.
    assert page.quote_pieces == {"a-buses#0": 1, "a-buses#1": 1, "a-buses#2": 1, "a-buses#3": 1,
                                 "b-budget#0": 1, "b-budget#1": 2}
    assert page.cues.count("said") == 3 and "called" in page.cues and "added" in page.cues
    assert page.titles["a-buses#2"].startswith('Speaker: Ana Lopez (mention: "Lopez")')
    assert page.titles["b-budget#1"].startswith("Speaker: (unknown)")
    assert 'class="stance favor"' in html and 'class="stance against"' in html and 'class="stance neutral"' in html
    assert "bus lanes</span> <b>favor</b> 0.90" in html


def test_report_is_self_contained(run):
    html = _render(run)
    for needle in ("http://", "https://", "<link", " src=", "@import", "url("):
        assert needle not in html, needle


def test_error_documents_are_listed_and_paging_note_covers_all(run):
    html = _render(run, max_documents=2)
    assert "showing 2 of 3 documents (the first 2 by doc_id" in html
    assert 'data-doc="a-buses"' in html and 'data-doc="b-budget"' in html and 'data-doc="c-empty"' not in html
    errors = html[html.index('id="errors"'):html.index('id="documents"')]
    assert "Documents with errors (1)" in errors and "<code>c-empty</code>: text is &lt;empty&gt;" in errors
    page = parse(html)
    # The summary still covers all documents.
    assert {(r["data-speaker"], r["data-target"]) for r in page.rows} >= {("Tom Reed", "small shops"),
                                                                         ("(unknown)", "(no target)")}
    assert "showing 3 of 3 documents" in _render(run, max_documents=None)
    assert 'data-doc="c-empty"' in _render(run)


def test_write_report_saves_summary_and_html(run):
    path = write_report(run)
    assert path == run / "report.html" and path.stat().st_size > 0
    summary = load_from_disk(str(run / "summary"))
    assert summary.features == SUMMARY_FEATURES and len(summary) == 6
    assert not (run / ".summary.tmp").exists()


def test_report_script_prints_summary_and_path(run, tmp_path):
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name="report", overrides=[f"predictions={run}", "max_documents=1"])
    report_script = load_script("report")
    assert report_script.report(cfg) == run / "report.html"
    assert "showing 1 of 3 documents" in (run / "report.html").read_text()
    out = subprocess.run([sys.executable, "scripts/report.py", f"predictions={run}", "show=3",
                          f"hydra.run.dir={tmp_path / 'hydra'}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Ana Lopez" in out.stdout and "... 3 more rows" in out.stdout
    assert f"report: {run / 'report.html'}" in out.stdout
    missing = subprocess.run([sys.executable, "scripts/report.py", f"predictions={tmp_path / 'nope'}",
                              f"hydra.run.dir={tmp_path / 'hydra2'}"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 2 and "no 'quotes' table" in missing.stderr


def _chromium(args: list[str], user_dir: Path) -> subprocess.CompletedProcess:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={user_dir}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless test needs /usr/bin/chromium "
                    "(apt-get update && apt-get install -y chromium)")
def test_report_renders_in_headless_chromium(run, tmp_path):
    path = write_report(run)
    dom = _chromium(["--dump-dom", path.as_uri()], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = parse(dom.stdout)
    assert page.body.get("data-ready") == "1", "the report's script did not run"
    _check_quotes(page, run)
    rows = [(r["data-speaker"], r["data-target"], r["cells"][2:6]) for r in page.rows]
    assert rows == [("Ana Lopez", "bus lanes", ["3", "3", "0", "0"]), ("Ana Lopez", "small shops", ["3", "0", "1", "2"]),
                    ("(unknown)", "bus lanes", ["1", "0", "0", "1"]), ("(unknown)", "(no target)", ["1", "0", "0", "0"]),
                    ("Tom Reed", "bus lanes", ["1", "0", "1", "0"]), ("Tom Reed", "small shops", ["1", "1", "0", "0"])]

    # The page's own JS: a filter from the URL hash, and a click on the "Quotes" header to sort.
    clicked = tmp_path / "clicked.html"
    clicked.write_text(path.read_text().replace(
        "</body>", "<script>document.querySelectorAll('#summary-table th')[2].click()</script></body>"))
    dom = _chromium(["--dump-dom", clicked.as_uri() + "#speaker=tom%20reed"], tmp_path / "profile")
    page = parse(dom.stdout)
    assert [r["data-speaker"] for r in page.rows][-2:] == ["Ana Lopez", "Ana Lopez"]  # ascending quotes
    visible = [(r["data-speaker"], r["data-target"]) for r in page.rows if "hidden" not in r]
    assert visible == [("Tom Reed", "bus lanes"), ("Tom Reed", "small shops")]
    assert 'data-doc="b-budget" hidden' in dom.stdout and 'data-doc="a-buses" hidden' not in dom.stdout

    shot = tmp_path / "report.png"
    result = _chromium([f"--screenshot={shot}", "--window-size=1400,1800", path.as_uri()], tmp_path / "profile")
    assert result.returncode == 0 and shot.stat().st_size > 10_000
    if keep := os.environ.get("REPORT_SCREENSHOT"):  # to look at it
        shutil.copy(shot, keep)


def test_report_lists_speakers_with_their_name_variants(tmp_path):
    from test_speaker_summary import LATER, document, quote, small_documents

    later = [quote(LATER, "the lanes had worked", "indirect", "Lopez", "Mayor Lopez", "said",
                   (("bus lanes", "favor", 0.9),))]
    run = make_run(tmp_path / "run", small_documents() + [document("d-later", LATER, later)])
    html = write_report(run).read_text()
    assert '<table id="speakers-table"' in html
    row = html[html.index('<tr data-speaker-id='):]
    assert row.startswith('<tr data-speaker-id="spk_') and "<td>Ana Lopez</td><td>Lopez</td><td>person</td>" in row
    # The later article's quote is shown under the corpus name, with its own mention.
    page = Page()
    page.feed(html)
    assert not page.problems
    assert {r["data-speaker"] for r in page.rows} == {"Ana Lopez", "Tom Reed", "(unknown)"}
