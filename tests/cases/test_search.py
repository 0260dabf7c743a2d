"""Staff search: by reference, indicator or words, only in the searcher's unit, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advice.models import AuditEvent
from cases.models import Case
from cases.services.search import search_query_hash
from tests.cases.conftest import chat, client_for

pytestmark = pytest.mark.django_db

IBAN_TEXT = "Przelałem na konto PL61 1090 1014 0000 0712 1981 2874, mówili że z banku."
IBAN_COMPACT = "PL61109010140000071219812874"


def search(user: AbstractUser, query: str) -> str:
    response = client_for(user).get(
        reverse("cases:search"), {"q": query}, HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_finds_a_case_by_its_reference(officer, make_case: Callable[..., Case]) -> None:
    case = make_case(["Oszukano mnie na OLX."])
    other = make_case(["Inna sprawa."])
    html = search(officer, case.reference)
    assert f'data-kind="case" data-id="{case.pk}"' in html
    assert reverse("cases:detail", args=[case.pk]) in html
    assert f'data-id="{other.pk}"' not in html


def test_an_account_number_typed_without_spaces_finds_the_case_and_the_open_conversation(
    officer, colleague, make_case: Callable[..., Case]
) -> None:
    case = make_case([IBAN_TEXT])
    conversation = chat(colleague, ["Numer rachunku: PL61 1090 1014 0000 0712 1981 2874"])
    html = search(officer, IBAN_COMPACT)
    assert f'data-kind="case" data-id="{case.pk}"' in html
    assert f'data-kind="conversation" data-id="{conversation.pk}"' in html
    assert "Bank account (IBAN)" not in html  # the page is in Polish
    assert "<mark>PL61 1090 1014 0000 0712 1981 2874</mark>" in html


def test_nothing_of_another_unit_is_found_even_by_its_supervisor(
    officer,
    supervisor,
    foreign_officer,
    make_case: Callable[..., Case],
) -> None:
    ours = make_case([IBAN_TEXT + " Mój kot nazywa się Filemon."])
    theirs = make_case([IBAN_TEXT + " Filemon."], by=foreign_officer)
    chat(foreign_officer, ["Filemon " + IBAN_TEXT], language="cs")
    assert theirs.unit_id != ours.unit_id
    for user in (officer, supervisor):
        for query in (IBAN_COMPACT, "Filemon", theirs.reference):
            html = search(user, query)
            assert f'data-id="{theirs.pk}"' not in html
            assert reverse("cases:detail", args=[theirs.pk]) not in html
            assert f"{theirs.reference}</a>" not in html
    assert f'data-id="{ours.pk}"' in search(supervisor, "filemon")


def test_words_are_found_through_invisible_characters_on_either_side(
    officer, make_case: Callable[..., Case]
) -> None:
    case = make_case(["Ktoś mnie szan\u200btażuje zdjęciami."])
    html = search(officer, "szantaż\u2066uje")
    assert f'data-kind="case" data-id="{case.pk}"' in html
    assert "<mark>szantażuje</mark>" in html


def test_every_word_must_appear_and_case_does_not_matter(
    officer, colleague, make_case: Callable[..., Case]
) -> None:
    both = chat(colleague, ["Sprzedawca z OLX zniknął z pieniędzmi."])
    one = chat(colleague, ["Sprzedawca nie odpowiada."])
    html = search(officer, "sprzedawca olx")
    assert f'data-id="{both.pk}"' in html
    assert f'data-id="{one.pk}"' not in html


def test_a_citizens_markup_is_shown_as_text(officer, colleague) -> None:
    chat(colleague, ['Zobacz <img src=x onerror="alert(1)"> oszustwo'])
    html = search(officer, "oszustwo")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_supervisor_opens_a_found_conversation_read_only_an_officer_only_their_own(
    officer, colleague, supervisor
) -> None:
    conversation = chat(colleague, ["Wyłudzenie przez telefon."])
    assert reverse("frontend:watch", args=[conversation.pk]) in search(supervisor, "wyłudzenie")
    html = search(officer, "wyłudzenie")
    assert f'data-id="{conversation.pk}"' in html
    assert reverse("frontend:watch", args=[conversation.pk]) not in html


def test_every_search_is_audited_with_a_hash_of_the_query_not_the_query(
    officer, make_case: Callable[..., Case]
) -> None:
    make_case([IBAN_TEXT])
    search(officer, IBAN_COMPACT)
    event = AuditEvent.objects.filter(action="search.performed").get()
    assert event.actor_id == officer.pk
    assert event.params["kind"] == "indicator"
    assert event.params["indicator_kinds"] == ["iban"]
    assert event.params["results"] == {"cases": 1, "conversations": 0}
    assert event.params["query_hash"] == search_query_hash(IBAN_COMPACT)
    assert IBAN_COMPACT not in str(event.params)
    assert "1981" not in str(event.params)


def test_an_empty_query_searches_nothing_and_records_nothing(officer) -> None:
    html = search(officer, " \u200b ")
    assert "search-none" not in html
    assert not AuditEvent.objects.filter(action="search.performed").exists()


def test_a_search_takes_the_same_number_of_queries_for_one_or_many_results(
    officer, make_officer, make_case: Callable[..., Case]
) -> None:
    colleague = make_officer("bartek", max_chats=10)
    other = make_officer("celina", max_chats=10)
    make_case(["Oszustwo na BLIK."], by=colleague)
    chat(other, ["Oszustwo na Vinted."])
    client = client_for(officer)
    client.get(reverse("cases:search"), {"q": "oszustwo"})
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cases:search"), {"q": "oszustwo"})
    for index in range(4):
        make_case([f"Oszustwo numer {index}."], by=colleague)
        chat(other, [f"Oszustwo w rozmowie {index}."])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:search"), {"q": "oszustwo"})
    assert len(many) == len(one)
