"""Corpus-level speakers: one ``speaker_id`` for one person or organisation across documents.

Per-document resolution (:mod:`pipeline.quotes.speakers`) gives each quote the fullest name
its own article uses: "Xi Jinping" in one article, "Xi" in an article that only says "President
Xi".  :func:`group_speakers` then groups those names over the whole run:

* **Persons** are blocked by surname (the last token, case and accents folded), so the work
  grows with the corpus, not with its square.  In a block, names merge when their given names
  agree, an initial matching a name ("J. Smith" / "John Smith", "John A. Smith").  The fullest
  name is the group's ``name``; every form seen is in ``variants``.
* **A bare name** ("Xi", "Smith", "Wang") joins the one group whose surname, or first token for
  surname-first names ("Xi Jinping"), it is.  When several groups fit, the document's context
  picks one: the titles and roles of its mentions and around the name in the text ("Senator
  Smith", "a ministry spokeswoman, Wang") against those of each group, and gender (Ms., a known
  first name).  Otherwise it stays apart with ``ambiguous=True`` (one id per such bare name,
  never merged into either person).  An initial that fits several people ("J. Smith" for John
  and Jane Smith) is treated the same way.
* **Organisations** merge on the name without "the", case and punctuation; an acronym ("NHA")
  joins the one organisation in the corpus whose initials it is ("National Health Agency").

Ids are ``spk_`` plus 12 hex digits of a SHA-1 of the type and a key, so the same corpus gives
the same ids on every run and on either runner.  The key is not the fullest name, so an id does
not change when one more article adds a middle initial, a title or a suffix-free longer form:

* a person of two or more words: the folded surname and the initial of the first given name
  ("Joseph R. Biden", "Joe Biden" and "Biden" in an article that names him -> ``biden j``); given
  names merge as the same name when they are, or are nicknames of each other (``nicknames``);
* when two people of one run share that key (John and Jane Smith), each is keyed on the surname
  and its first given name in full (``smith john``), so those ids depend on the run having both;
* an organisation: its folded name without a leading "the" ("The FASB" and "FASB" are one);
* a bare name no group claims: the folded name; an ambiguous bare name: ``ambiguous-`` + name.  The quote's own ``speaker``
column stays the name its document uses; ``speaker_id`` links it to the ``speakers`` table.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from datasets import Dataset, Features, Sequence as SequenceFeature, Value

from pipeline.quotes.lexicon import ROLE_NOUNS
from pipeline.quotes.speakers import (
    _FEMALE_FIRST,
    _FEMALE_WORDS,
    _MALE_FIRST,
    _MALE_WORDS,
    _SPACES,
    ORG_WORDS,
    TITLES,
    _is_org,
)

SPEAKER_TABLE_FEATURES = Features({
    "speaker_id": Value("string"),
    "name": Value("string"),
    "variants": SequenceFeature(Value("string")),
    "type": Value("string"),  # person | organisation
    "n_quotes": Value("int64"),
    "n_documents": Value("int64"),
    "ambiguous": Value("bool"),
})
#: Words of a mention or its surroundings that tell two people of one surname apart.
_CONTEXT_WORDS = (frozenset(TITLES) | frozenset(ROLE_NOUNS) | ORG_WORDS) - frozenset(
    """mr mr. mrs mrs. ms ms. miss madam sir dame lord lady former acting interim state
    official leader dr. dr""".split())
_GLUE = frozenset("of for and the & de du la le on in at".split())
_WORD_RE = re.compile(r"[\w.]+")


def _fold(token: str) -> str:
    """Case- and accent-free form of a token ("Wiśniewski" -> "wisniewski")."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip(".,'’")


def normalise_name(name: str) -> str:
    """One spelling of a name for grouping: no-break spaces as spaces, single blanks, no leading
    "The" before a capitalised word ("The FASB" is "FASB")."""
    name = " ".join(name.translate(_SPACES).split())
    return re.sub(r"^[Tt]he (?=[A-Z])", "", name)


