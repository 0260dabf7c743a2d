"""Load the shipped knowledge-base seed (articles, canned replies); safe on every start."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from knowledge_base.services.permissions import editor_permissions_grant
from knowledge_base.services.rendering import translations_render_stale
from knowledge_base.services.seed import SEED_DIR, SeedError, seed_load


class Command(BaseCommand):
    help = (
        "Create or update the seed articles and canned replies from knowledge_base/seed/. "
        "Rows edited in the admin since the last load are kept unless --force is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite seed rows even where a supervisor edited them.",
        )
        parser.add_argument(
            "--seed-dir",
            type=Path,
            default=SEED_DIR,
            help="Directory with articles.json, articles/ and canned_replies.json.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = seed_load(seed_dir=options["seed_dir"], force=options["force"])
        except SeedError as error:
            raise CommandError(str(error)) from error
        # Translations written in the admin, rendered by an older renderer version.
        report.rendered += translations_render_stale()
        editor_permissions_grant()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Knowledge base: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.rendered} rendered."
            )
            for label in report.kept:
                self.stdout.write(f"Kept local edits of {label} (use --force to overwrite).")
