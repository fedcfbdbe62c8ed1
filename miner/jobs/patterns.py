"""Regular expressions and word lists for finding jobs.

Everything here works on lower-cased text whose curly quotes were straightened
(see :func:`normalise`), which keeps character offsets identical to the input.

Two uses:

* ``CANDIDATE`` (the pre-filter) is the union of every trigger regex below. A job can
  only come from a trigger match, so a sentence that does not match ``CANDIDATE``
  cannot hold a job and is never parsed. The filter is exact: turning it off changes
  speed, not results.
* ``TRIGGERS`` is the table the rules use on parsed candidate sentences. Each entry
  ends where the wanted thing (the complement) starts; the rules then read the
  complement with the tagger and parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Same-length replacements only, so offsets into the normalised text are offsets
# into the original text.
_STRAIGHTEN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Lower-case and straighten quotes without changing the length of ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters (e.g. 'İ') grow when lower-cased; fall back per character.
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return lowered.translate(_STRAIGHTEN)


# How the job rules read a text with the one sentence splitter
# (:func:`miner.sentences.sentence_spans`): whole sentences, not contrast clauses ("but"
# may sit inside a job), over the whole text, each piece at most ``max_chars`` long.
SENTENCE_OPTIONS = {"clauses": False, "max_text_chars": None, "max_segments": None}
MAX_SENTENCE_CHARS = 1000


# --- vocabulary -------------------------------------------------------------------

# Positive adjectives of "it would be great if/to ..." and "<thing> would be great".
_GOOD = (
    r"(?:great|nice|awesome|helpful|useful|handy|amazing|cool|lovely|fantastic|wonderful|good"
    r"|ideal|brilliant|excellent|perfect|convenient|fab|fabulous|neat|sweet|super|appreciated"
    r"|beneficial|valuable|better|best|terrific|swell|effective|efficient|practical|intuitive"
    r"|logical|sensible|smart|smarter"
    r"|a (?:plus|bonus|lifesaver|life saver|game changer|(?:big|huge|great|real) help"
    r"|(?:great|nice|welcome|good|useful|big|huge) (?:addition|feature|touch|idea|improvement"
    r"|upgrade|help|bonus|plus)|nice to have|must))"
)
# Verbs whose request means "give us this thing": the verb is dropped from the
# motivation ("please add a dark mode" -> "a dark mode").
_PROVIDE = (
    r"add|adding|include|including|implement|implementing|introduce|introducing|build|building"
    r"|create|creating|offer|offering|provide|providing|bring back|bringing back|bring|bringing"
    r"|support|supporting|integrate|integrating|develop|developing|reinstate|restore|restoring"
    r"|put back|put in|show|showing|display|displaying|enable|enabling|allow|allowing|let"
    r"|letting|give|giving|make|making|get|have|contain|containing"
)
_PEOPLE = (
    r"(?:me|us|you|u|users|people|customers|clients|everyone|anyone|them|parents|students"
    r"|teachers|admins|my \w+(?: \w+)?|our \w+(?: \w+)?|the (?:whole )?team)"
)
_NEG_AUX = (
    r"(?:won't|wont|will not|doesn't|doesnt|does not|didn't|didnt|did not|wouldn't|wouldnt"
    r"|would not|don't|dont|do not|never|no longer|can't|cant|cannot|can not|isn't|is not"
    r"|refuses to|refused to)"
)

# --- trigger table ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger pattern.

    ``mode`` says how to read the complement that follows the match:
    ``any`` (verb phrase, noun phrase or clause), ``vp`` (verb phrase only),
    ``np`` (noun phrase, or "a way to <verb phrase>"), ``clause`` (a clause after
    "if"/"wish"), ``provide`` (a request verb captured in group ``verb``),
    ``np_before`` (the noun phrase before the match is the wanted thing),
    ``fragment`` (the whole sentence is "<thing> please").
    ``conditional`` marks "would like/love/be great" forms, where "to see/have"
    is dropped ("would love to see a calendar view" -> "a calendar view").
    ``question_ok`` allows the trigger in questions (requests and failures only).
    """

    name: str
    family: str
    mode: str
    regex: re.Pattern
    conditional: bool = False
    question_ok: bool = False
    person_subject: bool = False


def _t(name, family, mode, pattern, **flags) -> Trigger:
    return Trigger(name, family, mode, re.compile(pattern), **flags)


