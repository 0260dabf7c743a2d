"""Case records: escalation, indicators and matching, referral between units, exports."""
