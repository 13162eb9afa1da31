"""The one featurisation path for stance, shared by training, evaluation and inference.

A stance example is a sentence pair: the target first, the quote (or sentence, post, claim)
second.  Two things make the pair target-aware:

* **Mention marking.**  Where the target is mentioned inside the text, the mention is wrapped in
  ``«`` ``»`` (both single tokens of the MiniLM vocabulary), so a sentence naming two people
  says which one the label is about.  A corpus that gives the mention's offsets (NewsMTSC) uses
  them; otherwise, in training and at inference alike, the first case-insensitive occurrence of
  the target string is marked.  A checkpoint trained with marking says so in its config
  (``stance_mark_mentions``); older checkpoints get the plain pair they were trained on.
* **Holder marking** (checkpoints with ``stance_input: clause``).  The text is the attribution
  clause (source mention, cue and content), and the source mention, the stance *holder*, is
  wrapped in ``⟨`` ``⟩``: "⟨ Hale ⟩ argued that climate policy ..." says whose stance it is and
  keeps the cue ("blasted", "praised") that carries its polarity.  Such checkpoints also find a
  name target by its key words ("Donald Trump" -> "Trump", "Democratic Party" -> "Democrats"),
  as news rarely repeats a full entity name.
* **Target-aware truncation.**  A text longer than its token budget keeps the window around
  the marked mention (the head of the text when there is none), instead of losing its tail.

No padding here: batches are padded dynamically by the collator or the classifier.
"""

from __future__ import annotations

import re
from typing import Sequence

from transformers import PreTrainedTokenizerBase

OPEN, CLOSE = "«", "»"
HOLDER_OPEN, HOLDER_CLOSE = "⟨", "⟩"  # single tokens of the MiniLM vocabulary, rare in news
NO_MENTION = (-1, -1)

# Capitalised words that do not identify an entity on their own ("the United States", "House").
_GENERIC_WORDS = {
    "the", "party", "house", "senate", "united", "states", "state", "national", "president",
    "department", "new", "north", "south", "west", "east", "american", "news", "court", "supreme",
    "white", "former", "general", "committee", "union", "city", "county", "jr.", "jr", "sr.",
}


def name_keys(target: str) -> list[str]:
    """Prefix stems of a name target's distinctive capitalised words, last word first.

    "Donald Trump" -> ["Trum", "Dona"]; "Democratic Party" -> ["Democra"]: a stem keeps the
    word's first letters (all but three, at least four), so it also meets "Democrats" and
    "Biden's".  Lower-case targets (topics such as "climate action") have no keys.
    """
    keys = []
    for word in reversed(target.split()):
        word = word.strip(".,'’\"()")
        if len(word) >= 4 and word[0].isupper() and word.lower() not in _GENERIC_WORDS:
            keys.append(word[:max(4, len(word) - 3)])
    return keys


def find_mention(target: str, text: str, aliases: bool = False, news: bool = False) -> tuple[int, int]:
    """Character span of the first whole-word, case-insensitive occurrence of ``target`` in ``text``.

    With ``aliases``, a name target that does not occur whole is found by its key words
    (:func:`name_keys`): the first word of ``text`` that starts with a key, case-sensitively.
    With ``news`` as well, the forms news quotes use for an entity list's names
    (:func:`news_alias`) come last.
    """
    target = target.strip()
    if not target:
        return NO_MENTION
    match = re.search(r"(?<!\w)" + re.escape(target) + r"(?!\w)", text, flags=re.IGNORECASE)
    if match:
        return match.start(), match.end()
    for key in name_keys(target) if aliases else []:
        match = re.search(r"(?<!\w)" + re.escape(key) + r"\w*", text)
        if match:
            return match.start(), match.end()
    return news_alias(target, text) if aliases and news else NO_MENTION


def news_mention(target: str, text: str) -> tuple[int, int]:
    """:func:`find_mention` as the pipeline runs it on news quotes: key words and news forms
    ("FBI", "tariffs") included."""
    return find_mention(target, text, aliases=True, news=True)


# Words too common in topic targets to stand for the topic alone.
_TOPIC_GENERIC = {"national", "federal", "united", "states", "people", "policy", "report"}


