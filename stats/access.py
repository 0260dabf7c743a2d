"""Who may see which statistics: supervisors their own unit, admins every unit."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db.models import Q

from advice.models import OfficerProfile
from advice.selectors import is_supervisor


@dataclass(frozen=True)
class StatsScope:
    """The part of the service a user may see statistics of.

    ``unit_ids`` is None for admins (every unit); otherwise the units a supervisor leads.
    Conversations nobody answered carry no unit (the queue is shared by every unit), so every
    scope includes them: each supervisor is responsible for the shared queue.
    ``officer_unit_ids`` are the units whose officers may be listed one by one: only the
    units the user supervises (an admin who is not a supervisor sees no officer names).
    """

    unit_ids: frozenset[int] | None
    officer_unit_ids: frozenset[int]
    timezone: str

    @property
    def all_units(self) -> bool:
        return self.unit_ids is None

    def conversations_q(self, prefix: str = "") -> Q:
        """Filter selecting the conversations inside this scope."""
        if self.unit_ids is None:
            return Q()
        return Q(**{f"{prefix}unit_id__in": sorted(self.unit_ids)}) | Q(
            **{f"{prefix}unit__isnull": True}
        )

    def key(self) -> str:
        """A stable string naming the scope (used to share computations between sockets)."""
        units = "*" if self.unit_ids is None else ",".join(map(str, sorted(self.unit_ids)))
        officers = ",".join(map(str, sorted(self.officer_unit_ids)))
        return f"{units}|{officers}"


def stats_scope_for(user: AbstractBaseUser | AnonymousUser) -> StatsScope | None:
    """The statistics scope of ``user``, or None when they may see no statistics.

    Admins (superusers) see every unit; supervisors (group "supervisors" with an officer
    profile) see their unit. Officers, anonymous users and supervisors without a profile
    get None.
    """
    if not user.is_authenticated or not is_supervisor(user):
        return None
    profile = OfficerProfile.objects.filter(user_id=user.pk).select_related("unit").first()
    admin = bool(getattr(user, "is_superuser", False))
    supervises = (
        frozenset({profile.unit_id})
        if profile is not None
        and Group.objects.filter(user__pk=user.pk, name="supervisors").exists()
        else frozenset()
    )
    if admin:
        zone = profile.unit.zone_name if profile is not None else settings.TIME_ZONE
        return StatsScope(unit_ids=None, officer_unit_ids=supervises, timezone=zone)
    if profile is None:
        return None
    return StatsScope(
        unit_ids=frozenset({profile.unit_id}),
        officer_unit_ids=supervises,
        timezone=profile.unit.zone_name,
    )
