"""Every word list attribution uses, in one place.

English only. Lists are lower case; verbs are base forms whose inflections are
generated (`inflections`), so the pipeline needs no lemmatizer. A new word goes
here, not into the function that reads it.
"""

from __future__ import annotations

import re

# --- cues ------------------------------------------------------------------------------------

#: Verbs that report speech or writing ("said", "stressed", "tweeted").
REPORTING_VERBS = frozenset("""
accuse acknowledge add admit proclaim tout find espouse advise affirm agree allege announce answer applaud argue ask assert
assure begin believe blast boast exhort liken brag call caution chant charge claim clarify close comment
complain concede conclude condemn confirm contend continue counter criticise criticize cry
declare demand deny describe disclose elaborate emphasise emphasize estimate explain express
feel finish forecast highlight hope indicate inform insist interject joke lament maintain
mention mock note observe open order plead pledge point post praise pray predict promise
propose put quip quote read recall recommend reiterate remark reply report request respond
retort reveal say scream share shout sing slam specify start state stress suggest sum summarise
summarize tell testify thank think tweet underline underscore urge vow warn welcome wish write
yell
""".split())

_IRREGULAR = {"say": "said", "tell": "told", "write": "wrote written", "think": "thought",
              "feel": "felt", "begin": "began begun", "sing": "sang sung", "read": "read",
              "put": "put", "cry": "cried cries", "reply": "replied replies", "deny": "denied denies",
              "testify": "testified testifies", "specify": "specified specifies",
              "clarify": "clarified clarifies", "plead": "pled", "quip": "quipped quipping",
              "find": "found", "proclaim": "proclaimed", "seek": "sought"}


def inflections(verb: str) -> set[str]:
    """say -> {say, says, saying, sayed, said}: regular forms plus the irregular ones."""
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "es", stem + "ing", stem + "ed", verb + "d"}
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # quip -> quipped
    forms |= set(_IRREGULAR.get(verb, "").split())
    return forms


#: Verbs of intent whose words may follow in marks: the command "decided to “reduce
#: hostilities”", the firm "plans to “double down”". A cue only right before "to “".
INTENT_FORMS = frozenset(form for verb in ("decide", "plan", "intend", "aim", "seek", "refuse", "offer",
                                           "threaten")
                         for form in inflections(verb))
#: Sayings that speak for themselves: "as the old saying goes, “…”" is the saying's.
SAYING_NOUNS = frozenset({"saying", "proverb", "adage", "expression", "phrase", "motto", "slogan", "maxim"})
#: Verbs that give a thing a name, the name being the subject's words: X called it a
#: “reset”, described the plan as “a gift”.
NAMING_FORMS = frozenset(form for verb in ("call", "dub", "term", "label", "brand", "describe", "name")
                         for form in inflections(verb))
#: Words that open a noun phrase: "announce a Russian “invasion”" quotes a word inside it.
DETERMINERS = frozenset({"a", "an", "the", "this", "these", "those", "its", "their", "his", "her", "our",
                         "my", "your", "some", "any", "what", "which"})
#: Every word form of the reporting verbs, to its base form.
REPORTING_FORMS = {form: verb for verb in sorted(REPORTING_VERBS) for form in inflections(verb)}
#: "I quote him", "X cited words by Y": the words are the quoted person's, not the quoter's.
QUOTING_FORMS = frozenset(inflections("quote") | inflections("cite"))
BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being", "am", "'s", "\u2019s", "'re",
                      "\u2019re"})
#: A byline after a quote: “…” ― Jane Doe.
DASHES = frozenset({"\u2015", "\u2014", "\u2013", "-", "--"})
#: Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "u.s", "jr", "sen", "gov", "rep"})

# --- mentions --------------------------------------------------------------------------------

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "them", "it", "you",
                      "anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody",
                      "his", "their", "its", "my", "our", "me"})  # possessives: "his letter says"
#: Pronouns that name no one person: a group, the listener, "it is said".
GROUP_PRONOUNS = frozenset({"they", "them", "you", "it", "their", "its",
                            # no one in particular: "if anyone says, “…”"
                            "anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody"})
