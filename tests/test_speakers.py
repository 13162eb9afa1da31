"""Tests for speaker resolution (pipeline.quotes.speakers).

All snippets are invented for these tests.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.quotes.rules.attribute import attribute_quotes
from pipeline.quotes.speakers import resolve_speakers
from pipeline.quotes.rules.segment import find_quotes
from pipeline.quotes.spans import QuoteSpan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(text: str) -> list[QuoteSpan]:
    return resolve_speakers(text, attribute_quotes(text, find_quotes(text)))


def who(text: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker_mention, q.speaker) for q in run(text)]


def test_name_variants_merge_to_fullest_name():
    text = ("Chinese President Han Zhiyuan arrived in Moscow on Monday. “Our ties are strong,” Han said."
            "\n\nPresident Han added that trade was “booming”.\n\n“We have no limits,” Han Zhiyuan said.")
    qs = run(text)
    assert [(q.speaker_mention, q.speaker_start, q.speaker_end, q.speaker) for q in qs] == [
        ("Han", 82, 85, "Han Zhiyuan"),
        ("President Han", 93, 106, "Han Zhiyuan"),
        ("Han Zhiyuan", 161, 172, "Han Zhiyuan"),
    ]
    assert [q.kind for q in qs] == ["direct", "mixed", "direct"]


def test_titled_mention_strips_title_and_nationality():
    assert who("“Our friendship is unbreakable,” Chinese President Han Zhiyuan said.") == [
        ("Chinese President Han Zhiyuan", "Han Zhiyuan")]


def test_pronoun_resolves_to_person_named_in_text():
    text = "Liu Qiang, China's foreign minister, arrived in Moscow. He said the talks would be frank."
    (q,) = run(text)
    assert (q.kind, text[q.start:q.end]) == ("indirect", "the talks would be frank")
    assert (q.speaker_mention, q.speaker_start, q.speaker) == ("He", 56, "Liu Qiang")


def test_gender_from_titles():
    text = "Mr. Alan Brooks debated Ms. Jane Holt on Tuesday. “No,” she said. “Yes,” he said."
    assert who(text) == [("she", "Jane Holt"), ("he", "Alan Brooks")]


def test_gender_learned_from_earlier_pronoun_use():
    text = ("Sam Porter met reporters. She said the plan was ready. "
            "Chris Vale arrived later, and he apologised. “It went well,” she said.")
    assert who(text)[-1] == ("she", "Sam Porter")


def test_description_resolves_by_role():
    text = "Foreign Minister Liu Qiang met Priya Natarajan, a banker. “The talks were useful,” the minister said."
    assert who(text) == [("the minister", "Liu Qiang")]


def test_description_without_matching_person_stays_none():
    text = "Liu Qiang met reporters. “Nothing to add,” the spokeswoman said."
    assert who(text) == [("the spokeswoman", None)]


def test_company_and_they_resolve_to_organisation():
    text = ("Orion Motors announced job cuts on Monday. “We had no choice,” the company said. "
            "They said that demand had collapsed.")
    assert [q.speaker for q in run(text)] == ["Orion Motors", "Orion Motors", "Orion Motors"]
    assert who(text)[1:] == [("the company", "Orion Motors"), ("They", "Orion Motors")]


def test_proper_name_description_is_an_organisation():
    assert who("“The door is open,” the Kremlin said.") == [("the Kremlin", "Kremlin")]


def test_no_compatible_name_stays_none():
    assert who("The weather was fine. “Nobody knows,” he said.") == [("he", None)]
    assert who("Prices rose again. “We cannot cope,” they said.") == [("they", None)]
    (q,) = run("The square was quiet on Sunday.\n\n“Nobody expected this.”")
    assert q.speaker_mention is None and q.speaker is None


def test_names_inside_the_quote_do_not_capture_the_pronoun():
    text = "Liu Qiang met reporters in Moscow. “I spoke to Dmitry Orlov yesterday,” he said."
    assert who(text) == [("he", "Liu Qiang")]


def test_ambiguous_surname_goes_to_most_recent_full_name():
    text = ("Wang Yi met Wang Bo in Beijing. Wang Bo, the trade envoy, said the meeting was short. "
            "“It was cordial,” Wang said.")
    assert who(text) == [("Wang Bo", "Wang Bo"), ("Wang", "Wang Bo")]


def test_examples_end_to_end():
    text = (EXAMPLES / "moscow_talks.txt").read_text(encoding="utf-8")
    qs = run(text)
    speakers = [q.speaker for q in qs]
    assert "Liang Wenhao" in speakers and "Dmitry Orlov" in speakers and "Elena Sokolova" in speakers
    multi = [q for q in qs if "\n\n“That is not cooperation." in text[q.start:q.end]]
    assert len(multi) == 1 and multi[0].speaker == "Elena Sokolova"
    for q in qs:
        if q.speaker_mention is not None:
            assert text[q.speaker_start:q.speaker_end] == q.speaker_mention
            assert text[q.cue_start:q.cue_end] == q.cue


def test_learned_mentions_with_appositions_resolve_to_the_name():
    text = ("Councilwoman Rosa Delgado, who sponsored the plan, said the lanes would help. "
            "Translink's chief executive, Samuel Park, said costs would fall.")
    quotes = []
    for mention, content in (("Rosa Delgado, who sponsored the plan", "the lanes would help"),
                             ("Translink's chief executive, Samuel Park", "costs would fall")):
        start = text.index(content)
        m = text.index(mention)
        quotes.append(QuoteSpan(start, start + len(content), "indirect", speaker_mention=mention,
                                speaker_start=m, speaker_end=m + len(mention)))
    resolved = resolve_speakers(text, quotes)
    assert [q.speaker for q in resolved] == ["Rosa Delgado", "Samuel Park"]


def test_definite_description_falls_back_to_the_person_just_mentioned():
    text = "Dana Okoye has run the shelter since 2015. Okoye was tired. “We need beds,” the campaigner said."
    assert who(text) == [("the campaigner", "Dana Okoye")]
    # Not across a long stretch, and not an indefinite description.
    far = "Dana Okoye has run the shelter since 2015. " + "The queue grew all night. " * 12 + "“We need beds,” the campaigner said."
    assert who(far) == [("the campaigner", None)]


def speaker_of(text: str, content: str, mention: str) -> str | None:
    """Resolve one quote whose source mention is given (as the learned tagger links it)."""
    start, at = text.index(content), text.index(mention)
    quote = QuoteSpan(start=start, end=start + len(content), kind="indirect", speaker_mention=mention,
                      speaker_start=at, speaker_end=at + len(mention))
    return resolve_speakers(text, [quote])[0].speaker


def test_lower_case_role_before_a_name_is_not_part_of_the_name():
    text = "County engineer Tomas Lindqvist said the pumps were old."
    assert speaker_of(text, "the pumps were old", "County engineer Tomas Lindqvist") == "Tomas Lindqvist"
    text = "Rival carmaker Orion Motors said prices would rise."
    assert speaker_of(text, "prices would rise", "Rival carmaker Orion Motors") == "Orion Motors"


def test_unnamed_people_speaking_for_a_named_body_are_that_body():
    """As a reader resolves them (the convention of the polnear_speakers gold): an unnamed
    spokesman for a body speaks for the body; a named person would be named."""
    text = "A spokesman for the shipping line Nordholm said deliveries would slip."
    assert speaker_of(text, "deliveries would slip", "A spokesman for the shipping line Nordholm") == "Nordholm"
    text = "A reporter for the Harbour Gazette said the mayor had left."
    assert speaker_of(text, "the mayor had left", "A reporter for the Harbour Gazette") == "Harbour Gazette"
    text = "Analysts at Crestline Bank said the merger would raise prices."
    assert speaker_of(text, "the merger would raise prices", "Analysts at Crestline Bank") is None


def test_a_campaign_or_administration_named_after_a_person_is_that_group():
    text = ("Senator Dara Whitfield spoke in Ohio. The Whitfield campaign said the ads were false. "
            "The Morrow administration said the rule stands.")
    assert speaker_of(text, "the ads were false", "The Whitfield campaign") == "Whitfield campaign"
    assert speaker_of(text, "the rule stands", "The Morrow administration") == "Morrow administration"


def test_a_poll_or_report_speaks_for_its_named_author():
    text = "A Harbour Gazette poll found that voters were split. A new report by Civic Ledger said turnout fell."
    assert speaker_of(text, "voters were split", "A Harbour Gazette poll") == "Harbour Gazette"
    assert speaker_of(text, "turnout fell", "A new report by Civic Ledger") == "Civic Ledger"


def test_the_poll_or_the_clip_is_the_named_document_before_it():
    """"the poll" refers back to the poll named before it, and speaks for that poll's author; a
    headline's bare "Poll" for the one named right after it; an unnamed poll for no one."""
    text = ("Poll: Ferry fares split the islands.\n\nA Harbour Gazette poll shows that islanders are divided. "
            "Most older voters oppose the rise, according to the poll. "
            "A web video by the Tidewater League attacks the mayor. The clip says she raised fares twice.")
    assert speaker_of(text, "Ferry fares split the islands", "Poll") == "Harbour Gazette"
    assert speaker_of(text, "Most older voters oppose the rise", "the poll") == "Harbour Gazette"
    assert speaker_of(text, "she raised fares twice", "The clip") == "Tidewater League"
    unnamed = "A poll shows that islanders are divided. Most oppose the rise, according to the poll."
    assert speaker_of(unnamed, "Most oppose the rise", "the poll") is None


