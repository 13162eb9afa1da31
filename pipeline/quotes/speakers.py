"""Speaker resolution: map each quote's speaker mention to a canonical name.

``resolve_speakers(text, quotes)`` sets ``QuoteSpan.speaker``:

* A named mention ("Chinese President Xi Jinping", "President Xi", "Xi") is merged
  with the name variants of the same document and becomes the fullest variant
  with titles, roles and nationality adjectives stripped ("Xi Jinping"); a familiar
  given name is the formal one ("Bobby Scott" -> "Robert C. Scott", by the
  ``nicknames`` table).  When a short form fits several full names ("Cruz" for Ted
  Cruz and his father), the most salient one wins (see pronouns).  Organisation
  names ("the Foreign Ministry", "Kremlin") are kept as written, minus a leading
  "the", or become the one longer name the text gives them ("the Times" -> "New York
  Times", "Tax Policy Center" -> "Urban-Brookings Tax Policy Center"); an acronym becomes the name the text spells out ("the S.E.C." ->
  "Securities and Exchange Commission").  Coordinated speakers ("Mr. Grassley and
  Mr. Leahy") are the first named.
* A pronoun he/she resolves to the most salient compatible person (Lappin and
  Leass's salience: every mention counts, a subject -- the sentence's first name, the
  subject of a reporting verb, a quote's speaker, a he/she -- more than a name inside
  a prepositional phrase or a possessive, and weight halves with every sentence), so
  in "Trump says he is making a demand of Obama. '...,' he asks" the speaker is
  Trump, not the last-named Obama.  Gender-checked when the gender can be told (a
  title such as Mr./Mrs./Ms., a gendered role such as spokeswoman, a common first
  name, or an earlier he/she that referred to that person); a given name's likely
  gender (gender-guesser) is a preference.  Before salience, a he/she is the person who opens
  its sentence as subject before it, else the one who opens the sentence before (the centre of
  attention: "Clinton aide Jane Roe said ... '...,' she said" is Roe, not the salient Clinton),
  when of its gender; a possessive or a name after a preposition opens no sentence ("Campaigning
  against Romney, he").  "I"/"we" in the narration are the writer,
  named only by a closing author's note; they/it resolve to the most recent
  organisation.
* A description resolves by its head noun: "the minister" to the most recent
  person whose title or apposition has "minister"; "the ministry"/"the company" to
  the most recent organisation with that word (or, for company/firm, a corporate
  suffix) in its name; one that spells out a named body's words in lower case ("the top
  Nordic medical journal", "a union representing airline pilots") is that body.  A
  singular definite description with no such person ("the campaigner", "the Republican
  nominee") is, like a pronoun, the most salient person
  of its party mentioned within ``_DESCRIPTION_REACH`` characters, unless its role
  speaks for someone else ("the spokeswoman").  A role is matched in any of its forms
  ("Justice Frank Nervo" is "the judge", "Sen." a senator) and with the title words after its
  head ("the attorney general" is no "City Attorney"); a role no one held before is the person
  titled with it whom the next sentences name first, else the one person the text titles with
  it (of several, the one whose title has the description's capitalised qualifier), so "A New
  York judge ruled" is the judge named later.  A plural one names no one.  "The poll",
  "the ad" is the author of the document named last before it ("A Bloomberg poll", "a video
  by the Republican National Committee"), within ``_DOCUMENT_REACH`` characters; so is its
  voice ("the announcer", "the ad's narrator").
* Lower-case roles in front of a name are roles, not name ("county engineer Tomas
  Lindqvist" -> "Tomas Lindqvist"); people speaking for a named body or person are
  that body or person ("a spokesman for Nordholm", "McCabe's lawyers").
* A headline's role or description that the article never names as a person ("Retired
  General Reveals ...") is the first person named just after the headline, in the lede.
* Otherwise the speaker stays ``None``; a name is never invented.

Persons are found in the text itself, not only in quote mentions: capitalised
sequences with a title, with a role apposition ("Wang Yi, China's foreign
minister,"), as subjects of reporting verbs, or of two or more words not after a
place preposition ("in New York").  Mentions inside direct quotes count as name
variants but do not make a person "most recent", so ``“I met Lavrov,” he said``
does not resolve "he" to Lavrov.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field, replace

from pipeline.quotes.lexicon import (
    ADVB,
    APPOS,
    DESCRIPTION_RE,
    NAME_PARTICLES,
    NAME_RE,
    MONTH_ALT,
    ROLE_NOUNS,
    US_STATES,
    WEEKDAY_ALT,
    WEEKDAYS,
    VERB_ALT,
    trim_mention,
)
from pipeline.quotes.spans import QuoteSpan

#: Words stripped from the front of a person name (matched case-insensitively).
TITLES = frozenset(
    """president vice prime minister foreign deputy mr. mr mrs. mrs ms. ms miss
    madam dr. dr senator sen. rep. representative gov. governor chancellor secretary
    chief executive premier mayor ambassador general gen. king queen prince princess
    pope judge spokesman spokeswoman spokesperson chairman chairwoman ceo state
    defence defense finance trade interior environment energy economy climate health
    education agriculture commerce justice councillor councilor councilman
    councilwoman commissioner director professor prof. sir dame lord lady former
    acting interim envoy official leader opposition party lawmaker activist
    economist analyst negotiator headteacher nurse engineer coach captain bishop
    archbishop rabbi imam pastor reverend rev. detective sergeant sgt. lieutenant lt.
    colonel col. admiral attorney lawyer businessman businesswoman campaigner del. delegate sens. reps.""".split()
)
NATIONALITIES = frozenset(
    """chinese russian american british french german japanese indian ukrainian
    us u.s. eu european canadian australian brazilian mexican italian spanish korean
    south north turkish iranian israeli polish dutch swedish norwegian danish
    finnish belgian swiss austrian greek egyptian saudi nigerian kenyan pakistani
    indonesian vietnamese thai filipino argentine chilean colombian irish scottish
    welsh english african asian western eastern""".split()
)
ORG_WORDS = frozenset(
    """ministry council commission company corp corp. corporation inc inc. ltd ltd.
    group bank party union agency government kremlin association committee
    department office institute university federation organisation organization
    authority parliament congress senate assembly coalition alliance network times
    post news reuters motors industries holdings technologies systems energy
    airlines foundation fund board court police army navy service house cabinet
    administration secretariat duma economics research capital partners consulting analytics
    associates advisors institute center centre society trust media watch international bureau""".split()
)
_CORPORATE = frozenset("company corp corp. corporation inc inc. ltd ltd. group motors industries holdings technologies systems airlines plc llc".split())
_ORG_HEADS = frozenset(
    """company firm ministry government council committee agency group organisation
    organization union department office administration cabinet party bank
    association kremlin coalition alliance federation institute delegation
    authorities police""".split()
)
#: Words in a body's name that make it a union or a newspaper, for "the union", "the newspaper".
_HEAD_KINDS = {
    "union": frozenset("workers association federation brotherhood guild teamsters".split()),
    "newspaper": frozenset("times post journal tribune herald gazette globe chronicle inquirer".split()),
    # "the agency": "Congressional Budget Office", "Federal Bureau of Investigation"
    "agency": frozenset("office bureau service commission authority board".split()),
}
#: Nouns that head the name of a body ("Journal", "Association", "Union") or a description of one.
_BODY_NOUNS = ORG_WORDS | _ORG_HEADS | frozenset(_HEAD_KINDS) | frozenset().union(*_HEAD_KINDS.values())
_MALE_WORDS = frozenset("mr mr. king prince lord sir spokesman chairman councilman businessman congressman husband father son brother".split())
_FEMALE_WORDS = frozenset("mrs mrs. ms ms. miss madam queen princess lady dame spokeswoman chairwoman councilwoman businesswoman congresswoman wife mother daughter sister".split())
_MALE_FIRST = frozenset("""john james david michael robert william thomas peter paul mark george richard daniel sergei
    sergey dmitry vladimir ivan alexei andrei igor li wei hans pierre jean luis carlos jose ahmed mohammed ali omar
    donald joe joseph bernie bernard chuck charles adam mitch kevin ted edward barack bill mike ronald bobby
    christopher frederick steven stephen steve brian jeff jeffrey greg gregory jerry jerome jerrold tom
    tim timothy matt matthew andrew eric jason justin kenneth ken rick rudy jared hunter pete marco rand newt
    mitt jeb lamar rod brett neil samuel clarence anthony tony larry lawrence gary ben benjamin jim jimmy
    jon jonathan nick nicholas roger patrick gavin beto cory elijah devin scott kurt frank henry harry jack
    walter arthur albert ralph roy bruce keith alan allan dennis douglas doug ryan tyler kyle""".split())
_FEMALE_FIRST = frozenset("""mary maria anna elena olga natalia svetlana irina sarah emma laura julia sophie claire marie
    ursula angela hannah rachel emily jennifer linda susan karen helen fatima aisha mei lin nancy hillary
    elizabeth kamala amy kirsten maxine stephanie sonia ruth lisa alexandria ilhan rashida ayanna tulsi nikki
    kellyanne melania ivanka michelle betsy condoleezza madeleine hope sheila barbara patricia debbie deborah
    diane dianne heidi tammy marsha martha katie kate catherine kathleen christine gretchen janet loretta sally
    valerie jill ann anne cindy cynthia jeanne jeanine marianne rosa margaret susan joan jane judy carol
    sharon donna dorothy harriet melanie nan""".split())
#: Lower-case nouns before a name that make it a person's ("the journalist Dainis Ivans").
_PERSON_ROLES = frozenset("""journalist reporter writer author nominee candidate businessman businesswoman
    congressman congresswoman senator governor envoy doctor surgeon professor historian mother father
    wife husband son daughter sister brother""".split())
_PLACE_PREPS = frozenset("in at from to into near across via of toward towards outside inside around".split())
#: Capitalised words that open a sentence or clause but never a name: "Regarding Russia's war,
#: he said" is not a person "Regarding Russia"; a mention that starts with one names no speaker.
_NOT_NAME_LEADS = frozenset("""regarding concerning following referring commenting speaking asked
    according citing turning responding addressing writing asked amid during despite unlike like
    given including in on at as of for from with without under over by to after before since
    while when if although though upon until throughout toward towards across against within
    beyond behind around near outside inside via per except besides among amongst
    said says added wrote""".split())  # "Said Ellis: ..." inverts the verb and its subject
#: No-break and narrow spaces are spaces in names ("Dmitry\u00a0Medvedev"); same length, so
#: offsets do not move.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})
#: "The National Health Agency (NHA)": a name with its acronym in brackets.
_ACRONYM_RE = re.compile(rf"({NAME_RE.pattern})[ \t]*\(([A-Z][A-Z&.]{{1,7}})\)")
_ACRONYM_WORD_RE = re.compile(r"(?:[A-Z]\.){2,7}|[A-Z]{2,7}")
#: A name of two or more capitalised words, with the small words names keep inside them.
_SPELLED_NAME_RE = re.compile(r"[A-Z][a-z]+(?:[ \t]+(?:(?:of|and|for|to|the|on|&)[ \t]+)*[A-Z][a-z]+)+")
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
#: Sentences a pronoun looks back for the subject that opens one (the centre of attention): its
#: own and the one before it (two: a story's main person won, 0.8269 against 0.8282 on dev).
_CENTER_BACK = 1
#: A name coordinated with another after it: "Obama and Clinton", "Mr. Obama and Hillary Clinton".
_AND_NAME_RE = re.compile(r"[ \t]+(?:and|&)[ \t]+[A-Z]")
_PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

_ROLE_APPOS_RE = re.compile(rf"[ \t]*({APPOS})")
_SUBJ_OF_VERB_RE = re.compile(rf"(?:{APPOS})?[ \t]+(?:{ADVB}[ \t]+){{0,2}}(?:{VERB_ALT})\b")
#: A personal pronoun within four lower-case words after a name: "says he", "allowed her staff".
_PRONOUN_AFTER_RE = re.compile(r"(?:['’]s)?(?:[ \t]+[a-z][\w-]*){0,3}?[ \t]+(he|she|his|her|him)\b")
_PRONOUN_EVENT_RE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er|[Hh]ers)\b")
_ROLE_SET = frozenset(ROLE_NOUNS)
_NAME_GLUE = frozenset({"of", "for", "and", "the", "de", "on"})  # "Association of Manufacturers"
_PARTICLES = frozenset(NAME_PARTICLES)
_PREPOSITIONS = frozenset("for of at from in by with on to".split())
#: Any preposition: a name after one is no subject ("Campaigning against Mitt Romney, he").
_ANY_PREPOSITION = _PREPOSITIONS | _PLACE_PREPS | frozenset("""about above after against along amid among
    before behind below beneath beside besides between beyond despite during except like near onto over past
    per since than through throughout till under underneath unlike until upon versus with within without""".split())
#: A name coordinated with one after a preposition: "between Trump and" (Zelenskiy).
_AFTER_PREPOSITION_AND_RE = re.compile(
    rf"\b(?i:{'|'.join(sorted(_ANY_PREPOSITION))})[ \t]+(?:[A-Z][\w.'’-]*[ \t]+){{1,4}}(?:and|or|&)[ \t]+$")
_DETERMINERS = frozenset("the a an".split())
#: A definite description ("the campaigner") with no entity of that role is the most salient
#: person mentioned at most this many characters before it.
_DESCRIPTION_REACH = 250
#: "The poll" is the named poll at most this many characters before it.
_DOCUMENT_REACH = 1000
#: A plural common noun: "critics", "environmentalists" (its singular in group 1).
_PEOPLE_PLURAL_RE = re.compile(r"(?<![\w’'-])([a-z]+)s\b")
#: People nouns beyond the role nouns that a "they" may refer back to.
_PEOPLE_NOUNS = frozenset("""environmentalist voter insider contestant protester protestor demonstrator
    citizen neighbor neighbour parent student teacher farmer immigrant migrant scientist doctor""".split())
#: Sentence ends: a full stop, ! or ? before a capital (not after an initial or "Mr."), or a line break.
_SENTENCE_END_RE = re.compile(
    r"(?<!\b[A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\b(?:Dr|Lt|St|Jr|Sr))(?<!\b(?:Sen|Rep|Gov|Gen))"
    r"[.!?][\"”’']?[ \t]+(?=[\"“‘]?[A-Z])|\n\s*")
#: Lappin and Leass's salience weights: every mention, a subject, a head noun (not a possessive
#: or a modifier of another name) and a noun outside a prepositional phrase.
_SALIENCE_MENTION, _SALIENCE_SUBJECT, _SALIENCE_HEAD, _SALIENCE_NON_ADVERBIAL = 100, 80, 80, 50
#: "Trump campaign spokesman Jason Miller": "Trump" only modifies the name that follows.
_MODIFIER_OF_NAME_RE = re.compile(rf"['’]|[ \t]+(?:[a-z][\w-]*[ \t]+){{0,2}}?(?:{'|'.join(sorted(ROLE_NOUNS))})[ \t]+[A-Z]")
#: Words after a name that do not make it a noun's modifier ("FBI said", "TV and radio").
_NOT_MODIFIED = frozenset("""is was are were be been has have had will would could can may might must should shall
    did does do also and or but nor to of in on at for with by as from that who which whom not never than
    then there said says say told tells asked alone itself
    leadership staff team caucus delegation establishment majority minority""".split())  # "GOP leadership ... they"
#: The next word after a name: "reality TV boss", "references FBI criticism of".
_NEXT_WORD_RE = re.compile(r"[ \t]+([a-z][a-z-]*)\b")


def _modifies_noun(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` only modifies a common noun that follows ("a reality TV
    boss", "FBI criticism"): the next word is lower-case and reads as a noun, not a verb or a
    function word ("FBI said", "the FBI has", "FBI agents" and "FBI says" are not told apart, so
    a word in -s other than -ss is taken as a verb)."""
    m = _NEXT_WORD_RE.match(text, end)
    if m is None:
        return False
    w = m.group(1)
    return w not in _NOT_MODIFIED and not w.endswith(("ed", "ly", "ing")) and not (w.endswith("s") and not w.endswith("ss"))


