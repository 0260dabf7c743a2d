"""Bank accounts (IBAN, Polish NRB, Czech domestic numbers) and payment cards in text."""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import luhn
from stdnum.cz import bankaccount as cz_bankaccount

from cases.indicators.base import Found

_IBAN_RE = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}(?:[ ]?[0-9A-Za-z]{4}){2,7}(?:[ ]?[0-9A-Za-z]{1,4})?"
    r"(?![0-9A-Za-z])"
)
# Polish domestic account number (NRB): 26 digits, written in groups of 2 + 6 x 4.
_NRB_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{2}(?:[ ]?[0-9]{4}){6}(?![0-9A-Za-z])")
# Czech domestic account number: [prefix-]number/bank code.
_CZ_ACCOUNT_RE = re.compile(
    r"(?<![0-9A-Za-z-])(?:([0-9]{1,6})-)?([0-9]{2,10})/([0-9]{4})(?![0-9A-Za-z])"
)
_CARD_RE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
_CARD_BRANDS = (
    ("34", "amex"),
    ("37", "amex"),
    ("4", "visa"),
    ("5", "mastercard"),
    ("2", "mastercard"),
    ("6", "discover_unionpay_maestro"),
    ("3", "jcb_diners"),
)


def _iban_found(compact: str, start: int, end: int, fmt: str) -> Found | None:
    try:
        iban = IBAN(compact)
    except SchwiftyException:
        return None
    details = {"country": iban.country_code, "format": fmt}
    try:
        if iban.bank_name:
            details["bank"] = iban.bank_name
    except SchwiftyException:
        pass
    return Found("iban", iban.compact, iban.formatted, details, start, end)


def _raw_end(raw: str, start: int, compact_length: int) -> int:
    """Offset just after the ``compact_length``-th non-space character from ``start``."""
    count = 0
    for offset, ch in enumerate(raw):
        if ch != " ":
            count += 1
            if count == compact_length:
                return start + offset + 1
    return start + len(raw)


def find_ibans(text: str) -> list[Found]:
    """Checksum-valid IBANs (any country), Polish NRBs and Czech domestic account numbers."""
    found: list[Found] = []
    for match in _IBAN_RE.finditer(text):
        compact = match.group().replace(" ", "").upper()
        # The greedy match may run into a following word or number: try shorter prefixes.
        for length in range(len(compact), 14, -1):
            hit = _iban_found(
                compact[:length],
                match.start(),
                _raw_end(match.group(), match.start(), length),
                "iban",
            )
            if hit is not None:
                found.append(hit)
                break
    taken = [(f.start, f.end) for f in found]
    for match in _NRB_RE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        hit = _iban_found("PL" + match.group().replace(" ", ""), *match.span(), "nrb")
        if hit is not None:
            found.append(hit)
    for match in _CZ_ACCOUNT_RE.finditer(text):
        prefix, number, bank = match.group(1) or "", match.group(2), match.group(3)
        if not cz_bankaccount.is_valid(match.group()):
            continue
        try:
            iban = IBAN.generate(
                "CZ", bank_code=bank, branch_code=prefix.zfill(6), account_code=number.zfill(10)
            )
        except SchwiftyException:
            continue
        hit = _iban_found(iban.compact, *match.span(), "cz_domestic")
        if hit is not None:
            found.append(hit)
    return found


def card_mask(digits: str) -> str:
    """First six and last four digits, the rest as ``*`` (PCI DSS display rule)."""
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def _card_brand(digits: str) -> str:
    for prefix, brand in _CARD_BRANDS:
        if digits.startswith(prefix):
            return brand
    return "unknown"


def find_cards(text: str) -> list[Found]:
    """Luhn-valid card numbers, returned masked: the full number never leaves this function."""
    found: list[Found] = []
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if digits[0] not in "23456" or len(set(digits)) == 1 or not luhn.is_valid(digits):
            continue
        masked = card_mask(digits)
        display = " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))
        found.append(
            Found(
                "card",
                masked,
                display,
                {"brand": _card_brand(digits), "length": str(len(digits))},
                *match.span(),
            )
        )
    return found
