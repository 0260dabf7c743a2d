"""Run the presence and due-time sweeper once (the server processes also run it themselves)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from advice.services.sweeper import sweep_due


class Command(BaseCommand):
    help = (
        "Expire the socket leases of dead server processes, requeue the chats of officers past "
        "their grace period and abandon waiting conversations past their resume time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_due(now=timezone.now())
        self.stdout.write(
            f"Dead processes: {len(result.processes_expired)}; "
            f"officers gone offline: {len(result.officers_offline)}; "
            f"conversations requeued: {len(result.conversations_requeued)}; "
            f"abandoned: {len(result.conversations_abandoned)}."
        )
