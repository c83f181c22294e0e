"""Attribution with the real model, through `quotetool.pipeline.extract` (the code behind
`quotetool.extract` and the CLI): who said each quote.

Each row gives, for every quote of the text in order, the quoted words and the expected
(speaker, speaker_mention, cue, speaker_source). The people and organisations are invented.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotetool
from quotetool.models import SPEAKER_SOURCES
from quotetool.names import surname
from quotetool.pipeline import extract


def _check_offsets(text: str, doc) -> None:
    for q in doc.quotes:
        assert text[q.start:q.end] == q.quote
        assert 0 <= q.start < q.end <= len(text)


CASES = [
    # --- role nouns resolve to the person holding the role -----------------------------------
    pytest.param(
        "Belarus President Aleksandr Lukashenko met grain farmers in Minsk Oblast on Monday. He praised "
        "their work.\n\n“This year the harvest is good in every region,” the head of state added.",
        [("This year the harvest is good in every region,",
          "Aleksandr Lukashenko", "the head of state", "added", "right-verb")],
        id="role-head-of-state"),
    pytest.param(
        "Belarus President Aleksandr Lukashenko met Russian Foreign Minister Sergey Lavrov in Minsk on "
        "Thursday.\n\n“We have a lot to discuss,” the minister said.\n\n“Our doors are always open,” the "
        "Belarusian leader added.",
        [("We have a lot to discuss,", "Sergey Lavrov", "the minister", "said", "right-verb"),
         ("Our doors are always open,", "Aleksandr Lukashenko", "the Belarusian leader", "added", "right-verb")],
        id="role-two-roles-two-people"),
    pytest.param(
        "Kevin Hale, 34, was sentenced on Friday.\n\nAt the hearing, the victim’s mother told the court, “Not a "
        "day goes by that I do not think of my son.”\n\n“We will keep the crossing open,” the mayor said.",
        [("Not a day goes by that I do not think of my son.", "the victim’s mother", "the victim’s mother", "told",
          "left-verb"),
         ("We will keep the crossing open,", "the mayor", "the mayor", "said", "right-verb")],
        id="descriptions-of-unnamed-people-stay-descriptions"),
    pytest.param(
        "District Attorney Jane Roe announced that Marcus Hill, 29, of Queens, was sentenced to 25 years on "
        "Friday.\n\nIn a statement read in court, the victim’s wife said, “Our children ask for their father "
        "every night.”\n\nThe defendant told the court, “I am sorry for what I did.”",
        [("Our children ask for their father every night.", "the victim’s wife", "the victim’s wife", "said",
          "left-verb"),
         ("I am sorry for what I did.", "Marcus Hill", "The defendant", "told", "left-verb")],
        id="the-defendant-is-who-was-sentenced"),
    pytest.param(
        "Attorney General Jane Roe sued the towing firm on Monday.\n\nOne driver, a nurse from Decatur, told "
        "investigators she was forced to pay in cash. “They said the car would be sold,” she said.",
        [("They said the car would be sold,", "One driver", "she", "said", "right-verb")],
        id="she-after-an-unnamed-person-who-reported"),
    pytest.param(
        "Acme Robotics posted a loss for the third quarter on Monday. It said the loss was “a one-time cost "
        "of moving to the new plant.”",
        [("a one-time cost of moving to the new plant.", "Acme Robotics", "It", "said", "left-verb")],
        id="it-after-an-organisation-subject"),
    pytest.param(
        "Governor Ann Lee visited the school on Monday.\n\nAnd if anyone says, “Well, this is a matter of "
        "money,” I would invite you to look at the children.",
        [("Well, this is a matter of money,", None, "anyone", "says", "left-verb")],
        id="anyone-says-names-no-one"),
    pytest.param(
        "Governor Ann Lee spoke at the fair on Monday.\n\nLee was asked by the mayor, “Will the bridge open "
        "in May?” Later she was asked, “What about the schools?”",
        [("Will the bridge open in May?", "the mayor", "the mayor", "asked", "left-verb"),
         ("What about the schools?", None, None, "asked", "left-verb")],
        id="passive-reporting-verb-speaker-is-the-agent"),
    # --- surnames and honorifics resolve to the fullest name ---------------------------------
    pytest.param(
        "Vladimir Putin met the governors of three regions in Moscow.\n\nMr Putin said: “We must build "
        "more roads this year.”",
        [("We must build more roads this year.", "Vladimir Putin", "Mr Putin", "said", "left-verb")],
        id="surname-honorific-before-quote"),
    pytest.param(
        "Vladimir Putin met the governors of three regions in Moscow.\n\n“We must build more roads this "
        "year,” Mr Putin said.",
        [("We must build more roads this year,", "Vladimir Putin", "Mr Putin", "said", "right-verb")],
        id="surname-honorific-after-quote"),
    pytest.param(
        "Russian Foreign Minister Sergey Lavrov arrived in Minsk on Thursday.\n\n“We have a lot to "
        "discuss,” Lavrov said.",
        [("We have a lot to discuss,", "Sergey Lavrov", "Lavrov", "said", "right-verb")],
        id="bare-surname"),
    pytest.param(
        "Senator Mary Jones met farmers in Springfield.\n\n“Farmers need fair prices,” Ms Jones said.",
        [("Farmers need fair prices,", "Mary Jones", "Ms Jones", "said", "right-verb")],
        id="surname-honorific-ms"),
    pytest.param(
        "Minister of Infrastructure Irina Kovalenko opened the new border crossing on Thursday.\n\n"
        "\"We promised to open it before winter,\" Kovalenko said.",
        [("We promised to open it before winter,", "Irina Kovalenko", "Kovalenko", "said", "right-verb")],
        id="surname-after-minister-of-x"),
    # --- pronouns resolve to the nearest fitting speaker --------------------------------------
    pytest.param(
        "Finance Minister Olga Petrenko presented the budget on Monday.\n\nDeputy Minister Ivan Kravchuk "
        "defended the tax plan. “The plan is fair to everyone,” he said.",
        [("The plan is fair to everyone,", "Ivan Kravchuk", "he", "said", "right-verb")],
        id="pronoun-nearest-person"),
    pytest.param(
        "Finance Minister Olga Petrenko presented the budget on Monday.\n\nDeputy Minister Ivan Kravets "
        "defended the tax plan. “The plan is fair to everyone,” he said.",
        [("The plan is fair to everyone,", "Ivan Kravets", "he", "said", "right-verb")],
        id="pronoun-nearest-person-surname-ending-in-s"),
    pytest.param(
        "Governor Ana Ruiz signed the river bill on Tuesday. “This law protects our rivers,” she said. "
        "“It also creates jobs.”",
        [("This law protects our rivers,", "Ana Ruiz", "she", "said", "right-verb"),
         ("It also creates jobs.", "Ana Ruiz", "she", "said", "left-verb")],
        id="pronoun-split-quote"),
    pytest.param(
        "President Anna Berg welcomed Mayor Tom Baker to the capital on Monday.\n\n“Your city sets an "
        "example for the whole country,” the President said.\n\nMayor Tom Baker thanked her for the "
        "support. “It took us four years,” he said.",
        [("Your city sets an example for the whole country,", "Anna Berg", "the President", "said", "right-verb"),
         ("It took us four years,", "Tom Baker", "he", "said", "right-verb")],
        id="pronoun-subject-of-the-sentence-before-beats-previous-speaker"),
    # --- continuation: no cue, the neighbouring quote's speaker -----------------------------
    pytest.param(
        "Finance Minister Olga Petrenko presented the budget to parliament on Tuesday.\n\n“The deficit "
        "will fall next year,” she said.\n\n“We will also cut taxes for small firms.”",
        [("The deficit will fall next year,", "Olga Petrenko", "she", "said", "right-verb"),
         ("We will also cut taxes for small firms.", "Olga Petrenko", None, None, "continuation")],
        id="continuation-paragraph"),
    pytest.param(
        "President Anna Berg welcomed Mayor Tom Baker to the capital on Monday. Ms Berg praised the "
        "city's new bridge, and Berg later toured its river port with Berg's advisers.\n\n“It took us "
        "four years.\n\n“But the wait was worth it,” Mr Baker said.",
        [("It took us four years.", "Tom Baker", None, None, "multi-paragraph"),
         ("But the wait was worth it,", "Tom Baker", "Mr Baker", "said", "right-verb")],
        id="multi-paragraph-quote-takes-the-following-speaker"),
    # --- labels, "according to", inverted verbs, bylines -------------------------------------
    pytest.param(
        "**Jane Roe, Chair of the Harbor Council:** “The bridge will open in May.”",
        [("The bridge will open in May.", "Jane Roe", "Jane Roe, Chair of the Harbor Council", ":", "label")],
        id="markdown-label"),
    pytest.param(
        "Jane Roe: “The bridge will open in May.”",
        [("The bridge will open in May.", "Jane Roe", "Jane Roe", ":", "label")],
        id="plain-label"),
    pytest.param(
        "According to Mayor Tom Baker, “the bridge will open in May.”",
        [("the bridge will open in May.", "Tom Baker", "Mayor Tom Baker", "according to", "according-to")],
        id="according-to-before"),
    pytest.param(
        "According to the Department of Agriculture, “more than forty thousand students took part.”",
        [("more than forty thousand students took part.", "the Department of Agriculture",
          "the Department of Agriculture", "according to", "according-to")],
        id="according-to-organisation-before"),
    pytest.param(
        "Harbor traffic grew by a third, “more than in any year since 1990,” according to Mayor Tom Baker.",
        [("more than in any year since 1990,", "Tom Baker", "Mayor Tom Baker", "according to", "according-to")],
        id="according-to-after"),
    pytest.param(
        "“Traffic grew by a third,” according to the Port Authority.",
        [("Traffic grew by a third,", "the Port Authority", "the Port Authority", "according to", "according-to")],
        id="according-to-organisation-after"),
    # --- the header names the role holder ----------------------------------------------------
    pytest.param(
        "Meeting with Governor of Tula Region Ilya Markov\nMarch 26, 2000, 12:10\nThe Kremlin, Moscow\n\n"
        "The Governor reported on the harvest. “We gathered more grain than last year,” the Governor said.",
        [("We gathered more grain than last year,", "Ilya Markov", "the Governor", "said", "right-verb")],
        id="role-holder-named-in-kremlin-title"),
    pytest.param(
        "---\ntitle: President Anna Berg Signs the River Protection Act\ndate: '2024-05-02'\n---\n\n"
        "The new law bans dumping in the country's rivers. “Clean rivers are our shared duty,” the "
        "President said.",
        [("Clean rivers are our shared duty,", "Anna Berg", "the President", "said", "right-verb")],
        id="role-holder-named-only-in-title-case-title"),
    pytest.param(
        "“The bridge will open in May,” said Senator John Doe.",
        [("The bridge will open in May,", "John Doe", "Senator John Doe", "said", "inverted-verb")],
        id="inverted-said-x"),
    pytest.param(
        "“We will rebuild the school by September,” Mayor Tom Baker said on Monday.",
        [("We will rebuild the school by September,", "Tom Baker", "Mayor Tom Baker", "said", "right-verb")],
        id="name-then-verb-after-quote"),
    pytest.param(
        "Tom Baker, the mayor of Riverton, said: “We will rebuild the school by September.”",
        [("We will rebuild the school by September.", "Tom Baker", "Tom Baker", "said", "left-verb")],
        id="name-with-apposition-before-quote"),
    pytest.param(
        "“The bridge will open in May.” \u2015 Maria Lopez",
        [("The bridge will open in May.", "Maria Lopez", "Maria Lopez", "\u2015", "byline")],
        id="byline-dash"),
    # --- words in marks with no cue and no sign of speech are not quotes ----------------------
    pytest.param(
        "Governor Ann Lee signed the “Clean Rivers Act” on Monday.\n\nThe law replaces the word "
        "“alien” with “noncitizen” in state forms.\n\n“This is a good day for every river in the state,” "
        "Lee said.",
        [("This is a good day for every river in the state,", "Ann Lee", "Lee", "said", "right-verb")],
        id="terms-and-titles-without-cue-dropped"),
    pytest.param(
        "Governor Ann Lee visited the plant on Monday.\n\nLee said the plan was “a real step forward” and "
        "“long overdue” for the region.",
        [("a real step forward", "Ann Lee", "Lee", "said", "left-verb"),
         ("long overdue", "Ann Lee", None, None, "continuation")],
        id="cueless-fragment-after-a-cued-one-in-its-paragraph-kept"),
    pytest.param(
        "Governor Ann Lee sent a message to the graduates of the state university.\n\n“Your hard work "
        "has made this state proud, and we expect great things of you,” Lee said.\n\n“Go out and build "
        "something that lasts for the people who come after you.”",
        [("Your hard work has made this state proud, and we expect great things of you,", "Ann Lee", "Lee",
          "said", "right-verb"),
         ("Go out and build something that lasts for the people who come after you.", "Ann Lee", None, None,
          "continuation")],
        id="paragraph-opening-quote-without-cue-kept"),
    # --- in someone's own speech a marked word is theirs, not a quote; in a report it is quoted --
    pytest.param(
        "Jane Roe: Good afternoon. We will finish these “spare” bridges that are waiting their turn, and I "
        "ask every mayor to help us. As our engineers say, “steady wins.” Why did they announce a new "
        "“crisis” last week? We have done a lot this year, and we will do more, I promise you.",
        [("steady wins.", "our engineers", "our engineers", "say", "left-verb")],
        id="asides-in-speech-dropped-unless-a-cue-is-beside"),
    pytest.param(
        "Governor Ann Lee met the mayors on Monday. She warned that the region could turn into a “black "
        "hole” for state funds. Lee said the bridges were “waiting their turn.”",
        [("black hole", "Ann Lee", "She", "warned", "left-verb"),
         ("waiting their turn.", "Ann Lee", "Lee", "said", "left-verb")],
        id="fragments-in-a-report-are-the-reported-persons-words"),
    # --- a verb of intent right before “to” gives the words to its subject ---------------------
    pytest.param(
        "The talks ended on Tuesday. The regional council decided to “pause all new permits until "
        "spring,” and Mayor Tom Baker plans to “talk to every builder in town.”\n\nThe council has the "
        "authority to “review” permits.",
        [("pause all new permits until spring,", "The regional council", "The regional council", "decided",
          "left-verb"),
         ("talk to every builder in town.", "Tom Baker", "Mayor Tom Baker", "plans", "left-verb")],
        id="intent-verb-before-to"),
    # --- words quoted in a news headline are its label's, its "Says" name's or its subject's --
    pytest.param(
        "Jane Roe: Voters Are ‘Tired of Waiting’ on Roads\n\nThe senator spoke in Dayton on Monday.",
        [("Tired of Waiting", "Jane Roe", "Jane Roe", ":", "headline")],
        id="headline-label"),
    pytest.param(
        "Plan Is ‘A Step Forward’ for Farmers, Tom Baker Says\n\nThe mayor spoke in Dayton on Monday.",
        [("A Step Forward", "Tom Baker", "Tom Baker", "Says", "headline")],
        id="headline-says"),
    pytest.param(
        "Rural Mayors Call New Road Plan ‘A Betrayal’ of Small Towns\n\nThe mayors met in Dayton on Monday.",
        [("A Betrayal", "Rural Mayors", "Rural Mayors", "Call", "headline")],
        id="headline-subject-people"),
    pytest.param(
        "Acme Cloud Launches ‘Sky Vault’ Backup Service\n\nAcme Cloud released the service on Monday.",
        [],
        id="headline-product-name-not-speech"),
    pytest.param(
        "Roe: the council needs to ‘stop arguing about the bridge’ before May\n\nJane Roe spoke in Dayton.",
        [("stop arguing about the bridge", "Jane Roe", "Roe", ":", "headline")],
        id="headline-label-in-sentence-case"),
    pytest.param(
        "Tom Baker reviewed the plan on Monday.\n\n“I have admiration for the mechanics” of the plan, Mr. Baker "
        "said.",
        [("I have admiration for the mechanics", "Tom Baker", "Mr. Baker", "said", "right-verb")],
        id="quote-running-into-its-sentence-then-x-said"),
    pytest.param(
        "Open Data Alliance Announces “Trusted Pipelines” Initiative\n\nThe initiative will publish its first "
        "specification, called “Provenance Core,” later this year.\n\n“Every company runs on data it did not "
        "create,” said Maya Okafor, general manager of the alliance.",
        [("Every company runs on data it did not create,", "Maya Okafor", "Maya Okafor", "said", "inverted-verb")],
        id="names-in-marks-after-a-reporting-verb-or-called"),
    # --- of two reporting verbs before a quote, the one whose clause holds it -------------------
    pytest.param(
        "Governor Ann Lee met the mayors on Monday.\n\nLee mocked the complaint, saying anybody who "
        "complains about the new roads “is not paying attention.”",
        [("is not paying attention.", "Ann Lee", "Lee", "saying", "left-verb")],
        id="reporting-verb-in-a-relative-clause-passed-over"),
    pytest.param(
        "President Jane Roe opened the bridge on Monday.\n\nI want to thank Governor Tom Lee, who said to me "
        "last spring, “Just get it done.” As the old saying goes, “The best time to plant a tree was twenty "
        "years ago.”\n\nSinger Ann Park waved to Roe before asking her, “Can I come back next year?”",
        [("Just get it done.", "Tom Lee", "Governor Tom Lee", "said", "left-verb"),
         ("The best time to plant a tree was twenty years ago.", "the old saying", "the old saying", "goes",
          "left-verb"),
         ("Can I come back next year?", "Ann Park", "Singer Ann Park", "asking", "left-verb")],
        id="verb-at-the-comma-a-saying-a-subject-across-a-preposition"),
    # --- a pull-quote in a transcript is whoever said those words in their turn -----------------
    pytest.param(
        "Meeting of the Regional Council\n\nPresident of Ruritania Jane Roe: Friends, welcome. It was a long "
        "and difficult year for every farmer, and we have helped them through it with new credit lines.\n\n"
        "Prime Minister of Ruritania Tom Baker: Thank you. I agree with the President, and I will add one "
        "thing.\n\n”It was a long and difficult year for every farmer, and we have helped them through it with "
        "new credit lines.“\n\nWe will keep that credit going next year as well, and we will widen it.\n\n”We "
        "will keep that credit going next year as well, and we will widen it to small towns.“",
        [("It was a long and difficult year for every farmer, and we have helped them through it with new "
          "credit lines.", "Jane Roe", None, None, "document"),
         ("We will keep that credit going next year as well, and we will widen it to small towns.", "Tom Baker",
          None, None, "document")],
        id="pull-quotes-in-a-transcript"),
    # --- a message's words are its sender's ---------------------------------------------------
    pytest.param(
        "Greetings to the staff of the National Library\n\nPresident Ann Lee congratulated the staff of the "
        "National Library on its centenary.\n\nThe message reads, in part:\n\n“For a hundred years the "
        "library has kept the memory of our nation.\n\n“I wish you every success in your work.”",
        [("For a hundred years the library has kept the memory of our nation.", "Ann Lee", "The message",
          "reads", "lead-in"),
         ("I wish you every success in your work.", "Ann Lee", None, None, "continuation")],
        id="message-reads-sender-from-the-lead"),
    pytest.param(
        "Governor Ann Lee and Mayor Tom Baker met on Friday.\n\nThe Governor’s letter to the council "
        "reads: “The bridge will be finished by spring.”",
        [("The bridge will be finished by spring.", "Ann Lee", "The Governor", "reads", "left-verb")],
        id="possessor-of-the-letter"),
    pytest.param(
        "Ann Lee and Tom Baker spoke on Friday.\n\nMs Lee and Mr Baker issued a joint statement on "
        "trade, which reads in part: “We agreed to lower tariffs on grain.”",
        [("We agreed to lower tariffs on grain.", "Ann Lee", "Ms Lee and Mr Baker", "reads", "left-verb")],
        id="statement-issued-by-its-subject"),
    # --- a short line over the quote naming its speaker ----------------------------------------
    pytest.param(
        "Leaders praised the new apprenticeship plan.\n\n**Ann Lee, President of the Builders Guild**\n\n"
        "“This plan will bring thousands of young people into the trades.”\n\n"
        "**Tom Baker, Director of the Carpenters Union**\n\n“Our members are ready to teach them.”",
        [("This plan will bring thousands of young people into the trades.", "Ann Lee",
          "Ann Lee, President of the Builders Guild", None, "label-line"),
         ("Our members are ready to teach them.", "Tom Baker", "Tom Baker, Director of the Carpenters Union",
          None, "label-line")],
        id="label-lines-in-a-round-up"),
    # --- the office is not part of the name ------------------------------------------------------
    pytest.param(
        "U.S. Ambassador to France Jane Roe visited Lyon on Tuesday.\n\n“Our ties are strong,” Roe said.",
        [("Our ties are strong,", "Jane Roe", "Roe", "said", "right-verb")],
        id="office-words-not-in-the-name"),
    # --- a clause ending in a colon introduces the quote, whatever its verb ---------------------
    pytest.param(
        "The mayor walked to the town hall on Monday.\n\nAs she arrived, the children waved from "
        "across the square: “Keep the library open!”",
        [("Keep the library open!", "the children", "the children", "waved", "colon-clause")],
        id="colon-clause-any-verb"),
    pytest.param(
        "Congratulations to the staff of the State Archive\n\nAnn Lee congratulated the staff of the State "
        "Archive on its anniversary.\n\nThe message reads, in part:“Your work keeps our history alive.”",
        [("Your work keeps our history alive.", "Ann Lee", "The message", "reads", "left-verb")],
        id="message-sender-from-the-lead-sentence"),
    # --- a list of quoted terms is not speech; a cued list is ---------------------------------
    pytest.param(
        "Senator Ann Lee released the audit on Monday.\n\nThe audit described trading schemes such as "
        "“blue moon”, “night owl”, “quick step” and “side door” at the firm.\n\nLee called the firm "
        "“reckless”, “dishonest” and “beyond repair” in her remarks.",
        [("reckless", "Ann Lee", "Lee", "called", "left-verb"),
         ("dishonest", "Ann Lee", None, None, "continuation"),
         ("beyond repair", "Ann Lee", None, None, "continuation")],
        id="quoted-terms-list-dropped-cued-list-kept"),
    pytest.param(
        "Senator Ann Lee released the memos on Monday.\n\nThe memos describe strategies such as “blue moon” "
        "and “side door” in detail.\n\n“These schemes cost families money,” Lee said.",
        [("These schemes cost families money,", "Ann Lee", "Lee", "said", "right-verb")],
        id="two-examples-after-such-as-are-terms"),
    # --- labels with a party or state in brackets, bold, on hard-wrapped lines -----------------
    pytest.param(
        "**What They Are Saying:**\n\n**U.S. Senator Jane Roe (ID):** “The new dam plan listens to the "
        "people\nwho live here.”\n**U.S. Representative Tom Baker (OR-02): “**It protects our\nfarms.”",
        [("The new dam plan listens to the people\nwho live here.", "Jane Roe", "U.S. Senator Jane Roe", ":",
          "label"),
         ("It protects our\nfarms.", "Tom Baker", "U.S. Representative Tom Baker", ":", "label")],
        id="round-up-labels-with-district"),
    # --- after an inverted verb, the person beats the organisation and the title -----------------
    pytest.param(
        "A jury convicted the ring's leader on Friday.\n\n“The verdict is just,” said Special Agent in "
        "Charge Tom Baker of the FBI Denver Field Office.\n\n“No one is above the law,” said Assistant "
        "Attorney General Jane Roe of the Justice Department’s Civil Rights Division.",
        [("The verdict is just,", "Tom Baker", "Special Agent in Charge Tom Baker", "said", "inverted-verb"),
         ("No one is above the law,", "Jane Roe", "Assistant Attorney General Jane Roe", "said", "inverted-verb")],
        id="inverted-verb-title-name-of-office"),
    pytest.param(
        "The agency announced new grants on Monday.\n\n“These grants reach every county,” said U.S. Agency "
        "for Rural Development Administrator Jane Roe.",
        [("These grants reach every county,", "Jane Roe", "U.S. Agency for Rural Development Administrator Jane Roe",
          "said", "inverted-verb")],
        id="inverted-verb-person-after-agency-title"),
    pytest.param(
        "Northwind Foods opened a new plant in Ohio.\n\n“We are proud to hire locally,” says Northwind Foods Co-Founder, "
        "Daniela Ortiz-Rey.",
        [("We are proud to hire locally,", "Daniela Ortiz-Rey", "Daniela Ortiz-Rey", "says", "inverted-verb")],
        id="inverted-verb-person-after-company-title-comma"),
    # --- the headline's subject is who the release is about -------------------------------------
    pytest.param(
        "Ann Lee telephoned Canadian Prime Minister Tom Baker to congratulate him\nJuly 6, 2021, 20:40\n\n"
        "Mr Baker and Ms Lee discussed trade. The Irish head of state also sent Tom Baker a message of "
        "greetings, which reads in part:\n\n“I have warm memories of our meeting in Dublin.”",
        [("I have warm memories of our meeting in Dublin.", "Ann Lee", "The Irish head of state", "reads",
          "lead-in")],
        id="head-of-state-is-the-headline-subject-not-the-other-leader"),
    # --- a name in marks inside a sentence is not reported by the verb that follows it ----------
    pytest.param(
        "Governor Ann Lee toured the air show on Friday.\n\nShe examined the prototype “Skylark,” whose "
        "first flight is scheduled for next spring. “It is a fine machine,” Lee said.",
        [("It is a fine machine,", "Ann Lee", "Lee", "said", "right-verb")],
        id="name-in-marks-followed-by-a-clause-is-not-speech"),
    # --- "he" after "the Belarusian president" is the Belarusian president ----------------------
    pytest.param(
        "Russian President Ivan Petrov met Belarusian President Oleg Sokol in Minsk.\n\nMr Petrov spoke "
        "about trade. The Belarusian president also said tractors mattered most. “The main thing is that "
        "they are sold”, he said.",
        [("The main thing is that they are sold", "Oleg Sokol", "he", "said", "right-verb")],
        id="pronoun-after-a-role-subject-with-a-demonym"),
    pytest.param(
        "The Irish President sent greetings to the delegates of the Harbour Summit\nMay 4, 2021, 10:00\n\n"
        "The message reads in part:\n\n“Your summit is an important forum for the ports of the north.”",
        [("Your summit is an important forum for the ports of the north.", "the Irish President", "The message",
          "reads", "lead-in")],
        id="unnamed-sender-is-the-headline-description"),
    # --- a word named as a word, a nickname, an inscription ------------------------------------
    pytest.param(
        "Mayor Ann Lee opened the memorial on Sunday.\n\nLee noted that the volunteer nurse (nicknamed "
        "“Wren”) is still missing. The stone bears the inscription “Never Again!” Lee said the law now uses "
        "the term “displaced residents” for them.\n\n“We will not forget them,” Lee said.",
        [("We will not forget them,", "Ann Lee", "Lee", "said", "right-verb")],
        id="terms-nicknames-inscriptions-are-not-speech"),
    pytest.param(
        "Northwind Foods named a new chief operating officer.\n\n“I have worked with her for years,” says "
        "Ben Wright, Northwind Foods Founder and Chairman of the Board. “She is a seasoned leader.”",
        [("I have worked with her for years,", "Ben Wright", "Ben Wright", "says", "inverted-verb"),
         ("She is a seasoned leader.", "Ben Wright", "Ben Wright", "says", "left-verb")],
        id="inverted-verb-person-before-title-and-the-split-quote"),
    pytest.param(
        "Remarks by Governor Ann Lee at the memorial for Senator Tom Baker\n\nListen to Tom Baker’s words, "
        "not mine. I’m quoting him again: “Compromise is not a sign of weakness.”",
        [("Compromise is not a sign of weakness.", "Tom Baker", "him", "quoting", "quoting-verb")],
        id="quoting-him-is-the-person-named-not-the-speaker"),
    pytest.param(
        "Remarks by Governor Ann Lee at the harbour festival\n\nAs the old saying goes, we Scots say, "
        "“Many a mickle makes a muckle.”",
        [("Many a mickle makes a muckle.", "the Scots", "we Scots", "say", "left-verb")],
        id="we-and-a-people-is-that-people"),
    # --- the text of a law is not speech --------------------------------------------------------
    pytest.param(
        "Executive Order on Port Safety\n\nSection 1. The order of May 2 is amended by adding a new "
        "section 4 to read as follows:\n\n“Sec. 4. The Secretary shall inspect every port each year.\n\n"
        "(a) Inspections shall be unannounced.”\n\n“Our ports will be safer,” the Governor said.",
        [("Our ports will be safer,", "the Governor", "the Governor", "said", "right-verb")],
        id="amending-text-of-an-order-is-not-speech"),
    # --- a document speaks as itself --------------------------------------------------------------
    pytest.param(
        "Attorney General Jane Roe sued Acme Lending on Monday.\n\nThe lawsuit alleges that Acme "
        "“systematically concealed” its fees. “We will get the money back,” Roe said.",
        [("systematically concealed", "The lawsuit", "The lawsuit", "alleges", "left-verb"),
         ("We will get the money back,", "Jane Roe", "Roe", "said", "right-verb")],
        id="the-lawsuit-alleges"),
    pytest.param(
        "Senator Jane Roe released a study by the Government Accountability Office (GAO) on Monday.\n\n"
        "The GAO noted its concerns, including “unclear criteria for selecting facilities to close.”",
        [("unclear criteria for selecting facilities to close.", "Government Accountability Office", "The GAO",
          "noted", "left-verb")],
        id="acronym-is-the-organisation-spelled-out"),
    pytest.param(
        "Supervisor Ahsha Safaí opened the market on Monday.\n\nDistrict Supervisor Safai commented, "
        "“Today is a big day for our neighborhood.”",
        [("Today is a big day for our neighborhood.", "Ahsha Safaí", "District Supervisor Safai", "commented",
          "left-verb")],
        id="surname-without-its-accent-is-the-same-person"),
    pytest.param(
        "Remarks by Vice President Jane Roe Highlighting School Safety\n\nRoe visited a school. The teacher "
        "relented to the students who said, “Can we sit in a circle today?”",
        [("Can we sit in a circle today?", "the students", "the students", "said", "left-verb")],
        id="the-students-who-said"),
    # --- marks glued to the words around them, and "they" after a group ---------------------------
    pytest.param(
        "Governor Ann Lee met the press on Monday. As I walked in, the reporters shouted from a "
        "distance:\"Will the bridge open on time?\" When we spoke to our northern neighbours, they all "
        "said the same thing:\"Yes, this is the way forward,\" but nothing moved.",
        [("Will the bridge open on time?", "the reporters", "the reporters", "shouted", "left-verb"),
         ("Yes, this is the way forward,", "our northern neighbours", "our northern neighbours", "said",
          "left-verb")],
        id="glued-marks-and-they-after-a-group"),
    pytest.param(
        "President Tom Baker and Vice President Ann Lee visited the school.\n\n*Statement from the Vice "
        "President:* “We will keep every classroom safe.”",
        [("We will keep every classroom safe.", "Ann Lee", "Statement from the Vice President", ":", "label")],
        id="vice-president-is-not-the-president"),
    pytest.param(
        "Statement by Senator Jane Roe on the Harbor Bill\n\nWASHINGTON – U.S. Senator Jane Roe released the "
        "following statement:\n\n“Today the Senate passed the Harbor Bill.\n\n“I thank my colleagues.”",
        [("Today the Senate passed the Harbor Bill.", "Jane Roe", "U.S. Senator Jane Roe", "released", "lead-in"),
         ("I thank my colleagues.", "Jane Roe", None, None, "continuation")],
        id="released-the-following-statement"),
    pytest.param(
        "Acme Opens Plant\n\nAUSTIN, Texas – Jane Smith cut the ribbon on Monday. “Our plant is open,” the "
        "company said.\n\n“We hired locally,” Acme said.",
        [("Our plant is open,", "the company", "the company", "said", "right-verb"),
         ("We hired locally,", "Acme", "Acme", "said", "right-verb")],
        id="the-company-is-not-the-person-in-play"),
    pytest.param(
        "Acme bought Plant Drives on Monday.\n\n“This is an exciting time for our industry.”—Nicholas Cooke, "
        "CEO, AES, Inc.",
        [("This is an exciting time for our industry.", "Nicholas Cooke", "Nicholas Cooke", "\u2015", "byline")],
        id="byline-glued-dash-person-then-title-and-company"),
    pytest.param(
        "On Wednesday, Council Director Jane Roe delivered remarks at the Economic Club on how our economy is "
        "“defying predictions.” New data showed that inflation fell while “core prices are also easing.”",
        [("defying predictions.", "Jane Roe", "Council Director Jane Roe", "delivered", "left-verb"),
         ("core prices are also easing.", "Jane Roe", None, None, "continuation")],
        id="delivered-remarks-is-a-speech-act"),
    pytest.param(
        "Northwind Analytics, Inc. (the “Company”) reported results.\n\nThis release contains forward-looking "
        "information (collectively, “forward-looking statements”).\n\n“It was a record quarter,” said Sam Lee.",
        [("It was a record quarter,", "Sam Lee", "Sam Lee", "said", "inverted-verb")],
        id="defined-terms-in-parentheses-are-not-speech"),
    pytest.param(
        "The complaint relates to bribes paid to Robert “Bob” Doe in 2009.\n\nThe bill ends the so-called "
        "“three-year bars,” Senator Ann Lee noted. “It is about time,” Lee said.",
        [("It is about time,", "Ann Lee", "Lee", "said", "right-verb")],
        id="nickname-and-so-called-even-with-a-cue"),
    pytest.param(
        "Meeting of the two presidents. Ann Lee: Welcome. Tom Baker: Thank you. You know, and I was saying "
        "to the minister,\"Here it feels like home.\" Ann Lee: Good.",
        [("Here it feels like home.", "Tom Baker", "I", "saying", "left-verb")],
        id="first-person-in-a-transcript-is-whoever-has-the-turn"),
    pytest.param(
        "Interview with Ann Lee\n\nQuestion: Some people asked whom you meant when you said “fools.”\n\n"
        "Ann Lee: I do not remember.",
        [("fools.", "Ann Lee", "you", "said", "left-verb")],
        id="you-in-an-interview-question-is-who-answers"),
    pytest.param(
        "Remarks by President Ann Lee at the city festival\n\nI was speaking with Governor Tom Baker on the "
        "way here, and he said, “Look, there is the old cathedral.”",
        [("Look, there is the old cathedral.", "Tom Baker", "he", "said", "left-verb")],
        id="he-is-not-the-I-who-speaks"),
    pytest.param(
        "Acme joined the Open Grid Alliance today.\n\nSupporting Quotes\n\nJohn Smith, Vice President of "
        "Engineering, Acme\n“Open standards let our customers choose.”\n\nAttorney General Jane Roe welcomed "
        "the news.\n\n“Open markets help consumers,” AG Roe said.",
        [("Open standards let our customers choose.", "John Smith",
          "John Smith, Vice President of Engineering, Acme", None, "label"),
         ("Open markets help consumers,", "Jane Roe", "AG Roe", "said", "right-verb")],
        id="label-line-on-the-line-above-and-AG-title"),
    pytest.param(
        "Acme Appoints Patrick Doe as Chief Financial Officer\nMay 3, 2024\n\nDENVER -- Acme announced the "
        "appointment today.\n\n“I am excited to join Acme,” Doe said.",
        [("I am excited to join Acme,", "Patrick Doe", "Doe", "said", "right-verb")],
        id="surname-gets-the-full-name-from-the-headline"),
    pytest.param(
        "Acme opened a new plant today. Tom Baker cut the ribbon.\n\n“We are proud of our team.”\n\n"
        "— Jane Doe, CEO of Acme",
        [("We are proud of our team.", "Jane Doe", "Jane Doe", "\u2015", "byline")],
        id="byline-in-the-paragraph-below"),
    pytest.param(
        "Sec. 2. The order of May 2 is amended by striking section 7 and inserting the following:\n\n"
        "“Sec. 7. The Secretary shall inspect every port.”\n\nThis is a bipartisan view: Congress has found "
        "that “access to broadband is essential to modern life.”",
        [("access to broadband is essential to modern life.", "Congress", "Congress", "found", "left-verb")],
        id="a-law-section-is-not-speech-and-found-reports"),
    pytest.param(
        "Remarks by President Ann Lee\n\nWe often hear: “The port is closing.” That is not true.",
        [("The port is closing.", None, None, "hear", "colon-clause")],
        id="we-hear-is-not-we-say"),
    pytest.param(
        "Press gaggle with Ann Lee\n\nQ Back to the “months, not years” from President Tom Baker — is that "
        "still the plan?\n\nMany extremist “so-called” leaders espouse “freedom for all,” while attacking it.",
        [("months, not years", "Tom Baker", "President Tom Baker", "from", "according-to"),
         ("freedom for all,", "leaders", "leaders", "espouse", "left-verb")],
        id="words-from-a-person-and-the-scare-word-itself"),
    pytest.param(
        "Carmakers released statements on the new rules:\n\n**Joint Statement of Ford, GM, and Stellantis:**\n\n"
        "“Today we announce our shared aspiration to sell more electric cars.”",
        [("Today we announce our shared aspiration to sell more electric cars.", "Ford, GM, and Stellantis",
          "Joint Statement of Ford, GM, and Stellantis", ":", "lead-in")],
        id="joint-statement-of-is-its-signers"),
    pytest.param(
        "Northwind Foods opened a plant.\n\n“We hire locally,” says Northwind Foods Co-Founder, Daniela "
        "Ortiz-Rey. “Our town deserves good jobs.”",
        [("We hire locally,", "Daniela Ortiz-Rey", "Daniela Ortiz-Rey", "says", "inverted-verb"),
         ("Our town deserves good jobs.", "Daniela Ortiz-Rey", "Daniela Ortiz-Rey", "says", "left-verb")],
        id="split-quote-after-company-title-comma-person"),
    pytest.param(
        "Senator Jane Roe released a study on Monday.\n\nThe study evaluates the rule (see GAO-07-881, “Improved "
        "Economic Analysis Needed for Proposed Changes to Whale Rules”). “The rule is flawed,” Roe said.",
        [("The rule is flawed,", "Jane Roe", "Roe", "said", "right-verb")],
        id="a-long-title-case-title-is-not-speech"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_attribution(nlp, text: str, expected: list[tuple]) -> None:
    doc = extract(text, nlp=nlp)
    _check_offsets(text, doc)
    got = [(q.quote, q.speaker, q.speaker_mention, q.cue, q.speaker_source) for q in doc.quotes]
    assert got == expected


def test_nobody_to_name_gives_null_speaker(nlp) -> None:
    text = "“Keep off the grass.”"
    [q] = extract(text, nlp=nlp).quotes
    assert (q.quote, q.speaker, q.speaker_mention, q.cue, q.speaker_source) == (
        "Keep off the grass.", None, None, None, "none")


def test_top_level_extract_api(nlp) -> None:
    text = "“The bridge will open in May,” said Senator John Doe."
    doc = quotetool.extract(text, nlp=nlp)
    assert [q.speaker for q in doc.quotes] == ["John Doe"]


def test_python_api_and_record_shape(nlp) -> None:
    text = "“The bridge will open in May,” said Senator John Doe."
    doc = extract(text, id="doc-1", nlp=nlp)
    assert isinstance(doc, quotetool.Document)
    record = doc.to_dict()
    assert record["id"] == "doc-1" and record["header"] == {}
    [q] = record["quotes"]
    assert set(q) >= {"start", "end", "quote", "speaker", "speaker_mention", "cue", "speaker_source"}
    assert text[q["start"]:q["end"]] == q["quote"]


def test_header_is_never_searched_for_quotes(nlp) -> None:
    text = ("---\ntitle: '\u201cWe Will Win,\u201d Says Governor'\ndate: '2024-01-02'\n---\n\n"
            "Governor Ana Ruiz spoke on Monday. “We will win,” she said.\n")
    doc = extract(text, nlp=nlp)
    _check_offsets(text, doc)
    assert [q.quote for q in doc.quotes] == ["We will win,"]
    assert doc.quotes[0].start > text.index("---\n\n")


@pytest.mark.parametrize("name, expected", [
    ("Vladimir Putin", "Putin"),
    ("Mr. Putin", "Putin"),
    ("Belarus President Aleksandr Lukashenko", "Lukashenko"),
    ("Putin\u2019s", "Putin"),
    ("Robert J. Dole Jr.", "Dole"),
    pytest.param("Martin Luther King Jr.", "King"),
    ("Ivan Kravets", "Kravets"),
    ("Mary Jones", "Jones"),
])
def test_surname(name: str, expected: str) -> None:
    assert surname(name) == expected


# --- the whole pipeline on arbitrary text ------------------------------------------------------

_PIECES = (
    ["Mr Putin", "the President", "he", "she", "said", "added", "according to", "Jane Roe:", "Senator John Doe",
     "Belarus President Aleksandr Lukashenko", "we", "win", "Belarus", "don't", "1990s", "One Atlanta", "\u2015"]
    + list(".,;:!?()-\u2014") + list("\u201c\u201d\u201e\"\u00ab\u00bb\u2033\u2018\u2019'")
    + [" ", " ", " ", "\n", "\n\n", "\u00a0", "\t", "**", "---\n", "date: 2020-01-01\n"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_extract_never_raises_and_offsets_hold(nlp, text: str) -> None:
    doc = extract(text, nlp=nlp)
    prev = 0
    for q in doc.quotes:
        assert text[q.start:q.end] == q.quote
        assert prev <= q.start < q.end <= len(text)
        prev = q.end
        assert q.speaker_source in SPEAKER_SOURCES


@pytest.mark.parametrize("text, spoken", [
    ("We met the mayors today, and I told them our plan: we build the bridges first. “It works,” "
     "one of them said. We agree with her, and my team will start on Monday.", True),
    ("The Governor met the mayors on Monday and set out the plan. “We build the bridges first, and "
     "we start on Monday,” she said. The mayors welcomed it.", False),
])
def test_speech_or_report(text: str, spoken: bool) -> None:
    """First person outside the quotes makes a text someone's speech; inside them it does not."""
    from quotetool.context import speaks_in_first_person
    from quotetool.quotes import find_quote_spans
    assert speaks_in_first_person(text, find_quote_spans(text)) is spoken
