"""Officer console websocket: authenticated by the Django session; queue, claims and chats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from advice import notify, selectors
from advice.errors import DomainError, ErrorCode
from advice.models import SenderKind
from advice.prechat import clean_language
from advice.services import (
    access,
    articles,
    conversations,
    messages,
    notes,
    presence,
    triage_apply,
)
from chat import bridge, frames
from chat.consumers.base import (
    FrameConsumer,
    FrameHandler,
    field_bool,
    field_int,
    field_str,
    refuse_without_second_factor,
)
from knowledge_base import selectors as kb


class OfficerConsumer(FrameConsumer):
    # A console serves several conversations at once: more frames than a citizen's page.
    RATE_PER_SECOND = 100.0
    RATE_BURST = 200.0
    officer_id: int | None = None
    languages: frozenset[str] = frozenset()
    unit_id: int | None = None

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
        self.last_sent: dict[int, int] = {}
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.send_error(ErrorCode.NOT_ALLOWED, "Log in to the console first.")
            await self.close(code=4401)
            return
        if await refuse_without_second_factor(self):
            return
        try:
            profile = await bridge.call(presence.officer_connected, officer=user)
        except DomainError as error:
            await self.send_error(error.code, error.message)
            await self.close(code=4403)
            return
        self.officer_id = user.pk
        self.languages = frozenset(profile.languages)
        self.unit_id = profile.unit_id
        await self._add_group(notify.QUEUE_GROUP)
        await self._add_group(notify.officer_group(user.pk))
        snapshot = await bridge.call(selectors.console_snapshot, user=user)
        for conversation_id in (c.pk for c in snapshot.active):
            await self._add_group(notify.conversation_group(conversation_id, "staff"))
        await self.send_frame(
            frames.officer_state(
                display_name=profile.display_name,
                on_duty=profile.on_duty,
                conversations=[
                    frames.staff_view(c, preview=snapshot.previews.get(c.pk, ""))
                    for c in snapshot.active
                ],
            )
        )
        await self.send_frame(
            frames.queue_snapshot(
                routed_queue(
                    [
                        frames.staff_view(c, preview=snapshot.previews.get(c.pk, ""))
                        for c in snapshot.waiting
                    ],
                    self.languages,
                    self.unit_id,
                )
            )
        )

    async def disconnect(self, code: int) -> None:
        officer_id = self.officer_id
        if officer_id is None:
            return
        since = await bridge.call(presence.officer_disconnected, officer_id=officer_id)
        bridge.later(settings.OFFICER_GRACE_SECONDS, lambda: _grace_expired(officer_id, since))

    async def _add_group(self, group: str) -> None:
        if group not in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups.append(group)

    async def _discard_group(self, group: str) -> None:
        if group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups.remove(group)

    def _user(self) -> Any:
        return self.scope["user"]

    async def on_duty(self, frame: dict[str, Any]) -> None:
        on_duty = field_bool(frame, "on_duty")
        profile = await bridge.call(
            presence.officer_set_duty, officer=self._user(), on_duty=on_duty
        )
        await self.send_frame({"type": "duty.state", "on_duty": profile.on_duty})

    async def on_claim(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        await bridge.call(
            conversations.conversation_claim, conversation_id=conversation_id, officer=self._user()
        )
        await self._open(conversation_id, after_seq=0)

    async def on_open(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        await self._open(conversation_id, after_seq=field_int(frame, "last_seq", default=0))

    async def _open(self, conversation_id: int, *, after_seq: int) -> None:
        """Subscribe to a conversation (audited) and replay its messages after ``after_seq``."""
        conversation = await bridge.call(
            access.conversation_open_for_staff, conversation_id=conversation_id, user=self._user()
        )
        await self._add_group(notify.conversation_group(conversation_id, "staff"))
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
        await self.send_frame(frames.conversation_state_staff(conversation, reason="opened"))
        suggested = await bridge.call(articles.suggestions_for, conversation=conversation)
        await self.send_frame(
            frames.suggestions(
                [view.as_payload() for view in suggested], conversation_id=conversation_id
            )
        )
        await self.send_frame(
            frames.replay_done(
                last_seq=self.last_sent[conversation_id], conversation_id=conversation_id
            )
        )

    async def on_message(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        result = await bridge.call(
            messages.message_post,
            conversation_id=conversation_id,
            sender=SenderKind.OFFICER,
            officer=self._user(),
            client_id=frame.get("client_id"),
            text=frame.get("text"),
        )
        await self.send_ack(result, conversation_id=conversation_id)

    async def on_close(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        outcome = field_str(frame, "outcome", default="", max_len=32)
        await bridge.call(
            conversations.conversation_close,
            conversation_id=conversation_id,
            by="officer",
            officer=self._user(),
            outcome=outcome,
        )

    async def on_typing(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        if notify.conversation_group(conversation_id, "staff") not in self.groups:
            raise DomainError(ErrorCode.NOT_ASSIGNED, "Open the conversation first.")
        await self.channel_layer.group_send(
            notify.conversation_group(conversation_id, "citizen"),
            notify.frame_event(frames.typing(sender="officer")),
        )

    async def on_article_insert(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        result = await bridge.call(
            articles.article_insert,
            conversation_id=conversation_id,
            officer=self._user(),
            client_id=frame.get("client_id"),
            slug=frame.get("slug"),
        )
        await self.send_ack(result, conversation_id=conversation_id)

    async def on_article_preview(self, frame: dict[str, Any]) -> None:
        conversation_id = field_int(frame, "conversation_id")
        view = await bridge.call(
            articles.article_preview, conversation_id=conversation_id, slug=frame.get("slug")
        )
        await self.send_frame(
            frames.article_preview(conversation_id=conversation_id, article=view.as_payload())
        )

    async def on_article_search(self, frame: dict[str, Any]) -> None:
        query = field_str(frame, "query", default="", max_len=200)
        language = clean_language(frame.get("language")) or "en"
        views = await bridge.call(kb.articles_search, query=query, language=language)
        await self.send_frame(
            frames.article_results(query=query, articles=[v.as_payload() for v in views])
        )

    async def on_canned_list(self, frame: dict[str, Any]) -> None:
        language = clean_language(frame.get("language")) or "en"
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

    async def on_note(self, frame: dict[str, Any]) -> None:
        await bridge.call(
            notes.note_add,
            conversation_id=field_int(frame, "conversation_id"),
            officer=self._user(),
            client_id=frame.get("client_id"),
            text=frame.get("text"),
        )

    async def on_override(self, frame: dict[str, Any]) -> None:
        await bridge.call(
            triage_apply.conversation_override,
            conversation_id=field_int(frame, "conversation_id"),
            officer=self._user(),
            changes={k: frame.get(k) for k in triage_apply.OVERRIDABLE},
        )

    async def on_transfer(self, frame: dict[str, Any]) -> None:
        to_officer = frame.get("officer_id")
        await bridge.call(
            conversations.conversation_transfer,
            conversation_id=field_int(frame, "conversation_id"),
            officer=self._user(),
            to_officer_id=None if to_officer is None else field_int(frame, "officer_id"),
        )

    async def on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_frame({"type": "pong"})

    async def chat_frame(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        kind = frame.get("type")
        if kind == "message":
            conversation_id = frame["conversation_id"]
            if frame["seq"] <= self.last_sent.get(conversation_id, 0):
                return
            self.last_sent[conversation_id] = frame["seq"]
        elif kind == "queue.entry":
            frame = {**frame, "entry": route_entry(frame["entry"], self.languages, self.unit_id)}
        elif kind == "conversation.state" and frame.get("reason") == "assigned":
            await self._add_group(notify.conversation_group(frame["conversation"]["id"], "staff"))
        elif kind == "conversation.state" and frame.get("reason") in (
            "officer_disconnected",
            "transferred",
            "ended_by_officer",
            "ended_by_citizen",
        ):
            conversation = frame["conversation"]
            if conversation["assigned_officer_id"] != self.officer_id or conversation[
                "status"
            ] not in ("active",):
                await self._discard_group(notify.conversation_group(conversation["id"], "staff"))
        await self.send_frame(frame)


def route_entry(
    entry: dict[str, Any], languages: frozenset[str], unit_id: int | None
) -> dict[str, Any]:
    """Mark a queue card for one officer: ``preferred`` if they speak its language,
    ``for_my_unit`` if it was referred to (or handed back in) their unit."""
    return {
        **entry,
        "preferred": entry["language"] in languages,
        "for_my_unit": entry.get("unit_id") is not None and entry.get("unit_id") == unit_id,
    }


def routed_queue(
    entries: list[dict[str, Any]], languages: frozenset[str], unit_id: int | None
) -> list[dict[str, Any]]:
    """The queue as one officer sees it: every P1 first, then conversations referred to their
    unit, then those in their languages, then the rest (marked); queue order within each."""
    marked = [route_entry(entry, languages, unit_id) for entry in entries]

    def part(entry: dict[str, Any]) -> int:
        if entry["urgency"] == "P1":
            return 0
        if entry["for_my_unit"]:
            return 1
        return 2 if entry["preferred"] else 3

    return sorted(marked, key=part)


async def _grace_expired(officer_id: int, since: datetime) -> None:
    await bridge.call(presence.officer_grace_expired, officer_id=officer_id, since=since)
