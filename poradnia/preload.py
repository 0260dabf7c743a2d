"""What a server process loads before its first socket instead of on first use.

Triage's data files, language profiles, compiled cues and model (about 1.3 s) and the
knowledge base's article index (one pass over every published translation) would otherwise
be built inside the first ``conversation.start`` of the process, in the database thread that
every socket shares. :func:`preload` runs once in ``poradnia.serve`` before the server
listens; then it moves what it loaded out of the garbage collector's generations.
"""

from __future__ import annotations

import gc
import logging

from django.db import DatabaseError, connections

from knowledge_base.search import article_index
from triage.engine import assess

log = logging.getLogger(__name__)


def preload() -> None:
    """Load triage and build the article index now; a database not yet ready is no error
    (the index is then built on first use, as without this)."""
    assess(texts=["preload"])
    try:
        article_index()
    except DatabaseError:
        log.warning("article index not built at start-up: database not ready", exc_info=True)
    finally:
        # The start-up thread's connection would otherwise stay open for the process's life.
        connections.close_all()
    gc.collect()
    gc.freeze()
