"""Canned replies for officers and structured evidence checklists for the case record."""

from __future__ import annotations

import pytest

from knowledge_base.models import CannedReply
from knowledge_base.selectors import canned_replies, evidence_checklist

pytestmark = pytest.mark.django_db

SHORTCUTS = ["/hello", "/safe", "/money", "/timeline", "/evidence", "/report", "/wait", "/bye"]


@pytest.mark.parametrize("language", ["pl", "cs", "en", "uk", "de"])
def test_every_canned_reply_exists_in_every_ui_language(seeded_module, language):
    replies = canned_replies(language=language)
    assert [reply.shortcut for reply in replies] == SHORTCUTS
    assert {reply.language for reply in replies} == {language}
    assert all(reply.title and reply.text for reply in replies)


def test_canned_replies_fall_back_like_articles(seeded_module):
    lithuanian = canned_replies(language="lt")
    assert {reply.language for reply in lithuanian} == {"en"}
    assert {reply.requested_language for reply in lithuanian} == {"lt"}
    russian = canned_replies(language="ru")
    assert {reply.language for reply in russian} == {"ru"}
    assert russian[0].text.startswith("Здравствуйте")


def test_inactive_canned_replies_are_not_offered(seeded_module):
    CannedReply.objects.filter(shortcut="/wait").update(active=False)
    assert "/wait" not in [reply.shortcut for reply in canned_replies(language="en")]


@pytest.mark.parametrize(
    ("category", "language", "expected"),
    [
        ("phishing", "en", "The link from the message and the address of the fake page"),
        ("sextortion", "pl", "Zrzuty ekranu z groźbami i żądaniami"),
        ("investment_fraud", "de", "Bei Kryptowährung: die Börse"),
        ("malware_ransomware", "cs", "Požadavek na výkupné"),
        ("child_abuse", "uk", "Знімки екрана тексту листування"),
    ],
)
def test_evidence_checklist_gives_plain_text_items(category, language, expected, seeded_module):
    items = evidence_checklist(category=category, language=language)
    assert 5 <= len(items) <= 10
    assert any(item.startswith(expected) for item in items), items
    assert not any("**" in item or "](" in item for item in items)


def test_sextortion_checklist_never_asks_to_keep_the_images(seeded_module):
    items = evidence_checklist(category="sextortion", language="en")
    assert not any("image" in item.lower() and "save" in item.lower() for item in items)


def test_other_category_gets_the_general_checklist(seeded_module):
    items = evidence_checklist(category="other", language="en")
    assert items[0].startswith("Screenshots of messages, profiles, adverts and websites")
    assert evidence_checklist(category="no_such_category", language="en") == items


def test_checklist_falls_back_to_a_neighbour_language(seeded_module):
    assert evidence_checklist(category="phishing", language="sk") == evidence_checklist(
        category="phishing", language="cs"
    )