TRIGGERS: tuple[Trigger, ...] = (
    # requests -----------------------------------------------------------------
    _t(
        "why_cant",
        "request",
        "vp",
        r"\bwhy\s+(?:can't|cant|can not|cannot|couldn't|can)\s+(?:i|we|you|u|users|one|people)"
        r"(?:\s+(?:just|simply|even|still|not))*\s+",
        question_ok=True,
    ),
    _t(
        # "Why don't you add a dark mode?", "why not bring back the old widget"
        "why_dont_you",
        "request",
        "provide",
        r"\bwhy\s+(?:not|(?:don't|dont|do not|won't|wont|didn't|didnt)\s+(?:you|u|they)"
        r"(?:\s+guys)?)\s+(?:just\s+|simply\s+)?(?P<verb>" + _PROVIDE + r")\b",
        question_ok=True,
    ),
    _t(
        # "Why would you remove the ability to view weight over time?": a request told as
        # a complaint about what was taken away
        "removed_ability",
        "request",
        "vp",
        r"\b(?:remove|removed|removing|took away|taken away|take away|taking away|got rid of"
        r"|get rid of|getting rid of|disabled|killed|dropped)\s+(?:the|my|our|your)\s+(?:\w+\s+)?"
        r"(?:ability|option|possibility|feature|function|functionality|way|choice)\s+to\s+"
        # "What happened to the option to track health metrics in graphs?"
        r"|\bwhat\s+happened\s+to\s+(?:the|my|our)\s+(?:\w+\s+)?(?:ability|option|possibility"
        r"|feature|function|functionality|way|choice)\s+to\s+",
        question_ok=True,
    ),
    _t(
        # "they got rid of the weight management feature", "the update removed a great
        # feature that tracked minutes walked": a feature taken away, wanted back (not "I
        # removed the widget": the writer's own doing)
        "removed_feature",
        "request",
        "np",
        r"\b(?:removed|took away|taken away|took down|got rid of|killed"
        r"|dropped)\s+(?=(?:the|their|its|this|that|a|an)\s+(?:[\w-]+\s+){0,3}?(?:feature"
        r"|function|functionality|widget|tracker|monitor|measurement)s?\b)",
        question_ok=True,
    ),
    _t(
        # "the weight management feature is no longer there", "... feature was removed"
        "feature_removed",
        "request",
        "np_before",
        r"(?<=feature |unction | widget |tracker )\s*(?:was|has been|have been|were|is|are)"
        r"\s+(?:now\s+)?(?:removed|gone|no longer (?:there|available))\b",
        question_ok=True,
    ),
    _t(
        # "No music and camera option in honor band 4": a missing option named, opening
        # the sentence
        "no_option",
        "request",
        "np",
        r"\bno\s+(?!(?:problems?|issues?|complaints?|bugs?|trouble|glitch\w*|lag\w*"
        r"|crash\w*|worries|hassle|need|longer|other)\b)"
        r"(?=(?:[\w-]+\s+){1,4}?(?:option|feature|function|mode|setting)s?\b"
        # "No option in settings to X" names X (the no_way_to trigger)
        r"(?!\s+(?:(?:in|on|within)\s+(?:the\s+)?\w+\s+)?(?:for (?:me|us|users) )?to\b))",
        question_ok=True,
    ),
    _t(
        "why_no",
        "request",
        "np",
        r"\bwhy\s+(?:is there (?:still |yet )?no|isn't there(?: still| yet)?(?: a| an| any)?"
        r"|there (?:is|are) (?:still )?no"
        r"|is there (?:still )?not(?: a| an| any)?|is there still no|there's still no"
        r"|there's no|there is no|no|don't you have(?: a| an| any)?|is no"
        r"|doesn't (?:it|this|the \w+) have(?: a| an| any)?)\s+",
        question_ok=True,
    ),
    _t(
        "is_there_a_way",
        "request",
        "vp",
        r"\b(?:is|are)\s+there\s+(?:a|any|an|some)\s+(?:\w+\s+)?(?:way|option|setting|possibility"
        r"|chance|feature|button|function|trick|method|process|procedure)s?\s+"
        r"(?:for (?:me|us) )?to\s+"
        r"|\bare\s+there\s+(?:other\s+|any\s+other\s+)?ways\s+(?:for (?:me|us) )?to\s+"
        # "is there any way I can upgrade early?"
        r"|\b(?:is|are)\s+there\s+(?:a|any|an|some)\s+(?:\w+\s+)?(?:way|option|possibility)s?"
        r"\s+(?:that\s+)?(?:i|we|u)\s+(?:can|could|might)\s+(?:be\s+able\s+to\s+)?"
        r"|\b(?:is|would|will)\s+it\s+(?:be\s+)?(?:possible|okay|ok|alright|allowed)"
        r"\s+(?:for (?:me|us) )?(?:to|2)\s+"
        # "Can anyone suggest a way to get the right codec?", "does anyone know a way to"
        r"|\b(?:suggest|recommend|show\s+(?:me|us)|tell\s+(?:me|us)|know(?:\s+of)?)\s+(?:a|any"
        r"|an|some)\s+(?:\w+\s+)?(?:way|method|trick)s?\s+(?:for (?:me|us) )?to\s+"
        # "Find a way to give steps for cyclists", "PLEASE at least make a way to sync ..."
        # (only as an imperative, read before the match: _ASKED_BEFORE in the rules)
        r"|\b(?:find|make|create)\s+(?:a|some)\s+way\s+(?:for (?:me|us|users) )?to\s+"
        # "If there is a way to reset without losing my data, that would be great", "I
        # don't know if there is a way to upgrade it"
        r"|\bif\s+there\s+(?:is|was|were|'s)\s+(?:a|any|an|some)\s+(?:\w+\s+)?(?:way|option"
        r"|possibility|setting|feature|method|procedure)s?\s+(?:for (?:me|us) )?to\s+"
        # "I would like to know if it is possible to watch IPTV channels within VLC"
        r"|\b(?:know|wondering|wonder|asking|ask)\s+(?:if|whether)\s+(?:it\s+is|it's|its"
        r"|it\s+would\s+be)\s+possible\s+(?:for (?:me|us) )?to\s+",
        question_ok=True,
    ),
    _t(
        "no_way_to",
        "request",
        "vp",
        r"\b(?:no|not a|not any|zero|(?:isn't|wasn't|is not|was not|aren't|weren't|there's not"
        r"|there is not)\s+(?:an?|any))\s+(?:\w+\s+)?(?:way|option|button|setting|feature|ability"
        r"|means|possibility|function|functionality|place|shortcut|menu|link|toggle|facility)s?\s+"
        # "No option in app to separate steps", "No Option in Settings to turn it off"
        r"(?:(?:in|on|within)\s+(?:the\s+)?(?:app|settings?|menu|watch|phone|website)\s+)?"
        r"(?:for (?:me|us|users) )?to\s+"
        # "It does not provide the option to measure my heart rate", "this app didn't have
        # the utility to see the swimming activity"
        r"|\b(?:doesn't|doesnt|does not|didn't|didnt|did not|don't|dont|do not|no longer)"
        r"\s+(?:provide|have|offer|give|gives|has)\s+(?:the|an?|any)\s+(?:\w+\s+)?(?:option"
        r"|ability|utility|way|feature|possibility|function|functionality|setting)\s+"
        r"(?:for (?:me|us|users) )?to\s+"
        # "There is nowhere in the device settings to enable automatic spo2 tracking"
        r"|\bnowhere\s+(?:(?:in|on|within)\s+(?:[\w-]+\s+){1,4})?to\s+(?!be\b)",
        question_ok=True,
    ),
    _t(
        # a title: "Option to export to CSV", "Additional option to load subtitles from
        # MRL" (a sentence of its own with no verb of a statement: not "The option to pay
        # later was great", not "Way to go")
        "option_title",
        "request",
        "vp",
        # (not "Way to ruin your reputation": sarcasm; not "Ability to count calories,
        # a vast library of foods, ...": a list of what it has)
        r"^\s*(?:(?:an?|the|additional|an additional|more|new|a new)\s+)?(?:option|ability"
        r"|setting|possibility)s?\s+to\s+"
        r"(?![^.!?]*(?:,|\b(?:is|was|are|were|has|had|have|works|worked|does|did|do|would"
        r"|will|should|could|can|i|it)\b))",
    ),
    _t(
        # "no option for e-MTB yet", "no support for Garmin watches"
        "no_option_for",
        "request",
        "np",
        r"\bno\s+(?:\w+\s+)?(?:option|setting|support|button|toggle)s?\s+for\s+"
        r"(?!(?:me|us|you|u|it|this|that|them|him|her|now|the moment|a while|long)\b)",
        question_ok=True,
    ),
    _t(
        # "The only thing missing is a way to export", "just lacking the option of seeing ..."
        "missing",
        "request",
        "np",
        r"\b(?:only|one|main|biggest)\s+thing\s+(?:that's\s+|that\s+is\s+|it's\s+|it\s+is\s+)?"
        r"(?:missing|lacking)\s+(?:is|are|would be)\s+"
        # "what is missing is a bar code scanner", "still missing the integration with Strava"
        r"|\bwhat(?:\s+is|'s|\s+i\s+miss)\s+(?:missing\s+)?(?:is|are)\s+(?=(?:an?|the|some)\s)"
        r"|\bstill(?<!\bam still)(?<!'m still)(?<!\bare still)(?<!'re still)\s+missing\s+"
        r"(?=(?:an?|the)\s)"
        # "(Like the app but) missing the option to track blood pressure"
        r"|\bmissing\s+(?:the\s+|an\s+|any\s+)?(?=(?:option|ability|possibility|way)\s+to\s)"
        r"|\b(?:lacks|lacking|is\s+missing|are\s+missing)\s+(?:the\s+|a\s+|an\s+|any\s+)?"
        r"(?=(?:option|ability|feature|way|possibility|function|functionality|setting"
        r"|integration)s?\b)",
        question_ok=True,
    ),
    _t(
        # "If only it synced with Strava" (not "if only I had ordered the petite": regret)
        "if_only",
        "want",
        "any",
        r"\bif\s+only\s+(?=(?:it|this|the|they|you|there|i|we)\b)",
    ),
    _t(
        # "Please help me with the activation of my new card", "help with downloading Firefox"
        # (the action asked for; "help with my invoice" names no action)
        "help_with",
        "request",
        "np",
        r"\b(?:please|pls|plz|kindly|can you|could you|would you|can someone|could someone"
        r"|can anyone|could anyone|can somebody)\s+(?:\w+\s+)?(?:help|assist)\s+"
        r"(?:me\s+|us\s+)?(?:with|in)\s+(?:the\s+|my\s+|our\s+)?(?=\w+(?:ing|tion|ment|sion)\b)",
        question_ok=True,
    ),
    _t(
        "should_be",
        "request",
        "np",
        r"\bthere\s+(?:should|needs to|has to|must|ought to)\s+be\s+(?:an?\s+|some\s+|more\s+)?"
        r"(?=\w)"
        # "There should a function to sync my data" (a word left out)
        r"|\bthere\s+should\s+(?:an?|some)\s+(?=\w)",
    ),
    _t(
        "you_should",
        "request",
        "provide",
        r"\b(?:you|u|they|it|the app|this app|app)(?: guys)?\s+(?:really\s+)?"
        # not "should have added", "it should have gone through by now": what was expected
        r"(?:should|need to|needs to|must|ought to)\s+(?!have\s+(?:\w+ed|been|gone|done|come"
        r"|got|gotten|taken|given|shown|seen|known|sent|arrived)\b)"
        r"(?:really\s+|definitely\s+|seriously\s+)?"
        r"(?:consider\s+)?"
        r"(?P<verb>" + _PROVIDE + r")\b",
    ),
    _t(
        # "u have to put more workout options" (not "you have to have the right figure",
        # "you have to create the shortcut yourself": what a customer must do)
        "you_have_to",
        "request",
        "provide",
        r"\b(?:you|u|they|it|the app|this app|app)(?: guys)?\s+(?:really\s+)?(?:have to|has to"
        r"|gotta)\s+(?:really\s+)?(?P<verb>add|include|put back|put|bring back|implement|introduce"
        r"|support|offer|provide|restore|reinstate|integrate)\b",
    ),
    _t(
        # "Huawei should allow ...", "in full screen VLC should display ...", "Should have
        # an opt-out": what the product should do, named or left out (not "I should ...")
        "product_should",
        "request",
        "provide",
        r"(?:^\s*|\b(?!(?:i|we|he|she|you|u|they|it|this|app|who|that|which|there)\b)[a-z0-9]+\s+)"
        r"(?:really\s+|also\s+|definitely\s+)?(?:should|must)\s+(?:really\s+|definitely\s+|also\s+)?"
        # (not "should have stuck with the xsp": a regret told with a past participle)
        r"(?!have\s+(?:\w+ed|been|stuck|made|done|gone|got|gotten|bought|kept|taken|known|seen"
        r"|sent|put|left|chosen|given|worn|run|read|found|brought|thought|told)\b)"
        r"(?P<verb>" + _PROVIDE + r")\b",
    ),
    _t(
        # "Huawei need to add 3rd party weight scales", "retailer needs to provide more
        # xls": what the maker needs to add (not "I need to add a snap", "might need to")
        "product_needs",
        "request",
        "provide",
        # (who needs it is read before the match: _MAKER_BEFORE_NEED in the rules)
        r"\bneeds?\s+to\s+(?:really\s+|also\s+)?(?P<verb>add|adding|include|implement|introduce"
        r"|integrate|provide|support|offer|bring back|reinstate|restore|enable)\b",
    ),
    _t(
        # "Please delete this account", "Can you cancel the transfer": a service action
        # asked for; the verb is the job, so it is kept (unlike "please add X").
        "ask_action",
        "request",
        "vp",
        r"(?:\b(?:please|pls|plz|kindly|can you|could you|would you|can u|could u|will you"
        r"|are you able to|would you be able to)"
        r"(?:\s+(?:please|pls|plz|kindly|just|also|maybe))*\s+"
        # "Freeze my account it's been hacked": the action asked for, opening the message
        r"|^\s*(?=(?:freeze|unfreeze|cancel|block|unblock|delete|close|terminate|deactivate"
        r"|reverse|refund|remove|shut\s+down)\s+(?:all\s+)?(?:my|our)\s+(?:[\w-]+\s+)?(?:account"
        r"|card|subscription|order"
        r"|transfer|payment|membership|profile|plan|booking|transaction|direct debit)s?\b))"
        r"(?=(?:cancel|delete|remove|close|terminate|change|transfer|reset|unlock|unblock|block"
        # "can you expand your food data base", "please partner with Weight Watchers"
        r"|expand|partner with|roll back"
        r"|freeze|locate|investigate|dispute|resend|reissue|unlink"
        r"|unfreeze|move|return|reverse|revert|undo|activate|deactivate|upgrade|downgrade|increase"
        r"|extend|reduce|lower|raise|merge|replace|expedite|refund|translate|check|verify"
        r"|confirm|update (?!(?:this|the|your|it|to)\b)|deliver (?=(?:the|my)\b)|resend"
        r"|look\s*up|shut down"
        r"|reactivate|disable"
        # What the company is asked to do, so the statement names it ("I want you to send
        # my refund"): "Please send my refund now", "can you please reroute the payment",
        # "Can you track my card for me?", "Please reimburse my money", "Please update the
        # maps", "please improve your search" (not "please update the app": a fix asked
        # for, no goal named)
        r"|(?P<you_do>send (?=(?:my|a|an|another|the|new)\b)|reimburse|reroute|redirect"
        r"|track (?=(?:my|the|a|an|down|who|where|which|what)\b)|review (?=my\b)"
        r"|limit (?=my\b)|pay (?=(?:it|them|this|that|my|the) (?:in)?to\b)"
        r"|(?:update|improve|enhance|revamp|redesign|rework) (?=(?:the|your) (?!(?:app"
        r"|application|software|firmware|version|update|bugs?|issues?|problems?)\b)\w))"
        # "Please put a freeze on my card", "place a hold on my account"
        r"|(?:put|place) (?:a |an )?(?:freeze|block|hold|stop|lock) on)\b)",
        question_ok=True,
    ),
    _t(
        # "Great app but could do with a widget", "the app could use a dark mode" (not "you
        # could use another app": advice)
        "could_use",
        "request",
        "np",
        r"(?<!\byou )(?<!\bu )\bcould\s+(?:really\s+|definitely\s+|seriously\s+)?"
        r"(?:do\s+with|use)\s+(?=(?:an?|some|more|better|a few|another)\s)",
    ),
    _t(
        # "Could improve by adding a feature to record naps"
        "improve_by",
        "request",
        "provide",
        r"\b(?:could|can|would|might)\s+(?:be\s+)?(?:improve|improved|better)\s+by\s+"
        r"(?P<verb>adding|including|having|allowing|providing|offering|supporting|letting"
        r"|bringing back)\b",
    ),
    _t(
        # "I'd suggest to modify the sleep menu", "I suggest you add a nap period"
        "suggest_to",
        "request",
        "vp",
        r"\b(?:i|we)(?:'d|\s+would|\s+strongly|\s+also|\s+really)*\s+suggest\s+(?:to\s+"
        r"|that\s+you\s+|you\s+)(?=(?:add|modify|make|include|change|allow|provide|create"
        r"|implement|introduce|put|bring|integrate|expand|remove|let)\b)",
    ),
    _t(
        # "I strongly recommend to Huawei to add new faces"
        "recommend_to",
        "request",
        "provide",
        r"\b(?:recommend|suggest|urge|ask|request)\s+(?:to\s+)?(?!how\b)(?:\w+\s+){0,2}?to\s+"
        r"(?P<verb>add|include|implement|bring back|provide|offer|support|allow|introduce)\b",
    ),
    _t(
        # "When will it get custom watch faces?", "when is the app getting dark mode"
        "when_will_it",
        "request",
        "np",
        r"\bwhen\s+(?:will|would|is|are|does)\s+(?:it|the app|this app|the watch|the band"
        r"|the device|you|they)\s+(?:going\s+to\s+|finally\s+|ever\s+)?(?:get|getting|have"
        r"|support|supporting)\s+(?=\w)",
        question_ok=True,
    ),
    _t(
        "feature_request",
        "request",
        "any",
        r"\b(?:feature request|feature suggestion|suggestion|my request|request)\s+"
        r"(?:is\s+|would be\s+)?(?:to|for)\s+",
    ),
    _t(
        "ask_provide",
        "request",
        "provide",
        r"\b(?:please|pls|plz|plzz|plss|plse|plese|pleasee|pleas|kindly|can you|could you|would you"
        r"|will you|can u|could u|would u|can you guys|could you guys|can y'all|could y'all"
        r"|when will you|will you ever"
        r"|are you going to|are you planning to|are you planning on|do you plan to|do you plan on"
        r"|any plans to|any plans on|any chance to|any chance you could|any chance you can"
        r"|any chance you'll|any chance you will|plans to|hoping you can|hoping you could"
        # "hope they add Spotify support"
        r"|i hope they|hope they|hoping they|hope the (?:devs?|developers?|team)"
        r"|hoping you will|hoping you'll|i hope you can|i hope you will|i hope you'll"
        r"|i hope you|hope you|hope you can|hope you will|consider|how about|what about"
        r"|if you could|if you would|if you guys could|if you can|you could|you guys could)"
        # "Please, make a dark theme!"
        r",?(?:\s+(?:please|pls|plz|just|also|maybe|possibly|perhaps|ever|really|consider|guys))*"
        r"\s+(?P<verb>" + _PROVIDE + r")\b"
        r"(?!\s+(?:is|was|are|were|has|had|have|does|did|do|can|could|will|would|should|keeps?"
        r"|needs|told|said|sorted|took|says|replied|responded|team|agent|agents|staff|ticket"
        r"|person|people|bot|know)\b)",
        question_ok=True,
    ),
    _t(
        "we_get",
        "request",
        "np",
        r"\b(?:can|could|may)\s+(?:we|us)\s+(?:please\s+)?(?:get|have|see)\s+",
        question_ok=True,
    ),
    _t(
        "any_chance_of",
        "request",
        "np",
        r"\b(?:any chance of|any chance for|any plans for|how about|what about|hoping for"
        r"|fingers crossed for|begging for|asking for|vote for|voting for|\+1 for|plus one for)\s+",
        question_ok=True,
    ),
    _t(
        "imperative",
        "request",
        "provide",
        r"(?:^|[:;(\-\u2022*]\s*|\d[.)]\s*|\b(?:and|also|then|plus|oh|and also|so)\s+)"
        r"(?:(?:just|simply|maybe|at least)\s+)?(?P<verb>add|include|bring back|give (?:me|us)"
        r"|allow|enable"
        r"|let (?:me|us)"
        # not the support team's channel: "support chat has been 'connecting you' for 2
        # hours" had been the job "I want chat."
        r"|support(?!\s+(?:chat|line|lines|email|hotline|phone|queue|desk|centre|center|portal"
        r"|page|responses?|repl(?:y|ies)|tickets?|hours|wait)\b)"
        r"|offer|provide|implement|introduce|integrate|reinstate|restore"
        r"|put back|make it)\b"
        # "Support is slow", "Support told me ...", "Let me know": not requests
        r"(?!\s+(?:is|was|are|were|has|had|have|does|did|do|can|could|will|would|should|keeps?"
        r"|needs|told|said|sorted|took|says|replied|responded|team|agent|agents|staff|ticket"
        r"|person|people|bot|know)\b)",
    ),
    _t(
        "would_be_good_if",
        "request",
        "any",
        r"\b(?:would|'d|wd|will|could|might)\s+(?:\w+\s+){0,2}?be?\s+(?:\w+\s+){0,2}?"
        + _GOOD
        # "to have", "if", "for me to", "having"
        + r"\s+(?:(?:for (?:me|us|users) )?to|if|when|having|with"
        # "would be nice I could link to Strava" (no "if")
        + r"|(?=(?:i|we|u|one)\s+(?:could|can)\s))\b\s*",
        conditional=True,
    ),
    _t(
        # "Would be 5 stars if I could record a session on my phone", "I would give five
        # stars if you give me an easy way to sync", "Would be more positive if it showed a
        # calorie budget": the rating it would earn names what is wanted
        "stars_if",
        "request",
        "any",
        r"\b(?:would|'d|will|could)\s+(?:(?:be|give|rate)(?:\s+(?:it|this|this app|you))?\s+"
        r"(?:a\s+)?(?:full\s+)?(?:\d|five|four)\s*-?\s*(?:stars?|\u2606|\u2b50)\s*,?"
        r"|be\s+(?:much\s+|so\s+|even\s+)?(?:more\s+)?(?:positive|happy|happier|satisfied))"
        r"\s+if\s+",
        conditional=True,
    ),
    _t(
        # "If it had an option to flip the data, that would be great": the wish comes first
        "if_it_had",
        "request",
        "provide",
        r"\bif\s+(?:it|the app|this app|the \w+|they|you)\s+(?:only\s+|just\s+|also\s+)?"
        r"(?P<verb>had|has|have|offered|offers|included|includes|supported|supports|showed"
        r"|shows|provided|provides)\b"
        r"(?=[^.!?]{0,150}?(?:,|\bthen)\s*(?:that|it|this(?: app)?|then)\s+(?:would|'d|will)"
        r"\s+(?:\w+\s+){0,2}?be\s+(?:\w+\s+){0,2}?" + _GOOD + r")",
    ),
    _t(
        "would_help_if",
        "request",
        "any",
        r"\b(?:would|'d|will|could)\s+(?:really\s+|also\s+)?(?:help|make (?:my|our) (?:\w+ )?"
        r"(?:life|lives|job|work|day) (?:so much |a lot |much )?(?:easier|better|simpler))"
        r"(?:\s+(?:a lot|greatly|so much|tremendously|immensely|massively|hugely|loads))?"
        r"\s+(?:if|to)\b\s*",
        conditional=True,
    ),
    _t(
        "thing_would_be_good",
        "request",
        "np_before",
        r"\s*\b(?:would|'d|will|could)\s+(?:\w+\s+){0,2}?(?:be|make)\s+(?:\w+\s+){0,2}?"
        # "the android app could be so much better" is a complaint, not a wish
        + r"(?!(?:so |much |way |a lot |far )*(?:better|best|super)\b)"
        + _GOOD
        # "... perfect for you": advice to other customers, not a request
        + r"(?=\s*(?:[.!,;)]|$|\s+(?:too|as well|though|also|imo|lol|tbh|here|or"
        + r"|for(?!\s+(?:you|u|anyone|anybody|someone|those|people|women|men|girls)\b))\b))",
    ),
    _t(
        # "Indian foods should be added": the thing before is asked for
        "thing_should_be_added",
        "request",
        "np_before",
        r"\s*\b(?:should|must|needs? to|has to|have to)\s+(?:also\s+)?be\s+(?:added|included"
        r"|implemented|introduced|supported|made available|available|an option)\b",
    ),
    _t(
        # "Perfect if it could count laps too!": a bare adjective opening the sentence
        "good_if",
        "request",
        "any",
        r"^\s*(?:(?:and|but|so|also|oh)\s+)?" + _GOOD + r"\s+if\s+",
        conditional=True,
    ),
    _t(
        "fragment_please",
        "request",
        "fragment",
        r"^\s*(?:(?:and|also|oh|ok|so|plus)\s+)?"
        # a bare thing: no pronoun, no verb ("This needs fixing asap" is not one)
        r"(?P<np>(?![^.!?,;:]*\b(?:i|you|u|me|it|we|they|he|she|him|her|them|us|is|are|was"
        r"|were|am|be|been|can|could|will|would|should|must|this|that|needs|thanks?)\b)"
        r"[a-z0-9][^.!?,;:]{1,60}?)\s*[,!]?\s*"
        r"(?:please+|pls|plz|asap)\s*[.!]*\s*$",
    ),
    # explicit wants -----------------------------------------------------------
    _t(
        # notes of a meeting or a call, told of the customer, a line each: "wants SCIM
        # deprovisioning", "asks for published per-endpoint limits" (no subject)
        "note_wants",
        "want",
        "any",
        # (not "Wants access to make phone calls", "Asks for huawei id": in an app review
        # the one who asks is the app; not "Asked for a refund twice": a failed attempt;
        # "Would like to see ..." has its own rule)
        r"^\s*(?:(?:customer|client|they|he|she)\s+)?(?:wants|asks\s+for"
        r"|(?:is|are)\s+asking\s+for)\s+(?:to\s+)?"
        r"(?!(?:access|permissions?|my|your|me|us|huawei|samsung|google|location|login"
        r"|an?\s+account)\b)(?=\w)",
    ),
    _t(
        # A sales or CS note's customer, by role ("cust wants done-for-you setup", "CFO
        # wants multi-entity consolidation", "Prospect needs SSO"), also after a clause
        # ("Migration was the blocker, cust wants ..."), and a plural "they" wanting a
        # thing ("they want SSO and a Shopify integration", "They need multi-currency"):
        # a helper's 353 such wants in CRM notes had given 2 distinct jobs. Not what a
        # company wants of a reviewer ("they want you to pay", "They want money").
        "note_role_wants",
        "want",
        "any",
        r"(?:^|[,;:]\s+|\s[-–]\s+)\s*(?:"
        r"(?:the\s+)?(?:cust|custs|customers|clients|prospect|prospects|cfo|ceo|cto|coo|cio"
        r"|controller|buyer|champion|finance\s+team|ops\s+team|it\s+team|their\s+\w+)\s+"
        r"(?:wants?|needs?|asks?\s+for|(?:is|are)\s+asking\s+for)\s+(?:to\s+)?"
        r"|they\s+(?:want|need)\s+(?!to\b|you\b|your\b|me\b|us\b|my\b|our\b|\$|\d|to\s"
        # what a vendor demands of its customers ("they want a monthly fee", "They want a
        # phone number for 2FA", "they need approval from legal first"; not a customer's
        # "approval workflows", "payment reminders", a thing of that name)
        r"|(?:(?:a|an|the|extra|monthly|yearly|annual|more|another|additional|upfront|"
        r"signed|credit|valid)\s+){0,3}(?:fees?|money|cash|payment|charges?|dollars|euros|pounds"
        r"|bucks|subscription|premium|phone\s+number|number|id|documents?|photo|selfie|proof"
        r"|review|rating|approval|sign-?off|verification|details|info|consent|signature|card"
        r"|deposit|tip|commitment|contract|upgrade|login|email(?:\s+address)?|form)"
        r"\b(?!\s+(?:workflows?|links?|flows?|options?|methods?|features?|integrations?"
        r"|screens?|pages?|tools?|management|processing|reports?|reminders?|exports?|settings?"
        r"|controls?|logs?|roles?|levels?|storage|capture|fields?|billing|payments?|waived)\b)))"
        r"(?!(?:access|permissions?|location|login|an?\s+account)\b)(?=\w)",
    ),
    _t(
        "all_i_want",
        "want",
        "any",
        r"\ball\s+(?:that\s+)?(?:i|we)\s+(?:really\s+)?(?:want|need|ask for|'m asking for"
        r"|am asking for|would like|'d like|'m looking for|am looking for|'re looking for"
        r"|are looking for)\s+is\s+(?:for\s+)?",
    ),
    _t(
        # "The only improvement I would make is ...", "One thing I'd like to see, is ..."
        "only_thing_is",
        "request",
        "any",
        # "the only thing is the price", "my only thing is that it runs small": a thing that
        # is wanted only when someone wants it
        r"\b(?<!my )(?<!our )(?:the\s+)?(?:only|one|main|biggest|1|one more)\s+"
        r"(?:(?:improvement|suggestion|request)\s+"
        r"|(?:improvement|suggestion|request|thing|feature)\s+(?:that\s+)?(?:i|we)(?=[\s'])\s*"
        r"(?:(?:would\s+|'d\s+)(?:really\s+)?(?:like|love)|(?:would\s+|'d\s+)?(?:really\s+)?"
        r"(?:want|wish for|ask for|suggest|request|make|add|recommend|need))\s*"
        r"(?:(?:to\s+(?:see|have|ask for|suggest|request|add)|for)\b\s*)?)"
        r"(?:for\s+(?:the\s+)?(?:app|developers?|devs?|garmin|samsung|huawei)\s+)?,?\s*"
        r"(?:is|would be|will be|:)\s+(?:that\s+|to\s+|for\s+)?",
    ),
    _t(
        # "I should be able to resize the widget", "users should have the option to ..."
        "should_be_able",
        "want",
        "vp",
        # (not "you should be able to delete it": a helper's advice)
        r"\b(?:i|we|one|users|people|customers)\s+(?:really\s+)?(?:should|ought to)\s+"
        r"(?:really\s+|definitely\s+|also\s+|at least\s+)?"
        r"(?:be\s+able\s+to|have\s+(?:the\s+|an\s+)?(?:option|ability|choice)\s+to)\s+(?!expect\b)",
    ),
    _t(
        "my_wish_is",
        "want",
        "any",
        r"\b(?:my|our)\s+(?:only\s+|one\s+|biggest\s+|main\s+|big\s+|one\s+big\s+)?"
        r"(?:wish|request|suggestion)\s+(?:is|would be|was|will be)\s+(?:that\s+|for\s+|to\s+)?",
    ),
    _t(
        "would_like",
        "want",
        "any",
        r"\b(?:would|'d|wd|woud|id)(?:\s+(?:really|also|so|very much|definitely|honestly|just"
        r"|truly|absolutely|greatly|much|still|personally))*\s+(?:like|prefer)\b\s*(?:it\s+if\s+)?",
        conditional=True,
    ),
    _t(
        "would_love",
        "request",
        "any",
        r"\b(?:would|'d|wd|woud|id)(?:\s+(?:really|also|so|very much|definitely|honestly|just"
        r"|truly|absolutely|greatly|much|still|personally))*\s+(?:love|appreciate|welcome|enjoy"
        r"|kill for|be grateful for|be thrilled with)\b\s*(?:it\s+)?(?:if\s+)?",
        conditional=True,
    ),
    _t(
        "wouldnt_mind",
        "want",
        "any",
        r"\b(?:wouldn't|wouldnt|would not|'d not|wont)\s+mind\s+(?:if\s+)?",
        conditional=True,
    ),
    _t(
        "want",
        "want",
        "any",
        # Not "if you need them", "what we need.", "wanted to say thanks": the rules would
        # reject these after parsing, so the pre-filter may skip them.
        r"(?<!\byou )(?<!\bu )\b(?:want|wants|wanted|wanna|need|needs|needed"
        r"|needing(?=\s+to\s)|wish|wishes|wished|looking for|look for|searching for|search for"
        r"|hunting for|crave|craving"
        # "I require verification of my source of funds" (the writer's, not "the app requires")
        r"|(?<=\bi )require|(?<=\bwe )require"
        # "I'm looking to upgrade my plan"
        r"|looking to(?=\s+[a-z]))\b"
        r"(?!\s*(?:[.!?,;)]|$|(?:them|it|this|that|me|you|him|her|us)\s*(?:[.!?,;)]|$)))"
        r"(?!\s*(?:to\s+)?(?:say|thank|let (?:you|u) know|know\b(?!\s+(?:how|where)\s+to))\b)"
        r"\s*",
        person_subject=True,
    ),
    _t(
        "hope",
        "want",
        "hope",
        r"\b(?:hope|hopes|hoping|hoped)\s+(?:to\s+|for\s+)",
    ),
    _t(
        # "i hope they put more emphasis on carb intake", "Hope this app can sync better":
        # what the maker is hoped to do
        "hope_maker",
        "want",
        "vp",
        r"\bhope\s+(?:that\s+)?(?:this app|the app|they|you|u|the devs?|developers|samsung|garmin"
        r"|huawei)\s+(?:will\s+|can\s+|could\s+|would\s+)?(?=(?:add|put|bring|include|allow|sync"
        r"|let|support|offer|provide|show|make it)\b)",
    ),
    _t(
        # "I also miss the calories over/under that used to be available": wanted back
        "miss_the",
        "request",
        "np",
        r"\bi\s+(?:really\s+|truly\s+|also\s+|do\s+|so\s+)?miss\s+(?=the\s+)",
    ),
    # jobs implied by failures ---------------------------------------------------
    _t(
        "try_to",
        "failure",
        "vp",
        r"\b(?:try|tries|tried|trying|attempt|attempts|attempted|attempting|attemped)(?:\s+(?:again"
        r"|repeatedly|multiple times|several times|many times|twice|hard|so hard|for ages"
        r"|for days|for hours|desperately|in vain|my best|all i can"
        # a remedy is no goal: "tried everything to fix it"
        r"|everything(?=\s+to\s+(?!(?:fix|solve|resolve|repair|sort)\b))))?\s+to\s+"
        # "I tried topping up my account and it's still pending"
        r"|\b(?:tried|attempted)\s+(?!(?:every|some|any|no)thing\b)(?=[a-z]{3,}ing\b)"
        r"|\btryna\s+",
        question_ok=True,
        person_subject=True,
    ),
    _t(
        # "I attempted a transfer and it didn't go through": a payment tried, named as a noun
        "tried_noun",
        "failure",
        "np",
        r"\b(?:tried|attempted|attemped)\s+(?=(?:a|an)\s+(?:transfer|payment|top[- ]?up"
        r"|withdrawal|purchase|deposit|transaction)\b)",
        question_ok=True,
        person_subject=True,
    ),
    _t(
        # "I'm having trouble logging in", "having issues with syncing my data",
        # "struggling to find the settings menu": a failed attempt told as a difficulty
        "having_trouble",
        "failure",
        "vp",
        r"\b(?:having|have|had|has|getting|get|got|experiencing|facing)\s+(?:(?:a\s+)?(?:lot"
        r"|lots|bit|little|some|a few|serious|major|real|big|many|constant|ongoing|the same"
        r"|similar|terrible|huge|so much|a lot of)\s+(?:of\s+)?)?(?:trouble|troubles|problems?"
        r"|issues?|difficult(?:y|ies))\s+(?:(?:with\s+|in\s+|when\s+)?(?=[a-z]+ing\b)"
        # "I have trouble to connect my band"
        r"|to\s+(?=[a-z]+\s))"
        # "Problem verifying my account" opening a message
        r"|^\s*(?:problems?|trouble|issues?|difficult(?:y|ies))\s+(?:with\s+)?(?=[a-z]+ing\b)"
        r"|\b(?:struggl|battl)(?:e|es|ed|ing)\s+to\s+",
        question_ok=True,
        person_subject=True,
    ),
    _t(
        "cant",
        "failure",
        "vp",
        r"\b(?:can't|cant|cnt|cannt|can not|cannot|couldn't|couldnt|could not|am unable to"
        r"|'m unable to"
        r"|im unable to|are unable to|unable to|unable 2|was unable to|were unable to"
        r"|wasn't able to"
        r"|weren't able to|not able to|never able to|no longer able to|can no longer"
        r"|could never|can never|can't ever|cant ever|no longer possible to|not possible to"
        r"|isn't possible to|wasn't possible to"
        r"|(?:haven't|havent|have not|hasn't|hasnt|has not|hadn't|had not|never|not)"
        r"\s+been\s+able\s+to"
        # "Why wasn't I able to transfer to another account?", "I'm not allowed to transfer"
        r"|(?:wasn't|weren't|was not|were not)\s+(?:i|we)\s+able\s+to"
        r"|(?:am|are)\s+(?:i|we)\s+(?:not\s+able|unable)\s+to"
        r"|(?:'m|am|are|'re)\s+not\s+(?:allowed|permitted)\s+to"
        # "I won't be able to use it", "wasted $250 to not be able to track my activities"
        r"|(?:won't|wont|will not|wouldn't|would not|not|never)\s+be\s+able\s+to)"
        r"(?:\s+(?:even|seem to|seems to|really|actually|just|still|ever|for the life of me|quite"
        r"|easily|properly|fully|successfully"
        r"|manage to|figure out how to|find a way to|find out how to|find how to|work out how to"
        r"|find where to|see how to|understand how to"
        r"|find (?:a|the|any) (?:\w+ )?(?:way|option|button|setting|place) to))*\s+"
        # praise idioms and dead ends the rules reject anyway ("can't wait", "couldn't
        # find anything"), so the pre-filter may skip them
        r"(?!(?:be\b(?!\s+(?:\w+ed|able|allowed|permitted)\b)|find (?:anything|it|any|one|out)"
        r"|wait|recommend|believe|imagine|stop|complain|say|thank|help|go wrong|get enough"
        r"|resist|live without|beat|decide|justify|describe|begin to"
        # "I'd never be able to pull the colour off": it does not suit, no goal
        r"|pull\s+(?:[\w-]+\s+){0,2}?off)\b)",
        question_ok=True,
        person_subject=True,
    ),
    _t(
        "let_me",
        "enable",
        "vp",
        r"\b(?P<neg>" + _NEG_AUX + r"\s+(?:even\s+|ever\s+|always\s+)?)?(?:let|lets|letting|allow"
        r"|allows|allowed|allowing|enable|enables|enabled|enabling|permit|permits|help|helps"
        r"|helped|helping)\s+" + _PEOPLE + r"\s+(?:to\s+)?(?=[a-z])"
        # "Doesn't allow to export data": the customer left out, the refusal kept
        r"|\b(?P<neg2>" + _NEG_AUX + r")\s+(?:allow|allows|permit|permits)\s+to\s+(?=[a-z])",
        question_ok=True,
    ),
    _t(
        "hard_to",
        "failure",
        "vp",
        r"\b(?:impossible|hard|difficult|tricky|a pain|a nightmare|a struggle|a hassle|painful"
        r"|tedious|cumbersome|confusing|annoying|frustrating|a chore|complicated|a headache"
        r"|not easy|isn't easy|not straightforward|too much work|way too much effort)\s+"
        r"(?:for (?:me|us|users|people|customers) )?to\s+",
        question_ok=True,
    ),
    _t(
        "took_me",
        "failure",
        "vp",
        r"\b(?:took|takes|take|taking)\s+(?:me|us)\s+(?:\w+\s+){0,3}?to\s+(?:find|figure out"
        r"|work out|find out|see|understand|learn)\s+(?:how|where)\s+to\s+",
    ),
    # questions that ask how, whether or where the customer can do something ---
    _t(
        # "How do I change my PIN?", "how can we export", "How am I supposed to log runs"
        "how_do_i",
        "question",
        "vp",
        # (not "How did you come up with your exchange rates?": what the maker did)
        r"\bhow\s+(?:do|can|could|would|should|will|may|might|does|did)\s+(?:i|we|one|u"
        r"|(?<!did )you(?!\s+(?:guys\s+)?(?:expect|think|know|want|feel|like|people)\b))"
        r"(?:\s+(?:please|ever|even|now|still|just|actually|possibly|best|then|also))*"
        r"\s+(?:go\s+about\s+|manage\s+to\s+)?"
        r"|\bhow\s+(?:am\s+i|are\s+we|is\s+one|are\s+you|are\s+users)\s+(?:supposed|meant"
        r"|expected)\s+to\s+"
        # "How to I transfer my funds?" (a typo for "do")
        r"|\bhow\s+to\s+(?:i|we)\s+(?=[a-z]{3,})",
        question_ok=True,
    ),
    _t(
        # "How to delete my account?", "Can you tell me how to top up", "no idea how to ...",
        # "tell me how I can verify my identity"
        "how_to",
        "question",
        "vp",
        r"(?:^\s*|(?:^|[.!?:;]\s+)(?:and\s+|so\s+|but\s+|ok\s+|okay\s+|hi\s+|hello\s+)?"
        r"|\b(?:know|tell me|tell us|show me|show us|explain|figure out|find out|work out"
        r"|understand|learn|wondering|wonder|wondered|idea|clue|unsure|not sure|instructions on"
        r"|to find"
        r"|advise|advice on|help me with|help me understand|guide me on|question is|is)\s+)"
        r"how\s+(?:to"
        r"|(?:i|we)\s+(?:can|could|should|would|might)(?:\s+be\s+able\s+to)?)\s+"
        # "Any way to export my runs?", "What's the best way to transfer money abroad?"
        r"|(?:^\s*|[.!?:;,]\s*|@\w+\s+|\b(?:hey|hi|hello|so|and|but|also|ok|okay)\s+)"
        r"any\s*(?:\w+\s+)?(?:way|option|chance)s?\s+(?:for (?:me|us) )?"
        r"(?:to|(?:that\s+)?(?:i|we|u)\s+(?:can|could|might)(?:\s+be\s+able\s+to)?)\s+"
        r"|\bwhat(?:'s|s| is| would be)\s+the\s+(?:(?:best|easiest|quickest|fastest|simplest"
        r"|right|correct|proper|usual|only)\s+)?(?:way|process|procedure|method)\s+"
        r"(?:for (?:me|us) )?to\s+",
        question_ok=True,
    ),
    _t(
        # "Can I top up from my Apple Watch?", "Could we pay in instalments?" (a sentence that
        # opens with it), "Am I able to get a second card?", "Will I be able to ..."
        "can_i",
        "question",
        "vp",
        r"(?:^\s*|[.!?:;,]\s*|@\w+\s+|\b(?:but|and|so)\s+)(?:(?:and|so|but|ok|okay|hi|hey|hello"
        r"|also|please),?\s+)?(?:can|could|may|do|should)\s+(?:i|we|u)(?:\s+(?:please|still|also|now|just|not"
        r"|actually|ever|even))*\s+(?!(?:just\s+)?say\b|ask\b|need\s+to\b"
        # "can u help me find my bag": the company asked for help (read as "help me ...")
        r"|help\b"
        # "may I have an answer as to why", "can I get some help": a reply, not a goal
        r"|(?:get|have|receive)\s+(?:an?\s+|some\s+|more\s+)?(?:help|answer|response|reply|info"
        r"|information|explanation|update|assistance)\b"
        # "Should I be worried?", "do I have enough?": a feeling or a fact asked about
        r"|be\s+(?:worried|concerned|scared|afraid|nervous|alarmed|upset|surprised)\b"
        r"|have\s+enough\b"
        r"|have\s+to\b)"
        r"|\b(?:am\s+i|are\s+we|will\s+i|will\s+we|would\s+i|would\s+we|is\s+one)"
        r"(?:\s+(?:still|ever|even|also))?\s+(?:be\s+)?able\s+to\s+",
        question_ok=True,
    ),
    _t(
        # the same question asked indirectly: "I want to know if I can bring my dog on
        # board", "I was wondering whether we could pay in instalments"
        "know_if_i",
        "question",
        "vp",
        # (not "not sure if I can wear it with leggings", "makes me wonder if I could ...":
        # doubts told in a review)
        # "Can you tell me where I can order a virtual card?"
        r"\b(?:know|wondering|asking|tell\s+(?:me|us))\s+(?:if|whether|where)"
        r"\s+(?:i|we|u)(?:\s+(?:still|also|now|just|ever))?\s+(?:can|could|may|might"
        r"|(?:am|are|would be|will be)\s+able\s+to)\s+"
        r"(?!(?:get|have|receive)\s+(?:an?\s+|some\s+)?(?:help|answer|response|reply)\b"
        r"|be\b|say\b|ask\b|have\s+\w+ed\b)",
        question_ok=True,
    ),
    _t(
        # "Does it support Honor 8c?", "Do you guys sync with Strava?": a capability wanted
        "does_it",
        "question",
        "vp",
        # (the one asked, group "doer", does it in the statement: "I want the app to ...")
        r"(?:^\s*|[.!?:;,]\s*|\b(?:but|and|so)\s+)(?:(?:does|will|would|can|could)\s+(?P<doer>it"
        r"|this|this app|the app|your app|the watch|the device"
        # "Does VLC player support UltraHD videos?"
        # (not "Does not sync with Google Fit", "will not let me": what the product fails to do)
        r"|(?!(?:i|we|you|u|anyone|anybody|someone|they|not|never|no|even|only|also|still"
        r"|really|just|now|then|finally|already)\b)[a-z][\w.-]*"
        # (not "can wear to work with a shrug": a verb and "to")
        r"(?:\s+(?!(?:not|never|now|to)\b)[a-z][\w.-]*)?)"
        r"|do\s+(?P<you>you)(?:\s+guys)?)"
        r"(?:\s+(?:also|still|now|ever))?\s+(?=(?:support|sync|work with|connect to|connect with"
        r"|integrate with|allow|let (?:me|us)|offer|export|import|track|record|measure|count"
        r"|detect)\b)",
        question_ok=True,
    ),
    _t(
        # What a company is asked whether it does for its customers: "Do you accept SWIFT
        # transfers?", "Do you provide currency exchange to Euros?", "Are you able to make
        # exchanges to EUR?" (not "do you have the same issue", "do you charge ...": a fact
        # asked; nor "do you ship to Canada?", a question about the service, as the
        # hand-written sets have it)
        "do_you",
        "question",
        "vp",
        r"(?:^\s*|[.!?:;,]\s*|@\w+\s+|\b(?:but|and|so)\s+)(?:(?:hi|hey|hello|also|please|ok"
        r"|okay),?\s+)?(?:do\s+(?P<you>you)(?:\s+guys)?(?:\s+(?:also|still|now|ever))?"
        r"|(?:are|will|would)\s+(?P<you2>you)(?:\s+guys)?\s+(?:be\s+)?able\s+to)\s+"
        # ("do you take long to answer": a time asked about)
        r"(?=(?:accept|take(?!\s+(?:long|so\s+long|too\s+long|a\s+while|ages|forever|time)\b)"
        r"|send|provide|give\s+out|convert|exchange|receive|process"
        r"|deal\s+with|hold|supply|issue|sell|make\s+exchanges?)\b)",
        question_ok=True,
    ),
    _t(
        # What the customer wants done, asked as a passive: "Can the card be mailed to
        # Europe?", "Can my account be topped up by my friends?" (the thing asked about does
        # it in the statement: "I want the card to be mailed to Europe"; not "Can this be
        # fixed?", a fix asked for, nor "Will my card be accepted ...?", a fact asked)
        "can_it_be",
        "question",
        "vp",
        r"(?:^\s*|[.!?:;,]\s*|\b(?:but|and|so)\s+)(?:(?:hi|hey|hello|also|ok|okay),?\s+)?"
        r"(?:can|could)\s+(?P<doer>(?:my|the|a|an|this|these|our|your)\s+(?:[\w-]+\s+){0,3}?"
        r"[\w-]+|cards|money)\s+(?:please\s+|still\s+|also\s+)?"
        r"(?=be\s+(?!(?:fixed|solved|resolved|sorted|done|possible|able|true|right|wrong|safe"
        r"|used|seen|found|given|told|shown|affected|compromised|hacked|locked|stolen|lost"
        r"|charged|declined|blocked|frozen|broken|delayed|pending|late|damaged|expired|cloned"
        r"|faulty|deactivated|reported|flagged)\b)[a-z]+(?:ed|en|t)\b)",
        question_ok=True,
    ),
    _t(
        # "Anybody know of a way to capture both displays?" (a forum's question)
        "anyone_know",
        "question",
        "vp",
        r"\b(?:anyone|anybody|someone|somebody|any one)\s+(?:\w+\s+)?(?:know|knows|suggest"
        r"|recommend)\s+(?:of\s+)?(?:a|an|any|the)\s+(?:[\w,-]+\s+){0,5}?(?:way|method)s?\s+to\s+",
        question_ok=True,
    ),
    _t(
        # "where is the option to change the language?"
        "where_is_option",
        "question",
        "vp",
        r"\bwhere\s+(?:is|are|'s|s)\s+(?:the|an?|that)\s+(?:\w+\s+)?(?:option|setting|button"
        r"|menu|toggle|switch|place|way)s?\s+to\s+",
        question_ok=True,
    ),
    _t(
        # "Where can I find my statements?", "What do I need to do to verify my identity?"
        "where_can_i",
        "question",
        "vp",
        r"\bwhere\s+(?:in\s+the\s+(?:app|settings|menu|website)\s+)?(?:can|do|should|could|would"
        r"|will|may)\s+(?:i|we|u|one)\s+"
        r"(?:go\s+(?:if\s+(?:i|we)\s+(?:want|need|would like|'d like)\s+)?to\s+)?"
        # "What is needed for my daughter to open an account?", "I need to know the process
        # to transfer money into my account"
        r"|\bwhat\s+(?:is|are)\s+(?:needed|required)\s+(?:for\s+(?:me|us|my\s+\w+)\s+)?to\s+"
        r"|\b(?:know|tell\s+me|explain)\s+the\s+(?:process|procedure|steps)\s+(?:to|for)\s+"
        r"(?=[a-z]+\s)"
        # "What steps do I need to take to change my PIN?", "What are the steps I need to
        # take to verify my identity?"
        r"|\bwhat\s+(?:steps|actions)\s+(?:do|should|must|would)\s+(?:i|we)\s+"
        # ("What steps do I have to go through in order to activate my new card?")
        r"(?:need\s+to\s+|have\s+to\s+)?(?:take|do|follow|go\s+through)\s+(?:in\s+order\s+)?"
        r"to\s+"
        r"|\bwhat\s+are\s+the\s+steps\s+(?:that\s+)?(?:i|we)\s+(?:need\s+to|have\s+to|should|must)"
        r"\s+(?:take|follow)\s+to\s+"
        # "What are the steps to getting a virtual card?", "When can I order a disposable
        # card?", "Can this be used to receive my salary?"
        r"|\bwhat\s+are\s+the\s+steps\s+(?:to|for)\s+"
        # "What countries can I use my account in?", "What ATMs can I use this card?"
        r"|\bwhat\s+(?:other\s+)?(?:countries|locations|places|atms|atm's|shops|stores|websites"
        r"|sites|merchants|apps|devices|phones|browsers|cards)\s+can\s+(?:i|we)\s+(?!use\s+to\b)"
        # "What can be done to reinstate the lost functionality?", "Am I allowed to carry
        # an additional card?"
        r"|\bwhat\s+(?:can|has\s+to|needs\s+to|must|should)\s+be\s+done\s+to\s+"
        # (not "How much am I allowed to top up?": an amount asked for)
        r"|\b(?:am(?<!much am)(?<!many am)\s+i|are(?<!much are)(?<!many are)\s+we)\s+"
        r"(?:allowed|permitted)\s+to\s+"
        # "What is the process for activating my card?"
        r"|\bwhat(?:\s+is|'s)\s+the\s+(?:process|procedure)\s+(?:to|for)\s+"
        # "What ID do I need to verify my identity?", "What steps do I need to do to ..."
        r"|\bwhat\s+(?:\w+\s+){1,2}?(?:do|would|will|should)\s+(?:i|we)\s+need\s+"
        r"(?:to\s+(?:do|take|provide|have|show|give|send|submit|gather|collect|prepare|bring"
        r"|get together)\s+)?(?:in\s+order\s+)?to\s+"
        # (not "When will I get my card?": a time asked for, as "When will my card arrive?")
        r"|\bwhen\s+(?:can|could)\s+(?:i|we)\s+(?!expect\b|get\s+(?:an?\s+)?"
        r"(?:answer|response|reply|update)\b)"
        r"|\bwhen\s+will\s+(?:i|we)\s+be\s+able\s+to\s+"
        r"|(?:^\s*|[.!?:;,]\s*)(?:can|could)\s+(?:this|it|the card|my card|the app|this card)"
        r"\s+be\s+used\s+(?:to|for)\s+"
        # "Can you tell me what to do to reset my passcode?"
        r"|\b(?:tell|show)\s+(?:me|us)\s+what\s+(?:(?:i|we)\s+)?(?:need\s+to\s+|have\s+to\s+"
        r"|should\s+)?(?:to\s+)?do\s+(?:in\s+order\s+)?to\s+"
        r"|\bwhat\s+(?:do|should|would|must|can)\s+(?:i|we)\s+(?:need\s+to\s+do\s+(?:in\s+order\s+)?to"
        r"|have\s+to\s+do\s+(?:in\s+order\s+)?to|do\s+(?:in\s+order\s+)?to|need\s+to|have\s+to)\s+"
        # "What do you need from me to verify my ID?"
        r"|\bwhat\s+(?:do|would|will)\s+you\s+need\s+(?:from\s+(?:me|us)\s+)?to\s+"
        # "What cards and currencies can I use to top up my account?"
        r"|\b(?:what|which)\s+(?:[\w'-]+\s+){0,4}?(?:can|could|should|do|may)\s+(?:i|we)"
        r"\s+use\s+to\s+",
        question_ok=True,
    ),
    # praise or neutral text naming a goal --------------------------------------
    _t(
        # "Great app to keep track of my workout", "a great way for me to track my running":
        # what the writer uses it for, said in praise (only tracking their own things)
        "good_for_tracking",
        "enable",
        "vp",
        r"\b(?:great|good|perfect|excellent|best|nice|useful|helpful|handy|brilliant|awesome"
        r"|fantastic|amazing|ideal)\s+(?:little\s+)?(?:(?:app|tool|way|application)\s+)?"
        r"(?:for\s+(?:me|us)\s+)?(?:to|for)\s+(?=(?:keep(?:ing)?\s+track|track|monitor|log"
        r"|record|measur|count)\w*\s+(?:of\s+)?(?:all\s+)?(?:my|our)\b)",
    ),
    _t(
        "makes_it_easy",
        "enable",
        "vp",
        r"\b(?:make|makes|made|making)\s+it\s+(?:so\s+|super\s+|really\s+|very\s+|much\s+)?"
        r"(?:easy|easier|possible|simple|simpler|quick|quicker|effortless|a breeze|a snap"
        r"|painless)\s+(?:for (?:me|us|users|people) )?to\s+",
    ),
    _t(
        "finally_i_can",
        "enable",
        "vp",
        r"\b(?:(?:finally|now|at last|at long last)\s*,?\s+(?:i|we)|(?:love|like|great|glad|happy"
        r"|nice|awesome|amazing|brilliant|fantastic|wonderful|thrilled|good|cool|relieved)\s+"
        r"(?:that|how)\s+(?:i|we))\s+(?:can|could|am able to|'m able to|are able to)"
        r"(?:\s+(?:finally|now|actually|easily|just|also|even|quickly))*\s+"
        r"|\b(?:i|we)\s+can\s+(?:now|finally)\s+",
    ),
    _t(
        "being_able_to",
        "enable",
        "vp",
        r"\b(?:being able to|having the ability to|the ability to)\s+",
    ),
    _t(
        "ideally",
        "want",
        "vp",
        r"\bideally,?\s+(?:i|we)\s+(?:could|would|'d|can|would be able to|'d be able to"
        r"|should be able to)\s+",
    ),
    # purpose clauses that stand on their own ----------------------------------
    _t(
        "so_i_can",
        "purpose",
        "vp",
        r"\bso\s+(?:that\s+)?(?:i|we)\s+(?:can|could|'ll be able to|will be able to"
        r"|would be able to|'d be able to|am able to|'m able to|are able to|were able to"
        r"|was able to)(?:\s+(?:finally|actually|easily|still|then|now|just))*\s+",
    ),
    _t(
        "in_order_to",
        "purpose",
        "vp",
        r"\b(?:in order|so as)\s+(?:for (?:me|us) )?to\s+|\bto be able to\s+",
    ),
)