def test_a_joint_poll_speaks_for_its_first_named_author():
    """"The latest Harwick/Ostrand poll": the first of the names joined by a slash is the author,
    and a later "the poll" / "this poll" (after "When", "In") refers back to it; a no-break space
    inside the name is a space; "Monday's lawsuit" names no author."""
    text = ("The latest Harwick/Ostrand opinion poll released Friday shows that Mayor Dana Okoye leads by six points. "
            "When the poll asked about the budget, most voters backed it.\n\n"
            "The Lindell University/Carver Times\u00a0tracking poll shows that the race is tied. "
            "In this poll, turnout is low.")
    assert speaker_of(text, "Mayor Dana Okoye leads", "The latest Harwick/Ostrand opinion poll released Friday") == "Harwick"
    assert speaker_of(text, "most voters backed it", "the poll") == "Harwick"
    assert speaker_of(text, "the race is tied", "The Lindell University/Carver Times\u00a0tracking poll") == "Lindell University"
    assert speaker_of(text, "turnout is low", "this poll") == "Lindell University"
    text = "Turnout fell, the lawsuit says. Monday’s lawsuit said the count was late."
    assert speaker_of(text, "Turnout fell", "the lawsuit") is None


def test_an_organisation_name_runs_on_over_of_and_for():
    text = ("Pilots met the Association of Ferry Pilots for the Northern Sound on Monday. "
            "It said the fares were too high.")
    assert speaker_of(text, "the fares were too high", "It") == "Association of Ferry Pilots for the Northern Sound"


def test_a_name_ending_in_a_party_word_is_no_person():
    """"the Kent County Republican headquarters" names a place, not a man called Kent."""
    text = ("Tom Ridley lost the race. Mary Ellis spoke on Friday at the Glen County Republican headquarters. "
            "He said the count was rigged.")
    assert speaker_of(text, "the count was rigged", "He") == "Tom Ridley"


def test_an_organisation_and_another_body_is_the_first_named():
    text = "The Harbour Gazette and the Tidewater radio network said the fares were unfair."
    assert speaker_of(text, "the fares were unfair",
                      "The Harbour Gazette and the Tidewater radio network") == "Harbour Gazette"
    text = "The Securities and Exchange Commission said the filing was late."
    assert speaker_of(text, "the filing was late",
                      "The Securities and Exchange Commission") == "Securities and Exchange Commission"


def test_a_title_case_headline_is_never_the_fullest_name():
    """A headline's capitalised run ("Varga Calls On Voters To Reflect Before Polls") once became
    the person's canonical name."""
    text = ("Varga Calls On Voters To Reflect Before Polls\n\n"
            "Senator Lena Varga spoke on Monday. The vote was close, Varga said.")
    assert speaker_of(text, "The vote was close", "Varga") == "Lena Varga"


def test_a_headline_role_is_the_person_the_lede_names():
    """A headline's "Retired Admiral" was taken as a person's name; the first line names him."""
    text = ("Retired Admiral Warns Harbour Cuts Will Hurt Navy Families\n\n"
            "Retired Rear Adm. Colin Marsh is speaking out before the budget vote.")
    assert speaker_of(text, "Harbour Cuts Will Hurt Navy Families", "Retired Admiral") == "Colin Marsh"
    # a group in a headline is no one person of the lede
    text = ("Harbour Senators Warn Of Cuts\n\nSenator Colin Marsh spoke on Monday.")
    assert speaker_of(text, "Of Cuts", "Harbour Senators") != "Colin Marsh"


def test_a_party_and_place_bracket_is_not_part_of_the_name():
    """A learned span that ends "(D-Harbourton)," kept the bracket in the canonical name."""
    text = "Senate Whip Lena Varga (D-Harbourton), said the vote was fair."
    assert speaker_of(text, "the vote was fair", "Senate Whip Lena Varga (D-Harbourton),") == "Lena Varga"


def test_a_lower_case_role_and_titled_name_after_a_kin_apposition_is_the_speaker():
    """"Varga's cousin, state Del. Nora "Nonie" Kell (D-Harbourton)," named no one: the first part is
    a relative, and the second opened with a lower-case role and carried a quoted nickname."""
    mention = 'Varga\'s cousin, state Del. Nora "Nonie" Kell (D-Harbourton),'
    text = f"{mention} told the crowd that the vote was fair."
    assert speaker_of(text, "the vote was fair", mention) == "Nora Kell"


def test_his_aides_speak_for_the_person_he_refers_to():
    text = "Senator Colin Marsh toured the harbour on Monday. His aides said the trip was private."
    assert speaker_of(text, "the trip was private", "His aides") == "Colin Marsh"


def test_he_does_not_refer_to_a_place_or_a_monument():
    text = ("Mayor Tomas Reyes toured the Harbour Monument and the Pacific Ocean shore. "
            "He said the sea wall would be finished.")
    assert speaker_of(text, "the sea wall would be finished", "He") == "Tomas Reyes"


def test_the_party_nominee_is_the_nominee_of_that_party():
    text = ("Republican nominee Carl Brandt met Democratic nominee Ruth Ames. "
            "The Democratic nominee said the debate was fair.")
    assert speaker_of(text, "the debate was fair", "The Democratic nominee") == "Ruth Ames"


def test_it_speaks_for_the_organisation_just_mentioned():
    text = "The Harbour Transit Authority raised fares. It said costs had doubled."
    assert speaker_of(text, "costs had doubled", "It") == "Harbour Transit Authority"


def test_organisation_names_with_of_and_organisation_descriptions():
    text = "The National Association of Manufacturers said steel would cost more."
    assert speaker_of(text, "steel would cost more", "The National Association of Manufacturers") \
        == "National Association of Manufacturers"
    # "the secretariat" is not the person mentioned just before it.
    text = "Richard Hale left early. According to the summit secretariat, 42 countries signed."
    assert speaker_of(text, "42 countries signed", "the summit secretariat") is None


def speaker_at(text: str, content: str, mention: str, after: str) -> str | None:
    """Like :func:`speaker_of`, with the mention searched after the text ``after``."""
    start, at = text.index(content), text.index(mention, text.index(after) + len(after))
    quote = QuoteSpan(start=start, end=start + len(content), kind="indirect", speaker_mention=mention,
                      speaker_start=at, speaker_end=at + len(mention))
    return resolve_speakers(text, [quote])[0].speaker


