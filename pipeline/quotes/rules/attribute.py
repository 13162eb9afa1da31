"""Rule-based quote attribution: the reporting cue and the speaker mention.

``attribute_quotes`` fills, for each quote, the reporting cue as written
(``said``, ``told``, ``pointed out``, ``according to`` ...) and the speaker
mention as written (a capitalised name sequence, a pronoun or a description such
as "a spokeswoman for the ministry"), with character offsets into the text.  It
never invents a mention: when no pattern matches, cue and mention stay ``None``
and ``attribution_score`` is 0.0.

``attribution_score`` is a confidence heuristic, not a probability:

* 0.9  cue and mention adjacent to the quote: ``“…,” X said`` / ``“…,” said X`` /
  ``X said: “…”`` / ``X said (that) …`` / ``…, X said.``, also ``“…?” X demanded.`` (any
  past-tense verb closing the clause) and ``X added:`` ending the paragraph that the quote's
  paragraph follows
* 0.8  ``according to X`` adjacent to the quote, or the subject of a gerund frame
  (``X praised the talks, adding that …``)
* 0.7  ``according to X`` elsewhere in the same paragraph, close to the quote
* 0.6  a direct quote with no frame of its own borrows the attribution of the
  nearest attributed quote in the same paragraph (``“A,” X said. “B.”``)
* 0.0  nothing found

The lexicon and speaker patterns are in :mod:`pipeline.quotes.lexicon`, shared with
:mod:`pipeline.quotes.rules.segment` and :mod:`pipeline.quotes.speakers`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from pipeline.quotes.lexicon import (
    ACCORDING_POST_RE,
    ACCORDING_RE,
    ADVB,
    APPOS,
    GERUND_RE,
    POST_RE,
    SPEAKER,
    Span,
    VERB_ALT,
    VERB_RE,
    find_subject,
    trim_mention,
)
from pipeline.quotes.spans import QuoteSpan

_SENTENCE_START_SUBJ_RE = re.compile(
    rf"[ \t]*(?P<spk>{SPEAKER})(?:{APPOS})?[ \t]+(?:{ADVB}[ \t]+){{0,2}}[a-z]"
)
# Not after a title ("Mr. Obama") or an initial ("Lawrence B. Cummings").
SENTENCE_BREAK_RE = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bGen)(?<!\bSt)"
    r"(?<!\s[A-Z])[.!?][\"”’')]*[ \t]+(?=[A-Z“\"])"
)
# Characters that end a frame: a cue separated from the quote by one of these is
# not the quote's cue.
_BAD_TAIL_RE = re.compile(r"[.!?;“”\"\n]")
_DOUBLE_MARKS = "\"“”„«»"
_CLOSE_MARKS = "\"”»’'“"


def _match_post(text: str, pos: int, hi: int, need_comma: bool) -> tuple[Span, Span] | None:
    """``“…,” X said`` / ``…, said X`` right after ``pos``: (cue span, mention span)."""
    if need_comma and not re.match(r"[ \t]*,", text[pos:hi]):
        return None
    m = POST_RE.match(text, pos, hi)
    if not m:
        return None
    if m.group("spk") is not None:
        spk = trim_mention(text, m.start("spk"), m.end("spk"))
        if spk is None or spk[0] != m.start("spk"):
            return None  # "“…” But then he said" is a new clause, not the attribution
        return (m.start("verb"), m.end("verb")), spk
    spk = trim_mention(text, m.start("spk2"), m.end("spk2"))
    if spk is None:
        return None
    return (m.start("verb2"), m.end("verb2")), spk


# "“Why not?” Ray demanded." / "“…,” Ray angrily objected.": a name, at most one word, then a
# reporting verb or any past-tense verb that ends the clause.
_LOOSE_POST_RE = re.compile(
    rf"[ \t]*(?P<spk>{SPEAKER})[ \t]+(?:[a-z]+[ \t]+)?(?P<verb>(?:{VERB_ALT})|[a-z]{{3,}}ed)(?=[ \t]*[.,;])"
)


def _match_loose_post(text: str, pos: int, hi: int) -> tuple[Span, Span] | None:
    """``“…?” X demanded.`` right after a closed direct quote: (cue span, mention span)."""
    m = _LOOSE_POST_RE.match(text, pos, hi)
    if not m:
        return None
    spk = trim_mention(text, m.start("spk"), m.end("spk"))
    if spk is None or spk[0] != m.start("spk"):
        return None
    return (m.start("verb"), m.end("verb")), spk


def _gerund_subject(text: str, lo: int, g_start: int) -> Span | None:
    """Speaker of "…, adding that": the subject of the sentence's reporting verb, or of the sentence."""
    w_lo = max(lo, g_start - 300)
    breaks = list(SENTENCE_BREAK_RE.finditer(text, w_lo, g_start))
    s_lo = breaks[-1].end() if breaks else w_lo
    for v in reversed(list(VERB_RE.finditer(text, s_lo, g_start))):
        subj = find_subject(text, s_lo, v.start())
        if subj:
            return subj
    m = _SENTENCE_START_SUBJ_RE.match(text, s_lo, g_start)
    if m:
        return trim_mention(text, m.start("spk"), m.end("spk"))
    return None


