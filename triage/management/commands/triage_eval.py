"""Triage figures per language: ``manage.py triage_eval [--file F | --cv N] [--speed]``."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage import training
from triage.corpus import CORPUS_DIR, LANGUAGES, CorpusError, is_validation, load_corpus, read_file
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
        "--cv N: scenario-grouped cross-validation. --speed: CPU time per assess call."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="labelled JSONL (corpus or test-set format)")
        parser.add_argument("--cv", type=int, default=0, help="folds of cross-validation")
        parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
        parser.add_argument("--errors", action="store_true", help="list the wrong decisions")
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
            tallies = training.cross_validate(prepared, params, options["cv"])
            title = f"{options['cv']}-fold cross-validation by scenario"
        else:
            everything = range(len(prepared.examples))
            train = [i for i in everything if not is_validation(prepared.examples[i])]
            held = [i for i in everything if is_validation(prepared.examples[i])]
            fitted, _ = training.fit(prepared, train, params)
            predictions = {i: fitted.predict(prepared.features[i]) for i in held}
            tallies = training.tally(prepared, predictions, params)
            title = "validation split"
        self.stdout.write(f"{title} ({params.to_json()}):\n")
        self.stdout.write(training.table(tallies) + "\n\n")
        self.stdout.write(training.confusion_table(tallies["all"]) + "\n")

    def _file(self, path: Path, *, errors: bool, speed: bool) -> None:
        try:
            examples = read_file(path)
        except (OSError, CorpusError) as error:
            raise CommandError(str(error)) from error
        tallies: dict[str, training.Tally] = {}
        language: dict[str, int] = {}
        wrong: list[str] = []
        cpu: list[float] = []
        for example in examples:
            started = time.thread_time()
            result = assess(
                texts=list(example.texts),
                browser_language=example.browser_language,
                prechat=example.prechat,
            )
            cpu.append(time.thread_time() - started)
            for code in (example.language, "all"):
                tallies.setdefault(code, training.Tally()).add(
                    example, result.category, result.urgency, result.possible_risk
                )
                language[code] = language.get(code, 0) + (result.language == example.language)
            if result.urgency != example.urgency or result.category not in example.categories:
                wrong.append(
                    f"{example.id}: {result.urgency}/{result.category} "
                    f"(want {example.urgency}/{example.category}) {example.texts[-1][:70]!r}"
                )
        ordered = {code: tallies[code] for code in LANGUAGES if code in tallies}
        ordered["all"] = tallies["all"]
        self.stdout.write(f"{path} ({len(examples)} openings):\n")
        self.stdout.write(training.table(ordered, language=language) + "\n\n")
        self.stdout.write(training.confusion_table(tallies["all"]) + "\n")
        if errors:
            self.stdout.write("\n" + "\n".join(wrong) + "\n")
        if speed:
            ordered_cpu = sorted(cpu[1:] or cpu)  # the first call loads data and model
            p99 = ordered_cpu[min(len(ordered_cpu) - 1, int(0.99 * len(ordered_cpu)))]
            self.stdout.write(
                f"\nCPU per assess call: average {1000 * statistics.fmean(ordered_cpu):.3f} ms, "
                f"p99 {1000 * p99:.3f} ms, max {1000 * ordered_cpu[-1]:.3f} ms "
                f"({len(ordered_cpu)} calls, first call excluded)\n"
            )
