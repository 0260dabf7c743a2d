"""The reply boxes' maxlength and the server count a message's length the same way: in
UTF-16 code units, as the browser does (an emoji outside the BMP counts two)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from advice.text import browser_length, clean_message_text
from core.errors import DomainError, ErrorCode

EMOJI = "😀"  # U+1F600: one code point, two UTF-16 code units


def test_the_server_counts_utf16_code_units_like_maxlength():
    limit = settings.MESSAGE_MAX_CHARS
    assert browser_length("a" * limit) == limit
    assert browser_length(EMOJI) == len(EMOJI.encode("utf-16-le")) // 2 == 2
    assert clean_message_text("a" * limit)
    assert clean_message_text(EMOJI * (limit // 2))
    with pytest.raises(DomainError) as refused:
        clean_message_text(EMOJI * (limit // 2) + "a")
    assert refused.value.code == ErrorCode.TEXT_TOO_LONG


@pytest.mark.django_db
def test_every_message_box_has_the_servers_limit_as_its_maxlength(make_officer):
    citizen_page = Client().get(reverse("frontend:citizen")).content.decode()
    staff = Client()
    staff.force_login(make_officer("anna"))
    console_page = staff.get(reverse("frontend:console")).content.decode()
    boxes = re.findall(r'<textarea id="(message-input|__-reply|__-note)"[^>]*>', citizen_page)
    boxes += re.findall(r'<textarea id="(message-input|__-reply|__-note)"[^>]*>', console_page)
    assert sorted(boxes) == ["__-note", "__-reply", "message-input"]
    tags = re.findall(
        r'<textarea id="(?:message-input|__-reply|__-note)"[^>]*>', citizen_page + console_page
    )
    assert {re.search(r'maxlength="(\d+)"', tag).group(1) for tag in tags} == {
        str(settings.MESSAGE_MAX_CHARS)
    }
