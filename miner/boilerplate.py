"""Strip what e-mails and tickets carry besides the customer's words.

Support tickets and e-mailed feedback arrive with a greeting ("Hi team,"), quoted
earlier messages ("On Mon, 3 May, Ana wrote:", lines starting with ">"), a sign-off and
signature ("Kind regards, / Ana / Head of Ops / +44 ..."), "Sent from my iPhone" and
legal footers ("This e-mail is confidential ..."); forum posts, code pasted between
``` fences (a stack trace, a log); help-desk chats, the agent's turns ("Agent (Tom): Hi
Ana, thanks for contacting us!") and the chat's own lines ("Chat started: ..."); web
forms, their field labels ("Steps to reproduce:") and system fields ("Browser: Firefox
123", "Account URL: ..."); issue trackers, their markup and templates (Jira's
``{noformat}`` blocks, ``h3.`` headings, ``||tables||``, ``[~mentions]``; GitHub's
``<!-- hints -->``, ``### Describe the bug``, ``- [x]`` checkboxes) and the stack
traces and log lines pasted outside code fences. Themes and the per-comment heads
should read only what the customer says; the input's own text column is kept as it
came.

The furniture is recognised in English and in the languages of European mail clients
and writers: French, German, Spanish, Italian, Portuguese and Dutch ("Bonjour,",
"Am Mo., 3. Nov. 2026 um 10:02 schrieb Ana:", "Von: ... Gesendet: ...", "Cordialement,",
"Envoyé de mon iPhone", "Ce message est confidentiel ..."): an English comment written
in a German mail client quotes the earlier reply under a German header.

Rules work on lines, so they apply before whitespace is collapsed. An HTML body (a
help desk's export: ``<p>``, ``<br>``, ``<blockquote>``) is read as lines first, its
quoted blocks dropped. A long text without line breaks (an export that flattened
them) loses only what is unmistakable inline: a quote header ("On ... wrote:") and
everything after it, a legal footer, "Sent from my iPhone", and a sign-off followed by
no more than a signature's words. A one-line survey answer that says "Thanks!" is left
alone. When stripping would leave no words, the text is kept whole.
"""

from __future__ import annotations

import html
import re

_GREETING = re.compile(
    r"(?i)^\s*(hi|hello|hey|dear|greetings|good (morning|afternoon|evening)|"
    r"to whom it may concern|"
    # French, German, Spanish, Italian, Portuguese, Dutch
    r"bonjour|bonsoir|salut|madame|monsieur|ch[eè]re?s?|"
    r"hallo|guten (tag|morgen|abend)|sehr geehrte[rs]?|liebe[rs]?|moin|servus|"
    r"hola|buen(os|as) (d[ií]as|tardes|noches)|estimad[oa]s?|"
    r"buongiorno|buonasera|ciao|salve|gentile|egregi[oa]|"
    r"ol[áa]|bom dia|boa (tarde|noite)|prezad[oa]s?|"
    r"hoi|beste|geachte|goede(morgen|middag|navond))\b"
    r"[^.!?\n]{0,40}[,!:]?\s*$"
)
# "On Mon, 3 Nov 2026 at 10:02, Ana <ana@...> wrote:" and its translations (the writer's
# name comes after the verb in German and Dutch).
_REPLY_HEADER = (
    r"(on|le|am|el|il|em|op)\b.{4,200}?\b(wrote|a [ée]crit|schrieb|escribi[óo]|"
    r"ha scritto|escreveu|schreef)\b[^\n]{0,120}:"
)
_MESSAGE_RULE = (
    r"-{2,}\s*(original message|forwarded message|message d'origine|message original|"
    r"message transf[ée]r[ée]|urspr[üu]ngliche nachricht|weitergeleitete nachricht|"
    r"mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato|"
    r"mensagem original|mensagem encaminhada|oorspronkelijk bericht|doorgestuurd bericht)"
    r"\s*-{2,}"
)
# A help desk's reply marker: the customer writes above it, the notification and the
# thread's history follow ("##- Please type your reply above this line -##" of Zendesk,
# "-- Reply above this line --", "Please do not write below this line").
_REPLY_MARKER = (
    r"[#>*_\-=\s\[(]*(please\s+)?((type|write|enter)\s+(your\s+)?(reply|response|answer)|"
    r"reply|respond|write)\s+above\s+this\s+line\b[^\n]{0,20}|"
    r"[#>*_\-=\s\[(]*(please\s+)?do\s+not\s+(write|reply|type)\s+below\s+this\s+line\b[^\n]{0,20}"
)
_QUOTE_HEADER = re.compile(
    rf"(?i)^\s*({_REPLY_HEADER}\s*$|{_MESSAGE_RULE}|_{{10,}}\s*$|from:\s.+$|{_REPLY_MARKER}$)"
)
_REPLY_MARKER_LINE = re.compile(rf"(?i)^\s*({_REPLY_MARKER})$")
# An Outlook header in another language: "De : Ana", "Von: Ana", "Van: Ana", "Da: Ana",
# counted only when a date line follows within a few lines ("Envoyé :", "Gesendet:").
_LOCAL_FROM = re.compile(r"(?i)^\s*(de|von|van|da)\s?:\s.+$")
_LOCAL_SENT = re.compile(
    r"(?i)^\s*(sent|date|envoy[ée]|gesendet|datum|verzonden|inviato|data|enviad[oa]( el)?|"
    r"fecha)\s?:\s"
)
_QUOTED = re.compile(r"^\s*>")
# "Sent from my iPhone" (and in the other languages), "Get Outlook for iOS".
_MAIL_APP = (
    r"sent from my \w+.*|get outlook for \w+.*|sent from (yahoo|mail) .*|"
    r"envoy[ée] (de|depuis) mon \w+.*|(von|gesendet von) meinem \w+.*|"
    r"enviado (desde mi|do meu|de meu) \w+.*|inviato da(l mio)? \w+.*|"
    r"(verzonden|verstuurd) (vanaf|met|van) mijn \w+.*|"
    r"(t[ée]l[ée]charger|obtener|scarica|obter( o)?) outlook (pour|para|per) \w+.*|"
    r"outlook (f[üu]r|voor) \w+.*"
)
_SIGNATURE_MARK = re.compile(rf"(?i)^\s*(--\s*|{_MAIL_APP})$")
_FOREIGN_SIGN_OFF = (
    r"(bien |tr[eè]s )?cordialement|bien [àa] (vous|toi)|"
    r"((meilleures|sinc[eè]res|bien sinc[eè]res) )?salutations( distingu[ée]es)?|"
    r"merci( beaucoup| d'avance| par avance| bien)?|bonne (journ[ée]e|soir[ée]e)|[àa] bient[ôo]t|"
    r"(mit )?freundliche[nm]? gr[üu](ß|ss)en?|(viele|beste|liebe|herzliche) gr[üu](ß|ss)e|"
    r"lg|mfg|vg|gru(ß|ss)|(vielen )?dank( im voraus)?|danke( sch[öo]n)?|"
    r"(un )?saludos?( cordiales)?|atentamente|cordialmente|(muchas )?gracias|un abrazo|"
    r"(cordiali|distinti) saluti|saluti|grazie( mille)?|a presto|buona giornata|"
    r"atenciosamente|((com os )?(melhores )?)?cumprimentos|obrigad[oa]|abra[çc]os?|att|"
    r"sauda[çc][õo]es|(met )?vriendelijke groet(en)?|groet(en|jes)?|mvg|(alvast )?bedankt|"
    r"dank (je|u)( wel)?"
)
_SIGN_OFF = re.compile(
    r"(?i)^\s*((best|kind|warm|many)\s+)?(regards|wishes|thanks|thank you)\b"
    r"[^.!?\n]{0,20}[,!.]?\s*$"
    r"|^\s*(cheers|sincerely|best|thx|br|all the best|with (best |kind )?(regards|wishes|thanks)|"
    r"yours (truly|sincerely|faithfully|respectfully)|(faithfully|respectfully)( yours)?|"
    r"sincerely yours|yours)[,!.]?\s*$"
    rf"|^\s*({_FOREIGN_SIGN_OFF})\b[^.!?\n]{{0,20}}[,!.]?\s*$"
)
_FOOTER = re.compile(
    r"(?i)(this (e-?mail|message)( and any (attachments?|files))?( transmitted with it)? "
    r"(is|are|may be) (strictly )?(confidential|privileged|intended)|"
    r"if you (have )?received this (e-?mail|message) in error|"
    r"intended (solely|only) for the (use of the )?(individual|addressee|recipient)|"
    r"please consider the environment before printing|"
    # a help desk's notification ("This email is a service from Acme. Delivered by Zendesk")
    r"this e-?mail is a service from\b|delivered by (zendesk|freshdesk|help ?scout)\b|"
    r"registered in england( and wales)?|registered office:|"
    r"to unsubscribe\b|unsubscribe from (these|this) (e-?mails?|list)|"
    # French, German, Spanish, Italian, Portuguese, Dutch
    r"ce (message|courriel|e-?mail)\b[^.\n]{0,80}\b(est|sont) (strictement )?"
    r"(confidentiel|priv|destin)|"
    r"si vous (avez re[çc]u|recevez) ce (message|courriel|e-?mail) par erreur|"
    r"diese (e-?mail|nachricht)\b[^.\n]{0,80}\bvertraulich|"
    r"(irrt[üu]mlich|versehentlich|f[äa]lschlicherweise) erhalten|"
    r"(este|el presente) (mensaje|correo)\b[^.\n]{0,80}\b(confidencial|privilegiad)|"
    r"si (usted )?(ha|has) recibido este (mensaje|correo)[^.\n]{0,20} por error|"
    r"(questo|il presente) (messaggio|e-?mail)\b[^.\n]{0,80}\b(riservat|confidenzial)|"
    r"(avete|hai|abbia) ricevuto (questo|il presente) (messaggio|e-?mail)[^.\n]{0,20} per errore|"
    r"esta (mensagem|e-?mail)\b[^.\n]{0,80}\b(confidencia|privilegiad)|"
    r"recebeu esta (mensagem|e-?mail)[^.\n]{0,20} por (engano|erro)|"
    r"dit (e-?mail(bericht)?|bericht)\b[^.\n]{0,80}\bvertrouwelijk|"
    r"(ten onrechte|per abuis|per vergissing) (heeft |hebt )?ontvangen|"
    r"avant d'imprimer|bevor sie diese e-?mail ausdrucken|antes de imprimir)"
)
_SPACES = re.compile(r"[ \t]{2,}")
# Zendesk's reply marker as a flattened text writes it ("##- Please type your reply above
# this line -##"), at its start or inline.
_INLINE_MARKER = r"(?:#+-?\s*)?please (?:type|write) your (?:reply|response) above this line"
_INLINE_MARKER_START = re.compile(rf"(?i)^\s*{_INLINE_MARKER}\s*(?:-?#+)?\s*")
_FLAT_QUOTE = re.compile(r"[ \t]{2,}>[ \t]")
# A sign-off is followed by at most this many short lines (name, title, phone).
_SIGNATURE_LINES = 5
_SHORT_LINE = 60


