"""Triage: language, crime category and urgency of a conversation, with the reasons."""