# An "adoption" verb followed later by "to <verb>" names the job the product was
# hired for ("I bought these boots to wear on long hikes").
ADOPTION = re.compile(
    r"\b(?:use|uses|used|using|bought|buy|buying|got|get|ordered|order|purchased|purchase"
    r"|signed up|sign up|switched|switch|installed|install|upgraded|upgrade|subscribed"
    r"|joined|downloaded|download|chose|picked|rely on|relied on|started using"
    r"|need it|needed it|need this|needed this)\b"
)

# The exact sentence filter: any trigger, or an adoption verb with a later "to".
CANDIDATE = re.compile(
    "|".join(f"(?:{re.sub(r'[(][?]P<[a-z_]+>', '(?:', t.regex.pattern)})" for t in TRIGGERS)
    + "|(?:"
    # "used to love it" and "switched to Ledgerbird" are not "<adopted> to <do something>"
    + ADOPTION.pattern.replace(r"|used|", r"|used(?!\s+to\b)|")
    + r"[^.!?]*?\bto\s+(?!(?:the|a|an|my|our|your|their|his|her|its|this|that|these|those"
    + r"|it|them|me|us|you)\b))"
)

# "since the last update", "after updating to the new version": the circumstance most
# app reviews report a failure in; a situation, never part of the motivation.
UPDATE_PHRASE = re.compile(
    r"^(?:ever\s+|even\s+|right\s+|just\s+)?(?:since|after|following)\s+(?:"
    r"(?:(?:the|this|that|a|an|your|my|its|their|these|those|last|latest|recent|new|newest"
    r"|most|today'?s|yesterday'?s|app|apps|software|system|firmware|android|ios|os|phone"
    r"|watch|\d+|[\w-]+'s)\s+){0,4}(?:update|updates|upgrade|upgrades|patch)\b"
    r"|(?:i\s+|we\s+)?(?:updating|upgrading|updated|upgraded)\b(?:\s+(?:it|the|this|my|to"
    r"|app|apps|phone|firmware|software|android|ios|os|new|latest|version|[\d.]+)\b){0,5})"
)
# The same phrase later in a sentence: "this seems to have happened after the update",
# "and after updating to this new version they are all gone" (not "long after updates
# installed": a time, not the update the trouble came with).
UPDATE_PHRASE_INSIDE = re.compile(r"(?<=\s)(?<!long\s)" + UPDATE_PHRASE.pattern[1:])
# A request to have something back: "Put back the favorites", "please bring back ...".
BRING_BACK = re.compile(r"\b(?:back|restore|return|reinstate)\b", re.IGNORECASE)
# "every time I check the weather" in a sentence of its own: the situation of the job the
# next sentence states ("Why would you need location every time I check weather. Just let
# me put a default one."). Group 1 is the clause; it ends at a comma or the sentence's
# end, or, when the phrase opens the sentence, where the main clause starts ("Every time
# I open the app it logs me out").
EVERY_TIME_CLAUSE = re.compile(
    r"(?:^|\s)(?:every\s*time|each\s+time|whenever|anytime)\s+((?:i|we)\s+[^,.!?;:]*?)"
    r"(?=\s+(?:it|the app|this app|the watch|my phone|everything|nothing)\s+(?:[a-z]+s|is|was"
    r"|keeps|won't|wont|doesn't|does|will|just|always|never|still)\b"
    r"|\s+i\s+(?:get|have|am|can't|cant|cannot|need|lose|must)\b|\s*[,.!?;:]|\s*$)"
)
# ... and only from a sentence that tells what goes wrong then (not "I get so many
# compliments every time I wear it").
WENT_WRONG_CUE = re.compile(
    r"\b(?:won't|wont|doesn't|doesnt|didn't|can't|cant|cannot|crash|freez|logs? me out|error"
    r"|fail|stops?|asks?|why|have to|has to|lose|lost|reset|disconnect|unpair|re-?pair)"
)
# Purpose and outcome cues after a motivation.
# A helping clause after the wanted thing is its outcome ("which would help me plan").
HELPING_CLAUSE = re.compile(
    r"(?:which|that)\s+(?:would|will|could)\s+(?:really\s+)?help\s+(?:me|us)\b"
)
OUTCOME_SO = re.compile(
    r"^,?\s*(?:so\s+(?:that\s+)?|so\s+as\s+to\s+|in\s+order\s+(?:for (?:me|us) )?to\s+"
    r"|to\s+be\s+able\s+to\s+|to\s+make\s+sure\s+(?:that\s+)?"
    # "a widget, that way I can see my steps", "a summary which would help me plan"
    r"|(?:that|this)\s+way\s+|" + HELPING_CLAUSE.pattern + r"\s+(?:to\s+)?)"
)
OUTCOME_I_CAN = re.compile(
    r"^(?:i|we)\s+(?!can\s+not\b|could\s+not\b)"
    r"(?:can|could|'ll be able to|will be able to|would be able to|'d be able to"
    r"|am able to|'m able to|are able to|were able to|was able to)"
    r"(?:\s+(?:finally|actually|easily|still|then|now|just|also))*\s+"
)