def test_sentence_initial_phrase_is_not_a_name():
    # A real article (issue 15): "Regarding Russia" was taken for a person and got the "he".
    text = ("Foreign Minister Wang Yi spoke in Munich on Saturday. Regarding Russia's full-scale war, "
            "which he referred to as the “Ukraine crisis,” he said: “China has always stood for peace.”")
    assert who(text)[-1] == ("he", "Wang Yi")
    assert speaker_at(text, "China has always stood", "he", "crisis") == "Wang Yi"
    text = ("Wang Yi met his counterpart on Monday. According To Reports, he said the talks went well.")
    assert speaker_at(text, "the talks went well", "he", "Reports") == "Wang Yi"
    text = "Wang Yi arrived on Monday. In Beijing Today, he said the talks went well."
    assert speaker_at(text, "the talks went well", "he", "Today") == "Wang Yi"


def test_regarding_phrase_given_as_the_mention_is_no_speaker():
    text = "Regarding Russia, officials said the talks had stalled."
    assert speaker_of(text, "the talks had stalled", "Regarding Russia") is None


def test_pronoun_takes_the_nearest_compatible_named_person():
    text = ("Climate envoy Ngozi Eze arrived on Sunday. She was joined by Kenya's energy minister, "
            "Joseph Mwangi.\n\nHe said Kenya would double its geothermal capacity.\n\n"
            "She said the region needed cheaper finance.")
    assert speaker_at(text, "Kenya would double", "He", "Mwangi.") == "Joseph Mwangi"
    assert speaker_at(text, "the region needed", "She", "capacity.") == "Ngozi Eze"


def test_no_break_spaces_are_spaces_in_names():
    text = "Dmitry\u00a0Medvedev dismissed the sanctions. “They will fail,” Medvedev wrote."
    assert speaker_of(text, "They will fail", "Medvedev") == "Dmitry Medvedev"
    text = "Dmitry Medvedev\u00a0said the sanctions would fail. “Nonsense,” Medvedev wrote."
    assert speaker_at(text, "Nonsense", "Medvedev", "Nonsense") == "Dmitry Medvedev"
    text = "Former president Dmitry\u00a0Medvedev said the sanctions would fail."
    assert speaker_of(text, "the sanctions would fail", "Former president Dmitry\u00a0Medvedev") \
        == "Dmitry Medvedev"


def test_relative_pronoun_who_takes_its_antecedent():
    text = "Senator Anna Smith, who chairs the committee, said the vote would be close."
    assert speaker_of(text, "the vote would be close", "who") == "Anna Smith"
    text = "The plan was backed by Rosa Delgado, who said it would save lives."
    assert speaker_of(text, "it would save lives", "who") == "Rosa Delgado"


def test_named_organisations_with_an_article_are_speakers():
    text = "The bill passed. “This is a good day,” the White House said in a statement."
    assert speaker_of(text, "This is a good day", "the White House") == "White House"
    text = "Flu cases fell for a second week, the CDC said on Thursday."
    assert speaker_of(text, "Flu cases fell", "the CDC") == "CDC"
    text = "The National Health Agency (NHA) said flu cases had doubled. Later the NHA said hospitals were full."
    assert speaker_of(text, "flu cases had doubled", "The National Health Agency (NHA)") == "National Health Agency"
    assert speaker_of(text, "hospitals were full", "the NHA") == "National Health Agency"


def test_person_of_an_organisation_is_the_person():
    text = "Economist Peter Novak of Crestline Bank said inflation would fall."
    assert speaker_of(text, "inflation would fall", "Economist Peter Novak of Crestline Bank") == "Peter Novak"
    text = "Governor Andrew Bailey of the Bank of England said rates would stay."
    assert speaker_of(text, "rates would stay", "Governor Andrew Bailey of the Bank of England") == "Andrew Bailey"


def test_role_description_takes_the_person_named_with_that_role():
    text = ("Mayor Daniel Kim unveiled the plan on Monday. Councillor Rosa Delgado backed it.\n\n"
            "The mayor said the lanes would open in spring.")
    assert speaker_of(text, "the lanes would open", "The mayor") == "Daniel Kim"
    text = ("Daniel Kim, the city's mayor, unveiled the plan. Rosa Delgado backed it. "
            "The mayor said the lanes would open in spring.")
    assert speaker_of(text, "the lanes would open", "The mayor") == "Daniel Kim"


def test_capitalised_titles_in_front_of_a_name_are_not_part_of_it():
    cases = {"House Speaker Nora Vance": "Nora Vance", "Harbor County Gov. Ellis Ward": "Ellis Ward",
             "U.S. District Judge Reed Calloway": "Reed Calloway", "Senate Majority Leader Tom Adair": "Tom Adair",
             "Democrat Lena Ortiz": "Lena Ortiz", "Speaker Vance": "Vance"}
    for mention, name in cases.items():
        text = f"{mention} said the budget was late."
        assert speaker_of(text, "the budget was late", mention) == name, mention
    for kept in ("General Motors", "Martin Luther King Jr."):  # a title word inside a name stays
        text = f"{kept} said the budget was late."
        assert speaker_of(text, "the budget was late", kept) == kept


def test_an_adverbial_after_the_name_is_not_part_of_it():
    text = "Nora Vance last month said the budget was late."
    assert speaker_of(text, "the budget was late", "Nora Vance last month") == "Nora Vance"
    text = "Analysts at Crestline Bank said the merger would raise prices."
    assert speaker_of(text, "the merger would raise prices", "Analysts at Crestline Bank") is None


def test_a_common_word_opening_a_sentence_is_not_a_speaker_name():
    """PolNeAR's "Authorities said", "Scholars say", "Twelve said" once became speakers named
    "Authorities" and "Twelve"; names capitalised mid-sentence and acronyms stay names."""
    text = "The river rose overnight. Authorities said the bridge was closed. Residents met Mayor Ilse Brandt."
    assert speaker_of(text, "the bridge was closed", "Authorities") is None
    text = "Officials met in Tallin. Tallin said the deal was done."
    assert speaker_of(text, "the deal was done", "Tallin") == "Tallin"
    text = "Protests grew. NATO said the deal was done."
    assert speaker_of(text, "the deal was done", "NATO") == "NATO"


def test_experts_are_not_the_person_just_mentioned():
    text = "Senator Mira Hale spoke on Monday. The experts said the plan would fail."
    assert speaker_of(text, "the plan would fail", "The experts") is None


def test_an_organisation_with_a_date_tail_or_an_article_is_the_organisation():
    """"Reuters on Monday" and "The FASB" once became speakers of their own."""
    text = "Harbour Wire on Monday reported that the port was shut. The FASB said the rule would change."
    assert speaker_of(text, "the port was shut", "Harbour Wire on Monday") == "Harbour Wire"
    assert speaker_of(text, "the rule would change", "The FASB") == "FASB"


def test_mrs_with_a_surname_is_not_the_husband():
    """"Mrs. Clinton" once resolved to Bill Clinton, the last full name of that surname."""
    text = ("Hillary Ward met voters in Iowa. Her husband, Bill Ward, stayed home. "
            "Mrs. Ward said the race was close.")
    assert speaker_of(text, "the race was close", "Mrs. Ward") == "Hillary Ward"


def test_a_capitalised_word_before_a_given_name_is_not_part_of_the_name():
    text = "Rival Hillary Ward spoke first. Ward said the race was close."
    assert speaker_of(text, "the race was close", "Ward") == "Hillary Ward"


def test_a_bare_surname_that_only_opens_sentences_is_still_a_name():
    text = "The council approved the budget. Brandt said the vote was a win."
    assert speaker_of(text, "the vote was a win", "Brandt") == "Brandt"


def test_pronoun_speaker_is_the_subject_not_the_last_named_person():
    # "he" after a quote is the sentence's subject (Marlow), not the person he talks about.
    text = ("Speaking at a rally in Dayton, Senator Tobias Marlow says he is making a demand of "
            "Governor Peter Quill.\n\n“Will you release the records?” he asks.\n\n"
            "Aide Rena Voss said Mr. Marlow wants an answer by Friday. “We are waiting,” she said.")
    assert [q.speaker for q in run(text) if q.speaker_mention in ("he", "she")] == ["Tobias Marlow", "Rena Voss"]