def _match_pre(text: str, lo: int, pos: int, direct: bool) -> tuple[Span, Span, float] | None:
    """A frame ending at ``pos``: ``X said: “``, ``X said that …``, ``according to X, …``."""
    w_lo = max(lo, pos - 300)
    verbs = list(VERB_RE.finditer(text, w_lo, pos)) + list(GERUND_RE.finditer(text, w_lo, pos))
    verbs.sort(key=lambda m: m.start(), reverse=True)
    for v in verbs:
        tail = text[v.end():pos]
        if _BAD_TAIL_RE.search(tail) or len(tail) > 80:
            break  # a sentence break or another quote separates this cue from the quote
        if not direct and ":" in tail:
            break
        if GERUND_RE.fullmatch(v.group()):
            subj = _gerund_subject(text, lo, v.start())
            if subj:
                return (v.start(), v.end()), subj, 0.8
            continue
        subj = find_subject(text, w_lo, v.start())
        if subj:
            return (v.start(), v.end()), subj, 0.9
    for a in reversed(list(ACCORDING_RE.finditer(text, w_lo, pos))):
        if re.fullmatch(r"[ \t]*,?[ \t]*", text[a.end():pos]):
            spk = trim_mention(text, a.start("spk"), a.end("spk"))
            if spk:
                return (a.start("cue"), a.end("cue")), spk, 0.8
    return None


# A paragraph that ends introducing the next one: "Senator Ray Holt added:" then a line break.
_COLON_END_RE = re.compile(r"[ \t]*:[ \t]*\n\s*$")


def _match_colon_paragraph(text: str, q: QuoteSpan, lines: "_Lines") -> tuple[Span, Span, float] | None:
    """``X added:`` closing the paragraph before the one that the quote opens."""
    line_lo = lines.start(q.start)
    if text[line_lo:q.start].strip(" \t" + _DOUBLE_MARKS + "‘'") or line_lo == 0:
        return None  # the quote does not open its paragraph
    prev_end = len(text[:line_lo].rstrip())
    if prev_end == 0 or text[prev_end - 1] != ":" or not _COLON_END_RE.match(text, prev_end - 1, line_lo):
        return None
    prev_lo = lines.start(prev_end - 1)
    colon = prev_end - 1
    for v in reversed(list(VERB_RE.finditer(text, max(prev_lo, colon - 120), colon))):
        if text[v.end():colon].strip():
            break  # "X said in a statement:" is left to others; only "X said:"
        subj = find_subject(text, prev_lo, v.start())
        if subj:
            return (v.start(), v.end()), subj, 0.9
        break
    return None


def _nearby_according(text: str, lo: int, hi: int, start: int, end: int) -> tuple[Span, Span] | None:
    """``according to X`` anywhere between ``lo`` and ``hi``, nearest the quote."""
    best = None
    for a in ACCORDING_RE.finditer(text, max(lo, start - 300), min(hi, end + 300)):
        if start <= a.start() < end:
            continue  # inside the quote itself
        dist = start - a.end() if a.end() <= start else a.start() - end
        spk = trim_mention(text, a.start("spk"), a.end("spk"))
        if spk and (best is None or dist < best[0]):
            best = (dist, (a.start("cue"), a.end("cue")), spk)
    return (best[1], best[2]) if best else None


