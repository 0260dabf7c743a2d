"""Conversation domain: units, officers, anonymous conversations, messages and the audit trail."""
