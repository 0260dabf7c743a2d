"""Train the triage model from the corpus and write the artefact: manage.py triage_train."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from triage import training
from triage.corpus import CORPUS_DIR
from triage.model import MODEL_DIR, MODEL_NAME


class Command(BaseCommand):
    # Offline work on files: no database or templates needed, so no system checks.
    requires_system_checks: list[str] = []
    help = (
        "Train the triage model (deterministic), choose its thresholds on out-of-fold "
        "predictions of the training split, report validation (and cross-validation) figures "
        "and write triage/model/<name>.npz + .json. Nothing retrains itself: run it after a "
        "person has reviewed and committed corpus changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
        parser.add_argument("--output", type=Path, default=MODEL_DIR)
        parser.add_argument("--name", default=MODEL_NAME)
        parser.add_argument(
            "--cv",
            type=int,
            default=5,
            help="folds of the scenario-grouped cross-validation recorded in the manifest "
            "(0: skip)",
        )
        parser.add_argument(
            "--first-stage",
            metavar="NAME",
            help="keep the text heads and risk head of the artefact NAME (in triage/model/) "
            "as they were fitted, and fit only a P1 verifier onto them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = training.train(
            corpus=options["corpus"],
            output=options["output"],
            name=options["name"],
            cv_folds=options["cv"],
            first_stage=(
                training.FirstStage.load(MODEL_DIR, options["first_stage"])
                if options["first_stage"]
                else None
            ),
            log=lambda message: self.stderr.write(message),
        )
        self.stdout.write(f"Decision parameters: {report.params.to_json()}\n")
        self.stdout.write("Validation split (never used for any choice):\n")
        self.stdout.write(training.table(report.validation) + "\n\n")
        self.stdout.write(training.confusion_table(report.validation["all"]) + "\n")
        if report.cross_validation is not None:
            self.stdout.write(f"\n{options['cv']}-fold cross-validation by scenario:\n")
            self.stdout.write(training.table(report.cross_validation) + "\n\n")
            self.stdout.write(training.confusion_table(report.cross_validation["all"]) + "\n")
