"""PolNeAR's span conventions, applied to linked predictions before they become quotes.

The tagger gets most spans roughly right; these rules move the boundaries it often gets
wrong to where PolNeAR's annotators put them.  Each rule follows a count on PolNeAR *train*
gold (19,883 contents), not on dev:

* a content does not cross a paragraph break (0.6% of gold contents contain a newline): a
  predicted content that does is split, and only the piece nearest its cue keeps the cue and
  source (the next paragraph often has another speaker);
* a content that opens with a quote mark ends at its last closing mark when its own cue or
  source, or a dash, follows that mark (``"...," Clinton said.`` -> ``"...,"``): of the
  3,203 train gold contents that open with a mark, 17 have their cue after the last closing
  mark and none a dash signature;
* a quote signed with a dash (``"..." ― Dana Reed``) has the dash as cue and the name as
  source, as PolNeAR annotates quoted tweets and reader comments;
* a transcript's speaker label is not part of the content (``WALLACE: If I may ...``): no
  train gold content starts with one, and the 13 gold contents right after one have it as
  their source, so it becomes the source when none was linked;
* a dateline (``GENEVA —`` at the start of a line) is not a content: none of the 19,883
  train gold contents is one, but the tagger sometimes marks one when it has no cue;
* a source does not cross a line break (2 of 19,889 train gold sources do): the piece
  nearest the cue, or the content, is kept (``manufacturers' group\n\nWASHINGTON``);
* a content does not start with the preposition of its cue ("called **for** X", "talked
  **about** X": "for" precedes a gold content 408 times and starts one 65 times; similar for
  about, of, on, over);
* a cue includes the auxiliaries, modals and adverbs in front of its verb ("has said",
  "also told", "would argue": "has" is inside a gold cue 731 times, just before one 7 times),
  as long as the longer cue does not run into the content or the source.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator, Sequence

from pipeline.quotes.tagger.labels import CharSpan
from pipeline.quotes.tagger.linking import LinkedContent, gap

CUE_PREFIX_WORDS = frozenset({
    "has", "have", "had", "is", "are", "was", "were", "also", "would", "will", "may", "could",
    "might", "can", "often", "never", "repeatedly", "privately", "publicly", "previously",
    "already", "later", "now",
})
LEADING_PREPOSITIONS = frozenset({"for", "about", "of", "on", "over"})
OPENING_MARKS = "\"“"
CLOSING_MARKS = "\"”"
_SPEAKER_LABEL = re.compile(r"[\"“]?([A-Z][A-Z.'\- ]*[A-Z]):[ \t]+")
_DATELINE = re.compile(r"(?:^|(?<=\n))[A-Z][A-Z.\-' ]*[A-Z.](?:,[ \t]+[A-Z][\w.\- ]*)?[ \t]*[—–-]")
_SIGNATURE = re.compile(
    r"[ \t\xa0]*(?P<close>[\"”’'][ \t\xa0]*)?(?P<dash>[―—])[ \t\xa0]*"
    r"(?P<name>[A-Z][\w'’\-]*\.?(?:[ \t][A-Z][\w'’\-]*\.?){1,4})(?=[ \t\xa0]*(?:[.(\n]|$))")
_DASH = re.compile(r"\s*[―—–]")
_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")
_FIRST_WORD = re.compile(r"(\w+)\s+")


def line_breaks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each run of white space holding a newline in ``text[start:end]``,
    as ``re.finditer(r"\\s*\\n\\s*", text, start, end)`` gives them, in linear time (the regex
    retries every position of a long run of spaces: 20,000 spaces took a minute)."""
    search = start
    while (newline := text.find("\n", search, end)) >= 0:
        begin, stop = newline, newline + 1
        while begin > search and text[begin - 1].isspace():
            begin -= 1
        while stop < end and text[stop].isspace():
            stop += 1
        yield begin, stop
        search = stop


def line_pieces(text: str, span: CharSpan) -> list[CharSpan]:
    """``span`` cut at its line breaks, pieces without a word character left out."""
    pieces, begin = [], span.start
    for break_start, break_end in line_breaks(text, span.start, span.end):
        pieces.append((begin, break_start))
        begin = break_end
    pieces.append((begin, span.end))
    return [replace(span, start=s, end=e) for s, e in pieces if re.search(r"\w", text[s:e])]


def split_at_paragraphs(text: str, item: LinkedContent) -> list[LinkedContent]:
    """One content per paragraph; the piece nearest the cue keeps cue and source."""
    spans = line_pieces(text, item.content)
    if len(spans) <= 1:
        return [item]
    keeper = min(spans, key=lambda span: gap(span, item.cue)) if item.cue is not None else spans[0]
    return [LinkedContent(span, item.source, item.cue) if span is keeper else LinkedContent(span, None, None)
            for span in spans]


