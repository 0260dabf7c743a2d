"""Load generation and measurement tools for Poradnia's message path (see docs/performance.md)."""