def test_pronoun_after_inverted_attribution_is_its_speaker():
    # "..., noted the Ledger's Ada Kerr" makes Kerr the subject, not Joan Bly, whose study she cites.
    text = ("Tomas Pell, a party chairman, said the debates would help. “They matter,” Pell said.\n\n"
            "But debates rarely alter a race, noted the Ledger's Ada Kerr, citing a study by Joan Bly.\n\n"
            "“Most voters have decided by then,” she wrote.")
    assert [q.speaker for q in run(text)][-1] == "Ada Kerr"


def test_a_surname_that_is_also_a_title_is_a_name_after_mr():
    text = "Lorne King hosts a talk show. Mr. King said the network never edits him."
    assert speaker_of(text, "the network never edits him", "Mr. King") == "Lorne King"


def test_described_name_is_the_speaker():
    text = "The rules were unfair, said the former presidential candidate Tobias Marlow."
    assert speaker_of(text, "The rules were unfair", "the former presidential candidate Tobias Marlow") == "Tobias Marlow"
    text = "Families would pay more, according to the conservative-leaning Harlan Foundation."
    assert speaker_of(text, "Families would pay more", "the conservative-leaning Harlan Foundation") == "Harlan Foundation"


def test_she_prefers_a_woman_by_given_name_over_a_more_salient_man():
    # No title tells Chris Vale's gender; his given name does (gender-guesser), so "she" is Nora Quist.
    text = ("Gov. Chris Vale called Nora Quist a disgrace after her remarks on the police.\n\n"
            "“This is unbearable,” she said.")
    assert who(text)[-1] == ("she", "Nora Quist")


def test_first_person_narration_is_the_writer_named_in_the_authors_note():
    body = ("I grew up in a wary household. Senator Tobias Marlow spoke on Monday.\n\n"
            "I know that his followers believe that the country is in danger.\n\n")
    content = "his followers believe that the country is in danger"
    note = "Mara Quist is a playwright in Boston."
    assert speaker_at(body + note, content, "I", "Monday") == "Mara Quist"
    assert speaker_at(body, content, "I", "Monday") is None  # no note: unnamed, not Marlow


def test_plural_description_names_no_one_speaker():
    text = ("The law was proposed by President Ansel Dorn and carried out by President Vera Lusk. "
            "The two Republican presidents said it would cut crime.")
    assert speaker_of(text, "it would cut crime", "The two Republican presidents") is None


def test_coordinated_speakers_resolve_to_the_first_named():
    text = ("Senators Amos Grell and Patrick Lund wrote to the agency. "
            "Mr. Grell and Mr. Lund said the program was abused.")
    assert speaker_of(text, "the program was abused", "Mr. Grell and Mr. Lund") == "Amos Grell"
    text = "Federal officials met on Monday. Federal and state officials said the dam was safe."
    assert speaker_of(text, "the dam was safe", "Federal and state officials") is None


def test_acronym_resolves_to_the_name_spelled_out_in_the_text():
    text = ("The bank disclosed the losses in Securities and Exchange Commission filings. "
            "The S.E.C. said the filings were late.")
    assert speaker_of(text, "the filings were late", "The S.E.C.") == "Securities and Exchange Commission"


def test_bare_surname_is_the_salient_bearer_not_the_last_named_relative():
    text = ("Senator Ted Marsh spoke in Dallas on Monday. Marsh praised the plan, and he thanked "
            "his father, Rafael Marsh.\n\nMarsh said the vote would be close.")
    assert speaker_at(text, "the vote would be close", "Marsh", "Rafael Marsh.") == "Ted Marsh"


def test_familiar_given_name_is_the_formal_full_name():
    text = ('Rep. Robert T. "Bobby" Vance held a cookout on Monday. Supporters cheered Bobby Vance.\n\n'
            "Vance said the race would be close.")
    assert speaker_at(text, "the race would be close", "Vance", "Bobby Vance.") == "Robert T. Vance"


def test_the_name_in_an_apposition_or_example_is_the_speaker():
    text = "Another critic, Laurence Pell, said the rules burned the constitution."
    assert speaker_of(text, "the rules burned the constitution", "Another critic, Laurence Pell,") == "Laurence Pell"
    text = "Many tax experts, including Mr. Goldner, said the loophole should close."
    assert speaker_of(text, "the loophole should close", "Many tax experts, including Mr. Goldner,") == "Goldner"
    text = "Kall -- co-editor of a book on the race -- said the debate mattered."
    assert speaker_of(text, "the debate mattered", "Kall -- co-editor of a book on the race --") == "Kall"


def test_person_of_a_place_or_body_is_the_person():
    text = "Sen. Lamar Alden of Tennessee said the bill was dead. Mr. Morgan of the Sierra Club said it was not."
    assert speaker_of(text, "the bill was dead", "Sen. Lamar Alden of Tennessee") == "Lamar Alden"
    assert speaker_of(text, "it was not", "Mr. Morgan of the Sierra Club") == "Morgan"


def test_we_in_the_narration_is_the_writer_not_the_last_named_body():
    text = ("A Harlow University poll found that most voters want the returns.\n\n"
            "We would know exactly which loopholes he uses.")
    assert speaker_at(text, "exactly which loopholes he uses", "We", "returns.") is None


def test_definite_description_is_the_salient_person_not_the_last_named():
    text = ("Donald Marsh attacked the record of President Ellis Vane. "
            "The New York businessman said the economy was in ruins.")
    assert speaker_of(text, "the economy was in ruins", "The New York businessman") == "Donald Marsh"


def test_dotted_abbreviation_stays_in_an_organisation_name():
    text = "Mail was late for weeks, and the U.S. Postal Service apologised. It said the delays were over."
    assert speaker_at(text, "the delays were over", "It", "apologised.") == "U.S. Postal Service"


def test_relative_pronoun_after_an_apposition_or_a_description():
    text = ("The lawyers met top officials, including Jeffrey A. Rosin, the deputy attorney general, "
            "who said the case was weak.")
    assert speaker_at(text, "the case was weak", "who", "general,") == "Jeffrey A. Rosin"
    text = ("President Dale Harker spoke on Sunday. Critics blamed his rhetoric. The president, "
            "who said he is not to blame, left early.")
    assert speaker_at(text, "he is not to blame", "who", "The president,") == "Dale Harker"


def test_possessive_proxy_speaks_for_the_named_person():
    text = "Vice President Mark Pellew visited Ohio. Pellew's office said the trip was planned."
    assert speaker_of(text, "the trip was planned", "Pellew's office") == "Mark Pellew"
    text = "Former deputy director Andrew Calloway was fired. Calloway's lawyers said the firing was political."
    assert speaker_of(text, "the firing was political", "Calloway's lawyers") == "Andrew Calloway"


def test_the_party_nominee_is_the_person_the_story_is_about():
    text = ("Donald Marsh spoke to reporters in Ohio after a rally. "
            "The Republican presidential nominee said the polls were wrong.")
    assert speaker_of(text, "the polls were wrong", "The Republican presidential nominee") == "Donald Marsh"


def test_inverted_said_is_not_part_of_the_next_name():
    text = ("Tax expert Ryan Elms of a research group spoke first.\n\n"
            "Said Elms: “I don't get the sense she cares.” Elms added that reform was dead.")
    assert speaker_at(text, "reform was dead", "Elms", "cares.” ") == "Ryan Elms"


def test_a_named_owners_thing_speaks_for_the_owner():
    # A brief, a book or a bare possessive is its named owner; a possessive person is someone else.
    text = "Marla Fenwick sued her former employer in May. Marla Fenwick's brief argues the contract was void."
    assert speaker_of(text, "the contract was void", "Marla Fenwick's brief") == "Marla Fenwick"
    text = "Tom Vesper bought a mine. Mr. Vesper's new company says the mine is safe."
    assert speaker_of(text, "the mine is safe", "Mr. Vesper's new company") == "Tom Vesper"
    text = "Tom Vesper bought a mine. Vesper's niece said the mine is safe."
    assert speaker_of(text, "the mine is safe", "Vesper's niece") is None
    text = "Tom Vesper bought a mine. Vesper's campaign strategist said the mine is safe."
    assert speaker_of(text, "the mine is safe", "Vesper's campaign strategist") is None


