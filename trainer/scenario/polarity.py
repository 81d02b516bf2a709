"""The words the rubric matcher reads for polarity: negation and dismissal.

Plain data, in one place, so that a reviewer can check and extend the lists without reading
the matcher (``trainer.scenario.reading``; docs/rubrics.md explains the rules with examples).
Every word is written in lower case with the straight apostrophe ``'``. Where a list says
"lemmas", any form of the word counts («можу», «могла» → «могти»); elsewhere only the forms
written here count, because the dictionaries give some short words surprising lemmas
(«мені» is read as a form of «мена»).

Negation
    A negator negates what follows it in its clause: the words it passes over
    (``TRANSPARENT``: pronouns, auxiliaries, modals, particles such as «зовсім», "really")
    and the first other word, its head: «я не буду вас поспішати» negates «поспішати»,
    «не треба плакати я вас розумію» stops at «плакати». A head that is a verb of thinking or
    perceiving (``RAISING``) carries the negation to the end of its clause and into a next
    clause that opens with a complementiser (``COMPLEMENTISERS``): «я не розумію, чому ви
    злитеся» does not acknowledge the anger. Two negators around a modal of possibility
    cancel each other («не можу не погодитися», "I can't not agree"), as do «не без» and
    "not without". A negated question is an offer («Чи не хочете води?», "Why don't you sit
    down?"), and «ні» or "no" before a subject answers a question («Ні я вас розумію»).

Dismissal
    ``DISMISSIVE_FRAMES`` are phrases that brush the client off («мені байдуже», «не моя
    справа», "I don't care", "not my problem"). A frame cancels the empathy an answer shows
    in the same stretch of speech (up to the end of the sentence, or a contrast such as
    «але», "but", whichever comes first, in both directions), and is reported as a harmful
    sign. The frames are matched like rubric phrases: in any word form, in order, and with
    the same polarity rule, so «мені не байдуже» ("I do care") is no dismissal. A frame
    directly followed by one of ``DISMISSAL_EXCEPTIONS`` is the everyday, benign sense:
    «мені все одно треба дописати бланк» (I still have to…), «мені байдуже, скільки це
    триватиме», "I don't care how long it takes".
"""
from __future__ import annotations

# -- negation -------------------------------------------------------------------------

# Negators, as written (Ukrainian negative concord: «ніхто нічого не скаже» is one negation).
NEGATORS = frozenset({
    "не", "ні", "ані", "ніколи", "немає", "нема", "без", "ніхто", "ніщо", "нічого", "нікому",
    "нікого", "ніде", "нікуди", "ніяк", "жоден", "жодна", "жодне", "жодні",
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without",
})
# Negators by lemma, for the many forms of «жодний», «ніякий», «ніхто», «ніщо», «нічий».
NEGATOR_LEMMAS = frozenset({"жодний", "жоден", "ніякий", "ніхто", "ніщо", "нічий"})

# «ні» and "no" that open a clause and stand before a subject pronoun answer a question
# («Ні, я вас розумію» typed without the comma): an interjection, not a negator.
INTERJECTIONS = frozenset({"ні", "no"})
SUBJECT_PRONOUNS = frozenset({"я", "ми", "ви", "ти", "i", "we", "you", "it", "they", "he", "she"})
# A question asked with a negation is an offer or a polite request, not a refusal: «не» after
# «чи», «хіба» («Чи не хочете води?»), and "n't" between an auxiliary and its subject
# ("Why don't you take your time?", "Wouldn't you like to sit down?").
QUESTION_PARTICLES = frozenset({"чи", "хіба"})
AUXILIARIES = frozenset({"do", "does", "did", "will", "would", "can", "could", "shall",
                         "should", "is", "are", "was", "were", "have", "has"})

# A negator before one of these belongs to the previous clause: «не знаю, але допоможу».
CLAUSE_WORDS = frozenset({
    "але", "а", "проте", "однак", "зате", "що", "щоб", "бо", "тому", "чи", "і", "й", "та",
    "якщо", "коли", "but", "and", "that", "because", "so", "or", "whether", "if", "when",
    "though", "although",
})

# Words a negation passes over on its way to the word it negates.
TRANSPARENT = frozenset({
    # pronouns and possessives
    "я", "мене", "мені", "мною", "ти", "тебе", "тобі", "тобою", "ви", "вас", "вам", "вами",
    "ми", "нас", "нам", "нами", "він", "його", "йому", "ним", "вона", "її", "їй", "нею",
    "воно", "вони", "їх", "їм", "ними", "це", "цього", "цьому", "цим", "себе", "собі",
    "i", "me", "you", "we", "us", "he", "him", "she", "her", "it", "they", "them",
    "my", "your", "our", "his", "its", "their", "the", "a", "an", "this", "any", "one",
    # auxiliaries and modals (Ukrainian ones also by lemma, below)
    "можна", "треба", "потрібно", "варто", "слід", "стану", "станемо", "станете", "стане",
    "be", "am", "is", "are", "was", "were", "been", "being", "do", "does", "did", "have",
    "has", "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
    "need", "going", "gonna", "to", "able", "want", "try",
    # particles and degree words
    "ж", "же", "вже", "уже", "ще", "аж", "навіть", "зовсім", "цілком", "дуже", "так",
    "настільки", "надто", "занадто", "справді", "зараз", "тут", "там", "тепер", "сьогодні",
    "більше", "просто", "точно", "добре", "взагалі", "геть", "з", "із", "зі",
    "really", "quite", "fully", "even", "just", "always", "ever", "yet", "so", "too", "very",
    "actually", "here", "now", "anymore", "more", "completely", "entirely", "exactly",
    "honestly", "truly", "necessarily", "at", "all", "with",
})
TRANSPARENT_LEMMAS = frozenset({
    "бути", "могти", "змогти", "хотіти", "збиратися", "мусити", "вміти", "довестися",
    "доводитися", "ваш", "мій", "наш", "твій", "свій", "їхній",
})

