"""Services of case records: every write, each in one transaction with its audit event."""
