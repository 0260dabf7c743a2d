"""The shipped model artefact: loads, matches its manifest and corpus, and training repeats."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from triage import model, training
from triage.corpus import CORPUS_DIR, LANGUAGES, corpus_digest, corpus_files, load_corpus
from triage.engine import assess

MAX_BYTES = 20 * 1024 * 1024


def test_the_shipped_artefact_loads_and_was_trained_on_the_committed_corpus() -> None:
    loaded = model.load()  # checks the weights against the manifest's digest
    manifest = loaded.manifest
    assert manifest["training"]["corpus_sha256"] == corpus_digest(corpus_files()), (
        "the corpus changed since the artefact was trained: run manage.py triage_train"
    )
    size = sum(
        (model.MODEL_DIR / f"{model.MODEL_NAME}{suffix}").stat().st_size
        for suffix in (".npz", ".json")
    )
    assert size <= MAX_BYTES
    assert 0 < loaded.params.risk_band <= loaded.params.p1_threshold < 1
    assert loaded.risk is not None
    assert len(loaded.risk.signals) > 40  # tags, cues and the rules' conclusions
    assert training.RISK_IGNORED.isdisjoint(loaded.risk.signals)


def test_the_shipped_artefact_has_a_p1_verifier_fitted_at_its_threshold() -> None:
    loaded = model.load()
    assert loaded.verifier is not None
    assert loaded.verifier.floor == pytest.approx(loaded.params.p1_threshold)
    assert 0 < loaded.params.p1_verify < 1
    assert {"c", "signals", "fitted_on"} <= loaded.manifest["training"]["verifier"].keys()


def test_a_damaged_artefact_is_refused(tmp_path: Path) -> None:
    for suffix in (".npz", ".json"):
        source = model.MODEL_DIR / f"{model.MODEL_NAME}{suffix}"
        (tmp_path / source.name).write_bytes(source.read_bytes())
    manifest_path = tmp_path / f"{model.MODEL_NAME}.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["weights_sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(model.ModelFileError, match="do not match"):
        model.load(tmp_path)


def sample_corpus(directory: Path, per_language: int = 12) -> Path:
    corpus = directory / "corpus"
    corpus.mkdir()
    for code in LANGUAGES:
        lines = (CORPUS_DIR / f"{code}.jsonl").read_text(encoding="utf-8").splitlines()
        (corpus / f"{code}.jsonl").write_text(
            "\n".join(lines[:per_language]) + "\n", encoding="utf-8"
        )
    return corpus


def test_training_is_deterministic(tmp_path: Path) -> None:
    corpus = sample_corpus(tmp_path)
    digests = [
        training.train(corpus=corpus, output=tmp_path / str(run), name="sample").manifest[
            "weights_sha256"
        ]
        for run in range(2)
    ]
    assert digests[0] == digests[1]
    reloaded = model.load(tmp_path / "0", "sample")
    assert reloaded.manifest["training"]["examples"] == 12 * len(LANGUAGES)
    assert reloaded.risk is not None


def test_a_verifier_fitted_onto_a_kept_first_stage(tmp_path: Path) -> None:
    corpus = sample_corpus(tmp_path, per_language=30)
    training.train(corpus=corpus, output=tmp_path / "first", name="first")
    first = training.FirstStage.load(tmp_path / "first", "first")
    prepared = training.prepare(load_corpus(corpus))

    params, grafted, arrays = training.graft_verifier(
        prepared, first, replace(first.params, p1_verify=0.05)
    )
    assert params == replace(first.params, p1_verify=0.05)
    assert grafted.verifier is not None
    assert grafted.verifier.floor == pytest.approx(first.params.p1_threshold)
    kept = {name: array for name, array in arrays.items() if not name.startswith("verifier_")}
    assert kept.keys() == first.arrays.keys()
    assert all((kept[name] == first.arrays[name]).all() for name in kept)

    with pytest.raises(ValueError, match="threshold"):
        training.graft_verifier(
            prepared, first, replace(first.params, p1_threshold=first.params.p1_threshold + 0.01)
        )

    report = training.train(
        corpus=corpus, output=tmp_path / "second", name="second", first_stage=first
    )
    written = model.load(tmp_path / "second", "second")
    assert written.manifest["first_stage"]["name"] == "first"
    assert written.manifest["decision"] == report.params.to_json()
    assert replace(report.params, p1_verify=0.0) == replace(first.params, p1_verify=0.0)


def test_assess_reports_the_models_risk_probability() -> None:
    result = assess(texts=["Ich kann nicht mehr. Das ist meine letzte Nachricht."])
    assert result.urgency == "P1"
    assert 0.0 < result.risk_probability <= 1.0
    calm = assess(texts=["Is this SMS from DHL a scam?"], browser_language="en")
    assert calm.urgency == "P4"
    assert not calm.possible_risk
