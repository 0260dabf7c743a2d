"""Case pages and prints show the vocabulary as words in the officer's language, not codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from cases.models import Case
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["cases:detail", "cases:print"])
def test_a_polish_officer_reads_the_category_and_urgency_in_polish(
    officer, make_case: Callable[..., Case], page: str
) -> None:
    case = make_case(["Ktoś grozi, że opublikuje moje nagie zdjęcia, chce 500 euro"])
    html = (
        client_for(officer)
        .get(reverse(page, args=[case.pk]), HTTP_ACCEPT_LANGUAGE="pl")
        .content.decode()
    )
    assert case.category == "sextortion"
    assert "Sekstorsja" in html
    assert f">{case.urgency}<" not in html
    assert ">sextortion<" not in html
    assert "sextortion ·" not in html


def test_the_print_names_the_citizens_language_in_the_readers_language(
    officer, make_case: Callable[..., Case]
) -> None:
    case = make_case(["Dobrý den, někdo mi ukradl účet"], language="cs")
    html = (
        client_for(officer)
        .get(reverse("cases:print", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="pl")
        .content.decode()
    )
    assert "czeski" in html