# HTML: tags that end a line, quoted blocks, and any other tag of a mail body.
_HTML_TAG = re.compile(
    r"(?i)</?(p|br|div|span|li|ul|ol|table|tbody|thead|tr|td|th|b|i|u|s|strong|em|a|font|"
    r"blockquote|aside|h[1-6]|hr|html|body|head|code|pre|img|small|sup|sub|del|ins|kbd|"
    r"details|summary|section|article|figure|figcaption|cite|abbr|dl|dt|dd)\b[^<>]{0,500}>"
)
_HTML_BREAK = re.compile(
    r"(?i)<br\s*/?>|</?(p|div|li|tr|h[1-6]|hr|ul|ol|table|pre|aside|details|section)\b"
    r"[^<>]{0,500}>"
)
# Quoted blocks (a forum's rendered quote, Discourse's <aside class="quote">, is the
# quoted post with its writer's name) and code blocks (<pre>: a log, a stack trace).
_HTML_QUOTE = re.compile(r"(?is)<(blockquote|aside|pre)\b.*?(</\1>|$)")
# Inline (no line breaks): texts of at least this many words are read for furniture.
_INLINE_WORDS = 25
_INLINE_QUOTE = re.compile(
    r"(?i)(\bOn\s+(mon|tue|wed|thu|fri|sat|sun|\d{1,4}\b|[a-z]{3,9}\s+\d).{4,200}?"
    r"\bwrote:|"
    # the same header in French, German, Spanish, Italian, Portuguese and Dutch
    r"\b(Le|Am|El|Il giorno|Em|Op)\s+(\w{2,4}\.?,?\s+)?\d{1,4}\b.{4,200}?"
    r"\b(a [ée]crit|schrieb|escribi[óo]|ha scritto|escreveu|schreef)\b[^:]{0,120}:|"
    rf"{_MESSAGE_RULE}|"
    # a help desk's reply marker, the notification after it
    rf"{_INLINE_MARKER}|"
    # the next message of a help desk's thread: "Karl Weiss (Acme Support) Mon, 6 Jul 2026"
    r"(?-i:\b[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,3}\s\([^()]{1,40}\)\s+"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?(?:\d{1,2}\s[A-Z][a-z]{2,8}\.?,?\s\d{4}|"
    r"[A-Z][a-z]{2,8}\.?\s\d{1,2},?\s\d{4}))|"
    # a mail app's line, where a sentence starts: not "the invoice was sent from my account"
    r"(?:(?<=[.!?] )|^)(?-i:Sent) from my (?:iphone|ipad|android|galaxy|samsung|mobile"
    r"|phone|blackberry|huawei|pixel)\b|(?:(?<=[.!?] )|^)(?-i:Get) outlook for \w+|"
    r"(?:(?<=[.!?] )|^)(?-i:Envoy[ée] de mon|Von meinem|Enviado desde mi|Enviado do meu|"
    r"Inviato da|Verzonden (?:vanaf|met) mijn|Verstuurd (?:vanaf|met) mijn) "
    r"(?:iphone|ipad|android|galaxy|samsung|mobile|smartphone|phone|huawei|pixel)\b|"
    # ... or ending the text after a signature ("... Cyberdyne Energy Sent from my iPhone")
    r"\b(?-i:Sent) from my (?:iphone|ipad|android|galaxy|samsung|mobile|phone|pixel)\W*$)"
)
_INLINE_SIGN_OFF = re.compile(
    r"(?i)(?<=[.!?] )((((best|kind|warm|many)\s+)?(regards|wishes|thanks)|thank you|cheers|"
    r"sincerely|best|(bien )?cordialement|bien [àa] vous|(mit )?freundlichen gr[üu](ß|ss)en|"
    r"(viele|beste|liebe) gr[üu](ß|ss)e|(un )?saludos?( cordiales)?|atentamente|"
    r"(cordiali|distinti) saluti|atenciosamente|(met )?vriendelijke groet(en)?)[,!.]\s|"
    # a sign-off of several words needs no comma ("Mit freundlichen Grüßen Tom Schmidt")
    r"((kind|best|warm|many)\s+regards|mit freundlichen gr[üu](ß|ss)en|bien cordialement|"
    r"saludos cordiales|(cordiali|distinti) saluti|met vriendelijke groet(en)?)\s)"
)
# Words a sign-off may be followed by to be cut inline (name, title, company, phone).
_INLINE_SIGNATURE_WORDS = 24


# Help-desk chat transcripts: a turn is a line opening with its speaker ("Agent (Tom):",
# "[10:02] Visitor:"). A text with turns of both sides keeps the customer's turns (their
# label cut) and drops the agent's (greetings, questions, the customer's name) and the
# chat's own lines. Turns under names alone ("Tom:", "Ana:") cannot be told apart: kept.
_TURN = re.compile(
    r"^\s*(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\)?\]?\s*-?\s*)?"
    r"(?:\*\*|__)?(?P<who>[^\s:*_][^:\n*]{0,40}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*"
    r"(?P<said>.*)$"
)
_AGENT_SIDE = re.compile(
    r"(?i)\b(agent|support|bot|chatbot|operator|representative|rep|assistant|advisor|"
    r"adviser|specialist|staff|moderator|helpdesk|help desk|service desk|concierge|"
    r"customer (service|care|success)|interviewer|researcher|facilitator)\b"
)
_CUSTOMER_SIDE = re.compile(
    r"(?i)^(customer|visitor|user|client|guest|me|requester|end[- ]user|caller|member|"
    r"you|kunde|cliente|utilisateur|visiteur|besucher|participant|respondent|interviewee)"
    r"\b(?! (service|care|success|support))"
)
# A research transcript's turns: "Q:" the interviewer's, "A:" (or "P1:") the answer's,
# also on one line ("Q: How does that work today? A: when I onboard ...").
# "I:" and "Int:" are the interviewer's in a transcript's shorthand ("I: ... R: ...").
_QUESTION_SIDE = frozenset(
    {"q", "question", "i", "int", "interviewer", "researcher", "facilitator", "moderator"}
)
# A text of these turns alone is the interviewer's words, none of the customer's (a
# forum's "Q: how do I export?" is the customer's own question: kept).
_INTERVIEWER = _QUESTION_SIDE - {"q", "question"}
_ANSWER_SIDE = re.compile(r"(?i)a|answer|r|p\d{0,2}")
# A label that only says the customer speaks, cut from a one-line turn ("[00:02:01] P3:
# half my day is ..."); a name is not cut (it may be the customer's words' subject).
_ANSWER_LABEL = re.compile(
    r"(?i)(?:a|answer|p\d{1,3}|(?:participant|respondent|interviewee|customer|caller)"
    r"(?:\s*#?\d{1,3})?)"
)
# The interviewer's question and the answer on one line: "Q: ... A: ...", also
# "Interviewer: ... Participant: ..." and "I: ... P4: ..." (a research tool's highlight).
_BOLD = r"(?:\*\*|__)?"
_INLINE_QA = re.compile(
    rf"^\s*(?P<q>{_BOLD}(?:Q|I|(?i:interviewer|researcher|moderator|facilitator)){_BOLD}"
    rf"\s*:{_BOLD}\s*.+?)\s+(?P<a>{_BOLD}(?:A|R|P\d{{1,3}}|(?i:participant|respondent|"
    rf"interviewee)(?:\s*#?\d{{1,3}})?){_BOLD}\s*:{_BOLD}\s*.+)$"
)
# A transcript's speaker line alone (Otter and similar: "Sam Patel  01:42", "Speaker 1
# 00:03:11"): whose turn follows, no words.
SPEAKER_STAMP = re.compile(
    r"^\s*(?:\*\*|__)?(?:[A-Z][\w.'’-]*|\d{1,3})(?:\s(?:[A-Z][\w.'’-]*|\d{1,3})){0,3}"
    r"(?:\*\*|__)?(?:\s{2,}|\s*[|–-]\s*|\s+(?=[\[(]))\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?\s*$"
)
_CHAT_LINE = re.compile(
    r"(?i)^\s*(-{2,}\s*)?((live )?chat|conversation|session)\s*"
    r"(started|ended|closed|transferred|transcript|history|rating|id|log)\b"
    r"|^\s*(-{2,}\s*)?(chat|conversation) (was )?(started|ended|closed|transferred) by\b"
    r"|^\s*.{0,40}\b(has )?(joined|left) the (chat|conversation)\s*\.?\s*$"
)
# Web forms: a label on a line of its own (or opening one) names the field that follows;
# a system field holds no words of the customer (browser, OS, URL, attachments).
_FORM_LABEL = re.compile(
    r"(?i)^\s*(?:[-*•]\s+)?(describe (your|the) (issue|problem|request|question|feedback)|"
    r"(issue|problem|bug|request) (description|details|summary)|description|summary|"
    r"steps to reproduce|steps( taken| tried)?|reproduction steps|"
    r"(expected|actual) (result|behaviou?r|outcome)s?|what (happened|did you expect)|"
    r"additional (information|info|details|context|comments|notes)|other (information|details)|"
    r"your (message|question|feedback|request)|message|comments?|details)\s*:\s*"
)
_FORM_FIELD = re.compile(
    r"(?i)^\s*(?:[-*•]\s+)?([\w.+/-]{1,30}( [\w.+/-]{1,30})? version|browser( version)?|"
    r"user agent|(operating system|os)( version)?|device( model)?|"
    r"(app|application|software|product) version|version|build( number)?|platform|"
    r"(account|workspace|instance|site|page|company) url|url|link|attachments?|"
    r"screenshots?|priority|severity|urgency|ticket (id|number)|(order|reference|case) "
    r"(number|id|no\.?)|plan|subscription|e-?mail( address)?|phone( number)?|(full )?name|"
    r"company|organi[sz]ation|country|region|time ?zone|environment|"
    r"screen resolution|submitted (via|from|on)|sub-?category|request type)"
    r"\s*:\s*(?P<value>.*)$"
)
# A system field's value is short ("Firefox 123", "none"); a longer one is the customer's.
_FIELD_WORDS = 8
# Any short label with a version number ("- Python: 3.11.3", "acme-sdk: v2.3.9").
_VERSION_FIELD = re.compile(r"^\s*(?:[-*•]\s+)?[\w .+/-]{1,30}:\s*v?\d+(\.\d+)+[\w.+-]*\s*$")


# Issue trackers (Jira's wiki markup, GitHub's Markdown and issue templates): what a
# writer does not say but the tool or its template puts there. Cut from the whole text:
# Jira's {code}/{noformat} blocks (a stack trace, a log), an HTML comment (a template's
# hint, "<!-- Please describe the bug -->"), an image ("!shot.png|thumbnail!",
# "![shot](url)"), a mention ("[~jsmith]"); a link keeps its words ("[the docs|url]").
_MARKUP_BLOCK = re.compile(r"(?is)\{(code|noformat)(?::[^{}\n]{0,200})?\}.*?\{\1\}|<!--.*?(-->|$)")
_MARKUP_MACRO = re.compile(r"(?i)\{(quote|panel|color|anchor)(?::[^{}\n]{0,200})?\}")
# A forum's quote of another post, BBCode as Discourse and phpBB write it
# ('[quote="ana, post:3, topic:98"] ... [/quote]'): someone else's words, and their name.
_BBCODE_QUOTE = re.compile(r"(?is)\[quote(?:=[^\]\n]{0,300})?\].*?(?:\[/quote\]|$)")
# BBCode's formatting as Steam and forums write it ("[h1]Verdict[/h1]", "[b]Pros[/b]",
# "[list][*]..[/list]", "[spoiler]", "[url=...]words[/url]"): the words stay, a list
# item on a line of its own. Left in, they had been keywords ("bprosb", "bconsb") and a
# theme "List" of 230 reviews.
_BBCODE_ITEM = re.compile(r"\s*\[\*\]\s*")
_BBCODE_IMAGE = re.compile(r"(?is)\[img\].*?\[/img\]")
_BBCODE_TAG = re.compile(
    r"(?i)\[/?(?:b|i|u|s|h[1-6]|list|olist|ul|ol|li|spoiler|noparse|hr|code|table|tr|td|th|"
    r"strike|center|left|right|quote|url(?:=[^\]\n]{0,500})?|size=[^\]\n]{0,20}|"
    r"colou?r=[^\]\n]{0,30}|font=[^\]\n]{0,40})\]"
)
_BBCODE_HEADING = re.compile(r"(?i)\[(h[1-6])\](.*?)\[/\1\]")
_MARKUP_IMAGE = re.compile(
    r"(?i)!\[[^\]\n]{0,200}\]\([^)\s]{1,500}\)|"
    r"![^\s!|]{1,200}\.(png|jpe?g|gif|bmp|svg|webp)(\|[^!\n]{0,100})?!"
)
_MARKUP_MENTION = re.compile(r"\[~[^\]\s]{1,100}\]")
_MARKUP_LINK = re.compile(r"\[([^\[\]|\n]{1,200})\|(?:https?://|mailto:)[^\]\s]{1,500}\]")
# Lines of structure, not of words: a heading that names a section ("### Describe the
# bug", "h3. Summary"), a template's acknowledgement ("- [x] I searched the existing
# issues"), a table row ("||OS||Result||", "| a | b |"), a stack frame or exception
# line, a log line. A heading or a checkbox with words of the writer's own ("## 1. Dark
# mode", "- [ ] CSV export works") keeps its words.
_HEADING = re.compile(r"^\s*(?:#{2,6}|h[1-6]\.)\s+")  # "# " numbers Jira's lists
# A line that only copies people in ("cc @ana @tom", "/cc @ana").
_CC_LINE = re.compile(r"(?i)^\s*(/?cc|fyi)?\s*:?\s*(@[\w.-]+[\s,]*)+$")
_CHECKBOX = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+")
_ACKNOWLEDGED = re.compile(
    r"(?i)^(i\b|i'(ve|m|d)\b|my\b|this (issue|request|bug)\b)|searched|code of conduct|"
    r"latest version|read the|\bagree\b"
)
_TABLE_ROW = re.compile(r"^\s*\|[^|\n]*\|[^|\n]*\|.*\|?\s*$")
_TRACE_LINE = re.compile(
    r"^\s*(at\s+[\w$.<>/]+\([^()\n]*\)\s*$|\.\.\.\s*\d+\s+more\s*$|"
    r"caused by:\s|exception in thread\s|traceback \(most recent call last\)|"
    r'file "[^"\n]+", line \d+|[a-z_$][\w$]*(\.[\w$]+)+(exception|error)\b(:|\s*$))',
    re.IGNORECASE,
)
# A log line: a timestamp, then a level as logs write it ("ERROR", "[warn]"), not as a
# customer does ("2026-03-01 10:15 error again after the update").
_LOG_LINE = re.compile(
    r"^\s*\[?\d{4}-\d{2}-\d{2}[ Tt]\d{2}:\d{2}(:\d{2})?([.,]\d+)?Z?\]?\s+"
    r"(\[(?i:trace|debug|info|warn|warning|error|fatal|critical)\]|"
    r"(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\b)"
)
# Machine log lines without a level: a timestamp to the millisecond or naming a process
# ("2026-10-05 07:18:25.223 Trailhead[300:48623] [Offline] retry 3/3 failed"), Android's
# logcat ("10-05 07:18:25.223  1234  5678 E Tile: ..."). A customer's own line opening
# with a time ("2026-03-01 10:15 error again") stays.
_MACHINE_LOG_LINE = re.compile(
    r"^\s*\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+\]?\s|\]?\s+[\w.-]+\[\d+(?::\d+)?\])"
    r"|^\s*\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+\d+\s+[VDIWEF]\s"
)
# A crash report pasted as text (Apple's .ips/.crash, Android's): a frame
# ("3   libdispatch.dylib   0x00000001b0c1e4b4 _dispatch_call_block_and_release + 32"),
# a thread's heading, Android's "FATAL EXCEPTION: main" and "Process: com.x, PID: 1",
# and, in a text holding two of them or more, the report's header fields. Left in,
# a helper's beta feedback had 14 of 30 themes of them ("Hardware model", "Exception",
# "Crashed thread"), and the battery theme was named "Exception".
_CRASH_LINE = re.compile(
    r"^\s*(?:\d+\s+\S+\s+0x[0-9a-fA-F]+\s|Thread\s+\d+(?:\s+Crashed)?:?\s*$"
    r"|Binary Images:\s*$|FATAL EXCEPTION:\s*\S+\s*$|Process:\s*[\w.]+,\s*PID:\s*\d+\s*$)"
)
_CRASH_FIELD = re.compile(
    r"^\s*(?:Incident Identifier|CrashReporter Key|Hardware Model|Process|Path|Identifier|"
    r"Version|Code Type|Role|Parent Process|Coalition|Date/Time|Launch Time|OS Version|"
    r"Release Type|Baseband Version|Report Version|Exception Type|Exception Codes|"
    r"Exception Subtype|Exception Note|Termination Reason|Termination Signal|"
    r"Triggered by Thread|Crashed Thread|Beta Identifier|Sleep/Wake UUID|"
    r"Time Awake Since Boot|Application Specific Information):\s"
)
_CRASH_MARK = re.compile(
    r"^\s*(?:Incident Identifier|Exception Type|Exception Codes|Crashed Thread|"
    r"Triggered by Thread|Hardware Model|Termination Reason):\s"
)
# A device's line pasted under a report, each part a device, a system and its version,
# a browser or a build ("iPhone 14 Pro, iOS 17.2.1, build 4.2.0 (812)", "Environment:
# Pixel 8, Android 14, app 4.1.0 (795)"): which phone, not what happened; left in, it
# had named themes after phones ("Pixel 8 pro" for paywall complaints).
_DEVICE_PART = (
    r"(?:(?:iphone|ipad|ipod|pixel|galaxy|samsung|oneplus|xiaomi|redmi|huawei|moto|motorola|"
    r"nokia|oppo|vivo|xperia|macbook|imac|mac|surface|sm-)"
    # its model: numbers and the few words models have ("iPhone 14 Pro Max", "Galaxy
    # S23", "iPad Air"), never a sentence ("iPhone 15 crashes on launch")
    r"(?:[\s-]*(?:[a-z]?\d+[a-z0-9+]*|pro|max|plus|mini|ultra|air|lite|se|fold|flip|note|tab|"
    r"xl|fe|edge|galaxy|pixel|book|studio)\b){0,4}"
    r"|(?:ios|ipados|iphone os|android|macos|os x|windows|watchos|wear os|linux|ubuntu|"
    r"chromeos|chrome|firefox|safari|edge)\s*v?\d+(?:\.\d+)*(?:\s*\(\w+\))?"
    r"|(?:build|app|version|ver|v)\s*v?\d+(?:\.\d+)+(?:\s*\(\w+\))?)"
)
_DEVICE_LINE = re.compile(
    rf"(?i)^\s*(?:(?:device|environment|env|platform|system|sent from)\s*:?\s*)?"
    rf"{_DEVICE_PART}(?:\s*[,/|;]\s*{_DEVICE_PART})+\s*\.?\s*$"
)
# A Python traceback's last line names the exception ("MemoryError", "KeyError: 'id'").
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b")
# A forum post's note that its problem is solved ("EDIT: solved, it was the proxy",
# "**Update 2:** fixed, thanks"): the thread's outcome, not feedback (such notes had
# been read as negative and made a theme of their own).
_SOLVED_NOTE = re.compile(
    r"(?i)^\W*(?:edit|update|upd|solved|resolved)\s*\d*\W*\s*[:\-–]\W*\s*"
    r"(?:solved|fixed|resolved|sorted|nvm|never\s*mind|figured\s+it\s+out|works\s+now"
    r"|got\s+it\s+(?:working|sorted))\b"
)
# Emphasis marks ("*Steps to reproduce:*", "**Describe the bug**") are cut, the words kept.
_EMPHASIS = re.compile(r"(?<![\w*_])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?![\w*_])")


def _unemphasised(text: str) -> str:
    """``text`` with its Markdown emphasis marks cut ("*really*" reads "really")."""
    return _EMPHASIS.sub(r"\2", text) if "*" in text or "_" in text else text


_WHOLE_EMPHASIS = re.compile(r"^\s*(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1\s*$")
# The prompts and section names of the usual issue templates, as lines of their own.
_TEMPLATE_PROMPT = re.compile(
    r"(?i)^\s*(is your feature request related to a problem\??( please describe\.?)?|"
    r"describe the (bug|solution you'd like|alternatives you've considered)\.?|"
    r"to reproduce|steps to reproduce( the behaviou?r)?|"
    r"(expected|actual|current) (behaviou?r|result)s?|what (happened|did you expect to happen)\??|"
    r"screenshots?|additional (context|information|notes)|relevant log output|"
    r"(desktop|smartphone)( \(please complete the following information\))?|"
    r"please complete the following information|code of conduct|summary|description|"
    r"details|environment|checklist|steps|notes|context|background|impact|workaround|"
    r"logs?|versions?|acceptance criteria|root cause|proposal|motivation|alternatives|"
    r"attachments?|possible solution|system info(rmation)?)\s*:?\s*$"
)


def _without_markup(text: str) -> str:
    """``text`` without an issue tracker's blocks, images and mentions (see
    :data:`_MARKUP_BLOCK`), its links as their words."""
    if not any(mark in text for mark in ("{", "<!--", "!", "[")):
        return text
    text = _MARKUP_BLOCK.sub("\n", text)
    text = _BBCODE_QUOTE.sub("\n", text)
    if "[" in text and "]" in text:
        text = _BBCODE_IMAGE.sub("", text)
        text = _BBCODE_HEADING.sub(lambda m: f"\n{m.group(2)}\n", text)
        text = _BBCODE_ITEM.sub("\n- ", text)
        text = _BBCODE_TAG.sub("", text)
    text = _MARKUP_MACRO.sub("", text)
    text = _MARKUP_IMAGE.sub("", text)
    text = _MARKUP_MENTION.sub("", text)
    return _MARKUP_LINK.sub(r"\1", text)


def _without_structure(lines: list[str]) -> list[str]:
    """``lines`` without headings, template checkboxes and prompts, table rows, stack
    frames, a Python traceback and log lines; a Jira quote mark ("bq. ") and emphasis
    marks cut from the rest (see :data:`_HEADING`)."""
    kept: list[str] = []
    dropped = traceback = False
    crash = sum(bool(_CRASH_MARK.match(line)) for line in lines) >= 2
    for line in lines:
        if traceback:
            if line[:1].isspace():
                continue
            traceback = False
            if _EXCEPTION_LINE.match(line):
                continue
        if not line.strip():
            if dropped and kept and not kept[-1].strip():
                continue  # the blank lines around what went: one is enough
            kept.append(line)
            continue
        if (
            _TABLE_ROW.match(line)
            or _CC_LINE.match(line)
            or _LOG_LINE.match(line)
            or _MACHINE_LOG_LINE.match(line)
            or _CRASH_LINE.match(line)
            or (crash and _CRASH_FIELD.match(line))
            or _DEVICE_LINE.match(_unemphasised(line))
            or _SOLVED_NOTE.match(line)
        ):
            dropped = True
            continue
        if _TRACE_LINE.match(line):
            traceback = "traceback (most recent call last)" in line.lower()
            dropped = True
            continue
        marked = _HEADING.match(line) or _CHECKBOX.match(line)
        words = line[marked.end() :] if marked else line
        whole = _WHOLE_EMPHASIS.match(words)
        words = _unemphasised(words)
        label = (marked or whole) and words.rstrip().endswith(":")
        checked = _CHECKBOX.match(line) and _ACKNOWLEDGED.search(words.strip())
        if label or checked or _TEMPLATE_PROMPT.match(words):
            dropped = True
            continue
        kept.append(re.sub(r"^\s*bq\.\s", "", words))
    return kept


# A phone menu's lines in a call's transcript ("IVR: please say your account number"):
# the company's side, as an agent's turns are ("System:" is no side: a note's field).
_MACHINE_SIDE = frozenset({"ivr", "automated message", "recording", "auto attendant"})
# A call's agent opens with a greeting of the trade ("thank you for calling Skyline",
# "this call may be recorded", "how can I help"): in a transcript whose speakers are
# "Speaker 1" / "Speaker 2" or names, the speaker whose first turn says it is the agent.
_AGENT_GREETING = re.compile(
    r"(?i)\b(?:thanks?|thank\s+you)\s+for\s+(?:calling|contacting|holding)\b"
    r"|\bthis\s+call\s+(?:may|will|is\s+going\s+to)\s+be\s+(?:recorded|monitored)"
    r"|\bhow\s+(?:can|may)\s+i\s+(?:help|assist)(?:\s+you)?(?:\s+today)?\s*[?.]?\s*$"
)
# Turns run together on one line, as a contact centre's export writes a call ("Agent:
# thanks for calling how can i help Customer: my internet is down Agent: ..."): a label of
# a role (or "Speaker 2") where a new turn begins.
_INLINE_ROLE_LABEL = re.compile(
    r"(?:^|(?<=\s))(?<!\b[Tt]he\s)(?<!\b[Aa]n\s)(?<!\b[Aa]\s)(?<!\b[Mm]y\s)(?<!\b[Oo]ur\s)"
    r"(?P<who>(?=[A-Z])(?i:agent|customer|caller|ivr|visitor|client|rep|"
    r"representative|advisor|operator|bot|speaker\s*\d{1,2}))\s*:"
)
_TURN_COLON = re.compile(r":(?!\d)")  # a label's colon, not a time's ("09:12")
_INLINE_AGENT = frozenset("agent ivr rep representative advisor operator bot".split())
# Turns run together need this many role labels: a CRM note's "Customer: Acme Corp. Rep:
# Dana. Summary: they want SSO" is one note, not two turns.
_INLINE_LABELS = 3
_INLINE_CUSTOMER = frozenset("customer caller visitor client".split())


# A customer's turn that only closes the conversation ("no that's it thanks", "okay
# thanks bye bye", "nope that's all thank you bye"): no words about the product, and
# its thanks had made 35 of a helper's 50 complaint calls about a technician who never
# came read positive.
_CLOSING_WORDS = (
    r"(?:no+|nope|nah|yeah|yes|yep|ok(?:ay)?|alright|all right|um+|uh+|"
    r"oh|well|so|that'?s (?:it|all|everything|great|fine)|that is (?:it|all|everything)|"
    r"thanks?|thank you|thanks? (?:so|very) much|thank you (?:so|very) much|cheers|"
    r"(?:for|with) (?:your|the|all the) help|appreciate it|i appreciate it|bye(?:[- ]bye)?|"
    r"good ?bye|have a (?:good|nice|great) (?:day|one|night|evening)|you too|for now|"
    r"nothing else|i'?m good|i'?m all set|all set)"
)
_CLOSING_TURN = re.compile(rf"(?i)\W*{_CLOSING_WORDS}(?:\W+{_CLOSING_WORDS})*\W*")


def _inline_turns(text: str) -> str:
    """``text`` with each turn on a line of its own when its turns run together on one
    line under role labels of both sides (or two speakers numbered); else as it is."""
    if ":" not in text:  # no label at all: most texts
        return text
    labels = list(_INLINE_ROLE_LABEL.finditer(text))
    # a label after another turn's on its line ("[09:12] Support Bot:" is one label)
    inner = [
        m
        for m in labels
        if _TURN_COLON.search(text[text.rfind("\n", 0, m.start()) + 1 : m.start()])
    ]
    if not inner:
        return text
    found = {_speaker(m) for m in labels}
    numbered = {who for who in found if who.startswith("speaker")}
    if not (found & _INLINE_AGENT and found & _INLINE_CUSTOMER) and len(numbered) < 2:
        return text
    if len(labels) < _INLINE_LABELS:
        return text
    for m in reversed(inner):
        text = text[: m.start()].rstrip(" \t") + "\n" + text[m.start() :]
    return text


def _without_chat_furniture(lines: list[str]) -> list[str]:
    """``lines`` of a chat transcript with only the customer's turns (labels cut); other
    texts as they are (see :data:`_TURN`)."""
    lines = [part for line in lines for part in _qa_lines(line)]
    turns = [_TURN.match(line) for line in lines]
    sides, speakers = [], []
    for line, turn in zip(lines, turns, strict=True):
        who = turn.group("who").strip() if turn else ""
        if turn:
            speakers.append(who.lower())
        if turn and (_CUSTOMER_SIDE.match(who) or _ANSWER_SIDE.fullmatch(who)):
            sides.append(("customer", turn.group("said")))
        elif turn and (
            _AGENT_SIDE.search(who)
            and len(who.split()) <= 4
            or who.lower() in _QUESTION_SIDE
            or _speaker(turn) in _MACHINE_SIDE
        ):
            sides.append(("agent", None))
        else:
            sides.append((None, line))
    if len(set(speakers)) >= 2:  # speakers to tell apart by who greets
        sides = _greeted_sides(turns, sides)
    if sides and sides[0][0] == "agent" and all(who in _INTERVIEWER for who in speakers):
        # The interviewer alone ("Interviewer: is it okay if I record this session?"):
        # no customer's words at all.
        return []
    if not any(side == "customer" for side, _ in sides) or not any(
        side == "agent" for side, _ in sides
    ):
        return lines
    # A caller's turns that only close the call go, unless nothing else is theirs.
    closing = [side == "customer" and bool(_CLOSING_TURN.fullmatch(said)) for side, said in sides]
    closing_only = all(
        shut for shut, (side, _) in zip(closing, sides, strict=True) if side == "customer"
    )
    kept, speaker = [], None
    for (side, said), shut in zip(sides, closing, strict=True):
        if side is not None:
            speaker = side
            if side == "customer" and (closing_only or not shut):
                kept.append(said)
        elif _CHAT_LINE.match(said):
            continue
        elif speaker != "agent":  # the customer's turn going on, or before any turn
            kept.append(said)
    return kept


def _speaker(turn: re.Match) -> str:
    """A turn's speaker as its label names them, in lower case, single-spaced."""
    return " ".join(turn.group("who").lower().split())


def _greeted_sides(turns: list[re.Match | None], sides: list[tuple]) -> list[tuple]:
    """``sides`` of a transcript whose speakers no role names ("Speaker 1", "Tom"; its
    lines' ``turns``, None for a line that is none), with the speaker who opens with an
    agent's greeting the agent and the others customers (a phone menu's lines the
    company's); as they are when a side other than a phone menu's is known, or no
    speaker alone greets so."""
    if any(side == "customer" for side, _ in sides):
        return sides
    machine = [bool(turn) and _speaker(turn) in _MACHINE_SIDE for turn in turns]
    if any(side is not None and not menu for (side, _), menu in zip(sides, machine, strict=True)):
        return sides
    first: dict[str, str] = {}
    for turn, menu in zip(turns, machine, strict=True):
        # a sentence with a colon is no speaker
        if turn and not menu and len(_speaker(turn).split()) <= 3:
            first.setdefault(_speaker(turn), turn.group("said"))
    greeters = [who for who, said in first.items() if _AGENT_GREETING.search(said)]
    if len(first) < 2 or len(greeters) != 1:
        return sides
    greeted = []
    for turn, menu, (_, said) in zip(turns, machine, sides, strict=True):
        if menu:
            greeted.append(("agent", None))  # the phone menu's line: the company's side
        elif turn and _speaker(turn) in first:
            who = "agent" if _speaker(turn) == greeters[0] else "customer"
            greeted.append((who, turn.group("said")))
        else:  # a line of no turn; a label of more than three words, its words after it
            greeted.append((None, turn.group("said") if turn else said))
    return greeted


def _research_turn(line: str) -> bool:
    """Whether one line is a research transcript's: "Q: ... A: ...", or a turn of the
    interviewer's ("Interviewer: is it okay if I record this session?")."""
    return bool(_INLINE_QA.match(line)) or interviewer_turn(line)


def interviewer_turn(line: str) -> bool:
    """Whether ``line`` opens with the interviewer's label ("I:", "**Interviewer:**")."""
    turn = _TURN.match(line)
    return bool(turn) and turn.group("who").lower().strip() in _INTERVIEWER


def _qa_lines(line: str) -> list[str]:
    """A research transcript's "Q: ... A: ..." on one line as its two turns."""
    qa = _INLINE_QA.match(line)
    return [qa.group("q"), qa.group("a")] if qa else [line]


# Notes of a call or a meeting, as a product team keeps them: "Call with Ana Ruiz (Acme),
# Head of Ops." opens them, "Context: onboarding check-in" says why, and an "Action
# items:" list holds the team's own follow-ups ("Carla to follow up with engineering",
# "Send Zoe the roadmap deck"). None is the customer's words: a helper's Productboard
# notes had made them the roadmap's top three items ("Finance manager", "Engineering
# on timeline", "Roadmap deck").
_MEETING_OPENER = re.compile(
    r"(?i)^\s*(?:notes?\s+(?:from|of)\s+(?:a\s+|the\s+|our\s+)?)?"
    r"(?:(?:discovery|sales|demo|intro|onboarding|support|renewal|qbr)\s+)?"
    r"(?:call|meeting|chat|demo|qbr|interview|sync|check-?in)\s+with\s+[^\n]{0,120}$"
)
_MEETING_CONTEXT = re.compile(r"(?i)^\s*(?:context|attendees|participants|date|agenda)\s*:")
# The names of a team's own follow-ups in its notes (also read by miner.ingest).
FOLLOW_UP_NAMES = r"action\s+items?|next\s+steps?|follow[- ]?ups?|to-?dos?"
_FOLLOW_UPS = re.compile(
    rf"(?i)^\s*(?:#{{1,6}}\s*)?(?:\*\*|__)?(?:{FOLLOW_UP_NAMES}|"
    r"takeaways? for (?:us|the team)|internal notes?)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$"
)
# A speaker's name with their company opening their words in meeting notes ("Tariq
# Mensah (Wayne Retail): When I close the month ..."): who spoke, not what was said (it
# had made a theme of speakers' names and put them in every quote).
SPEAKER = re.compile(
    # a list's bullet first: notes are often one bullet a speaker ("- Tom Reilly (Reilly
    # Chiro): ...": a helper's council notes had 7 of 8 themes named after members)
    r"^\s*(?:[-*+•·▪◦–]\s+(?=(?:\*\*|__)?[A-Z][\w.'’-]+\s+[A-Z]))?(?:\*\*|__)?[A-Z][\w.'’-]+"
    r"(?:\s+[A-Z][\w.'’-]+){0,3}\s*\((?P<org>[^()\n]{1,40})\)"
    r"\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*"
)
# A notes file read a line a comment: a heading alone ("## Agenda", "# Customer Advisory
# Council - March"), the attendees' line.
_NOTES_LINE = re.compile(
    r"^\s*(?:#{1,6}\s+(?=(?-i:[A-Z0-9]))[^.!?\n]{1,80}|(?:attendees|participants|facilitator|"
    r"present|apologies)\s*:.*"
    # when and how long ("Date: 2026-03-04", "Date: March 4, 2026", "Duration: 45 min")
    r"|(?:\*\*|__)?(?:date|time|duration|length|recorded)(?:\*\*|__)?\s*:(?:\*\*|__)?"
    r"(?=[^\n]*\d)(?:[\s,]*(?:\d[\d/.:-]*(?:st|nd|rd|th)?|(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|min(?:ute)?s?|h(?:ou)?rs?|am|pm|"
    r"utc|gmt|cet|[ecmp][sd]t|at|about|approx\.?))+[\s.]*)$",
    re.IGNORECASE,
)
# A label alone on its line in a call's notes ("Customer said:", "Pain points:").
_NOTE_LABEL = re.compile(r"^\s*(?:\*\*|__)?[A-Za-z][\w' ]{0,30}:(?:\*\*|__)?\s*$")
_LIST_LINE = re.compile(r"^\s*(?:[-*+•·▪◦–]|\d{1,2}[.)]|\[[ xX]\])\s+")
# The most words of a context line that is the note-taker's ("Context: onboarding check-in").
_CONTEXT_WORDS = 8


# A Markdown heading of a few words (not a numbered item of the writer's, "## 1. Dark
# mode") and the line naming who attended.
_SECTION_WORDS = 3  # "Customer feedback", "Risks and blockers"
_NOTE_HEADING = re.compile(r"^\s*#{1,6}\s+(?!\d{1,2}[.)]\s)(?:\S+\s*){1,10}$")
_ATTENDEES = re.compile(r"(?i)^\s*(?:\*\*|__)?(?:attendees|participants|present)(?:\*\*|__)?\s*:")
# ... and that line when it only lists people, however many ("Owen Brady (Finance), Nina
# Alvarez (CSM), Yuki Tanaka (IT)"): three attendees had made themes of their names.
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:\s*\([^()\n]{1,40}\))?"
_ATTENDEE_LIST = re.compile(
    rf"(?i:^\s*(?:\*\*|__)?(?:attendees|participants|present)(?:\*\*|__)?\s*:\s*)"
    rf"{_NAME}(?:\s*(?:,|;|&|\band\b)\s*{_NAME})*\s*\.?\s*$"
)


