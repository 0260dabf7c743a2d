"""Near copies between a blind set and the training corpus (character 4-gram Jaccard)."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from scipy import sparse

from triage.corpus import Example


def _grams(texts: tuple[str, ...]) -> frozenset[str]:
    text = unicodedata.normalize("NFKD", " ".join(texts).lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = " ".join(re.sub(r"[^\w ]", " ", text).split())
    return frozenset(text[i : i + 4] for i in range(max(1, len(text) - 3)))


def _binary(rows: list[frozenset[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    indices = [[vocabulary.setdefault(gram, len(vocabulary)) for gram in row] for row in rows]
    return sparse.csr_matrix(
        (
            np.ones(sum(map(len, indices))),
            np.concatenate([np.asarray(row, dtype=np.int64) for row in indices]),
            np.cumsum([0, *map(len, indices)]),
        ),
        shape=(len(rows), 1 << 22),
    )


def near_copies(
    blind_examples: list[Example], corpus: list[Example], threshold: float
) -> list[tuple[str, str]]:
    """(corpus id, blind id) of every pair at or above ``threshold``."""
    vocabulary: dict[str, int] = {}
    blind = [_grams(example.texts) for example in blind_examples]
    lines = [_grams(example.texts) for example in corpus]
    shared = (_binary(lines, vocabulary) @ _binary(blind, vocabulary).T).tocoo()
    sizes_lines = np.array([len(row) for row in lines])
    sizes_blind = np.array([len(row) for row in blind])
    union = sizes_lines[shared.row] + sizes_blind[shared.col] - shared.data
    near = shared.data / union >= threshold
    return [
        (corpus[row].id, blind_examples[col].id)
        for row, col in zip(shared.row[near], shared.col[near], strict=True)
    ]