def speaker_id(kind: str, key: str) -> str:
    """The stable id of a group: ``spk_`` + 12 hex digits of SHA-1 over its type and key."""
    return "spk_" + hashlib.sha1(f"{kind}:{key}".encode("utf-8")).hexdigest()[:12]


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]\.?", token))


_NICKNAMER = None


def same_given_name(a: str, b: str) -> bool:
    """Whether two folded given names are one name, formal or familiar ("joe" / "joseph",
    "bill" / "william", "bobby" / "robert"), by the ``nicknames`` package's curated table."""
    global _NICKNAMER
    if a == b:
        return True
    if len(a) < 2 or len(b) < 2:
        return False
    if _NICKNAMER is None:
        from nicknames import NickNamer

        _NICKNAMER = NickNamer()
    return b in _NICKNAMER.nicknames_of(a) or a in _NICKNAMER.nicknames_of(b)


def _given_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether given names ``a`` fit ``b`` (folded tokens; an initial fits a name with its letter).

    The shorter list must match the longer one in order, skipping middle names:
    ("john",) fits ("john", "a"); ("j",) fits ("john",); ("joe",) fits ("joseph", "r");
    ("john",) does not fit ("jane",).
    """
    if len(a) > len(b):
        a, b = b, a
    i = 0
    for token in b:
        if i < len(a):
            x = a[i]
            if x == token or (len(x) == 1 and token.startswith(x)) or (len(token) == 1 and x.startswith(token)) \
                    or (i == 0 and same_given_name(x, token)):
                i += 1
            elif i == 0:
                return False  # the first given name must agree
    return i == len(a)


def _gender(words: Iterable[str], first: str | None) -> str | None:
    low = {w.lower() for w in words}
    if low & _FEMALE_WORDS:
        return "f"
    if low & _MALE_WORDS:
        return "m"
    if first in _FEMALE_FIRST:
        return "f"
    if first in _MALE_FIRST:
        return "m"
    return None


def _context_words(text: str) -> set[str]:
    return {w for w in (t.lower() for t in _WORD_RE.findall(text)) if w in _CONTEXT_WORDS}


@dataclass
class _Group:
    """One person or organisation of the corpus (or one ambiguous bare name)."""

    kind: str  # person | organisation
    tokens: tuple[str, ...]  # folded tokens of the representative name
    names: Counter = field(default_factory=Counter)  # surface form -> quotes
    context: set[str] = field(default_factory=set)
    gender: str | None = None
    ambiguous: bool = False
    ambiguous_key: str = ""
    collides: bool = False  # set by ids(): another group of the run has the same key

    @property
    def name(self) -> str:
        def fullness(item: tuple[str, int]) -> tuple:
            form, count = item
            toks = form.split()
            return (len(toks), sum(not _is_initial(t) for t in toks), count, form)
        return max(self.names.items(), key=fullness)[0]

    @property
    def key(self) -> str:
        """What the id is keyed on (see the module doc): for a person of two or more words, the
        surname and the initial of the first given name; for others the folded name without a
        leading "the"."""
        if self.ambiguous:
            return self.ambiguous_key
        toks = [t for t in self.tokens if t != "the"] if self.kind == "organisation" else list(self.tokens)
        if self.kind == "person" and len(toks) >= 2:
            return f"{toks[-1]} {toks[0][0]}"
        return " ".join(toks)

    @property
    def full_key(self) -> str:
        """The key when two people share :attr:`key` in one run (John and Jane Smith): the
        surname and the first given name in full."""
        toks = list(self.tokens)
        given = next((t for t in toks[:-1] if len(t) > 1), toks[0])
        return f"{toks[-1]} {given}" if len(toks) >= 2 else " ".join(toks)

    @property
    def id(self) -> str:
        if self.ambiguous:
            return speaker_id(f"ambiguous-{self.kind}", self.ambiguous_key)
        return speaker_id(self.kind, self.key)


@dataclass
class _Name:
    """A distinct name form with what its mentions say about it."""

    form: str
    kind: str
    tokens: tuple[str, ...]  # folded
    context: set[str] = field(default_factory=set)
    gender_words: set[str] = field(default_factory=set)
    count: int = 0


class SpeakerGrouper:
    """Groups the per-document speaker names of a corpus (see the module doc).

    Feed it quotes with :meth:`add` (one call per quote, in any order), optionally the text of
    documents whose bare names need context (:meth:`document_context`), then :meth:`ids` and
    :meth:`table`.  Work is linear in quotes plus the size of each surname block.
    """

    def __init__(self) -> None:
        self.names: dict[str, _Name] = {}
        self.units: dict[tuple[str, str], int] = {}  # (doc_id, name) -> unit index
        self.unit_context: list[set[str]] = []
        self.unit_gender: list[set[str]] = []
        self.unit_name: list[str] = []
        self.quote_unit: list[int] = []  # -1 for a quote without speaker
        self.groups: list[_Group] = []
        self.unit_group: list[int] = []
        self._grouped = False

    # ----------------------------------------------------------- collecting
    def add(self, doc_id: str, speaker: str | None, mention: str | None) -> None:
        """One quote's document, per-document speaker name and source mention."""
        if not speaker:
            self.quote_unit.append(-1)
            return
        form = normalise_name(speaker)
        info = self.names.get(form)
        if info is None:
            toks = form.split()
            kind = "organisation" if _is_org(toks) else "person"
            info = self.names[form] = _Name(form, kind, tuple(_fold(t) for t in toks))
        info.count += 1
        key = (doc_id, form)
        unit = self.units.get(key)
        if unit is None:
            unit = self.units[key] = len(self.unit_name)
            self.unit_name.append(form)
            self.unit_context.append(set())
            self.unit_gender.append(set())
        if mention:
            mention = normalise_name(mention)
            words = _context_words(mention)
            self.unit_context[unit] |= words
            info.context |= words
            gender_words = {w.lower() for w in _WORD_RE.findall(mention)} & (_MALE_WORDS | _FEMALE_WORDS)
            self.unit_gender[unit] |= gender_words
            info.gender_words |= gender_words
        self.quote_unit.append(unit)

    def needs_context(self) -> dict[str, set[str]]:
        """doc_id -> names whose context in that document's text is worth reading (call after
        :meth:`add`): bare names that fit several people, and the names of those people."""
        self._group_full_names()
        unclear = {form for form, info in self.names.items()
                   if info.kind == "person" and len(self._candidates(info)) > 1}
        candidates = {g for form in unclear for g in self._candidates(self.names[form])}
        wanted: dict[str, set[str]] = defaultdict(set)
        for doc_id, form in self.units:
            if form in unclear or self.form_group.get(form) in candidates:
                wanted[doc_id].add(form)
        return wanted

    def document_context(self, doc_id: str, text: str, forms: Iterable[str]) -> None:
        """Add the titles and roles around each of ``forms`` in a document's text: the three
        words before it and an apposition after it ("Foreign Minister Wang", "Wang, the ...,")."""
        text = text.translate(_SPACES)
        for form in forms:
            unit = self.units[(doc_id, form)]
            pattern = rf"((?:[\w.’']+,?[ \t]+){{0,3}}){re.escape(form)}\b(,[^,.;“”\"\n]{{1,80}},)?"
            for m in re.finditer(pattern, text):
                around = (m.group(1) or "") + " " + (m.group(2) or "")
                words = _context_words(around)
                self.unit_context[unit] |= words
                self.unit_gender[unit] |= {w.lower() for w in _WORD_RE.findall(around)} & (_MALE_WORDS | _FEMALE_WORDS)
                if form in self.form_group:  # what the article says about a full name
                    self.groups[self.form_group[form]].context |= words

    # ------------------------------------------------------------- grouping
    def _group_full_names(self) -> None:
        if self._grouped:
            return
        self._grouped = True
        self.by_surname: dict[str, list[int]] = defaultdict(list)
        self.by_first: dict[str, list[int]] = defaultdict(list)
        self.form_group: dict[str, int] = {}
        self.form_candidates: dict[str, list[int]] = {}
        orgs = [n for n in self.names.values() if n.kind == "organisation"]
        persons = [n for n in self.names.values() if n.kind == "person"]
        self._group_organisations(orgs)
        blocks: dict[str, list[_Name]] = defaultdict(list)
        for info in persons:
            if len(info.tokens) >= 2:
                blocks[info.tokens[-1]].append(info)
        for surname in sorted(blocks):
            # Fullest first, so a short or initialled form meets the full names it may join.
            names = sorted(blocks[surname], key=lambda n: (-len(n.tokens), -sum(len(t) > 1 for t in n.tokens),
                                                           -n.count, n.form))
            block: list[int] = []
            for info in names:
                fits = [g for g in block if all(_given_match(info.tokens[:-1], m[:-1]) for m in self._members(g))]
                if len(fits) == 1:
                    self._join(fits[0], info)
                elif not fits:
                    g = self._new_group("person", info)
                    block.append(g)
                    self.by_surname[surname].append(g)
                    self.by_first[info.tokens[0]].append(g)
                else:  # "J. Smith" with John and Jane Smith: decided per document
                    self.form_candidates[info.form] = fits

    def _members(self, g: int) -> list[tuple[str, ...]]:
        return [self.names[form].tokens for form in self.groups[g].names]

    def _new_group(self, kind: str, info: _Name) -> int:
        self.groups.append(_Group(kind, info.tokens))
        g = len(self.groups) - 1
        self._join(g, info)
        return g

    def _join(self, g: int, info: _Name) -> None:
        group = self.groups[g]
        group.names[info.form] += 0  # counts are filled per unit in ids()
        group.context |= info.context
        if info.kind == "person":
            gender = _gender(info.gender_words, info.tokens[0] if len(info.tokens) >= 2 else None)
            group.gender = group.gender or gender
        self.form_group[info.form] = g

    def _group_organisations(self, orgs: list[_Name]) -> None:
        by_key: dict[str, int] = {}
        acronyms = []
        for info in sorted(orgs, key=lambda n: (-len(n.tokens), -n.count, n.form)):
            key = " ".join(t for t in info.tokens if t != "the")
            if len(info.tokens) == 1 and re.fullmatch(r"[A-Z&.]{2,8}", info.form):
                acronyms.append(info)
            elif key in by_key:
                self._join(by_key[key], info)
            else:
                by_key[key] = self._new_group("organisation", info)
        initials: dict[str, list[int]] = defaultdict(list)
        for key, g in by_key.items():
            letters = "".join(t[0] for t in key.split() if t not in _GLUE)
            if len(letters) >= 2:
                initials[letters].append(g)
        for info in acronyms:
            letters = info.form.replace(".", "").replace("&", "").lower()
            key = info.tokens[0]
            if len(initials.get(letters, [])) == 1 and key not in by_key:
                self._join(initials[letters][0], info)  # "NHA" and "National Health Agency"
            elif key in by_key:
                self._join(by_key[key], info)
            else:
                by_key[key] = self._new_group("organisation", info)

    def _candidates(self, info: _Name) -> list[int]:
        """Groups a person name may belong to: its own, or those a bare name fits."""
        if info.form in self.form_group:
            return [self.form_group[info.form]]
        if info.form in self.form_candidates:
            return self.form_candidates[info.form]
        if len(info.tokens) == 1:
            token = info.tokens[0]
            return sorted(set(self.by_surname.get(token, [])) | set(self.by_first.get(token, [])))
        return []

    def _pick(self, candidates: list[int], context: set[str], gender_words: set[str]) -> int | None:
        """The one candidate the document's context points at, or None."""
        gender = _gender(gender_words, None)
        if gender:
            candidates = [g for g in candidates if self.groups[g].gender in (None, gender)]
        if len(candidates) == 1:
            return candidates[0]
        if context and candidates:
            scores = [(len(context & self.groups[g].context), g) for g in candidates]
            best = max(s for s, _ in scores)
            winners = [g for s, g in scores if s == best]
            if best > 0 and len(winners) == 1:
                return winners[0]
        return None

    def _assign_units(self) -> None:
        self._group_full_names()
        ambiguous: dict[tuple[str, str], int] = {}
        self.unit_group = [-1] * len(self.unit_name)
        for unit, form in enumerate(self.unit_name):
            info = self.names[form]
            candidates = self._candidates(info)
            if len(candidates) == 1:
                g = candidates[0]
            elif not candidates:  # a bare name with no full form anywhere: its own group
                g = self._new_group(info.kind, info)
            else:
                g = self._pick(candidates, self.unit_context[unit], self.unit_gender[unit])
                if g is None:
                    key = (info.kind, " ".join(info.tokens))
                    if key not in ambiguous:
                        self.groups.append(_Group(info.kind, info.tokens, ambiguous=True,
                                                  ambiguous_key=key[1]))
                        ambiguous[key] = len(self.groups) - 1
                    g = ambiguous[key]
            self.unit_group[unit] = g

    # --------------------------------------------------------------- output
    def ids(self) -> list[str | None]:
        """One ``speaker_id`` per added quote (None where it had no speaker)."""
        self._assign_units()
        self.quote_counts = Counter(u for u in self.quote_unit if u >= 0)
        for unit, n in self.quote_counts.items():
            self.groups[self.unit_group[unit]].names[self.unit_name[unit]] += n
        keys = Counter((g.kind, g.key) for g in self.groups if g.names and not g.ambiguous)
        for g in self.groups:  # two people, one surname and initial: their given names apart
            g.collides = keys[(g.kind, g.key)] > 1 and not g.ambiguous
        group_ids = [self._group_id(g) if g.names else None for g in self.groups]
        return [group_ids[self.unit_group[u]] if u >= 0 else None for u in self.quote_unit]

    @staticmethod
    def _group_id(group: _Group) -> str:
        if group.collides:
            return speaker_id(group.kind, group.full_key)
        return group.id

    def table(self) -> Dataset:
        """The ``speakers`` table (call after :meth:`ids`): one row per id, most quoted first."""
        docs: dict[int, set[str]] = defaultdict(set)
        quotes: Counter = Counter()
        for (doc_id, _), unit in self.units.items():
            g = self.unit_group[unit]
            docs[g].add(doc_id)
            quotes[g] += self.quote_counts.get(unit, 0)
        rows = []
        for g, group in enumerate(self.groups):
            if not quotes[g]:
                continue
            rows.append({"speaker_id": self._group_id(group), "name": group.name,
                         "variants": sorted(f for f, n in group.names.items() if n),
                         "type": group.kind, "n_quotes": quotes[g], "n_documents": len(docs[g]),
                         "ambiguous": group.ambiguous})
        rows.sort(key=lambda r: (-r["n_quotes"], r["name"], r["speaker_id"]))
        return Dataset.from_dict({k: [r[k] for r in rows] for k in SPEAKER_TABLE_FEATURES},
                                 features=SPEAKER_TABLE_FEATURES)


