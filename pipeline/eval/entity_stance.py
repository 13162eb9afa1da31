"""End-to-end "who is for or against whom": score a run of ``scripts/infer.py`` against SEESAW.

Gold is a SEESAW JSONL (``id``, ``text``, ``targets``, ``entities`` {name, type, role},
``triplets`` {sentence, subject, polarity POS/NEG, object}); the predictions are the output
folder of ``scripts/infer.py`` run over that same file (its ``targets`` are the entity names).

**Gold**, per article: the (subject, object) pairs of its triplets with both names in the
entity list (``None`` / ``Not in the list`` dropped) and subject != object. A pair annotated
with both polarities takes the majority over its triplet rows (one row per sentence);
ties go to NEG.

**Prediction**, per article: each quote whose ``speaker`` (its ``speaker_mention`` when
``speaker`` is null) matches a listed entity (:func:`match_entity`) gives, for each favor
(POS) / against (NEG) stance toward a listed target other than that entity, a vote of its
``score`` for (entity, polarity, target). A pair voted both ways takes the polarity with the
larger summed score; ties go to NEG.

Two matching rules were added after reading the system's misses on SEESAW valid, so each can be
switched off to see what it adds: ``mention_fallback`` (a quote whose canonical ``speaker``
matches no entity is tried again by its ``speaker_mention``) and ``nicknames`` (a first name
matches its short form, :data:`NICKNAMES`). Both are on by default; the metrics always report
triplet P/R/F1 both with and without the mention fallback (``triplet_by_mention_fallback``).

Both sides therefore hold one polarity per (subject, object) pair. Scored micro over all
articles: triplet precision/recall/F1 (pair and polarity equal), pair P/R/F1 (polarity
ignored), polarity accuracy and a gold x predicted POS/NEG confusion matrix on the pairs found
in both, and the gold NEG share (what always answering NEG would score as polarity accuracy).
Many gold relations are not expressed through a quote, so recall has a ceiling below 1.

**Unrelated targets** (:func:`make_unrelated_targets`, :func:`evaluate_unrelated_targets`):
each article gets, as targets, the entity names of another story that do not occur in its
text; a stance model that reads the quote should call those pairs neutral, so the share it
labels favor/against is a false-positive rate.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Sequence

from datasets import Dataset, Features, Value

from pipeline.io.artifacts import load_artifacts, save_table
from pipeline.quotes.speakers import ORG_WORDS, TITLES

#: Subject/object values that are not entities of the list.
NOT_ENTITIES = frozenset({"None", "Not in the list"})
POLARITY = {"favor": "POS", "against": "NEG"}
#: Generational suffixes: dropped before taking a surname ("William B. Taylor Jr." -> "taylor"),
#: but a speaker with one never matches a listed person without one ("Donald Trump Jr.").
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: Words that end a title inside a speaker name: the name proper follows the last of them
#: ("Colorado Gov. John Hickenlooper", "House Speaker Nancy Pelosi"). The speakers module's
#: titles minus those that are also common surnames ("King", "Bishop", "Judge"), plus a few
#: US-politics ones.
MID_TITLES = (TITLES - frozenset("king queen prince princess lord lady dame sir pope bishop judge rabbi imam pastor "
                                 "coach captain nurse engineer".split())) | frozenset(
    "speaker whip majority minority congressman congresswoman rep sen gov u.s. s. ex-fbi".split())
#: Words of a People entity that make it a group, not one person ("House Republicans").
GROUP_WORDS = frozenset(
    """republican republicans democrat democrats democratic gop americans senators lawmakers
    caucus united states voters members officials supporters leaders congressmen lawyers
    prosecutors investigators protesters critics residents workers students""".split()
)
#: Generic words, never a stem: function words, generic group nouns, "state", "united".
STEM_GENERIC = frozenset(
    """the a an of and or for in on at to by with from about after before over under new
    national federal united states state people group members officials lawmakers leaders
    supporters critics voters campaign white other some many top""".split()
)
#: Organisation heads and titles ("congress", "department", "justice").
HEADS = ({w.strip(".") for w in TITLES} | {w.strip(".") for w in ORG_WORDS}) - STEM_GENERIC
#: Words that make no stem match when a name has other words ("White House" and "House
#: Republicans" share only "house").
STEM_STOPWORDS = STEM_GENERIC | HEADS
#: Entity types a speaker can be by the stem rule (not a topic, an event or "Others").
SPEAKER_TYPES = frozenset({"People", "Organization", "GPE", None})
#: A stem is a common prefix of at least this many characters.
STEM_CHARS = 5
_TRIPLET_FEATURES = Features({"doc_id": Value("string"), "subject": Value("string"), "object": Value("string"),
                              "gold": Value("string"), "pred": Value("string"), "pred_score": Value("float32")})


# --- name matching -------------------------------------------------------------------------------

def normalise_name(name: str | None) -> str:
    """Case-folded, NFKC (no-break spaces become spaces), single-spaced, curly apostrophes
    straightened, a leading "the" dropped."""
    text = unicodedata.normalize("NFKC", name or "").replace("\u2019", "'")
    text = " ".join(text.split()).casefold()
    return re.sub(r"^the ", "", text)


def _name_tokens(name: str, speaker: bool = False) -> tuple[list[str], bool]:
    """``(tokens, has suffix)`` of a name: parentheses ("(D-Calif.)"), possessives and edge
    punctuation dropped, leading titles dropped and trailing suffixes split off; for a speaker
    name also everything up to its last title (``MID_TITLES``). Case is kept."""
    text = re.sub(r"\([^)]*\)", " ", unicodedata.normalize("NFKC", name).replace("\u2019", "'"))
    if speaker:  # an apposition or a list after the name: "James Clyburn, the House majority whip,"
        text = next((part for part in text.split(",") if _name_tokens(part)[0]), text)
    tokens = [t for t in (re.sub(r"'s?$", "", t.strip(",;:\"\u201c\u201d\u2014\u2013-")) for t in text.split()) if t]
    if speaker:
        titles = [i for i, t in enumerate(tokens) if t.casefold() in MID_TITLES]
        if titles:
            tokens = tokens[titles[-1] + 1:]
        # "Rep. Ted Lieu of California", "Madeleine Albright and John Kerry": the first name ends there
        ends = [i for i, t in enumerate(tokens) if t in ("of", "from", "who")
                or (t == "and" and tokens[i + 1:i + 2] and tokens[i + 1][:1].isupper())]
        if ends and ends[0] > 0:
            tokens = tokens[:ends[0]]
    while tokens and (tokens[0].casefold() in TITLES or tokens[0].casefold() == "the"):
        tokens = tokens[1:]
    suffix = False
    while tokens and tokens[-1].casefold() in SUFFIXES:
        tokens, suffix = tokens[:-1], True
    return [t.strip(".") for t in tokens if t.strip(".")], suffix


def _is_person_name(tokens: list[str]) -> bool:
    """1-4 tokens, all capitalised (or a name listed all in lower case, 2+ tokens), none an
    organisation or group word ("Democratic Party", "Republican lawmakers" are groups)."""
    if not 1 <= len(tokens) <= 4 or any(t.casefold() in GROUP_WORDS or t.casefold() in ORG_WORDS for t in tokens):
        return False
    return all(t[:1].isupper() for t in tokens) or (len(tokens) > 1 and all(t.islower() for t in tokens))


def _person(entity: dict) -> tuple[list[str], bool] | None:
    """``(name tokens, has suffix)`` of a People entity that names one person, else None."""
    if entity.get("type") != "People":
        return None
    tokens, suffix = _name_tokens(entity["name"])
    return (tokens, suffix) if _is_person_name(tokens) else None


def _words(name: str) -> list[str]:
    """Lower-case words of a name; "GOP" reads as "republican"."""
    return ["republican" if w == "gop" else w for w in re.findall(r"[^\W\d_]+", normalise_name(name))]


def _stem_words(words: Iterable[str]) -> set[str]:
    return {w for w in words if len(w) >= STEM_CHARS and w not in STEM_STOPWORDS}


def _share_stem(a: str, b: str) -> bool:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= STEM_CHARS


#: Short forms whose initial differs from the full first name ("Bill Weld" ~ "William Weld").
NICKNAMES = {"bill": "william", "will": "william", "bob": "robert", "rob": "robert", "dick": "richard",
             "rick": "richard", "jim": "james", "jack": "john", "ted": "edward", "ned": "edward",
             "peggy": "margaret", "betsy": "elizabeth", "liz": "elizabeth", "chuck": "charles",
             "hank": "henry", "jerry": "gerald", "larry": "lawrence"}


def _nickname(a: str, b: str) -> bool:
    """Whether two first names are one name and its short form."""
    return NICKNAMES.get(a) == b or NICKNAMES.get(b) == a


def _acronym(name: str) -> set[str]:
    """Acronyms of a multi-word name: initials of its capitalised words, with and without
    "of"/"and" ("Islamic Revolutionary Guard Corps" -> IRGC, "Department of Justice" -> DJ, DOJ)."""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", name))
    caps = "".join(w[0] for w in words if w[0].isupper()).upper()
    full = "".join(w[0] for w in words if w[0].isupper() or w in ("of", "and")).upper()
    return {a for a in (caps, full) if len(a) >= 2 and len(words) >= 2}


def _unique_best(scored: dict[str, int]) -> str | None:
    if not scored:
        return None
    best = max(scored.values())
    winners = [name for name, score in scored.items() if score == best]
    return winners[0] if len(winners) == 1 else None


def match_rule(name: str | None, entities: Sequence[dict], nicknames: bool = True) -> tuple[str, str] | None:
    """``(entity name, rule)`` for the listed entity a speaker name refers to, or None.

    Rules, in order; the first that gives exactly one entity wins, and a name that fits
    several entities equally well under a rule matches none (it is ambiguous):

    1. ``full``: equal after :func:`normalise_name` (case, white space incl. no-break
       spaces, a leading "the").
    2. ``surname``: for entities that name one person (type People, 1-4 capitalised tokens,
       no group or organisation word), the last token is equal. Titles are dropped first (in
       a speaker name, everything up to its last title: "Colorado Gov. John Hickenlooper"),
       and suffixes: a speaker with one ("Donald Trump Jr.") never matches a person listed
       without one. First names must not conflict: when both names have one, their initials
       agree ("Joseph R. Biden" ~ "Joe Biden", "Hunter Biden" !~ "Joe Biden"); any word before
       the surname may be the first name ("Democrat Bill Clinton"), and a nickname counts
       ("William Weld" ~ "Bill Weld", :data:`NICKNAMES`) unless ``nicknames`` is false. A speaker name ends at an "of",
       "from", "who", an "and" before a capitalised word, or a comma ("Rep. Ted Lieu of
       California", "James Clyburn, the House majority whip"). A bare surname ("Biden") fits
       every person with it; among several fits, an equal first name decides.
    2b. ``acronym``: an all-capitals word of 2-6 letters equal to the initials of an
       Organization or GPE entity ("Iran's IRGC" ~ "Islamic Revolutionary Guard Corps").
    3. ``stem``: entities of type People (groups only), Organization or GPE sharing a word
       stem with the name: two words share a stem when their common prefix has at least
       ``STEM_CHARS`` (5) characters, over words of 5+ letters not in ``STEM_STOPWORDS``
       (function words, titles, organisation heads like "party" and "house", generic group
       nouns; "GOP" reads as "republican"). "Democrats" ~ "Democratic Party", "Republicans"
       ~ "Republican lawmakers". A name with no such word uses its organisation heads and
       titles ("Congress", "Justice Department"), against Organization and GPE entities only. The entity sharing most stems wins. Persons are
       left out of this rule, and so is a speaker name that is a person's (2+ capitalised
       tokens after titles, no organisation or group word: "Democratic Rep. Adam Schiff",
       "Donald Trump Jr."), so a surname never reaches another person or "Trump
       administration", and a party adjective never turns a politician into the party.
    """
    if not name or not name.strip():
        return None
    key = normalise_name(name)
    full = [e["name"] for e in entities if normalise_name(e["name"]) == key]
    if len(set(full)) == 1:
        return full[0], "full"

    tokens, suffix = _name_tokens(name, speaker=True)
    if tokens:
        surname, first = tokens[-1].casefold(), (tokens[0].casefold() if len(tokens) > 1 else None)
        fits: dict[str, int] = {}
        for entity in entities:
            person = _person(entity)
            if person is None or person[0][-1].casefold() != surname or (suffix and not person[1]):
                continue
            their_first = person[0][0].casefold() if len(person[0]) > 1 else None
            # any given name before the surname may be the first name ("Democrat Bill Clinton",
            # "US District Court Judge Amy Berman Jackson"); a nickname counts ("Bill" ~ "William")
            if first and their_first and not any(t.casefold()[0] == their_first[0]
                                                 or (nicknames and _nickname(t.casefold(), their_first))
                                                 for t in tokens[:-1]):
                continue
            fits[entity["name"]] = int(bool(first) and first == their_first)
        winner = _unique_best(fits)
        if winner is not None:
            return winner, "surname"

    acronyms = {t for t in re.findall(r"[^\W\d_]+", name) if t.isupper() and 2 <= len(t) <= 6}
    if acronyms:  # "Iran's IRGC" ~ "Islamic Revolutionary Guard Corps"
        fits = {e["name"]: 1 for e in entities if e.get("type") in ("Organization", "GPE", None)
                and acronyms & _acronym(e["name"])}
        winner = _unique_best(fits)
        if winner is not None:
            return winner, "acronym"
    if len(tokens) > 1 and _is_person_name(tokens):
        return None  # a person's name reaches a person by name only
    words = _words(name)
    stems, types = _stem_words(words), SPEAKER_TYPES
    if not stems:  # "Congress", "Justice Department": organisation heads only
        stems = {w for w in words if len(w) >= STEM_CHARS and w in HEADS}
        types = frozenset({"Organization", "GPE", None})
    if stems:
        shared: dict[str, int] = {}
        for entity in entities:
            if entity.get("type") not in types or _person(entity) is not None:
                continue
            their = _words(entity["name"])
            their = _stem_words(their) if types is SPEAKER_TYPES else set(their)
            n = sum(any(_share_stem(s, t) for t in their) for s in stems)
            if n:
                shared[entity["name"]] = n
        winner = _unique_best(shared)
        if winner is not None:
            return winner, "stem"
    return None


def match_quote(quote: dict, entities: Sequence[dict], mention_fallback: bool = True,
                nicknames: bool = True) -> tuple[str, str] | None:
    """``(entity name, rule)`` for the speaker of a quote: its ``speaker`` (the canonical name;
    the ``speaker_mention`` when that is null), else, with ``mention_fallback``, its
    ``speaker_mention`` when the canonical name matches no entity (a name taken from a
    headline, "Tulsi Gabbard Votes", may be canonical while the mention is "Gabbard")."""
    found = match_rule(quote.get("speaker") or quote.get("speaker_mention"), entities, nicknames)
    if mention_fallback and found is None and quote.get("speaker") and quote.get("speaker_mention"):
        found = match_rule(quote["speaker_mention"], entities, nicknames)
        # not when the canonical name is another person of that surname ("Melania Trump", "Trump")
        if found is not None and found[1] == "surname":
            tokens, person = _name_tokens(quote["speaker"], speaker=True), _person({"name": found[0], "type": "People"})
            if tokens[0] and person and tokens[0][-1].casefold() == person[0][-1].casefold():
                return None
    return found


def match_entity(name: str | None, entities: Sequence[dict], nicknames: bool = True) -> str | None:
    """The listed entity a speaker name refers to, or None; the rules are :func:`match_rule`'s."""
    found = match_rule(name, entities, nicknames)
    return found[0] if found else None


