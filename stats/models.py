"""Roll-ups of conversation statistics: additive figures per period, unit and dimensions."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from advice.models import Unit


class PeriodKind(models.TextChoices):
    DAY = "D", "day"
    WEEK = "W", "ISO week"
    MONTH = "M", "month"


class RollupPeriod(models.Model):
    """A period of one time zone whose cells are stored and complete (read from roll-ups).

    ``start`` is the first day of the period (the day itself, the Monday, the first of the
    month) as a calendar date in ``zone``; its cells are those of zone ``source``. A period
    without a row is computed from the conversations themselves.
    """

    zone = models.CharField(max_length=64)
    kind = models.CharField(max_length=1, choices=PeriodKind.choices)
    start = models.DateField()
    # The zone under which the cells are stored: zones with the same clock share them.
    source = models.CharField(max_length=64)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["zone", "kind", "start"], name="rollup_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.kind} {self.start}"


class RollupCell(models.Model):
    """Sums over the conversations created in one period that share one set of dimensions.

    ``grain`` names the dimensions the cell is split by (see
    ``stats.rollup_cells.GRAINS``); dimensions outside the grain hold their
    empty value. ``unit`` is null for the shared queue (and for grains summed over every
    unit, whose names start with ``all.``); it is not a database constraint, so history
    survives the removal of a unit. Counts are exact; each duration keeps its exact count,
    minimum and maximum and a histogram (``stats.histogram``). Zero counts and
    absent durations are stored as null, which takes no space in a row.
    """

    zone = models.CharField(max_length=64)
    kind = models.CharField(max_length=1, choices=PeriodKind.choices)
    start = models.DateField()
    grain = models.CharField(max_length=16)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    language = models.CharField(max_length=8, blank=True, default="")
    category = models.CharField(max_length=32, blank=True, default="")
    urgency = models.CharField(max_length=2, blank=True, default="")
    officer_id = models.IntegerField(null=True, blank=True)
    weekday = models.SmallIntegerField(null=True, blank=True)
    hour = models.SmallIntegerField(null=True, blank=True)
    started = models.IntegerField(null=True, blank=True)
    answered = models.IntegerField(null=True, blank=True)
    abandoned = models.IntegerField(null=True, blank=True)
    closed = models.IntegerField(null=True, blank=True)
    escalated = models.IntegerField(null=True, blank=True)
    referred = models.IntegerField(null=True, blank=True)
    transferred = models.IntegerField(null=True, blank=True)
    transfers = models.IntegerField(null=True, blank=True)
    rating_count = models.IntegerField(null=True, blank=True)
    rating_1 = models.IntegerField(null=True, blank=True)
    rating_2 = models.IntegerField(null=True, blank=True)
    rating_3 = models.IntegerField(null=True, blank=True)
    rating_4 = models.IntegerField(null=True, blank=True)
    rating_5 = models.IntegerField(null=True, blank=True)
    p1_count = models.IntegerField(null=True, blank=True)
    p1_within_60s = models.IntegerField(null=True, blank=True)
    p1_within_300s = models.IntegerField(null=True, blank=True)
    rating_sum = models.IntegerField(null=True, blank=True)
    wait_join_n = models.IntegerField(null=True, blank=True)
    wait_join_min = models.FloatField(null=True, blank=True)
    wait_join_max = models.FloatField(null=True, blank=True)
    wait_join_hist = models.BinaryField(null=True, blank=True)
    wait_first_message_n = models.IntegerField(null=True, blank=True)
    wait_first_message_min = models.FloatField(null=True, blank=True)
    wait_first_message_max = models.FloatField(null=True, blank=True)
    wait_first_message_hist = models.BinaryField(null=True, blank=True)
    handle_n = models.IntegerField(null=True, blank=True)
    handle_min = models.FloatField(null=True, blank=True)
    handle_max = models.FloatField(null=True, blank=True)
    handle_hist = models.BinaryField(null=True, blank=True)
    to_escalation_n = models.IntegerField(null=True, blank=True)
    to_escalation_min = models.FloatField(null=True, blank=True)
    to_escalation_max = models.FloatField(null=True, blank=True)
    to_escalation_hist = models.BinaryField(null=True, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            # Reads filter zone, kind, start, grain and unit; refreshes zone, kind and start.
            models.Index(fields=["zone", "kind", "start", "grain", "unit"], name="rollup_cell_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.kind} {self.start} {self.grain}"
