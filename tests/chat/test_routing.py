"""How the queue is ordered and marked for one officer."""

from __future__ import annotations

from advice.queue_policy import routed_queue


def card(cid: int, language: str, urgency: str = "P3", unit_id: int | None = None) -> dict:
    return {"id": cid, "language": language, "urgency": urgency, "unit_id": unit_id}


def test_p1_first_then_referred_to_my_unit_then_my_languages_then_the_rest():
    queue = [
        card(1, "de"),
        card(2, "pl"),
        card(3, "de", urgency="P1"),
        card(4, "cs", unit_id=7),
        card(5, "pl", unit_id=9),
    ]
    seen = routed_queue(queue, frozenset({"pl", "en"}), unit_id=7)
    assert [c["id"] for c in seen] == [3, 4, 2, 5, 1]
    marks = {c["id"]: (c["preferred"], c["for_my_unit"]) for c in seen}
    assert marks == {
        1: (False, False),
        2: (True, False),
        3: (False, False),
        4: (False, True),
        5: (True, False),
    }