FIRST_PERSON = frozenset({"i", "we", "my", "our", "me"})
#: Relative pronouns: "Clinton, who said …" points back to the noun before.
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
#: Messages whose words are their sender's: "The message reads", "a letter by Jane Roe".
AUTHOR_NOUNS = frozenset({"word", "words", "message", "letter", "statement", "telegram", "address",
                          "remarks", "remark", "testimony", "interview",
                          "article", "post", "tweet", "release", "note", "op-ed", "report", "readout",
                          "greeting", "greetings", "speech"})
#: Nationality and demonym endings: "the Belarusian leader", "the Ukrainian President".
DEMONYM_ENDINGS = ("ian", "an", "ese", "ish", "ainian")

# --- names and roles -------------------------------------------------------------------------

#: Words that come before a name but are not part of it.
HONORIFICS = frozenset({"major", "admiral", "captain", "colonel", "sergeant", "lieutenant", "mr", "mrs",
                        "ms", "miss", "dr", "sir", "madam", "mx", "prof", "professor", "rev", "gen",
                        "sen", "rep", "gov", "lt", "col", "capt", "sgt", "hon", "dame", "lord", "lady"})
#: Role nouns (single words, or the last word of a phrase), each to its role family.
ROLE_FAMILY = {
    "president": "president", "leader": "president", "head": "president", "chairman": "chair",
    "chair": "chair", "chairwoman": "chair", "chancellor": "chancellor", "premier": "pm",
    "minister": "minister", "secretary": "secretary", "senator": "senator", "governor": "governor",
    "mayor": "mayor", "director": "director", "spokesman": "spokesperson", "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson", "ambassador": "ambassador", "representative": "representative",
    "congressman": "representative", "congresswoman": "representative", "speaker": "speaker",
    "lady": "first lady", "king": "king", "queen": "queen", "prince": "prince", "pope": "pope",
    "ceo": "ceo", "administrator": "administrator", "commissioner": "commissioner", "advisor": "advisor",
    "adviser": "advisor", "coordinator": "coordinator", "chief": "chief", "candidate": "candidate",
    "nominee": "candidate", "attorney": "attorney", "general": "general", "judge": "judge",
    "justice": "judge", "press": "spokesperson", "mp": "representative", "deputy": "deputy",
    # Offices of prosecutors, police and local government, common in their releases.
    "prosecutor": "prosecutor", "sheriff": "sheriff", "marshal": "marshal", "supervisor": "supervisor",
    "superintendent": "superintendent", "councilmember": "councilmember", "councilman": "councilmember",
    "councilwoman": "councilmember", "commander": "commander", "founder": "founder",
    "co-founder": "founder", "cfo": "cfo", "coo": "coo", "cto": "cto",
    # The person a prosecutor's release is about ("the defendant told the court").
    "defendant": "defendant",
}
#: Words that may sit inside a role phrase ("Prime Minister", "Deputy Secretary of State").
ROLE_WORDS = frozenset(ROLE_FAMILY) | {"prime", "foreign", "first", "vice", "acting", "state", "of", "the",
                                       "assistant", "senior", "deputy", "executive", "general", "u.s.",
                                       "officer", "founder", "co-founder", "ag", "da", "atty"}
#: Name suffixes: "Martin Luther King Jr."
NAME_SUFFIXES = ("jr", "sr", "ii", "iii", "iv")
#: Lower-case particles inside names: "Ursula von der Leyen".
NAME_PARTICLES = ("de", "da", "van", "von", "der", "bin", "al", "la", "le")

#: Capitalised at a sentence start, never part of a name.
LEADING_WORDS = frozenset("""
the a an and but so then when while if as in on at for with after before today this that these those
yesterday our my his her their we i it he she they you also however meanwhile now here there what why
how who where according said says former economist late dear thanks thank because since although
though once during under over from by of to into per via not no yes
""".split())

