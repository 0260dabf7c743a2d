"""A supervisor's socket watching conversations read-only (``docs/protocol.md``, Supervisor →
server): replay on open, live frames of the conversation after that, whispers to its officer."""

from __future__ import annotations

from typing import Any

from advice import selectors
from advice.events import frames
from advice.services import watch
from chat import bridge, inbound
from chat.consumers.base import StaffConsumer
from chat.seq_window import SeqWindow
from core.vocabulary import StateReason

REPLAY_BATCH = 500


class WatchingConsumer(StaffConsumer):
    """Adds ``conversation.open`` and ``whisper.send`` to a staff socket of a supervisor."""

    _watched: dict[int, SeqWindow]

    def watched(self) -> dict[int, SeqWindow]:
        """Conversation id → the message numbers this socket has sent of it."""
        if not hasattr(self, "_watched"):
            self._watched = {}
        return self._watched

    async def on_watch_open(self, frame: inbound.ConversationOpen) -> None:
        assert frame.conversation_id is not None  # noqa: S101 - REQUIRED by the parser
        conversation_id = frame.conversation_id
        conversation = await self.open_justified(
            watch.conversation_watch, frame, user=self.scope["user"]
        )
        await self._follow(conversation_id)
        last_seq = frame.last_seq or 0
        while True:
            batch = await bridge.call(
                selectors.messages_after, conversation_id=conversation_id, after_seq=last_seq
            )
            for message in batch:
                await self.send_frame(frames.message(message, for_staff=True))
                last_seq = message.seq
            if len(batch) < REPLAY_BATCH:
                break
        self.watched()[conversation_id] = SeqWindow(last_seq)
        notes = await bridge.call(selectors.conversation_notes, conversation_id=conversation_id)
        for note in notes:
            await self.send_frame(frames.note(note))
        await self.send_frame(
            frames.conversation_state_staff(conversation, reason=StateReason.OPENED)
        )
        await self.send_frame(
            frames.replay_done(last_seq=last_seq, conversation_id=conversation_id)
        )

    async def on_whisper(self, frame: inbound.WhisperSend) -> None:
        assert frame.conversation_id is not None  # noqa: S101 - REQUIRED by the parser
        await bridge.call(
            watch.whisper_send,
            conversation_id=frame.conversation_id,
            user=self.scope["user"],
            client_id=frame.client_id,
            text=frame.text,
        )

    async def watch_ended(self) -> None:
        """The socket closes: tell the officers of the watched conversations."""
        watched = self.watched()
        if watched:
            await bridge.call(
                watch.conversation_unwatch, conversation_ids=list(watched), user=self.scope["user"]
            )

    def watch_frame_is_new(self, frame: dict[str, Any]) -> bool:
        """False for a ``message`` this socket already sent (replay and live overlap)."""
        if frame.get("type") != "message":
            return True
        watched = self.watched()
        conversation_id = frame.get("conversation_id")
        if conversation_id not in watched:
            return True
        return watched[conversation_id].fresh(frame["seq"])