#: A subject after its reporting verb: "..., noted NBC's Dante Chinni", "said Sen. Tim Kaine".
_INVERTED_SUBJECT_RE = re.compile(rf"[,”\"'’][ \t]*(?:{VERB_ALT})[ \t]+(?:(?:[A-Z][\w.&-]*(?:['’]s)?|{'|'.join(sorted(ROLE_NOUNS))})[ \t]+){{0,3}}$")
#: A closing author's note: "Charlotte Meehan is playwright-in-residence at Wheaton College."
_AUTHOR_NOTE_RE = re.compile(r"([A-Z][\w’'.-]+(?:[ \t]+[A-Z][\w’'.-]+){1,3})(?:,[^,]{1,60},)?[ \t]+(?:is|was|writes)\b")
#: Roles that speak for someone else: "the spokeswoman" is not the person just mentioned.
_PROXY_ROLES = frozenset("""spokesman spokeswoman spokesperson official aide adviser advisor
    representative lawyer attorney source""".split())


@dataclass
class _Entity:
    """A person or organisation seen in the document."""

    name: str  # canonical name
    is_org: bool
    gender: str | None = None  # "m" | "f" | None
    roles: set[str] = field(default_factory=set)
    last_seen: int = -1  # position of the latest mention outside direct quotes
    #: the same, of a mention that is not a modifier of a common noun ("FBI criticism")
    last_head: int = -1
    #: Reads as a person, so "he"/"she" may refer to it: a title or role apposition, a known
    #: gender, a given name first, or one word that speaks ("Marine One", "Easter Island" are not).
    personal: bool = False
    #: The gender its given name suggests (gender-guesser): "Chris" is likely a man, and a
    #: "she" prefers someone else, but the text may say otherwise ("Sam Porter ... She said").
    likely_gender: str | None = None
    #: Salience (Lappin & Leass 1994): the weights of its mentions, halved with every sentence
    #: since; ``salience_at`` is the sentence the value was last brought up to.
    salience: float = 0.0
    salience_at: int = 0


def _tokens(mention: str) -> list[str]:
    return mention.split()


def _is_lead(token: str) -> bool:
    """A capitalised word that opens a clause and is never part of a name ("Regarding")."""
    return token[:1].isupper() and token.lower().strip(",") in _NOT_NAME_LEADS


