"""Triage figures per language: ``manage.py triage_eval [--file F | --cv N] [--speed]``."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage import engine, features, language, normalize, training, translit
from triage.corpus import (
    CORPUS_DIR,
    CorpusError,
    Example,
    is_validation,
    load_corpus,
    read_file,
)
from triage.engine import assess
from triage.model import default_model


class Command(BaseCommand):
    # Offline work on files: no database or templates needed, so no system checks.
    requires_system_checks: list[str] = []
    help = (
        "Per-language P1 recall, false-P1 rate, urgency exact and category accuracy, and the "
        "urgency confusion matrix. Without options: the validation split (a model fitted on "
        "the training split with the shipped decision parameters). --file: the shipped system "
        "(rules + artefact, exactly as production calls it) on a labelled JSON-lines file. "
        "--cv N: scenario-grouped cross-validation. --file F --speed: CPU time per assess "
        "call on the file's openings, cold and warm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="labelled JSONL (corpus or test-set format)")
        parser.add_argument("--cv", type=int, default=0, help="folds of cross-validation")
        parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
        parser.add_argument(
            "--errors",
            action="store_true",
            help="list the wrong decisions (false P1s marked as raised by the rules or the model)",
        )
        parser.add_argument("--speed", action="store_true", help="time assess() per call")

    def handle(self, *args: Any, **options: Any) -> None:
        model = default_model()
        if options["file"]:
            self._file(options["file"], errors=options["errors"], speed=options["speed"])
            return
        if model is None:
            raise CommandError("No model artefact: run manage.py triage_train first.")
        params = model.params
        prepared = training.prepare(load_corpus(options["corpus"]))
        if options["cv"]:
            predictions = training.cross_predictions(prepared, params, options["cv"])
            title = f"{options['cv']}-fold cross-validation by scenario"
        else:
            everything = range(len(prepared.examples))
            train = [i for i in everything if not is_validation(prepared.examples[i])]
            held = [i for i in everything if is_validation(prepared.examples[i])]
            fitted, _ = training.fit_with_risk(prepared, train, params)
            predictions = {i: training.predict(fitted, prepared, i) for i in held}
            title = "validation split"
        tallies = training.tally(prepared, predictions, params)
        everything_counted = tallies["all"]
        self.stdout.write(f"{title} ({params.to_json()}):\n")
        self.stdout.write(training.table(tallies) + "\n\n")
        self.stdout.write(training.confusion_table(everything_counted) + "\n")
        by_rules = everything_counted.false_p1_rules
        self.stdout.write(
            f"\nfalse P1 raised by the rules: {by_rules}, by the model alone: "
            f"{everything_counted.false_p1 - by_rules}\n"
        )
        if options["errors"]:
            wrong = training.wrong_decisions(prepared, predictions, params)
            self.stdout.write("\n" + "\n".join(wrong) + "\n")

    def _file(self, path: Path, *, errors: bool, speed: bool) -> None:
        try:
            examples = read_file(path)
        except (OSError, CorpusError) as error:
            raise CommandError(str(error)) from error
        ordered, language, wrong = training.evaluate_examples(examples)
        self.stdout.write(f"{path} ({len(examples)} openings):\n")
        self.stdout.write(training.table(ordered, language=language) + "\n\n")
        self.stdout.write(training.confusion_table(ordered["all"]) + "\n")
        if errors:
            self.stdout.write("\n" + "\n".join(wrong) + "\n")
        if speed:
            self.stdout.write("\n" + speed_report(examples) + "\n")


def _empty_word_caches() -> None:
    """Forget every per-word result: the cost of a message of words never seen before."""
    language._word_ngram_score.cache_clear()
    engine.matcher()._token_ids.cache_clear()
    normalize.fold.cache_clear()
    features.word_buckets.cache_clear()
    translit.to_cyrillic.cache_clear()


def _cpu_per_call(examples: list[Example], *, cold: bool) -> list[float]:
    timings = []
    for example in examples:
        if cold:
            _empty_word_caches()
        started = time.thread_time()
        assess(
            texts=list(example.texts),
            browser_language=example.browser_language,
            prechat=example.prechat,
        )
        timings.append(time.thread_time() - started)
    return timings


def speed_report(examples: list[Example], *, rounds: int = 5) -> str:
    """CPU time of ``assess`` per call (thread CPU time: waiting for a busy core is not
    counted), after the data files and the model are loaded."""
    assess(texts=["warm-up"])  # loads data files, language profiles and the model
    lines = ["| calls | CPU average | CPU p99 | CPU max |", "|---|---:|---:|---:|"]
    for name, timings in (
        ("cold (per-word caches emptied before each call)", _cpu_per_call(examples, cold=True)),
        (
            "warm",
            [t for _ in range(rounds) for t in _cpu_per_call(examples, cold=False)],
        ),
    ):
        ordered = sorted(timings)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        lines.append(
            f"| {name}: {len(ordered)} | {1000 * statistics.fmean(ordered):.2f} ms "
            f"| {1000 * p99:.2f} ms | {1000 * ordered[-1]:.2f} ms |"
        )
    return "\n".join(lines)