# --- gold and predicted pairs --------------------------------------------------------------------

def read_jsonl(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_pairs(article: dict) -> dict[tuple[str, str], str]:
    """``{(subject, object): POS|NEG}`` for one article: both listed, distinct; majority polarity,
    ties NEG."""
    names = {e["name"] for e in article["entities"]} - NOT_ENTITIES
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for t in article["triplets"]:
        if t["subject"] in names and t["object"] in names and t["subject"] != t["object"]:
            votes[(t["subject"], t["object"])][t["polarity"]] += 1
    return {pair: "POS" if c["POS"] > c["NEG"] else "NEG" for pair, c in votes.items()}


def predicted_pairs(quotes: Iterable[dict], entities: Sequence[dict], rules: Counter | None = None,
                    mention_fallback: bool = True, nicknames: bool = True,
                    ) -> tuple[dict[tuple[str, str], tuple[str, float]], int, set[str]]:
    """``({(subject, object): (POS|NEG, summed score)}, quotes matched, matched subjects)`` for one
    article's quotes; ``rules`` counts the matching rule used per matched quote; the two switches
    are :func:`match_quote`'s."""
    listed = {normalise_name(e["name"]): e["name"] for e in entities if e["name"] not in NOT_ENTITIES}
    entities = [e for e in entities if e["name"] not in NOT_ENTITIES]
    scores: dict[tuple[str, str], Counter] = defaultdict(Counter)
    matched, subjects = 0, set()
    for quote in quotes:
        found = match_quote(quote, entities, mention_fallback, nicknames)
        if found is None:
            continue
        subject, rule = found
        matched += 1
        subjects.add(subject)
        if rules is not None:
            rules[rule] += 1
        for stance in quote["stances"] or []:
            polarity = POLARITY.get(stance["label"])
            target = listed.get(normalise_name(stance["target"]))
            if polarity is None or target is None or target == subject:
                continue
            scores[(subject, target)][polarity] += float(stance["score"])
    pairs = {}
    for pair, c in scores.items():
        polarity = "POS" if c["POS"] > c["NEG"] else "NEG"
        pairs[pair] = (polarity, c[polarity])
    return pairs, matched, subjects


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _write_metrics(metrics: dict, output_dir: str | Path) -> None:
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False))


