"""Case records: escalation from a conversation, fields, indicators, referrals, exports."""
