"""Rules that read jobs out of one parsed sentence.

A trigger (``patterns.TRIGGERS``) says where a wanted thing starts; the tagger tells
whether it is a verb phrase, a noun phrase or a clause; the parser and a few cue words
say where it ends. Situations come from a fronted clause or phrase ("When I travel,",
"As a parent,", "During checkout") or a trailing "when/while/before ..." clause;
outcomes from "so (that) ...", "in order to ..." and "to be able to ...".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

import miner.jobs.patterns as P
from miner.sentences import LINK

# --- part-of-speech tags ----------------------------------------------------------
# Tags that can make up a noun phrase that names a wanted thing.
_NP_TAGS = frozenset(
    "DT PDT JJ JJR JJS NN NNS NNP NNPS CD HYPH POS PRP$ VBN VBG RBR RBS NFP AFX FW ADD".split()
)
_NP_START_TAGS = frozenset("DT PDT JJ JJR JJS NN NNS NNP NNPS CD PRP$ VBN VBG RBR FW AFX".split())
_NOUN_TAGS = frozenset("NN NNS NNP NNPS".split())
_FINITE = frozenset("VBD VBZ VBP MD".split())
_VERB_TAGS = frozenset("VB VBD VBG VBN VBP VBZ MD".split())
# After "to", the small tagger sometimes misses a verb ("to onboard" -> IN); anything
# but these starts a verb phrase there.
_NOT_VERB_START = frozenset("DT PDT PRP PRP$ CD POS TO WDT WP WP$ WRB CC EX UH".split())

# --- subjects and the words around a trigger ---------------------------------------
_SUBJECT_PRONOUNS = frozenset("i we you u it they he she there this that".split())
_NOT_PEOPLE = frozenset("you u he she they him her them ya youre".split())
# People who are not the customer, as the subject a second verb shares ("the waitress
# was nice and tried to seat us"); not "you", which is also the customer in general
# ("you have to watch it from the start and can't jump forward").
_OTHER_PEOPLE = frozenset(
    "he she they him her them waitress waiter server servers staff agent agents rep reps "
    "representative representatives manager employee employees guy lady woman man girl "
    "boy cashier host hostess bartender owner driver technician tech clerk associate "
    "person someone somebody doctor nurse".split()
)
_FIRST_OR_GENERIC = frozenset(
    "i we you u one users customers people everyone anyone nobody clients".split()
)
# A short reason between the wanted thing and the situation it failed in.
_REASON_BEFORE_SITUATION = re.compile(
    r"due\s+to\s+[^,.;!?()]{1,60}?\s(?=(?:when|whenever|every\s?time|each time|while)\s)"
)
# "could have tried to ...": what might have been done, not an attempt that failed.
_UNREAL_MODALS = frozenset("could should would might must 'd coulda shoulda".split())
# A clothing size asked for ("need an xs", "a 30 or 31"): sizing, not a goal.
_SIZE = re.compile(
    r"^(?:an?\s+|the\s+)?(?:xxs|xs|s|m|l|xl|xxl|petite|\d{1,2}|small|medium|large"
    r"|extra small|extra large)"
    r"(?:\s+or\s+(?:an?\s+)?(?:xxs|xs|s|m|l|xl|xxl|\d{1,2}|small|medium|large))?"
    r"(?:\s+in\s+[\w\s]{1,30})?$"
)
# An aside that gives a reason or a comment, not more of the wanted thing: "(due to
# availability)", "(because of the update)".
_ASIDE_REASONS = frozenset("due because since lol haha sigh ugh which".split())
# What the product did when an attempt failed, after "it": "... it freezes".
_WENT_WRONG = frozenset(
    "freezes froze crashes crashed says said shows showed gives gave keeps kept stops "
    "stopped fails failed hangs hung closes closed tells told asks asked goes went comes "
    "came displays displayed errors spins spun kicks kicked throws threw logs logged "
    "loads loaded restarts restarted does did doesn't didn't won't wont isn't "
    "wasn't just always never".split()
)
# "no matter how ...", "no luck": how hard they tried or how it went, not the goal.
_NO_AVAIL = frozenset("matter luck success joy".split())
# Words after which a bare verb gives an instruction ("then look for ...").
_IMPERATIVE_AFTER = frozenset("and then also just please now".split())
# What a wanted option is called ("an option to hide ...", "the ability to export ...").
_OPTION_NOUNS = frozenset(
    "option options way ability setting button feature possibility command shortcut tool "
    "toggle filter view".split()
)
# A search told as a story ("I've been looking for a summer dress", "always looking for
# comfy pants", "began searching for a nanny service"): the story of a purchase. Unless
# what is searched for is a way to do something with the product.
_SEARCH_STORY = frozenset("been always still began begin started start kept keep".split())
_SEARCH_FOR_WAY = ("a way", "any way", "an option", "a setting", "a feature", "how ")
# A hard search for something to buy ("trouble finding jeans that fit", "struggle to
# find a romper"), not for a thing of the product ("trouble finding the settings menu").
_SHOPPING_SEARCH = re.compile(r"find(?:ing)?\s+(?!(?:the|my|our|your|where|how|out)\b)")
# What a company is asked to do to its own thing ("can you expand your food database",
# "please improve your search"), unlike a helper's advice ("please change your browser",
# "please update your Flash").
_MAKERS_OWN_ACTIONS = frozenset(
    "expand partner roll improve enhance revamp redesign rework".split()
)
# Verbs whose "to" clause says what they make happen, not what for ("get it to sync").
_CAUSATIVE_VERBS = frozenset(
    "get have make let help allow enable use want ask tell need try like love be go come "
    "set configure cause force".split()
)
# Verbs of a bare "to" clause whose subject is the thing, not the customer.
_NOT_PURPOSE_VERBS = frozenset(
    "work go come fit show match stay last arrive appear be look sit hang fall dry".split()
)
# What a thing is got to do when it is made to work ("I got it to sync"), not a purpose.
_WORKS_VERBS = frozenset(
    "work works run load sync connect open start function pair show display install "
    "update respond recognize recognise boot launch".split()
)
# A person-like subject for want verbs ("my team needs ...").
_PERSON_WORDS = frozenset(
    "i we me us team teams users user customers customer clients client people everyone "
    "staff company family kids parents students teachers admins members colleagues "
    "coworkers manager managers business wife husband partner son daughter boss".split()
)
# Words that may sit between a subject and its trigger verb ("I really just want").
_WALK_OVER = frozenset(
    "really just also still only honestly actually definitely seriously personally truly "
    "desperately badly totally absolutely simply genuinely so kinda always now too even "
    "both all do does did would 'd d 'm am are is was were have has had been 've will 'll "
    "ca can could n't not nt never no 're sometimes often mainly mostly usually primarily "
    "typically generally normally basically currently regularly frequently occasionally "
    "originally initially recently may might must should shall 're youre keep keeps kept "
    "keeping".split()
)
_NEGATIONS = frozenset("n't not nt never no nobody hardly barely noone donot".split())
_RELATIVE_HEADS = frozenset("everything anything something all what whatever thing".split())
# "Today I tried to pay by card", "this morning I tried to ...": when, not a head noun
# of a relative clause ("the card I tried to use").
_WHEN_NOUNS = frozenset("today yesterday tonight tomorrow".split())
_PART_OF_DAY = frozenset("morning evening afternoon night week weekend month year".split())
_QUESTION_START = frozenset(
    "how what where when why who which whose do does did is are was were can could will "
    "would should have has am shall may might whats what's hows how's wheres".split()
)
# "wish I had ordered", "wish I would have listened", "wish I'd gone": regret.
_REGRET = re.compile(
    r"\s*(?:that\s+)?(?:i|we|they|you|he|she|it|the \w+)\s*(?:had|'d|would have|could have"
    r"|should have|would've"
    r"|could've|should've|woulda)\s+(?:\w+\s+)?"
)
_REGRET_DID = re.compile(
    r"\s*(?:that\s+)?(?:i|we)\s+(?:didn't|didnt|did not|never|hadn't|hadnt|had not)\b"
)
_QUOTED = re.compile(r"(?:(?<=[\s:(])|^)(?:\"[^\"\n]{3,300}\"|'[^'\n]{3,200}')(?=[\s.,;:!?)]|$)")

# --- reading a complement ---------------------------------------------------------
_PEOPLE_OBJECT = re.compile(
    r"^(?:me|us|you|u|users|people|customers|clients|everyone|anyone|them|my \w+|our \w+)"
    r"\s+(?:to\s+)?"
)
_YOU_COULD = re.compile(
    r"(?:you|u)(?:\s+guys)?\s+(?:could|would|can|will|'d|'ll|might)\s+(?:please\s+|just\s+|also\s+)*"
)
_HELP_WITH = re.compile(
    r"(?:(?:get|have|receive|some|your|a little|any|urgent)\s+)*(?:help|assistance|support)"
    r"\s+(?:from \w+\s+)?(?:with\s+|in\s+|on\s+|for\s+)?(?=\w+ing\b)"
)
_HELP_TO = re.compile(
    r"(?:(?:your|ur|some|a little|urgent|a bit of)\s+)?(?:help|assistance)\s+"
    r"(?:in\s+order\s+)?to\s+"
)
_PREPOSITIONS = frozenset(
    "with at in on for from by about of into over under without through during".split()
)
_WANT_WORDS = frozenset("need needs want wants wish wishes hope hopes".split())

# --- where a phrase ends ----------------------------------------------------------
_HARD_STOP = frozenset(
    "because cause cuz coz bc cos since but although though however unless whereas "
    "otherwise thanks thank please pls plz asap lol haha tbh imo except hence therefore "
    "which meaning e.g. i.e. eg".split()
)
# A day between a goal and its situation: "use my card today when I went out for lunch".
_WHEN_BEFORE_SITUATION = re.compile(
    r"(?:(?:right|just)\s+)?(?:today|yesterday|tonight|now|this morning|last night)\s*,?\s+"
    r"(?=(?:when|whenever|while|after|before|during)\b)"
)
# Verbs whose particle may follow the object ("turn the sound on"): a question's stranded
# "in" / "on" is trimmed only after other verbs ("What countries can I use my account in?").
_PARTICLE_VERBS = frozenset(
    "turn switch sign log put try leave keep check plug hand fill type key let bring".split()
)
# The head of a feature taken away ("the weight management feature which I used daily").
_REMOVED_HEADS = frozenset("feature function functionality widget tracker monitor".split())
# Endings of real adjectives ("more interesting"), unlike a noun the tagger misreads ("anime").
_ADJECTIVE_ENDING = re.compile(r"(?:ing|ous|ful|ive|able|ible|al|ic|ique|ant|ent|less|est|er|y)$")
# What an app demands, not what the writer wants ("need a more recent version of HMS").
_NEWER_VERSION = re.compile(
    r"(?:an?|the)\s+(?:more\s+recent|newer|latest|new|updated|higher)\s+version\b"
)
# A token of symbols only (an emoji), trimmed from a goal's end; "%", quotes, brackets kept.
_EMOJI_ONLY = re.compile(r"[^\w\s%'\"()\[\]#+&/.,:;!?-]+$")
# An object that only points back: "fix this problem", "make this change" ("fix it").
_THIS_PROBLEM = re.compile(
    r"(?:this|that|these|those|the same)\s+(?:change|issue|problem|thing|stuff|one|matter"
    r"|situation|error|mistake)s?$"
)
# "tried to buy something": a payment that failed names its goal well enough.
_PAYING = frozenset("buy purchase pay order".split())
# "my phone says I need ...": what something else says the writer needs.
_REPORTING = frozenset("says said saying states stated claims claimed claiming".split())
# Words before a reporting verb that keep it in the goal: "see what it says", "hear what
# the other person is saying".
_BEFORE_REPORTED = frozenset("what it this that which who is was are were be been 's".split())
# A list number glued to the next item's first word, one token: "2)please".
_GLUED_LIST_NUMBER = re.compile(r"\d{1,2}\)[a-z]")
_CLAUSE_STARTERS = frozenset(
    "why can could would it its it's thats that's there please pls i we".split()
)
_NEW_REQUEST_WORDS = frozenset("also then please maybe just really still".split())
_CLAUSE_LINKS = frozenset("that which who if whether when where how what why".split())
_DASHES = frozenset("- \u2013 \u2014 --".split())
_TRAIL = frozenset(
    "and or but too though also as either please pls plz lol guys anymore already thanks "
    "the a an to for with of from at by like my your our their that which really just "
    "honestly haha btw etc ever so very then maybe instead yet".split()
)
_ARTICLES = frozenset("a an the every each".split())
_IS_ARE = frozenset("is 's are was were".split())
# Who needs to add something: a maker ("Huawei need to add", "retailer needs to provide"),
# not the writer or a modal ("I did need to add a snap", "no need to add", "might need to").
_MAKER_BEFORE_NEED = re.compile(
    r"(?<![\w'])(?!(?:i|we|he|she|you|u|they|it|this|app|who|that|which|there|no|might|will"
    r"|would|may|could|should|must|did|do|does|really|still|just|also|probably|definitely"
    r"|going|gonna|to|'ll|ll|'d|d)\b)[a-z0-9]+\s+(?:really\s+|also\s+|definitely\s+)?$"
)
# An imperative "find / make a way to ...": opening a sentence or after a plea.
_ASKED_BEFORE = re.compile(
    r"(?:^|[.!?]\s*|\b(?:please|pls|plz|just|at least|can you|could you)\s+)$"
)
# Triggers of something taken away and wanted back; a request whose words ask it back.
_WANTED_BACK = frozenset("removed_ability removed_feature feature_removed miss_the".split())
_BACK_WORDS = re.compile(r"\b(?:back|restore|reinstate)\b")
# Advice given rather than asked for: "gave me instructions on how to pair the device"
_GIVEN_ADVICE = re.compile(
    r"\b(?:gives?|gave|giving|provides?|provided|offers?|offered|sent|send|has|had|with)\s+"
    r"(?:me\s+|us\s+|you\s+)?(?:some\s+|good\s+|great\s+|useful\s+)?(?:advice|instructions"
    r"|tips|info|information)\s+(?:on|about)\s+how\s+to\s+$"
)
_TRAILING_TIME = re.compile(
    r"\s+(?:(?:for|in|within|over|from|since)\s+(?:a|an|one|two|three|four|five|several|many"
    r"|\d+|the last|the past|past|last|almost a|nearly a|over a|more than a)\s+(?:\w+\s+)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|ages|while|bit|long time)"
    r"|for awhile|for ages"
    r"|(?:\d+|two|three|four|five|several|many|multiple"
    r"|a few|a couple of|countless|numerous)\s+times|twice|three times|again"
    r"|(?:all|every)\s+(?:day|week|night)"
    r"|again and again|over and over(?: again)?"
    r"|tonight|this morning|this evening)$"
)
# When, at the end of any goal: "I need my card now", "cancel the transfer right now",
# "tried to buy something online yesterday" (not "show now playing", inside the phrase).
_TRAILING_WHEN = re.compile(
    r"\s+(?:(?:(?:right|just|by|until|till)\s+)?now|yesterday|last night|(?:right|straight)"
    r"\s+away|asap|immediately|as soon as possible)$"
)
# The same when, trimmed off a goal, before its outcome: "see where everybody is right
# now so I can give them a real ETA" (the outcome had been read as a second job).
_LEADING_WHEN = re.compile(
    r"^(?:(?:(?:right|just|by|until|till)\s+)?now|yesterday|last night|(?:right|straight)"
    r"\s+away|asap|immediately|as soon as possible)\b"
)

# --- what is too vague to be a job ------------------------------------------------
_GENERIC_VERBS = frozenset(
    "start begin try see check go do get have make use be keep work stay come buy order "
    "return know decide compare wear look say think fit help improve ensure "
    # what the app does, alone: "Not able to open after recent update", "NEED to update"
    "open update lose load accomplish achieve proceed continue "
    # service actions that name nothing without their object ("Can you investigate?")
    "investigate locate dispute resend reissue unlink terminate".split()
)
# What customers do with an app or an account, for "you can't <do it>" (above).
_APP_ACTIONS = frozenset(
    "export import edit change sync synchronize synch set reset access purchase connect "
    "enter add delete remove customize customise transfer pay upload download install "
    "uninstall track record save share link pair log login sign challenge disable enable "
    "turn switch select choose view open cancel update upgrade schedule search filter sort "
    "print rename move copy configure control manage merge zoom scroll play stream skip "
    "pause resume undo restore backup recover block unsubscribe opt order invite follow "
    "message contact withdraw deposit top verify activate unlock".split()
)
# Goals told as "I tried <doing it>" ("I tried topping up my account"): actions done with
# an app or an account, not remedies ("tried reinstalling", "tried clearing the cache")
# or what is done with a garment ("tried sizing up", "tried ordering the petite").
_TRIED_GOALS = (
    _APP_ACTIONS
    - frozenset(
        "reset delete remove install uninstall download disable enable turn restore update "
        "upgrade order move switch skip pause undo backup recover control manage".split()
    )
) | frozenset("send complete withdraw take make".split())
# Words that make "you can't ..." a condition or a report of what someone said.
_CONDITION_WORDS = frozenset("if unless when whenever that because as since though why".split())
# A want told first, then asked how: the want is the goal, the question only asks how.
_WANT_THEN_HOW = re.compile(
    r"\s*(?:when|if|since|as)\s+(?:i|we)\s+(?:want|need|would like|'d like|wish)\s+to\b[^?,]*,"
    r"\s*(?:how|what|where|can|could)\b"
)
_REFUND_FOR = re.compile(
    r"(?:(?:a|my|the|full|partial)\s+)*refunds?\s+(?:for|on|of)\s+"
    r"(?!(?:it|this|that|them|these|those|me|us)\b)\w+"
)
_QUOTES = frozenset(('"', "``", "''"))
_IF_YOU = re.compile(r"\b(?:if|unless|when|once)\s+(?:you|u)\b")
_BARE_OBJECTS = frozenset(
    "it this that any one them some anything something those these everything "
    # "Support was friendly but couldn't do much": no goal ("I want to do much.")
    "much more nothing".split()
)
# Spaces and clause punctuation a trigger's match may open with.
_LEAD = " \t\n.!?:;,"
_VAGUE_NOUNS = frozenset(
    "support help service assistance attention advice more less better improvement "
    "improvements work change changes time money update updates feature features fix "
    "fixes addition".split()
)
# What asking for a resolution says: "fixed", "sorted out", "taken care of".
_RESOLUTION = (
    r"(?:fixed|resolved|solved|sorted(?:\s+out)?|handled|corrected|rectified|addressed"
    r"|looked into|taken care of)"
)
_VAGUE_CLAUSE = re.compile(
    r"^(?:(?:\S+\s+){1,2}to\s+(?:work|fit|be (?:better|good|right|ok|okay))"
    r"|(?:it|this|that|they|the app)\s+(?:worked|works|work|would work|was working)"
    # "I want this to be fixed": a demand that names no goal
    # and "I want the bug to be fixed", "this issue resolved": the problem, not a goal
    r"|(?:(?:see|have|get)\s+)?"  # "hope to see the bug fixed soon"
    r"(?:it|this|that|everything|(?:(?:the|this|these|that|those|my|our|all|any|every)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:bugs?|issues?|problems?|errors?|glitch(?:es)?|crash(?:es)?))"
    rf"\s+(?:to\s+be\s+|(?:is|are|was|were|gets?|got)\s+)?(?:{_RESOLUTION}|solve|fix)"
    r"(?:\s+(?:asap|now|immediately|right away|quickly|soon|today|this week|as soon as possible"
    r"|without (?:any |more |further )?delays?))?)$"
)
# Asking for a resolution names no goal: "be fixed", "be sorted out".
_RESOLVED = re.compile(rf"^(?:to\s+)?be\s+{_RESOLUTION}\b")
# Moving to another product is churn, not a job with this one ("looking for something
# different", "an alternative app that syncs with Fitbit").
_SWITCHING = re.compile(
    r"^(?:an?\s+|the\s+)?(?:alternative|another|other|different|competitor'?s?)\s+(?:\w+\s+)?"
    r"(?:apps?|applications?|alternatives?|brands?|providers?|company|bank|services?|products?"
    r"|trackers?|ones?)\b|^(?:something|anything|someone|somebody)\b"
)
# A span of time is not a goal: "my request for the past several days".
_DURATION = re.compile(
    r"^(?:the\s+)?(?:past|last|next|previous|coming|first)?\s*(?:few|several|couple(?:\s+of)?"
    r"|many|\d+|one|two|three|four|five|six|seven|eight|nine|ten)?\s*"
    r"(?:days?|weeks?|months?|hours?|minutes?|years?)$"
)
# A want of a product variant, not a job: "the white one", "a bigger one".
_VARIANT = re.compile(r"\b(?:one|ones)(?:\s+(?:now|too|instead|again))?$")
# Verbs whose meaning needs an object; with none ("can't use after the update") there
# is no job.
_NEEDS_OBJECT = frozenset("use do".split())
# Thing pronouns only: "ask them why" names people, and so a goal.
_PRONOUN_OBJECTS = frozenset("it this that one".split())
# Tags of words that carry content; a motivation with none ("now") names nothing.
_CONTENT_TAGS = (_NOUN_TAGS | _VERB_TAGS | {"CD", "FW", "JJ", "JJR", "JJS"}) - {"MD"}
_FUTURE = frozenset("will 'll gonna".split())
_TIME_NOUNS = frozenset(
    "while time times day days hours hour minutes weeks week months month years year ages now "
    "today yesterday morning night evening".split()
)
# A past want of one of these is still a product goal ("I wanted a way to export").
_FEATURE_WORDS = frozenset(
    "way ways option options feature features setting settings button function mode "
    "app tool widget integration support".split()
)
_BE_OR_KEEP = frozenset("is 's was keeps kept are were".split())
# A writer speaking for themself, or to the reader: a review's voice, not a note's.
_WRITER = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|mine|you|your|you're)\b")
# What a writer is forced to do when a product fails them ("I need to restart the app
# every time", "I need to squint to read anything"): a complaint, as "I have to ..." is,
# not a goal (a helper's game reviews had the job "I want to squint to read anything."
# of 44 voices).
_WORKAROUNDS = frozenset(
    "squint restart reboot reinstall uninstall relaunch refresh reload wait "
    "force-close force-quit re-login relog".split()
)
# What a gerund after "add" names a kind of ("a tracking feature", "sharing options"),
# and plurals it is more often done to ("exporting reports", "tracking workouts").
_PRODUCT_PARTS = frozenset(
    "feature features tool tools option options mode modes category categories screen "
    "screens page pages tab tabs button buttons widget widgets view views section sections "
    "function functions setting settings goals goal limits limit rules".split()
)
# Gerunds that only describe ("recurring payments", "upcoming bills").
_DESCRIBING = frozenset("recurring upcoming remaining pending existing matching running".split())
_DONE_TO = frozenset(
    "workouts runs photos pictures files documents reports transactions payments invoices "
    "expenses receipts notes messages contacts songs videos items orders tasks".split()
)
# What asks for something when a message does ("an email asking for my password") or
# someone who calls, texts or writes to the writer ("they called me asking for a code").
_MESSAGES = frozenset(
    "email e-mail emails mail text texts sms call calls message messages dm dms popup "
    "pop-up prompt prompts notification notifications letter link site website scammer "
    "scammers someone somebody caller".split()
)
_CONTACTED = frozenset("call calls called calling ring rang text texted texting".split())
# Plain words around a vague noun: "better support" has no job, "proper multi-currency
# support" has one.
_PLAIN = frozenset(
    "a an the some any more better good great easy quick faster real another new".split()
)
_THERE_BE = re.compile(
    r"there\s+(?:to\s+be|be|was|were|is|'s|would be|'d be|could be|will be|can be)\s+"
)
_QUANTITY = re.compile(
    r"^(?:\d+|a few|a couple of|several|many|ten|two|three|four|five|six|twenty|an?|one)\s+"
    r"(?:extra\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|clicks?|steps?|tries"
    r"|attempts?)\b"
)
_STOP_NOUN_FOLLOWERS = frozenset(
    "with on about regarding from for asap please here now again soon quickly back after since "
    "yet right immediately today without this next by it that they what".split()
)

# --- situations -------------------------------------------------------------------
_SENT_MARKERS_STRIP = (
    "whenever",
    "when",
    "every time",
    "everytime",
    "each time",
    "any time",
    "anytime",
    "as soon as",
    "once",
    "if",
)
_SENT_MARKERS_KEEP = ("while", "before", "after", "until")
_FRONTED_PREPOSITIONS = frozenset("after before since despite during following".split())
# "When I ...", "Every time I ..." (not "If I ..."): a clause that can open with an act
_WHEN_OPENINGS = tuple(marker + " " for marker in _SENT_MARKERS_STRIP if marker != "if")
_IF_NOT_SITUATION = re.compile(
    r"^if\s+(?:possible|any|needed|necessary|so|not|that|you|u|it's not too|at all|ever"
    r"|there is|there's|feasible|applicable)\b"
)
# Verbs whose "if" clause says what to find out, not when ("check if it arrived").
_ASK_IF = frozenset("see check know ask wonder verify confirm tell find out".split())
_UPDATE_START = frozenset("ever even right just since after following".split())
_SITUATION_IDIOMS = re.compile(
    r"^(?:in (?:my|our) (?:opinion|view|experience|case)|for (?:some|whatever|no|any) reason"
    r"|for (?:me|us|now|the price|what it's"
    r" worth|sure|example|instance)|at (?:least|first|this point|the moment|all|times|last)"
    r"|in (?:fact|general|addition|short|the meantime|the end|total|particular)"
    r"|on (?:the other hand|top of)|as (?:well|always|usual|a result|i said|mentioned|far as"
    r"|a whole|a matter of fact|much as|long as|soon as possible|of|per|expected|it is)"
    r"|after (?:all|that)|before that|over(?:all)?\b|in any case|once again|all in all"
    r"|while (?:i'm|im|i am|we're|were|we are|you're|youre) (?:at it|on (?:it|the subject)"
    r"|here|writing)|in the meantime|on (?:that|this|another|a (?:side|separate|different"
    r"|related|similar)) note|on a side note)"
)


# Nouns whose own "to" says what they lead to ("a link to the invoice", "access to the
# API"), not where a thing is to be added.
_RELATIONAL_NOUNS = frozenset(
    "link links shortcut shortcuts access connection connections export exports import "
    "imports migration path route reply replies response responses answer answers upgrade "
    "downgrade change changes switch sync integration integrations reference references "
    "pointer redirect door gateway transfer transfers invitation invitations invite "
    "invites".split()
)


@dataclass(slots=True)
class Part:
    """A token range [start, end) in the sentence plus how to phrase it."""

    start: int
    end: int
    kind: str  # verb | gerund | noun | clause | keep (situation with its marker)
    # Where a thing asked to be added to something says where ("please add dark mode to
    # the app" -> "I want dark mode added to the app"): the token of its "to", or -1.
    added_to: int = -1


# A doer opening with one of these is written with that word in lower case in a statement
# ("It", "The app", "My PIN" at the start of a sentence); a name keeps its case ("VLC
# player").
_DOER_COMMON = frozenset("it this the your my our a an these".split())


@dataclass(slots=True)
class Found:
    """One job found in a sentence, as token ranges."""

    trigger: str
    motivation: Part
    situation: Part | None = None
    outcome: Part | None = None
    back: bool = False  # something taken away, wanted back ("bring back the old widget")
    # who is asked to do it ("Does the app support ...?": "the app"), as written
    doer: str | None = None
    # the thing a passive question is about ("Can [the card] be mailed to Europe?"): the
    # job's motivation span starts with it ("the card be mailed to Europe")
    subject: Part | None = None


class SentenceReader:
    """Finds jobs in one sentence (a spaCy ``Span`` with tags and dependencies)."""

    def __init__(self, sent: Span, lemmatize: Callable[[str], str]):
        self.sent = sent
        self.toks: list[Token] = list(sent)
        self.n = len(self.toks)
        self.base = sent.start_char
        self.low = P.normalise(sent.text)
        self.starts = [t.idx - self.base for t in self.toks]
        self.words = [
            self.low[s : s + len(t.text)] for s, t in zip(self.starts, self.toks, strict=True)
        ]
        self.tags = [t.tag_ for t in self.toks]
        self.lemmatize = lemmatize
        self.trigger_starts: set[int] = set()
        self.question = False  # the sentence is a question (set by find)
        self.family = ""  # family of the trigger being read (failures end at "and")

    # --- small helpers -------------------------------------------------------------

    def position(self, tok: Token) -> int:
        """``tok``'s position in this sentence, as ``self.toks`` counts (spaCy numbers
        tokens in the whole doc; a sentence of a longer doc does not start at 0)."""
        return tok.i - self.sent.start

    def tok_at(self, char: int) -> int:
        """First token starting at or after a character offset (relative)."""
        return bisect_left(self.starts, char)

    def tok_containing(self, char: int) -> int:
        return max(bisect_right(self.starts, char) - 1, 0)

    def rest(self, k: int) -> str:
        return self.low[self.starts[k] :] if k < self.n else ""

    def is_punct(self, k: int) -> bool:
        tok = self.toks[k]
        return (tok.is_punct or tok.is_space) and tok.text not in {
            "-",
            "'",
            "/",
            "&",
            "+",
            "#",
            "%",
        }

    def has_finite_verb(self, start: int, limit: int) -> bool:
        for k in range(start, min(start + limit, self.n)):
            if self.is_punct(k):
                return False
            if self.tags[k] in _FINITE or (self.tags[k] == "VB" and k > start):
                return True
        return False

    def is_question(self) -> bool:
        text = self.low.rstrip()
        if not text.endswith("?"):
            return False
        if _WANT_THEN_HOW.match(self.low):
            return False  # "When I want to send money abroad, how can I do that?"
        first = 0
        while first < self.n - 1 and (self.words[first] in P.DISCOURSE or self.is_punct(first)):
            first += 1
        return self.words[first] in _QUESTION_START

    def doer(self, match: re.Match, family: str, motivation: Part) -> str | None:
        """Who is asked to do the job, as the sentence writes it; None for the customer.

        Groups ``doer`` / ``you*`` of the trigger name it ("Does the app support ...?",
        "Do you accept ...?"); an action on the maker's own thing is the maker's to do
        ("can you expand your food database" -> "you"), unless the customer asked how or
        whether they can do it ("How can I exchange currencies using your app?")."""
        for name in match.re.groupindex:
            if (name == "doer" or name.startswith("you")) and match.group(name):
                if name.startswith("you"):
                    return "you"
                text = self.sent.text[match.start(name) : match.end(name)]
                first, _, rest = text.partition(" ")
                if first.lower() not in _DOER_COMMON:
                    return text
                return f"{first.lower()} {rest}" if rest else first.lower()
        if family != "question" and "your" in self.words[motivation.start : motivation.end]:
            return "you"
        return None

    # --- main entry ----------------------------------------------------------------

    def find(self) -> list[Found]:
        """All jobs in the sentence, left to right."""
        if self.n == 0:
            return []
        candidates = []
        for order, trig in enumerate(P.TRIGGERS):
            for match in trig.regex.finditer(self.low):
                # The first word of the match: ", can I ..." is read from "can", not from
                # the comma (a negation before the comma belongs to another clause).
                first = match.start() + len(match.group(0)) - len(match.group(0).lstrip(_LEAD))
                candidates.append((first, order, trig, match))
        quoted = [m.span() for m in _QUOTED.finditer(self.low)]
        # A quoted error message ('Unable to connect to your bank') is not the customer.
        candidates = [c for c in candidates if not any(a < c[0] < b for a, b in quoted)]
        candidates.sort(key=lambda item: (item[0], item[1]))
        self.trigger_starts = {self.tok_at(c[0]) for c in candidates}
        question = self.question = self.is_question()
        found: list[Found] = []
        taken: list[tuple[int, int]] = []
        for first, _, trig, match in candidates:
            k = self.tok_containing(first)
            if any(a <= k < b for a, b in taken):
                continue
            if question and not trig.question_ok:
                continue
            job = self.read(trig, match, k)
            if job is None:
                continue
            parts = [p for p in (job.motivation, job.situation, job.outcome) if p is not None]
            lo = min([k] + [p.start for p in parts])
            hi = max(p.end for p in parts)
            if any(a < hi and lo < b for a, b in taken):
                continue
            taken.append((lo, hi))
            found.append(job)
        if not question:
            found.extend(self.adoption_jobs(taken))
        found.sort(key=lambda job: job.motivation.start)
        return found

    # --- triggers ------------------------------------------------------------------

    def walk_left(self, k: int) -> tuple[int, bool, int | None]:
        """Skip auxiliaries/adverbs left of a trigger word.

        Returns (first token of the main clause, negated?, subject token or None).
        """
        negated = False
        j = k - 1
        while j >= 0 and self.words[j] in _WALK_OVER:
            if self.words[j] in _NEGATIONS:
                negated = True
            j -= 1
        if j >= 0 and self.words[j] in _NEGATIONS:
            negated = True
            j -= 1
        subject = None
        if j >= 0 and not self.is_punct(j):
            if self.tags[j] in ("PRP", "NN", "NNS", "NNP", "NNPS") or self.words[j] in (
                _SUBJECT_PRONOUNS
            ):
                subject = j
                # Include "my team", "the app", "this dress" (not for pronouns).
                start = j
                while (
                    self.tags[j] != "PRP"
                    and start - 1 >= 0
                    and self.tags[start - 1]
                    in (
                        "DT",
                        "PRP$",
                        "JJ",
                        "NN",
                        "NNS",
                        "NNP",
                        "HYPH",
                    )
                ):
                    start -= 1
                return start, negated, subject
        return j + 1, negated, subject

    def read(self, trig: P.Trigger, match: re.Match, k: int) -> Found | None:
        """Read the job a trigger match announces, or None."""
        clause_start, negated, subject = self.walk_left(k)
        if subject is not None and self.words[subject] in _TIME_NOUNS:
            subject = None  # "fiddling for a while trying to ...": a time, not a subject
        if subject is not None and self.fronted_phrase_noun(clause_start, subject):
            # "After repeated attempts can't get this to sync": a fronted phrase, no subject
            clause_start, subject = subject + 1, None
        if (
            subject is not None
            and self.tags[k] == "VBG"
            and self.toks[subject].dep_ in ("pobj", "dobj")
        ):
            subject = None  # "an hour on the phone trying to ...": the phone tries nothing
        family = trig.family
        if trig.name == "let_me":
            if match.group("neg") or match.group("neg2") or negated:
                family = "failure"
            elif clause_start == 0 and self.words[k] in ("let", "allow", "enable", "help"):
                family = "request"
        elif trig.name not in ("cant", "no_way_to", "why_cant", "why_no", "how_to") and (
            negated or self.negated_before(clause_start)
        ):
            return None  # "I don't need ...", "don't think I want ...", "not so bad that I want"
        before = self.low[max(0, match.start() - 40) : match.start()]
        if trig.name == "ask_action" and before.endswith("why "):
            return None  # "Why would you remove the ability to ...?": a complaint
        if trig.name == "product_needs" and not _MAKER_BEFORE_NEED.search(before):
            return None  # "I did need to add a snap", "no need to add a camisole"
        if (
            trig.name == "is_there_a_way"
            and match.group(0).startswith(("find", "make", "create"))
            and not _ASKED_BEFORE.search(before)
        ):
            return None  # "I tried to find a way to ...": not an imperative
        if trig.name == "how_to" and _GIVEN_ADVICE.search(before + match.group(0)):
            return None  # "Even gives advice on how to sleep better": what it offers
        if k > 0 and self.tags[k - 1] in ("DT", "PRP$") and trig.name in ("want", "hope"):
            return None  # a noun use: "my wish", "the need for"
        if trig.name == "hope" and k > 0 and self.tags[k - 1] == "JJ":
            return None  # "I had high hopes for this app": a disappointment, not a goal
        subject_word = self.words[subject] if subject is not None else None
        mode = trig.mode
        # "You can't export your own data": a limit of the product, told with "you" for
        # anyone; read only for actions done with an app or account (not "you can't see
        # it in the picture", "you can't go wrong"), not in a condition or a question.
        generic_you = (
            trig.name == "cant"
            and subject_word in ("you", "u")
            and not self.question
            and not (subject > 0 and self.words[subject - 1] in _CONDITION_WORDS)
            # "You cannot control volume if you use A/52": a rule a helper states
            and not _IF_YOU.search(self.low, match.end())
        )
        if trig.person_subject and subject_word in _NOT_PEOPLE and not generic_you:
            return None
        if (
            trig.name in ("cant", "try_to", "tried_noun")
            and subject is not None
            and subject_word not in _FIRST_OR_GENERIC
            and not (k > 0 and self.words[subject] in ("team", "company", "business", "family"))
            # "The update has left me unable to change my step goal": the writer can't
            and not (k > 1 and self.words[k - 1] in ("me", "us") and self.words[k] == "unable")
        ):
            return None  # "the staff can't articulate the menu": not the customer's goal
        if (
            trig.name in ("cant", "try_to", "tried_noun")
            and subject is None
            and self.someone_elses(k)
        ):
            return None  # "the waitress was nice and tried to seat us": her goal
        if (
            trig.name == "how_to"
            and self.words[k] == "know"
            and subject_word in _OTHER_PEOPLE
            and not negated
        ):
            return None  # "They know how to make them here": praise, not a question
        if trig.name == "want" and self.tags[k] in ("NN", "NNS") and k > 0:
            if self.tags[k - 1] in ("JJ", "DT", "PRP$", "NN"):
                return None  # "a special needs child"
        if (
            trig.name in ("want", "hope", "would_like", "would_love", "try_to")
            and subject is not None
            and self.in_relative_clause(subject)
        ):
            return None  # inside a relative clause: "every thing I need a dress to do"
        if trig.person_subject and subject is None and k > 0 and self.tags[k - 1] in ("WP",):
            return None  # "users who want to download it": someone else's want
        if (
            trig.name == "want"
            and subject is None
            and self.words[k] == "need"
            and k + 1 < self.n
            and self.words[k + 1] in ("i", "we")
        ):
            return None  # "need I say more": a question turned round, nobody's need
        if (
            trig.name == "want"
            and subject is None
            and self.words[k] in ("look", "search")
            and (k == 0 or self.is_punct(k - 1) or self.words[k - 1] in _IMPERATIVE_AFTER)
        ):
            return None  # "... and look for the preference": an instruction, not a want
        if trig.name == "want" and subject is None and k > 0 and self.words[k - 1] == "if":
            return None  # "If looking for an old version, this list helps": advice
        if (
            trig.name == "want"
            and self.words[k] in ("looking", "searching", "hunting")
            and k > 0
            and self.words[k - 1] in _SEARCH_STORY
            and not self.low[match.end() :].startswith(_SEARCH_FOR_WAY)
        ):
            return None  # "I've been looking for a poncho for years": a shopping story
        if (
            trig.name == "want"
            and self.words[k] == "needed"
            and self.words[k + 1 : k + 3] == ["to", "be"]
            and k + 3 < self.n
            and (self.tags[k + 3] == "VBN" or self.words[k + 3].endswith("ed"))
        ):
            return None  # "it was long and needed to be hemmed": what a thing needed
        if trig.name == "want" and self.words[k] == "wants" and subject is None:
            return None  # "Now wants permission for my contacts": the app wants
        if (
            trig.name == "want"
            and k > 0
            and self.words[k - 1] in ("is", "are", "was", "be")
            # "we are looking to move", "I was needing to cancel": a want in progress
            # (not "I was looking for a jacket", the story of a purchase)
            and not (self.words[k] == "needing" or self.rest(k).startswith("looking to "))
        ):
            return None  # "when little is needed": passive, nobody's goal
        if trig.name == "could_use" and subject_word in ("i", "we", "you", "u"):
            return None  # "I really could use a small": what the writer needs, not the product
        if trig.name == "having_trouble" and subject_word not in (None, "i", "we"):
            return None  # "My son has trouble sleeping", "the app is having issues loading"
        if trig.name == "having_trouble" and _SHOPPING_SEARCH.match(self.low[match.end() :]):
            return None  # "I have trouble finding pants that are long enough": shopping
        if trig.name == "try_to" and self.future_before(k):
            return None  # "I will try to disable it": a plan, nothing failed yet
        if (
            trig.name == "try_to"
            and k > 1
            and self.words[k - 1] == "have"
            and self.words[k - 2] in _UNREAL_MODALS
        ):
            return None  # "I could have tried to order the petite": never tried
        if trig.name in ("want", "would_like") and subject is not None and subject > 0:
            if self.words[subject - 1] == "than":
                return None  # "shorter than I'd like", "larger than I wish": a comparison
        if trig.name == "try_to" and self.advice(k, subject):
            return None  # "Try to contact their support", "you can also try to ...": advice
        if trig.name == "note_role_wants" and re.search(r"\bthey\b", match.group(0).lower()):
            # "they want ..." is a customer's in a note about them (a rep writes of the
            # customer), a vendor's where the writer speaks for themself ("Now they want
            # a subscription just to export my own data").
            if _WRITER.search(self.low):
                return None
        if trig.name == "any_chance_of" and self.words[k] in ("asking", "begging"):
            if k > 0 and self.words[k - 1] in _BE_OR_KEEP and subject_word not in ("i", "we"):
                return None  # "the worst thing is asking for permissions": the app asks
            if k > 0 and self.words[k - 1] in _MESSAGES or _CONTACTED & set(self.words[:k]):
                return None  # "does NovaPay call customers asking for a code?": a caller asks
        if trig.name in ("want", "if_only") and self.regret_after(match.end()):
            return None  # "I wish I had ordered the xs": regret, not a job
        if trig.name in ("want", "if_only") and _REGRET_DID.match(self.low[match.end() :]):
            return None  # "I wished I didn't update": regret
        if trig.name == "want" and k > 0 and self.words[k - 1] in ("me", "us"):
            return None  # "it made me want to keep the shirt": a feeling, not a goal
        if trig.name == "want" and subject_word in ("i", "we") and self.reported(subject):
            return None  # "my phone says I need an updated version": what it demands
        if trig.name == "want":
            verb = self.words[k]
            if subject is not None and not self.person_like(subject):
                # "The search needs a filter": a thing needs something -> a request.
                if verb not in ("needs", "need", "needed"):
                    return None
                mode = "np"
        self.family = family
        if trig.name in ("so_i_can", "in_order_to") and clause_start == 0 and k == 0:
            return None  # "So I can see why ..." opens a sentence; no goal stated
        comp = self.tok_at(match.end())
        motivation: Part | None
        if mode == "fragment":
            motivation = self.fragment(match)
        elif mode == "np_before":
            motivation = self.noun_before(k)
            clause_start = motivation.start if motivation else clause_start
        elif mode == "provide":
            motivation = self.provided(match.group("verb"), comp, trig.conditional)
        elif mode == "hope":
            sub = "vp" if match.group(0).rstrip().endswith("to") else "np"
            motivation = self.complement(comp, sub, False)
        else:
            motivation = self.complement(comp, mode, trig.conditional)
        if motivation is None or not self.acceptable(motivation):
            return None
        if (
            trig.name == "want"
            and self.words[k] in ("need", "needs", "needed")
            and motivation.kind == "verb"
            and self.words[motivation.start] in _WORKAROUNDS
        ):
            return None  # "I need to squint to read anything": forced to, as "have to" is
        if generic_you and self.words[motivation.start] not in _APP_ACTIONS:
            return None
        if (
            trig.name == "try_to"
            and match.group(0).lstrip().startswith(("tried", "attempted"))
            and not match.group(0).rstrip().endswith("to")
        ):
            # "I tried topping up": the goal as a gerund, only an action done with an app
            # or an account ("tried reinstalling", "tried sizing up": a remedy or a
            # story), and only the writer's ("Have you ever tried scrolling ...?")
            if self.lemmatize(self.words[motivation.start]) not in _TRIED_GOALS:
                return None
            if any(w in ("you", "u") for w in self.words[max(0, k - 3) : k]):
                return None
        if trig.name == "hard_to" and self.tough(subject, motivation):
            return None  # "they are a pain to delete": the object is elsewhere
        if trig.name == "in_order_to" and not self.first_person_before(k):
            return None  # "they must have used magic in order to ..."
        if trig.name == "want" and self.tags[k] == "VBG" and subject is None:
            if motivation.kind == "clause":
                return None  # "Searching for a customer takes ages": a gerund subject
        if trig.name == "want" and mode == "np" and _NEWER_VERSION.match(self.text_of(motivation)):
            return None  # "Huawei health need a more recent version of HMS": its demand
        if mode == "np" and trig.name == "want" and motivation.kind == "verb":
            mine = self.own_thing_needs_done(subject, k)
            if mine is None:
                return None  # "the length would need to be altered": a thing, not a wish
            motivation = Part(mine, motivation.end, "clause")
        if (
            trig.name == "want"
            and motivation.kind == "noun"
            and self.words[k] in ("wanted", "needed")
            and not any(w in _FEATURE_WORDS for w in self.words[motivation.start : motivation.end])
        ):
            return None  # "(I) wanted a crisper pant", "needed a medium": what was bought
        if trig.name == "removed_feature" and subject_word in ("i", "we"):
            return None  # "I removed the widget": the writer's own doing
        if (
            trig.name == "no_option"
            and k > 0
            and self.words[k - 1] not in (".", "!", "?")
            and not (k > 1 and self.words[k - 2] == "there" and self.words[k - 1] in _IS_ARE)
        ):
            return None  # opening a sentence or after "there is": "There's no barcode option"
        if trig.name in ("removed_feature", "feature_removed"):
            named = [
                self.words[j]
                for j in range(motivation.start, motivation.end)
                if self.tags[j] in _NOUN_TAGS and self.words[j] not in _FEATURE_WORDS
            ]
            if not named:
                return None  # "now that feature is gone": which one is said elsewhere
            for j in range(motivation.start + 1, motivation.end - 1):
                if self.words[j].rstrip("s") in _REMOVED_HEADS and self.words[j + 1] in (
                    "which", "for", "at", "and", "since", "as", "in"
                ):  # fmt: skip
                    # "the weight management feature which I used every day"
                    motivation = Part(motivation.start, j + 1, motivation.kind)
                    break
        if (
            trig.name == "ask_action"
            and "your" in self.words[motivation.start : motivation.end]
            and self.words[motivation.start] not in _MAKERS_OWN_ACTIONS
        ):
            return None  # "please change your default browser": a helper's advice (not
            # "can you expand your food database": the maker's own)
        if (
            trig.name == "would_be_good_if"
            and subject is not None
            and self.words[subject] in ("that", "this")
            and motivation.end - motivation.start == 1
        ):
            return None  # "that would be useful to log": the object is "that"
        if (
            trig.name == "want"
            and motivation.end - motivation.start == 1
            and self.words[motivation.start].endswith("ing")
        ):
            return None  # "needed updating": a passive need, nobody's goal
        if trig.name == "do_you" and motivation.end - motivation.start == 1:
            return None  # "Do you accept that?": what is asked about is told elsewhere
        motivation, purpose = self.purpose_split(motivation)
        job = Found(family, motivation)
        job.back = trig.name in _WANTED_BACK or (
            family == "request" and _BACK_WORDS.search(match.group(0)) is not None
        )
        job.doer = self.doer(match, family, motivation)
        if trig.name == "can_it_be":
            first = self.tok_at(match.start("doer"))
            job.subject = Part(first, self.tok_at(match.end("doer")), "noun")
        after = motivation.end if purpose is None else purpose.end
        if mode != "np_before":
            job.situation = self.fronted_situation(clause_start)
        trailing = self.trailing_situation(after)
        if trailing is not None:
            if job.situation is None:
                job.situation = trailing
            after = trailing.end
        job.outcome = purpose or self.outcome(after, family)
        return job

    def purpose_split(self, motivation: Part) -> tuple[Part, Part | None]:
        """A purpose told with a bare "to" after the goal is its outcome: "scan barcodes on
        food [to find them more accurately]", "change the date/time settings [to
        accommodate working night shifts]" (the parser's ``advcl`` of the goal's verb; not
        "configure VLC to capture video", a complement, nor "get my garmin to link", what
        is made to happen). Returns the motivation without it and the outcome (or None)."""
        if motivation.kind != "verb":
            return motivation, None
        for j in range(motivation.start + 2, motivation.end - 1):
            if self.words[j] != "to" or self.tags[j + 1] != "VB":
                continue
            verb = self.toks[j + 1]
            head = self.position(verb.head)
            between = self.words[head + 1 : j]
            if (
                verb.dep_ != "advcl"
                or not motivation.start <= head < j
                or self.lemmatize(self.words[head]) in _CAUSATIVE_VERBS
                # what the thing does, not the customer: "a jumpsuit to fit my torso", "a
                # tank to go underneath", "wear it to work" (a place)
                or self.words[j + 1] in _NOT_PURPOSE_VERBS
                # "from Always Activate to Ask", "from firefox 56 to firefox 57": a range
                or verb.text[:1].isupper()
                or not verb.text.isalpha()  # "convert a file to mp4"
                or self.words[j + 1] in self.words[:j]
                or ("from" in between and "to" not in between[between.index("from") :])
                # "services for children to have ...": the infinitive's own subject
                or "for" in self.words[max(head + 1, j - 4) : j]
            ):
                continue
            end = self.trim(motivation.start, j)
            outcome = Part(j + 1, motivation.end, "verb")
            if (
                end <= motivation.start
                # a lone verb or a verb and its particle says no gain ("to change", "to
                # put on")
                or motivation.end - (j + 1) < 2
                or self.tags[motivation.end - 1] in ("RP", "IN")
                or not self.acceptable(outcome, outcome=True)
            ):
                return motivation, None
            return Part(motivation.start, end, motivation.kind), outcome
        return motivation, None

    def fronted_phrase_noun(self, start: int, subject: int) -> bool:
        """The noun read as the subject closes a phrase that opens the sentence."""
        p = start - 1
        while p >= 0 and self.tags[p] in ("VBN", "JJ", "DT", "CD", "PRP$"):
            p -= 1
        return (
            p >= 0
            and self.words[p] in _FRONTED_PREPOSITIONS
            and (p == 0 or self.is_punct(p - 1))
            and self.tags[subject] in ("NN", "NNS")
            # not "After last update Adobe can't ...": the phrase, then a subject
            and not any(self.toks[i].dep_ == "pobj" for i in range(p + 1, subject))
        )

    def reported(self, subject: int) -> bool:
        """The want is what something else says the writer needs: "(the app) says I need
        to update", "the unit says that I need Connect 4.5" (not "I said I need ...")."""
        j = subject - 1
        if j >= 0 and self.words[j] == "that":
            j -= 1
        if j < 0 or self.words[j] not in _REPORTING:
            return False
        return j == 0 or self.words[j - 1] not in ("i", "we")

    def own_thing_needs_done(self, subject: int | None, k: int) -> int | None:
        """Where "my card" starts in "My card needs to be activated", else None.

        A service query told as what must be done to the writer's own card, account or
        order is a job ("My address needs to be changed"); what a garment needed ("the
        length would need to be altered") is not: only "my/our ..." with "needs to be"
        and a participle, in the present.
        """
        if subject is None or self.words[k] not in ("needs", "need"):
            return None
        if self.words[k + 1 : k + 3] != ["to", "be"] or k + 3 >= self.n:
            return None
        if self.tags[k + 3] != "VBN":
            return None
        start = self.position(self.toks[subject].left_edge)
        if not any(word in ("my", "our") for word in self.words[start:subject]):
            return None
        return start

    def in_relative_clause(self, subject: int) -> bool:
        """'the place where I would like to ...', 'a setting that I need to change'."""
        if subject == 0 or self.words[subject] not in ("i", "we"):
            return False
        before = subject - 1
        if self.words[before] in ("that", "which", "where") and before > 0:
            return self.tags[before - 1] in _NOUN_TAGS
        if not (self.tags[before] in _NOUN_TAGS or self.words[before] in _RELATIVE_HEADS):
            return False
        if self.words[before] in _WHEN_NOUNS or (
            self.words[before] in _PART_OF_DAY
            and before > 0
            and self.words[before - 1] in ("this", "last", "earlier", "yesterday")
        ):
            return False  # "Today I tried to pay by card": when it happened
        if self.words[before] == "time" and before > 0:
            if self.words[before - 1] in ("every", "each", "any", "first", "next", "last"):
                return False  # "it freezes every time I try to sync": a situation
        return not self.opens_situation(subject)

    def future_before(self, k: int) -> bool:
        """'will' / "'ll" / 'gonna' among the few words right before the trigger."""
        j = k - 1
        while j >= 0 and k - j <= 3 and not self.is_punct(j):
            if self.words[j] in _FUTURE or (
                self.words[j] == "going" and j + 1 < self.n and self.words[j + 1] == "to"
            ):
                return True
            if self.words[j] in ("i", "we"):
                break
            j -= 1
        return False

    def advice(self, k: int, subject: int | None) -> bool:
        """'Try to ...' opening a sentence, or 'you can/should try to ...': a suggestion."""
        if subject is None:
            return self.words[k] == "try" and all(
                self.words[j] in P.DISCOURSE or self.is_punct(j) or self.words[j] == "please"
                for j in range(k)
            )
        modal = {"can", "could", "should", "may", "might", "must"}
        return self.words[subject] in ("you", "u") and bool(
            modal & set(self.words[subject + 1 : k])
        )

    def past_clause(self, k: int) -> bool:
        """The clause's first verb is in the past tense with no modal before it."""
        for j in range(k, min(k + 6, self.n)):
            if self.tags[j] == "MD":
                return False
            if self.tags[j] in ("VBD",):
                return True
            if self.tags[j] in ("VBZ", "VBP", "VB") or self.is_punct(j):
                return False
        return False

    def tough(self, subject: int | None, part: Part) -> bool:
        """'The buttons are hard to put on': the verb's object is the sentence subject."""
        has_noun = any(self.tags[j] in _NOUN_TAGS for j in range(part.start, part.end))
        if part.end - part.start == 1:
            return True
        dummy = subject is None or self.words[subject] in ("it", "this", "that", "its", "it's")
        return not dummy and not has_noun

    def first_person_before(self, k: int, window: int = 12) -> bool:
        j = k - 1
        while j >= 0 and k - j <= window and not self.is_punct(j):
            if self.words[j] in ("i", "we", "me", "us", "my", "our"):
                return True
            j -= 1
        return False

    def regret_after(self, char: int) -> bool:
        match = _REGRET.match(self.low[char:])
        if not match:
            return False
        k = self.tok_at(char + match.end())
        for j in (k - 1, k):
            if 0 <= j < self.n and (self.tags[j] == "VBN" or self.words[j] in ("been", "known")):
                return True
        return False

    def opens_situation(self, k: int) -> bool:
        """The clause segment before token ``k`` starts with a situation marker."""
        start = k
        while start > 0 and not self.is_punct(start - 1):
            start -= 1
        while start < k and self.words[start] in P.DISCOURSE:
            start += 1
        text = self.rest(start)
        markers = _SENT_MARKERS_STRIP + _SENT_MARKERS_KEEP + P.SITUATION_KEEP
        return any(text.startswith(marker + " ") for marker in markers)

    def negated_before(self, clause_start: int, window: int = 5) -> bool:
        """A negation shortly before the clause, in the same clause ("don't think I want")."""
        j = clause_start - 1
        while j >= 0 and clause_start - j <= window:
            word = self.words[j]
            if self.is_punct(j) or word in ("but", "and", "so", "because", "though", "or"):
                return False
            if word in _NEGATIONS:
                return True
            j -= 1
        return False

    def someone_elses(self, k: int) -> bool:
        """Whether the verb at ``k`` (or the verb its auxiliary at ``k`` serves) is the
        second of two coordinated verbs (or a participle clause) whose subject is another
        person: "the waitress was very nice and tried to accommodate us", "he apologised
        but couldn't find it", "the staff were running around trying to keep up". A
        product as that subject is not enough ("the calendar only shows today and can't
        go to tomorrow's workout" still states the customer's goal)."""
        verb = self.toks[k]
        if verb.dep_ in ("aux", "neg") and verb.head.i != verb.i:
            verb = verb.head
        if verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head.i == verb.i:
            return False  # also "the employees are working hard trying to keep up"
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return bool(subjects) and subjects[0].lower_ in _OTHER_PEOPLE

    def person_like(self, k: int) -> bool:
        word = self.words[k]
        if word in ("i", "we"):
            return True
        if word in _PERSON_WORDS:
            return True
        return self.tags[k] == "NNP" and k > 0 and self.words[k - 1] in ("my", "our")

    # --- complements ---------------------------------------------------------------

    def strip_leading(self, k: int, conditional: bool) -> tuple[int, bool]:
        """Skip padding at the start of a complement; report whether a verb must follow."""
        expect_verb = False
        for _ in range(8):
            if k >= self.n:
                break
            if self.words[k] in P.LEADING_FILLER:
                k += 1
                continue
            rest = self.rest(k)
            match = P.LEADING_PHRASES.match(rest)
            if match:
                nxt = self.tok_at(self.starts[k] + match.end())
                text = match.group(0)
                if text.strip() in ("2", "too"):
                    # "need 2 change my pin", not "I want 2 cards"
                    if nxt >= self.n or self.tags[nxt] not in ("VB", "VBP"):
                        break
                    expect_verb = True
                elif text.rstrip().endswith(" to") or text.strip() == "to":
                    # "a button to the homepage" is not "a button to <do something>".
                    if nxt >= self.n or self.tags[nxt] not in ("VB", "VBP", "NN", "RB", "JJ"):
                        break
                    expect_verb = True
                elif re.match(r"(?:i|we|you|u|one|users|people)\s", text):
                    expect_verb = True
                if nxt == k:
                    break
                k = nxt
                continue
            there = _THERE_BE.match(rest)
            if there:
                k = self.tok_at(self.starts[k] + there.end())
                continue
            bare_modal = re.match(r"(?:could|can)\s+(?=[a-z])", rest)
            if bare_modal and k > 0 and self.words[k - 1] == "if":
                # "Would be great if could sync with Garmin": the subject left out
                k = self.tok_at(self.starts[k] + bare_modal.end())
                expect_verb = True
                continue
            that = re.match(r"that\s+(?=(?:i|we|you|it|the|there|my|our|this)\b)", rest)
            if that:
                k = self.tok_at(self.starts[k] + that.end())
                continue
            if (
                conditional
                and self.words[k] in P.LIGHT_VERBS
                and k + 1 < self.n
                and self.tags[k + 1] in _NP_START_TAGS
                and self.tags[k + 1] not in ("VBG", "VBN")
            ):
                k += 1
                expect_verb = False
                continue
            break
        return k, expect_verb

    def complement(self, k: int, mode: str, conditional: bool) -> Part | None:
        """Read the wanted thing starting at token ``k``."""
        k, expect_verb = self.strip_leading(k, conditional)
        if k >= self.n or self.is_punct(k):
            return None
        help_to = _HELP_TO.match(self.rest(k))
        if help_to:
            # "I need your help to reset my password" -> "reset my password"
            k = self.tok_at(self.starts[k] + help_to.end())
            if k >= self.n or self.tags[k] not in ("VB", "VBP"):
                return None
            expect_verb = True
        helped = _HELP_WITH.match(self.rest(k))
        if helped:
            # "I need help cancelling a transaction" -> "cancelling a transaction"
            k = self.tok_at(self.starts[k] + helped.end())
            if k >= self.n or self.tags[k] != "VBG":
                return None
        provide = re.match(
            r"(?:you|u)(?:\s+guys)?\s+(?:could|would|can|will|'d|'ll|might|to)?\s*"
            r"(?:please\s+|just\s+|also\s+|maybe\s+)*(?P<verb>" + P._PROVIDE + r")\b",
            self.rest(k),
        )
        if provide:
            verb_end = self.tok_at(self.starts[k] + provide.end())
            return self.provided(provide.group("verb"), verb_end, conditional)
        you_could = _YOU_COULD.match(self.rest(k))
        if you_could:
            # "if you could track trips automatically": what the product should do
            k = self.tok_at(self.starts[k] + you_could.end())
            # "if you could sync Fitbit data" ("sync" tagged as a noun after the modal)
            if k >= self.n or not (
                self.tags[k] == "VB"
                or (
                    self.tags[k] in ("NN", "VBP")
                    and k + 1 < self.n
                    and self.tags[k + 1] in _NP_START_TAGS
                )
            ):
                return None
            expect_verb = True
        kind = self.kind_at(k, expect_verb or mode == "vp")
        if kind is None:
            return None
        if mode == "vp" and kind not in ("verb",):
            return None
        if mode == "np" and kind == "clause":
            kind = "noun"
        if mode == "np" and kind == "gerund" and self.names_a_kind_of_thing(k):
            kind = "noun"  # "add budgeting categories": a thing, not "to budget categories"
        end = self.scan_end(k, kind)
        end = self.trim(k, end)
        if end <= k:
            return None
        return Part(k, end, kind)

    def names_a_kind_of_thing(self, k: int) -> bool:
        """Whether the gerund at ``k`` names a kind of the thing after it ("budgeting
        categories", "sharing options", "a tracking feature"), not what is done to it."""
        if k + 1 >= self.n:
            return False
        if self.words[k] in _DESCRIBING:
            return True
        after = self.words[k + 1]
        return self.tags[k + 1] == "NNS" and after not in _DONE_TO or after in _PRODUCT_PARTS

    def kind_at(self, k: int, verb_expected: bool) -> str | None:
        tag = self.tags[k]
        word = self.words[k]
        if word in _NEGATIONS or (tag == "IN" and word in _PREPOSITIONS):
            return None  # "can't even with this trend"
        if tag == "VB" or (verb_expected and tag not in _NOT_VERB_START and word.isalpha()):
            return "verb"
        if tag == "VBG":
            return "gerund"
        if verb_expected:
            return None
        # A subject followed by its own verb: "the app remembered my search".
        if tag == "PRP" and word in _SUBJECT_PRONOUNS | {"she", "he", "they"}:
            return "clause" if self.has_finite_verb(k + 1, 3) or self.to_verb(k + 1) else None
        # "I want them to get the signature on the phone", "I need it to sync": who is to
        # do it, then what (the outcome after it had been read as the job).
        if tag == "PRP" and word in ("them", "him", "her", "it", "us") and self.to_verb(k + 1):
            return "clause"
        if tag in _NP_START_TAGS or word in ("more", "less", "fewer", "some", "any"):
            j = k
            while j < self.n and j < k + 7 and self.tags[j] in _NP_TAGS:
                if j > k and self.tags[j] in ("DT", "PRP$") and self.tags[j - 1] in _NOUN_TAGS:
                    return "noun"  # "a refund my order was wrong": a thing, then a new clause
                j += 1
            if j < self.n and j > k and (self.tags[j] in _FINITE or self.to_verb(j)):
                if self.tags[j] != "MD" or self.words[j] in ("would", "could", "can", "'d"):
                    return "clause"
            return "noun"
        return None

    def to_verb(self, k: int) -> bool:
        return k + 1 < self.n and self.words[k] == "to" and self.tags[k + 1] == "VB"

    def provided(self, verb: str, k: int, conditional: bool) -> Part | None:
        """The thing asked for after a request verb ("add X", "let me X", "make X Y")."""
        verb = verb.split()[0]
        rest = self.rest(k)
        if verb in ("let", "letting", "allow", "allowing", "enable", "enabling", "help"):
            people = _PEOPLE_OBJECT.match(rest)
            if people:
                k2 = self.tok_at(self.starts[k] + people.end())
                return self.complement(k2, "vp", conditional)
            if verb in ("let", "letting"):
                return self.caused_clause(k)
            return self.complement(k, "np", conditional)
        if verb in ("give", "giving"):
            # "give me back my money": what is given back is the thing asked for
            people = re.match(
                r"(?:(?:me|us|users|people|customers|everyone|them)\s+)?(?:back\s+)?", rest
            )
            if people.end():
                k = self.tok_at(self.starts[k] + people.end())
            return self.complement(k, "np", conditional)
        if verb in ("make", "making"):
            so_i_can = re.match(r"it\s+so\s+(?:that\s+)?(?:i|we)\s+(?:can|could)\s+", rest)
            if so_i_can:
                return self.complement(self.tok_at(self.starts[k] + so_i_can.end()), "vp", False)
            easy = re.match(
                r"(?:it\s+)?(?:possible|easier|easy|simpler|simple|quicker|quick)\s+"
                r"(?:for (?:me|us|users|people) )?to\s+",
                rest,
            )
            if easy:
                return self.complement(self.tok_at(self.starts[k] + easy.end()), "vp", False)
            if re.match(r"sure\b|it\s+(?:work|stop|better)\b|(?:a|an)\s+(?:note|mistake)", rest):
                return None
            part = self.complement(k, "np", conditional)
            if part is not None:
                # "make the map work offline": a clause without tense.
                has_verb = any(self.tags[j] == "VB" for j in range(part.start + 1, part.end))
                part.kind = "clause" if has_verb else "noun"
            return part
        part = self.complement(k, "np", conditional)
        if part is not None and part.kind == "noun" and verb in ("add", "adding"):
            # "add dark mode to the app" (not "an option to export", "a link to the bill")
            to = [j for j in range(part.start + 1, part.end - 1) if self.words[j] == "to"]
            if (
                to
                and self.tags[to[0] + 1] not in ("VB", "VBP", "RB")
                and self.words[to[0] - 1] not in _RELATIONAL_NOUNS
            ):
                part.added_to = to[0]
        return part

    def caused_clause(self, k: int) -> Part | None:
        """'let the app follow my system setting': a thing and a bare verb."""
        j = k
        while j < self.n and j < k + 6 and self.tags[j] in _NP_TAGS:
            j += 1
        if j == k or j >= self.n or self.tags[j] != "VB":
            return None
        end = self.trim(k, self.scan_end(k, "clause"))
        return Part(k, end, "clause") if end > j else None

    def fragment(self, match: re.Match) -> Part | None:
        """'Offline maps please!' - a bare noun phrase asked for."""
        a = self.tok_at(match.start("np"))
        b = self.tok_at(match.end("np"))
        if b - a > 7 or b <= a:
            return None
        # A past tense that does not end in "-ed" is the tagger's reading of a noun it
        # does not know ("sms reminders please": "sms" as a past tense, no job).
        tags = list(self.tags[a:b])
        if tags[0] == "VBD" and not self.words[a].endswith("ed"):
            tags[0] = "NN"
        if any(t in _FINITE or t in ("VB", "PRP", "UH", "WP", "WRB") for t in tags):
            return None
        if not any(t in _NOUN_TAGS for t in tags):
            return None
        return Part(a, b, "noun")

    def noun_before(self, k: int) -> Part | None:
        """'A calendar view would be super helpful' - the subject is the wanted thing."""
        end = k
        j = k - 1
        while True:
            while j >= 0 and (
                self.tags[j] in _NP_TAGS or self.words[j] in ("of", "for", "with", "on", "in", "to")
            ):
                j -= 1
            # "An option to hide inactive accounts would be nice": the option and its verb
            # ("a command to look up records": a particle after the verb)
            verb = j - 1 if j >= 3 and self.tags[j] == "RP" and self.tags[j - 1] == "VB" else j
            if verb >= 2 and self.tags[verb] == "VB" and self.words[verb - 1] == "to":
                if self.words[verb - 2] in _OPTION_NOUNS:
                    j = verb - 2
                    continue
            break
        start = j + 1
        while start < end and (
            self.tags[start] in ("IN", "TO", "CC", "HYPH") or self.words[start] in P.DISCOURSE
        ):
            start += 1
        if start >= end or not any(self.tags[i] in _NOUN_TAGS for i in range(start, end)):
            return None
        if j >= 0 and self.tags[j] in _VERB_TAGS and self.tags[j] not in ("VBG", "VBN"):
            return None  # "I think X would be great" is fine, "it is X would" is not
        head_words = {self.words[i] for i in range(start, end)}
        if head_words <= P.STOP_NOUNS:
            return None
        return Part(start, end, "noun")

    # --- where a phrase ends -------------------------------------------------------

    def scan_end(self, k: int, kind: str, limit: int = 25) -> int:
        i = k + 1
        while i < self.n and i - k < limit:
            word = self.words[i]
            tag = self.tags[i]
            if word in _QUOTES:
                close = next(
                    (j for j in range(i + 1, min(i + 10, self.n)) if self.words[j] in _QUOTES),
                    None,
                )
                if (
                    close is not None
                    and not any(self.words[j] in (".", "!", "?") for j in range(i + 1, close))
                    and self.noun_after_quote(close + 1)
                ):
                    i = close + 1  # 'the "add naps" option': a name inside the phrase
                    continue
            if self.is_punct(i):
                close = self.aside_end(i) if i - k > 1 else None  # not after a bare verb
                if close is None or self.words[i + 1] in _ASIDE_REASONS:
                    return i
                i = close + 1  # "update to firefox 57 (firefox quantum) on Ubuntu"
                continue
            if word in _DASHES and self.toks[i].whitespace_ and self.toks[i - 1].whitespace_:
                return i  # " - " separates thoughts
            if word in _HARD_STOP and not (word == "which" and i > k and tag == "WDT"):
                return i
            if word == "how" and i + 1 < self.n and self.words[i + 1] == "ever":
                return i  # "want to use the app how ever it won't let me": "however"
            if _GLUED_LIST_NUMBER.match(word):
                return i  # "... music app 2)Please revamp the menu": the next item
            if word == "so" and i + 1 < self.n and self.tags[i + 1] not in ("JJ", "RB", "JJR"):
                return i
            if word in ("which", "that") and P.HELPING_CLAUSE.match(self.rest(i)):
                return i  # "a weekly summary which would help me plan": the outcome
            if tag == "MD" and i + 1 < self.n and self.words[i + 1] in ("you", "u", "someone"):
                return i  # "i need to get to chicago tonight can you help": a new question
            if word in ("when", "whenever", "once", "everytime", "anytime") or (
                word in ("every", "each", "any") and i + 1 < self.n and self.words[i + 1] == "time"
            ):
                if word != "once" or self.has_finite_verb(i + 1, 4):
                    return i
            if word == "if" and self.words[i - 1] not in _ASK_IF:
                return i  # but "check if it arrived", "see if": what to find out
            if word == "due" and i + 1 < self.n and self.words[i + 1] == "to":
                return i  # "log on to the app due to a network error": a reason
            if word == "anymore" and i > k + 1:
                return i  # "measure my heart rate anymore by placing my finger ...": how
            if (
                word in _REPORTING
                and i > k + 1
                and tag in ("VBZ", "VBD", "VBG")
                and not self.toks[i].text[:1].isupper()  # "the United States"
                and self.words[i - 1] not in _BEFORE_REPORTED
            ):
                return i  # "open app says its not latest version": what the screen said
            if word == "what" and i + 1 < self.n and self.words[i + 1] in ("would", "will"):
                return i  # "a way to reset without losing my data what would be great"
            if kind == "verb" and tag in ("VBZ", "VBD", "VBP") and self.main_verb_after(k, i):
                return i  # "trying to log in or create an account just brings me to ..."
            if word == "no" and i + 1 < self.n and self.words[i + 1] in _NO_AVAIL:
                return i  # "log in no matter how many times I try", "... no luck": how it went
            if word in _UPDATE_START and P.UPDATE_PHRASE.match(self.rest(i)):
                return i  # "open the app after the last update"
            if word in _SENT_MARKERS_KEEP and self.clause_follows(i + 1):
                return i
            if word == "while" and self.while_phrase(i + 1):
                return i  # "auto pause while stopping between exercises": a situation
            if self.failed_after(i):
                return i  # "Not able to login after reinstalling the app": when it failed
            if word == "in" and i + 1 < self.n and self.words[i + 1] == "order":
                return i
            if word == "to" and self.rest(i).startswith(("to be able to", "to make sure ")):
                return i
            if word == "as" and (
                self.rest(i).startswith("as soon as")
                or (i + 1 < self.n and self.tags[i + 1] == "PRP" and self.clause_follows(i + 1))
            ):
                return i  # "as I wear leggings often" gives a reason
            if tag == "CC" or word in ("&", "plus", "and"):
                # After a failed attempt, "and ..." tells what went wrong; "change or
                # download new faces" is one thing tried, two verbs of one object.
                both = (
                    kind == "verb"
                    and word in ("or", "and")
                    and i + 1 < self.n
                    and self.tags[i + 1] == "VB"
                    and self.toks[i + 1].dep_ == "conj"
                    and self.position(self.toks[i + 1].head) == k
                    and any(c.dep_ == "dobj" for c in self.toks[i + 1].children)
                    and not self.new_clause_after(i + 1)
                )
                # "I can't add workouts and food from past days": two things of one
                # attempt (a noun after "and" that opens no clause)
                things = (
                    word in ("and", "or")
                    and i + 1 < self.n
                    and self.tags[i + 1] in ("NN", "NNS", "NNP", "NNPS")
                    and not self.finite_verb_soon(i + 1)
                )
                if not both and (
                    self.new_clause_after(i + 1) or (self.family == "failure" and not things)
                ):
                    return i
            if (
                tag == "CD"
                and i + 1 < self.n
                and (
                    self.words[i + 1] == ")"
                    or (
                        self.words[i + 1] == "."
                        and i + 2 < self.n
                        and self.tags[i - 1] not in _NOUN_TAGS
                    )
                )
            ):
                return i  # a list number: "2) please add folders 3) ..." (not "Forerunner 35.")
            if kind != "clause" and self.main_subject_at(k, i):
                return i  # "try to attach a PDF the email fails to send"
            if (
                self.family == "failure"
                and kind == "verb"
                and word in ("the", "my", "this")
                and self.tags[i - 1] in _NOUN_TAGS  # the goal's object ends before it
                and i + 2 < self.n
                and self.tags[i + 1] in ("NN", "NNP")
                and self.words[i + 2] in _WENT_WRONG
                and self.words[i + 2] not in ("just", "always", "never")
            ):
                return i  # "try to pair my watch the app crashes" ("crashes" read as a noun)
            if self.family == "failure" and kind == "verb" and self.refusal_at(i):
                return i  # "try to open Firefox on our older PCs Firefox wont open"
            if kind != "clause" and self.pronoun_clause_at(k, i):
                return i  # "to eat my gorditas I opened the box"
            if (
                kind != "clause"
                and i in self.trigger_starts
                and word not in ("to", "make", "have", "get", "support")
                # "which of my plants need watering" is inside the phrase, not a new job
                and not (word in _WANT_WORDS and self.words[i - 1] not in ("i", "we", "also"))
            ):
                if word not in ("add", "let", "allow", "enable", "help", "give", "show"):
                    return i
            if kind == "noun" and tag in _FINITE:
                if self.toks[i].dep_ not in ("relcl", "acl", "ccomp") and not self.relative_before(
                    k, i
                ):
                    return i
            i += 1
        return i

    def noun_after_quote(self, j: int) -> bool:
        """A noun goes on after a closing quote ('"add naps" option', '"Copy" like button')."""
        if j < self.n and self.words[j] == "like":
            j += 1
        return j < self.n and self.tags[j] in _NOUN_TAGS

    def main_verb_after(self, k: int, i: int) -> bool:
        """Token ``i``, after the goal that starts at ``k``, is the sentence's main verb
        ("Trying to log in ... just brings me to a black screen", "when I tried to do a
        top up the money just disappeared"), not a plural noun misread as one ("update
        watch faces": right after a noun, with nothing of its own but a subject)."""
        tok = self.toks[i]
        if tok.dep_ != "ROOT" or i <= k:
            return False
        own = [c for c in tok.children if c.dep_ not in ("punct", "csubj", "nsubj")]
        misread = self.tags[i - 1] in ("NN", "NNP") and not own
        return not misread or self.words[i] in _WENT_WRONG  # "sync my watch fails"

    def aside_end(self, i: int, limit: int = 12) -> int | None:
        """The ")" that closes a short aside opened by the "(" at ``i``, or None. The
        wanted thing reads on through an aside that is a phrase ("(firefox quantum)",
        "(as a CSV)"), not through one that is a clause ("(the app just spins)") or holds
        a sentence end."""
        if self.words[i] != "(":
            return None
        for j in range(i + 1, min(i + limit, self.n)):
            if self.words[j] == ")":
                return j if j > i + 1 else None
            if self.words[j] in ("(", ".", "!", "?", ";") or self.tags[j] in _FINITE:
                return None
            if self.toks[j].dep_ in ("nsubj", "nsubjpass"):
                return None
        return None

    def main_subject_at(self, k: int, i: int) -> bool:
        """Token ``i`` opens the subject of a new main clause (not a wh- or relative clause)."""
        tok = self.toks[i]
        for sub in (tok, tok.head) if tok.dep_ in ("det", "poss", "amod", "compound") else (tok,):
            if sub.dep_ not in ("nsubj", "nsubjpass") or sub.left_edge.i != tok.i:
                continue
            verb = sub.head
            if verb.i <= sub.i or sub.tag_ in ("WP", "WDT"):
                continue
            ccomp = verb.dep_ == "ccomp" and verb.tag_ in ("VBD", "VBZ", "VBP")
            if ccomp and self.position(verb.head) < k:
                # A run-on line: "I want a refund my order was wrong" (the parser hangs the
                # second clause on the trigger verb, outside the wanted thing)
                if i > k and self.words[i - 1] not in ("that", "because", "so", "if"):
                    return True
            if verb.dep_ not in ("ROOT", "conj"):
                continue
            if verb.tag_ in ("VBZ", "VBD", "VBN") or any(
                c.tag_ == "MD" or c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ")
                for c in verb.children
            ):
                return i > k
        return False

    def refusal_at(self, i: int) -> bool:
        """Token ``i`` opens the subject of a negated modal verb: after a failed attempt,
        what refused ("... on one of our older PCs Firefox wont open", "pay the bill the
        app wouldn't let me"), which the parser may read as a relative clause."""
        tok = self.toks[i]
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.left_edge.i != tok.i:
            if not (tok.dep_ in ("det", "poss", "compound") and tok.head.dep_ == "nsubj"):
                return False
            tok = tok.head
        verb = tok.head
        children = list(verb.children)
        return (
            verb.i > tok.i
            and any(c.dep_ == "neg" for c in children)
            and any(c.tag_ == "MD" for c in children)
        )

    def pronoun_clause_at(self, k: int, i: int) -> bool:
        """Token ``i`` is a pronoun that opens a new clause: "to eat my gorditas I opened
        the box". After a failed attempt also "it", which there usually opens what went
        wrong ("every time I try to open the app it freezes", "log in it says ...",
        "tried to add a card it just spins") rather than a relative clause of the goal's
        object ("open the file it sent me", where the verb after "it" hangs inside the
        goal)."""
        if i + 1 >= self.n or self.relative_before(k, i):
            return False
        if (
            self.words[i] == "it"
            and i + 2 < self.n
            and self.words[i + 1] in ("'s", "has")
            and self.words[i + 2] == "been"
            and self.tags[i - 1] in _NOUN_TAGS
        ):
            return True  # "Freeze my account it's been hacked": what happened, a new clause
        if self.words[i] == "it" and self.family == "failure":
            if self.words[i + 1] in _WENT_WRONG or self.tags[i + 1] == "MD":
                return True
            if self.tags[i + 1] not in ("VBD", "VBZ", "VBP"):
                return False
            return not k <= self.position(self.toks[i + 1].head) < i
        if self.words[i] not in ("i", "we", "he", "she", "they"):
            return False
        if self.tags[i + 1] not in ("VBD", "VBZ", "VBP", "MD"):
            return False
        return self.words[i - 1] not in _CLAUSE_LINKS and self.tags[i - 1] not in ("IN", "WRB")

    def relative_before(self, k: int, i: int) -> bool:
        return any(self.tags[j] in ("WDT", "WP", "WRB") for j in range(k, i))

    def while_phrase(self, k: int) -> bool:
        """'while' opens a situation without a clause: 'while stopping', 'while on holiday'."""
        return k < self.n and (
            self.tags[k] == "VBG"
            or (self.words[k] in ("on", "in", "at", "abroad", "away") and k + 1 < self.n)
        )

    def failed_after(self, k: int) -> bool:
        """'after/before' and a gerund, after a failure: when the attempt failed ("Not
        able to login after reinstalling the app"). A want keeps it as part of the goal:
        "I wish I could edit a message after sending it" wants a sent message edited."""
        return (
            self.family == "failure"
            and k + 1 < self.n
            and self.words[k] in ("after", "before")
            and self.tags[k + 1] == "VBG"
        )

    def finite_verb_soon(self, k: int) -> bool:
        """A finite verb within a few words of ``k``, before any punctuation: a clause."""
        for j in range(k, min(k + 6, self.n)):
            if self.is_punct(j):
                return False
            if self.tags[j] in ("VBZ", "VBD", "VBP", "MD"):
                return True
        return False

    def clause_follows(self, k: int) -> bool:
        """A subject and a finite verb follow (a clause, not 'before switching phones')."""
        if k >= self.n:
            return False
        if self.tags[k] in ("VBG", "VBN") or self.is_punct(k):
            return False
        return self.has_finite_verb(k, 5)

    def new_clause_after(self, k: int) -> bool:
        if k < self.n and self.words[k] in _NEW_REQUEST_WORDS:
            return True  # "..., and also ...", "and please ...": a new request
        if k >= self.n:
            return False
        word, tag = self.words[k], self.tags[k]
        if tag == "PRP" or tag == "MD" or tag in ("VBD", "VBZ", "EX"):
            return True
        if word in _CLAUSE_STARTERS:
            return True
        if k in self.trigger_starts:
            return True
        for j in range(k, min(k + 5, self.n)):
            if j > k and (self.words[j] == "so" or self.words[j] in _HARD_STOP):
                break  # "by skill and distance so the first visit fixes it": an outcome's
            if self.toks[j].dep_ in ("nsubj", "nsubjpass", "expl"):
                return True
            if self.tags[j] in _VERB_TAGS or self.is_punct(j):
                break
        return False

    def trim(self, k: int, end: int) -> int:
        end = self.trim_words(k, end)
        # "cancel my subscription for a week", "pay with my card three times"
        text = self.low[self.starts[k] : self.starts[end - 1] + len(self.toks[end - 1].text)]
        # When it is wanted is no part of any goal: "I need my card right now".
        when = _TRAILING_WHEN.search(text)
        if when and when.start() > 0:
            end = self.trim_words(k, self.tok_at(self.starts[k] + when.start()))
            text = text[: when.start()]
        # Only after a failure is a duration how long they tried, not part of the job
        # ("pause a delivery for one week" keeps it).
        tail = _TRAILING_TIME.search(text) if self.family == "failure" else None
        if tail and tail.start() > 0:
            end = self.trim_words(k, self.tok_at(self.starts[k] + tail.start()))
        return end

    def trim_words(self, k: int, end: int) -> int:
        while end - 1 > k:
            word = self.words[end - 1]
            tag = self.tags[end - 1]
            if word == ")" and any(self.aside_end(j) == end - 1 for j in range(k, end - 1)):
                break  # the aside the wanted thing read through: "(firefox quantum)"
            if (
                self.is_punct(end - 1)
                or _EMOJI_ONLY.match(word)  # "option in honor band 4 😥"
                or word in _TRAIL
                or tag in ("CC", "TO", "WDT")
                or (tag == "DT" and word in _ARTICLES)
            ):
                end -= 1
                continue
            if word == "well" and self.words[end - 2] == "as":
                end -= 2
                continue
            if tag == "IN" and word not in ("in", "on", "up", "out", "off", "down", "over"):
                end -= 1
                continue
            if (
                word in ("in", "on")
                and self.question
                and self.tags[end - 2] in _NOUN_TAGS
                and self.lemmatize(self.words[k]) not in _PARTICLE_VERBS
            ):
                end -= 1  # "use my account in": stranded (not "log in", "turn the sound on")
                continue
            if word == "back" and self.words[k] in ("bring", "put"):
                end -= 1
                continue
            if word == "way" and end - 3 > k and self.words[end - 3 : end - 1] == ["by", "the"]:
                end -= 3  # "solve this by the way": an aside, not how
                continue
            if word == "more" and end - 2 > k and self.words[end - 2] == "any":
                end -= 2  # "enable the tracker any more"
                continue
            break
        return end

    # --- filters -------------------------------------------------------------------

    def text_of(self, part: Part) -> str:
        a = self.starts[part.start]
        b = self.starts[part.end - 1] + len(self.toks[part.end - 1].text)
        return self.low[a:b]

    def acceptable(self, part: Part, outcome: bool = False) -> bool:
        text = self.text_of(part)
        if not re.search(r"[a-z]", text) or LINK.search(text) or ".com/" in text:
            return False  # no words, or a link ("won't let me https://t.co/..."): no goal
        if not outcome and P.STOP_MOTIVATION.match(text):
            return False
        words = text.split()
        if part.kind in ("verb", "gerund") and (
            (len(words) == 1 and self.lemmatize(words[0]) in _GENERIC_VERBS)
            or (
                len(words) == 2
                and words[1] in _BARE_OBJECTS
                # "I tried to buy something and it was declined": a payment that failed
                and not (
                    words[1] == "something"
                    and self.family == "failure"
                    and self.lemmatize(words[0]) in _PAYING
                )
            )
        ):
            return False  # "to start", "find any", "do it", "go about doing": no job in it
        if (
            part.kind in ("verb", "gerund")
            and self.lemmatize(words[0]) in ("find", "get", "receive")
            and len(words) > 1
            and set(words[1:]) <= P.STOP_NOUNS | {"a", "an", "the", "any", "some", "fix"}
        ):
            return False  # "Can't find a solution", "get an answer": nothing of their own
        if part.kind in ("verb", "gerund") and _THIS_PROBLEM.match(" ".join(words[1:])):
            return False  # "help me fix this problem", "making this change": named elsewhere
        if part.kind in ("clause", "noun", "verb") and _VAGUE_CLAUSE.match(text):
            return False  # "this shirt to work", "it worked"
        if not outcome and not any(
            self.tags[j] in _CONTENT_TAGS for j in range(part.start, part.end)
        ):
            return False  # "so why need to now"
        if part.kind in ("verb", "clause") and not outcome and _RESOLVED.match(text):
            return False  # "(I need this to) be fixed this week": no goal named
        if part.kind in ("verb", "gerund") and not outcome:
            after = range(part.start + 1, part.end)
            has_noun = any(self.tags[j] in _NOUN_TAGS or self.tags[j] == "CD" for j in after)
            if len(words) > 1 and words[1] in _PRONOUN_OBJECTS and not has_noun:
                return False  # "delete it", "wear it as tight": the goal is not named
            if words[0] in _NEEDS_OBJECT and len(words) > 1 and self.tags[part.start + 1] == "IN":
                return False  # "use after the last update"
        # "a refund for my cancelled flight" names what it is for (not "a refund asap")
        named_refund = part.kind == "noun" and _REFUND_FOR.match(text) is not None
        if part.kind == "noun" and not outcome and not named_refund:
            bare = re.sub(
                r"^(?:(?:an?|the|my|our)\s+)?(?:(?:further|more|additional|extra|some|any"
                r"|urgent|immediate|full|proper|complete|clear|formal|written|sincere|official)"
                r"\s+)*",
                "",
                text,
            )
            head = bare.split()
            if (
                _SWITCHING.match(text)
                or _SIZE.match(text)
                or _VARIANT.search(text)
                or _DURATION.match(bare)
                or bare in P.STOP_NOUNS
                or (
                    head
                    and head[0] in P.STOP_NOUNS
                    and (len(head) == 1 or head[1] in _STOP_NOUN_FOLLOWERS)
                )
            ):
                return False  # "an alternative app", "the white one", "further assistance"
        if part.kind == "noun":
            nouns = [
                self.words[j] for j in range(part.start, part.end) if self.tags[j] in _NOUN_TAGS
            ]
            if (len(words) == 1 and words[0] in _VAGUE_NOUNS) or (
                len(nouns) == 1
                and nouns[0] in _VAGUE_NOUNS
                and nouns[0] == words[-1]
                and set(words[:-1]) <= _PLAIN
            ):
                return False  # "an easy time", "better support"
        if (
            part.kind == "noun"
            and not any(
                self.tags[j] in _NOUN_TAGS or self.tags[j] in ("CD", "FW")
                for j in range(part.start, part.end)
            )
            # "add more anime": a noun the tagger read as an adjective, after a quantifier
            and not (
                self.family == "request"
                and part.end - part.start == 2
                and self.words[part.start] in ("more", "some")
                and self.tags[part.end - 1] == "JJ"
                and not _ADJECTIVE_ENDING.search(self.words[part.end - 1])
                and not (part.end < self.n and self.tags[part.end] in _NOUN_TAGS)
            )
        ):
            return False  # "needs remodeled"
        if part.kind == "noun" and _QUANTITY.match(text):
            return False  # "every export needs ten minutes of cleanup"
        if part.kind == "noun" and not named_refund:
            if set(words) <= P.STOP_NOUNS | {"a", "an", "the", "some", "any", "more"}:
                return False
            if (
                words[0] in P.STOP_NOUNS
                and words[0] != "more"
                and (len(words) == 1 or words[1] in _STOP_NOUN_FOLLOWERS)
            ):
                return False  # "help with my invoice", "a refund asap"
        # ("whether it shows the zone or not" is no negation)
        negation = re.search(r"(?<!\bor )\bnot\b|n't\b|\bnever\b", text)
        if not outcome and part.kind == "clause" and negation:
            return False  # "it would be great if it wasn't so expensive": a complaint
        return True

    # --- situations and outcomes ---------------------------------------------------

    def fronted_situation(self, clause_start: int) -> Part | None:
        """A situation phrase or clause right before the main clause."""
        if clause_start <= 0:
            return None
        end = clause_start
        while end > 0 and (self.is_punct(end - 1) or self.words[end - 1] in P.DISCOURSE):
            end -= 1
        if end <= 0:
            return None
        start = end
        while start > 0 and not (self.is_punct(start - 1) and self.words[start - 1] != "-"):
            start -= 1
        while start < end and self.words[start] in P.DISCOURSE:
            start += 1
        if start >= end or end - start > 18:
            return None
        text = self.low[self.starts[start] : self.starts[end - 1] + len(self.toks[end - 1].text)]
        if _SITUATION_IDIOMS.match(text):
            return None
        separated = end < clause_start and self.is_punct(end)
        # "When I go to the site and try to get the charts": the first act is the situation
        joined = (
            end < clause_start
            and self.words[end] == "and"
            and text.startswith(_WHEN_OPENINGS)
            and self.words[clause_start] in ("try", "tried", "trying", "attempt", "attempted")
        )
        edge = separated or joined or self.words[clause_start] in ("i", "we", "it", "please", "can")
        if not edge:
            if not (self.words[clause_start] in ("would", "'d") or self.tags[clause_start] == "MD"):
                return None  # no clear edge between the phrase and the main clause
        if self.tags[end - 1] in ("IN", "DT", "TO", "CC"):
            return None  # "in back of": a fragment
        for marker in _SENT_MARKERS_STRIP + ("every time",):
            if text.startswith(marker + " "):
                if marker == "if" and _IF_NOT_SITUATION.match(text):
                    return None
                inner = self.tok_at(self.starts[start] + len(marker) + 1)
                if inner >= end or self.words[inner] in ("i", "we") and inner + 1 >= end:
                    return None
                if all(self.words[i] in _WALK_OVER for i in range(inner, end)):
                    return None  # "When do I need to ...?": a question, not a situation
                if any(w in ("try", "tried", "trying") for w in self.words[inner:end]):
                    return None
                return Part(inner, end, "clause")
        for marker in P.SITUATION_KEEP:
            if text.startswith(marker + " "):
                return Part(start, end, "keep")
        if re.match(r"(?:post|pre)-?\w+$", text):
            return Part(start, end, "keep")  # "Post-update: I can no longer ..."
        return None

    def trailing_situation(self, k: int) -> Part | None:
        """A 'when ...' (or 'while/before/after ...') clause after the motivation."""
        if k < self.n and self.words[k] == ",":
            k += 1
        if k >= self.n:
            return None
        rest = self.rest(k)
        when = _WHEN_BEFORE_SITUATION.match(rest)
        if when:
            # "use my card today when I went out for lunch": the day the goal was cut off
            k = self.tok_at(self.starts[k] + when.end())
            rest = self.rest(k)
        reason = _REASON_BEFORE_SITUATION.match(rest)
        if reason:
            # "log on to the app due to a network error when my wifi is fine"
            k = self.tok_at(self.starts[k] + reason.end())
            rest = self.rest(k)
        update = P.UPDATE_PHRASE.match(rest)
        if update:
            end = self.tok_at(self.starts[k] + update.end())
            return Part(k, self.trim_words(k, end), "keep")
        for marker in _SENT_MARKERS_STRIP:
            if rest.startswith(marker + " "):
                if marker == "if" and _IF_NOT_SITUATION.match(rest):
                    return None
                inner = self.tok_at(self.starts[k] + len(marker) + 1)
                # "lap splits for better analysis when jogging": the act, no subject
                gerund = inner < self.n and self.tags[inner] == "VBG" and marker != "if"
                if not (gerund or self.clause_follows(inner)):
                    return None
                end = self.trim(inner, self.scan_end(inner, "verb" if gerund else "clause"))
                return Part(inner, end, "clause") if end > inner else None
        for marker in _SENT_MARKERS_KEEP:
            # "while stopping between exercises", "while on vacation overseas"
            phrase = (marker == "while" and self.while_phrase(k + 1)) or self.failed_after(k)
            if rest.startswith(marker + " ") and (phrase or self.clause_follows(k + 1)):
                end = self.trim(k + 1, self.scan_end(k + 1, "clause"))
                return Part(k, end, "keep") if end > k + 1 else None
        return None

    def outcome(self, k: int, family: str | None = None) -> Part | None:
        """'so I can X' -> X; 'so that my team can X' -> 'my team can X'; 'in order to X'.

        A "so ..." clause that tells what followed is a consequence, not an outcome: after
        a failure ("I can't link my band, so I can't track my progress"), an inability
        anywhere ("so I cannot use it"), or what the customer did or needs next ("so I
        just use another app", "so I need some help").
        """
        if k >= self.n:
            return None
        rest = self.rest(k)
        when = _LEADING_WHEN.match(rest)
        if when:  # the goal's when, trimmed off it
            k = self.tok_at(self.starts[k] + when.end())
            if k >= self.n:
                return None
            rest = self.rest(k)
        cue = P.OUTCOME_SO.match(rest)
        if not cue:
            return None
        inner = self.tok_at(self.starts[k] + cue.end())
        if inner >= self.n:
            return None
        cue_words = cue.group(0).split()
        if ("so" in cue_words or "way" in cue_words) and "as" not in cue_words:
            i_can = P.OUTCOME_I_CAN.match(self.rest(inner))
            if i_can:
                inner = self.tok_at(self.starts[inner] + i_can.end())
                kind = "verb"
            elif self.tags[inner] in ("PRP", "NN", "NNS", "NNP", "DT", "PRP$", "EX"):
                kind = "clause"
                if self.past_clause(inner):
                    return None  # "so I ordered the small instead": a consequence
                clause = self.rest(inner)
                if P.INABILITY.match(clause):
                    return None
                # "so I just use another app" tells what followed; "so that we stop
                # driving out to empty houses" what it is for.
                if P.FIRST_PERSON_NEXT_STEP.match(clause) and "that" not in cue_words:
                    return None
                if family == "failure" and "that" not in cue_words:
                    return None
            else:
                return None
        elif "sure" in cue_words:
            kind = "clause"  # "to make sure everything went through"
        else:
            kind = "verb"
        if inner >= self.n:
            return None
        end = self.trim(inner, self.scan_end(inner, kind))
        if end <= inner:
            return None
        part = Part(inner, end, kind)
        return part if self.acceptable(part, outcome=True) else None

    # --- "I bought these boots to wear on long hikes" ------------------------------

    def adoption_jobs(self, taken: list[tuple[int, int]]) -> list[Found]:
        found = []
        for match in P.ADOPTION.finditer(self.low):
            a = self.tok_containing(match.start())
            if any(lo <= a < hi for lo, hi in taken):
                continue
            _, negated, subject = self.walk_left(a)
            if negated or subject is None or not self.person_like(subject):
                continue
            if self.words[subject] not in ("i", "we") and self.tags[subject] == "PRP":
                continue
            if subject > 0 and (
                self.tags[subject - 1] in _NOUN_TAGS or self.words[subject - 1] in _RELATIVE_HEADS
            ):
                continue  # "the vegetables we ordered would have to be substituted"
            end_word = self.tok_containing(match.end() - 1)
            for j in range(end_word + 1, min(end_word + 10, self.n - 1)):
                if self.is_punct(j) or self.words[j] in _HARD_STOP or self.words[j] == "so":
                    break
                if self.tags[j] in ("MD", "VBD", "VBZ", "CC"):
                    break  # another clause: "bought some and they were marked to expire"
                if self.words[j] == "to" and self.tags[j + 1] == "VB":
                    if j == end_word + 1 and self.words[end_word] in (
                        "used",
                        "use",
                        "got",
                        "get",
                    ):
                        break  # "I used to love it", "we got to see the show": no purpose
                    if self.words[end_word] in ("got", "get") and self.words[j + 1] in (
                        _WORKS_VERBS
                    ):
                        break  # "I can get the program to run": made it work, no purpose
                    self.family = "purpose"
                    part = self.complement(j + 1, "vp", False)
                    if part and self.acceptable(part):
                        job = Found("purpose", part)
                        job.outcome = self.outcome(part.end)
                        found.append(job)
                        taken.append((a, part.end))
                    break
        return found
