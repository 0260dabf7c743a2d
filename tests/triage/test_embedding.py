"""The sentence encoder: shipped in its package, loaded once on first use, run only when the
cascade lets it (docs/triage.md, "Sixth precision round")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from triage import embedding, model
from triage.engine import assess

ROOT = Path(__file__).resolve().parents[2]

# Imports triage's engine (nothing may load the encoder), then embeds with every network
# connection refused: the weights and the tokenizer must come from the installed package.
OFFLINE = """
import os, socket
os.environ["DJANGO_SETTINGS_MODULE"] = "poradnia.settings"
import django
django.setup()
from triage import embedding, engine
assert not embedding.is_loaded(), "importing the engine loaded the encoder"
def refuse(*args, **kwargs):
    raise OSError("network closed")
socket.socket.connect = refuse
socket.create_connection = refuse
vector = embedding.embed(["Ich habe Angst, er droht mir.", "Was soll ich tun?"])
print(vector.shape[0], round(float(vector @ vector), 3))
"""


def test_the_encoder_loads_offline_from_its_package_and_not_on_import() -> None:
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["512", "1.0"]


def test_the_artefact_records_the_encoder_it_was_made_with() -> None:
    loaded = model.load()
    assert loaded.embedding_risk is not None
    assert loaded.manifest["embedding"]["package"] == embedding.PACKAGE
    assert loaded.manifest["embedding"]["version"] == embedding.package_version()
    assert 0 < loaded.params.embedding_floor < loaded.params.risk_band


def test_an_artefact_of_another_encoder_version_is_refused(tmp_path: Path) -> None:
    for suffix in (".npz", ".json"):
        source = model.MODEL_DIR / f"{model.MODEL_NAME}{suffix}"
        (tmp_path / source.name).write_bytes(source.read_bytes())
    manifest_path = tmp_path / f"{model.MODEL_NAME}.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["embedding"]["version"] = "0.0.1"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(model.ModelFileError, match="made with"):
        model.load(tmp_path)


def test_the_cascade_runs_the_encoder_only_when_it_can_change_the_decision() -> None:
    loaded = model.default_model()
    assert loaded is not None
    floor = loaded.params.embedding_floor
    words = loaded.params.model_min_words
    assert loaded.needs_embedding(floor, {"urgency:P3"}, words)
    assert not loaded.needs_embedding(floor / 2, {"urgency:P3"}, words)
    assert not loaded.needs_embedding(0.99, {"urgency:P1"}, words)  # the rules already say P1
    assert not loaded.needs_embedding(0.99, {"urgency:P3"}, words - 1)  # too short


def test_assess_embeds_only_what_reaches_the_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def counted(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.zeros(embedding.DIMENSIONS, dtype=np.float32)

    monkeypatch.setattr(embedding, "embed", counted)
    assert assess(texts=["Mój mąż grozi, że mnie zabije, mam nóż przy gardle"]).urgency == "P1"
    assess(texts=["hello"])
    assert calls == []  # the rules' P1, and too short for the model
    assess(texts=["Ich habe Angst, er schreibt mir jede Nacht, dass er mich findet."])
    assert calls == [["Ich habe Angst, er schreibt mir jede Nacht, dass er mich findet."]]


PRELOAD = """
import gc, os
os.environ["DJANGO_SETTINGS_MODULE"] = "poradnia.settings"
import django
django.setup()
from poradnia import preload
from triage import embedding
preload.article_index = lambda: None  # the database is not needed here
gc.freeze = lambda: None
preload.preload()
print(embedding.is_loaded())
"""


def test_a_server_loads_the_encoder_before_it_listens() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split()[-1] == "True"
