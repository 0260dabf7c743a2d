"""Where to call to stop a payment, per country of the partner units, for the article
"Stop a bank transfer now".

Only numbers that serve every (or nearly every) bank of a country are listed, and only ones
the editors could confirm: Germany's card and online-banking blocking line 116 116 (the
"Sperr-Notruf") and Poland's shared card-blocking line 828 828 828 (System Zastrzegania Kart,
run for the banks by their association). Elsewhere there is no shared line, so the table
says to call the number on the back of the card or to block the card in the bank's app;
never invent a number here. The table opens the article wherever it is shown (chat
suggestions, inserted articles, ``/help/``); the reader's country, guessed from their
language, comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STOP_TRANSFER_SLUG = "stop-bank-transfer"


@dataclass(frozen=True)
class BankLine:
    country: str  # ISO 3166-1 alpha-2
    name: Promise
    number: str = ""  # as dialled inside the country; "" when there is no shared line
    international: str = ""  # E.164, for the tel: link
    what: Promise | None = None


BANK_LINES: tuple[BankLine, ...] = (
    BankLine(
        "PL",
        pgettext_lazy("country", "Poland"),
        "828 828 828",
        "+48828828828",
        _("blocks the payment cards of most Polish banks, day and night"),
    ),
    BankLine("CZ", pgettext_lazy("country", "Czechia")),
    BankLine("SK", pgettext_lazy("country", "Slovakia")),
    BankLine("UA", pgettext_lazy("country", "Ukraine")),
    BankLine(
        "DE",
        pgettext_lazy("country", "Germany"),
        "116 116",
        "+49116116",
        _("Sperr-Notruf: blocks cards and online banking of most German banks, day and night"),
    ),
    BankLine("LT", pgettext_lazy("country", "Lithuania")),
    BankLine("NO", pgettext_lazy("country", "Norway")),
)

# The reader's likely country, from the language they read in (none for en and ru).
COUNTRY_OF_LANGUAGE = {
    "pl": "PL",
    "cs": "CZ",
    "sk": "SK",
    "uk": "UA",
    "de": "DE",
    "lt": "LT",
    "nb": "NO",
}


def bank_lines_for(language: str) -> list[BankLine]:
    """Every country's line, the reader's likely country first."""
    first = COUNTRY_OF_LANGUAGE.get(language, "")
    return sorted(BANK_LINES, key=lambda line: line.country != first)


def bank_lines_html(*, language: str, reader_language: str) -> str:
    """The table as HTML in ``language``: the country of ``reader_language`` first, then the
    countries with a shared line, then one row for the countries without one.

    Built from this module's constants only, every text escaped; links are ``tel:``.
    """
    first = COUNTRY_OF_LANGUAGE.get(reader_language, "")
    with translation.override(language):
        no_line = escape(
            str(
                _(
                    "no shared line: call the number on the back of your card "
                    "or block the card in your bank's app"
                )
            )
        )
        rows = []
        without: list[str] = []
        for line in bank_lines_for(reader_language):
            if line.number:
                where = (
                    f'<a href="tel:{escape(line.international)}">{escape(line.number)}</a>'
                    f" – {escape(str(line.what or ''))}"
                )
            elif line.country == first:
                where = no_line
            else:
                without.append(escape(str(line.name)))
                continue
            rows.append(f"<tr><th>{escape(str(line.name))}</th><td>{where}</td></tr>")
        if without:
            rows.append(f"<tr><th>{', '.join(without)}</th><td>{no_line}</td></tr>")
        heading = escape(str(_("Bank emergency numbers")))
        country = escape(str(_("Country")))
        call = escape(str(_("Where to call")))
        note = escape(
            str(
                _(
                    "If your bank has its own fraud line, it is on the back of your card and "
                    "in your banking app. Call it as well."
                )
            )
        )
    return (
        f"<h2>{heading}</h2><table><thead><tr><th>{country}</th><th>{call}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table><p>{note}</p>"
    )