def _skip_leads(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` past leading clause openers: "Regarding Russia" -> "Russia"."""
    for tok in re.finditer(r"\S+", text[start:end]):
        if not _is_lead(tok.group()):
            return start + tok.start(), end
    return end, end


def _strip_titles(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split leading titles/nationalities from the name proper."""
    i = 0
    while i < len(tokens) and (tokens[i].lower() in TITLES or tokens[i].lower() in NATIONALITIES):
        i += 1
    return tokens[:i], tokens[i:]


def _is_org(tokens: list[str]) -> bool:
    return any(t.lower().strip(".,") in ORG_WORDS for t in tokens) or (
        len(tokens) == 1 and tokens[0].isupper() and 2 <= len(tokens[0]) <= 6
        and tokens[0].lower() not in TITLES)


def _org_name(mention: str) -> str:
    return re.sub(r"^(?:[Tt]he)\s+", "", mention)


_GENDER_DETECTOR = None


def first_name_gender(token: str) -> str | None:
    """``"m"``, ``"f"`` or ``"?"`` (a given name of either gender) for a known given name, else
    ``None``.  The project's short lists decide first (US news usage: "Bernie" is a man); then
    gender-guesser's dictionary of about 40,000 given names from many countries."""
    global _GENDER_DETECTOR
    low = token.lower().strip(".,")
    if low in _MALE_FIRST:
        return "m"
    if low in _FEMALE_FIRST:
        return "f"
    if not token[:1].isupper() or len(low) < 2 or not low.isalpha():
        return None
    if _GENDER_DETECTOR is None:
        import gender_guesser.detector

        _GENDER_DETECTOR = gender_guesser.detector.Detector(case_sensitive=False)
    guess = _GENDER_DETECTOR.get_gender(low.capitalize())
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f", "andy": "?"}.get(guess)


def gender_of(words: list[str], core: list[str]) -> str | None:
    low = {w.lower().strip(",.") for w in words} | {w.lower() for w in words}
    if low & _FEMALE_WORDS:
        return "f"
    if low & _MALE_WORDS:
        return "m"
    if len(core) >= 2:
        first = core[0].lower()
        if first in _FEMALE_FIRST:
            return "f"
        if first in _MALE_FIRST:
            return "m"
    return None


@dataclass
class _Occ:
    """One capitalised-name occurrence in the text."""

    start: int
    end: int
    core: tuple[str, ...]
    titles: list[str]
    appos: str
    is_org: bool
    evidence: bool  # title, role apposition or subject of a reporting verb


_NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve twenty
    dozens hundreds thousands""".split())
_DETERMINER_WORDS = frozenset("some others many most several few all both each video".split())
_SMALL_WORDS = frozenset("""a an the and or but of for to in on at by with from as is are be vs v via
    up out off over into onto than that this it its not no nor so if""".split())
#: A person's name proper has at most this many words ("Ildefonso Guajardo Villarreal", "Martin
#: Luther King Jr."); a longer capitalised run is a headline or a title of a work.
_MAX_NAME_WORDS = 4


def headline_spans(text: str) -> list[tuple[int, int]]:
    """Lines written as headlines: title case ("Obama Calls On Men To Reflect On Sexism") or
    capitals.  Their capitalised runs are not names ("Daughter Of Eric Garner Blasts Clinton")."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", m.group()) if w.lower() not in _SMALL_WORDS]
        if len(words) < 3:
            continue
        capitalised = sum(w[:1].isupper() for w in words)
        if capitalised >= 0.8 * len(words) and capitalised >= 3:
            spans.append((m.start(), m.end()))
    return spans


def _spelled_out_acronyms(text: str) -> dict[str, str]:
    """Acronyms (without dots) of the names spelled out in ``text``: "SEC" for "Securities and
    Exchange Commission", "RT" for "Russia Today"; an acronym two names share is left out."""
    found: dict[str, set[str]] = {}
    for m in _SPELLED_NAME_RE.finditer(text):
        words = m.group().split()
        for i in range(len(words)):  # "The Securities and ...": also without leading words
            if words[i][:1].isupper() and words[i] != "The":
                name = " ".join(words[i:])
                initials = "".join(w[0] for w in words[i:] if w[:1].isupper())
                if len(initials) >= 2:
                    found.setdefault(initials, set()).add(name)
    return {a: names.pop() for a, names in found.items() if len(names) == 1}


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


#: What an organisation's name may run on with: "of Flight Attendants", "for the Sixth Circuit".
_ORG_NAME_TAIL_RE = re.compile(rf"[ \t]+(?:of|for)[ \t]+(?:(?:the|a)[ \t]+)?{NAME_RE.pattern}")


def _org_name_end(text: str, end: int) -> int:
    """Where an organisation's name ending at ``end`` with its head noun ends, with the
    "of"/"for" phrases it runs on with ("U.S. Court of Appeals for the Sixth Circuit")."""
    while (tail := _ORG_NAME_TAIL_RE.match(text, end)) is not None:
        end = tail.end()
    return end


def _occurrences(text: str, mention_spans: set[tuple[int, int]]) -> list[_Occ]:
    """All name occurrences with the evidence that they are persons or organisations."""
    occs: list[_Occ] = []
    headlines = headline_spans(text)
    covered = 0  # the end of an organisation's name that runs over "of" ("Bank of England")
    for m in NAME_RE.finditer(text):
        if _in_spans(m.start(), headlines) or m.start() < covered:
            continue  # a headline's words are not names, and never a person's fullest form
        span = trim_mention(text, m.start(), m.end())
        if span is None:
            continue
        s, e = _skip_leads(text, *span)
        if s >= e:
            continue
        if re.fullmatch(r"(?i)he|she|they|we|i|it", text[s:e]):
            continue  # a sentence-initial pronoun, not a name
        toks = _tokens(text[s:e])
        titled = _split_capitalised_title(toks)  # "House Speaker Nancy Pelosi": a person
        titles, core = titled if titled is not None else _strip_titles(toks)
        if not core:
            continue
        is_org = _is_org(core if titled is not None else toks)
        if is_org and toks[-1].lower() in ORG_WORDS:  # "Association of Flight Attendants"
            e = covered = _org_name_end(text, e)
        ap = _ROLE_APPOS_RE.match(text, e, min(len(text), e + 100))
        appos = ""
        if ap and (set(re.findall(r"[a-z]+", ap.group(1).lower())) & (_ROLE_SET | _MALE_WORDS | _FEMALE_WORDS)
                   or re.match(r",[ \t]*who\b", ap.group(1))):
            appos = ap.group(1)
        subj = bool(_SUBJ_OF_VERB_RE.match(text, e, min(len(text), e + 120)))
        # "climate envoy Ngozi Eze", "the Latvian journalist Dainis Ivans": a role just before.
        # (only words right before the name: "The president's Pacific roots" is no person)
        before = re.fullmatch(r"(?:.*?[ \t])?((?:[a-z]+,?[ \t]+){1,2})", text[max(0, s - 40):s], re.S)
        before = before.group(1).replace(",", " ").split() if before else []
        if not titled and not titles and set(before) & (_ROLE_SET | _PERSON_ROLES):
            titles = [w for w in before if w in _ROLE_SET | _PERSON_ROLES]
        prev_word = re.search(r"(\w+)[ \t]*$", text[max(0, s - 20):s])
        # ("comes to Hillary Clinton's health": the preposition's object is what she owns)
        after_place = bool(prev_word and prev_word.group(1).lower() in _PLACE_PREPS) \
            and not re.match(r"['’]s\b", text[e:e + 3])
        if not titles and not titled and not is_org and prev_word and prev_word.group(1) in ("the", "The") \
                and not re.match(r"[ \t]+[a-z]", text[e:e + 2]):
            continue  # "in the Marshall Islands, ...": a place, not a person ("the Durham probe" names him)
        if not is_org and len(core) >= 3 and first_name_gender(core[0]) is None \
                and first_name_gender(core[1]) is not None:
            core = core[1:]  # "Miss Universe Alicia Machado", "Rival Hillary Clinton": the name
        if not is_org and core[-1].lower() in _PARTIES:
            continue  # "the Kent County Republican headquarters": a party adjective ends no name
        if not is_org and len([t for t in core if t not in _PARTICLES]) > _MAX_NAME_WORDS:
            continue  # "Republican Senators Warn Trump Mexico Tariff Gambit": not a name
        # Two capitalised words with nothing else to go on are a person when the first is a
        # given name ("Alicia Machado"), not "Pacific Ocean" or "Washington Monument".
        evidence = bool(titles) or bool(appos) or subj or (s, e) in mention_spans or (
            len(core) >= 2 and not after_place and first_name_gender(core[0]) is not None)
        occs.append(_Occ(s, e, tuple(core), titles, appos, is_org, evidence))
    return occs


_PARTIES = {"democratic": "d", "democrat": "d", "democrats": "d", "republican": "r", "gop": "r",
            "republicans": "r"}


def _party(words) -> str | None:
    """"d" or "r" when the words name one US party ("the Democratic nominee"), else None."""
    found = {_PARTIES[w] for w in words if w in _PARTIES}
    return found.pop() if len(found) == 1 else None


def _description_head(mention: str) -> str | None:
    """Head noun of "the Chinese foreign minister" / "a spokeswoman for the ministry" /
    "the union leader": the last role noun before any preposition."""
    words = re.findall(r"[\w’'-]+", mention.lower())
    head = None
    for w in words[1:]:
        if w in _PREPOSITIONS:
            break
        for cand in (w, w[:-1] if w.endswith("s") else w):
            if cand in _ROLE_SET:
                head = cand
                break
    return head


def _last_noun(mention: str) -> str | None:
    """``the businessman`` -> ``businessman``: the last lower-case word before a preposition."""
    words = []
    for w in re.findall(r"[\w’'-]+", mention)[1:]:
        if w.lower() in _PREPOSITIONS:
            break
        words.append(w)
    return words[-1] if words and words[-1].islower() else None


#: One role written another way: "Sen. Tim Kaine" is "the senator", "Justice Frank Nervo" "the judge".
_ROLE_FORMS = {"sen.": "senator", "gov.": "governor", "rep.": "representative", "congressman": "representative",
               "congresswoman": "representative", "justice": "judge", "gen.": "general", "prof.": "professor",
               "del.": "delegate"}


def _role_words(mention: str, head: str) -> frozenset[str]:
    """The role a description names, as :data:`_ROLE_FORMS` writes it: its head and the title
    words that follow it ("the state attorney general" -> attorney, general; a "City Attorney" is
    not that)."""
    words = re.findall(r"[\w.’'-]+", mention.lower())
    role = {_ROLE_FORMS.get(head, head)}
    if head in words:
        for w in words[words.index(head) + 1:]:
            if w in _PREPOSITIONS or w not in TITLES:
                break
            role.add(_ROLE_FORMS.get(w, w))
    return frozenset(role)


def _holds(roles, role: frozenset[str]) -> bool:
    """Whether a person with title and apposition words ``roles`` holds ``role``."""
    return role <= {_ROLE_FORMS.get(r, r) for r in roles}


def _title_words(o: _Occ) -> list[str]:
    """The words an occurrence is titled with, before it and in its apposition ("Justice",
    "the appeals court judge")."""
    return list(o.titles) + re.findall(r"[\w.]+", o.appos)


def _names_a_person(head: str) -> bool:
    """Whether "the <head>" can be a re-mention of a named person ("the campaigner", not
    "the secretariat", and not "the spokeswoman", who speaks for someone else)."""
    person = head in _ROLE_SET or head in TITLES or head in _PERSON_ROLES or head in _MALE_WORDS \
        or head in _FEMALE_WORDS  # "the Republican nominee", "the New York businessman"
    return person and head not in ORG_WORDS and head not in _ORG_HEADS and head not in _PROXY_ROLES


def _split_role_prefix(toks: list[str]) -> tuple[list[str], list[str]] | None:
    """``County engineer Tomas Lindqvist`` -> (``County engineer``, ``Tomas Lindqvist``).

    The name proper is what follows the last lower-case word.  ``None`` when the mention does
    not end in a name, or the name only qualifies a description (``analysts at Crestline
    Bank``, ``a spokesman for the line Nordholm``): then it is not the speaker's name.
    """
    def inside_name(i: int) -> bool:  # "Association of Manufacturers", "Ursula von der Leyen"
        if toks[i] in _PARTICLES:
            return True
        return toks[i] in _NAME_GLUE and 0 < i < len(toks) - 1 and toks[i - 1][:1].isupper() \
            and toks[i + 1][:1].isupper()

    lower = [i for i, t in enumerate(toks) if t[:1].islower() and not inside_name(i)]
    if not lower:
        return [], toks
    last = lower[-1]
    # "the former presidential candidate Mitt Romney": a determiner that opens the role is fine.
    inner = lower[1:] if lower[0] == 0 and toks[0].lower() in _DETERMINERS else lower
    if last == len(toks) - 1:
        return None
    # "chief of staff Marc Short", "Speaker of the House Nancy Pelosi": a title with "of" is one title
    of_title = [i for i in inner if toks[i] == "of" and i > 0 and toks[i - 1].lower() in _TITLE_ENDS]
    if any((toks[i] in _PREPOSITIONS or toks[i] in _DETERMINERS) and not (of_title and i > of_title[0])
           and i not in of_title for i in inner):
        return None
    name = toks[last + 1:]
    if of_title:  # "... of the House Nancy Pelosi": the name opens at its given name
        given = next((k for k, t in enumerate(name) if first_name_gender(t) is not None), None)
        if given is None or len(name) - given < 2:
            return None
        return toks[:last + 1 + given], name[given:]
    return toks[:last + 1], name


#: Capitalised words that end a title in front of a name in US news, beyond :data:`TITLES`:
#: "House Speaker", "Senate Majority Leader", "U.S. District Judge", "Democrat".
#: Titles that are also surnames or name words ("Martin Luther King Jr.") are left out.
_TITLE_ENDS = (TITLES - frozenset("king queen prince princess lord lady dame sir pope bishop coach captain nurse "
                                  "engineer".split())) | frozenset(
    """speaker whip majority minority chair chairs inspector counsel democrat republican administrator
    adviser advisor aide""".split())
#: Titles that name a person by one word after them ("Speaker Pelosi", "President Trump"); after
#: other title words ("Justice", "Health", "Republican") one word is more often a name's end.
_ONE_WORD_TITLES = frozenset("""president speaker sen. senator rep. representative gov. governor mayor
    judge secretary chairman chairwoman chair leader whip minister premier chancellor ambassador general
    gen. director commissioner counsel dr. mr. mrs. ms. mr mrs ms""".split())
_NAME_SUFFIXES = frozenset("jr. jr sr. sr ii iii iv".split())
#: Honorifics: the word after one is a name even when it is also a title ("Mr. King").
_HONORIFICS = frozenset("mr. mr mrs. mrs ms. ms miss dr. dr".split())
#: Title words that also open company names ("General Motors", "Director Films").
_ALSO_NAME_WORDS = frozenset("general gen. director chair leader counsel secretary".split())


def _split_capitalised_title(toks: list[str]) -> tuple[list[str], list[str]] | None:
    """``House Speaker Nancy Pelosi`` -> (``House Speaker``, ``Nancy Pelosi``).

    The name is what follows the last title word, when that is one to four capitalised words
    that are neither titles nor organisation words; ``None`` otherwise ("Justice Department",
    "Secretary of State", "Colorado Gov." with no name after it).
    """
    ends = [i for i, t in enumerate(toks[:-1]) if t.lower() in _TITLE_ENDS or t.lower().strip(".,") in _TITLE_ENDS]
    if not ends:
        return None
    name = toks[ends[-1] + 1:]
    if ends[-1] == 0 and len(name) < 2 and toks[0].lower() not in _ONE_WORD_TITLES - _ALSO_NAME_WORDS:
        return None  # "General Motors", "Vice Media": a name, not a title
    if len(name) == 1 and (toks[ends[-1]].lower() not in _ONE_WORD_TITLES or name[0].lower() in _NAME_SUFFIXES):
        return None  # "Voting Rights Act", "King Jr."
    if not 1 <= len(name) <= 4 or not all(
            (t[:1].isupper() or t in _PARTICLES) and t.lower().strip(".,") not in ORG_WORDS for t in name):
        return None
    return toks[:ends[-1] + 1], name


def _person_of_organisation(toks: list[str]) -> list[str] | None:
    """``Economist Peter Novak of Crestline Bank`` -> ``Economist Peter Novak``.

    A titled person or a given name and surname followed by "of"/"at" and a proper name is that person;
    ``None`` when the mention is not of that shape ("Bank of England", "Secretary of State").
    """
    for i, tok in enumerate(toks):
        if tok in ("of", "at") and 0 < i < len(toks) - 1:
            head, tail = toks[:i], [t for t in toks[i + 1:] if t != "the"]
            titles, core = _strip_titles(head)
            # The tail may be any proper name: "Mr. Morgan of the Sierra Club", "Sen. Lamar
            # Alexander of Tennessee"; the head must read as a person (a title or a given name).
            person = titles or (len(core) >= 2 and first_name_gender(core[0]) is not None)
            proper = tail and (_is_org(tail) or all(t[:1].isupper() or t in _NAME_GLUE for t in tail))
            if core and person and not _is_org(head) and proper \
                    and all(t[:1].isupper() for t in core):
                return head
            return None
    return None


def _described_body(toks: list[str]) -> bool:
    """Whether a mention is a body's name of two or more words after "the" and lower-case words
    that describe it ("the nonpartisan Congressional Budget Office", "the conservative Heritage
    Foundation"): the body, not a description whose head is its last word ("the agency")."""
    split = _split_role_prefix(toks)
    if split is None or toks[0].lower() != "the":
        return False
    name = split[1]
    return len(name) >= 2 and _is_org(name) and name[0].lower() not in TITLES \
        and all(t[:1].isupper() or t in _NAME_GLUE for t in name)


def _name_lead(toks: list[str]) -> list[str]:
    """Capitalised words before a person's name that are no part of it: an owner's possessive
    ("Gallup's Jeffrey M. Jones", "Ohio's Gov. Ada Lind"), then one word that is no given name
    before one that is, opening a name of two or more words ("Comedian Sarah Silverman", "Sheriff
    Joe Arpaio"), as for names found in the text; ``[]`` when there are none."""
    lead = []
    owner = next((i for i, t in enumerate(toks) if re.search(r"\w['’]s$", t)), None)
    if owner is not None and len(toks) - owner >= 3 and all(t[:1].isupper() for t in toks):
        lead, toks = toks[:owner + 1], toks[owner + 1:]
    if len(toks) >= 3 and toks[0][:1].isupper() and toks[0].lower() not in TITLES | NATIONALITIES \
            and not re.search(r"['’]", toks[0]) and first_name_gender(toks[0]) is None \
            and first_name_gender(toks[1]) in ("m", "f") and all(t[:1].isupper() for t in toks[1:]) \
            and not _is_org(toks) and toks[-1].lower() not in _PARTIES:  # (not "New York Democrat")
        lead.append(toks[0])
    return lead


def _one_person_word(word: str) -> bool:
    """Whether a headline's last word may stand for one person ("General", "Mom"), not a group
    ("Senators", "Republicans") or an abbreviated body ("Dept.")."""
    low = word.lower()
    return low not in _PARTIES and not low.endswith((".", "s"))


class _Resolver:
    """Walks the document in order, tracking the most recent compatible entities."""

    def __init__(self, text: str, quotes: list[QuoteSpan]) -> None:
        self.text = text
        self.direct = sorted((q.start, q.end) for q in quotes if q.kind == "direct")
        self.direct_starts = [a for a, _ in self.direct]
        self.mention_starts = {q.speaker_start for q in quotes if q.speaker_start is not None}
        self.sentence_starts = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
        #: the entity that opens each sentence as its subject (outside direct quotes), by sentence
        self.subject_of: dict[int, _Entity] = {}
        #: sentences whose subject is a person coordinated with another ("Obama and Clinton did")
        self.coordinated: set[int] = set()
        spans = {(q.speaker_start, q.speaker_end) for q in quotes if q.speaker_start is not None}
        occs = _occurrences(text, spans)
        self.headlines = headline_spans(text)
        self.entities: dict[str, _Entity] = {}
        self._bodies: set[str] | None = None
        self._fuller: set[str] | None = None
        persons = [o for o in occs if not o.is_org and o.evidence]
        self.full_names = {o.core for o in persons if len(o.core) >= 2}
        self.formal = _formal_names(self.full_names)
        #: given name and surname after a place preposition ("apologized to Hillary Clinton"): no
        #: evidence of a person alone, but the fullest form of a bare surname no full name fits
        self.weak_full = {o.core for o in occs if not o.is_org and not o.evidence and len(o.core) == 2
                          and first_name_gender(o.core[0]) in ("m", "f")}
        # Occurrences that count: organisations, evidenced persons, and bare
        # tokens that are a variant of an evidenced full name ("Han").
        self.occs: list[_Occ] = []
        # "The National Health Agency (NHA)": later "the NHA" is the same organisation.
        # "The Securities and Exchange Commission ... the S.E.C.": the initials of a name spelled
        # out in the text.
        self.acronyms = _spelled_out_acronyms(text)
        # (no-break spaces too; "When the poll", "In this poll", "Monday's lawsuit" name no author)
        self.documents = [d for d in _NAMED_DOCUMENT_RE.finditer(text.translate(_SPACES))
                          if not _is_lead(first := (d.group("name") or d.group("name2")).split()[0])
                          and first.lower() not in _LEADING_NOT_NAME]
        self.acronyms.update({m.group(2).replace(".", ""): _org_name(m.group(1)) for m in _ACRONYM_RE.finditer(text)
                              if _is_org(_tokens(m.group(1)))})
        for o in occs:
            if o.is_org:
                name = self._org_key(o)
                self.entities.setdefault(name, _Entity(name, True))
                self.occs.append(o)
            elif o.evidence or self._full_for(o.core, o.start, peek=True):
                self.occs.append(o)  # a person; its cluster is chosen during the walk

    # -- name clustering ---------------------------------------------------
    def _full_for(self, core: tuple[str, ...], pos: int, peek: bool = False,
                  gender: str | None = None) -> tuple[str, ...] | None:
        """The fullest known name that ``core`` is a variant of (of ``gender`` when it is known:
        "Mrs. Clinton" is not Bill Clinton)."""
        cands = []
        for f in self.full_names:
            if len(f) < len(core):
                continue
            known = self.entities.get(" ".join(f))  # (its titles' or pronouns' gender: "Ms. Ada Okoye")
            if gender and len(core) == 1 and (gender_of([], list(f)) or (known.gender if known else None)) \
                    not in (None, gender):
                continue
            if len(core) == 1 and core[0] in (f[0], f[-1]):
                cands.append(f)
            elif any(f[i:i + len(core)] == core for i in range(len(f) - len(core) + 1)):
                cands.append(f)
        if not cands and len(core) == 1 and len(core[0]) >= 6:
            # "Scheiderman" for Eric Schneiderman: a surname misspelt by one letter or so
            surnames = sorted({f[-1] for f in self.full_names if f[-1][:1] == core[0][:1]})
            close = difflib.get_close_matches(core[0], surnames, n=2, cutoff=0.85)
            if len(close) == 1:
                cands = [f for f in self.full_names if f[-1] == close[0]]
        if not cands and not peek and len(core) == 1:
            weak = [f for f in self.weak_full if f[-1] == core[0]]
            cands = weak if len(weak) == 1 else []
        if not cands:
            return None
        if peek:
            return cands[0]
        longest = max(len(c) for c in cands)
        cands = [c for c in cands if len(c) == longest]

        def salience(c: tuple[str, ...]) -> tuple[float, int, str]:
            ent = self.entities.get(" ".join(c))
            seen = ent is not None and 0 <= ent.last_seen <= pos
            return (self._salience(ent, pos) if seen else 0.0, ent.last_seen if seen else -1, " ".join(c))

        return max(cands, key=salience)

    def _person(self, o: _Occ) -> _Entity:
        gender = gender_of(o.titles, []) or (self._pronoun_after(o.end) if len(o.core) == 1 else None)
        full = self._full_for(o.core, o.start, gender=gender) or o.core
        full = self.formal.get(full, full)  # "Bobby Scott" -> "Robert C. Scott"
        name = " ".join(full)
        ent = self.entities.setdefault(name, _Entity(name, False))
        words = o.titles + re.findall(r"[\w.]+", o.appos)
        ent.roles |= {w.lower() for w in words}
        ent.gender = ent.gender or gender_of(words, list(full))
        given = first_name_gender(full[0]) if len(full) >= 2 else None  # gender-guesser's names
        ent.likely_gender = ent.likely_gender or (given if given in ("m", "f") else None)
        ent.personal = ent.personal or bool(words) or ent.gender is not None or (
            first_name_gender(full[0]) is not None if len(full) >= 2 else o.evidence)
        return ent

    def _pronoun_after(self, end: int) -> str | None:
        """The gender of a personal pronoun a few words after a bare surname, with no capitalised
        word between ("Trump says he would", "Clinton allowed her staff"): which of two people of
        that surname ("Ivanka Trump", "Bill Clinton") the text means."""
        m = _PRONOUN_AFTER_RE.match(self.text, end)
        return _PERSON_PRONOUNS[m.group(1).lower()] if m else None

    # -- salience ------------------------------------------------------------
    def _sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos)

    def _salience(self, ent: _Entity, pos: int) -> float:
        return ent.salience * 0.5 ** (self._sentence(pos) - ent.salience_at)

    def _adverbial(self, pos: int, preps: frozenset[str] = _PREPOSITIONS | _PLACE_PREPS) -> bool:
        """Whether the mention at ``pos`` follows a preposition ("in Ohio", "against Romney")."""
        prev = self.text[max(0, pos - 20):pos].split()
        return bool(prev) and prev[-1].lower() in preps

    def _add_salience(self, ent: _Entity, pos: int, subject: bool, head: bool = True) -> None:
        adverbial = self._adverbial(pos)
        weight = _SALIENCE_MENTION + _SALIENCE_SUBJECT * subject + _SALIENCE_HEAD * head \
            + _SALIENCE_NON_ADVERBIAL * (not adverbial)
        ent.salience = self._salience(ent, pos) + weight
        ent.salience_at = self._sentence(pos)

    def _quoted(self, pos: int) -> bool:
        """Whether ``pos`` stands inside quotation marks in its paragraph (of any quote span kind)."""
        para = self.text[self.text.rfind("\n", 0, pos) + 1:pos]
        return para.count("“") > para.count("”") or para.count('"') % 2 == 1 or para.count("''") % 2 == 1

    def _in_direct(self, pos: int) -> bool:
        k = bisect.bisect_right(self.direct_starts, pos) - 1
        return k >= 0 and pos < self.direct[k][1]

    # -- resolution --------------------------------------------------------
    def _recent(self, pred, before: int) -> _Entity | None:
        best = None
        for ent in self.entities.values():
            if 0 <= ent.last_seen <= before and pred(ent) and (best is None or ent.last_seen > best.last_seen):
                best = ent
        return best

    def _resolve_pronoun(self, word: str, pos: int) -> _Entity | None:
        w = word.lower()
        if w in ("i", "we") and not self._in_direct(pos):
            # "I"/"we" in the narration is the writer (or the editorial board), not the last-named
            return self._author() if w == "i" else None
        if w == "they":  # "Obama and Clinton did not react. They have ...": the first named
            sentence = self._previous_subject_sentence(pos)
            if sentence in self.coordinated:
                return self.subject_of[sentence]
        w = {"their": "they", "its": "it"}.get(w, w)
        if w in ("they", "we", "it"):  # not an organisation named only as a modifier ("FBI criticism")
            # (one named only so is taken when the text has no other)
            orgs = [e for e in self.entities.values() if e.is_org and 0 <= e.last_head <= pos]
            org = max(orgs, key=lambda e: e.last_head) if orgs else self._recent(lambda e: e.is_org, pos)
            if w == "they" and org is not None and self._people_noun_after(max(org.last_head, org.last_seen), pos):
                return None  # "... environmentalists worry ... , they say": the people, not a body
            return org
        gender = _PERSON_PRONOUNS.get(w)
        if w in ("he", "she"):
            ent = self._center(pos, gender)
        else:
            ent = None
        if ent is None:
            best = None
            for e in self.entities.values():
                if not e.is_org and e.personal and 0 <= e.last_seen <= pos and (gender is None or e.gender in (None, gender)):
                    likely = gender is None or e.likely_gender in (None, gender)
                    key = (self._salience(e, pos) * (1.0 if likely else 0.1), e.last_seen)
                    if best is None or key > best[0]:
                        best = (key, e)
            ent = best[1] if best else None
        if ent is not None and gender and ent.gender is None:
            ent.gender = gender  # learn from pronoun use
        return ent

    def _previous_subject_sentence(self, pos: int) -> int | None:
        """The sentence of ``pos`` when a subject opens it before ``pos``, else the sentence before
        when one opens that (sentences inside a direct quote skipped)."""
        sentence = self._sentence(pos)
        back = 0
        while sentence >= 0 and back <= _CENTER_BACK:
            if sentence in self.subject_of:
                return sentence
            start = self.sentence_starts[sentence - 1] if sentence >= 1 else 0
            if not self._in_direct(start) or sentence == self._sentence(pos):
                back += 1
            sentence -= 1
        return None

    def _center(self, pos: int, gender: str | None) -> _Entity | None:
        """The subject that opens the sentence of ``pos`` before it, else the one of the sentence
        before (sentences inside a direct quote skipped), when a person of ``gender``."""
        sentence = self._previous_subject_sentence(pos)
        if sentence is None:
            return None
        ent = self.subject_of[sentence]
        if ent.is_org or not ent.personal or ent.likely_gender not in (None, gender) or not (
                ent.gender == gender or (ent.gender is None and ent.likely_gender == gender)):
            return None
        return ent

    def _people_noun_after(self, start: int, pos: int) -> bool:
        """Whether a plural noun for people ("environmentalists", "insiders") comes in the sentence
        of ``pos`` or the one before it (outside quotes), and the body last named at ``start``
        is named before them."""
        sentence = self._sentence(pos)
        begin = self.sentence_starts[sentence - 2] if sentence >= 2 else 0
        if start >= begin:
            return False  # the body is named in these sentences too
        for m in _PEOPLE_PLURAL_RE.finditer(self.text, begin, pos):
            if not self._in_direct(m.start()) and (m.group(1) in _ROLE_SET or m.group(1) in _PERSON_ROLES
                                                   or m.group(1) in _PEOPLE_NOUNS):
                return True
        return False

    def _author(self) -> _Entity | None:
        """The writer of a first-person piece, when its closing author's note names them
        ("Charlotte Meehan is playwright-in-residence at ..."); ``None`` otherwise."""
        last = self.text.rstrip().rsplit("\n", 1)[-1].strip()
        m = _AUTHOR_NOTE_RE.match(last)
        if m is None or first_name_gender(m.group(1).split()[0]) is None:
            return None
        name = m.group(1)
        return self.entities.setdefault(name, _Entity(name, False, personal=True))

    def _resolve_description(self, mention: str, pos: int) -> _Entity | None:
        head = _description_head(mention) or _last_noun(mention)
        if head is None or head in ("statement", "report", "source"):
            return None
        def org_ok(e: _Entity) -> bool:
            low = e.name.lower()
            if head in ("company", "firm"):
                return e.is_org and (head in low or any(t.lower() in _CORPORATE for t in e.name.split()))
            if e.is_org and head in _HEAD_KINDS and re.search(rf"\b{head}\b", mention.lower()) and any(w in _HEAD_KINDS[head] for w in low.split()):
                return True  # "the union": "United Mine Workers of America"
            return e.is_org and re.search(rf"\b{re.escape(head)}\b", low) is not None
        if head in _ORG_HEADS or head in _HEAD_KINDS:
            return self._recent(org_ok, pos)
        if not _names_a_person(head) and head not in _PROXY_ROLES and mention.split()[0].lower() == "the":
            # "the commission", "the appeals court", "the campaign": the body whose name has that
            # word as its head ("Commission on Presidential Debates", "Trump campaign"; not "House
            # Intelligence Committee" for "the intelligence"); "an appeals court" is a new one
            heads = re.compile(rf"(?:^|\s){re.escape(head)}(?:$|\s+(?:of|on|for)\b)")
            named = self._recent(lambda e: e.is_org and e.name.lower() != head and bool(heads.search(e.name.lower())), pos)
            if named is not None:
                return named
        gender = gender_of([head], [])
        party = _party(mention.lower().split())

        def same_party(e: _Entity) -> bool:  # "the Democratic nominee" is not the Republican one
            return party is None or _party(e.roles) in (None, party)

        plural = bool(re.search(rf"\b{re.escape(head)}s\b", mention.lower())) and head[-1:] != "s"
        if plural:  # "the two Republican presidents": several people, no one speaker
            return None
        role = _role_words(mention, head)
        ent = self._recent(lambda e: not e.is_org and _holds(e.roles, role) and same_party(e)
                           and (gender is None or e.gender in (None, gender)), pos)
        if ent is None and mention.split()[0].lower() == "the":
            # "The FBI director" with no director of the FBI named: the body the role is of
            body = re.match(rf"(?:\S+[ \t]+)(?:[a-z][\w-]*[ \t]+)?([A-Z][\w.&-]*(?:[ \t]+[A-Z][\w.&-]*)*)[ \t]+{re.escape(head)}\b",
                            mention)
            org = self.entities.get(self._expand_acronym(body.group(1))) if body and body.group(1).lower() not in _PARTIES \
                else None  # ("The GOP candidate" is a person of the party, see below)
            if org is not None and org.is_org and 0 <= org.last_seen <= pos and _names_a_person(head):
                return org
        titled = _names_a_person(head) or len(role) > 1  # (an "attorney general" is no proxy)
        if ent is None and titled:
            ent = self._introduced_next(pos, gender, role)
        if ent is None and mention.split()[0].lower() == "the" and _names_a_person(head) and not plural:
            # "Raman was unconvinced. '...,' the campaigner said": the person just mentioned.
            near = [e for e in self.entities.values() if not e.is_org and pos - _DESCRIPTION_REACH <= e.last_seen <= pos
                    and (gender is None or e.gender in (None, gender)) and same_party(e)]
            ent = max(near, key=lambda e: (self._salience(e, pos), e.last_seen), default=None)
        if ent is None and titled:
            ent = self._role_holder(mention, role, pos, gender, party)
        if ent is None and _names_a_person(head):
            ent = self._introduced_next(pos, gender)
        return ent

    def _role_holder(self, mention: str, role: frozenset[str], pos: int, gender: str | None,
                     party: str | None) -> _Entity | None:
        """"A New York judge ruled ... Justice Frank Nervo wrote": the one person the text titles
        with the description's role, before it or within :data:`_DOCUMENT_REACH` characters after
        it; of several, the one whose title or apposition has the description's capitalised
        qualifier ("New York"); else ``None``."""
        cands: dict[tuple[str, ...], set[str]] = {}
        for o in self.occs:
            if o.is_org or not (o.titles or o.appos) or o.start > pos + _DOCUMENT_REACH:
                continue
            words = [w.lower() for w in _title_words(o)]
            if not _holds(words, role) or (gender and gender_of(words, list(o.core)) not in (None, gender)) \
                    or (party and _party(words) not in (None, party)):
                continue
            full = self._full_for(o.core, o.start, peek=True) or o.core
            cands.setdefault(self.formal.get(full, full), set()).update(_title_words(o))
        qualifier = {w for w in re.findall(r"[\w.’'-]+", mention)[1:] if w[:1].isupper() and w.lower() not in _PARTIES}
        if len(cands) > 1 and qualifier:
            cands = {c: words for c, words in cands.items() if qualifier <= words}
        if len(cands) != 1:
            return None
        name = " ".join(next(iter(cands)))
        return self.entities.setdefault(name, _Entity(name, False, personal=True))

    def _introduced_next(self, pos: int, gender: str | None, role: frozenset[str] | None = None) -> _Entity | None:
        """"Connecticut's tax commissioner says ... \n\nKevin Sullivan says he ...": a role no one
        named before is the person who opens one of the next sentences as a reporting verb's subject
        (within :data:`_DESCRIPTION_REACH`), when the description is the first of them; or, given
        the ``role``, the first person named in them when titled with it ("Senator from Texas says
        ... \n\nSen. Ted Cruz is endorsing")."""
        for o in self.occs:
            if o.start <= pos or o.start > pos + _DESCRIPTION_REACH or self._sentence(o.start) == self._sentence(pos):
                continue  # (names in the description's own sentence are what it says)
            if o.is_org or not o.evidence:
                return None  # another name comes first
            if role is not None:
                ent = self._person(o) if _holds([w.lower() for w in _title_words(o)], role) else None
                return ent if ent is None or gender is None or ent.gender in (None, gender) else None
            opens = re.search(r"(?:^|[.!?][\"”’']?[ \t]+|\n\s*)$", self.text[max(0, o.start - 4):o.start])
            if opens and _SUBJ_OF_VERB_RE.match(self.text, o.end, min(len(self.text), o.end + 120)):
                ent = self._person(o)
                return ent if gender is None or ent.gender in (None, gender) else None
            return None
        return None

    def _party_member(self, mention: str, pos: int) -> _Entity | None:
        """"The Republican": a bare party noun is no name but the person of that party named last
        (the text calls them a Republican), else the most salient person just mentioned who is
        not known to be of the other party."""
        party = _party(mention.lower().split())
        ent = self._recent(lambda e: not e.is_org and _party(e.roles) == party, pos)
        if ent is not None:
            return ent
        near = [e for e in self.entities.values() if not e.is_org and e.personal
                and pos - _DESCRIPTION_REACH <= e.last_seen <= pos and _party(e.roles) in (None, party)]
        return max(near, key=lambda e: (self._salience(e, pos), e.last_seen), default=None)

    def _antecedent(self, pos: int) -> _Entity | None:
        """The name a relative pronoun at ``pos`` refers back to: "Rosa Delgado, who said",
        "Jeffrey A. Rosen, the deputy attorney general, who", "The president, who"."""
        apposition = re.search(r",[^,.;:!?\n]{1,80},[ \t]*$", self.text[max(0, pos - 100):pos])
        end = pos - len(apposition.group()) if apposition else pos
        for at in ((pos, end) if apposition else (pos,)):
            best = None
            for o in self.occs:
                if o.end <= at and re.fullmatch(r"[ \t]*,?[ \t]*", self.text[o.end:at]):
                    best = o
            if best is not None:
                return self.entities[self._org_key(best)] if best.is_org else self._person(best)
        group = _PARTY_GROUP_BEFORE_RE.search(self.text[max(0, pos - 80):pos])
        if group:  # "nervous Democrats on Capitol Hill, who", "both Democrats and Republicans, who"
            return self.entities.setdefault(group.group(1), _Entity(group.group(1), True))
        description = re.search(rf"(?<![\w’'-])({DESCRIPTION_RE.pattern})[ \t]*,?[ \t]*$", self.text[max(0, pos - 80):pos])
        if description:
            return self._resolve_description(description.group(1), pos)
        return None

    def _first_of_pair(self, pos: int) -> _Entity | None:
        """The first of the two people named last before ``pos`` (within :data:`_DESCRIPTION_REACH`),
        which "both men", "each" or "the two candidates" refer back to: a source naming several
        people is the first of them, as for "Smith and Jones"; ``None`` when fewer are near."""
        near = sorted((e for e in self.entities.values() if not e.is_org and 0 <= pos - e.last_seen <= _DESCRIPTION_REACH),
                      key=lambda e: e.last_seen)
        return near[-2] if len(near) >= 2 else None

    def _common_word(self, token: str) -> bool:
        """A capitalised word that only ever opens a sentence in this text ("Authorities said",
        "Twelve said", "Let's"), is no given name and no part of a known full name: a common
        word, not a name.  Acronyms ("FBI") and words capitalised mid-sentence are names."""
        if re.search(r"['’](?:s|ve|ll|re|d|m)$", token) and token.lower()[:3] in ("let", "i'v", "i’v", "it'", "it’"):
            return True  # "Let's", "I've"
        word = re.sub(r"['’][sS]?$", "", token.strip(",."))
        # Plurals and number words only: a bare surname may well open every sentence it is in
        # ("Brandt said ...").
        if not (word.endswith("s") or word.lower() in _NUMBER_WORDS or word.lower() in _DETERMINER_WORDS):
            return False
        if not word[:1].isupper() or word.isupper() or first_name_gender(word) is not None \
                or any(word in full for full in self.full_names) or word.lower() in _PARTIES \
                or word.lower() in ORG_WORDS:
            return False
        for m in re.finditer(rf"(?<![\w’'-]){re.escape(word)}(?![\w-])(?!['’](?![sS]\b))", self.text):
            if not re.search(r"(?:^|[.!?:\n][\"”’']?\s*|[“\"‘]\s*)$", self.text[:m.start()][-4:] if m.start() else ""):
                return False
        return True

    def _org_key(self, o: _Occ) -> str:
        return self._expand_acronym(_org_name(self.text[o.start:o.end]))

    def _expand_acronym(self, name: str) -> str:
        """"S.E.C." -> "Securities and Exchange Commission" when the text spells it out."""
        return self.acronyms.get(name.replace(".", ""), name) if _ACRONYM_WORD_RE.fullmatch(name) else name

    def _mention_text(self, q: QuoteSpan) -> tuple[str, int]:
        """The part of a quote's source mention that names its speaker, and where it starts."""
        mention = q.speaker_mention.translate(_SPACES)
        if len(mention) == q.speaker_end - q.speaker_start:  # as resolve_speakers cleaned it: no nickname
            mention = self.text[q.speaker_start:q.speaker_end]
        start = q.speaker_start
        # A span cut inside a dotted abbreviation ("U. leaders" of "E.U. leaders"): its letters back
        cut = _CUT_ABBREVIATION_RE.search(self.text, max(0, start - 12), start)
        if cut is not None and re.match(r"[A-Z]\.", mention):
            mention, start = self.text[cut.start():start] + mention, cut.start()
        # "Del. Marcia Price (D-Newport News),": a party-and-place bracket, closed or cut, is no name
        mention = re.sub(r"[ \t]*\([^()]*\)?[ \t,]*$", "", mention)
        # "Sens. Jon Tester (D-Mont.) and David Vitter": a bracket inside is no part of the names
        mention = re.sub(r"[ \t]*\([^()]*\)(?=[ \t,])", "", mention)
        mention = mention.rstrip(" \t,;:'’\"”")  # "Mr. Kamin," / "Nervo'": the span took the punctuation
        mention, pos = _name_part(mention, start)
        return _cut_adverbial_tail(mention), pos

    def _resolve_mention(self, q: QuoteSpan) -> _Entity | None:
        ent = self._resolve_text(*self._mention_text(q))
        headline = next(((a, b) for a, b in self.headlines if a <= q.speaker_start < b), None)
        if headline is not None and ent is not None and not ent.is_org and not self._named_in_body(ent) \
                and _one_person_word(ent.name.split()[-1]):
            return self._lede_person(headline[1])  # "Retired General Reveals ...": the lede names him
        return ent

    def _named_in_body(self, ent: _Entity) -> bool:
        """Whether a person occurrence outside the headlines has ``ent``'s surname."""
        return any(not o.is_org and o.core[-1] == ent.name.split()[-1] for o in self.occs)

    def _lede_person(self, after: int) -> _Entity | None:
        """The first person the text names within ``_DESCRIPTION_REACH`` characters after a
        headline ending at ``after``: a headline's "Retired General" or "Gold Star Mom" is the
        person its first line introduces."""
        for o in self.occs:
            if not o.is_org and o.evidence and after <= o.start <= after + _DESCRIPTION_REACH:
                return self._person(o)
        return None

    def _document_author(self, pos: int) -> _Entity | None:
        """The author of the named document "the poll" or "the ad" refers to: the one named last
        before ``pos`` ("A Bloomberg poll shows ... according to the poll"), else, for a headline
        ("Poll: ..."), the first named after it; ``None`` when the text names none (an unnamed
        poll speaks for no one)."""
        before = [d for d in self.documents if pos - _DOCUMENT_REACH <= d.start() <= pos]
        after = [d for d in self.documents if pos < d.start() <= pos + _DESCRIPTION_REACH]
        doc = before[-1] if before else (after[0] if after else None)
        if doc is None:
            return None
        group = "name" if doc.group("name") else "name2"
        author, at = doc.group(group), doc.start(group)
        # "an ad from Donald Trump's presidential campaign": the campaign
        return self._named_in_description(author, at) or self._resolve_text(author, at, nested=True)

    def _fullest_body_name(self, ent: _Entity) -> str:
        """A body's fullest name in the text, as for persons: "Times" is the "New York Times",
        "Tax Policy Center" the "Urban-Brookings Tax Policy Center", when the text names one body
        that way.  A one-word name is only a newspaper's ("Post", not "House" or "Senate")."""
        words = ent.name.split()
        if not ent.is_org or (len(words) < 2 and ent.name.lower() not in _HEAD_KINDS["newspaper"]):
            return ent.name
        if self._fuller is None:
            self._fuller = set()
            for m in re.finditer(rf"(?<![\w’'-]){_THE_NAME}", self.text):
                if _in_spans(m.start(), self.headlines):
                    continue
                # the run after a sentence's end ("September. The ...", not "U.S. Senate"), less the
                # words that open it but no name ("A", "Former", "Democratic-led")
                # (and after a "the" that no "of"/"for" opens: "Saturday the US Department")
                run = re.split(r"(?<=[a-z]{2}\.)[ \t]+", m.group())[-1]
                words = re.split(r"(?<!\bof)(?<!\bfor)(?<!\bon)[ \t]+the[ \t]+", run)[-1].split()
                while words and (words[0].lower() in _LEADING_NOT_NAME or re.search(r"-[a-z]", words[0])):
                    words = words[1:]
                self._fuller.add(" ".join(words))
        longer = set()
        for f in self._fuller:
            if f.endswith((" " + ent.name, "-" + ent.name)):
                before = re.split(r"[ \t]+(?:and|&)[ \t]+", f[:-len(ent.name)])
                if len(before) > 1 and _is_org(before[0].split()):
                    continue  # "Deutsche Bank and Capital One": two bodies
                longer.add(f)
        return longer.pop() if len(longer) == 1 else ent.name

    def _body_by_its_words(self, mention: str) -> _Entity | None:
        """The body named anywhere in the text whose distinctive words a description spells out
        in lower case ("the top Nordic medical journal" -> "Nordic Medical Journal", "A union
        representing airline pilots" / "Pilots' union" -> "Association of Airline Pilots"): the
        description's head is a body noun that is the name's kind (its own head, or one the
        kinds of :data:`_HEAD_KINDS` allow), and every other word of the name is in it."""
        heads = []  # the words up to a preposition, a relative or a participle ("representing")
        for tok in re.findall(r"[A-Za-z][\w-]*", mention):
            if tok.lower() in _PREPOSITIONS | _RELATIVE_PRONOUNS or (
                    tok.endswith("ing") and heads and heads[-1].lower() not in _DETERMINERS):
                break
            heads.append(tok)
        if len(heads) < 2 or not heads[-1].islower() or heads[-1] not in _BODY_NOUNS:
            return None  # a bare word, a name ("the White House"), or no body ("the judge")
        head = heads[-1]
        words = {w.lower() for w in re.findall(r"[A-Za-z][\w-]*", mention)}
        best, best_n, tie = None, 0, False
        for name in self._body_names():
            name_words = [w.lower() for w in re.findall(r"[A-Za-z][\w.-]*", name) if w.lower() not in _NAME_GLUE]
            kinds = [w for w in name_words if w in _BODY_NOUNS]
            own = [w for w in name_words if w not in _BODY_NOUNS]
            if not kinds or not own or not set(own) <= words:
                continue
            if head not in kinds and not set(kinds) & _HEAD_KINDS.get(head, frozenset()):
                continue
            if len(own) > best_n:
                best, best_n, tie = name, len(own), False
            elif len(own) == best_n and name != best:
                tie = True
        if best is None or tie:
            return None
        return self.entities.setdefault(best, _Entity(best, True))

    def _body_names(self) -> set[str]:
        """Names of bodies in the text: the organisations found, and capitalised runs of two or
        more words with a body noun ("Nordic Medical Journal"), outside headlines."""
        if self._bodies is None:
            self._bodies = {e.name for e in self.entities.values() if e.is_org}
            for m in _SPELLED_NAME_RE.finditer(self.text):
                if _in_spans(m.start(), self.headlines):
                    continue
                name = _org_name(m.group())
                if any(w.lower() in _BODY_NOUNS for w in name.split()) and len(name.split()) >= 2:
                    self._bodies.add(name)
        return self._bodies

    def _named_in_description(self, mention: str, pos: int) -> _Entity | None:
        """The named body or author a description speaks for: "the Trump campaign" -> "Trump
        campaign", "a Bloomberg poll" / "a new report by Politico" -> the poll's or report's
        author, "a spokesman for Nordholm" / "a Homeland Security Department official" -> the
        body (unnamed people speaking for a named body are that body).  ``None`` otherwise."""
        m = _GROUP_OF_NAME_RE.fullmatch(mention) or _GROUP_PROXY_RE.fullmatch(mention)
        name = None
        if m:  # (its proxies too: "Clinton campaign aides" speak for the campaign)
            name, head = m.group("name"), m.group("head")
        elif (m := _PRONOUN_GROUP_RE.fullmatch(mention)) is not None:
            # "His campaign", "her camp": the campaign of the person the pronoun refers to
            owner = self._resolve_pronoun(m.group("pronoun"), pos)
            if owner is None or owner.is_org or not re.search(
                    rf"(?<![\w’'-]){re.escape(owner.name.split()[-1])}(?:['’]s?)?[ \t]+campaign\b", self.text):
                return None  # (a campaign the text names: "Okoye's campaign", "the Okoye campaign")
            name, head = owner.name, m.group("head")
        if name is not None:
            toks = name.split()
            if len(toks) >= 2 and not _is_org(toks) and first_name_gender(toks[0]) is not None:
                name = toks[-1]  # "Donald Trump's campaign" -> "Trump campaign", as readers write it
            head = "campaign" if head == "camp" else head
            if head == "team" and re.search(rf"(?<![\w’'-]){re.escape(name)}(?:['’]s)?[ \t]+(?:[a-z][\w-]*[ \t]+)?campaign\b",
                                            self.text):
                head = "campaign"  # "Clinton's team" in a text that names the Clinton campaign: that campaign
            key = f"{name} {head}"
            return self.entities.setdefault(key, _Entity(key, True))
        m = _NAMED_AUTHOR_RE.fullmatch(mention) or _PROXY_FOR_NAME_RE.fullmatch(mention)
        if m:
            group = "name" if m.group("name") else "name2"
            name, end = m.group(group), m.end(group)
            person = _ROLE_THEN_NAME_RE.match(mention, end)
            if person:  # "A 2014 study by Loyola Law School professor Justin Levitt": the professor
                name = mention[m.start(group):person.end()]
            elif _is_source_name(name):  # "the 2014 Rural Housing Survey", "the Nordic Heart Journal"
                name = _org_name(name)
                return self.entities.setdefault(name, _Entity(name, True))
            ent = self._resolve_text(name, pos + m.start(group), nested=True)
            if ent is not None and not ent.is_org and re.search(r"\bleaders?$", m.group()):
                return None  # "Central European leaders": leaders of a body speak for it, of a region not
            return self._proxy_named_next(ent, mention, pos) or ent
        m = _KIND_PROXY_RE.fullmatch(mention)
        if m:
            return self._body_of_kind(m.group("kind"), pos)
        m = _PRONOUN_PROXY_RE.fullmatch(mention)
        if m:  # "His aides", "her lawyer": those they speak for
            return self._resolve_pronoun(m.group("pronoun"), pos)
        m = _PRONOUN_THING_RE.fullmatch(mention)
        if m:  # "her campaign finance reports", "his book": the referent's document, as "Okoye's" would be
            owner = self._resolve_pronoun(m.group("pronoun"), pos)
            if owner is not None and not owner.is_org:
                return self._named_in_description(f"{owner.name}’s {m.group('thing')}", pos)
            return None
        m = _POSSESSOR_RE.fullmatch(mention)
        if m and m.group("name") != "Let" and not _is_person_noun(m.group("thing")):
            return self._resolve_text(m.group("name"), pos + m.start("name"), nested=True)
        return None

    def _proxy_named_next(self, body: _Entity | None, mention: str, pos: int) -> _Entity | None:
        """"A spokeswoman for Ann Lowe says ... \n\nLowe communications director Jane Holt spoke":
        the person the next sentence opens with, titled by a role of the body the proxy speaks
        for, when of the proxy's gender; ``None`` otherwise."""
        if body is None:
            return None
        key = body.name.split()[-1] if not body.is_org else body.name
        gender = gender_of([w.lower() for w in mention.split()], [])
        for o in self.occs:
            if o.start <= pos + len(mention) or self._sentence(o.start) == self._sentence(pos):
                continue
            if o.start > pos + _DESCRIPTION_REACH or self._sentence(o.start) > self._sentence(pos) + 1:
                return None
            titled = re.search(rf"(?:^|[.!?][\"”’']?\s+|\n\s*){re.escape(key)}(?:['’]s)?[ \t]+(?:[a-z][\w-]*[ \t]+){{1,3}}$",
                               self.text[max(0, o.start - len(key) - 60):o.start])
            if titled is None:
                continue
            if o.is_org or not o.titles:
                return None
            ent = self._person(o)
            return ent if gender is None or ent.gender in (None, gender) else None
        return None

    def _body_of_kind(self, kind: str, pos: int) -> _Entity | None:
        """The body of that kind the text names last before ``pos``: for "state", a US state
        ("West Virginia"); for "administration", "the Obama administration"; ``None`` if none."""
        if kind == "state":
            last = None
            for last in _STATE_RE.finditer(self.text, 0, pos):
                pass
            if last is None:
                return None
            # (the state's own entity when the text names it as a speaker; else a new one, kept apart)
            return self.entities.get(last.group()) or _Entity(last.group(), True)
        named = list(re.compile(rf"(?<![\w’'-])[A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*)?(?:['’]s)?[ \t]+{kind}\b")
                     .finditer(self.text, 0, pos))
        for m in reversed(named):
            ent = self._named_in_description(m.group(), m.start())
            if ent is not None:
                return ent
        return None

    def _resolve_text(self, mention: str, pos: int, nested: bool = False) -> _Entity | None:
        if not nested:
            named = self._named_in_description(mention, pos)
            if named is not None:
                return named
            if _DOCUMENT_MENTION_RE.fullmatch(mention):  # "the poll", "The clip", "Poll:"
                return self._document_author(pos)
            named = self._body_by_its_words(mention)
            if named is not None:
                return named
        if re.fullmatch(r"(?i)he|she|they|we|i|it|his|her|their|its", mention):
            # "his criticism of the deal": a possessive standing for its owner, as "he" would
            return self._resolve_pronoun(mention, pos)
        place = _PLACE_BODY_RE.fullmatch(mention)
        if place:  # "The city of Phoenix": the city as a body, as readers name it
            name = f"{place.group(1).capitalize()} of {place.group(2)}"
            return self.entities.setdefault(name, _Entity(name, True))
        if mention.lower() in _RELATIVE_PRONOUNS:  # "Smith, who said": the antecedent
            return self._antecedent(pos)
        if _names_a_pair(mention):  # "Smith and Jones met; both men said": the first of the two
            return self._first_of_pair(pos)
        mention = re.sub(r"[ \t]*\([^()]*\)$", "", mention)  # "National Health Agency (NHA)"
        unit = _BODY_AT_BODY_RE.fullmatch(mention)
        if unit and _is_org(unit.group("name").split()):  # "The Budget Center at the Harlow Institute"
            return self._resolve_text(unit.group("name"), pos + unit.start("name"), nested=True)
        toks = _tokens(mention)
        if "and" in toks[1:-1] and (not _is_org(toks) or toks[toks.index("and") + 1] in ("the", "other")
                                     or toks[0].lower() in ("both", "either")):
            # "Mr. Grassley and Mr. Leahy", "Mr. Gardner and other officials", "The Times and the
            # Gannett chain": the first named, when it is a name the text knows ("Federal and state
            # officials" names no one; "Securities and Exchange Commission" is one name).
            first, second = toks[:toks.index("and")], toks[toks.index("and") + 1]
            if first[0].lower() in ("both", "either") and len(first) > 1:
                first = first[1:]  # "both President Obama and nominee Trump": the first named
            if first[0] in ("The", "the") and len(first) > 1:
                first = first[1:]
            if all(t[:1].isupper() for t in first) and first[0].lower() not in _DETERMINERS | _NUMBER_WORDS \
                    and not second[:1].isdigit():  # "Clinton and 44 percent" is no pair of speakers
                ent = self._resolve_text(" ".join(first), pos, nested=True)
                if ent is not None and (ent.last_seen >= 0 or len(first) >= 2):
                    return ent
        if not toks or _is_lead(toks[0]):  # "Regarding Russia", "In Beijing": not a source
            return None
        if len(toks) == 1 and self._common_word(toks[0]):  # "Authorities", "Scholars", "Twelve"
            return None
        if not nested and len(toks) >= 2 and all(t.isupper() for t in toks) and not _is_org(toks):
            if first_name_gender(toks[0].capitalize()) is None:
                return None  # "FELLOW DOCTORS": a shouted line, not a name
            # "KAMALA HARRIS": a name in capitals, as a transcript or a caption writes it
            toks = [t.capitalize() for t in toks]
            mention = " ".join(toks)
        if re.fullmatch(r"[Tt]he[ \t]+(?:[A-Z][\w.-]*[ \t]+)?(?:Democrat|Republican)", mention):
            return self._party_member(mention, pos)  # "The Republican", "the Kentucky Democrat"
        if toks[0] in ("the", "The") and len(toks) > 1 and all(t[:1].isupper() or t in _NAME_GLUE for t in toks[1:]) \
                and toks[1][:1].isupper() and toks[1].lower() not in _PARTIES:
            toks = toks[1:]  # "the White House", "the CDC": a proper name, not a description
            mention = " ".join(toks)
        title_roles: list[str] = []
        titled = _split_capitalised_title(toks)
        if titled is not None:  # "House Speaker Nancy Pelosi", "U.S. District Judge Reed O'Connor"
            title_roles, toks = titled
            mention = " ".join(toks)
        person_of = _person_of_organisation(toks)
        if person_of is not None:  # "Economist Peter Novak of Crestline Bank"
            toks = person_of
            mention = " ".join(toks)
        if DESCRIPTION_RE.fullmatch(mention):
            if toks[0].lower() == "the" and toks[1][:1].isupper() \
                    and all(t[:1].isupper() or t in _NAME_GLUE for t in toks[1:]):
                toks = toks[1:]  # "the Foreign Ministry", "the Kremlin": a proper name
                mention = " ".join(toks)
            elif not _described_body(toks):
                return self._resolve_description(mention, pos)
        split = _split_role_prefix(toks)
        if split is None:  # "the businessman", "an official at the agency": no name in it
            if toks[0][:1].isupper() and toks[0].lower() in TITLES:  # "Senator from Texas": a title without its article
                return self._resolve_description("the " + mention, pos)
            return self._resolve_description(mention, pos)
        roles, toks = split
        lead = _name_lead(toks)
        if lead:  # "Gallup's Jeffrey M. Jones", "Comedian Sarah Silverman": the name after them
            roles, toks = roles + lead, toks[len(lead):]
        mention = " ".join(toks)
        titles, core = _strip_titles(toks)
        if not core and title_roles and title_roles[-1].lower() in _HONORIFICS:
            titles, core = [], toks  # "Mr. King": a surname that is also a title
        titles = title_roles + roles + titles
        if _is_org(toks):
            name = self._expand_acronym(_org_name(mention))
            return self.entities.setdefault(name, _Entity(name, True))
        if not core:  # "the President" written as a bare title
            return self._resolve_description("the " + titles[-1], pos)
        occ = _Occ(pos, pos + len(mention), tuple(core), titles, "", False, True)
        return self._person(occ)

    def run(self, quotes: list[QuoteSpan]) -> list[str | None]:
        events: list[tuple[int, int, object]] = []
        for o in self.occs:
            events.append((o.start, 0, o))
        for m in _PRONOUN_EVENT_RE.finditer(self.text):
            events.append((m.start(), 1, m.group()))
        for i, q in enumerate(quotes):
            if q.speaker_mention is not None and q.speaker_start is not None:
                events.append((q.speaker_start, 2, i))
        events.sort(key=lambda ev: (ev[0], ev[1]))
        result: list[str | None] = [None] * len(quotes)
        cache: dict[tuple[int, int], _Entity | None] = {}
        occ_starts = {o.start for o in self.occs}
        subject_sentences: set[int] = set()  # sentences whose first name has been seen
        for pos, kind, payload in events:
            if kind == 0:
                o = payload
                ent = self.entities[self._org_key(o)] if o.is_org else self._person(o)
                if not self._in_direct(pos):
                    ent.last_seen = pos
                    if not (o.is_org and _modifies_noun(self.text, o.end)):
                        ent.last_head = pos  # "a reality TV boss": no TV that "they" may be
                    # A subject: the sentence's first name, a reporting verb's subject, a speaker.
                    # A possessive or modifier ("Holt's colleague Matt Lauer") or a name in a
                    # prepositional phrase ("Campaigning against Mitt Romney, he") is not the first.
                    modifier = bool(_MODIFIER_OF_NAME_RE.match(self.text, o.end))
                    first = self._sentence(pos) not in subject_sentences and not modifier \
                        and not self._adverbial(pos, _ANY_PREPOSITION) \
                        and not _AFTER_PREPOSITION_AND_RE.search(self.text, max(0, pos - 80), pos)
                    if first:
                        subject_sentences.add(self._sentence(pos))
                        if not self._quoted(pos):  # "'My adviser, John Holdren, ...,' he said"
                            self.subject_of[self._sentence(pos)] = ent
                            if not o.is_org and _AND_NAME_RE.match(self.text, o.end):
                                self.coordinated.add(self._sentence(pos))
                    subject = first or pos in self.mention_starts \
                        or bool(_SUBJ_OF_VERB_RE.match(self.text, o.end, min(len(self.text), o.end + 120))) \
                        or bool(_INVERTED_SUBJECT_RE.search(self.text[max(0, pos - 60):pos]))
                    self._add_salience(ent, pos, subject, head=not modifier)
            elif kind == 1:
                if not self._in_direct(pos) and pos not in self.mention_starts:
                    ent = self._resolve_pronoun(payload, pos)
                    if ent is not None:
                        ent.last_seen = ent.last_head = pos
                        if payload.lower() in ("he", "she") and self._sentence(pos) not in subject_sentences:
                            subject_sentences.add(self._sentence(pos))
                            self.subject_of[self._sentence(pos)] = ent
                        self._add_salience(ent, pos, subject=payload.lower() in ("he", "she"),
                                           head=payload.lower() in ("he", "she", "him"))
            else:
                q = quotes[payload]
                key = (q.speaker_start, q.speaker_end)
                if key not in cache:  # a mention shared by several quotes resolves once
                    cache[key] = self._resolve_mention(q)
                ent = cache[key]
                if ent is not None:
                    result[payload] = self._fullest_body_name(ent)
                # "the poll" names its author but does not mention them: a later "it" or "the
                # company" is not the poll's sponsor
                if ent is not None and not _DOCUMENT_MENTION_RE.fullmatch(self._mention_text(q)[0]):
                    ent.last_seen = max(ent.last_seen, pos)
                    ent.last_head = max(ent.last_head, pos)
                    if pos not in occ_starts:  # a named speaker counted as an occurrence already
                        self._add_salience(ent, pos, subject=True)
                        # a he/she speaker opens its sentence as its subject; a description may
                        # be resolved wrongly, and a name it holds ("state senator Bob Giuda") counts
                        if self._sentence(pos) not in subject_sentences and not self._in_direct(pos) \
                                and q.speaker_mention.strip().lower() in ("he", "she"):
                            subject_sentences.add(self._sentence(pos))
                            self.subject_of[self._sentence(pos)] = ent
        return self._continuations(quotes, result)

    def _continuations(self, quotes: list[QuoteSpan], result: list[str | None]) -> list[str | None]:
        """A quote with no source mention continues the quotation of the quote just before it, when
        that one has a speaker and no line break comes between them (``“...,” she said. “...”``):
        the same paragraph goes on with the same speaker.  A quote that opens a new paragraph
        with no source keeps none."""
        order = sorted(range(len(quotes)), key=lambda i: (quotes[i].start, quotes[i].end))
        last: int | None = None  # the quote before
        for i in order:
            q = quotes[i]
            if q.speaker_mention is None and result[i] is None and last is not None and result[last] is not None \
                    and quotes[last].end <= q.start and "\n" not in self.text[quotes[last].end:q.start]:
                result[i] = result[last]
            last = i
        return result


#: A party's members before a relative pronoun: "Democrats on Capitol Hill, who", "Democrats and
#: Republicans, who" (the first named).
_PARTY_GROUP_BEFORE_RE = re.compile(
    r"(?<![\w’'-])(Democrats|Republicans)(?:[ \t]+and[ \t]+(?:Democrats|Republicans)"
    r"|[ \t]+(?:on|in|from)[ \t]+[A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,2})?[ \t]*,?[ \t]*$")
#: A place as a body that speaks: "The city of Phoenix", "the state of Texas".
_PLACE_BODY_RE = re.compile(r"[Tt]he[ \t]+(city|state|county|town|village|commonwealth|province)[ \t]+of[ \t]+"
                            r"([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,2})")
_APPOSITION_RE = re.compile(r",\s*|\s+who\s+|[ \t]+(?:--|—|–)[ \t]+")
#: "Critics of the program, like Senator Charles Grassley": the name the example gives.
_EXAMPLE_RE = re.compile(r"(?:like|including|such[ \t]+as)[ \t]+")
_CAP_WORD = r"[A-Z](?:[\w.&\-]|['’](?![sS]\b))*"
#: Capitalised words that open a sentence but never a name ("The poll", "Some state officials").
_NOT_NAME_START = r"(?!(?:The|A|An|Another|Some|His|Her|Their|Its|Our|My|Other|Others|Recent|Instant|One|Two|Three|" \
    r"Many|Most|Several|Both|Each|All|Any|New|Top|Senior|Former|This|That|These|Those|Such)\b)"
_CAP_NAME = rf"{_NOT_NAME_START}{_CAP_WORD}(?:[ \t]+(?:(?:of|for|and|the|on|&)[ \t]+)?{_CAP_WORD})*"
#: Capitalised words that open a run of names but are not part of one ("A Justice Department
#: spokesperson", "Former White House aides").
_LEADING_NOT_NAME = frozenset("""the a an another some other others many most several both each all any
    top senior former this that these those such his her their its our my recent""".split()) \
    | frozenset(day.lower() for day in WEEKDAYS) | _NOT_NAME_LEADS | _NUMBER_WORDS | frozenset("one".split())
#: A name after "the": "the New York Times" ("New" opens no name at a sentence's start).
_THE_NAME = rf"{_CAP_WORD}(?:[ \t]+(?:(?:of|for|and|the|on|&)[ \t]+)?{_CAP_WORD})*"
#: A day's or month's possessive opens a description as a determiner does: "July's Harlow Post poll".
_WHEN_POSSESSIVE = rf"(?:(?:{WEEKDAY_ALT}|{MONTH_ALT})['’]s[ \t]+)"
_DET_MODS = rf"(?:(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Hh]is|[Hh]er)[ \t]+|{_WHEN_POSSESSIVE})?(?:[a-z][\w\-]*[ \t]+){{0,3}}?"
#: A body housed at another: "The Budget Policy Center at the Harlow Institute" is the center.
_BODY_AT_BODY_RE = re.compile(rf"(?:[Tt]he[ \t]+)?(?P<name>{_CAP_NAME})[ \t]+at[ \t]+(?:the[ \t]+)?[\w ,.'’-]*[A-Z][\w.&-]*")
#: A plural noun's first example without a comma: "dozens of papers ranging from (such expected
#: backers as) The Harbor Ledger to ...", "unions including the Federation of Bakers".
_PLURAL_EXAMPLE_RE = re.compile(
    r"(?<![\w’'-])[a-z]+s[ \t]+(?:ranging[ \t]+from|including|such[ \t]+as)[ \t]+"
    rf"(?:such[ \t]+(?:[\w-]+[ \t]+){{0,3}}?as[ \t]+)?(?P<name>[Tt]he[ \t]+{_THE_NAME}|{_CAP_NAME})")
#: "the Trump campaign", "The Obama administration", "Donald Trump's campaign", "the Clinton camp".
_GROUP_OF_NAME_RE = re.compile(
    rf"{_DET_MODS}(?P<name>{_CAP_NAME})(?:['’]s)?[ \t]+(?:[a-z][\w\-]*[ \t]+)?"
    r"(?P<head>campaign|administration|camp|team|family)")
#: Documents by a named author: "a Bloomberg poll", "A USA TODAY analysis of ...", "a new report
#: by Politico", "A web video by the Republican National Committee".
_DOCUMENT_HEAD = r"(?:poll|survey|analysis|report|study|database|article|ad|video|clip|memo|letter|website|" \
    r"statement|transcript|editorial|research|review|audit|filing|complaint|lawsuit|tweet|post|book)"
_DOCUMENT_HEADS = rf"{_DOCUMENT_HEAD}s?"
#: Documents that speak for the author a source mention names ("F.A.A. records show", "Audit files
#: from X", "July's X polling"), but that "the records" does not refer back to as a named document.
_AUTHORED_HEADS = rf"(?:{_DOCUMENT_HEAD}|record|file|polling)s?"
#: A partner after a slash in a joint document's name ("Reuters/Ipsos poll", "a New York Times/CBS
#: News poll"): the first named is its author, as readers cite it.
_PARTNER = rf"(?:/{_CAP_WORD}(?:[ \t]+(?:(?:of|for|and|the|on|&)[ \t]+)?{_CAP_WORD})*)?"
#: A document named by its author in running text: "A Bloomberg poll", "a recent Reuters survey",
#: "A web video by the Republican National Committee".
_NAMED_DOCUMENT_RE = re.compile(
    rf"(?<![\w’'-])(?:(?P<name>{_CAP_NAME}){_PARTNER}(?:['’]s)?[ \t]+(?:[a-z][\w\-]*[ \t]+)?{_DOCUMENT_HEADS}\b"
    rf"|{_DOCUMENT_HEADS}[ \t]+(?:[a-z][\w\-]*[ \t]+)?(?:by|from)[ \t]+(?:the[ \t]+)?"
    rf"(?P<name2>{_CAP_NAME}(?:['’]s[ \t]+(?:[a-z][\w\-]*[ \t]+)?(?:campaign|administration|team))?))")
#: A document referred back to: "the poll", "The new ad", "this study", or a headline's "Poll";
#: or the voice it speaks in, which speaks for its author: "the announcer", "the ad's narrator".
_DOCUMENT_MENTION_RE = re.compile(
    rf"(?:(?:[Tt]he|[Tt]his|[Tt]hat)[ \t]+(?:[a-z][\w\-]*[ \t]+)?{_DOCUMENT_HEAD}|(?i:poll|survey|study)"
    rf"|(?:[Tt]he|[Aa]n?)[ \t]+(?:{_DOCUMENT_HEAD}['’]s[ \t]+)?(?:[a-z][\w\-]*[ \t]+)?(?:announcer|narrator))")
#: A person role and a name after a body's name: "Loyola Law School professor Justin Levitt".
_ROLE_THEN_NAME_RE = re.compile(
    rf"[ \t]+(?:[a-z][\w\-]*[ \t]+)?(?:{'|'.join(sorted(w for w in _ROLE_SET | _PERSON_ROLES | TITLES if _names_a_person(w) and w.isalpha()))})"
    rf"[ \t]+{_CAP_NAME}")


def _is_source_name(name: str) -> bool:
    """Whether a name ends in a body's or a document's head noun ("Nordic Heart Journal", "Rural
    Housing Survey"): a source kept whole, not a person whose nationality is stripped."""
    words = name.split()
    return len(words) >= 2 and (words[-1].lower() in _BODY_NOUNS or re.fullmatch(_DOCUMENT_HEADS, words[-1].lower()) is not None)


#: Where a document came out: "A 2014 study that appeared in the Nordic Heart Journal".
_PUBLISHED_IN = r"(?:(?:that|which)[ \t]+(?:appeared|was[ \t]+published|ran)|published)[ \t]+in"
#: A document whose mention names its author or source: "a Bloomberg poll", "a new report by
#: Politico", "Data from the 2014 Rural Housing Survey", "A 2014 study that appeared in ...".
_NAMED_AUTHOR_RE = re.compile(
    rf"(?:{_DET_MODS}(?!(?i:{_AUTHORED_HEADS})[ \t]+{_AUTHORED_HEADS}\b)"  # "Audit files from X": no author "Audit"
    rf"(?P<name>{_CAP_NAME}){_PARTNER}(?:['’]s)?[ \t]+(?:[a-z][\w\-]*[ \t]+)?{_AUTHORED_HEADS}\b.*"
    rf"|{_DET_MODS}(?:\d{{4}}[ \t]+)?(?:[A-Z][\w\-]*[ \t]+)?(?:{_AUTHORED_HEADS}|[Dd]ata)[ \t]+(?:[a-z][\w\-]*[ \t]+)?"
    rf"(?:by|from|{_PUBLISHED_IN})[ \t]+(?:[Tt]he[ \t]+)?(?:\d{{4}}[ \t]+)?(?P<name2>{_CAP_NAME}).*)",
    re.S)
_PROXY_NOUNS = r"(?:spokes(?:wo)?m[ae]n|leaders?|spokespersons?|spokespeople|officials?|reporters?|aides?|representatives?" \
    r"|lawyers?|attorneys?|analysts?|researchers?|economists?|executives?)"
#: Proxies that open a sentence bare: "Officials at ...", "Lawyers for ..." (not "Analysts at a
#: bank", who speak for themselves).
_OPENING_PROXY = r"(?:Spokes(?:wo)?m[ae]n|Spokespe(?:rsons?|ople)|Officials|Aides|Representatives|Lawyers|Attorneys|Leaders)"
#: "a spokesman for Nordholm", "A reporter for USA Today", "Officials at Nordholm" (opening a
#: sentence), "a Homeland Security Department official",
#: "McCabe's lawyers", "Mueller's office": those they speak for.
_PROXY_FOR_NAME_RE = re.compile(
    rf"(?:{_DET_MODS}{_PROXY_NOUNS}|{_OPENING_PROXY})[ \t]+(?:for|at|of|with|from)[ \t]+(?:the[ \t]+)?(?:[a-z][\w\-]*[ \t]+){{0,2}}"
    rf"(?P<name>{_CAP_NAME})"
    rf"|{_DET_MODS}(?P<name2>{_CAP_NAME})(?:['’]s)?[ \t]+(?:[a-z][\w\-]*[ \t]+)?(?:{_PROXY_NOUNS}|office)")


#: Unnamed people of a kind of body the text has named: "state regulators", "Some state
#: officials", "administration officials" speak for the state or administration named last.
_KIND_PROXY_RE = re.compile(
    rf"(?:(?:[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther|[Tt]op|[Ss]enior|[Tt]he)[ \t]+)?(?P<kind>state|administration)[ \t]+"
    rf"(?:[a-z][\w\-]*[ \t]+)?(?:{_PROXY_NOUNS}|regulators?)")
_STATE_RE = re.compile(rf"(?<![\w’'-])(?:{'|'.join(sorted(US_STATES, key=len, reverse=True))})(?![\w’'-])"
                       r"(?![ \t]+[A-Z])")  # (not "New York Times", "Virginia Tech")


#: Proxies of a person's campaign or administration: "Clinton campaign aides", "Trump administration officials".
_GROUP_PROXY_RE = re.compile(rf"{_GROUP_OF_NAME_RE.pattern}[ \t]+{_PROXY_NOUNS}")
#: "His campaign", "her camp": the campaign of the person the pronoun refers to.
_PRONOUN_GROUP_RE = re.compile(r"(?P<pronoun>[Hh]is|[Hh]er)[ \t]+(?P<head>campaign|camp)")
#: "His aides", "her spokeswoman": people who speak for the person the pronoun refers to.
_PRONOUN_PROXY_RE = re.compile(rf"(?P<pronoun>[Hh]is|[Hh]er)[ \t]+(?:[a-z][\w\-]*[ \t]+)?{_PROXY_NOUNS}")


#: "her campaign finance reports", "his book 'A Long Road'", "his prepared statement": a document
#: of the person the possessive pronoun refers to, which speaks for that person.
_PRONOUN_THING_RE = re.compile(
    rf"(?P<pronoun>[Hh]is|[Hh]er)[ \t]+(?P<thing>(?:[a-z][\w\-]*[ \t]+){{0,3}}?"
    rf"(?:{_DOCUMENT_HEADS}|documents|records)\b[^,;:()]{{0,60}})")


#: "Ivana Trump's brief", "Jared Diamond's 2005 best seller", "Stumpf's": a thing that speaks for
#: its named owner ("Pellew's niece" is another person, see :func:`_is_person_noun`).
_POSSESSOR_RE = re.compile(
    rf"(?:[Tt]he[ \t]+)?(?P<name>{_CAP_NAME})['’]s(?:[ \t]+(?P<thing>[^,;:()]{{1,60}}))?")
#: Kin words a person's possessive may name ("Scott's niece"), beyond the gendered ones.
_KIN = frozenset("niece nephew cousin child children grandson granddaughter friend friends widow widower".split())


def _is_person_noun(phrase: str | None) -> bool:
    """Whether ``phrase`` ends in a word for people ("new lawyer", "ex-wife", "aides",
    "campaign strategist") or in a name; a missing phrase (a bare "Stumpf's") does not."""
    if not phrase:
        return False
    if phrase.split()[-1][:1].isupper():
        return True  # "Clinton's campaign manager Robby Mook", "NBC's Dante Chinni": a name follows
    word = re.sub(r"^(?:ex|former|step)-", "", phrase.split()[-1].lower().strip("“”\"'’"))
    people = (_ROLE_SET | TITLES | _PERSON_ROLES | _MALE_WORDS | _FEMALE_WORDS | _PROXY_ROLES | _KIN) \
        - _ORG_HEADS - ORG_WORDS - {"statement", "report"}  # role nouns that are bodies or documents
    return word in people or word.rstrip("s") in people or word.endswith(("people", "men", "ist", "ists", "ian", "ians"))


#: Words that open an adverbial after a name in a learned source span: "House Speaker Nancy
#: Pelosi last month", "Biden in his speech", "Judge Reed O'Connor in the Northern District".
_TAIL_OPENERS = frozenset("""last on in during this earlier later yesterday today tonight
    while when after before recently also late early""".split())


_DATE_TAIL_RE = re.compile(
    rf"[ \t,]+(?:(?:on|last|this|late|early)[ \t]+)?(?:{WEEKDAY_ALT}|"
    r"yesterday|today|tonight|(?:last|this)[ \t]+(?:week|month|year))(?:[ \t]+(?:morning|afternoon|evening|night))?$"
    rf"|[ \t,]+(?:(?:in|on|last|this|early|late)[ \t]+)?(?:{MONTH_ALT})(?:[ \t]+\d{{1,2}})?$")


def _cut_adverbial_tail(mention: str) -> str:
    """The mention up to an adverbial that follows a capitalised name ("Biden in his speech" ->
    "Biden"); "officials on Monday" has no name before "on" and is kept."""
    date_tail = _DATE_TAIL_RE.search(mention)
    if date_tail and date_tail.start() > 0:  # "Reuters on Monday", "Commerce Department on Tuesday"
        mention = mention[:date_tail.start()]
    words = list(re.finditer(r"\S+", mention))
    for prev, word in zip(words, words[1:]):
        before = prev.group().lower().strip(".,")
        if word.group() in _TAIL_OPENERS and prev.group()[:1].isupper() and not (
                before in _ROLE_SET or before.rstrip("s") in _ROLE_SET or before in ORG_WORDS):
            return mention[:prev.end()]
    return mention


#: A party-and-state tag after a lawmaker's name: "R-Tenn.", "D-N.Y.", "I-Vt.".
_PARTY_TAG_RE = re.compile(r"\(?[DRI]-[A-Z][\w.'’ -]*\)?")


def _names_a_pair(mention: str) -> bool:
    """Whether a mention refers back to the two people just named, as the distributive "both"
    and "each" do: "both", "each", "both of them", "both men", "both candidates"."""
    words = mention.lower().split()
    if words in (["both"], ["each"], ["both", "of", "them"], ["each", "of", "them"]):
        return True
    return words[:1] == ["both"] and len(words) in (2, 3) and _is_person_noun(words[-1])


def _opens_name(part: str) -> bool:
    """Whether an apposition part starts with a name, or with lower-case roles before a titled
    name ("state Del. Marcia Price", as in "Scott's niece, state Del. Marcia Price")."""
    if part[:1].isupper():
        return not _PARTY_TAG_RE.fullmatch(part.strip())  # "R-Tenn.": a party and state, no name
    split = _split_role_prefix(part.split())
    # "state Del. Marcia Price", "senator Tom Bakker": a lower-case title before a name
    return split is not None and bool(split[0]) and (
        _split_capitalised_title(split[1]) is not None or split[0][-1].lower() in _ONE_WORD_TITLES)


def _listed_body(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole name in a list ("the Federation of Bakers and ...",
    "The Harbor Ledger to ..."): a body or two capitalised words, that no lower-case noun follows
    ("the Republican-led state" is a description)."""
    toks = [t for t in text[start:end].split() if t not in ("the", "The")]
    named = _is_org(toks) or sum(t[:1].isupper() for t in toks) >= 2
    return named and re.match(r"[ \t]*(?:$|[,;.]|(?:and|or|to|as|have|has|had|are|were)\b)", text[end:]) is not None


def _name_part(mention: str, start: int) -> tuple[str, int]:
    """The part of a mention with an apposition that names the speaker, and where it starts.

    Learned source spans keep appositions ("Rosa Delgado, who sponsored the proposal",
    "Translink's chief executive, Samuel Park"): take the first part that reads as a name,
    else the first part.
    """
    parts, offset = [], 0
    for match in _APPOSITION_RE.finditer(mention):
        parts.append((mention[offset:match.start()], offset))
        offset = match.end()
    parts.append((mention[offset:], offset))
    parts = [(p, o) for p, o in parts if p.strip()]
    listed = _PLURAL_EXAMPLE_RE.search(parts[0][0]) if parts else None
    if listed and _listed_body(parts[0][0], listed.start("name"), listed.end("name")):
        # "dozens of papers ranging from The Harbor Ledger to ...": the first named
        return listed.group("name"), start + parts[0][1] + listed.start("name")
    if len(parts) < 2:
        return mention, start
    for part, at in parts:
        example = _EXAMPLE_RE.match(part)
        if example and at > 0:  # "..., including the United States Conference of Mayors"
            part, at = part[example.end():], at + example.end()
            body = re.match(rf"[Tt]he[ \t]+{_THE_NAME}", part)
            if body and _listed_body(part, 0, body.end()):
                # "..., including the Federation of Bakers and the Grain Guild": the first
                return body.group(), start + at
        if not DESCRIPTION_RE.fullmatch(part) and not re.fullmatch(r"(?i)he|she|they|we|i", part) \
                and _opens_name(part) and not re.search(r"['’]s\b", part) and not _is_lead(part.split()[0]) \
                and re.match(_NOT_NAME_START, part):  # "Another critic, Laurence H. Tribe": Tribe
            return part, start + at
    return parts[0][0], start + parts[0][1]


def _formal_names(full_names: set[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Full names written with a familiar given name, mapped to the fullest formal form of the
    same person in the text: "Bobby Scott" -> "Robert C. Scott", "Joe Biden" -> "Joseph R.
    Biden" (the ``nicknames`` package decides which given names are one)."""
    from pipeline.quotes.corpus_speakers import same_given_name  # it imports this module

    formal = {}
    for short in full_names:
        fuller = [f for f in full_names if f != short and f[-1] == short[-1] and len(f) >= len(short)
                  and f[0] != short[0] and same_given_name(f[0].lower(), short[0].lower())]
        if fuller:
            formal[short] = max(fuller, key=lambda f: (len(f), f))
    return formal


#: The letters of a dotted abbreviation just before a span cut inside it ("E." of "E.U. leaders").
_CUT_ABBREVIATION_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.)+\Z")


#: A nickname in quotes inside a name: Rep. Robert C. "Bobby" Scott.
_QUOTED_NICKNAME_RE = re.compile(r"(?<=\b[A-Z][\w.])(?P<rest>[a-z]*[ \t])[\"“][A-Z][a-z]+[\"”] (?=[A-Z])")


def resolve_speakers(text: str, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """Return copies of ``quotes`` (same order) with ``speaker`` set (see module docstring)."""
    text = text.translate(_SPACES)
    # Blank the nickname (same length, offsets stay) so the name reads "Robert C. Scott".
    text = _QUOTED_NICKNAME_RE.sub(lambda m: m.group("rest") + " " * (len(m.group()) - len(m.group("rest"))), text)
    names = _Resolver(text, quotes).run(quotes)
    return [replace(q, speaker=name) for q, name in zip(quotes, names)]
