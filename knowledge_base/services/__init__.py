"""Services of the knowledge base: the only code that writes its models."""