def _without_note_headings(lines: list[str]) -> list[str]:
    """A meeting's notes in Markdown (a heading first, an attendees' line) without their
    headings ("## QBR - Bluefin Ltd - 28 Jan 2026", "### Customer feedback"), but for a
    follow-ups heading, whose list then goes (:func:`_without_meeting_furniture`):
    a helper's 350 QBR notes had made one theme, "Customer feedback", and 15 named
    after the accounts in their headings. Other texts as they are."""
    filled = [line for line in lines if line.strip()]
    if not filled or not _NOTE_HEADING.match(filled[0]):
        return lines
    if not any(_ATTENDEES.match(line) for line in filled[:4]):
        return lines
    title = filled[0]
    return [
        line
        for line in lines
        # the title, a section's name of a few words; not a heading that says something
        # ("### Bank feeds keep breaking for Lloyds")
        if line is not title
        and not (_NOTE_HEADING.match(line) and _few_words(line))
        or _FOLLOW_UPS.match(line)
    ]


def _few_words(heading: str) -> bool:
    return len(heading.lstrip(" #").split()) <= _SECTION_WORDS


# A review written as a checklist (Steam's "---{ Graphics }---" then "☑ Beautiful",
# "☐ Bad" ...): what is ticked is said, under its section's name; what is not ticked is
# an option the writer did not choose. Read whole, a helper's 84 checklists ticking
# praise had all been negative, a theme "Minor bugs" named after an option left blank.
_UNTICKED = re.compile(r"^\s*[☐□▢⬜]\s*")
_TICKED = re.compile(r"^\s*(?:[☑☒✅✔✓]\ufe0f?|\[[xX]\])\s*")
_CHECKLIST_SECTION = re.compile(
    r"^\s*[-=~_*#+ ]*[{\[(<|]\s*([^{}\[\]()<>|\n]{1,40}?)\s*[}\])>|][-=~_*#+ ]*$"
)
_MIN_BOXES = 3


