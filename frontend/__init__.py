"""Browser pages: the citizen chat, the officer console and the supervisor dashboard."""