def acronyms(name: str) -> set[str]:
    """Initials of a multi-word name's capitalised words, with and without "of"/"and":
    "Federal Bureau of Investigation" -> {"FBI", "FBOI"}, "Department of Justice" -> {"DJ", "DOJ"}."""
    words = re.findall(r"[^\W\d_]+", name)
    if len(words) < 2:
        return set()
    caps = "".join(w[0] for w in words if w[0].isupper()).upper()
    full = "".join(w[0] for w in words if w[0].isupper() or w in ("of", "and")).upper()
    return {a for a in (caps, full) if len(a) >= 2}


def news_alias(target: str, text: str) -> tuple[int, int]:
    """Where ``text`` names ``target`` in a shorter or inflected form, in order:

    1. the whole target with inflected words ("gun law" ~ "gun laws", "background checks");
    2. its acronym, case-sensitively ("FBI", "IRGC", "RNC", "ACA", "US");
    3. for a lower-case topic, its longest word of 6+ letters by its stem ("tariffs on
       Mexico" ~ "tariffs", "impeachment probe" ~ "impeachment").

    Measured on SEESAW (issue 14): a quote names the entity this way where the full name is
    absent. ``(-1, -1)`` when none applies.
    """
    target = target.strip()
    words = target.split()
    if words:
        match = re.search(r"(?<!\w)" + r"\s+".join(re.escape(w) + r"\w{0,3}" for w in words) + r"(?!\w)", text,
                          flags=re.IGNORECASE)
        if match:
            return match.start(), match.end()
    for acronym in sorted(acronyms(target)):
        match = re.search(r"(?<!\w)" + re.escape(acronym) + r"(?!\w)", text)
        if match:
            return match.start(), match.end()
    if target[:1].islower():
        long_words = [w for w in re.findall(r"[^\W\d_]+", target) if len(w) >= 6 and w.lower() not in _TOPIC_GENERIC]
        for word in sorted(long_words, key=len, reverse=True)[:1]:
            match = re.search(r"(?<!\w)" + re.escape(word[:max(5, len(word) - 2)]) + r"\w*", text, flags=re.IGNORECASE)
            if match:
                return match.start(), match.end()
    return NO_MENTION


def mark_mention(text: str, start: int, end: int, holder: tuple[int, int] = NO_MENTION) -> tuple[str, int]:
    """Wrap ``text[start:end]`` (the target) in « », and ``holder`` (when given) in ⟨ ⟩.

    Returns the new text and where the marked target mention starts (-1 when it is not marked).
    Overlapping spans keep only the target's marks.
    """
    target_ok = 0 <= start < end <= len(text)
    holder_ok = 0 <= holder[0] < holder[1] <= len(text) and not (
        target_ok and holder[0] < end and start < holder[1])
    marks = []  # (start, end, open, close), applied from the right so offsets stay valid
    if target_ok:
        marks.append((start, end, OPEN, CLOSE))
    if holder_ok:
        marks.append((holder[0], holder[1], HOLDER_OPEN, HOLDER_CLOSE))
    for begin, finish, opening, closing in sorted(marks, reverse=True):
        text = f"{text[:begin]}{opening} {text[begin:finish]} {closing}{text[finish:]}"
    if not target_ok:
        return text, -1
    shift = 4 if holder_ok and holder[1] <= start else 0  # "⟨ " and " ⟩" before the target
    return text, start + shift


def _crop(text: str, offsets: list[tuple[int, int]], anchor: int, budget: int) -> str:
    """Cut ``text`` (tokenised as ``offsets``) to ``budget`` tokens around char ``anchor``."""
    if len(offsets) <= budget:
        return text
    first = _window(offsets, anchor, budget)
    return text[offsets[first][0]:offsets[first + budget - 1][1]]