def _checked_boxes(lines: list[str]) -> list[str]:
    """A checklist review's ticked options as sentences under their section ("Graphics:
    Beautiful."), its options left blank and section lines out; other texts as they
    are. Three boxes of ☐/☑ make a checklist."""
    if sum(bool(_UNTICKED.match(line) or _TICKED.match(line)) for line in lines) < _MIN_BOXES:
        return lines
    # Options to choose among: some ticked, some not (boxes all blank are a to-do list,
    # "Still missing: ☐ co-op ☐ mod support", the writer's asks).
    if not any(_UNTICKED.match(line) for line in lines) or not any(map(_TICKED.match, lines)):
        return lines
    kept, picks, section, at = [], [], "", None
    for line in lines:
        heading = _CHECKLIST_SECTION.match(line)
        if heading:
            section = heading.group(1).strip()
            continue
        if _UNTICKED.match(line):
            continue
        ticked = _TICKED.match(line)
        if ticked:
            option = line[ticked.end() :].strip()
            picks.append(f"{section}: {option}" if section else option)
            at = len(kept) if at is None else at
            continue
        kept.append(line)
    # One line, one sentence: read a line each, a checklist had made a short review of
    # five pieces and tipped a file of them into piece themes.
    kept.insert(at, "; ".join(picks) + ".")
    return kept


