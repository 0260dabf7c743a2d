"""Translated wordings of the vocabulary for each audience.

Staff screens use the enums' own labels (``core.vocabulary``); citizens choose a category
by a description of what happened; the self-help pages title articles by their category.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.vocabulary import Category, Outcome, Urgency

# How a citizen would describe what happened (the pre-chat question).
CATEGORY_DESCRIPTIONS: dict[str, Promise] = {
    Category.PHISHING: _("A fake website, text message or e-mail took my login or card details"),
    Category.BANK_IMPERSONATION: _(
        "Someone called pretending to be my bank or the police (a “safe account”, "
        "a remote-access app)"
    ),
    Category.MARKETPLACE_FRAUD: _("I paid for something online and got nothing, or a fake buyer"),
    Category.INVESTMENT_FRAUD: _("A fake investment or cryptocurrency platform"),
    Category.ROMANCE_SCAM: _("Someone I met online asked me for money"),
    Category.SEXTORTION: _("Someone threatens to share intimate images of me"),
    Category.ACCOUNT_TAKEOVER: _("My e-mail, social media or phone number was taken over"),
    Category.MALWARE_RANSOMWARE: _("A virus or ransomware on my computer or phone"),
    Category.IDENTITY_THEFT: _("Loans or accounts were opened in my name"),
    Category.HARASSMENT: _("Threats, stalking, bullying or hate online"),
    Category.CHILD_ABUSE: _("A child is being asked for images or is at risk"),
    Category.TRAFFICKING: _("A job offer turned into forced work, or my documents were taken"),
    Category.OTHER: _("Something else"),
}

# Titles of the self-help pages' sections.
CATEGORY_TITLES: dict[str, Promise] = {
    Category.PHISHING: _("Phishing: fake websites, text messages and e-mails"),
    Category.BANK_IMPERSONATION: _("Calls from fake bank staff or police"),
    Category.MARKETPLACE_FRAUD: _("Online shopping and marketplace fraud"),
    Category.INVESTMENT_FRAUD: _("Fake investments and cryptocurrency"),
    Category.ROMANCE_SCAM: _("Romance scams"),
    Category.SEXTORTION: _("Blackmail with intimate images"),
    Category.ACCOUNT_TAKEOVER: _("Hacked accounts and SIM swap"),
    Category.MALWARE_RANSOMWARE: _("Malware and ransomware"),
    Category.IDENTITY_THEFT: _("Identity theft: loans and accounts in your name"),
    Category.HARASSMENT: _("Threats, stalking and online harassment"),
    Category.CHILD_ABUSE: _("A child at risk online"),
    Category.TRAFFICKING: _("Job offers that turn into exploitation"),
    Category.OTHER: _("Something else"),
}


# Who wrote a message (``advice.models.SenderKind``, ``TranscriptEntry.sender``).
SENDER_LABELS: dict[str, Promise] = {
    "citizen": _("Citizen"),
    "officer": _("Officer"),
    "system": _("Notice"),
}
# What a message is, when not plain text (``advice.models.MessageKind``).
MESSAGE_KIND_LABELS: dict[str, Promise] = {
    "text": _("Message"),
    "article": _("Article"),
    "system": _("Notice"),
}


def choice_labels(choices: type[TextChoices]) -> dict[str, str]:
    """``{code: label}`` of an enum of the vocabulary, translated in the active language."""
    return {str(value): str(label) for value, label in choices.choices}


def translated(labels: dict[str, Promise]) -> dict[str, str]:
    """A table of lazy labels, translated in the active language."""
    return {code: str(label) for code, label in labels.items()}


def label_of(choices: type[TextChoices], code: str) -> str:
    """The translated label of ``code``, or the code itself when it is not in ``choices``."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def category_label(code: str) -> str:
    """A category's short staff label in the active language."""
    return label_of(Category, code)


def urgency_label(code: str) -> str:
    return label_of(Urgency, code)


def outcome_label(code: str) -> str:
    return label_of(Outcome, code)


def language_label(code: str) -> str:
    """A language's name in the reader's language (Django's own catalogue), else the code."""
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def sender_label(code: str) -> str:
    """Who wrote a message, in the reader's language (the code when unknown)."""
    label = SENDER_LABELS.get(code)
    return str(label) if label is not None else code


def message_kind_label(code: str) -> str:
    label = MESSAGE_KIND_LABELS.get(code)
    return str(label) if label is not None else code
