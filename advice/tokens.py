"""Conversation tokens: 256 random bits given to the citizen once; only their hash is stored."""

from __future__ import annotations

import hashlib
import secrets

# Longer strings are never tokens (a token is 43 characters); refused before hashing.
TOKEN_MAX_CHARS = 128


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_hash_unusable() -> str:
    """A stored hash no token will ever match: what a revoked conversation keeps."""
    return token_hash(token_new())