# A forum post quoting another before its own words ("Quote from Ana:", "Originally
# posted by Ana:", "Zitat von Ana:"), the quote running to the first blank
# line: someone else's words. Kept, 45 of a helper's 77 Steam replies had been themed by
# the post they quoted.
_FORUM_QUOTE = re.compile(
    r"(?i)^\s*(?:quote\s+from|originally\s+posted\s+by|quoting|zitat\s+von|citation\s+de"
    r"|cita\s+de|citazione\s+di)\s+[^:\n]{1,60}:"
)


def _without_forum_quotes(lines: list[str]) -> list[str]:
    """``lines`` without a quoted post (:data:`_FORUM_QUOTE`) when the writer's own words
    follow it after a blank line; other texts as they are."""
    if not any(_FORUM_QUOTE.match(line) for line in lines):
        return lines
    kept: list[str] = []
    quoting = False
    for index, line in enumerate(lines):
        if _FORUM_QUOTE.match(line):
            rest = lines[index + 1 :]
            blank = next((k for k, after in enumerate(rest) if not after.strip()), None)
            quoting = blank is not None and any(after.strip() for after in rest[blank:])
            if quoting:
                continue
        if quoting:
            if not line.strip():
                quoting = False
            continue
        kept.append(line)
    return kept


# A sales or CS rep's note in a CRM: a dated call opener ("5/20: call w/ Marcus Lee (Fin
# Dir)."), the rep's own next step closing it ("Next steps: send deck to Owen.", "Follow
# up 8/5.") and their initials or name under it ("-- Tom", "/PS", "AE: Alicia Gomez").
# None is the customer's: in a helper's 750 closed-lost notes they had been in every
# quote ("... Next steps: follow up Q3. AE: Alicia Gomez") and keywords ("steps", "ae").
CALL_OPENER = re.compile(
    r"(?i)^\s*(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2})\s*[:-]?\s*"
    r"(?:(?:discovery|sales|demo|intro|ref(?:erence)?|renewal|qbr)\s+)?"
    r"(?:call|meeting|demo|qbr|sync|check-?in|mtg)\s+(?:w/|with)\s+"
    # whom, and their role: nothing said yet ("call w/ Marcus Lee, he said ..." stays)
    r"(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*(?:\([^()\n]{1,40}\))?\s*\.[ \t]*"
)
# The rep's next step: a "Next steps:" sentence of the rep's own doing (sending, a
# follow-up, nurturing; not "Next steps: we are moving to Xero", the customer's words),
# or a follow-up and its date alone ("Follow up 8/5.", "Follow up in Q3.").
_NEXT_STEP = re.compile(r"(?i)^\s*(?:next\s+steps?|follow[- ]?ups?|f/u|ns)\s*:\s*(?P<rest>\S.*)$")
_REP_ACTION = re.compile(
    r"(?i)\b(?:send|sent|follow[- ]?up|nurture|revisit|check\s+in|schedule|loop\s+in|share|"
    r"ae|am|csm|sdr|bdr|deck|proposal|pricing|quote|demo|poc|intro|recap)\b"
)
_PERSON_VOICE = re.compile(r"(?i)\b(?:i|i'm|i've|we|we're|we've|my|our|me|us|you|your)\b")
_FOLLOW_UP_DATE = re.compile(
    r"(?i)^\s*(?:f/u|follow[- ]?up)\s*:?\s*(?:(?:in|on|by|after)\s+)?"
    r"(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|q[1-4]|next\s+(?:week|month|quarter|year)|\d+\s+(?:days?|weeks?|months?)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2})?)\s*[.!]?\s*$"
)
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=\S)")
_REP_SIGNATURE = re.compile(
    r"^\s*(?:--\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?|/[A-Z]{2,3}|"
    r"(?:AE|AM|CSM|SDR|BDR)\s*:\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?)\s*$"
)
# "- Alicia (AG)": a name and its initials, not a list's last item ("- HubSpot (CRM)")
_INITIALLED = re.compile(
    r"^\s*-\s*(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?)\s*\((?P<initials>[A-Z]{2,3})\)\s*$"
)