def _attribute_one(text: str, q: QuoteSpan, lo: int, hi: int) -> tuple[Span, Span, float] | None:
    """Find (cue span, mention span, score) for one quote, or ``None``."""
    if q.kind == "direct":
        has_open = q.start > 0 and text[q.start - 1] in _DOUBLE_MARKS + "'‘"
        open_pos = q.start - 1 if has_open else q.start
        has_close = q.end < len(text) and text[q.end] in _CLOSE_MARKS
        after = q.end + 1 if has_close else q.end
        ends_sentence = text[q.start:q.end].rstrip().endswith(".")
        if has_close and not ends_sentence:
            post = _match_post(text, after, hi, need_comma=False) or _match_loose_post(text, after, hi)
            if post:
                return post[0], post[1], 0.9
        pre = _match_pre(text, lo, open_pos, direct=True)
        if pre:
            return pre
        if has_close:
            a = ACCORDING_POST_RE.match(text, after, hi)
            if a and (spk := trim_mention(text, a.start("spk"), a.end("spk"))):
                return (a.start("cue"), a.end("cue")), spk, 0.8
        near = _nearby_according(text, lo, hi, q.start, q.end)
        if near:
            return near[0], near[1], 0.7
        return None
    # indirect / mixed: the frame introduces the clause or follows it
    pre = _match_pre(text, lo, q.start, direct=False)
    if pre:
        return pre
    post = _match_post(text, q.end, hi, need_comma=True)
    if post:
        return post[0], post[1], 0.9
    a = ACCORDING_POST_RE.match(text, q.end, hi)
    if a and (spk := trim_mention(text, a.start("spk"), a.end("spk"))):
        return (a.start("cue"), a.end("cue")), spk, 0.8
    return None


class _Lines:
    """Line (= paragraph) bounds by bisection, so long one-line inputs stay linear."""

    def __init__(self, text: str) -> None:
        self.n = len(text)
        self.nl = [m.start() for m in re.finditer("\n", text)]

    def start(self, pos: int) -> int:
        k = bisect.bisect_left(self.nl, pos) - 1
        return self.nl[k] + 1 if k >= 0 else 0

    def end(self, pos: int) -> int:
        k = bisect.bisect_left(self.nl, pos)
        return self.nl[k] if k < len(self.nl) else self.n


def attribute_quotes(text: str, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """Return copies of ``quotes`` (same order) with cue, mention and score filled.

    Fields set: ``cue``/``cue_start``/``cue_end``, ``speaker_mention``/
    ``speaker_start``/``speaker_end`` and ``attribution_score``.  A frame is only
    looked for between the neighbouring quotes, so one quote's cue is never taken
    from inside another quote.  Quotes with no findable frame keep ``None`` and
    score 0.0.
    """
    order = sorted(range(len(quotes)), key=lambda i: (quotes[i].start, quotes[i].end))
    lines = _Lines(text)
    found: dict[int, tuple[Span, Span, float]] = {}
    for rank, i in enumerate(order):
        q = quotes[i]
        lo = lines.start(max(q.start - 1, 0))
        if rank > 0:
            prev = quotes[order[rank - 1]]
            lo = max(lo, min(prev.end + 1, q.start))
        hi = lines.end(q.end)
        if rank + 1 < len(order):
            hi = min(hi, max(quotes[order[rank + 1]].start - 1, q.end))
        res = _attribute_one(text, q, lo, hi)
        if res is None and (rank == 0 or quotes[order[rank - 1]].end <= lines.start(q.start)):
            res = _match_colon_paragraph(text, q, lines)
        if res:
            found[i] = res
    # A direct quote with no frame of its own ("“A,” X said. “B.”") borrows the
    # attribution of the nearest attributed quote in the same paragraph
    # (the preceding one on a tie).  Borrowed attributions are not lent on.
    own = {i for i, r in found.items() if r[2] >= 0.8}
    for rank, i in enumerate(order):
        q = quotes[i]
        if i in found or q.kind != "direct":
            continue
        line = lines.start(q.start)
        for step in range(1, min(len(order), 21)):  # bounded: stays linear
            hits = [r for r in (rank - step, rank + step) if 0 <= r < len(order)]
            hits = [r for r in hits if lines.start(quotes[order[r]].start) == line]
            if not hits:
                break  # both neighbours left the paragraph
            lender = next((order[r] for r in hits if order[r] in own), None)
            if lender is not None:
                cue, spk, _ = found[lender]
                found[i] = (cue, spk, 0.6)
                break
    out = []
    for i, q in enumerate(quotes):
        if i not in found:
            out.append(replace(q, cue=None, cue_start=None, cue_end=None,
                               speaker_mention=None, speaker_start=None, speaker_end=None,
                               attribution_score=0.0))
            continue
        (cs, ce), (ss, se), score = found[i]
        out.append(replace(q, cue=text[cs:ce], cue_start=cs, cue_end=ce,
                           speaker_mention=text[ss:se], speaker_start=ss, speaker_end=se,
                           attribution_score=score))
    return out
