"""Why triage decided what it did: the reason codes stored in ``Conversation.triage_reasons``.

A reason is a small JSON object (``Reason``): a ``code`` of :class:`TriageReason` and the
parameters that complete it — the citizen's own words (``quotes``), the reasons it rests on
(``evidence``), what it leads to (``to``: an urgency or a category), the model's probability,
the cue set aside by a figure of speech (``meaning``) or the languages in doubt. Readers see
it in their own language (``core.reason_text``); the labels are the English wordings of the
triage data files (``triage/data/``), so a cue's ``reason`` names its code.
"""

from __future__ import annotations

from typing import TypedDict

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class Reason(TypedDict, total=False):
    code: str  # a TriageReason value
    quotes: list[str]  # the citizen's words, shown as quoted text
    evidence: list[Reason]
    to: str  # the urgency ("P1".."P4") or category code the reason leads to
    probability: float  # the model's probability, 0..1
    meaning: str  # not_read_as: the TriageReason the figure of speech cancelled
    languages: list[str]  # language_uncertain: the candidate language codes


class TriageReason(models.TextChoices):
    """Every kind of triage reason; the label is what the reason says, in the reader's language.

    ``%(phrases)s`` in a label stands for the quoted words (or "the message as a whole"),
    ``%(level)s`` for the wording of the urgency it leads to, ``%(category)s`` for that
    category's name, ``%(meaning)s`` for the cancelled cue and ``%(languages)s`` for the
    languages in doubt.
    """

    # Cues: what words of a message mean (triage/data/<language>.json).
    SELF_HARM = "self_harm", pgettext_lazy("triage reason", "self-harm or suicidal thoughts")
    THREAT_TO_LIFE = (
        "threat_to_life",
        pgettext_lazy("triage reason", "threat to life or of violence"),
    )
    TRAFFICKING_NAMED = "trafficking_named", pgettext_lazy("triage reason", "trafficking named")
    TRAFFICKING_SIGNS = (
        "trafficking_signs",
        pgettext_lazy("triage reason", "signs of trafficking or forced labour"),
    )
    WORKER_CONTROL = (
        "worker_control",
        pgettext_lazy(
            "triage reason", "control over a worker (phone taken, debt, guarded housing)"
        ),
    )
    JOB_ABROAD = "job_abroad", pgettext_lazy("triage reason", "job offer or recruitment abroad")
    ADULT_SEEKS_CHILD = (
        "adult_seeks_child",
        pgettext_lazy("triage reason", "an adult seeking contact or images from a child"),
    )
    CHILD_SAFETY = "child_safety", pgettext_lazy("triage reason", "child safety online")
    MINOR_INVOLVED = (
        "minor_involved",
        pgettext_lazy("triage reason", "a child or minor is involved"),
    )
    INTIMATE_IMAGES = (
        "intimate_images",
        pgettext_lazy("triage reason", "intimate images or recordings"),
    )
    IMAGES_SHARED = (
        "images_shared",
        pgettext_lazy("triage reason", "intimate images shared without consent"),
    )
    BLACKMAIL = (
        "blackmail",
        pgettext_lazy("triage reason", "blackmail: threatens to publish or send unless paid"),
    )
    HARASSMENT = "harassment", pgettext_lazy("triage reason", "harassment, threats or abuse")
    FORMER_PARTNER = (
        "former_partner",
        pgettext_lazy("triage reason", "a former partner or acquaintance"),
    )
    LINK_OR_MESSAGE = "link_or_message", pgettext_lazy("triage reason", "a link or message")
    FAKE_PRETEXT = (
        "fake_pretext",
        pgettext_lazy("triage reason", "a fake website, parcel or account-blocking pretext"),
    )
    FAKE_PAYOUT_PRETEXT = (
        "fake_payout_pretext",
        pgettext_lazy("triage reason", "a fake website, parcel or payout pretext"),
    )
    CREDENTIALS_MENTIONED = (
        "credentials_mentioned",
        pgettext_lazy("triage reason", "card or login details mentioned"),
    )
    CREDENTIALS_GIVEN = (
        "credentials_given",
        pgettext_lazy("triage reason", "card or login details given away"),
    )
    BANK_MENTIONED = "bank_mentioned", pgettext_lazy("triage reason", "a bank is mentioned")
    BANK_OR_CALL = "bank_or_call", pgettext_lazy("triage reason", "a bank or a phone call")
    PHONE_CALL = "phone_call", pgettext_lazy("triage reason", "a phone call")
    FAKE_BANK_CALLER = (
        "fake_bank_caller",
        pgettext_lazy("triage reason", "a caller posing as a bank or the police"),
    )
    REMOTE_ACCESS = "remote_access", pgettext_lazy("triage reason", "remote-access software")
    MARKETPLACE = "marketplace", pgettext_lazy("triage reason", "an online marketplace or shop")
    GOODS_ONLINE = "goods_online", pgettext_lazy("triage reason", "goods bought or sold online")
    INVESTMENT_PLATFORM = (
        "investment_platform",
        pgettext_lazy("triage reason", "investment, crypto or trading platform"),
    )
    ADVISER_PROFITS = (
        "adviser_profits",
        pgettext_lazy("triage reason", "an adviser, profits or a platform"),
    )
    CRYPTOCURRENCY = "cryptocurrency", pgettext_lazy("triage reason", "cryptocurrency")
    DATING = "dating", pgettext_lazy("triage reason", "a dating site or falling in love online")
    ONLINE_RELATIONSHIP = (
        "online_relationship",
        pgettext_lazy("triage reason", "an online relationship"),
    )
    ACCOUNT_TAKEN = "account_taken", pgettext_lazy("triage reason", "an account taken over")
    MESSAGES_IN_NAME = (
        "messages_in_name",
        pgettext_lazy("triage reason", "login codes or messages sent in the victim's name"),
    )
    MALWARE = "malware", pgettext_lazy("triage reason", "malware or encrypted files")
    RANSOM = "ransom", pgettext_lazy("triage reason", "files encrypted or a ransom demanded")
    LOANS_IN_NAME = (
        "loans_in_name",
        pgettext_lazy("triage reason", "loans or accounts opened in the victim's name"),
    )
    HARM_DONE = "harm_done", pgettext_lazy("triage reason", "says harm was done")
    MONEY_SENT = "money_sent", pgettext_lazy("triage reason", "money sent or taken")
    JUST_NOW = "just_now", pgettext_lazy("triage reason", "says it happened just now")
    ONGOING = "ongoing", pgettext_lazy("triage reason", "says it is still going on")
    DAYS_AGO = "days_ago", pgettext_lazy("triage reason", "says it happened days or more ago")
    DANGER_OVER = (
        "danger_over",
        pgettext_lazy("triage reason", "says it is over: escaped, back home or contact ended"),
    )
    LONG_PAST = (
        "long_past",
        pgettext_lazy("triage reason", "says it happened a year or more ago"),
    )
    NUISANCE = (
        "nuisance",
        pgettext_lazy(
            "triage reason",
            "an annoying message, app or update (spam, parcel notices, notifications)",
        ),
    )
    ADULT_WRITER = (
        "adult_writer",
        pgettext_lazy("triage reason", "says they are an adult (their age)"),
    )
    DANGER_AGAIN = (
        "danger_again",
        pgettext_lazy("triage reason", "says the danger is back or still there"),
    )
    EMBARRASSED = (
        "embarrassed",
        pgettext_lazy(
            "triage reason", "embarrassed or laughing about a mishap (an emoji, oops, wrong chat)"
        ),
    )
    NO_THREAT = "no_threat", pgettext_lazy("triage reason", "says there is no threat of violence")
    SUPPORTED = (
        "supported",
        pgettext_lazy(
            "triage reason",
            "says the person is supported: talks to the family, the school knows or a "
            "psychologist helps",
        ),
    )
    ASKS_IF_SCAM = (
        "asks_if_scam",
        pgettext_lazy("triage reason", "asks whether something is a scam"),
    )
    ASKS_PREVENTION = (
        "asks_prevention",
        pgettext_lazy("triage reason", "asks how to prevent, check or report"),
    )
    KEPT_IN_NOW = (
        "kept_in_now",
        pgettext_lazy("triage reason", "kept in now: cannot leave, not let out, guarded"),
    )
    ASKS_MATERIALS = (
        "asks_materials",
        pgettext_lazy(
            "triage reason",
            "asks for statistics, materials, an interview or a speaker for a project, a lesson "
            "or an article",
        ),
    )
    NOTHING_LOST = "nothing_lost", pgettext_lazy("triage reason", "says nothing was given or lost")
    PHOTOS_CAMERA = "photos_camera", pgettext_lazy("triage reason", "photos, videos or a camera")
    ADULT_STRANGER = "adult_stranger", pgettext_lazy("triage reason", "an adult or a stranger")
    HOPELESSNESS = (
        "hopelessness",
        pgettext_lazy("triage reason", "hopelessness (no strength left, no way out)"),
    )
    FAREWELL = "farewell", pgettext_lazy("triage reason", "saying goodbye or ending things")
    UNREACHABLE = (
        "unreachable",
        pgettext_lazy(
            "triage reason", "the person has gone and cannot be reached (phone off, not at home)"
        ),
    )
    ARRANGEMENTS = (
        "arrangements",
        pgettext_lazy(
            "triage reason",
            "puts their affairs in order (keys, a pet, passwords or papers handed over, bills "
            "paid ahead)",
        ),
    )
    FIGURE_OF_SPEECH = "figure_of_speech", pgettext_lazy("triage reason", "a figure of speech")
    EVERYDAY_FIGURE_OF_SPEECH = (
        "everyday_figure_of_speech",
        pgettext_lazy(
            "triage reason", "a figure of speech (school, work, prices or the boss 'will kill me')"
        ),
    )
    ASKS_CHILD_PROTECTION = (
        "asks_child_protection",
        pgettext_lazy(
            "triage reason", "asks for lessons, materials or settings to protect children"
        ),
    )
    FAKE_AUTHORITY_PRETEXT = (
        "fake_authority_pretext",
        pgettext_lazy(
            "triage reason",
            "a fake authority's accusation of child abuse material, a phishing pretext",
        ),
    )
    MEANS_OF_SELF_HARM = (
        "means_of_self_harm",
        pgettext_lazy("triage reason", "a means of self-harm (pills, a height, a rope, a blade)"),
    )
    MEANS_AT_HAND = (
        "means_at_hand",
        pgettext_lazy(
            "triage reason",
            "the means is at hand now (in front of them, already started or taken, standing on a "
            "bridge or a roof)",
        ),
    )
    WEAPON = "weapon", pgettext_lazy("triage reason", "a weapon or acid")
    JOKING = "joking", pgettext_lazy("triage reason", "says it is a joke")
    IN_GAME = "in_game", pgettext_lazy("triage reason", "said in or about a video game")
    STALKING = (
        "stalking",
        pgettext_lazy("triage reason", "knows or watches where the person lives, works or goes"),
    )
    # Rules: conclusions from several cues (triage/data/rules.json).
    RULE_IN_DANGER = (
        "rule_in_danger",
        pgettext_lazy("triage reason", "the citizen says they are in danger"),
    )
    RULE_MINOR_ABUSED = (
        "rule_minor_abused",
        pgettext_lazy("triage reason", "a minor is being extorted or abused"),
    )
    RULE_CHILD_AT_RISK = (
        "rule_child_at_risk",
        pgettext_lazy("triage reason", "a child may be at risk"),
    )
    RULE_TRAFFICKING = "rule_trafficking", pgettext_lazy("triage reason", "signs of trafficking")
    RULE_WORKER_CONTROLLED = (
        "rule_worker_controlled",
        pgettext_lazy("triage reason", "a worker controlled by an employer or recruiter"),
    )
    RULE_DESPAIR_MEANS = (
        "rule_despair_means",
        pgettext_lazy("triage reason", "hopelessness and a means of self-harm"),
    )
    RULE_FAREWELL_MEANS = (
        "rule_farewell_means",
        pgettext_lazy("triage reason", "saying goodbye and a means of self-harm"),
    )
    RULE_MEANS_AT_HAND = (
        "rule_means_at_hand",
        pgettext_lazy("triage reason", "a means of self-harm at hand right now"),
    )
    RULE_WEAPON = (
        "rule_weapon",
        pgettext_lazy("triage reason", "a weapon mentioned outside a purchase"),
    )
    RULE_STALKING = (
        "rule_stalking",
        pgettext_lazy("triage reason", "someone knows or watches where the person is"),
    )
    RULE_DESPAIR_FAREWELL = (
        "rule_despair_farewell",
        pgettext_lazy("triage reason", "hopelessness and saying goodbye"),
    )
    RULE_DESPAIR_HARM = (
        "rule_despair_harm",
        pgettext_lazy("triage reason", "hopelessness while blackmailed, threatened or abused"),
    )
    RULE_FAREWELL_AFTER_LOSS = (
        "rule_farewell_after_loss",
        pgettext_lazy(
            "triage reason",
            "a farewell message, or the person gone, after a loss or while blackmailed",
        ),
    )
    RULE_MONEY_MOVING = (
        "rule_money_moving",
        pgettext_lazy("triage reason", "money moved within hours, the bank may still stop it"),
    )
    RULE_ONGOING = (
        "rule_ongoing",
        pgettext_lazy("triage reason", "the fraud or attack is still going on"),
    )
    RULE_REMOTE_NOW = (
        "rule_remote_now",
        pgettext_lazy("triage reason", "a remote-access session was opened just now"),
    )
    RULE_TAKEOVER_NOW = (
        "rule_takeover_now",
        pgettext_lazy("triage reason", "an account is being taken over right now"),
    )
    RULE_RANSOMWARE_NOW = (
        "rule_ransomware_now",
        pgettext_lazy("triage reason", "ransomware attack under way"),
    )
    RULE_HARM_NOW = (
        "rule_harm_now",
        pgettext_lazy("triage reason", "financial or account harm happening now"),
    )
    RULE_QUESTION = (
        "rule_question",
        pgettext_lazy("triage reason", "a question or prevention, nothing lost"),
    )
    RULE_CHILD_IMAGES = (
        "rule_child_images",
        pgettext_lazy("triage reason", "a child and images: possible grooming or abuse"),
    )
    RULE_CHILD_ADULT = (
        "rule_child_adult",
        pgettext_lazy("triage reason", "a child in contact with an adult or a stranger"),
    )
    NO_DANGER = (
        "no_danger",
        pgettext_lazy("triage reason", "no sign of danger or of harm still unfolding"),
    )
    # The citizen's pre-chat answers.
    PRECHAT_IN_DANGER = (
        "prechat_in_danger",
        pgettext_lazy("triage reason", "pre-chat: says they are in danger"),
    )
    PRECHAT_HAPPENING_NOW = (
        "prechat_happening_now",
        pgettext_lazy("triage reason", "pre-chat: says it is happening now"),
    )
    PRECHAT_UNDER_18 = (
        "prechat_under_18",
        pgettext_lazy("triage reason", "pre-chat: says they are under 18"),
    )
    PRECHAT_CATEGORY = (
        "prechat_category",
        pgettext_lazy("triage reason", "the citizen's pre-chat answer"),
    )
    # Figures of speech, language and script.
    NOT_READ_AS = (
        "not_read_as",
        pgettext_lazy("triage reason", "a figure of speech (%(phrases)s): not read as %(meaning)s"),
    )
    SET_ASIDE = "set_aside", pgettext_lazy("triage reason", "not read as %(meaning)s")
    LANGUAGE_UNCERTAIN = (
        "language_uncertain",
        pgettext_lazy("triage reason", "language uncertain: %(languages)s"),
    )
    TRANSLIT_UK = (
        "translit_uk",
        pgettext_lazy("triage reason", "written in Latin letters, read as Ukrainian"),
    )
    TRANSLIT_RU = (
        "translit_ru",
        pgettext_lazy("triage reason", "written in Latin letters, read as Russian"),
    )
    # The statistical model.
    MODEL_URGENCY = (
        "model_urgency",
        pgettext_lazy("triage reason", "the model reads %(level)s in %(phrases)s"),
    )
    MODEL_CATEGORY = (
        "model_category",
        pgettext_lazy("triage reason", "the model reads %(category)s in %(phrases)s"),
    )
    POSSIBLE_RISK = (
        "possible_risk",
        pgettext_lazy(
            "triage reason",
            "possible risk to life or safety in %(phrases)s: ask whether they are safe right now",
        ),
    )
    # The citizen's answer to "Are you safe right now?".
    CITIZEN_NOT_SAFE = (
        "citizen_not_safe",
        pgettext_lazy("triage reason", "the citizen answered that they are not safe right now"),
    )
    CITIZEN_SAFE = (
        "citizen_safe",
        pgettext_lazy("triage reason", "the citizen answered that they are safe right now"),
    )
    CITIZEN_NO_ANSWER = (
        "citizen_no_answer",
        pgettext_lazy("triage reason", "the citizen would rather not say whether they are safe"),
    )


# How each urgency reads inside a reason ("the model reads %(level)s in …").
URGENCY_WORDINGS: dict[str, Promise] = {
    "P1": pgettext_lazy("triage urgency", "risk to life or safety"),
    "P2": pgettext_lazy("triage urgency", "harm still unfolding, reversible within hours"),
    "P3": pgettext_lazy("triage urgency", "harm done, needs advice and a report"),
    "P4": pgettext_lazy("triage urgency", "a question or prevention, nothing lost"),
}
