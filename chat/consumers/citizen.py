"""Citizen websocket: anonymous; a conversation is reached only through its token."""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings
from django.utils import timezone

from advice import resume_words, selectors
from advice.events import frames
from advice.events.groups import conversation_group, conversation_groups
from advice.events.outbox import frame_event
from advice.models import Conversation, SenderKind
from advice.prechat import language_from_accept_header
from advice.services import (
    conversations,
    erase,
    resume_codes,
    safety,
    triage_apply,
)
from advice.services.leases import SocketRef
from chat import bridge, heartbeat, inbound, limits, message_writes, positions
from chat.consumers.base import FrameConsumer, FrameHandler
from chat.seq_window import SeqWindow
from core.errors import DomainError, ErrorCode
from core.vocabulary import StateReason

# A group nobody sends to: joining and leaving it checks that the channel layer answers.
LAYER_PROBE_GROUP = "layer.probe"


class CitizenConsumer(FrameConsumer):
    conversation_id: int | None = None
    lease: SocketRef | None = None
    token: str = ""
    last_sent_seq: int = 0  # the replay's end
    seen: SeqWindow | None = None  # live message numbers sent, after the replay
    closed: bool = False
    limit_key: str = ""
    counted: bool = False
    silence_timer: asyncio.Task[None] | None = None
    frame_table = inbound.CITIZEN_FRAMES

    def frame_handlers(self) -> dict[str, FrameHandler]:
        return {
            "conversation.start": self.on_start,
            "conversation.resume": self.on_resume,
            "conversation.resume_code": self.on_resume_code,
            "resume_code.issue": self.on_issue_code,
            "conversation.leave_message": self.on_leave_message,
            "message.send": self.on_message,
            "conversation.end": self.on_end,
            "conversation.leave": self.on_leave,
            "conversation.erase": self.on_erase,
            "typing": self.on_typing,
            "rating.submit": self.on_rating,
            "conversation.set_language": self.on_set_language,
            "safety.answer": self.on_safety_answer,
            "ping": self.on_ping,
        }

    async def connect(self) -> None:
        self.limit_key = limits.address_key(limits.client_address(self.scope))
        # The socket takes its place before the handshake completes: a client that sees its
        # socket open holds a place, and sockets opened one after another are counted in
        # that order (counted after the accept, the counts of a burst interleave and the
        # refusal can fall on an earlier socket than the one over the limit).
        self.counted = await limits.run(limits.socket_open, key=self.limit_key)
        await self.accept()
        if not self.counted:
            await self.send_error(
                ErrorCode.RATE_LIMITED,
                "Too many open connections from your network. Please wait and try again.",
            )
            await self.close(code=1008)
            return
        self.silence_timer = asyncio.get_running_loop().create_task(self._close_if_silent())

    async def _close_if_silent(self) -> None:
        """A socket that never sends its first frame is dropped (slowloris)."""
        await asyncio.sleep(settings.CITIZEN_FIRST_FRAME_SECONDS)
        await self.close(code=1008)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.silence_timer is not None:
            self.silence_timer.cancel()
            self.silence_timer = None
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def disconnect(self, code: int) -> None:
        self.closed = True
        if self.silence_timer is not None:
            self.silence_timer.cancel()
        if self.counted:
            self.counted = False
            await limits.run(limits.socket_closed, key=self.limit_key)
        positions.ticker().unwatch(self)
        conversation_id = self.conversation_id
        if conversation_id is None or self.lease is None:
            return
        due = await bridge.call(
            conversations.citizen_disconnected, conversation_id=conversation_id, socket=self.lease
        )
        if due is not None:
            # The fast path; the sweeper of any process runs the same due-time if we die.
            delay = max(0.0, (due - timezone.now()).total_seconds())
            bridge.later(delay, lambda: _expire(conversation_id))

    def _require_conversation(self) -> int:
        if self.conversation_id is None:
            raise DomainError(ErrorCode.NOT_STARTED, "Start or resume a conversation first.")
        return self.conversation_id

    async def _join(self, conversation_id: int) -> None:
        self.conversation_id = conversation_id
        for group in conversation_groups(conversation_id, "citizen"):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups.append(group)

    async def on_start(self, frame: inbound.ConversationStart) -> None:
        if self.conversation_id is not None:
            raise DomainError(
                ErrorCode.ALREADY_STARTED, "This connection already has a conversation."
            )
        if not await limits.run(limits.start_allowed, key=self.limit_key):
            raise DomainError(
                ErrorCode.RATE_LIMITED,
                "Too many conversations were started from your network. "
                "Please wait a few minutes and try again.",
            )
        # Touch the channel layer before anything is stored: while Redis is unreachable the
        # start is refused here (``temporarily_unavailable``), not half-made.
        await self.channel_layer.group_add(LAYER_PROBE_GROUP, self.channel_name)
        await self.channel_layer.group_discard(LAYER_PROBE_GROUP, self.channel_name)
        language = frame.language or ""
        prechat = frame.prechat or {}
        browser = frame.browser_language or ""
        if not browser:
            browser = language_from_accept_header(self._header("accept-language"))

        async def joined(started: conversations.StartedConversation) -> None:
            # The token frame goes first; the start's own events (suggestions) follow it.
            await self._join(started.conversation.pk)
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
            socket=await heartbeat.socket_lease(self),
        )
        positions.ticker().watch(self)

    async def on_resume(self, frame: inbound.ConversationResume) -> None:
        if self.conversation_id is not None:
            raise DomainError(
                ErrorCode.ALREADY_STARTED, "This connection already has a conversation."
            )
        token = frame.token or ""
        last_seq = frame.last_seq or 0
        conversation = await bridge.call(
            conversations.conversation_resume,
            token=token,
            socket=await heartbeat.socket_lease(self),
        )
        self.token = token
        # Join first, then read: a message committed in between arrives both ways and the
        # sequence check in ``chat_frame`` drops the second copy.
        await self._join(conversation.pk)
        await self._replay(last_seq)
        await self._ask_safety_if_due(conversation)
        positions.ticker().watch(self)

    async def on_resume_code(self, frame: inbound.ConversationResumeCode) -> None:
        if self.conversation_id is not None:
            raise DomainError(
                ErrorCode.ALREADY_STARTED, "This connection already has a conversation."
            )
        code = frame.code or ""
        candidates = await bridge.call(
            resume_codes.resume_code_lookup, code=code, address=self._client_address()
        )
        # The slow hash runs in a worker thread, not in the database thread every socket of
        # this process shares.
        candidate = await asyncio.to_thread(
            resume_codes.resume_code_verify, code=code, candidates=candidates
        )
        resumed = await bridge.call(resume_codes.conversation_resume_with_code, candidate=candidate)
        self.token = resumed.token
        await self._join(resumed.conversation.pk)
        await self.send_frame(
            frames.conversation_resumed(
                token=resumed.token, code=resume_words.code_normalise(code) or ""
            )
        )
        await self._replay(frame.last_seq or 0)
        await self._ask_safety_if_due(resumed.conversation)
        positions.ticker().watch(self)

    async def on_issue_code(self, frame: inbound.ResumeCodeIssue) -> None:
        conversation_id = self._require_conversation()
        issued = await asyncio.to_thread(resume_codes.resume_code_new)
        await bridge.call(
            resume_codes.resume_code_store, conversation_id=conversation_id, issued=issued
        )
        await self.send_frame(frames.resume_code(code=issued.code))

    async def on_leave_message(self, frame: inbound.LeaveMessage) -> None:
        conversation_id = self._require_conversation()
        await bridge.call(resume_codes.conversation_leave_message, conversation_id=conversation_id)

    def _client_address(self) -> str:
        client = self.scope.get("client") or ("", 0)
        return str(client[0])

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
        self.seen = SeqWindow(self.last_sent_seq)
        await self.send_frame(frames.replay_done(last_seq=self.last_sent_seq))

    async def on_message(self, frame: inbound.CitizenMessageSend) -> None:
        conversation_id = self._require_conversation()
        watch = bridge.LayerWatch()
        result = await message_writes.post(
            conversation_id=conversation_id,
            sender=SenderKind.CITIZEN,
            client_id=frame.client_id,
            text=frame.text,
        )
        await self.send_ack(result, watch)

    async def on_end(self, frame: inbound.ConversationEnd) -> None:
        conversation_id = self._require_conversation()
        await bridge.call(
            conversations.conversation_close, conversation_id=conversation_id, by="citizen"
        )

    async def on_leave(self, frame: inbound.ConversationLeave) -> None:
        conversation_id = self._require_conversation()
        await bridge.call(conversations.conversation_leave, conversation_id=conversation_id)
        await self.close(code=1000)

    async def on_erase(self, frame: inbound.ConversationErase) -> None:
        conversation_id = self._require_conversation()
        # The confirmation is the ``conversation.state`` (citizen_erased) the service
        # publishes to this socket's group after the commit.
        await bridge.call(erase.conversation_erase, conversation_id=conversation_id)

    async def on_typing(self, frame: inbound.CitizenTyping) -> None:
        conversation_id = self._require_conversation()
        await self.channel_layer.group_send(
            conversation_group(conversation_id, "staff"),
            frame_event(frames.typing(sender="citizen", conversation_id=conversation_id)),
        )

    async def on_rating(self, frame: inbound.RatingSubmit) -> None:
        conversation_id = self._require_conversation()
        await bridge.call(
            conversations.conversation_rate,
            conversation_id=conversation_id,
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

    async def on_safety_answer(self, frame: inbound.SafetyAnswerSend) -> None:
        await bridge.call(
            safety.conversation_safety_answer,
            conversation_id=self._require_conversation(),
            answer=frame.answer or "",
        )

    async def _ask_safety_if_due(self, conversation: Conversation) -> None:
        """After a resume, a possible-risk question not answered yet is asked again."""
        if selectors.safety_question_due(conversation):
            await self.send_frame(frames.safety_ask())

    async def on_ping(self, frame: inbound.Ping) -> None:
        await self.send_frame(frames.pong())

    async def chat_frame(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if frame.get("type") == "queue.changed":
            return  # positions come from this process's ticker (``chat.positions``)
        if frame.get("type") == "message":
            if self.seen is None:
                self.seen = SeqWindow(self.last_sent_seq)
            if not self.seen.fresh(frame["seq"]):
                return
            frame = frames.message_for_citizen(frame)
        await self.send_frame(frame)

    def _header(self, name: str) -> str:
        wanted = name.encode("latin-1")
        for key, value in self.scope.get("headers", []):
            if key.lower() == wanted:
                return str(value.decode("latin-1"))
        return ""


async def _expire(conversation_id: int) -> None:
    await bridge.call(conversations.citizen_resume_expired, conversation_id=conversation_id)
