"""Which language an article goes out in when the requested translation is missing.

The order is: the requested language → a neighbour the reader is known to understand → English
→ Polish. Only Czech and Slovak are treated as neighbours (they are mutually intelligible).
Russian and Ukrainian never stand in for each other, in either direction: a Ukrainian refugee
must not be handed Russian text, and a Russian speaker is not assumed to read Ukrainian. An
officer who knows better can insert the article in another language explicitly.
"""

from __future__ import annotations

from django.conf import settings

NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "cs": ("sk",),
    "sk": ("cs",),
}
LAST_RESORTS: tuple[str, ...] = ("en", "pl")


def supported_languages() -> list[str]:
    """Codes of every language the service supports, in settings order."""
    return [code for code, _name in settings.LANGUAGES]


def normalise_language(value: str) -> str:
    """A bare lower-case language code: ``"pl-PL"`` → ``"pl"``, ``"no"``/``"nn"`` → ``"nb"``."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    # Norwegian browsers send "no" or "nn" as often as "nb"; we write bokmål for all of them.
    return "nb" if code in {"no", "nn"} else code


def fallback_chain(language: str) -> list[str]:
    """Languages to try, best first, for a reader who asked for ``language``.

    Always ends with English and Polish, so any article with a translation in either is found.
    An unknown or empty code starts directly with English.
    """
    requested = normalise_language(language)
    chain: list[str] = []
    if requested in supported_languages():
        chain.append(requested)
        chain.extend(NEIGHBOURS.get(requested, ()))
    chain.extend(LAST_RESORTS)
    return list(dict.fromkeys(chain))


def pick_language(available: set[str] | list[str], language: str) -> str | None:
    """The first language of ``fallback_chain(language)`` found in ``available``, if any."""
    for candidate in fallback_chain(language):
        if candidate in available:
            return candidate
    return None
