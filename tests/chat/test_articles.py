"""Guidance articles in the chat: suggestions while waiting, insertion in the citizen's language."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command

from advice.models import Message
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def knowledge_base(db):
    call_command("load_knowledge_base", verbosity=0)


async def claimed_by_officer(sockets, make_officer, **start):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await start_citizen(sockets, **start)
    conversation_id = (await officer.receive_until("queue.entry"))["entry"]["id"]
    await officer.send({"type": "conversation.claim", "conversation_id": conversation_id})
    await officer.receive_until("replay.done")
    return officer, citizen, conversation_id


async def test_waiting_citizen_gets_suggestions_for_what_happened(sockets, knowledge_base):
    citizen = await sockets("/ws/citizen/")
    await citizen.send(
        {"type": "conversation.start", "language": "pl", "prechat": {"what_happened": "phishing"}}
    )
    started = await citizen.receive_until("conversation.started")
    assert started["token"]
    suggestions = await citizen.receive_until("suggestions")
    assert 1 <= len(suggestions["articles"]) <= 3
    assert "phishing" in [a["slug"] for a in suggestions["articles"]]
    assert all(a["language"] == "pl" for a in suggestions["articles"])
    assert "<script" not in suggestions["articles"][0]["html"]


async def test_officer_inserts_an_article_and_the_citizen_reads_it_in_their_language(
    sockets, make_officer, knowledge_base
):
    officer, citizen, conversation_id = await claimed_by_officer(
        sockets, make_officer, language="uk"
    )
    await officer.send(
        {"type": "article.preview", "conversation_id": conversation_id, "slug": "phishing"}
    )
    preview = await officer.receive_until("article.preview")
    assert preview["language"] == "uk"

    await officer.send(
        {
            "type": "article.insert",
            "conversation_id": conversation_id,
            "client_id": "a1",
            "slug": "phishing",
        }
    )
    inserted = await officer.stored("a1")
    assert inserted["kind"] == "article"
    article = await citizen.receive_until("message", kind="article")
    assert article["payload"]["language"] == "uk"
    assert article["payload"]["slug"] == "phishing"
    assert article["payload"]["title"] == preview["title"]
    assert article["payload"]["html"].startswith("<")
    assert await Message.objects.filter(kind="article").acount() == 1


async def test_missing_translation_falls_back_and_the_officer_sees_which(
    sockets, make_officer, knowledge_base
):
    officer, _citizen, conversation_id = await claimed_by_officer(
        sockets, make_officer, language="lt"
    )
    await officer.send(
        {"type": "article.preview", "conversation_id": conversation_id, "slug": "phishing"}
    )
    preview = await officer.receive_until("article.preview")
    assert preview["requested_language"] == "lt"
    assert preview["language"] in ("lt", "en", "pl")


async def test_unknown_article_is_refused(sockets, make_officer, knowledge_base):
    officer, _citizen, conversation_id = await claimed_by_officer(sockets, make_officer)
    await officer.send(
        {
            "type": "article.insert",
            "conversation_id": conversation_id,
            "client_id": "a1",
            "slug": "nope",
        }
    )
    assert (await officer.receive_until("error"))["code"] == "not_found"
    assert await Message.objects.filter(kind="article").acount() == 0


async def test_officer_searches_articles_and_lists_canned_replies(
    sockets, make_officer, knowledge_base
):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    await officer.send({"type": "article.search", "query": "bank", "language": "de"})
    results = await officer.receive_until("article.results")
    assert results["articles"]
    assert all(a["language"] == "de" for a in results["articles"])
    await officer.send({"type": "canned.list", "language": "cs"})
    canned = await officer.receive_until("canned.replies")
    assert canned["replies"]
    assert all(r["shortcut"] for r in canned["replies"])
