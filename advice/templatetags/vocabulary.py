"""Template filters that show the vocabulary's codes as words in the reader's language.

``{% load vocabulary %}`` then ``{{ case.category|category_label }}``,
``{{ case.urgency|urgency_label }}``, ``{{ case.language|language_label }}``,
``{{ conversation.outcome|outcome_label }}``, ``{{ entry.sender|sender_label }}``,
``{{ entry.kind|message_kind_label }}`` (``core.labels``), and
``{% for text in conversation.triage_reasons|reason_texts %}`` (``core.reason_text``: plain
text, escaped like any value).
"""

from __future__ import annotations

from django import template

from core import labels
from core.reason_text import reason_texts

register = template.Library()
register.filter("category_label", labels.category_label)
register.filter("urgency_label", labels.urgency_label)
register.filter("outcome_label", labels.outcome_label)
register.filter("language_label", labels.language_label)
register.filter("sender_label", labels.sender_label)
register.filter("message_kind_label", labels.message_kind_label)
register.filter("reason_texts", reason_texts)
