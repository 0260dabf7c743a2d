"""Template filters of the case pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cases.money import money_text

register = template.Library()


@register.filter
def money(amount: Decimal, currency: str) -> str:
    """``{{ loss.amount|money:loss.currency }}`` → ``1500.50 PLN``."""
    return f"{money_text(amount, currency)} {currency}"
