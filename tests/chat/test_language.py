"""The citizen's language: asked when unsure, chosen explicitly, shown to officers."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from advice.models import Conversation
from tests.conftest import officer_online, start_citizen

pytestmark = pytest.mark.django_db(transaction=True)


async def test_unsure_language_is_asked_once_with_names_in_their_own_language(sockets):
    citizen, _ = await start_citizen(sockets)
    await citizen.send(
        {"type": "message.send", "client_id": "c1", "text": "Здравствуйте, помогите"}
    )
    ask = await citizen.receive_until("language.ask")
    codes = [c["code"] for c in ask["candidates"]]
    assert set(codes[:2]) == {"ru", "uk"}
    names = {c["code"]: c["name"] for c in ask["candidates"]}
    assert names["uk"] == "Українська"
    assert names["ru"] == "Русский"

    await citizen.send({"type": "message.send", "client_id": "c2", "text": "мне нужна помощь"})
    await citizen.stored("c2")
    assert not [f for f in await citizen.collect() if f["type"] == "language.ask"]


async def test_the_citizens_choice_wins_and_officers_see_it(sockets, make_officer):
    officer = await officer_online(sockets, await database_sync_to_async(make_officer)())
    citizen, _ = await start_citizen(sockets)
    await officer.receive_until("queue.entry")
    await citizen.send(
        {"type": "message.send", "client_id": "c1", "text": "Здравствуйте, помогите"}
    )
    await citizen.receive_until("language.ask")
    await citizen.send({"type": "conversation.set_language", "language": "uk"})
    state = await citizen.receive_until("conversation.state", reason="triage")
    assert state["language"] == "uk"
    languages = []
    while "uk" not in languages:
        languages.append((await officer.receive_until("queue.entry"))["entry"]["language"])

    # Later messages that look Russian do not undo the choice.
    await citizen.send(
        {"type": "message.send", "client_id": "c2", "text": "Меня шантажируют фотографиями"}
    )
    await citizen.stored("c2")
    conversation = await Conversation.objects.aget()
    assert conversation.language == "uk"
    assert conversation.language_confirmed


async def test_browser_language_is_the_prior_for_a_short_greeting(sockets):
    citizen = await sockets(
        "/ws/citizen/", headers=[(b"accept-language", b"cs-CZ,cs;q=0.9,en;q=0.5")]
    )
    await citizen.send({"type": "conversation.start"})
    started = await citizen.receive_until("conversation.started")
    assert started["language"] == "cs"
    await citizen.send({"type": "message.send", "client_id": "c1", "text": "dobry den"})
    await citizen.stored("c1")
    assert (await Conversation.objects.aget()).language == "cs"