def _score_articles(articles: Sequence[dict], by_doc: dict[str, list[dict]], status: dict[str, str],
                    mention_fallback: bool, nicknames: bool) -> tuple[dict, list[dict]]:
    """``(summary, triplet rows)`` of :func:`evaluate_entity_stance` for one setting of the switches."""
    rows, rules = [], Counter()
    tp_pair = tp_triplet = n_gold = n_pred = 0
    confusion = [[0, 0], [0, 0]]  # rows gold POS/NEG, columns predicted POS/NEG
    counts = Counter()
    for article in articles:
        doc_id = article["id"]
        gold = gold_pairs(article)
        pred, matched, subjects = predicted_pairs(by_doc.get(doc_id, []), article["entities"], rules,
                                                  mention_fallback=mention_fallback, nicknames=nicknames)
        counts["articles"] += 1
        counts["articles_missing"] += doc_id not in status
        counts["articles_error"] += status.get(doc_id) == "error"
        counts["quotes"] += len(by_doc.get(doc_id, []))
        counts["quotes_matched"] += matched
        counts["gold_pairs_with_quoted_subject"] += sum(s in subjects for s, _ in gold)
        n_gold += len(gold)
        n_pred += len(pred)
        for pair in sorted(set(gold) | set(pred)):
            g = gold.get(pair)
            p, score = pred.get(pair, (None, None))
            if g and p:
                tp_pair += 1
                tp_triplet += g == p
                confusion[g == "NEG"][p == "NEG"] += 1
            rows.append({"doc_id": doc_id, "subject": pair[0], "object": pair[1], "gold": g, "pred": p,
                         "pred_score": score})
    gold_neg = sum(r["gold"] == "NEG" for r in rows)
    pred_neg = sum(r["pred"] == "NEG" for r in rows)
    summary = {
        "triplet": _prf(tp_triplet, n_pred, n_gold),
        "pair": _prf(tp_pair, n_pred, n_gold),
        "polarity_accuracy": tp_triplet / tp_pair if tp_pair else 0.0,
        "polarity_n": tp_pair,
        "confusion": {"rows": "gold", "columns": "pred", "labels": ["POS", "NEG"], "matrix": confusion},
        "gold_neg_share": gold_neg / n_gold if n_gold else 0.0,
        "pred_neg_share": pred_neg / n_pred if n_pred else 0.0,
        "counts": {"articles": counts["articles"], "articles_missing": counts["articles_missing"],
                   "articles_error": counts["articles_error"], "gold_triplets": n_gold,
                   "gold_triplet_rows": sum(len(a["triplets"]) for a in articles),
                   "predicted_triplets": n_pred, "quotes": counts["quotes"],
                   "quotes_matched": counts["quotes_matched"],
                   "quotes_matched_by_rule": {k: rules[k] for k in ("full", "surname", "stem", "acronym")},
                   "gold_pairs_with_quoted_subject": counts["gold_pairs_with_quoted_subject"]},
    }
    return summary, rows