# A "so ..." clause in which the customer cannot do something is a consequence ("so I
# can't track it"); "so others can't edit it" is what they want.
INABILITY = re.compile(
    r"^(?:i|we)\s+(?:[\w'’]+\s+){0,2}?(?:can'?t|can’t|cannot|can not|could(?:n'?t|n’t|\s+not)"
    r"|unable"
    r"|(?:am|'m|are|'re|is|'s|was|were)\s+not\s+able|(?:wo|will)(?:n'?t|n’t|\s+not)\s+be\s+able)\b"
)
# ... and so is what the customer did or needs next ("so I just use another app").
FIRST_PERSON_NEXT_STEP = re.compile(
    r"^(?:i|we)\s+(?:(?:just|now|then|simply|basically)\s+)?(?:had\s+to|have\s+to|'ll\s+have\s+to"
    r"|will\s+have\s+to|need|needed|use|used|went|go|deleted|delete|uninstalled|uninstall"
    r"|switched|switch|gave|give|stopped|stop|ended|decided|guess|think|assume|suppose"
    r"|called|emailed|contacted|returned|bought|ordered|tried|try|keep)\b"
)

# Leading words that only pad a complement.
LEADING_FILLER = frozenset(
    "really just also still please pls plz kindly definitely maybe perhaps even simply "
    "somehow finally actually honestly basically desperately seriously badly truly "
    "personally guys".split()
)
# Phrases stripped from the start of a motivation, repeatedly.
LEADING_PHRASES = re.compile(
    # ("need 2 change my pin", "want too cancel": typed for "to")
    r"^(?:(?:to|2|too)\s+|be\s+(?:able|allowed|permitted)\s+to\s+|being\s+able\s+to\s+|finally\s+|first\s+|now\s+"
    r"|(?:a\s?lot|alot|so\s+much)\s+to\s+"
    r"|have\s+(?:the|an|a|some)\s+(?:\w+\s+)?(?:option|ability|possibility|chance|way)\s+to\s+"
    r"|(?:(?:a|an|the|some|any|one|more)\s+)?(?:[\w-]+\s+)?(?:way|ways|option|options|ability"
    r"|possibility|feature|setting|button|function|functionality|tool|means|toggle|switch"
    r"|shortcut|place|mode)\s+(?:for\s+(?:me|us|users|people)\s+)?to\s+"
    # "it would be nice if one could export the data"
    r"|(?:i|we|one|users|people|u)\s+(?:could|can|would be able to|'d be able to|were able to"
    r"|was able to|might be able to|might|would)\s+"
    r"|(?:find|figure out|work out|find out|see|understand|learn|know)\s+(?:how|where)\s+to\s+"
    # ("I'd like to request a card": the request is the job, unless a clause follows)
    r"|(?:humbly\s+)?(?:(?:suggest|propose)\s+(?:that\s+)?|request\s+that\s+)"
    r"|it\s+if\s+|if\s+)"
)
# "would love to see/have X" -> X (only after conditional triggers, before a noun phrase).
LIGHT_VERBS = frozenset({"see", "have"})