def test_a_place_after_the_or_a_possessive_role_is_not_he():
    # "The governor's Atlantic ..." gives no person "Atlantic"; "in the Marshall Islands" is a place.
    text = ("Governor Paul Oduya toured the coast. The governor's Atlantic roots came into play. "
            "Crops are failing in the Marshall Islands, he noted.")
    assert speaker_at(text, "Crops are failing", "he", "Islands, ") == "Paul Oduya"
    text = ("Governor Paul Oduya toured the coast. The governor's Atlantic roots came into play. "
            "He said the storms were worse.")
    assert speaker_at(text, "the storms were worse", "He", "play. ") == "Paul Oduya"


def test_the_body_named_by_its_head_word():
    # "the commission" is the Commission named before; "the intelligence" is not a committee's.
    text = "The Harbour Safety Commission met in Leith. The commission said the pier would close."
    assert speaker_of(text, "the pier would close", "The commission") == "Harbour Safety Commission"
    text = ("The Harbour Intelligence Committee met in Leith. The intelligence showed that "
            "the pier was unsafe.")
    assert speaker_of(text, "the pier was unsafe", "The intelligence") is None


def test_a_given_names_likely_gender_only_weighs_against_salience():
    # "Robin" is more often a man's name, but the she right after "said widow Robin Tate" is Tate,
    # not a woman last named paragraphs before.
    text = ("Governor Alice Brant signed the bill in March. Her office declined to comment.\n\n"
            "The families had waited for years. Lawyers filed new papers. The court set a date.\n\n"
            "“It is a good day,” said widow Robin Tate. She added that the wait had been too long.")
    assert speaker_at(text, "the wait had been too long", "She", "Tate. ") == "Robin Tate"


def test_an_organisation_that_only_modifies_a_noun_is_not_it():
    # Issue 21: "references FBI criticism" mentions no FBI that a later "It" may be; the
    # organisation named as a head noun before it is.
    text = ("The Harlow Tenants Union released a new leaflet on Monday. The leaflet cites NTSB "
            "criticism of the landlord. It also says the rents rose too fast.")
    assert speaker_at(text, "the rents rose too fast", "It", "landlord. ") == "Harlow Tenants Union"
    # with no other organisation named, the modifier's is still taken
    text = "The leaflet cites NTSB criticism of the landlord. It also says the rents rose too fast."
    assert speaker_at(text, "the rents rose too fast", "It", "landlord. ") == "NTSB"


def test_a_role_of_a_named_body_is_that_body_not_the_salient_person():
    # Issue 21: "The FBI director" with no FBI director named speaks for the FBI, not for the
    # person the text was about.
    text = ("Donald Reyes toured the port with NTSB investigators on Monday. Reyes praised the crews. "
            "The NTSB director said the crane had failed.")
    assert speaker_of(text, "the crane had failed", "The NTSB director") == "NTSB"
    # a role noun that is no person ("the NTSB history") is not the body speaking
    text = ("Donald Reyes toured the port with NTSB investigators on Monday. "
            "The NTSB history shows the crane had failed.")
    assert speaker_of(text, "the crane had failed", "The NTSB history") != "NTSB"


def test_a_bare_party_noun_is_the_party_member_not_a_name():
    # Issue 21: "The Republican" names no one called "The Republican"; it is the Republican
    # the text has named, not a Democrat named after her.
    text = ("Republican Ana Ruiz spoke in Dover on Monday. Democrat Tom Hale listened. "
            "The Republican said the bridge would open.")
    assert speaker_of(text, "the bridge would open", "The Republican") == "Ana Ruiz"


def test_the_city_of_a_place_is_the_city_as_a_body():
    # Issue 21: "The city of Phoenix" speaks as the City of Phoenix, and a later "It" is the city.
    text = ("The Harlow Tenants Union held a rally. The city of Leeford is suing the union. "
            "It says the rally blocked the road.")
    assert speaker_of(text, "the union", "The city of Leeford") == "City of Leeford"
    start, it = text.index("the rally blocked"), text.index("It says")
    quotes = [QuoteSpan(start=text.index("the union"), end=text.index("the union") + 9, kind="indirect",
                        speaker_mention="The city of Leeford", speaker_start=text.index("The city"),
                        speaker_end=text.index("The city") + len("The city of Leeford")),
              QuoteSpan(start=start, end=start + len("the rally blocked the road"), kind="indirect",
                        speaker_mention="It", speaker_start=it, speaker_end=it + 2)]
    assert [q.speaker for q in resolve_speakers(text, quotes)] == ["City of Leeford", "City of Leeford"]


def test_the_union_and_the_newspaper_by_the_kind_of_name():
    # Issue 21: a union need not be called "Union", nor a newspaper "Newspaper".
    text = ("The Association of Harbour Pilots met in Leith on Monday. The union said the pier would close.")
    assert speaker_of(text, "the pier would close", "The union") == "Association of Harbour Pilots"
    text = ("The Leeford Post printed the letter on Monday. The newspaper said the pier would close.")
    assert speaker_of(text, "the pier would close", "The newspaper") == "Leeford Post"
    # "Other unions" is not the one named before
    text = ("The Association of Harbour Pilots met in Leith. Other unions said the pier would close.")
    assert speaker_of(text, "the pier would close", "Other unions") != "Association of Harbour Pilots"


def test_a_role_no_one_held_before_is_the_person_the_next_sentence_names():
    # Issue 21: "Connecticut's tax commissioner says ...\n\nKevin Sullivan says he ...".
    text = ("The port's chief engineer says the pier will close.\n\n"
            "Tomas Lindqvist says he checked the pumps on Monday.")
    assert speaker_of(text, "the pier will close", "The port's chief engineer") == "Tomas Lindqvist"
    text = ("The port's chief engineer says the pier will close.\n\n"
            "Tomas Lindqvist was not at the port on Monday.")
    assert speaker_of(text, "the pier will close", "The port's chief engineer") is None


def test_who_after_a_party_s_members_is_them():
    # Issue 21: "nervous Democrats on Capitol Hill, who have argued ..." -> Democrats.
    text = "The plan may calm nervous Republicans in Leeford, who have argued that the pier must close."
    assert speaker_of(text, "that the pier must close", "who") == "Republicans"
    text = "The plan answers both Democrats and Republicans, who have argued that the pier must close."
    assert speaker_of(text, "that the pier must close", "who") == "Democrats"


def test_they_after_a_plural_people_noun_is_not_an_earlier_body():
    # "... environmentalists worry ...; ..., they say": the people, not a body named before them.
    text = ("The Harlow Tenants Union held a rally on Monday. The rally was large.\n\n"
            "Environmental groups were not there. Some environmentalists worry about the river. "
            "The water is dirty, they say.")
    assert speaker_at(text, "The water is dirty", "they", "dirty, ") is None


def test_a_possessive_pronoun_as_source_is_its_owner():
    # A source span that is only "his"/"His" ("his criticism of ...") stands for its owner, as "he"
    # would; capitalised at a sentence start it is no name "His".
    text = ("Governor Rafael Moreno toured the dam on Tuesday. He listened to the farmers.\n\n"
            "His criticism of the pipeline deal, that it would ruin the river, drew cheers.\n\n"
            "Mayor Ana Ruiz disagreed. She cited her worry that the plan came too late.")
    spans = []
    for mention, content in (("His", "that it would ruin the river"), ("her", "that the plan came too late")):
        s = text.index(mention + (" criticism" if mention == "His" else " worry"))
        c = text.index(content)
        spans.append(QuoteSpan(start=c, end=c + len(content), kind="indirect", speaker_mention=mention,
                               speaker_start=s, speaker_end=s + len(mention)))
    assert [q.speaker for q in resolve_speakers(text, spans)] == ["Rafael Moreno", "Ana Ruiz"]