def group_speakers(quotes: Dataset, documents: Dataset | None = None,
                   batch_size: int = 100_000) -> tuple[Dataset, Dataset]:
    """``quotes`` with a ``speaker_id`` column, and the ``speakers`` table (see the module doc).

    ``documents`` (with ``doc_id`` and ``text``) lets a bare name that fits several people be
    decided by the titles and roles around it in its article; without it, only the mentions count.
    """
    grouper = SpeakerGrouper()
    for batch in quotes.select_columns(["doc_id", "speaker", "speaker_mention"]).iter(batch_size=batch_size):
        for doc_id, speaker, mention in zip(batch["doc_id"], batch["speaker"], batch["speaker_mention"]):
            grouper.add(doc_id, speaker, mention)
    wanted = grouper.needs_context()
    if wanted and documents is not None and len(documents):
        rows = [i for i, d in enumerate(documents["doc_id"]) if d in wanted]
        for row in documents.select(rows).select_columns(["doc_id", "text"]):
            grouper.document_context(row["doc_id"], row["text"] or "", wanted[row["doc_id"]])
    ids = grouper.ids()
    if "speaker_id" in quotes.column_names:
        quotes = quotes.remove_columns("speaker_id")
    return quotes.add_column("speaker_id", ids, feature=Value("string")), grouper.table()