# Motivations that are not jobs: speech acts, feelings, praise idioms, vague pronouns.
STOP_MOTIVATION = re.compile(
    r"^(?:say|saying|thank|thanks|know|preface|tell(?:ing)? (?:you|u|them|everyone|everybody"
    r"|people|others|anyone|my \w+ (?:about|that|how)|the (?:world|team)|\w+ (?:about|that))\b"
    r"|tell$|mention"
    r"|point out|point|complain"
    # (but "I need to report a stolen card", "report my bag missing": a service asked for)
    r"|report(?!\s+(?:(?:a|an|my|the|our|this)\s+)?(?:lost|stolen|missing|damaged|fraud\w*"
    r"|unauthori[sz]ed|suspicious|change\s+of)\b"
    r"|\s+(?:it|them|my\s+\w+)\s+(?:as\s+)?(?:lost|stolen|missing|damaged)\b)"
    r"|express|love|like|hate|recommend|wait|believe|believing|imagine|rave|praise|applaud"
    # "can't stop wearing it", "wanted to stop" (but "stop the app from running ...")
    r"|stop(?!\s+(?:the|my|our|this|these|that|auto[\w-]*|\w+\s+from)\b)"
    r"|ask (?:about|if|whether|for (?:a|the|my|more)|you|a question|why you|how you|what you"
    r"|when you|questions)\b|ask$|congratulate|commend|note|clarify|emphasi[sz]e|stress"
    r"|reiterate|inform"
    r"|share (?:my|our|some|a few) (?:thoughts|experience|feedback|opinions?|two cents|story|views)"
    r"|leave (?:a )?(?:review|comment|feedback)|write (?:a |this )?review|start (?:by|with|off)"
    r"|go wrong|get enough|put (?:it|this|them) down|help but|resist|live without|fault|beat"
    r"|find (?:it|this|that|one|any|anything|out)\b|feel (?:like|that|as if|as though)"
    r"|figure out (?:how|why|what|whether|if)\b(?! to)|(?:you|u) to know"
    r"|(?:write|leave|make|post|give) (?:a |this |my |an )?(?:honest )?(?:review|rating)"
    r"|find fault|be (?!\w+ed\b)|assume|think|suppose|guess|admit|confess|warn|decide"
    r"|justify|dream|unsee|describe|begin to|discern|tell (?:from|if|whether|the difference|by)"
    r"|imagine|picture|understand why|see (?:why|how (?:good|great|well|nice))"
    r"|go back to (?:using )?(?:anything|any other)|give (?:it|this)"
    r"|let (?:you|u|them|everyone|people|others) know|update you|add (?:that|to that|:)"
    r"|do (?:that|this|it|so|them)\b|use it$|use this$|do$|be$|have$|get$"
    # how the customer looks or which size they take: shopping, not a job
    r"|look (?:good|great|nice|better|cute|amazing|flattering|slim|thin|pretty)\b"
    r"|size (?:up|down)\b|(?:a|one) size\b|wrap (?:my|our) heads? around"
    r"|make (?:my|our|a|the) (?:choice|decision|selection)\b|remember\b"
    r"|figure out (?:the )?(?:reason|cause)\b|someone|somebody|anyone\b"
    # idioms of a negated ability that name no goal: "I can't even count the times ...",
    # "I could not stand to watch it", "I can't see how this could help anyone", "could
    # not have been more pleased", "I can never get that hour back"
    r"|count (?:the (?:amount|number) of|how (?:many|often))\b|stand\b"
    r"|explain (?:this|it|how|what|why)\b"
    r"|see how (?:this|that|it|they|anyone|anybody|someone|people|you|he|she)\b"
    r"|bring (?:myself|ourselves) to\b"
    r"|have been\b|get (?:that|those|the|my|our) (?:\w+ )?(?:minutes?|hours?|time|life)"
    r" back\b|get over (?:how|it|this|that|the fact)\b"
    # what a business says to its customer: "we would like to offer you ..."
    r"|offer (?:you|u)\b"
    # goals too general to name one: "confusing to get the best from it", "trying to get
    # help for ages", "needs a lot of improvement"
    r"|get the (?:best|most) (?:out of|from)\b|get (?:some |any )?help\b"
    r"|(?:a )?lots? of (?:improvements?|work|changes|fixes|updates)\b"
    # a judgement the writer cannot give: "so I can't comment on the delivery", "can't
    # speak for the coral", "can't vouch for them", "hard to judge whether ..."
    r"|comment (?:on|about)\b|speak for\b|vouch\b|attest\b|judge\b"
    # idioms: "I couldn't pass them up", "I couldn't take them seriously"
    r"|pass (?:it|them|this|that) up\b|take (?:it|them|him|her|this|that) seriously\b"
    # a rating or review given, and what does someone good: "would love to give a better
    # review", "rate it higher later", "I need it in my face to do any good"
    r"|(?:give|leave|write) (?:a |an |it |this )?(?:\w+ )?(?:review|rating|stars?)\b"
    r"|rate (?:it |this )?(?:higher|more|better|lower)\b|do (?:any|some|much) good\b"
    r"|write (?:the )?pros\b"
    # the writer leaving: "Now I need a new app", "looking for a replacement app"
    r"|(?:a |an )?(?:new|replacement|different|another|other) (?:app|pedometer|tracker|bank|watch"
    r"|phone)s?$"
    # help asked for, named as a thing: "Any help in resolving this would be appreciated"
    r"|(?:any|some) help\b)"
    # whole words only: "stopwatch" is not "stop", "stress levels" not "stress"
    r"(?:(?<=\s)|(?![a-z']))"
)
STOP_NOUNS = frozenset(
    "help assistance answer answers response reply info information advice "
    "clarification explanation apology apologies someone somebody anyone callback call it "
    "this that these "
    "details detail screenshot screenshots feedback permission permissions solution solutions "
    "those one them something anything everything nothing stuff more "
    # "I hope they make a few changes": no change named
    "change changes".split()
)

# Situation markers: stripped ones become "When ...", kept ones open the statement.
SITUATION_STRIP = (
    "whenever",
    "when",
    "every time",
    "everytime",
    "each time",
    "any time",
    "anytime",
    "if",
)
SITUATION_KEEP = (
    "while",
    "before",
    "after",
    "once",
    "as soon as",
    "during",
    "at",
    "on",
    "in",
    "for",
    "between",
    "around",
    "throughout",
    "over",
    "as a",
    "as an",
    "as someone",
    "as somebody",
    "as the",
    "as my",
    "as our",
    "since",
    "ever since",
)
# Discourse words allowed before a fronted situation ("And when I ...").
DISCOURSE = frozenset("and also so but oh ok okay well honestly plus then now btw also".split())
