"""Phone numbers (``phonenumbers``) and national ID numbers (``python-stdnum``) in text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum.cz import rc as cz_rc
from stdnum.de import idnr as de_idnr
from stdnum.lt import asmens as lt_asmens
from stdnum.no import fodselsnummer as no_fnr
from stdnum.pl import pesel as pl_pesel
from stdnum.ua import rntrc as ua_rntrc

from cases.indicators.base import Found, Hints


@dataclass(frozen=True)
class _Scheme:
    code: str
    label: str
    country: str
    pattern: re.Pattern[str]
    is_valid: Callable[[str], bool]


_ELEVEN = re.compile(r"(?<![0-9+/-])[0-9]{11}(?![0-9/-])")
_TEN = re.compile(r"(?<![0-9+/-])[0-9]{10}(?![0-9/-])")
# Czech/Slovak birth numbers: YYMMDD/XXXX (or YYMMDD/XXX before 1954), slash optional only
# for the checksummed 10-digit form.
_RC = re.compile(r"(?<![0-9+/-])(?:[0-9]{6} ?/ ?[0-9]{3,4}|[0-9]{10})(?![0-9/-])")

_SCHEMES = (
    _Scheme("pl.pesel", "PESEL", "PL", _ELEVEN, pl_pesel.is_valid),
    _Scheme("cz.rc", "rodné číslo", "CZ", _RC, cz_rc.is_valid),
    _Scheme("sk.rc", "rodné číslo", "SK", _RC, cz_rc.is_valid),
    _Scheme("ua.rntrc", "РНОКПП", "UA", _TEN, ua_rntrc.is_valid),
    _Scheme("lt.asmens", "asmens kodas", "LT", _ELEVEN, lt_asmens.is_valid),
    _Scheme("no.fodselsnummer", "fødselsnummer", "NO", _ELEVEN, no_fnr.is_valid),
    _Scheme("de.idnr", "Steuer-IdNr", "DE", _ELEVEN, de_idnr.is_valid),
)
# Partner countries of the service: their numbers are looked for whatever the hints say.
_ALWAYS = ("PL", "CZ")


def find_national_ids(text: str, hints: Hints) -> list[Found]:
    """National ID numbers of the hinted countries (and of PL and CZ), checksum-validated.

    A number valid in several schemes is reported once, in the first hinted scheme.
    """
    countries = [*hints.regions(), *(c for c in _ALWAYS if c not in hints.regions())]
    schemes = sorted(
        (s for s in _SCHEMES if s.country in countries), key=lambda s: countries.index(s.country)
    )
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for scheme in schemes:
        for match in scheme.pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            compact = re.sub(r"[ /]", "", match.group())
            if not scheme.is_valid(compact):
                continue
            taken.append(match.span())
            found.append(
                Found(
                    "national_id",
                    f"{scheme.code}:{compact}",
                    f"{scheme.label} {match.group()}",
                    {"scheme": scheme.code, "country": scheme.country},
                    *match.span(),
                )
            )
    return found


def find_phones(text: str, hints: Hints) -> list[Found]:
    """Valid phone numbers; national formats are read in the hinted regions, in order.

    A number without a country code is read in the first hinted region where it is valid
    (``details["region_assumed"]`` then names it).
    """
    regions: list[str | None] = [*hints.regions()] or [None]
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        ):
            if any(s < match.end and match.start < e for s, e in taken):
                continue
            number = match.number
            taken.append((match.start, match.end))
            details = {"region": phonenumbers.region_code_for_number(number) or ""}
            if not match.raw_string.lstrip().startswith(("+", "00")) and region:
                details["region_assumed"] = region
            found.append(
                Found(
                    "phone",
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                    phonenumbers.format_number(
                        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
                    ),
                    details,
                    match.start,
                    match.end,
                )
            )
    return found
