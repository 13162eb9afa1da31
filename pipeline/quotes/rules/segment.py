"""Weight-free, rule-based quote finder.

``find_quotes(text)`` returns non-overlapping :class:`QuoteSpan` records sorted by
start, with ``kind`` one of:

* ``direct``: text inside double quote marks (straight ``"…"``, curly ``“…”``,
  ``„…“``, ``«…»``), or inside single marks (``'…'``, ``‘…’``) in the headline
  (the first non-blank line, when it is at most 300 characters).  ``text[start:end]``
  excludes the marks.  A quotation continued over several paragraphs (each
  paragraph re-opens with a mark, only the last one closes) is ONE span from after
  the first opening mark to before the final closing mark; it includes the
  paragraph breaks and re-opening marks.  Marks nested inside a double-quoted quote
  (single quotes) stay inside it; single quotes are not quote marks outside the
  headline, so apostrophes in body text never start a quote.
* ``mixed``: a quoted fragment inside a reported clause introduced by a speaker +
  reporting verb (``Putin added that the relationship is “the best in history”.``),
  or followed by one (``Russia is “a reliable partner”, he said.``).  The span is
  the whole reported clause *including* the quote marks: from the clause start
  (after ``that`` / the verb and its object / ``according to X,``) to the end of
  the sentence, without the sentence-final ``.!?`` that stands outside the marks
  (for a post-posed frame: up to the comma before it).  Other quotes inside that
  clause are absorbed, not emitted separately.  A quote introduced by ``:`` or
  ``,`` (``X said: “…”``) or directly by the verb (``X said “…”``) is direct.
* ``indirect``: a sentence with no quote marks and a reporting frame:
  ``X said (that) …``, ``X told reporters (that) …``, ``X, the minister, said …``,
  ``According to X, …``, ``…, according to X.``, ``…, X said.``, ``…, adding that …``.
  The span is the reported clause up to the end of the sentence, excluding the
  final ``.!?`` (for post-posed frames: the clause before the comma).

Unbalanced marks: an opening mark with no closing mark in its paragraph (a
paragraph is a line; blank lines are skipped) ends at the paragraph end (trailing
blanks excluded), unless the next paragraph starts with an opening mark, in which
case the quote continues there (continuation rule).  An opening mark followed by
another opening mark in the same paragraph ends just before that second mark.
Stray closing marks are ignored.  So an unclosed mark never swallows more than its
paragraph chain, and the text is never normalised.

HTML tags (``<…>``) are blanked out (same length, so offsets hold) before
matching, which keeps attribute quotes (``class="x"``) from pairing up; no other
HTML handling is attempted.  All matching is a single pass over the text plus
bounded look-arounds, so time is linear in the text length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.quotes.lexicon import (
    ACCORDING_RE,
    BARE_CLAUSE_VERBS,
    GERUND_RE,
    POST_RE,
    VERB_RE,
    WEEKDAY_ALT,
    find_subject,
    trim_mention,
)
from pipeline.quotes.spans import QuoteSpan

_DOUBLE_MARK_RE = re.compile(r"[\"“”„«»]")
_OPENERS = "“„«\""
_TAG_RE = re.compile(r"<[^<>\n]{0,500}>")
_SENT_END_RE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)|\n")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr sen rep gov gen prof st jr sr lt col capt rev hon pres no vs etc
    inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u
    a.m p.m e.g i.e""".split()
)
_TOLD_VERBS = frozenset({"told", "tells", "tell"})
_TOLD_OBJECT_RE = re.compile(
    r"[ \t]+(?:(?:the|a|an|state|local)[ \t]+)?"
    r"(?:(?:news|press)[ \t]+(?:conference|briefing)s?"
    r"|[A-Z][\w\-’']*(?:[ \t]+[A-Z][\w\-’']*)*|[a-z]+)"
)
_WHEN = (
    r"(?:on|in|at|during|after|before|late|early|earlier|later|last|this|yesterday|"
    rf"today|tonight|{WEEKDAY_ALT})"
)
_ADV_THAT_RE = re.compile(
    rf"(?:[ \t]*,?[ \t]+{_WHEN}\b[^,.;:!?“”\"\n]{{0,50}}?)?,?[ \t]+that\b[ \t]*"
)
_TIME_ADV_RE = re.compile(
    rf"[ \t]+(?:on[ \t]+)?(?:{WEEKDAY_ALT}|"
    r"yesterday|today|tonight)\b,?"
)
_ACCORDING_FRONT_RE = re.compile(ACCORDING_RE.pattern + r"[ \t]*,[ \t]*")
_ACCORDING_BACK_RE = re.compile(ACCORDING_RE.pattern.replace(r"\b(?P<cue>", r",[ \t]*(?P<cue>", 1)
                                + r"[ \t]*[.!?]?[ \t]*$")
