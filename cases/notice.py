"""The chat notice that tells the citizen their case reference and what to bring.

Written per language here (pl, cs, en, uk, de; others fall back to English) rather than
through the interface catalogues: it is addressed to the citizen in the conversation's
language, whatever language the officer's console uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.checklist import bring_list

_TEXTS = {
    "en": (
        "Your case reference is {reference}. Quote it when you report this at a police station."
        "\nPlease bring:",
        "You can also come to: {contact}",
    ),
    "pl": (
        "Numer Twojej sprawy to {reference}. Podaj go, zgłaszając sprawę na komisariacie Policji."
        "\nZabierz ze sobą:",
        "Możesz też przyjść tutaj: {contact}",
    ),
    "cs": (
        "Číslo vašeho případu je {reference}. Uveďte ho při podání oznámení na policii."
        "\nVezměte s sebou:",
        "Můžete přijít také sem: {contact}",
    ),
    "uk": (
        "Номер вашої справи: {reference}. Назвіть його, коли звертатиметеся до поліції."
        "\nВізьміть із собою:",
        "Ви також можете прийти сюди: {contact}",
    ),
    "de": (
        "Ihr Aktenzeichen lautet {reference}. Nennen Sie es, wenn Sie bei der Polizei Anzeige"
        " erstatten.\nBitte bringen Sie mit:",
        "Sie können auch hierher kommen: {contact}",
    ),
}


@dataclass(frozen=True)
class CitizenNotice:
    text: str
    payload: dict[str, object]
    language: str


def citizen_notice(
    *, reference: str, category: str, language: str, contact: str = ""
) -> CitizenNotice:
    """The notice's text and payload (``case_reference``, ``bring``) in ``language``."""
    lang = language.split("-")[0].lower()
    if lang not in _TEXTS:
        lang = "en"
    intro, where = _TEXTS[lang]
    bring = bring_list(category=category, language=lang)
    lines = [intro.format(reference=reference), *(f"• {item}" for item in bring)]
    if contact.strip():
        lines.append(where.format(contact=contact.strip()))
    return CitizenNotice(
        text="\n".join(lines),
        payload={"case_reference": reference, "bring": bring},
        language=lang,
    )
