"""Self-harm words about an annoying message, app or update (the sixteenth precision round,
docs/triage.md): "I'll hang myself with these parcel texts 🙄" is not read as self-harm by the
rules; the same words with despair, a means, images, a child, money or harm still are."""

from __future__ import annotations

import pytest

from tests.triage.english import english
from tests.triage.ruled import rules_of


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I swear I'll kill myself if I get one more of these spam texts about a parcel 🙄 "
            "haven't clicked anything, where do I forward them?",
            "en",
        ),
        (
            "Powieszę się przez te smsy od 'InPost' o dopłacie do paczki 🙄 nic nie klikałam, "
            "gdzie to zgłaszać?",
            "pl",
        ),
        (
            "Zabiju se s těma esemeskama od 'České pošty' o doplatku za balík 🙄 nic jsem "
            "neklikla, kam to hlásit?",
            "cs",
        ),
        (
            "Я вже повішусь з цими смсками від 'Нової пошти', посилка на складі 😤 нічого не "
            "натискала. Куди їх пересилати?",
            "uk",
        ),
    ],
)
def test_self_harm_words_about_spam_are_set_aside(text: str, language: str) -> None:
    ruled = rules_of(text, language)
    assert "tag:nuisance" in ruled.signals
    assert ruled.urgency != "P1"
    shown = " ".join(english(ruled.discounted))
    assert "not read as self-harm or suicidal thoughts" in shown


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "I want to kill myself, he keeps sending spam texts to my friends with my nude photos",
            "en",
        ),
        (
            "Chcę się zabić, te powiadomienia od windykacji nie przestają, nie mam już siły",
            "pl",
        ),
        ("хочу покончить с собой, в приложении пишут что выложат мои фото, мне 15", "ru"),
    ],
)
def test_self_harm_with_despair_images_or_a_child_stays_p1(text: str, language: str) -> None:
    assert rules_of(text, language).urgency == "P1"