_POST_TAIL_RE = re.compile(r"(?:[ \t]+[^,.;:!?“”\"\n]{1,40}?)?[ \t]*[.!?]?[ \t]*$")
_WORD_RE = re.compile(r"\w+")
_COMMA_RE = re.compile(",")


@dataclass
class _Cand:
    """A quoted stretch: mark positions plus the content span."""

    open_pos: int  # first opening mark
    start: int
    end: int
    close_pos: int | None  # closing mark, None when the quote was capped
    multi: bool = False  # continued over several paragraphs


class _Lines:
    """Line (= paragraph) lookup by bisection over newline positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.nl = [m.start() for m in re.finditer("\n", text)]

    def index(self, pos: int) -> int:
        return bisect.bisect_right(self.nl, pos - 1) if pos > 0 else 0

    def end(self, idx: int) -> int:
        return self.nl[idx] if idx < len(self.nl) else len(self.text)


def _mask(text: str) -> str:
    """Blank out HTML tags, keeping every offset."""
    if "<" not in text:
        return text
    return _TAG_RE.sub(lambda m: " " * len(m.group()), text)


def _looks_closing(s: str, p: int) -> bool:
    """A straight mark glued to the previous word and followed by a blank/punctuation."""
    return (p > 0 and not s[p - 1].isspace()
            and (p + 1 == len(s) or s[p + 1].isspace() or s[p + 1] in ",.;:!?)]"))


def _rstrip_pos(s: str, lo: int, hi: int) -> int:
    while hi > lo and s[hi - 1].isspace():
        hi -= 1
    return hi


def _scan_double(s: str, lines: _Lines) -> list[_Cand]:
    """Pair double quote marks, paragraph by paragraph (see the module docstring)."""
    out: list[_Cand] = []
    first = opener = open_line = None
    multi = False

    def cap(at: int) -> None:
        end = _rstrip_pos(s, first + 1, at)
        if end > first + 1:
            out.append(_Cand(first, first + 1, end, None, multi))

    for m in _DOUBLE_MARK_RE.finditer(s):
        p, ch = m.start(), m.group()
        line = lines.index(p)
        if first is not None and line != open_line:
            gap = s[lines.end(open_line):p]
            if ch in _OPENERS and not gap.strip():
                open_line, opener, multi = line, ch, True  # continuation paragraph
                continue
            cap(lines.end(open_line))
            first = None
        if first is None:
            if ch in "”»" or (ch == '"' and (_looks_closing(s, p) or (p and s[p - 1].isdigit()))):
                continue  # stray closing mark / inch mark
            first, opener, open_line, multi = p, ch, line, False
            continue
        closes = (ch in "”»\"" or (ch == "“" and (opener == "„" or _looks_closing(s, p))))
        if closes:
            if p > first + 1:
                out.append(_Cand(first, first + 1, p, p, multi))
            first = None
        else:  # a second opening mark: the first one never closed
            cap(p)
            first, opener, open_line, multi = p, ch, line, False
    if first is not None:
        cap(lines.end(open_line))
    return out


def _scan_headline_single(s: str, taken: list[_Cand]) -> list[_Cand]:
    """Single-quoted phrases in the headline, skipping apostrophes ("don't", "Xi's", "'90s")."""
    m = re.search(r"\S", s)
    if not m:
        return []
    lo = m.start()
    hi = s.find("\n", lo)
    hi = len(s) if hi < 0 else hi
    if hi - lo > 300:
        return []
    out: list[_Cand] = []
    i = lo
    while i < hi:
        ch = s[i]
        prev = s[i - 1] if i > 0 else " "
        nxt = s[i + 1] if i + 1 < len(s) else " "
        is_open = (ch in "'‘" and not (prev.isalnum() or prev in "'’")
                   and (nxt.isalnum()) and not re.match(r"\d0s\b", s[i + 1:i + 4]))
        if not is_open:
            i += 1
            continue
        j = i + 1
        while j < hi:
            c = s[j]
            after = s[j + 1] if j + 1 < len(s) else " "
            if c in "'’" and not s[j - 1].isspace() and not after.isalnum():
                break
            j += 1
        if j >= hi:
            break  # never closed: a headline apostrophe, not a quote
        if not any(c.open_pos <= i <= (c.close_pos or c.end) for c in taken):
            out.append(_Cand(i, i + 1, j, j))
        i = j + 1
    return out


def _sentences(s: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over the whole text; a newline always ends one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END_RE.finditer(s):
        if m.group() != "\n":
            word = re.search(r"(\S+)$", s[max(0, m.start() - 15):m.start() + 1])
            token = word.group(1).lstrip("\"“‘'(").rstrip(".").lower() if word else ""
            if m.group()[0] == "." and (token in _ABBREVIATIONS or len(token) == 1):
                continue
            nxt = re.match(r"[ \t]*(\S)", s[m.end():m.end() + 20])
            if nxt and nxt.group(1).islower():
                continue  # "“Yes!” she said" stays one sentence
            end = m.end()
        else:
            end = m.start()
        while start < end and s[start].isspace():
            start += 1
        if start < end:
            spans.append((start, _rstrip_pos(s, start, end)))
        start = m.end()
    while start < len(s) and s[start].isspace():
        start += 1
    if start < len(s):
        spans.append((start, _rstrip_pos(s, start, len(s))))
    return spans


class _Sents:
    def __init__(self, s: str) -> None:
        self.spans = _sentences(s)
        self.starts = [a for a, _ in self.spans]

    def around(self, pos: int) -> tuple[int, int]:
        """The sentence containing ``pos`` (or the one before a gap)."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return self.spans[k] if k >= 0 else (0, 0)


