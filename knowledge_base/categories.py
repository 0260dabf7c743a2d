"""Human names of the triage categories, as shown on the self-help pages and in the admin."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS: dict[str, Promise] = {
    "phishing": _("Phishing: fake websites, text messages and e-mails"),
    "bank_impersonation": _("Calls from fake bank staff or police"),
    "marketplace_fraud": _("Online shopping and marketplace fraud"),
    "investment_fraud": _("Fake investments and cryptocurrency"),
    "romance_scam": _("Romance scams"),
    "sextortion": _("Blackmail with intimate images"),
    "account_takeover": _("Hacked accounts and SIM swap"),
    "malware_ransomware": _("Malware and ransomware"),
    "identity_theft": _("Identity theft: loans and accounts in your name"),
    "harassment": _("Threats, stalking and online harassment"),
    "child_abuse": _("A child at risk online"),
    "trafficking": _("Job offers that turn into exploitation"),
    "other": _("Something else"),
}


def category_label(code: str) -> str:
    """The translated name of a category code (the code itself if unknown)."""
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code
