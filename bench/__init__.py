"""Measurement tools: message-path load, query and triage timings (see docs/performance.md)."""