def _clause_after_verb(s: str, v: re.Match, s_end: int) -> tuple[int, bool]:
    """Where the reported clause starts after a cue, and whether "that" introduced it."""
    pos = v.end()
    if v.group() in _TOLD_VERBS:
        obj = _TOLD_OBJECT_RE.match(s, pos, s_end)
        if obj:
            pos = obj.end()
    m = _ADV_THAT_RE.match(s, pos, s_end)
    if m:
        return m.end(), True
    m = _TIME_ADV_RE.match(s, pos, s_end)
    if m:
        pos = m.end()
    while pos < s_end and s[pos] in " \t":
        pos += 1
    return pos, False


def _trim_clause_end(s: str, start: int, end: int) -> int:
    """Drop trailing blanks and sentence-final punctuation standing outside the marks."""
    end = _rstrip_pos(s, start, end)
    while end > start and s[end - 1] in ".!?":
        end -= 1
    return _rstrip_pos(s, start, end)


def _frame_before(s: str, lo: int, pos: int) -> tuple[int, bool, bool] | None:
    """A reporting frame between ``lo`` and a quote mark at ``pos``.

    Returns (clause start, introduced by "that", introduced by ":"/","), or None.
    """
    verbs = sorted(list(VERB_RE.finditer(s, lo, pos)) + list(GERUND_RE.finditer(s, lo, pos)),
                   key=lambda m: m.start(), reverse=True)
    for v in verbs:
        tail = s[v.end():pos]
        if re.search(r"[.!?;“”\"\n]", tail) or len(tail) > 80:
            break
        if not GERUND_RE.fullmatch(v.group()) and not find_subject(s, lo, v.start()):
            continue
        cs, that = _clause_after_verb(s, v, pos)
        return cs, that, bool(re.search(r"[:,][ \t]*$", tail))
    for a in reversed(list(_ACCORDING_FRONT_RE.finditer(s, lo, pos))):
        tail = s[a.end():pos]
        if not re.search(r"[.!?;:“”\"\n]", tail):
            return a.end(), False, not tail.strip()
    return None


def _post_frame(s: str, pos: int, s_end: int) -> bool:
    """``…”, he said.`` / ``…”, said the minister.`` ending the sentence after ``pos``."""
    if not re.match(r"[ \t]*,", s[pos:s_end]):
        return False
    m = POST_RE.match(s, pos, s_end)
    return bool(m) and bool(_POST_TAIL_RE.match(s, m.end(), s_end))