def test_a_quote_with_no_source_continues_the_quote_before_it_in_its_paragraph():
    # The learned tagger links no source to a second quoted sentence: “...,” Ortiz said. “...”
    text = ("Mayor Lena Ortiz toured the flooded depot. “We will rebuild it,” Ortiz said. "
            "“Nobody will be left behind.”\n\n“The town deserves better.”")

    def span(content, mention=None):
        start = text.index(content)
        at = text.index(mention) if mention else None
        return QuoteSpan(start=start, end=start + len(content), kind="direct", speaker_mention=mention,
                         speaker_start=at, speaker_end=at + len(mention) if mention else None)

    quotes = [span("The town deserves better."), span("We will rebuild it,", "Ortiz"),
              span("Nobody will be left behind.")]
    # (a new paragraph with no source names no one)
    assert [q.speaker for q in resolve_speakers(text, quotes)] == [None, "Lena Ortiz", "Lena Ortiz"]


def test_a_span_cut_inside_an_abbreviation_and_a_body_s_leaders():
    # The learned tagger may start a source inside "N.T.C." ("T.C. leaders"); leaders of a named body
    # speak for it, leaders of a region name no one.
    text = ("The Nordic Trade Council met in Oslo on Monday. After the talks, N.T.C. leaders said that "
            "tariffs would fall. Central Baltic leaders said that ports would close.")
    at = text.index("T.C. leaders")
    quote = QuoteSpan(start=text.index("tariffs would fall"), end=text.index("tariffs would fall") + 18,
                      kind="indirect", speaker_mention="T.C. leaders", speaker_start=at, speaker_end=at + 12)
    assert resolve_speakers(text, [quote])[0].speaker == "Nordic Trade Council"
    assert speaker_of(text, "ports would close", "Central Baltic leaders") is None


def test_a_role_is_the_person_the_text_titles_with_it_in_any_form():
    # "A New York judge has rejected ... Justice Frank Nervo rejected ...": the judge, though named
    # after the description and titled "Justice"; "the judge" later is the same person.
    text = ("A Denver judge has rejected a request to open the pier records.\n\n"
            "The Harbour Gazette filed the motion in May.\n\n"
            "District Court Justice Maria Ortiz rejected the argument on Monday. "
            "Lena Holt, the owner of the pier, agreed.\n\n"
            "The judge agreed with Holt that the records must stay closed.")
    assert speaker_of(text, "a request to open", "A Denver judge") == "Maria Ortiz"
    assert speaker_at(text, "Holt that the records", "The judge", "agreed.") == "Maria Ortiz"
    # "attorney general" is that title, not any attorney: not City Attorney Dan Weeks
    text = ("City Attorney Dan Weeks wrote to the port in May.\n\n"
            "The Ohio state attorney general is confirming that the charity is not registered. "
            "But Attorney General Paul Ross isn't saying if the charity broke any laws.")
    assert speaker_of(text, "that the charity is not", "The Ohio state attorney general") == "Paul Ross"
    # "Senator from Utah": a title without its article is the senator the next sentence names
    text = ("Senator from Utah says he cannot back the pier plan.\n\n"
            "Sen. Tom Bakker is opposing the plan, aides said. Sen. Ann Lowe backs it.")
    assert speaker_of(text, "he cannot back", "Senator from Utah") == "Tom Bakker"


def test_the_voice_of_a_document_speaks_for_its_author():
    # "A memorable Hillary Clinton ad ... the announcer said" / "the ad's narrator says": the ad's sponsor.
    text = ("A new Harlow Tenants Union ad shows the pier at night. As a bell rings, the announcer says "
            "the pier is not safe.")
    assert speaker_of(text, "the pier is not safe", "the announcer") == "Harlow Tenants Union"
    text = ("A new Harlow Tenants Union ad shows the pier at night. \u201cWho pays for this?\u201d the ad\u2019s "
            "narrator asks.")
    assert speaker_of(text, "Who pays for this?", "the ad\u2019s narrator") == "Harlow Tenants Union"
    # an unnamed ad speaks for no one
    assert speaker_of("An ad shows the pier. The announcer says the pier is not safe.",
                      "the pier is not safe", "The announcer") is None


def test_a_misspelt_surname_a_bracket_or_trailing_punctuation_keep_the_name():
    # The article misspells the surname once ("Kowalczek"), the span takes a trailing comma, or a
    # party-and-state bracket sits between two names: a reader still reads the person named before.
    text = ("State Treasurer Agnieszka Kowalczyk opened the audit on Monday. "
            "Kowalczek, whose office runs the fund, said the books were a mess.")
    assert speaker_of(text, "the books were a mess", "Kowalczek, whose office runs the fund,") \
        == "Agnieszka Kowalczyk"
    text = "Director Paul Okafor spoke first. Mr. Okafor, smiling, said that the dam would hold."
    assert speaker_of(text, "the dam would hold", "Mr. Okafor,") == "Paul Okafor"
    text = "Sens. Ruth Hale (D-Ore.) and Tom Birch (R-Utah) said that the bill was dead."
    assert speaker_of(text, "the bill was dead", "Sens. Ruth Hale (D-Ore.) and Tom Birch (R-Utah)") == "Ruth Hale"


def test_a_description_that_spells_out_a_named_bodys_words_is_that_body():
    text = ("Airline pilots' union backs plan.\n\nA union representing airline pilots backed the plan on "
            "Friday. The Association of Airline Pilots has 9,000 members. A 2019 paper in the Nordic Heart "
            "Journal tested the pills. Half of the claims were wrong, according to the leading Nordic heart journal.")
    assert speaker_of(text, "backed the plan", "A union representing airline pilots") == "Association of Airline Pilots"
    assert speaker_of(text, "backs plan", "Airline pilots' union") == "Association of Airline Pilots"
    assert speaker_of(text, "Half of the claims were wrong", "the leading Nordic heart journal") == "Nordic Heart Journal"
    # A name's words must all be there ("a union representing pilots" may be another), and the
    # head must be a body ("the Nordic heart surgeon" is a person).
    text = ("A union representing pilots backed the plan. The Association of Airline Pilots has 9,000 members. "
            "The Nordic Heart Journal ran a letter. The Nordic heart surgeon said the pills failed.")
    assert speaker_of(text, "backed the plan", "A union representing pilots") is None
    assert speaker_of(text, "the pills failed", "The Nordic heart surgeon") != "Nordic Heart Journal"


def test_a_body_housed_at_another_is_the_first_body():
    text = ("The Budget Policy Center at the Harlow Institute estimates that the plan would cost $2 billion; "
            "the Office for Rural Finance at the more cautious Vale Foundation puts it at $1 billion.")
    assert speaker_of(text, "the plan would cost $2 billion", "The Budget Policy Center at the Harlow Institute") \
        == "Budget Policy Center"
    assert speaker_of(text, "puts it at $1 billion", "the Office for Rural Finance at the more cautious Vale Foundation") \
        == "Office for Rural Finance"


def test_a_document_names_its_source_inside_the_mention():
    text = ("A 2019 study that appeared in the Nordic Heart Journal found that the pills failed. "
            "Data from the 2019 Rural Housing Survey show that rents rose. "
            "A study by Harlow Law School professor Dana Okoye found that 31 people were affected.")
    assert speaker_of(text, "the pills failed", "A 2019 study that appeared in the Nordic Heart Journal") \
        == "Nordic Heart Journal"
    assert speaker_of(text, "rents rose", "Data from the 2019 Rural Housing Survey") == "Rural Housing Survey"
    assert speaker_of(text, "31 people were affected", "A study by Harlow Law School professor Dana Okoye") == "Dana Okoye"


def test_a_list_of_bodies_is_the_first_named():
    text = ("Ruiz was endorsed by dozens of papers ranging from such backers as The New Harbor Ledger to such "
            "skeptics as The Valley Courier, the Delta Post and the Lake Herald. Other big unions, including the "
            "Federation of Bakers and the Grain Guild, have also backed Ruiz. All the parties in the suit, "
            "including the Republican-led state board, said it was moot.")
    mention = ("dozens of papers ranging from such backers as The New Harbor Ledger to such skeptics as "
               "The Valley Courier, the Delta Post and the Lake Herald")
    assert speaker_of(text, "Ruiz was endorsed", mention) == "New Harbor Ledger"
    assert speaker_of(text, "have also backed Ruiz",
                      "Other big unions, including the Federation of Bakers and the Grain Guild,") == "Federation of Bakers"
    # A description after "including" names no body.
    assert speaker_of(text, "it was moot", "All the parties in the suit, including the Republican-led state board") is None


