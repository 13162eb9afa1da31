"""Where a quote refers to a stance target without naming it: "the president", "her".

News names a person once, then says "the president", "he" or "her". Sen. Susan Collins saying
"Her questioning is excellent" is about Amy Klobuchar, named the sentence before. The stance
stage marks the target's mention inside the quote (:mod:`pipeline.stance.features`); this module
finds that mention when the quote does not name the target, from the document around it:

1. **Role.** "the president", "the senator", "the special counsel" ... refers to the person
   target the document gives that title ("President Donald Trump", "Sen. Susan Collins"), when
   every titled name of that role in the document is that one target.
2. **Pronoun.** The first he/him/his or she/her of the quote's *content* (the source mention is
   the holder, not the target) refers to the person target named last before the quote's clause,
   at most :data:`PRONOUN_REACH` characters before it, when that person is not the quote's speaker
   and the document tells the person's gender and it agrees. A quote without a resolved speaker
   is left alone: its pronouns may be the speaker's own.
3. **Topic.** "the lanes" refers to the one topic target of the document with that head noun
   ("bike lanes"); "the plan", "this measure", "the bill" (:data:`PLAN_NOUNS`) to the topic target
   named last before the quote, at most :data:`TOPIC_REACH` characters before it.

"Named" is decided by the ``locate`` function the caller passes (the stance featurisation's
``find_mention``), so this module and the stance input agree on what a mention is. Nothing here
labels a stance; it only says which words to mark, and the classifier still reads the quote.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

from pipeline.quotes.speakers import ORG_WORDS, gender_of

Span = tuple[int, int]
#: ``locate(target, text)``: the first mention of ``target`` in ``text``, ``(-1, -1)`` for none.
Locate = Callable[[str, str], Span]

#: How far back (characters from the clause's start) a pronoun's antecedent may be named.
PRONOUN_REACH = 400
#: Title before a name -> the role nouns that refer back to its holder.
ROLE_TITLES: dict[str, tuple[str, ...]] = {
    "president": ("president",),
    "vice president": ("vice president",),
    "sen.": ("senator",), "senator": ("senator",),
    "gov.": ("governor",), "governor": ("governor",),
    "rep.": ("congressman", "congresswoman"), "representative": ("congressman", "congresswoman"),
    "congressman": ("congressman",), "congresswoman": ("congresswoman",),
    "speaker": ("speaker",),
    "secretary": ("secretary",),
    "attorney general": ("attorney general",),
    "special counsel": ("special counsel",),
    "chairman": ("chairman",), "chairwoman": ("chairwoman",),
    "judge": ("judge",), "justice": ("justice",),
    "mayor": ("mayor",), "prime minister": ("prime minister",), "chancellor": ("chancellor",),
    "ambassador": ("ambassador",),
}
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(ROLE_TITLES, key=len, reverse=True))
#: A title with up to two name words before the name's occurrence: "President Donald J. Trump".
_TITLE_BEFORE_RE = re.compile(rf"(?i:(?<![\w.])({_TITLE_ALT}))\s+(?:[A-Z][\w.'’-]*\s+){{0,2}}$")
#: Every titled name of the document: "President Obama", "Sen. Susan Collins".
_TITLED_NAME_RE = re.compile(rf"(?i:(?<![\w.])({_TITLE_ALT}))\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]*){{0,2}})")
_PRONOUN_RE = re.compile(r"(?i)\b(he|him|his|she|her|hers)\b")
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
#: A subject or possessive pronoun soon after a person's name, in the same sentence: "Klobuchar
#: of Minnesota said she ...", "Trump and his ...". ("Trump mocked her" is about someone else, so
#: object pronouns do not count; without a clear majority the document tells no gender.)
_PRONOUN_AFTER = re.compile(r"[^.!?\"“”]{0,60}?\b(he|his|she)\b")
_NOT_PERSON_WORDS = frozenset("""united states republican republicans democrat democrats democratic gop
    american americans white of and the""".split())


def is_person_target(target: str) -> bool:
    """A name of one person: 1-4 capitalised words, none an organisation or group word."""
    words = target.replace("’", "'").split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(
        w.lower().strip(".,") in ORG_WORDS or w.lower().strip(".,") in _NOT_PERSON_WORDS for w in words)


def occurrences(target: str, text: str, locate: Locate) -> list[Span]:
    """Every mention of ``target`` in ``text``, in order (``locate`` applied repeatedly)."""
    spans, at = [], 0
    while at < len(text):
        start, end = locate(target, text[at:])
        if start < 0:
            break
        spans.append((at + start, at + end))
        at += max(end, start + 1)
    return spans


#: What a quote calls the policy, bill or plan the article is about: "the plan", "this measure".
PLAN_NOUNS = frozenset("""plan plans proposal measure bill policy law rule project deal agreement program
    programme practice legislation ban decision order declaration reform initiative scheme""".split())
#: How far back (characters from the clause's start) the topic "the plan" stands for may be named.
TOPIC_REACH = 1500
#: How far back a topic that is not itself a plan or bill may be named for "the plan" to be it.
PLAN_NEAR = 200


_NAME_GLUE = frozenset("of the and for on in at de del la von van".split())  # "Department of Justice"


def is_topic_target(target: str) -> bool:
    """A topic, policy or event: a target with a lower-case word other than "of", "the", ...
    ("bike lanes", "US-Mexico border wall"); names of people and organisations are capitalised
    ("Department of Justice")."""
    return any(w[:1].islower() and w not in _NAME_GLUE for w in target.split())


def _head(topic: str) -> str | None:
    """The head noun of a topic, singular: "bike lanes" -> "lane", "impeachment probe" -> "probe"."""
    words = re.findall(r"[^\W\d_]+", topic)
    if not words or not words[-1].islower() or len(words) < 2:
        return None
    head = words[-1]
    return head[:-1] if head.endswith("s") and len(head) > 4 else head


def _inside_quote_marks(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` is inside quotation marks opened before it."""
    before = text[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


class DocumentTargets:
    """The person and topic targets of one document: where each is named, a person's roles and
    gender, a topic's head noun."""

    def __init__(self, text: str, targets: Sequence[str], locate: Locate) -> None:
        self.text, self.locate = text, locate
        targets = list(dict.fromkeys(targets))
        self.people = [t for t in targets if is_person_target(t)]
        self.topics = [t for t in targets if is_topic_target(t)]
        self.spans = {t: occurrences(t, text, locate) for t in self.people + self.topics}
        self.gender = {t: self._gender(t) for t in self.people}
        self.role_holder = self._role_holders()
        heads: dict[str, list[str]] = {}
        for topic in self.topics:
            if self.spans[topic] and _head(topic) and len(_head(topic)) >= 4:
                heads.setdefault(_head(topic), []).append(topic)
        self.head_of = {head: named[0] for head, named in heads.items() if len(named) == 1}

    def _gender(self, target: str) -> str | None:
        words = target.split()
        titles: list[str] = []
        votes = {"m": 0, "f": 0}
        for start, end in self.spans[target]:
            before = self.text[max(0, start - 20):start].split()
            titles += before[-1:]
            after = _PRONOUN_AFTER.match(self.text, end)
            if after:
                votes[_PRONOUN_GENDER[after.group(1).lower()]] += 1
        told = gender_of(titles, words)
        if told:
            return told
        if max(votes.values()) >= 2 * min(votes.values()) + 1:  # a clear majority of the pronouns
            return "m" if votes["m"] > votes["f"] else "f"
        return None

    def _role_holders(self) -> dict[str, str]:
        """Role noun -> the one target every titled name of that role in the document is."""
        holders: dict[str, set[str | None]] = {}
        for match in _TITLED_NAME_RE.finditer(self.text):
            name = match.group(2)
            who = [t for t in self.people if self.locate(t, name)[0] >= 0]
            for noun in ROLE_TITLES[match.group(1).lower()]:
                holders.setdefault(noun, set()).add(who[0] if len(who) == 1 else None)
        for target in self.people:  # titles before a target's short form ("President Trump")
            for start, _ in self.spans[target]:
                title = _TITLE_BEFORE_RE.search(self.text[max(0, start - 60):start])
                for noun in ROLE_TITLES[title.group(1).lower()] if title else ():
                    holders.setdefault(noun, set()).add(target)
        return {noun: next(iter(who)) for noun, who in holders.items() if len(who) == 1 and None not in who}

    def references(self, quote: Mapping, clause_start: int) -> dict[str, Span]:
        """Target -> document span inside the quote's content that refers to it: roles, topic
        head nouns, "the plan", then one pronoun; ``clause_start`` is where the quote's
        attribution clause begins (antecedents are looked for before it)."""
        start, end = quote["start"], quote["end"]
        content = self.text[start:end]
        found: dict[str, Span] = {}
        for noun, target in self.role_holder.items():
            # "the president of Mexico" names another holder of the role
            match = re.search(rf"(?i:\bthe\s+(?:former\s+|current\s+)?{re.escape(noun)}\b)(?!\s+[A-Z]|\s+of\b)", content)
            if match and target not in found:
                found[target] = (start + match.start(), start + match.end())
        for head, topic in self.head_of.items():  # "the lanes" for "bike lanes"
            match = re.search(rf"(?i:\b(?:the|this|that|these|those)\s+(?:[a-z-]+\s+)?{re.escape(head)}s?\b)", content)
            if match and topic not in found:
                found[topic] = (start + match.end() - len(match.group().split()[-1]), start + match.end())
        plan = re.search(rf"(?i:\b(?:the|this|that|these|those)\s+(?:[a-z-]+\s+)?({'|'.join(PLAN_NOUNS)})\b)", content)
        if plan:
            topic = self._latest_topic(clause_start, plan.group(1).lower())
            if topic is not None and topic not in found:
                found[topic] = (start + plan.start(), start + plan.end())
        pronoun = _PRONOUN_RE.search(content)
        speaker = quote.get("speaker")
        gender = _PRONOUN_GENDER[pronoun.group(1).lower()] if pronoun else None
        # "Collins said that she would vote ...": in reported speech a pronoun of the speaker's
        # gender is the speaker; inside quote marks the speaker says "I", so "her" is someone else
        quoted = quote.get("kind") == "direct" or self.text[max(0, start - 1):start] in ("“", '"')
        reported = pronoun and not quoted and not _inside_quote_marks(content, pronoun.start())
        if pronoun and speaker and not (reported and self._speaker_gender(speaker) == gender):
            target = self._antecedent(gender, clause_start, speaker)
            if target is not None and target not in found:
                found[target] = (start + pronoun.start(), start + pronoun.end())
        return found

    def _latest_topic(self, before: int, noun: str) -> str | None:
        """The topic target named last before ``before`` that "the <noun>" can stand for: one that
        is a plan, bill or policy itself (its head noun is ``noun`` or another of
        :data:`PLAN_NOUNS`) within :data:`TOPIC_REACH`, or any topic within :data:`PLAN_NEAR`
        ("The council voted to build bike lanes. Miller said the plan ..."); "the plan" of a
        paragraph far from "bike lanes" is not them."""
        nouns = {noun, noun.rstrip("s")} | PLAN_NOUNS
        last = {}
        for topic in self.topics:
            end = max((e for _, e in self.spans[topic] if e <= before), default=-1)
            reach = TOPIC_REACH if (_head(topic) or "") in nouns else PLAN_NEAR
            if end >= 0 and before - end <= reach:
                last[topic] = end
        return max(last, key=last.__getitem__) if last else None

    def _speaker_gender(self, speaker: str) -> str | None:
        """The speaker's gender: a person target's as the document tells it, else by first name."""
        for target in self.people:
            if self.locate(target, speaker)[0] >= 0 and self.gender.get(target):
                return self.gender[target]
        return gender_of([], speaker.split())

    def _antecedent(self, gender: str, before: int, speaker: str) -> str | None:
        """The person target named last before ``before`` (within :data:`PRONOUN_REACH`), other
        than the speaker, when its gender is known and is ``gender``; a more recent person of
        unknown gender makes it ambiguous."""
        last = {t: max((e for _, e in self.spans[t] if e <= before), default=-1) for t in self.people
                if self.locate(t, speaker)[0] < 0}
        for target in sorted((t for t, e in last.items() if e >= 0 and before - e <= PRONOUN_REACH),
                             key=last.__getitem__, reverse=True):
            if self.gender[target] is None:
                return None
            if self.gender[target] == gender:
                return target
        return None
