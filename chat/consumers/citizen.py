"""Citizen websocket: anonymous; a conversation is reached only through its token."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from advice import selectors
from advice.events import frames
from advice.events.groups import conversation_group
from advice.events.outbox import frame_event
from advice.models import SenderKind
from advice.prechat import language_from_accept_header
from advice.services import conversations, messages, triage_apply
from chat import bridge, inbound, positions
from chat.consumers.base import FrameConsumer, FrameHandler
from core.errors import DomainError, ErrorCode
from core.vocabulary import StateReason


class CitizenConsumer(FrameConsumer):
    conversation_id: int | None = None
    token: str = ""
    last_sent_seq: int = 0
    closed: bool = False
    frame_table = inbound.CITIZEN_FRAMES

    def frame_handlers(self) -> dict[str, FrameHandler]:
        return {
            "conversation.start": self.on_start,
            "conversation.resume": self.on_resume,
            "message.send": self.on_message,
            "conversation.end": self.on_end,
            "typing": self.on_typing,
            "rating.submit": self.on_rating,
            "conversation.set_language": self.on_set_language,
            "ping": self.on_ping,
        }

    async def connect(self) -> None:
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.closed = True
        positions.ticker().unwatch(self)
        conversation_id = self.conversation_id
        if conversation_id is None:
            return
        since = await bridge.call(
            conversations.citizen_disconnected, conversation_id=conversation_id
        )
        bridge.later(
            settings.CITIZEN_RESUME_SECONDS,
            lambda: _expire(conversation_id, since),
        )

    def _require_conversation(self) -> int:
        if self.conversation_id is None:
            raise DomainError(ErrorCode.NOT_STARTED, "Start or resume a conversation first.")
        return self.conversation_id

    async def _join(self, conversation_id: int) -> None:
        self.conversation_id = conversation_id
        group = conversation_group(conversation_id, "citizen")
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups.append(group)

    async def on_start(self, frame: inbound.ConversationStart) -> None:
        if self.conversation_id is not None:
            raise DomainError(
                ErrorCode.ALREADY_STARTED, "This connection already has a conversation."
            )
        language = frame.language or ""
        prechat = frame.prechat or {}
        browser = frame.browser_language or ""
        if not browser:
            browser = language_from_accept_header(self._header("accept-language"))

        async def joined(started: conversations.StartedConversation) -> None:
            # The token frame goes first; the start's own events (suggestions) follow it.
            await self._join(started.conversation.pk)
            self.token = started.token
            await self.send_frame(
                frames.conversation_started(token=started.token, conversation=started.conversation)
            )

        await bridge.call(
            conversations.conversation_start,
            # A new conversation contends with no one: any pool thread may store it.
            lane=self.channel_name,
            before_events=joined,
            browser_language=browser,
            language=language,
            prechat=prechat,
        )
        positions.ticker().watch(self)

    async def on_resume(self, frame: inbound.ConversationResume) -> None:
        if self.conversation_id is not None:
            raise DomainError(
                ErrorCode.ALREADY_STARTED, "This connection already has a conversation."
            )
        token = frame.token or ""
        last_seq = frame.last_seq or 0
        conversation = await bridge.call(conversations.conversation_resume, token=token)
        self.token = token
        # Join first, then read: a message committed in between arrives both ways and the
        # sequence check in ``chat_frame`` drops the second copy.
        await self._join(conversation.pk)
        await self._replay(last_seq)
        positions.ticker().watch(self)

    async def _replay(self, after_seq: int) -> None:
        conversation_id = self._require_conversation()
        self.last_sent_seq = after_seq
        while True:
            batch = await bridge.call(
                selectors.messages_after,
                conversation_id=conversation_id,
                after_seq=self.last_sent_seq,
            )
            for message in batch:
                await self.send_frame(frames.message(message, for_staff=False))
                self.last_sent_seq = message.seq
            if len(batch) < 500:
                break
        conversation, officer_name = await bridge.call(
            selectors.conversation_with_officer_name, conversation_id=conversation_id
        )
        await self.send_frame(
            frames.conversation_state_citizen(
                conversation, reason=StateReason.RESUMED, officer_name=officer_name
            )
        )
        await self.send_frame(frames.replay_done(last_seq=self.last_sent_seq))

    async def on_message(self, frame: inbound.CitizenMessageSend) -> None:
        conversation_id = self._require_conversation()
        result = await bridge.call(
            messages.message_post,
            lane=conversation_id,
            refusable=True,
            conversation_id=conversation_id,
            sender=SenderKind.CITIZEN,
            client_id=frame.client_id,
            text=frame.text,
        )
        await self.send_ack(result)

    async def on_end(self, frame: inbound.ConversationEnd) -> None:
        conversation_id = self._require_conversation()
        await bridge.call(
            conversations.conversation_close, conversation_id=conversation_id, by="citizen"
        )

    async def on_typing(self, frame: inbound.CitizenTyping) -> None:
        conversation_id = self._require_conversation()
        await self.channel_layer.group_send(
            conversation_group(conversation_id, "staff"),
            frame_event(frames.typing(sender="citizen", conversation_id=conversation_id)),
        )

    async def on_rating(self, frame: inbound.RatingSubmit) -> None:
        self._require_conversation()
        await bridge.call(
            conversations.conversation_rate,
            token=self.token,
            score=frame.score,
            comment=frame.comment or "",
        )
        await self.send_frame(frames.rating_saved())

    async def on_set_language(self, frame: inbound.SetLanguage) -> None:
        conversation_id = self._require_conversation()
        await bridge.call(
            triage_apply.conversation_set_language,
            conversation_id=conversation_id,
            language=frame.language,
        )

    async def on_ping(self, frame: inbound.Ping) -> None:
        await self.send_frame(frames.pong())

    async def chat_frame(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if frame.get("type") == "queue.changed":
            return  # positions come from this process's ticker (``chat.positions``)
        if frame.get("type") == "message":
            if frame["seq"] <= self.last_sent_seq:
                return
            self.last_sent_seq = frame["seq"]
        await self.send_frame(frame)

    def _header(self, name: str) -> str:
        wanted = name.encode("latin-1")
        for key, value in self.scope.get("headers", []):
            if key.lower() == wanted:
                return str(value.decode("latin-1"))
        return ""


async def _expire(conversation_id: int, since: datetime) -> None:
    await bridge.call(
        conversations.citizen_resume_expired, conversation_id=conversation_id, since=since
    )
