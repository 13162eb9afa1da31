"""The reporting lexicon and the speaker patterns shared by the weight-free rules.

Reporting verbs and gerunds, role nouns, name particles, the compiled speaker patterns
(name, pronoun, description, apposition) and the subject finders.  Used by
:mod:`pipeline.quotes.rules.segment` (frames of indirect and mixed quotes),
:mod:`pipeline.quotes.rules.attribute` (cues and mentions), :mod:`pipeline.quotes.speakers`
and :mod:`pipeline.quotes.corpus_speakers`, so no one of them imports another for its words.
"""

from __future__ import annotations

import re

import pycountry

# --------------------------------------------------------------------------- lexicon

#: The US states (ISO 3166-2, from pycountry), whose officials a text calls "state officials"
#: ("Washington" is left out: in news it is mostly the capital).
US_STATES: frozenset[str] = frozenset(
    sub.name for sub in pycountry.subdivisions.get(country_code="US") if sub.type == "State") - {"Washington"}

#: Day and month names, for date phrases ("on Monday", "in March", "July's poll").
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December")
WEEKDAY_ALT = "|".join(WEEKDAYS)
MONTH_ALT = "|".join(MONTHS)

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

# A name token: "Xi", "Jinping", "O'Neill", "Al-Masri", "Mr.", "F." (an initial), "U.S." (a
# dotted abbreviation, whole: "U.S. House" is not "S. House") -- but never swallow a
# sentence-final period or a possessive "'s".
_TITLE_ABBR = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|St|Jr|Sr|Lt|Col|Capt|Rev|Hon|Pres)\."
_NAME_TOKEN = (
    rf"(?:{_TITLE_ABBR}|(?:[A-Z]\.)+(?=[ \t]+[A-Z])"
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

