"""Services: the only code that changes conversation-domain models."""
