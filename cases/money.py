"""How amounts are written: two decimals for money, every significant digit for crypto."""

from __future__ import annotations

from decimal import Decimal

CRYPTO_CURRENCIES = ("BTC", "ETH", "USDT", "USDC")
FIAT_CURRENCIES = ("PLN", "CZK", "EUR", "USD", "GBP", "UAH", "NOK", "SEK", "CHF", "HUF")


def money_text(amount: Decimal, currency: str) -> str:
    """``1500.50000000 PLN`` → ``"1500.50"``; ``0.01500000 BTC`` → ``"0.015"``."""
    if currency in CRYPTO_CURRENCIES:
        return format(amount.normalize(), "f")
    return format(amount.quantize(Decimal("0.01")), "f")