def end_at_closing_mark(text: str, item: LinkedContent) -> LinkedContent:
    """``"A," he said.`` -> ``"A,"``: a quoted content does not take in its own frame."""
    c = item.content
    body = text[c.start:c.end]
    opening = len(body) - len(body.lstrip())
    if opening >= len(body) or body[opening] not in OPENING_MARKS:
        return item
    last = max(body.rfind(mark) for mark in CLOSING_MARKS)
    if last <= opening:
        return item
    close = c.start + last + 1
    tail = text[close:c.end]
    frame = [s for s in (item.cue, item.source) if s is not None and close <= s.start and s.end <= c.end]
    if not re.search(r"\w", tail) or not (frame or _DASH.match(tail)):
        return item
    return LinkedContent(replace(c, end=close), item.source, item.cue)


def signed_quote(text: str, item: LinkedContent) -> LinkedContent:
    """``"...," ― Dana Reed``: the dash is the cue and the name the source."""
    c = item.content
    match = _SIGNATURE.match(text, c.end)
    if match is None:
        return item
    opens_quoted = text[c.start:c.end].lstrip()[:1] in OPENING_MARKS
    if not (opens_quoted or match.group("close") or text[c.end - 1] in CLOSING_MARKS):
        return item
    cue = CharSpan(match.start("dash"), match.end("dash"), "CUE", c.score)
    name_end = match.end("name") - (1 if match.group("name").endswith(".") else 0)
    source = CharSpan(match.start("name"), name_end, "SOURCE", c.score)
    return LinkedContent(c, source, cue)


def drop_speaker_label(text: str, item: LinkedContent) -> LinkedContent:
    """``WALLACE: If I may`` -> ``If I may``, with WALLACE as the source if it had none."""
    c = item.content
    match = _SPEAKER_LABEL.match(text, c.start, c.end)
    if not match or match.end() >= c.end:
        return item
    source = item.source or CharSpan(match.start(1), match.end(1), "SOURCE", c.score)
    return LinkedContent(replace(c, start=match.end()), source, item.cue)


def is_dateline(text: str, item: LinkedContent) -> bool:
    """A bare ``GENEVA`` / ``WASHINGTON, D.C.`` before a dash at a line start, with no cue."""
    c = item.content
    match = _DATELINE.match(text, c.start)
    return item.cue is None and match is not None and c.end <= match.end()


def source_within_line(text: str, item: LinkedContent) -> LinkedContent:
    """Cut a source at its line breaks, keeping the piece nearest its cue (or content)."""
    s = item.source
    if s is None or "\n" not in text[s.start:s.end]:
        return item
    spans = line_pieces(text, s)
    if not spans:
        return item
    anchor = item.cue if item.cue is not None else item.content
    return LinkedContent(item.content, min(spans, key=lambda span: gap(span, anchor)), item.cue)


def drop_leading_preposition(text: str, span: CharSpan) -> CharSpan:
    """``for X`` -> ``X`` when the content starts with its cue's preposition."""
    match = _FIRST_WORD.match(text, span.start, span.end)
    if match and match.group(1).lower() in LEADING_PREPOSITIONS and match.end() < span.end:
        return replace(span, start=match.end())
    return span


def extend_cue_left(text: str, cue: CharSpan, taken: Sequence[CharSpan]) -> CharSpan:
    """``said`` -> ``has also said``: take in the auxiliaries and adverbs right before the verb."""
    start = cue.start
    while True:
        match = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if not match:
            break
        word = match.group(1).lower()
        if word not in CUE_PREFIX_WORDS and not (word.endswith("ly") and len(word) > 4):
            break
        start = match.start()
    if start == cue.start or any(t.start < cue.start and start < t.end for t in taken):
        return cue
    return replace(cue, start=start)


def apply_conventions(text: str, linked: Sequence[LinkedContent]) -> list[LinkedContent]:
    """Every rule above, in order, over one document's linked contents."""
    out = []
    for item in linked:
        for piece in split_at_paragraphs(text, item):
            if is_dateline(text, piece):
                continue
            piece = end_at_closing_mark(text, piece)
            piece = source_within_line(text, drop_speaker_label(text, signed_quote(text, piece)))
            content = drop_leading_preposition(text, piece.content)
            cue = piece.cue
            if cue is not None:
                cue = extend_cue_left(text, cue, [s for s in (content, piece.source) if s is not None])
            out.append(LinkedContent(content, piece.source, cue))
    return out