def test_a_body_is_named_by_its_fullest_name_in_the_text():
    text = ("The Harbor Falls Times reported the deal first. On Monday the Times said the deal was off. "
            "The Rural Tax Policy Center studied the plan. The Tax Policy Center said it would cost $2 billion.")
    assert speaker_of(text, "the deal was off", "the Times") == "Harbor Falls Times"
    assert speaker_of(text, "it would cost $2 billion", "The Tax Policy Center") == "Rural Tax Policy Center"
    # Not a longer name that only opens a sentence with a stray word, and not a one-word body
    # that is no newspaper ("House" in "White House").
    text = ("September. The Grain Board met. Former Grain Board members left. The Grain Board said prices rose. "
            "The White House sent a letter. The House said it would vote.")
    assert speaker_of(text, "prices rose", "The Grain Board") == "Grain Board"
    assert speaker_of(text, "it would vote", "The House") == "House"


def test_party_tags_and_lower_case_titles_in_a_list_of_examples():
    # "such as senator Tom Bakker, R-Utah, and ...": the senator, not the party-and-state tag
    text = ("The leaders remain confident despite a few early backers of the pier bill, such as senator "
            "Tom Bakker, R-Utah, and Ann Lowe, D-N.Y., now saying they think it should be changed.")
    mention = "a few early backers of the pier bill, such as senator Tom Bakker, R-Utah, and Ann Lowe, D-N.Y.,"
    assert speaker_of(text, "they think it should", mention) == "Tom Bakker"
    assert speaker_of(text, "they think it should", "senator Tom Bakker, R-Utah, and Ann Lowe") == "Tom Bakker"
    # "both X and Y": the first named, as for "X and Y"
    text = ("The ministers agreed to spend more after a tough push from both President Tom Bakker and "
            "Republican nominee Ann Lowe over their lagging port budgets.")
    assert speaker_of(text, "their lagging port", "both President Tom Bakker and Republican nominee Ann Lowe") \
        == "Tom Bakker"


def test_both_and_each_refer_back_to_the_first_of_the_two_just_named():
    text = "Years ago, when Mr. Tom Bakker ran for mayor against Paul Reyes, both men had the same view of the pier."
    assert speaker_of(text, "the same view", "both men") == "Tom Bakker"
    text = "Tom Bakker and Ann Lowe vied for the post on Wednesday, each touting their own record."
    assert speaker_of(text, "their own record", "each") == "Tom Bakker"
    # an indefinite group is new people, and one named person is no pair
    text = "Tom Bakker ran for mayor. Two aides said the pier would close."
    assert speaker_of(text, "the pier would close", "Two aides") is None
    assert speaker_of("Tom Bakker ran for mayor, and both said the pier would close.",
                      "the pier would close", "both") is None


def test_unnamed_officials_of_a_kind_of_body_speak_for_the_one_named_last():
    # "state regulators": the state the text named last; "administration officials": its administration
    text = ("The old mine sits in southern West Virginia, near a bank in Ohio Valley. "
            "At first, state regulators did not consider Mr. Lind a realistic buyer.")
    assert speaker_of(text, "Mr. Lind a realistic", "state regulators") == "West Virginia"
    text = ("The port goals that the Bakker administration has set for cities are before a court. "
            "But administration officials have ruled that out.")
    assert speaker_of(text, "that out", "administration officials") == "Bakker administration"
    # no state named (a newspaper's "New York" is none), or no such body: no one
    text = "The New York Times covered the pier. Some state officials praised the work."
    assert speaker_of(text, "the work", "Some state officials") is None
    text = "The pier is in Ohio. State and local leaders praised the work."
    assert speaker_of(text, "the work", "State and local leaders") is None


def test_a_proxy_named_next_by_a_role_of_the_body_is_that_person():
    # "A spokeswoman for X says ... X communications director Jane Holt spoke": Jane Holt
    text = ("A spokeswoman for Ann Lowe says neither the nominee nor her campaign helped the pier.\n\n"
            "Lowe communications director Jane Holt spoke to reporters Friday after Tom Bakker attacked her.")
    assert speaker_of(text, "neither the nominee", "A spokeswoman for Ann Lowe") == "Jane Holt"
    # a person named next with no role of the body: the body still
    text = ("A spokeswoman for Ann Lowe says neither the nominee nor her campaign helped the pier.\n\n"
            "Harbour director Jane Holt spoke to reporters Friday after Tom Bakker attacked her.")
    assert speaker_of(text, "neither the nominee", "A spokeswoman for Ann Lowe") == "Ann Lowe"


def test_pronoun_prefers_the_subject_of_the_sentence_before():
    # the senator dominates the story, but "she" follows the aide who opens the sentence before
    text = ("Senator Ruth Calder opened her campaign on Monday. Calder said taxes would fall. "
            "Calder promised new roads, and Calder thanked her volunteers.\n\n"
            "Calder communications director Nora Pike said their rival Tom Blake was desperate because he trailed in the polls. "
            "“He has nothing left but insults,” she said.")
    assert who(text)[-1] == ("she", "Nora Pike")


def test_pronoun_skips_a_subject_of_the_other_gender():
    text = ("Senator Ruth Calder opened her campaign on Monday. Calder said taxes would fall. "
            "Calder thanked her volunteers.\n\nHer rival Tom Blake said the plan was reckless. "
            "“It cannot be paid for,” she said.")
    assert who(text)[-1] == ("she", "Ruth Calder")


def test_name_after_a_preposition_is_no_subject():
    # "against Mark Lane" is a prepositional phrase: the sentence's subject is "he", and the
    # subject of the sentence before is Paul Reed
    text = ("Mark Lane chaired the council for a decade. Lane said the budget was tight. "
            "Paul Reed thanked his volunteers. Campaigning against Mark Lane in 2012, he said the roads came first.")
    assert who(text)[-1] == ("he", "Paul Reed")


def test_they_after_coordinated_people_is_the_first_named():
    text = ("The Acme Corporation closed its plant on Friday. Mayor Jill Ortiz and Governor Sam Hale did not "
            "react. They said that the closure was a private matter.")
    assert who(text)[-1] == ("They", "Jill Ortiz")


def test_a_body_named_after_describing_words_is_that_body():
    """"the nonpartisan Harlow Budget Office": lower-case words that describe a body before its
    name do not make a description whose head is the name's last word."""
    text = ("Mayor Dana Okoye met the Civic Records Office on Monday. "
            "The levy would raise $4 million, according to the nonpartisan Harlow Budget Office.")
    assert speaker_of(text, "The levy would raise $4 million", "the nonpartisan Harlow Budget Office") \
        == "Harlow Budget Office"


def test_the_agency_is_the_government_body_named_last():
    """"the agency" is the body named last whose name marks it as one (an Office, a Bureau, a
    Commission), as "the union" is the Workers' Association."""
    text = ("Rates rose 3 percent last year, according to the Harlow Budget Office. "
            "Mayor Dana Okoye disputed the figure. Rents also rose, the agency said.")
    assert speaker_of(text, "Rents also rose", "the agency") == "Harlow Budget Office"


def test_proxies_opening_a_sentence_speak_for_their_body():
    """"Officials at the Tax Guild said": the capitalised proxy noun that opens a sentence speaks
    for the body as "a spokesman for the Tax Guild" does; "the House of Representatives" is no proxy."""
    text = "Officials at the Harlow Tax Guild, a branch of the Civic League, said the levy was unfair."
    assert speaker_of(text, "the levy was unfair", "Officials at the Harlow Tax Guild") == "Harlow Tax Guild"
    text = "Lawyers for Dana Okoye said the levy was unfair."
    assert speaker_of(text, "the levy was unfair", "Lawyers for Dana Okoye") == "Dana Okoye"
    text = "The Harlow House of Representatives said the levy was unfair."
    assert speaker_of(text, "the levy was unfair", "The Harlow House of Representatives") == "Harlow House of Representatives"