def evaluate_entity_stance(gold_path: str | Path, predictions: str | Path, output_dir: str | Path,
                           mention_fallback: bool = True, nicknames: bool = True) -> dict:
    """Score article-level (subject, polarity, object) triplets; writes ``metrics.json`` and ``triplets``.

    ``mention_fallback`` and ``nicknames`` switch the two matching rules of :func:`match_quote`
    and :func:`match_rule` (both on by default); ``summary`` is scored with them as given, and
    ``summary.triplet_by_mention_fallback`` holds triplet P/R/F1 both ``with`` and ``without``
    the mention fallback (nicknames as given), so a reader sees what the fallback adds.

    ``triplets`` (``save_to_disk``) has one row per gold or predicted pair: ``doc_id``,
    ``subject``, ``object``, ``gold`` and ``pred`` (POS / NEG / null) and ``pred_score``.
    """
    articles = read_jsonl(gold_path)
    quotes, documents, _ = load_artifacts(predictions)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for quote in quotes.select_columns(["doc_id", "speaker", "speaker_mention", "stances"]):
        by_doc[quote["doc_id"]].append(quote)
    status = dict(zip(documents["doc_id"], documents["status"]))

    summary, rows = _score_articles(articles, by_doc, status, mention_fallback, nicknames)
    other, _ = _score_articles(articles, by_doc, status, not mention_fallback, nicknames)
    summary["triplet_by_mention_fallback"] = {
        "with": summary["triplet"] if mention_fallback else other["triplet"],
        "without": other["triplet"] if mention_fallback else summary["triplet"]}
    summary["scorer"] = {"mention_fallback": bool(mention_fallback), "nicknames": bool(nicknames)}
    metrics = {"summary": summary, "gold_path": str(gold_path), "predictions": str(predictions)}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    table = (Dataset.from_list(rows, features=_TRIPLET_FEATURES) if rows else
             Dataset.from_dict({k: [] for k in _TRIPLET_FEATURES}, features=_TRIPLET_FEATURES))
    save_table(table, output_dir, "triplets")
    _write_metrics(metrics, output_dir)
    return metrics