def add_speakers_table(tables: dict[str, Dataset]) -> dict[str, Dataset]:
    """The run's tables with ``speaker_id`` on the quotes and a ``speakers`` table (the writers' last step)."""
    quotes, speakers = group_speakers(tables["quotes"], tables.get("documents"))
    return {**tables, "quotes": quotes, "speakers": speakers}


def synthetic_quotes(n_quotes: int, n_names: int, n_documents: int, seed: int = 0) -> Dataset:
    """A made-up quotes table (``doc_id``, ``speaker``, ``speaker_mention``) for timing the grouping.

    ``n_names`` distinct people drawn from far fewer surnames (so blocks hold many people, as
    common surnames do), quoted with a skew (a few people get most quotes) under the forms a
    corpus uses: full name, bare surname, initial, title + surname; one in 20 is an organisation
    or its acronym, and one in 10 quotes has no speaker.
    """
    import random

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ra", "ven", "dor", "sel", "tin", "bar", "qua", "zel", "mon", "ri", "sa", "te"]

    def word(k: int) -> str:
        return "".join(rng.choice(syllables) for _ in range(k)).capitalize()

    surnames = sorted({word(3) for _ in range(max(1, n_names // 5))})
    firsts = sorted({word(2) for _ in range(2000)})
    people: list[tuple[str, str]] = []
    seen = set()
    while len(people) < n_names:
        pair = (rng.choice(firsts), rng.choice(surnames))
        if pair not in seen:
            seen.add(pair)
            people.append(pair)
    orgs = [f"{word(2)} {word(3)} Agency" for _ in range(max(1, n_names // 100))]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(people))]
    picks = rng.choices(range(len(people)), weights=weights, k=n_quotes)
    doc_ids, speakers, mentions = [], [], []
    for i, p in enumerate(picks):
        doc_ids.append(f"doc{rng.randrange(n_documents)}")
        r = rng.random()
        if r < 0.1:
            speakers.append(None)
            mentions.append("officials")
            continue
        if r < 0.15:
            org = orgs[p % len(orgs)]
            name = org if rng.random() < 0.7 else "".join(t[0] for t in org.split())
            speakers.append(name)
            mentions.append("the " + name)
            continue
        first, last = people[p]
        form = rng.random()
        if form < 0.6:
            speakers.append(f"{first} {last}")
            mentions.append(f"Senator {first} {last}" if p % 3 == 0 else f"{first} {last}")
        elif form < 0.8:
            speakers.append(last)
            mentions.append(last)
        elif form < 0.9:
            speakers.append(f"{first[0]}. {last}")
            mentions.append(f"{first[0]}. {last}")
        else:
            speakers.append(last)
            mentions.append(f"Senator {last}" if p % 3 == 0 else f"Minister {last}")
    return Dataset.from_dict({"doc_id": doc_ids, "speaker": speakers, "speaker_mention": mentions})


def benchmark_grouping(n_quotes: int = 1_000_000, n_names: int = 100_000, n_documents: int = 200_000,
                       seed: int = 0) -> dict:
    """Wall time of :func:`group_speakers` on :func:`synthetic_quotes` (generation not timed)."""
    import time

    begin = time.perf_counter()
    quotes = synthetic_quotes(n_quotes, n_names, n_documents, seed)
    generated = time.perf_counter() - begin
    begin, cpu = time.perf_counter(), time.process_time()
    quotes, table = group_speakers(quotes)
    seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
    # CPU time too: on a shared machine the wall time says more about the neighbours.
    return {"n_quotes": n_quotes, "n_names": n_names, "n_documents": n_documents,
            "generate_s": round(generated, 1), "group_s": round(seconds, 1), "group_cpu_s": round(cpu, 1),
            "speakers": len(table), "ambiguous": int(sum(table["ambiguous"])),
            "quotes_with_id": sum(i is not None for i in quotes["speaker_id"])}