# Verbs of thinking and perceiving (lemmas): negated, they deny what their clause and a
# following «що…», «як…», "that…" clause say («не думаю, що вам важко»).
RAISING = frozenset({
    "думати", "вважати", "вірити", "гадати", "бачити", "розуміти", "відчувати", "помічати",
    "помітити", "казати", "сказати", "вдавати", "удавати",
    "think", "believe", "suppose", "guess", "see", "understand", "feel", "notice", "say",
    "pretend",
})
COMPLEMENTISERS = frozenset({
    "що", "як", "чому", "чого", "наскільки", "ніби", "мовби", "щоб",
    "that", "how", "why", "what",
})

# Double negation: a negator, a modal of possibility and a second negator cancel out
# («не можу не погодитися», «не можна не визнати», "I can't not say it").
POSSIBILITY = frozenset({"можна", "могти", "змогти", "can", "could"})
# Verbs (lemmas) whose person an infinitive after them takes for the rubric's person rule:
# «можу записати» is the speaker's act, «можете записати» the listener's. Verbs that hand
# the act to someone else («прошу вас зателефонувати», «раджу») are not here.
GOVERNORS = frozenset({
    "могти", "змогти", "хотіти", "захотіти", "мусити", "бути", "збиратися", "зібратися",
    "вміти", "спробувати", "пробувати", "намагатися", "постаратися", "старатися", "встигнути",
    "планувати", "стати", "почати", "починати", "обіцяти", "пообіцяти",
})
# «не без», "not without": the second negator cancels the first.
CANCELLING_PAIRS = frozenset({("не", "без"), ("not", "without")})

# -- dismissal ------------------------------------------------------------------------

DISMISSIVE_FRAMES = {
    "uk": (
        "мені байдуже", "байдуже мені", "мені все одно", "мені однаково", "мені наплювати",
        "мені начхати", "наплювати", "начхати", "не моя справа", "не моє діло",
        "не мої проблеми", "не моя проблема", "це ваші проблеми", "це ваша проблема",
        "мене не обходить", "мене не цікавить", "мені нема діла", "мені немає діла",
        "нема мені діла", "яке мені діло", "мені не до того", "мені не до вас",
        "кому зараз легко", "годі скиглити", "не скигліть", "не перебільшуйте",
        "не драматизуйте",
    ),
    "en": (
        "not care", "not my problem", "not my problems",
        "that's your problem", "it's your problem", "your own problem", "not my business",
        "none of my business", "not my concern", "not concern me", "not interested in your",
        "get over it", "stop whining", "not exaggerate", "stop exaggerating",
        "not be so dramatic", "everyone has problems", "everybody has problems",
    ),
}
# A frame directly followed by one of these is meant kindly or as "still", not dismissively.
DISMISSAL_EXCEPTIONS = {
    "uk": ("скільки", "коли", "о котрій", "який день", "хто", "чия", "треба", "потрібно",
           "доведеться", "мушу", "маю", "слід", "не", "ще"),
    "en": ("how long", "how much time", "when", "what time", "which day", "who", "whose"),
}
# Words that end the stretch a dismissal colours, besides the end of a sentence:
# «мені байдуже, хто винен, але я бачу, як вам важко» still names the feeling.
CONTRASTS = frozenset({"але", "проте", "однак", "зате", "втім", "but", "however", "though",
                       "although"})
# A dismissal cancels the expected elements that earn points in these competencies.
DISMISSAL_CANCELS = frozenset({"empathy"})

# How the dismissal shows among the elements of a result (it has no points of its own: the
# outcome the rubric picks for it carries them).
DISMISSIVE = "dismissive"
DISMISSIVE_TEXT = {
    "label": {"uk": "Відмахується від людини", "en": "Brushes the person off"},
    "feedback": {
        "uk": "Слова на кшталт «мені байдуже» чи «це не моя справа» перекреслюють усе "
              "співчутливе, сказане поруч: людина чує, що її проблема тут нікого не обходить.",
        "en": "Words such as “I don't care” or “that's not my business” cancel any sympathy said "
              "alongside them: the person hears that nobody here cares about their problem.",
    },
}