def format_entity_stance_metrics(metrics: dict) -> str:
    """A few readable lines: triplet, pair and polarity figures, the confusion matrix, counts."""
    s = metrics["summary"]
    c = s["counts"]
    (pp, pn), (np_, nn) = s["confusion"]["matrix"]
    lines = [f"{'':10}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'pred':>7}{'gold':>7}"]
    for name in ("triplet", "pair"):
        m = s[name]
        lines.append(f"{name:10}{m['precision']:7.3f}{m['recall']:7.3f}{m['f1']:7.3f}"
                     f"{m['tp']:7d}{m['n_pred']:7d}{m['n_gold']:7d}")
    by = s.get("triplet_by_mention_fallback")
    if by:
        scorer = s.get("scorer", {})
        lines.append(f"triplet F1 with the speaker-mention fallback {by['with']['f1']:.3f}"
                     f" (P {by['with']['precision']:.3f} / R {by['with']['recall']:.3f}), without"
                     f" {by['without']['f1']:.3f} (P {by['without']['precision']:.3f} / R {by['without']['recall']:.3f});"
                     f" nicknames {'on' if scorer.get('nicknames', True) else 'off'}")
    lines += [
        f"polarity accuracy {s['polarity_accuracy']:.3f} on {s['polarity_n']} pairs found in both"
        f" (gold NEG share {s['gold_neg_share']:.3f}, predicted NEG share {s['pred_neg_share']:.3f})",
        "confusion (rows gold, columns pred):   POS   NEG",
        f"  POS {pp:>34d}{pn:>6d}",
        f"  NEG {np_:>34d}{nn:>6d}",
        f"articles {c['articles']} (missing {c['articles_missing']}, error {c['articles_error']}),"
        f" quotes {c['quotes']}, matched to an entity {c['quotes_matched']} {c['quotes_matched_by_rule']},"
        f" gold pairs whose subject is a matched speaker {c['gold_pairs_with_quoted_subject']}",
    ]
    return "\n".join(lines)