def _rep_next_step(sentence: str) -> bool:
    """Whether ``sentence`` is a rep's next step (see :data:`_NEXT_STEP`)."""
    if _FOLLOW_UP_DATE.match(sentence):
        return True
    step = _NEXT_STEP.match(sentence)
    rest = step.group("rest") if step else ""
    return bool(step and _REP_ACTION.search(rest) and not _PERSON_VOICE.search(rest))


def _rep_next_step_at_end(line: str) -> str | None:
    """``line`` without the rep's next steps closing it ("... Dealbreaker. Follow up
    10/18."), when three words or more come before them; None when it has none."""
    starts = [0, *(m.end() for m in _SENTENCE_START.finditer(line))]
    cut = None
    for start in reversed(starts[1:]):
        if not _rep_next_step(line[start:]):
            break
        cut = start
    if cut is None or len(re.findall(r"[^\W\d_]+", line[:cut])) < 3:
        return None
    return line[:cut].rstrip()


def _rep_signature(line: str, before: str) -> bool:
    """Whether ``line`` is a rep's name or initials under their note (``before``: the
    line above it)."""
    if _REP_SIGNATURE.match(line):
        return True
    named = _INITIALLED.match(line)
    return bool(
        named
        and named.group("initials")[0] == named.group("name")[0]
        and not _LIST_LINE.match(before)
    )


