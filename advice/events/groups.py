"""Channel-layer group names: the audiences of the domain's events."""

from __future__ import annotations

# Every on-duty console: queue entries, removals and P1 alerts.
QUEUE_GROUP = "queue.staff"
# Waiting citizens: told that the queue changed, so their position is recomputed.
CITIZEN_QUEUE_GROUP = "queue.citizens"
SUPERVISOR_GROUP = "supervisors"


def conversation_group(conversation_id: int, audience: str) -> str:
    """Group of the sockets watching a conversation: audience is ``citizen``, ``staff`` or
    ``all`` (both: the conversation's messages, one event for every socket)."""
    return f"conv.{conversation_id}.{audience}"


def conversation_groups(conversation_id: int, audience: str) -> tuple[str, str]:
    """The groups a socket of ``audience`` (``citizen`` or ``staff``) joins to follow a
    conversation: its audience's and the conversation's ``all``."""
    return (
        conversation_group(conversation_id, audience),
        conversation_group(conversation_id, "all"),
    )


def officer_group(user_id: int) -> str:
    """Group of every console socket of one officer."""
    return f"officer.{user_id}"


def staff_group(user_id: int) -> str:
    """Group of every staff socket (console and supervisor) of one user."""
    return f"staff.{user_id}"


def unit_group(unit_id: int) -> str:
    """Group of every console socket of one unit's staff (referrals to the unit, its P1s)."""
    return f"unit.{unit_id}"