# --- unrelated targets ---------------------------------------------------------------------------

def story_of(doc_id: str) -> str:
    """The story of a SEESAW id ``TRIPLET_<story>_DOCUMENT_<k>``."""
    found = re.fullmatch(r"TRIPLET_(.+)_DOCUMENT_\d+", doc_id)
    if not found:
        raise ValueError(f"{doc_id!r} is not a SEESAW id TRIPLET_<story>_DOCUMENT_<k>")
    return found.group(1)


def _word_re(word: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, word.split())) + r"(?!\w)", re.IGNORECASE)


def name_in_text(name: str, text: str, person: bool = False) -> bool:
    """Whether an entity name occurs in a text, loosely enough that a kept name is unrelated.

    It occurs when, as a case-insensitive whole word: the full name does; or any of its
    capitalised tokens of 4+ letters does ("Trump" of "Trump administration"; every token of
    4+ letters when ``person``, since some People names are listed in lower case); or a text
    word shares a ``STEM_CHARS``-character stem with such a token ("Democrats" for "Democratic
    Party"). Acronyms of 2+ capitals ("GOP", "EU") count case-sensitively.
    """
    text = unicodedata.normalize("NFKC", text)
    name = unicodedata.normalize("NFKC", name).strip()
    if not name or _word_re(name).search(text):
        return True
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}
    for token in re.findall(r"[^\W\d_]+", name):
        if token.isupper() and len(token) >= 2 and re.search(rf"(?<!\w){re.escape(token)}(?!\w)", text):
            return True
        if (person or token[0].isupper()) and len(token) >= 4:
            low = token.casefold()
            if low in words or (len(low) >= STEM_CHARS and any(_share_stem(low, w) for w in words)):
                return True
    return False