def _without_rep_furniture(lines: list[str]) -> list[str]:
    """A rep's note without its closing next step and signature (see
    :data:`_NEXT_STEP`); other texts as they are. The next step goes only when nothing
    but a signature follows it."""
    kept = list(lines)
    signed = False
    while kept:
        before = next((line for line in reversed(kept[:-1]) if line.strip()), "")
        if kept[-1].strip() and not _rep_signature(kept[-1], before):
            break
        signed = signed or bool(kept[-1].strip())
        kept.pop()
    stepped = False
    if kept and (inline := _rep_next_step_at_end(kept[-1])) is not None:
        kept[-1], stepped = inline, True  # "... froze all new tools. Next steps: nurture."
    while kept and _rep_next_step(kept[-1]) and not _LIST_LINE.match(kept[-1]):
        stepped = True
        kept.pop()
        while kept and not kept[-1].strip():
            kept.pop()
    if not (signed or stepped) or not any(any(ch.isalpha() for ch in line) for line in kept):
        return lines
    return kept


def _without_meeting_furniture(lines: list[str]) -> list[str]:
    """``lines`` of a call's notes without their opener, a short context line, labels
    alone on a line and the team's follow-ups (see :data:`_MEETING_OPENER`); other texts
    as they are, but for an "Action items:" list, which is never the customer's. Notes
    that open with who attended are a meeting's too."""
    filled = [k for k, line in enumerate(lines) if line.strip()]
    opened = bool(filled) and bool(_MEETING_OPENER.match(lines[filled[0]]))
    meeting = opened or (bool(filled) and bool(_ATTENDEES.match(lines[filled[0]])))
    kept: list[str] = []
    follow_ups = False
    for index, line in enumerate(lines):
        if follow_ups:  # the list under "Action items:", and blank lines in it
            if not line.strip() or _LIST_LINE.match(line):
                continue
            follow_ups = False
        line = SPEAKER.sub("", line, count=1)
        follow = _FOLLOW_UPS.match(line)
        if (
            follow
            and (meeting or "action" in line.lower())
            and any(_LIST_LINE.match(after) for after in lines[index + 1 : index + 3])
        ):
            follow_ups = True
            continue
        if meeting and (
            (index == filled[0] and opened)
            or _ATTENDEE_LIST.match(line)
            or (
                _MEETING_CONTEXT.match(line)
                and len(line.split(":", 1)[1].split()) <= _CONTEXT_WORDS
            )
            or _NOTE_LABEL.match(line)
        ):
            continue
        kept.append(line)
    return kept


def _without_form_furniture(lines: list[str]) -> list[str]:
    """``lines`` without a web form's field labels (the answers kept) and its system
    fields ("Browser: Firefox 123"); a text with fewer than two such lines as it is."""
    form = (_FORM_FIELD, _FORM_LABEL, _VERSION_FIELD)
    if sum(any(rule.match(line) for rule in form) for line in lines) < 2:
        return lines
    kept = []
    for line in lines:
        if _VERSION_FIELD.match(line):
            continue
        field = _FORM_FIELD.match(line)
        if field and len(field.group("value").split()) <= _FIELD_WORDS:
            continue
        label = _FORM_LABEL.match(line)
        kept.append(line[label.end() :] if label else line)
    return kept


def holds_html(text: str) -> bool:
    """Whether ``text`` holds the tags of an HTML body (``<p>``, ``<br>``, ``<aside>``)."""
    return "<" in text and bool(_HTML_TAG.search(text))


def from_html(text: str) -> str:
    """An HTML mail body as lines: quoted blocks dropped, line-ending tags as line
    breaks, other tags removed; text without such tags is returned as it is."""
    if not holds_html(text):
        return text
    text = _HTML_QUOTE.sub("\n", text)
    text = _HTML_BREAK.sub("\n", text)
    return _HTML_TAG.sub("", text)


# A letter's formal opening on the line of its first words ("To whom it may concern, I
# am writing about ...", "Dear Sir or Madam, ..."): a helper's complaint letters had
# kept it in their quotes. A friendly "Hi team, ..." stays (it may be all there is).
_LETTER_OPENING = re.compile(
    r"(?i)^\s*(?:to whom it may concern|dear (?:sir(?:s|\s*(?:/|or)\s*madam)?|madam|"
    r"valued customer|customer (?:service|support|care)(?: team)?|support(?: team)?))"
    r"\s*[,:;.-]\s+(?=\S)"
)

# A pasted e-mail's own header above its body ("From: ... / Sent: ... / Subject: ..."):
# two lines or more at the top, one of them its sender or its date. A hospital's
# complaint letters had kept the sender's name and "Subject: Formal complaint - <the
# patient's name>" in every shared quote (and themes of the header's words).
_MAIL_HEADER = re.compile(
    r"(?i)\A\s*"
    # forwarded: its marker above the header ("---------- Forwarded message ---------",
    # "-----Original Message-----", "Fwd: complaint": a checking helper's forwarded
    # complaints had kept the marker alone, the body taken for a quoted reply)
    r"(?:(?:-{2,}\s*(?:forwarded\s+message|original\s+message)\s*-{2,}|begin\s+forwarded"
    r"\s+message:?|fwd?:[^\n]*)[ \t]*(?:\r?\n|\r)+[ \t]*)?"
    r"(?:(?:from|sent|date|to|cc|bcc|subject|importance|reply-to)[ \t]*:[^\n]*"
    r"(?:\r?\n|\r)+[ \t]*){2,}"
)
_HEADER_SENDER = re.compile(r"(?im)^\s*(?:from|sent|date)[ \t]*:")


def strip_boilerplate(text: str) -> str:
    """``text`` without greeting, quoted replies, sign-off, signature and legal footer."""
    original = text = from_html(text)
    header = _MAIL_HEADER.match(text)
    if (
        header
        and _HEADER_SENDER.search(header.group())
        and re.search(r"[@\d]", header.group())  # an address or a date: not prose
        and text[header.end() :].strip()
    ):
        text = text[header.end() :]
    text = _inline_turns(_without_markup(text))
    # A letter's formal opening, then a rep's call opener ("5/20: call w/ Marcus Lee (Fin
    # Dir).") before the notes: cut when words follow.
    for opening in (_LETTER_OPENING, CALL_OPENER):
        found = opening.match(text)
        if found and any(ch.isalpha() for ch in text[found.end() :]):
            text = text[found.end() :]
    if "\n" not in text and "\r" not in text:
        if _research_turn(text):  # "Q: ... A: ..." on one line, or the interviewer's
            text = " ".join(_without_chat_furniture([text]))
            if not text:
                return ""
        if _solved_note_alone(text) or _NOTES_LINE.match(text) or SPEAKER_STAMP.match(text):
            return ""
        if _DEVICE_LINE.match(_unemphasised(text)) or _CRASH_LINE.match(text):
            return ""  # a device's line alone ("iPhone 15, iOS 17.2.1, build 4.2.0"): no words
        turn = _TURN.match(text)
        if turn and _ANSWER_LABEL.fullmatch(turn.group("who").strip()):
            text = turn.group("said")  # "[00:02:01] P3: half my day is ..."
        spoken = SPEAKER.sub("", text, count=1)
        if not any(ch.isalpha() for ch in spoken):
            return "" if spoken != text else original  # a speaker's name alone: no words
        text = _INLINE_MARKER_START.sub("", spoken)
        text = _rep_next_step_at_end(text) or text
        # A flattened export writes a blank line as two spaces ("it.  Kind regards,"),
        # and a quoted reply's lines as "  > ...".
        quoted = _FLAT_QUOTE.search(text)
        if quoted and any(ch.isalpha() for ch in text[: quoted.start()]):
            text = text[: quoted.start()]
        return _strip_inline(_SPACES.sub(" ", text))
    lines = _without_code(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    lines = _without_forum_quotes(_checked_boxes(_without_note_headings(lines)))
    written = lines
    structured = _without_structure(lines)
    lines = _without_chat_furniture(structured)
    if structured and not lines:  # the interviewer's turns alone: no customer's words
        return ""
    lines = _without_form_furniture(_without_rep_furniture(_without_meeting_furniture(lines)))
    kept = _cut_at(
        lines,
        lambda line, index: bool(
            _QUOTE_HEADER.match(line)
            or _FOOTER.search(line)
            or _local_header(lines, index)
            or _thread_header(lines, index)
        ),
    )
    kept = _cut_at(kept, lambda line, _: bool(_SIGNATURE_MARK.match(line)))
    kept = [line for line in kept if not _REPLY_MARKER_LINE.match(line)]  # one opening it
    kept = _without_rule_signature(kept)
    kept = [line for line in kept if not _QUOTED.match(line)]
    kept = _drop_sign_off(kept)
    while kept and not kept[0].strip():
        kept.pop(0)
    if kept and _GREETING.match(kept[0]) and any(line.strip() for line in kept[1:]):
        kept.pop(0)
    # A line of spaces alone (an HTML body's "<p>&nbsp;</p>") is an empty line.
    stripped = "\n".join(line if line.strip() else "" for line in kept).strip()
    if any(ch.isalpha() for ch in stripped):
        return _without_end_signature(stripped)
    # A reply that quotes its parent and adds only "+1" or an emoji: the quoted words
    # are someone else's, never this writer's (they had been themed, read as this
    # writer's job and made them a co-creator).
    if any(_QUOTED.match(line) for line in lines):
        return "\n".join(line for line in lines if not _QUOTED.match(line)).strip()
    if any(_solved_note_alone(line) for line in written):
        return ""
    return original


def _solved_note_alone(text: str) -> bool:
    """Whether ``text`` is a short note that the writer's problem is solved ("EDIT:
    solved, it was the proxy"), the post's only words: the thread's outcome, no feedback
    (status ``empty``; a longer note keeps its words)."""
    return bool(_SOLVED_NOTE.match(text)) and len(text.split()) <= _SOLVED_NOTE_WORDS


# The most words of a solved note that is a post's only text and says nothing else.
_SOLVED_NOTE_WORDS = 12


_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def unescape_entities(text: str) -> str:
    """``text`` with HTML character references read ("wasn&#39;t" -> "wasn't", "&quot;sky&quot;"
    -> '"sky"', "&amp;" -> "&"), as web forms and help-desk exports write them (58 of the
    22,641 clothing reviews hold some). Only complete references (with their ";") are
    read, so "R&D" and "AT&T" stay as they are."""
    if "&" not in text or ";" not in text:
        return text
    return _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)


