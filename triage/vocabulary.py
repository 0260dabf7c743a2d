"""The fixed triage vocabulary (see the product brief): crime categories and urgency levels."""

from __future__ import annotations

CATEGORIES = (
    "phishing",
    "bank_impersonation",
    "marketplace_fraud",
    "investment_fraud",
    "romance_scam",
    "sextortion",
    "account_takeover",
    "malware_ransomware",
    "identity_theft",
    "harassment",
    "child_abuse",
    "trafficking",
    "other",
)
URGENCIES = ("P1", "P2", "P3", "P4")