def make_unrelated_targets(articles: Sequence[dict]) -> list[dict]:
    """The same articles with ``targets`` the entity names of the next story (sorted story ids,
    wrapping round) that do not occur in the article (:func:`name_in_text`).

    The other story's names are those of all its articles, in first-seen order; an article keeps
    at most as many as it had targets of its own (the first ones), so the run costs and reads
    like the real one. Each row also gets ``targets_story``, the story the targets came from.
    Deterministic.
    """
    entities_by_story: dict[str, dict[str, bool]] = defaultdict(dict)  # name -> is a People entity
    for article in articles:
        for entity in article.get("entities") or [{"name": t} for t in article.get("targets") or []]:
            if entity["name"] not in NOT_ENTITIES:
                known = entities_by_story[story_of(article["id"])]
                known[entity["name"].strip()] = known.get(entity["name"].strip(), False) or (
                    entity.get("type") == "People")
    stories = sorted(entities_by_story)
    if len(stories) < 2:
        raise ValueError("unrelated targets need articles from at least two stories")
    following = {s: stories[(i + 1) % len(stories)] for i, s in enumerate(stories)}
    out = []
    for article in articles:
        other = following[story_of(article["id"])]
        limit = len(article.get("targets") or article.get("entities") or [])
        targets = [n for n, person in entities_by_story[other].items()
                   if not name_in_text(n, article["text"], person=person)][:limit]
        out.append({**article, "targets": targets, "targets_story": other})
    return out


def write_unrelated_targets(input_path: str | Path, output_path: str | Path) -> dict:
    """Write :func:`make_unrelated_targets` of a JSONL to another JSONL; returns counts."""
    rows = make_unrelated_targets(read_jsonl(input_path))
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    output_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    n = [len(r["targets"]) for r in rows]
    return {"articles": len(rows), "targets": sum(n), "articles_without_targets": sum(k == 0 for k in n),
            "min_targets": min(n, default=0), "max_targets": max(n, default=0)}


def evaluate_unrelated_targets(predictions: str | Path, output_dir: str | Path) -> dict:
    """Share of (quote, target) stance pairs labelled favor or against; writes ``metrics.json``.

    Run ``scripts/infer.py`` over the output of :func:`write_unrelated_targets` first: every
    target there is unrelated to its article, so the right label is neutral.
    """
    quotes, _, _ = load_artifacts(predictions)
    labels, quotes_any = Counter(), 0
    for stances in quotes["stances"]:
        stances = stances or []
        labels.update(s["label"] for s in stances)
        quotes_any += any(s["label"] in POLARITY for s in stances)
    pairs = sum(labels.values())
    polar = labels["favor"] + labels["against"]
    summary = {
        "pairs": pairs,
        "quotes": len(quotes),
        "favor_or_against": polar,
        "favor_or_against_share": polar / pairs if pairs else 0.0,
        "label_counts": {k: labels[k] for k in ("favor", "against", "neutral")},
        "label_shares": {k: labels[k] / pairs if pairs else 0.0 for k in ("favor", "against", "neutral")},
        "quotes_with_favor_or_against": quotes_any,
    }
    metrics = {"summary": summary, "predictions": str(predictions)}
    _write_metrics(metrics, output_dir)
    return metrics


def format_unrelated_metrics(metrics: dict) -> str:
    s = metrics["summary"]
    shares = ", ".join(f"{k} {v:.3f}" for k, v in s["label_shares"].items())
    return (f"unrelated targets: {s['favor_or_against']} of {s['pairs']} (quote, target) pairs labelled favor or"
            f" against = {s['favor_or_against_share']:.3f} ({shares}); {s['quotes']} quotes,"
            f" {s['quotes_with_favor_or_against']} with a favor/against label")
