"""Officer console websocket: authenticated by the Django session; queue, claims and chats."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from advice import selectors
from advice.events import frames
from advice.events.groups import (
    QUEUE_GROUP,
    conversation_group,
    officer_group,
    unit_group,
)
from advice.events.outbox import frame_event
from advice.models import SenderKind
from advice.queue_policy import route_entry, routed_queue, visible_to
from advice.services import (
    access,
    articles,
    conversations,
    notes,
    presence,
    triage_apply,
)
from advice.services.leases import SocketRef
from chat import bridge, heartbeat, inbound, limits, message_writes
from chat.consumers.base import FrameHandler, StaffConsumer, refuse_without_second_factor
from chat.seq_window import SeqWindow
from core.errors import DomainError, ErrorCode
from core.vocabulary import JOINS_STAFF, LEAVES_STAFF, StateReason
from knowledge_base import selectors as kb


class OfficerConsumer(StaffConsumer):
    # A console serves several conversations at once: more frames than a citizen's page.
    RATE_PER_SECOND = limits.OFFICER_FRAME_RATE.per_second
    RATE_BURST = limits.OFFICER_FRAME_RATE.burst
    officer_id: int | None = None
    lease: SocketRef | None = None
    # Read once on connect and stamped on every message this console sends.
    display_name: str = ""
    languages: frozenset[str] = frozenset()
    unit_id: int | None = None
    frame_table = inbound.OFFICER_FRAMES

    def frame_handlers(self) -> dict[str, FrameHandler]:
        return {
            "duty.set": self.on_duty,
            "conversation.claim": self.on_claim,
            "conversation.open": self.on_open,
            "message.send": self.on_message,
            "conversation.close": self.on_close,
            "typing": self.on_typing,
            "note.add": self.on_note,
            "article.insert": self.on_article_insert,
            "article.preview": self.on_article_preview,
            "article.search": self.on_article_search,
            "canned.list": self.on_canned_list,
            "conversation.override": self.on_override,
            "conversation.transfer": self.on_transfer,
            "ping": self.on_ping,
        }

    async def connect(self) -> None:
        self.last_sent: dict[int, int] = {}  # conversation id → the replay's end
        self.seen: dict[int, SeqWindow] = {}  # conversation id → message numbers sent
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.send_error(ErrorCode.NOT_ALLOWED, "Log in to the console first.")
            await self.close(code=4401)
            return
        if await refuse_without_second_factor(self) or not await self.bind_session():
            return
        try:
            profile = await bridge.call(
                presence.officer_connected, officer=user, socket=await heartbeat.socket_lease(self)
            )
        except DomainError as error:
            await self.send_error(error.code, error.message)
            await self.close(code=4403)
            return
        self.officer_id = user.pk
        self.display_name = profile.display_name
        self.languages = frozenset(profile.languages)
        self.unit_id = profile.unit_id
        await self._add_group(QUEUE_GROUP)
        await self._add_group(officer_group(user.pk))
        await self._add_group(unit_group(profile.unit_id))
        snapshot = await bridge.call(selectors.console_snapshot, user=user)
        for conversation_id in (c.pk for c in snapshot.active):
            await self._follow(conversation_id)
        await self.send_frame(
            frames.officer_state(
                display_name=profile.display_name,
                on_duty=profile.on_duty,
                conversations=[
                    frames.card(c, preview=snapshot.previews.get(c.pk, "")) for c in snapshot.active
                ],
            )
        )
        waiting = routed_queue(
            [frames.card(c, preview=snapshot.previews.get(c.pk, "")) for c in snapshot.waiting],
            self.languages,
            self.unit_id,
        )
        for part in frames.queue_snapshot_parts(waiting):
            await self.send_frame(part)

    async def disconnect(self, code: int) -> None:
        self.unbind_session()
        officer_id = self.officer_id
        if officer_id is None or self.lease is None:
            return
        due = await bridge.call(
            presence.officer_disconnected, officer_id=officer_id, socket=self.lease
        )
        if due is not None:
            # The fast path; the sweeper of any process runs the same due-time if we die.
            bridge.later(settings.OFFICER_GRACE_SECONDS, lambda: _grace_expired(officer_id))

    def _user(self) -> Any:
        return self.scope["user"]

    async def on_duty(self, frame: inbound.DutySet) -> None:
        profile = await bridge.call(
            presence.officer_set_duty, officer=self._user(), on_duty=frame.on_duty
        )
        await self.send_frame(frames.duty_state(on_duty=profile.on_duty))

    async def on_claim(self, frame: inbound.ConversationClaim) -> None:
        conversation_id = _required(frame.conversation_id)
        await bridge.call(
            conversations.conversation_claim, conversation_id=conversation_id, officer=self._user()
        )
        await self._open(inbound.ConversationOpen(conversation_id=conversation_id))

    async def on_open(self, frame: inbound.ConversationOpen) -> None:
        await self._open(frame)

    async def _open(self, frame: inbound.ConversationOpen) -> None:
        """Subscribe to a conversation (audited, justified when not assigned to this officer)
        and replay its messages after the frame's ``last_seq``."""
        conversation_id = _required(frame.conversation_id)
        after_seq = frame.last_seq or 0
        conversation = await self.open_justified(
            access.conversation_open_for_staff, frame, user=self._user()
        )
        await self._follow(conversation_id)
        self.last_sent[conversation_id] = after_seq
        while True:
            batch = await bridge.call(
                selectors.messages_after,
                conversation_id=conversation_id,
                after_seq=self.last_sent[conversation_id],
            )
            for message in batch:
                await self.send_frame(frames.message(message, for_staff=True))
                self.last_sent[conversation_id] = message.seq
            if len(batch) < 500:
                break
        self.seen[conversation_id] = SeqWindow(self.last_sent[conversation_id])
        await self.send_frame(
            frames.conversation_state_staff(conversation, reason=StateReason.OPENED)
        )
        suggested = await bridge.call(selectors.suggestions_for, conversation=conversation)
        await self.send_frame(
            frames.suggestions(
                [view.as_payload() for view in suggested],
                money_moving=selectors.money_moving(conversation),
                conversation_id=conversation_id,
            )
        )
        await self.send_frame(
            frames.replay_done(
                last_seq=self.last_sent[conversation_id], conversation_id=conversation_id
            )
        )

    async def on_message(self, frame: inbound.OfficerMessageSend) -> None:
        conversation_id = _required(frame.conversation_id)
        watch = bridge.LayerWatch()
        result = await message_writes.post(
            conversation_id=conversation_id,
            sender=SenderKind.OFFICER,
            officer=self._user(),
            officer_id=self.officer_id,
            author_name=self.display_name,
            client_id=frame.client_id,
            text=frame.text,
        )
        await self.send_ack(result, watch, conversation_id=conversation_id)

    async def on_close(self, frame: inbound.ConversationClose) -> None:
        await bridge.call(
            conversations.conversation_close,
            conversation_id=_required(frame.conversation_id),
            by="officer",
            officer=self._user(),
            outcome=frame.outcome or "",
        )

    async def on_typing(self, frame: inbound.OfficerTyping) -> None:
        conversation_id = _required(frame.conversation_id)
        if conversation_group(conversation_id, "staff") not in self.groups:
            raise DomainError(ErrorCode.NOT_ASSIGNED, "Open the conversation first.")
        await self.channel_layer.group_send(
            conversation_group(conversation_id, "citizen"),
            frame_event(frames.typing(sender="officer")),
        )

    async def on_article_insert(self, frame: inbound.ArticleInsert) -> None:
        conversation_id = _required(frame.conversation_id)
        watch = bridge.LayerWatch()
        result = await bridge.call(
            articles.article_insert,
            conversation_id=conversation_id,
            officer=self._user(),
            client_id=frame.client_id,
            slug=frame.slug,
        )
        await self.send_ack(result, watch, conversation_id=conversation_id)

    async def on_article_preview(self, frame: inbound.ArticlePreview) -> None:
        conversation_id = _required(frame.conversation_id)
        view = await bridge.call(
            articles.article_preview, conversation_id=conversation_id, slug=frame.slug
        )
        await self.send_frame(
            frames.article_preview(conversation_id=conversation_id, article=view.as_payload())
        )

    async def on_article_search(self, frame: inbound.ArticleSearch) -> None:
        query = frame.query or ""
        language = frame.language or "en"
        views = await bridge.call(kb.articles_search, query=query, language=language)
        await self.send_frame(
            frames.article_results(query=query, articles=[v.as_payload() for v in views])
        )

    async def on_canned_list(self, frame: inbound.CannedList) -> None:
        language = frame.language or "en"
        replies = await bridge.call(kb.canned_replies, language=language)
        await self.send_frame(
            frames.canned_replies(
                language=language,
                replies=[
                    {
                        "shortcut": r.shortcut,
                        "title": r.title,
                        "text": r.text,
                        "language": r.language,
                    }
                    for r in replies
                ],
            )
        )

    async def on_note(self, frame: inbound.NoteAdd) -> None:
        await bridge.call(
            notes.note_add,
            conversation_id=_required(frame.conversation_id),
            officer=self._user(),
            client_id=frame.client_id,
            text=frame.text,
        )

    async def on_override(self, frame: inbound.ConversationOverride) -> None:
        await bridge.call(
            triage_apply.conversation_override,
            conversation_id=_required(frame.conversation_id),
            officer=self._user(),
            changes={k: getattr(frame, k) for k in triage_apply.OVERRIDABLE},
        )

    async def on_transfer(self, frame: inbound.ConversationTransfer) -> None:
        await bridge.call(
            conversations.conversation_transfer,
            conversation_id=_required(frame.conversation_id),
            officer=self._user(),
            to_officer_id=frame.officer_id,
        )

    async def on_ping(self, frame: inbound.Ping) -> None:
        await self.send_frame(frames.pong())

    async def chat_frame(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if await self.session_frame(frame):
            return
        kind = frame.get("type")
        if kind == "conversation.state":
            # Marked like queue cards: a console puts a waiting one back into its queue
            # only if it is not reserved for another unit.
            card = route_entry(frame["conversation"], self.languages, self.unit_id)
            frame = {**frame, "conversation": card}
        if kind == "message":
            conversation_id = frame["conversation_id"]
            if not self.seen.setdefault(conversation_id, SeqWindow()).fresh(frame["seq"]):
                return
        elif kind == "queue.entry":
            entry = frame["entry"]
            if not visible_to(entry, self.unit_id):
                frame = frames.queue_removed(entry["id"], reason=StateReason.REFERRED)
            else:
                frame = {**frame, "entry": route_entry(entry, self.languages, self.unit_id)}
        elif kind == "conversation.state" and frame.get("reason") in JOINS_STAFF:
            await self._follow(frame["conversation"]["id"])
        elif kind == "conversation.state" and frame.get("reason") in LEAVES_STAFF:
            conversation = frame["conversation"]
            if conversation["assigned_officer_id"] != self.officer_id or conversation[
                "status"
            ] not in ("active",):
                await self._unfollow(conversation["id"])
        await self.send_frame(frame)


async def _grace_expired(officer_id: int) -> None:
    await bridge.call(presence.officer_grace_expired, officer_id=officer_id)


def _required(value: int | None) -> int:
    """A field ``chat.inbound`` guarantees present (listed in the frame's ``REQUIRED``)."""
    assert value is not None  # noqa: S101 - the parser refuses frames without it
    return value
