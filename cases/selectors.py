"""Read-only queries of case records, and the one access rule every view and export uses.

Who sees a case: staff (officers and supervisors) of the case's unit, of a unit the case is
referred to while the referral is pending, and anyone who worked on it (escalated it, was
assigned to it, edited it or wrote a note). Nobody else, not even a superuser without an
officer profile. Editing is for the case's unit and its assigned officer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from advice.models import OfficerProfile
from cases.models import (
    Case,
    CaseParticipant,
    Indicator,
    IndicatorStatus,
    Referral,
    ReferralStatus,
)
from core.errors import DomainError, ErrorCode

User = AbstractBaseUser | AnonymousUser


class AccessBasis:
    """Why a user may see a case; recorded in every audit event of an access."""

    UNIT = "unit"
    REFERRAL = "referral"
    PARTICIPANT = "participant"


def staff_unit_id(user: User) -> int | None:
    """The unit of an authenticated staff member, else None."""
    if not user.is_authenticated:
        return None
    return OfficerProfile.objects.filter(user_id=user.pk).values_list("unit_id", flat=True).first()


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case ``user`` may open (see the module docstring for the rule)."""
    unit_id = staff_unit_id(user)
    if unit_id is None:
        return Case.objects.none()
    referred = Referral.objects.filter(
        to_unit_id=unit_id, status=ReferralStatus.PENDING, case__isnull=False
    ).values("case_id")
    worked_on = CaseParticipant.objects.filter(user_id=user.pk or 0).values("case_id")
    return Case.objects.filter(Q(unit_id=unit_id) | Q(pk__in=referred) | Q(pk__in=worked_on))


def case_access(case: Case, user: User) -> str | None:
    """The :class:`AccessBasis` on which ``user`` may see ``case``, or None."""
    unit_id = staff_unit_id(user)
    if unit_id is None:
        return None
    if case.unit_id == unit_id:
        return AccessBasis.UNIT
    if Referral.objects.filter(
        case=case, to_unit_id=unit_id, status=ReferralStatus.PENDING
    ).exists():
        return AccessBasis.REFERRAL
    if CaseParticipant.objects.filter(case=case, user_id=user.pk or 0).exists():
        return AccessBasis.PARTICIPANT
    return None


def case_for_user(case_id: int, user: User) -> Case:
    """The case if ``user`` may see it; ``not_found`` otherwise (existence is not revealed)."""
    case = cases_visible_to(user).select_related("unit", "assigned_officer").filter(pk=case_id)
    found = case.first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such case.")
    return found


def case_editable_by(case: Case, user: User) -> bool:
    """Staff of the case's unit and its assigned officer may change it."""
    return user.is_authenticated and (
        case.assigned_officer_id == user.pk or staff_unit_id(user) == case.unit_id
    )


@dataclass(frozen=True)
class IndicatorMatch:
    """Another case sharing a confirmed indicator. Only what any officer may see of it."""

    case_id: int
    reference: str
    unit_code: str
    category: str
    created_at: datetime
    can_open: bool


def indicator_matches(case: Case, user: User) -> dict[int, list[IndicatorMatch]]:
    """For each confirmed indicator of ``case`` (by id), the other cases (any unit) where the
    same normalised value is confirmed too."""
    mine = list(case.indicators.filter(status=IndicatorStatus.CONFIRMED))
    if not mine:
        return {}
    keys = {(i.kind, i.value): i.pk for i in mine}
    others = (
        Indicator.objects.filter(
            status=IndicatorStatus.CONFIRMED, value__in={i.value for i in mine}
        )
        .exclude(case_id=case.pk)
        .select_related("case__unit")
        .order_by("case__created_at", "case_id")
    )
    rows = [o for o in others if (o.kind, o.value) in keys]
    visible = set(
        cases_visible_to(user).filter(pk__in={o.case_id for o in rows}).values_list("pk", flat=True)
    )
    matches: dict[int, list[IndicatorMatch]] = defaultdict(list)
    for other in rows:
        matches[keys[(other.kind, other.value)]].append(
            IndicatorMatch(
                case_id=other.case_id,
                reference=other.case.reference,
                unit_code=other.case.unit.code,
                category=other.case.category,
                created_at=other.case.created_at,
                can_open=other.case_id in visible,
            )
        )
    return dict(matches)


def loss_totals(case: Case) -> dict[str, Decimal]:
    """Sum of the case's financial losses per currency."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in case.losses.values_list("amount", "currency"):
        totals[currency] += amount
    return dict(sorted(totals.items()))


def referrals_for_unit(user: User) -> tuple[list[Referral], list[Referral]]:
    """(incoming, outgoing) referrals of ``user``'s unit, newest first."""
    unit_id = staff_unit_id(user)
    if unit_id is None:
        return [], []
    related = ("case", "conversation", "from_unit", "to_unit", "created_by", "decided_by")
    incoming = Referral.objects.filter(to_unit_id=unit_id).select_related(*related)
    outgoing = Referral.objects.filter(from_unit_id=unit_id).select_related(*related)
    return list(incoming), list(outgoing)