def _window(offsets: list[tuple[int, int]], anchor: int, budget: int) -> int:
    """First token of the ``budget``-token window around char ``anchor`` (the head when < 0)."""
    if anchor < 0:
        return 0
    at = next((i for i, (s, _) in enumerate(offsets) if s >= anchor), len(offsets) - 1)
    return min(max(0, at - budget // 2), len(offsets) - budget)


def encode_pairs(
    tokenizer: PreTrainedTokenizerBase,
    targets: Sequence[str],
    texts: Sequence[str],
    max_length: int,
    mentions: Sequence[tuple[int, int]] | None = None,
    mark_mentions: bool = True,
    holders: Sequence[tuple[int, int]] | None = None,
    aliases: bool = False,
) -> dict[str, list[list[int]]]:
    """Tokenise (target, text) pairs with the mention marked and the text cropped around it.

    ``mentions`` gives each text's mention span (``(-1, -1)`` to search for the target); by
    default every target is searched for (by its key words too with ``aliases``).  ``holders``
    gives each text's holder span (the quote's source mention) to mark, ``(-1, -1)`` for none.
    ``mark_mentions=False`` gives the plain pair, truncated at the end of the text.
    """
    targets = list(targets)
    if not mark_mentions:
        return tokenizer(targets, list(texts), truncation="longest_first", max_length=max_length,
                         padding=False)
    marked, anchors = [], []
    for i, (target, text) in enumerate(zip(targets, texts)):
        span = tuple(mentions[i]) if mentions is not None else NO_MENTION
        if span[0] < 0:
            span = find_mention(target, text, aliases)
        holder = tuple(holders[i]) if holders is not None else NO_MENTION
        text, anchor = mark_mention(text, *span, holder=holder)
        marked.append(text)
        anchors.append(anchor)
    target_ids = tokenizer(targets, add_special_tokens=False)["input_ids"]
    text_offsets = tokenizer(marked, add_special_tokens=False, return_offsets_mapping=True,
                             verbose=False)["offset_mapping"]  # long texts are cropped next
    cropped = []
    for text, anchor, offsets, ids in zip(marked, anchors, text_offsets, target_ids):
        budget = max(8, max_length - 3 - min(len(ids), max_length // 2))
        cropped.append(_crop(text, offsets, anchor, budget))
    return tokenizer(
        targets,
        cropped,
        truncation="longest_first",  # only bites on absurdly long targets after the crop
        max_length=max_length,
        padding=False,
    )


CLAUSE_REACH = 250  # characters; a source or cue further from the content is not part of its clause


def clause_parts(quote: dict) -> dict[str, tuple[int, int]]:
    """Document spans of a quote's clause parts: ``content`` always, ``speaker`` and ``cue`` when
    the quote has them within :data:`CLAUSE_REACH` characters of its content."""
    parts = {"content": (quote["start"], quote["end"])}
    for name in ("speaker", "cue"):
        begin, end = quote.get(f"{name}_start", -1), quote.get(f"{name}_end", -1)
        if begin is None or end is None or begin < 0 or end <= begin:
            continue
        if begin - quote["end"] > CLAUSE_REACH or quote["start"] - end > CLAUSE_REACH:
            continue
        parts[name] = (begin, end)
    return parts


def clause_start(quote: dict) -> int:
    """Where a quote's attribution clause begins in the document (see :func:`clause_parts`)."""
    return min(begin for begin, _ in clause_parts(quote).values())


def quote_clause(document: str, quote: dict) -> tuple[str, tuple[int, int]]:
    """The attribution clause of a quote: its content with its source mention and cue.

    Returns the clause text (``document[lo:hi]``, from the first to the last of the three
    spans) and the source mention's span inside it, ``(-1, -1)`` when the quote has none.
    A source or cue more than :data:`CLAUSE_REACH` characters from the content is left out
    (and then not marked), so a far-away link cannot crowd the content out of the window.
    """
    parts = clause_parts(quote)
    lo, hi = clause_start(quote), max(b for _, b in parts.values())
    holder = parts.get("speaker")
    return document[lo:hi], ((holder[0] - lo, holder[1] - lo) if holder else NO_MENTION)


def mark_clause(text: str, mentions: Sequence[tuple[int, int]],
                holder: tuple[int, int] = NO_MENTION) -> tuple[str, list[tuple[int, int] | None], tuple[int, int] | None]:
    """Wrap every target mention of one clause in « » and the holder in ⟨ ⟩, all at once.

    The multi-target model reads a clause once for all its targets, so each target is found by
    the position of its own span rather than by a marker of its own.  Returns the marked text,
    each mention's span in it (markers included; ``None`` for ``(-1, -1)`` or a span outside
    the text) and the holder's span in it (``None`` for none).  A mention overlapping one
    already marked (two targets named by the same words) shares its marks; a holder
    overlapping a mention is not marked, as in :func:`mark_mention`, but still located.
    """
    valid = lambda span: 0 <= span[0] < span[1] <= len(text)  # noqa: E731
    marked: list[tuple[int, int]] = []
    for span in sorted({tuple(m) for m in mentions if valid(m)}, key=lambda s: (s[0], -s[1])):
        if not any(span[0] < end and begin < span[1] for begin, end in marked):
            marked.append(span)
    holder_ok = valid(holder)
    holder_marked = holder_ok and not any(holder[0] < end and begin < holder[1] for begin, end in marked)
    inserts: list[tuple[int, int, str]] = []  # (position, closing marks first, string)
    for begin, end in marked:
        inserts += [(begin, 1, f"{OPEN} "), (end, 0, f" {CLOSE}")]
    if holder_marked:
        inserts += [(holder[0], 1, f"{HOLDER_OPEN} "), (holder[1], 0, f" {HOLDER_CLOSE}")]
    inserts.sort()
    pieces, at, new_at = [], 0, [0] * (len(text) + 1)  # new_at[i]: where original char i lands
    opened: dict[int, int] = {}  # original position -> where its opening marks begin
    closed: dict[int, int] = {}  # original position -> where its closing marks end
    length = 0
    for position, closing_first, string in inserts:
        for i in range(at, position):
            new_at[i] = length + (i - at)
        pieces.append(text[at:position])
        length += position - at
        at = position
        if closing_first == 1:
            opened.setdefault(position, length)
        pieces.append(string)
        length += len(string)
        if closing_first == 0:
            closed[position] = length
    for i in range(at, len(text) + 1):
        new_at[i] = length + (i - at)
    pieces.append(text[at:])

    def moved(span: tuple[int, int], with_marks: bool) -> tuple[int, int]:
        if with_marks:
            return opened.get(span[0], new_at[span[0]]), closed.get(span[1], new_at[span[1]])
        return new_at[span[0]], new_at[span[1] - 1] + 1

    spans = []
    for mention in mentions:
        mention = tuple(mention)
        if not valid(mention):
            spans.append(None)
            continue
        home = next((s for s in marked if mention[0] < s[1] and s[0] < mention[1]), None)
        spans.append(moved(home, True) if home == mention else moved(mention, False) if home is None
                     else (min(moved(home, True)[0], moved(mention, False)[0]),
                           max(moved(home, True)[1], moved(mention, False)[1])))
    holder_span = moved(holder, holder_marked) if holder_ok else None
    return "".join(pieces), spans, holder_span


def encode_clause(tokenizer: PreTrainedTokenizerBase, text: str, mentions: Sequence[tuple[int, int]],
                  holder: tuple[int, int] = NO_MENTION, max_length: int = 192) -> dict:
    """One clause with all its targets' mentions and its holder marked (:func:`mark_clause`),
    tokenised once for the multi-target model.

    Returns ``input_ids`` and ``attention_mask`` (and ``token_type_ids`` where the tokenizer
    makes them) with ``spans``: each mention's token range ``(first, last + 1)``, ``None`` where
    the target has no mention (or its mention fell outside a cropped clause), and ``holder``,
    the holder's token range or ``None``.  A clause over ``max_length`` tokens keeps the window
    around its first mention, as :func:`encode_pairs` does for one target.
    """
    marked, spans, holder_span = mark_clause(text, mentions, holder)
    budget = max(8, max_length - tokenizer.num_special_tokens_to_add(pair=False))
    offsets = tokenizer(marked, add_special_tokens=False, return_offsets_mapping=True,
                        verbose=False)["offset_mapping"]
    shift = 0
    if len(offsets) > budget:
        first = _window(offsets, min((s[0] for s in spans if s is not None), default=-1), budget)
        shift = offsets[first][0]
        marked = marked[shift:offsets[first + budget - 1][1]]
    encoded = tokenizer(marked, truncation=True, max_length=max_length, return_offsets_mapping=True,
                        return_special_tokens_mask=True, verbose=False)
    chars = [None if special else span for span, special in
             zip(encoded.pop("offset_mapping"), encoded.pop("special_tokens_mask"))]

    def tokens(span: tuple[int, int] | None) -> tuple[int, int] | None:
        if span is None:
            return None
        begin, end = span[0] - shift, span[1] - shift
        inside = [i for i, c in enumerate(chars) if c is not None and c[0] >= begin and c[1] <= end and c[1] > c[0]]
        return (inside[0], inside[-1] + 1) if inside else None

    return {**{k: list(v) for k, v in encoded.items()},
            "spans": [tokens(s) for s in spans], "holder": tokens(holder_span)}