def _classify(s: str, c: _Cand, lo: int, sents: _Sents) -> tuple[str, int, int]:
    """Decide direct vs mixed for a quote; return (kind, span start, span end)."""
    if c.multi or c.close_pos is None:
        return "direct", c.start, c.end
    s_start, _ = sents.around(c.open_pos)
    lo = max(lo, s_start)
    frame = _frame_before(s, lo, c.open_pos)
    if frame:
        cs, that, punct = frame
        words_between = bool(_WORD_RE.search(s[cs:c.open_pos]))
        if that or (words_between and not punct):
            _, s_end = sents.around(c.close_pos)
            return "mixed", cs, max(_trim_clause_end(s, cs, s_end), c.close_pos + 1)
        return "direct", c.start, c.end
    prefix_start = lo
    while prefix_start < c.open_pos and s[prefix_start].isspace():
        prefix_start += 1
    prefix = s[prefix_start:c.open_pos]
    if _WORD_RE.search(prefix) and not re.search(r"[:,][ \t]*$", prefix):
        _, s_end = sents.around(c.close_pos)
        if _post_frame(s, c.close_pos + 1, s_end):
            return "mixed", prefix_start, c.close_pos + 1
    return "direct", c.start, c.end


def _indirect(s: str, a: int, b: int) -> tuple[int, int] | None:
    """The reported clause of an indirect-speech sentence ``s[a:b]``, or None."""
    m = _ACCORDING_FRONT_RE.search(s, a, b)
    if m and trim_mention(s, m.start("spk"), m.end("spk")):
        return m.end(), _trim_clause_end(s, m.end(), b)
    tail_lo = max(a, b - 250)
    m = _ACCORDING_BACK_RE.search(s, tail_lo, b)
    if m:
        return a, _rstrip_pos(s, a, m.start())
    for v in VERB_RE.finditer(s, a, b):
        subj = find_subject(s, a, v.start())
        if not subj:
            continue
        cs, that = _clause_after_verb(s, v, b)
        verb = re.sub(r"\s+", " ", v.group())
        if (that or verb in BARE_CLAUSE_VERBS) and cs < b and s[cs].isalnum():
            ce = _trim_clause_end(s, cs, b)
            if len(_WORD_RE.findall(s[cs:ce])) >= 2:
                return cs, ce
    for g in GERUND_RE.finditer(s, a, b):
        cs, that = _clause_after_verb(s, g, b)
        if that and cs < b:
            ce = _trim_clause_end(s, cs, b)
            if len(_WORD_RE.findall(s[cs:ce])) >= 2:
                return cs, ce
    for comma in _COMMA_RE.finditer(s, tail_lo, b):
        if _post_frame(s, comma.start(), b):
            ce = _rstrip_pos(s, a, comma.start())
            if len(_WORD_RE.findall(s[a:ce])) >= 3:
                return a, ce
            break
    return None


def find_quotes(text: str) -> list[QuoteSpan]:
    """Find direct, mixed and indirect quotes in ``text`` (see the module docstring)."""
    s = _mask(text)
    lines = _Lines(s)
    sents = _Sents(s)
    cands = _scan_double(s, lines)
    cands = sorted(cands + _scan_headline_single(s, cands), key=lambda c: c.open_pos)

    spans: list[tuple[int, int, str]] = []
    covered_until = 0  # end of the last emitted span's marks, for absorbing
    for c in cands:
        if c.open_pos < covered_until:
            continue  # inside a mixed clause already emitted
        kind, a, b = _classify(s, c, covered_until, sents)
        spans.append((a, b, kind))
        covered_until = max(b, (c.close_pos + 1) if c.close_pos is not None else c.end)

    # Indirect speech: sentences without any quote mark and outside every quote.
    # Union of everything quoted (marks included), as disjoint sorted intervals.
    covered: list[list[int]] = []
    for ms, me in sorted([(c.open_pos, (c.close_pos + 1) if c.close_pos is not None else c.end)
                          for c in cands] + [(a, b) for a, b, _ in spans]):
        if covered and ms <= covered[-1][1]:
            covered[-1][1] = max(covered[-1][1], me)
        else:
            covered.append([ms, me])
    cov_starts = [c[0] for c in covered]
    for a, b in sents.spans:
        if re.search(r"[\"“”„«»‘]", s[a:b]):
            continue
        k = bisect.bisect_right(cov_starts, b - 1) - 1
        if k >= 0 and covered[k][1] > a:
            continue
        clause = _indirect(s, a, b)
        if clause and clause[1] > clause[0]:
            spans.append((clause[0], clause[1], "indirect"))

    spans = sorted(set(spans))
    return [QuoteSpan(start=a, end=b, kind=kind) for a, b, kind in spans]