#: Words of institutions and places: a capitalised run holding one is not a person's name.
NOT_NAME_WORDS = frozenset("""
republic federation union engagement counsel assistant manager campaign public employment youth interior state states kingdom council committee department ministry house senate
office board commission assembly party court bank fund agency service services institute university
association caucus administration government affairs security defense defence commerce health
act bill law program programme initiative day week month year news press times post journal
america american russia russian ukraine ukrainian belarus china europe european national federal
international world united nations city county district region province republican democratic
democrat democrats republicans congress parliament white kremlin church school center centre
""".split())

#: Words a Title Case headline capitalises that never sit inside a name.
HEADLINE_WORDS = frozenset("""
against for with from to in on at by of and the as after before over under into about says said
is are was were will would has have had not no than but or vs
""".split())

# --- quotes that are not anyone's words -------------------------------------------------------

#: Paragraph labels that name no one: "MYTH: The bill “hurts families.”" quotes a claim
#: without a source.
RUBRICS = frozenset({"myth", "fact", "claim", "reality", "truth", "q", "a", "question", "answer", "note",
                     "update", "background", "editor's note", "editor\u2019s note", "fact check", "video", "watch",
                     "listen", "photo", "photos", "read more", "related", "see also"})
#: Part-of-speech tags before a short quote that make it a name or a so-called term:
#: the "reset", so-called "experts", our nation's "oldest service", as "Police Week".
SCARE_LEFT_POS = frozenset({"DET", "ADJ", "ADP", "PRON", "PART", "NUM"})
#: ... except these words, after which a short quote is still speech ("to “clawed back”").
SCARE_LEFT_EXCEPT = frozenset({"that", "to", "i", "we"})
SO_CALLED = frozenset({"so-called", "called"})


def bare(token: str) -> str:
    """Lower case, without edge punctuation or a possessive ending."""
    t = token.lower().strip(".,;:")
    return re.sub(r"(?:\u2019|')s?$", "", t)

#: Words just before an opening mark that make the quoted words a name or a term, not
#: speech: the word “Children”, nicknamed “Tayra”, the inscription “Glory to Ukraine!”.
TERM_MARKERS = frozenset("""
word term terms phrase expression slogan slogans hashtag motto inscription inscriptions nicknamed
titled entitled headlined captioned theme codenamed code-named marathon
""".split())

#: Kinds of named works: the Title Case words in marks after them are a title, not speech
#: (the anthem “A Change Is Gonna Come,”, an episode of “The Morning Show.”).
WORK_NOUNS = frozenset("""
song songs anthem hymn album book books novel memoir poem film films movie documentary show
shows program programme series episode podcast play musical column essay
""".split())

#: Parts of a legal text: quoted words introduced by them ("a new section 11 to read as
#: follows:", "subsection (d) is amended to read") are the text of a law, not speech.
LEGAL_PARTS = frozenset("""
section sections subsection subsections paragraph paragraphs subparagraph subparagraphs clause
clauses article articles provision provisions chapter chapters title annex schedule amendment
amendments heading definition definitions
""".split())

#: Documents that speak for themselves: “The indictment alleges …”, “the lawsuit asserts …”.
#: Their words are the document's (“the indictment”) unless an author is named with them
#: (“the GAO report”, “Smith's memo”).
DOCUMENT_NOUNS = frozenset("""
indictment indictments complaint complaints lawsuit lawsuits suit affidavit affidavits filing
filings petition motion ruling verdict judgment opinion memo memorandum memos report reports
study studies survey audit review analysis document documents advertisement ad ads
""".split())

#: Nouns for an institution: "the company said" is the company, never a person in play.
INSTITUTION_NOUNS = frozenset("""
company firm corporation business organization organisation foundation group team agency
department ministry office board commission committee council authority administration
government campaign club union association institute university school hospital bank fund
service court police embassy network station newspaper paper outlet
""".split())

#: Verbs whose subject takes the words in rather than says them: "We often hear: “…”".
PERCEPTION_VERBS = frozenset({"hear", "heard", "hears", "hearing", "see", "saw", "seen", "sees",
                              "read", "reads", "watch", "watched", "listen", "listened"})