def quoted_texts(texts) -> list:
    """What miner quotes of each comment: :func:`strip_boilerplate` of each text with its
    HTML character references read as the analysis reads them ("&amp;" is "&"; other
    values as they are), line breaks kept."""
    return [strip_boilerplate(unescape_entities(t)) if isinstance(t, str) else t for t in texts]


_FENCE = re.compile(r"^\s*(```|~~~)")


def _without_code(lines: list[str]) -> list[str]:
    """``lines`` without fenced code blocks (a forum post's pasted stack trace, log or
    snippet between ``` lines): machine text, not what the customer says. A fence that
    never closes is kept."""
    kept, block = [], None
    for line in lines:
        if _FENCE.match(line):
            if block is None:
                block = [line]
                continue
            block = None  # closed: the block goes
            continue
        (kept if block is None else block).append(line)
    return kept + (block or [])


# A forum signature under a rule: "---" then a line or two ("*Running devtool 3.2 on
# Ubuntu | he/him*"); it had made a community's second theme.
_RULE = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$")
_RULE_SIGNATURE_LINES = 2


def _without_rule_signature(lines: list[str]) -> list[str]:
    """``lines`` without a rule and the few short lines after it that end the text."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    for index in content[-(_RULE_SIGNATURE_LINES + 1) :]:
        if index == content[0] or not _RULE.match(lines[index]):
            continue
        after = [lines[i] for i in content if i > index]
        if after and all(len(line.strip()) <= _SHORT_LINE * 2 for line in after):
            return lines[:index]
    return lines


def _cut_at(lines: list[str], starts) -> list[str]:
    """The lines before the first one (after the first line) that ``starts`` a block
    (``starts(line, index)``)."""
    for index, line in enumerate(lines):
        if index > 0 and starts(line, index):
            return lines[:index]
    return lines


# A help desk's thread: each message headed by its author with their organisation and
# its date ("Ben Ortiz (Acme Support)" then "Tue, 24 Nov 2026 at 09:45"): the next
# message, the agent's, starts there.
_THREAD_AUTHOR = re.compile(r"^\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*\([^()\n]{1,40}\)\s*$")
_THREAD_DATE = re.compile(
    r"(?i)^\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+"
    r"\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})\b"
)


def _thread_header(lines: list[str], index: int) -> bool:
    """Whether ``lines[index]`` heads another message of a help desk's thread (see
    :data:`_THREAD_AUTHOR`)."""
    if not _THREAD_AUTHOR.match(lines[index]):
        return False
    after = [line for line in lines[index + 1 : index + 3] if line.strip()]
    return bool(after) and bool(_THREAD_DATE.match(after[0]))


def _local_header(lines: list[str], index: int) -> bool:
    """Whether ``lines[index]`` opens an Outlook header in another language ("Von: Ana"
    with "Gesendet: ..." among the next lines)."""
    if not _LOCAL_FROM.match(lines[index]):
        return False
    return any(_LOCAL_SENT.match(line) for line in lines[index + 1 : index + 4])


def _drop_sign_off(lines: list[str]) -> list[str]:
    """Cut a sign-off line followed only by a few short lines (the signature)."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return lines
    for index in content[-(_SIGNATURE_LINES + 1) :]:
        if index == content[0] or not _SIGN_OFF.match(lines[index]):
            continue
        before = [lines[i] for i in content if i < index]
        if all(_GREETING.match(line) for line in before):
            continue  # "Hi team, / Thanks. / Thanks, / Ana": the first thanks is the reply
        after = [lines[i] for i in content if i > index]
        if len(after) <= _SIGNATURE_LINES and all(_signature_line(line) for line in after):
            return lines[:index]
    return lines


# A signature's line: a name, a title, contact details; not a sentence of feedback ("With
# best wishes / The only thing missing is dark mode which I would pay for." had lost its
# request).
_SIGNATURE_WORDS = 8
_CONTACT = re.compile(r"[@|:+]|\d{3}")


def _signature_line(line: str) -> bool:
    return len(line) <= _SHORT_LINE and (
        len(line.split()) <= _SIGNATURE_WORDS or bool(_CONTACT.search(line))
    )


# A comment that ends with a thanks and the writer's name alone ("The seat was broken.
# Thanks, Sarah Jenkins", "... the whole flight Thanks, Gillian Achterberg", "... arrive.
# Many thanks\nFergus Thistlewood", "Thank you, Barry Kowalczyk (frequent flyer)"): a
# helper's airline reviews had quoted 83 writers' names in the shared roadmap. The name
# capitalised, a first and a last (a brand alone, "Thanks Garmin!", is thanks, not a
# signature), perhaps an address or a note in brackets after it.
_END_SIGNATURE = re.compile(
    r"(?i:\b(?:(?:many|kind|best|warm)\s+)?(?:thanks|thank\s+you|regards|cheers))[,!.]?\s+"
    r"(?!(?i:thanks|thank|regards|cheers|best|sincerely|again)\b)"
    r"[A-Z][a-z]+(?:[ \t]+[A-Z][A-Za-z'’-]+){1,2}"
    r"(?:[ \t]*\([^()\n]{1,40}\)|[ \t]*[\w.+-]+@[\w-]+(?:\.[\w-]+)+)?"
    r"[ \t]*[.!]?\s*\Z"
)


def _without_end_signature(text: str) -> str:
    """``text`` without a closing thanks and the writer's name (:data:`_END_SIGNATURE`);
    as it is when nothing else would be left."""
    found = _END_SIGNATURE.search(text)
    if found is None:
        return text
    kept = text[: found.start()].rstrip(" \t\n,;:-")
    return kept if any(ch.isalpha() for ch in kept) else text


def _strip_inline(text: str) -> str:
    """A long one-line text without what is unmistakably furniture inline (a short one
    only without a closing thanks and the name after it)."""
    if len(text.split()) < _INLINE_WORDS:
        return _without_end_signature(text)
    cut = len(text)
    for pattern in (_INLINE_QUOTE, _FOOTER):
        found = pattern.search(text)
        if found and found.start() > 0:
            cut = min(cut, found.start())
    for found in _INLINE_SIGN_OFF.finditer(text, 0, cut):
        if _signature(text[found.end() : cut].strip()):
            cut = found.start()
            break
    if cut == len(text):
        return _without_end_signature(text)
    kept = _footer_sentence_start(text[:cut].rstrip(" ,;:-"))
    return kept if any(ch.isalpha() for ch in kept) else text


def _signature(tail: str) -> bool:
    """Whether ``tail`` (what follows a sign-off) reads as a signature: a few words,
    mostly names, titles, numbers and addresses ("Olivia Walker Founder & CEO |
    Bluebird Dental Tel: +44 ..."), not words of a sentence ("I will keep using it.")."""
    words = tail.split()
    if not words or len(words) > _INLINE_SIGNATURE_WORDS:
        return not words
    lower = [
        w
        for w in words
        if w[:1].isalpha() and w[:1].islower() and "@" not in w and w.lower() not in _NAME_WORDS
    ]
    return len(lower) <= len(words) // 4


# Small words of titles and names ("Head of Finance", "Maria de la Cruz").
_NAME_WORDS = {
    "of",
    "and",
    "the",
    "for",
    "at",
    "de",
    "la",
    "van",
    "von",
    "der",
    "da",
    "du",
    "del",
    "di",
    "dos",
    "das",
    "le",
    "y",
    "e",
    "und",
    "et",
    "des",
}


def _footer_sentence_start(kept: str) -> str:
    """``kept`` without the start of the sentence a footer cut in (``CONFIDENTIALITY
    NOTICE: This e-mail is ...`` is cut at ``This``; its label goes too)."""
    end = max(kept.rfind(". "), kept.rfind("! "), kept.rfind("? "))
    tail = kept[end + 2 :] if end >= 0 else kept
    if tail and tail.upper() == tail and len(tail.split()) <= 4:  # a label in capitals
        return kept[: end + 1] if end >= 0 else kept
    return kept
