"""Forms of the case pages: they parse and validate input; services decide and write."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advice.models import OfficerProfile, Unit, Urgency
from cases.models import (
    Case,
    CaseStatus,
    IndicatorParty,
    IndicatorStatus,
    PaymentMethod,
    ReferralReason,
)
from cases.money import CRYPTO_CURRENCIES, FIAT_CURRENCIES
from core.vocabulary import Category

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_LOCAL)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the browser's ``datetime-local`` control."""

    widget = DateTimeLocalInput
    input_formats = [DATETIME_LOCAL]


class CaseFieldsForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    assigned_officer = forms.TypedChoiceField(
        label=_("Assigned officer"), coerce=int, required=False, empty_value=None
    )
    incident_at = LocalDateTimeField(
        label=_("Incident date and time (unit's local time)"), required=False
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officers = OfficerProfile.objects.filter(unit_id=case.unit_id).order_by("display_name")
        cast(forms.TypedChoiceField, self.fields["assigned_officer"]).choices = [
            ("", _("— nobody —"))
        ] + [(p.user_id, p.display_name) for p in officers]


class LegalHoldForm(forms.Form):
    """Put the case on legal hold (``hold`` = "1") or lift it ("0"), with a reason."""

    prefix = "hold"

    hold = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DayInput(forms.DateInput):
    """The browser's date picker, sending ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ReviewDateForm(forms.Form):
    """A new review date (a day, read in the case unit's time zone), with a reason."""

    prefix = "review"

    review_on = forms.DateField(label=_("Review date"), widget=DayInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("review_on")
        if day is not None:
            # The start of that day where the case's unit is (the form is read in its zone).
            cleaned["review_at"] = timezone.make_aware(datetime.combine(day, time.min))
        return cleaned


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=CaseStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class LossForm(forms.Form):
    amount = forms.CharField(label=_("Amount"), max_length=32)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in FIAT_CURRENCIES + CRYPTO_CURRENCIES]
    )
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    occurred_at = LocalDateTimeField(label=_("When"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChecklistForm(forms.Form):
    have = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["have"]).choices = [
            (code, code) for code in codes
        ]


class IndicatorDecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (IndicatorStatus.CONFIRMED, IndicatorStatus.CONFIRMED.label),
            (IndicatorStatus.REMOVED, IndicatorStatus.REMOVED.label),
        ]
    )
    party = forms.ChoiceField(
        label=_("Whose is it"), choices=IndicatorParty.choices, required=False
    )


class ManualIndicatorForm(forms.Form):
    text = forms.CharField(label=_("Value (phone, IBAN, URL, wallet…)"), max_length=2000)
    party = forms.ChoiceField(
        label=_("Whose is it"), choices=IndicatorParty.choices, initial=IndicatorParty.SUSPECT
    )


class ReferralForm(forms.Form):
    unit = forms.ChoiceField(label=_("Refer to unit"))
    reason = forms.ChoiceField(label=_("Reason"), choices=ReferralReason.choices)
    summary = forms.CharField(
        label=_("Short summary for the receiving unit"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, exclude_unit_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.exclude(pk=exclude_unit_id or 0).order_by("code")
        cast(forms.ChoiceField, self.fields["unit"]).choices = [(u.code, str(u)) for u in units]


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do you decline?"), max_length=500)
