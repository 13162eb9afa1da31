"""Rule-based quote attribution: the reporting cue and the speaker mention.

``attribute_quotes`` fills, for each quote, the reporting cue as written
(``said``, ``told``, ``pointed out``, ``according to`` ...) and the speaker
mention as written (a capitalised name sequence, a pronoun or a description such
as "a spokeswoman for the ministry"), with character offsets into the text.  It
never invents a mention: when no pattern matches, cue and mention stay ``None``
and ``attribution_score`` is 0.0.

``attribution_score`` is a confidence heuristic, not a probability:

* 0.9  cue and mention adjacent to the quote: ``“…,” X said`` / ``“…,” said X`` /
  ``X said: “…”`` / ``X said (that) …`` / ``…, X said.``
* 0.8  ``according to X`` adjacent to the quote, or the subject of a gerund frame
  (``X praised the talks, adding that …``)
* 0.7  ``according to X`` elsewhere in the same paragraph, close to the quote
* 0.6  a direct quote with no frame of its own borrows the attribution of the
  nearest attributed quote in the same paragraph (``“A,” X said. “B.”``)
* 0.0  nothing found

The lexicon and compiled patterns below are shared with
:mod:`pipeline.quotes.rules.segment` and :mod:`pipeline.quotes.speakers`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from pipeline.quotes.spans import QuoteSpan

# --------------------------------------------------------------------------- lexicon

#: Finite reporting verbs (past and present forms).  Multi-word cues are allowed.
REPORTING_VERBS: tuple[str, ...] = (
    "said", "says", "say", "added", "adds", "told", "tells", "tell",
    "claimed", "claims", "noted", "wrote", "writes", "argued", "argues",
    "warned", "warns", "insisted", "insists", "stated", "explained", "explains",
    "asked", "asks", "replied", "replies", "announced", "announces", "declared",
    "declares", "stressed", "stresses", "suggested", "suggests", "acknowledged",
    "acknowledges", "admitted", "admits", "believed", "believes", "predicted",
    "predicts", "urged", "urges", "vowed", "vows", "tweeted", "tweets", "continued",
    "remarked", "observed", "complained", "complains", "countered", "counters",
    "conceded", "concedes", "recalled", "recalls", "emphasized", "emphasised",
    "emphasizes", "emphasises", "pointed out", "points out", "maintained",
    "maintains", "confirmed", "confirms", "denied", "denies", "responded",
    "answered", "cautioned", "commented", "contended", "assured", "promised",
    "reiterated", "underlined", "highlighted", "posted", "testified", "revealed",
    "estimated", "joked", "quipped", "alleged", "concluded", "agreed", "objected",
    "protested", "proclaimed", "boasted", "lamented", "mused", "acknowledged",
)

#: Reporting verbs that take a bare clause without "that" ("X said the talks ...").
#: The others only count for indirect speech when followed by "that".
BARE_CLAUSE_VERBS: frozenset[str] = frozenset({
    "said", "says", "say", "told", "tells", "tell", "added", "adds", "claimed",
    "claims", "wrote", "writes", "argued", "argues", "warned", "warns", "insisted",
    "insists", "stated", "explained", "announced", "declared", "stressed",
    "suggested", "acknowledged", "admitted", "believed", "believes", "predicted",
    "predicts", "noted", "maintained", "maintains", "confirmed", "conceded",
    "emphasized", "emphasised", "reiterated", "estimated", "tweeted", "posted",
})

#: Participial frames that continue a reporting sentence (", adding that ...").
REPORTING_GERUNDS: tuple[str, ...] = (
    "saying", "adding", "noting", "warning", "arguing", "insisting", "stressing",
    "claiming", "explaining", "suggesting", "acknowledging", "admitting",
    "predicting", "urging", "emphasizing", "emphasising", "pointing out",
    "declaring", "stating", "announcing", "telling", "writing", "complaining",
    "conceding", "recalling", "vowing", "promising", "cautioning", "asserting",
)

#: Head nouns that make "the/a ... NOUN" a speaker description.
ROLE_NOUNS: tuple[str, ...] = (
    "minister", "spokesman", "spokeswoman", "spokesperson", "president",
    "official", "company", "firm", "ministry", "government", "mayor",
    "councillor", "councilor", "councilman", "councilwoman", "chairman",
    "chairwoman", "chair", "leader", "analyst", "expert", "economist",
    "scientist", "researcher", "activist", "campaigner", "lawmaker", "senator",
    "diplomat", "ambassador", "envoy", "premier", "chancellor", "secretary",
    "director", "executive", "chief", "negotiator", "council", "committee",
    "agency", "group", "organisation", "organization", "union", "statement",
    "report", "source", "representative", "governor", "commissioner",
    "prosecutor", "judge", "lawyer", "attorney", "officer", "commander",
    "resident", "member", "head", "founder", "ceo", "department", "office",
    "administration", "cabinet", "party", "bank", "association", "authorities",
    "police", "critic", "supporter", "opponent", "protester", "delegate",
    "delegation", "manager", "owner", "professor", "teacher", "worker",
    "farmer", "coalition", "alliance", "federation", "institute", "kremlin",
)

PRONOUNS: tuple[str, ...] = ("he", "she", "they", "we", "i")

# Capitalised words that start sentences but are not part of a name.
_STOP_TOKENS = frozenset(
    """The A An But And Or So Yet However Meanwhile Still Also Then Later Earlier
    Instead Indeed Now Today Yesterday Tonight On In At As When While After Before
    If Since Although Though Asked Speaking Separately Finally Last This That These
    Those It He She They We I His Her Their Our My Its There Here Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Despite For From With Without
    Under Over By Of To Why What Who How Where Both Neither Either Not Even Only
    Just Some Many Most Several Such According Addressing Responding Writing""".split()
)

# --------------------------------------------------------------------------- patterns

def _alternation(words: tuple[str, ...]) -> str:
    """Longest-first regex alternation; spaces in multi-word items match any blank run."""
    uniq = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in uniq)


VERB_ALT = _alternation(REPORTING_VERBS)
GERUND_ALT = _alternation(REPORTING_GERUNDS)

# A name token: "Xi", "Jinping", "O'Neill", "Al-Masri", "Mr.", "F." (an initial) --
# but never swallow a sentence-final period or a possessive "'s".
_TITLE_ABBR = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|St|Jr|Sr|Lt|Col|Capt|Rev|Hon|Pres)\."
_NAME_TOKEN = (
    rf"(?:{_TITLE_ABBR}|[A-Z]\.(?=[ \t]+[A-Z])"
    r"|[A-Z](?:[\w\-]|['’](?![sS]\b)(?=\w))+)"
)
#: Lower-case words inside personal names ("Ursula von der Leyen").
NAME_PARTICLES: tuple[str, ...] = ("al", "bin", "ibn", "de", "del", "della", "der", "van", "von", "da", "di",
                                   "du", "la", "le", "dos", "das")
_PARTICLE = rf"(?:{'|'.join(NAME_PARTICLES)})"
NAME = rf"{_NAME_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_TOKEN})*"
PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I)\b"
_DET = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ne|[A-Z][\w\-]*['’]s)"
_ROLE_ALT = _alternation(ROLE_NOUNS)
# Up to three modifiers between determiner and head ("the Chinese foreign minister"),
# never another determiner (so "the deal the minister" is not one description).
_MODIFIER = r"(?!(?:the|a|an|The|A|An)\b)[\w\-’']+"
DESCRIPTION = (
    rf"{_DET}[ \t]+(?:{_MODIFIER}[ \t]+){{0,3}}?(?i:{_ROLE_ALT})s?\b"
    rf"(?:[ \t]+(?:for|of|at|from|in)[ \t]+(?:the[ \t]+)?(?:{NAME}|[a-z][\w\-]*\b))?"
)
SPEAKER = rf"(?:{DESCRIPTION}|{NAME}|{PRONOUN})"
# ", the foreign minister," / ", who arrived on Monday," between subject and verb.
APPOS = r",[ \t]*[^,;:!?.“”\"\n]{1,80}?,"
ADVB = (
    r"(?:also|later|then|once|previously|earlier|again|repeatedly|simply|quickly|"
    r"recently|separately|reportedly|publicly|privately|has|had|have|would|will|"
    r"had|did|does|do|was|is|has[ \t]+since|last[ \t]+\w+)"
)

VERB_RE = re.compile(rf"\b(?:{VERB_ALT})\b")
GERUND_RE = re.compile(rf"\b(?:{GERUND_ALT})\b")
DESCRIPTION_RE = re.compile(DESCRIPTION)
PRONOUN_RE = re.compile(rf"\b{PRONOUN}")
NAME_RE = re.compile(rf"(?<![\w’'\-]){NAME}")
#: Subject right before a reporting verb; use ``.search(text, lo, verb_start)``.
SUBJECT_BEFORE_RE = re.compile(
    rf"(?<![\w’'\-])(?P<spk>{SPEAKER})(?:{APPOS})?[ \t]+(?:{ADVB}[ \t]+){{0,2}}$"
)
#: Attribution right after a quote: ``, X said`` or ``, said X``; use ``.match``.
POST_RE = re.compile(
    rf"[ \t]*,?[ \t]*(?:(?P<spk>{SPEAKER})(?:{APPOS})?[ \t]+(?:{ADVB}[ \t]+){{0,2}}"
    rf"(?P<verb>{VERB_ALT})\b|(?P<verb2>{VERB_ALT})[ \t]+(?P<spk2>{SPEAKER}))"
)
ACCORDING_RE = re.compile(rf"\b(?P<cue>[Aa]ccording[ \t]+to)[ \t]+(?P<spk>{SPEAKER})")
#: ``, according to X`` right after a quote or clause; use ``.match``.
ACCORDING_POST_RE = re.compile(
    rf"[ \t]*,?[ \t]*(?P<cue>according[ \t]+to)[ \t]+(?P<spk>{SPEAKER})"
)
_SENTENCE_START_SUBJ_RE = re.compile(
    rf"[ \t]*(?P<spk>{SPEAKER})(?:{APPOS})?[ \t]+(?:{ADVB}[ \t]+){{0,2}}[a-z]"
)
_LAST_SENT_BREAK_RE = re.compile(r"[.!?][\"”’')]*[ \t]+(?=[A-Z“\"])")
# Characters that end a frame: a cue separated from the quote by one of these is
# not the quote's cue.
_BAD_TAIL_RE = re.compile(r"[.!?;“”\"\n]")
_DOUBLE_MARKS = "\"“”„«»"
_CLOSE_MARKS = "\"”»’'“"

Span = tuple[int, int]


def trim_mention(text: str, start: int, end: int) -> Span | None:
    """Drop leading sentence words ("But", "On", "Monday") from a name mention.

    Descriptions and bare pronouns are kept as they are.  Returns ``None`` when
    nothing of the mention is left.
    """
    mention = text[start:end]
    if DESCRIPTION_RE.fullmatch(mention) or re.fullmatch(PRONOUN, mention):
        return start, end
    for tok in re.finditer(r"\S+", mention):
        if tok.group().strip(",") not in _STOP_TOKENS and not re.fullmatch(_PARTICLE, tok.group()):
            return start + tok.start(), end
    return None


def find_subject(text: str, lo: int, verb_start: int) -> Span | None:
    """Span of the speaker mention that is the subject of a verb at ``verb_start``.

    Handles an apposition between subject and verb ("Wang Yi, the foreign
    minister, said"); the mention is the subject without the apposition.
    """
    m = SUBJECT_BEFORE_RE.search(text, max(lo, verb_start - 200), verb_start)
    if not m:
        return None
    return trim_mention(text, m.start("spk"), m.end("spk"))


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


def _gerund_subject(text: str, lo: int, g_start: int) -> Span | None:
    """Speaker of "…, adding that": the subject of the sentence's reporting verb, or of the sentence."""
    w_lo = max(lo, g_start - 300)
    breaks = list(_LAST_SENT_BREAK_RE.finditer(text, w_lo, g_start))
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
            post = _match_post(text, after, hi, need_comma=False)
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
