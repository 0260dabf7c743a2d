"""How the queue is ordered and marked for one officer."""

from __future__ import annotations

from advice.queue_policy import routed_queue


def card(
    cid: int,
    language: str,
    urgency: str = "P3",
    unit_id: int | None = None,
    *,
    referred: bool = False,
) -> dict:
    return {
        "id": cid,
        "language": language,
        "urgency": urgency,
        "unit_id": unit_id,
        "referred": referred,
    }


def test_p1_first_then_referred_to_my_unit_or_my_languages_then_the_rest():
    # In shared order (``queue_rank``): a referred conversation is first among its urgency.
    queue = [
        card(6, "cs", urgency="P2", unit_id=7, referred=True),
        card(1, "de"),
        card(4, "cs", unit_id=7, referred=True),
        card(2, "pl"),
        card(3, "de", urgency="P1"),
        card(5, "pl", unit_id=9),
    ]
    seen = routed_queue(queue, frozenset({"pl", "en"}), unit_id=7)
    assert [c["id"] for c in seen] == [3, 6, 4, 2, 5, 1]
    marks = {c["id"]: (c["preferred"], c["for_my_unit"]) for c in seen}
    assert marks == {
        1: (False, False),
        2: (True, False),
        3: (False, False),
        4: (False, True),
        5: (True, False),
        6: (False, True),
    }


def test_a_conversation_referred_to_another_unit_is_not_in_my_queue():
    queue = [card(1, "pl"), card(2, "pl", unit_id=9, referred=True), card(3, "pl", unit_id=9)]
    seen = routed_queue(queue, frozenset({"pl"}), unit_id=7)
    # 3 was only handed back by an officer of unit 9: the shared queue still shows it.
    assert [c["id"] for c in seen] == [1, 3]
    assert [c["id"] for c in routed_queue(queue, frozenset({"pl"}), unit_id=9)] == [1, 2, 3]