def test_a_candidates_team_is_the_campaign_the_text_names():
    """"Okoye's team" is the Okoye campaign when the text names that campaign, as readers call it;
    a team in a text with no such campaign stays a team."""
    text = ("The Okoye campaign bought ads in Harlow. Okoye’s team said the ads would run all month.")
    assert speaker_of(text, "the ads would run all month", "Okoye’s team") == "Okoye campaign"
    text = "Dana Okoye met the council. The Okoye team said the plan was ready."
    assert speaker_of(text, "the plan was ready", "The Okoye team") == "Okoye team"


def test_a_pronoun_right_after_a_shared_surname_picks_its_bearer():
    """"Okoye says he would ...": of two people named Okoye, the one of the pronoun's gender, even
    when the other was named more often just before (her gender known from her title)."""
    text = ("Governor Paul Okoye unveiled a leave plan on Monday.\n\nMs. Ada Okoye, a columnist, praised it. "
            "Ada Okoye wrote that it would help families.\n\n"
            "Okoye says he would pay for it by cutting waste.")
    assert who(text)[-1] == ("Okoye", "Paul Okoye")


def test_a_name_owning_the_object_of_a_place_preposition_is_a_person():
    """"when it comes to Ada Okoye’s health": "to" governs what she owns, so the name is no
    place; a later bare "Okoye" with "her" after it can be her."""
    text = ("Secrecy is no stranger when it comes to Ada Okoye’s health, a former aide says.\n\n"
            "The aide served under former President Paul Okoye for six years. In 1998, Okoye allowed her staff "
            "to hide it. In 2001, Okoye wrote that the illness was mild.")
    assert who(text) == [("Okoye", "Ada Okoye")]


def test_a_party_role_is_a_person_not_the_party():
    """"the GOP nominee" with no nominee of the GOP as a body: a person of the party, not the
    party itself ("the FBI director" with no director named is the FBI)."""
    text = ("The GOP held its convention in Harlow on Monday. Dana Okoye, the Republican nominee, spoke there.\n\n"
            "Taxes would fall, the GOP nominee said.")
    assert speaker_of(text, "Taxes would fall", "the GOP nominee") == "Dana Okoye"


def test_titles_with_of_capitals_month_tails_and_others_keep_the_name():
    # "chief of staff X" and "Speaker of the Assembly X" are one title before a name; a name in
    # capitals (a caption) is still a name; "in March" is a date, not part of a body's name; "X and
    # other officials" and "Both the X and Y" are X.
    text = "The vote was close. {} said that the bill would pass."
    cases = {"chief of staff Dana Whitlock": "Dana Whitlock",
             "Speaker of the Assembly Maria Ortiz": "Maria Ortiz",
             "MARIA ORTIZ": "Maria Ortiz",
             "FELLOW NURSES": None,
             "The Ortiz administration in March": "Ortiz administration",
             "Mr. Whitlock and other department officials": "Whitlock",
             "Both the Harbour Gazette and the Valley Bureau": "Harbour Gazette"}
    for mention, speaker in cases.items():
        assert speaker_of(text.format(mention), "the bill would pass", mention) == speaker, mention


def test_his_campaign_is_the_campaign_of_the_person_the_pronoun_refers_to():
    """"His campaign sued ..." speaks for the campaign of the man "his" refers to, named as readers
    write it ("Okoye campaign") when the text names that campaign, not for the last person named in the sentence before."""
    text = ("Sen. Paul Okoye apologized on Monday. Okoye campaign manager Tim Roe suspended two aides.\n\n"
            "Okoye said he was sorry. His campaign sued the party on Friday, saying the ban was unfair.")
    assert speaker_of(text, "the ban was unfair", "His campaign") == "Okoye campaign"
    # a campaign the text never names is no body to speak for
    text = "Mayor Ada Lind spoke on Monday. Her campaign said the budget was balanced."
    assert speaker_of(text, "the budget was balanced", "Her campaign") != "Lind campaign"


def test_an_owner_or_an_occupation_before_a_given_name_is_no_part_of_the_name():
    """"Harlow Daily's Ada Lind", "Ohio's Sheriff Tom Baker", "Sculptor Maria Okoye": the person
    after them; not a place or a body whose words look like given names."""
    text = "The vote was close. {} said that the bill would pass."
    cases = {"Harlow Daily’s Ada Lind": "Ada Lind",
             "Ohio's Sheriff Tom Baker": "Tom Baker",
             "Sculptor Maria Okoye": "Maria Okoye",
             "the New York Democrat": None,
             "Martin Luther King": "Martin Luther King"}
    for mention, speaker in cases.items():
        got = speaker_of(text.format(mention), "the bill would pass", mention)
        assert got == speaker or (speaker is None and got != "York Democrat"), mention


def test_records_files_and_polling_speak_for_the_author_they_name():
    """"F.A.A. records show", "Audit files from X", "A review by The Times", "July's X polling": the
    author the mention names (an "Audit" opening the sentence is no author), while "the records"
    alone refers back to no named document."""
    text = ("The Harlow Aviation Board (H.A.B.) keeps logs. The Harlow Times ran the story. {} the jet flew twice.")
    cases = {"H.A.B. records show": "Harlow Aviation Board",
             "Audit files from Vantage Data show": "Vantage Data",
             "A review by The Times found": "Harlow Times",
             "July's Harlow Times/Civic News polling found": "Harlow Times",
             "Monday's Harlow Times poll found": "Harlow Times"}
    for mention, speaker in cases.items():
        mention_text = mention.rsplit(" ", 1)[0]
        assert speaker_of(text.format(mention), "the jet flew twice", mention_text) == speaker, mention
    text = "A Harlow Times poll came out on Monday. The records show the jet flew twice."
    assert speaker_of(text, "the jet flew twice", "The records") is None


def test_proxies_of_a_named_campaign_speak_for_the_campaign():
    """"Okoye campaign aides" speak for the Okoye campaign, as "a spokesman for X" speaks for X,
    not for the candidate; "Okoye's campaign strategist" is still one unnamed person."""
    text = "Sen. Dana Okoye toured Harlow. Okoye campaign aides said the tour went well."
    assert speaker_of(text, "the tour went well", "Okoye campaign aides") == "Okoye campaign"
    text = "Tom Vesper bought a mine. Vesper's campaign strategist said the mine is safe."
    assert speaker_of(text, "the mine is safe", "Vesper's campaign strategist") is None


def test_a_bare_surname_takes_the_one_full_name_written_after_a_place_preposition():
    """"apologized to Ada Okoye ... Okoye said": a given name and surname after "to" are no proof
    of a person alone, but they are the fullest form of a bare surname no other full name fits."""
    text = ("Sen. Tom Baker apologized to Ada Okoye on Monday. The party blocked his data.\n\n"
            "Okoye said the apology was welcome.")
    assert speaker_of(text, "the apology was welcome", "Okoye") == "Ada Okoye"


def test_a_document_owned_by_a_pronoun_speaks_for_its_referent():
    """"her campaign finance reports", "his book 'A Long Road'": a document whose owner is a
    possessive pronoun speaks for the person the pronoun refers to, as "Okoye's filings" does."""
    text = ("Dana Okoye left the race in May. She still had $2 million in the bank, according to her campaign "
            "finance reports.")
    assert speaker_of(text, "She still had", "her campaign finance reports") == "Dana Okoye"
    text = "Paul Whitlock built hotels. He paid cash, as his book ''A Long Road'' tells it."
    assert speaker_of(text, "He paid cash", "his book ''A Long Road''") == "Paul Whitlock"


def test_his_campaign_is_the_campaign_the_text_names():
    """"His campaign" is the named campaign of the one "his" refers to ("the Okoye campaign"), not
    a person the text titles with a campaign role; with no such campaign named, as before."""
    text = ("Okoye campaign manager Paul Whitlock said the staff had been warned. At the rally, Victor Okoye said "
            "his aides “made a mistake.” His campaign said the fine was unfair.")
    assert speaker_of(text, "the fine was unfair", "His campaign") == "Okoye campaign"
