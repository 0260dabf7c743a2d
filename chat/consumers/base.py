"""Base consumer: parses each frame (``chat.inbound``), dispatches on its type, turns domain
errors into error frames."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, TypeVar

from autobahn.exception import Disconnected
from channels.consumer import get_handler_name
from channels.db import aclose_old_connections, database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY

from advice.access_reasons import conversation_key, justification_stored
from advice.events import frames
from advice.events.groups import conversation_group, conversation_groups, staff_group
from advice.services.messages import PostResult
from advice.staff_sessions import (
    SessionBinding,
    SocketRole,
    revoked_sessions,
    session_binding,
    session_digest,
)
from chat import bridge, inbound, limits
from chat.bridge import LAYER_ERRORS, LayerFailures
from chat.dispatch import run_consumer
from chat.layers import release_channel
from chat.receipt import received_at
from chat.send_order import SendOrder
from chat.session_watch import session_watch
from core import metrics
from core.errors import RETRYABLE, AnyErrorCode, DomainError, ErrorCode, retry_hint
from core.vocabulary import SessionEndReason

MESSAGE_SEND = "message.send"
# A handler takes the parsed frame of its type (``chat.inbound``).
FrameHandler = Callable[[Any], Awaitable[None]]
T = TypeVar("T")


class FrameConsumer(AsyncWebsocketConsumer):
    """Subclasses map frame types to handlers in :meth:`frame_handlers`.

    Each socket may send ``RATE_BURST`` frames at once and ``RATE_PER_SECOND`` on average;
    frames beyond that are refused with ``rate_limited`` (a token bucket) with the frame's
    ``client_id`` as ``ref`` and the seconds until a frame is accepted again as
    ``retry_after``. The ``LIMIT_RATE_STRIKES``-th refusal within
    ``LIMIT_RATE_STRIKES_WINDOW_SECONDS`` closes the socket with 1008 (policy violation). The
    pages pace their frames with the same bucket (``chat.limits``, handed to them) a little
    under its numbers, so they are not refused in normal use and never closed.
    """

    RATE_PER_SECOND = limits.CITIZEN_FRAME_RATE.per_second
    RATE_BURST = limits.CITIZEN_FRAME_RATE.burst
    _tokens: float = RATE_BURST
    _tokens_at: float = 0.0
    _strikes: int = 0
    _strikes_since: float = 0.0
    _frame_arrived_at: float = 0.0
    _send_order: SendOrder | None = None

    @property
    def send_order(self) -> SendOrder:
        """Keeps each conversation's messages in the order sent across refusals
        (``chat.send_order``)."""
        if self._send_order is None:
            self._send_order = SendOrder()
        return self._send_order

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        self._frame_arrived_at = received_at(message)
        await super().websocket_receive(message)

    def _allow_frame(self, now: float) -> bool:
        if not self._tokens_at:  # the socket's first frame: a full bucket of its own size
            self._tokens = self.RATE_BURST
        elapsed = now - self._tokens_at if self._tokens_at else 0.0
        self._tokens_at = now
        self._tokens = min(self.RATE_BURST, self._tokens + elapsed * self.RATE_PER_SECOND)
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def _strike(self, now: float) -> bool:
        """Count a refusal for the rate; True when the socket has had too many of them."""
        if now - self._strikes_since > settings.LIMIT_RATE_STRIKES_WINDOW_SECONDS:
            self._strikes, self._strikes_since = 0, now
        self._strikes += 1
        return self._strikes >= settings.LIMIT_RATE_STRIKES

    def _rate_retry_after(self) -> float:
        """Seconds until the bucket holds a whole token again."""
        return max(0.05, (1 - self._tokens) / self.RATE_PER_SECOND)

    # The frames this endpoint accepts (``chat.inbound``); each has a handler below.
    frame_table: inbound.FrameTable = {}

    accepted: bool = False

    def frame_handlers(self) -> dict[str, FrameHandler]:
        raise NotImplementedError

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Run the consumer; a handshake while Redis is unreachable is refused, not crashed.

        Channels subscribes the socket's own channel before the first message is read; when
        that fails the socket is accepted only to say why (``temporarily_unavailable``) and
        closed with 1013 (try again later).
        """
        try:
            await run_consumer(self, scope, receive, send)
        except LAYER_ERRORS as error:
            if self.accepted:
                raise
            LayerFailures.record("new_channel", error)
            message = await receive()
            if message.get("type") != "websocket.connect":
                return
            self.base_send = send
            await self.refuse_unavailable()
        finally:
            # Also when the consumer crashed or was cancelled, not only after a disconnect.
            metrics.socket_closed(self)
            # Also when the handshake timed out before the channel was first read.
            await release_channel(
                getattr(self, "channel_layer", None), getattr(self, "channel_name", "")
            )

    async def accept(self, subprotocol: str | None = None, headers: Any = None) -> None:
        self.accepted = True
        await super().accept(subprotocol=subprotocol, headers=headers)
        metrics.socket_opened(self)

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes stale database connections before every handler through the
        # thread-sensitive executor (three thread hops per frame). These consumers touch the
        # database only through ``database_sync_to_async``, which does that itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except LAYER_ERRORS as error:
            # Redis (channel layer or cache) unreachable outside a frame's handler.
            LayerFailures.record(message["type"], error)
            if message["type"] == "websocket.connect":
                await self.refuse_unavailable()

    async def refuse_unavailable(self) -> None:
        """Refuse a handshake that needs Redis while it is unreachable: error frame, 1013."""
        if not self.accepted:
            await self.accept()
        await self.send_frame(_unavailable_frame())
        await self.close(code=1013)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        # Channels' own version stops at the first failing ``group_discard``, so the
        # socket's lease would never be dropped while Redis is unreachable.
        for group in self.groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except LAYER_ERRORS as error:
                LayerFailures.record(f"group_discard {group}", error)
        await self.disconnect(message["code"])
        await aclose_old_connections()
        raise StopConsumer

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # The rate is measured by arrival, not by reading: frames that queued behind a slow
        # one are not a flood (``chat.receipt``).
        arrived, self._frame_arrived_at = self._frame_arrived_at or time.monotonic(), 0.0
        if not self._allow_frame(arrived):
            if self._strike(arrived):
                await self.close(code=1008)
                return
            seen = inbound.glance(text_data) if text_data is not None else inbound.Glance()
            retry_after = self._rate_retry_after()
            if seen.kind == MESSAGE_SEND:
                self.send_order.refused(seen.ref, retry_after, seen.conversation_id)
            await self.send_error(
                ErrorCode.RATE_LIMITED,
                "Too many frames; slow down.",
                ref=seen.ref,
                retry_after=retry_after,
            )
            return
        if text_data is None:
            await self.send_error(ErrorCode.BINARY_NOT_SUPPORTED, "Send JSON text frames.")
            return
        if len(text_data) > settings.FRAME_MAX_BYTES:
            await self.send_error(ErrorCode.FRAME_TOO_LARGE, "The frame is too large.")
            return
        try:
            frame = inbound.parse(text_data, self.frame_table)
        except DomainError as error:
            quiet = error.code in (ErrorCode.INVALID_JSON, ErrorCode.UNKNOWN_TYPE)
            ref = None if quiet else inbound.client_ref(text_data)
            await self.send_error(error.code, error.message, ref=ref)
            return
        ref = getattr(frame, "client_id", None)
        is_message = frame.TYPE == MESSAGE_SEND
        # The citizen's frames name no conversation: the socket has one.
        lane = getattr(frame, "conversation_id", None)
        if is_message and self.send_order.holds_back(ref, lane):
            # An earlier message of this conversation was refused: it must be stored first.
            await self.send_error(
                ErrorCode.BUSY,
                "An earlier message must be sent again first.",
                ref=ref,
                retry_after=settings.BUSY_RETRY_AFTER_SECONDS,
            )
            return
        try:
            await self.frame_handlers()[frame.TYPE](frame)
        except DomainError as error:
            if is_message and error.code in RETRYABLE:
                self.send_order.refused(ref, error.retry_after, lane)
            await self.send_error(error.code, error.message, ref=ref, retry_after=error.retry_after)
        except LAYER_ERRORS as error:
            # The frame needed Redis before anything was stored: the client may retry it.
            LayerFailures.record(frame.TYPE, error)
            if is_message:
                self.send_order.refused(ref, retry_hint(ErrorCode.TEMPORARILY_UNAVAILABLE), lane)
            if frame.TYPE != "typing":  # a lost typing hint is not worth a retry
                await self.send_frame(_unavailable_frame(ref=ref))

    async def send_frame(self, frame: Mapping[str, Any]) -> None:
        """Send a frame; one for a client that has just gone is dropped.

        Daphne refuses a send on a socket its client has closed (``Disconnected``) before the
        consumer has read the ``websocket.disconnect`` that follows: the frame cannot arrive
        (a client catches up by sequence when it resumes), and raising would end the
        consumer without its ``disconnect`` (or stop a caller sending to other sockets).
        """
        try:
            await self.send(text_data=json.dumps(frame, ensure_ascii=False))
        except Disconnected:
            metrics.FRAMES_TO_GONE_CLIENTS.inc()

    async def send_ack(
        self,
        result: PostResult,
        watch: bridge.LayerWatch,
        *,
        conversation_id: int | None = None,
    ) -> None:
        """Acknowledge a message to the socket that sent it, where its own frame does not.

        A new message reaches every socket following its conversation, the sender's
        included, through the conversation's ``all`` group: that ``message`` frame (the same
        ``client_id``, its ``seq``) is the acknowledgement. An ``ack`` goes to a resend of a
        stored message (``duplicate``: its frame went out before), to a socket that does not
        follow the conversation, and when the channel layer failed since ``watch`` was made
        (Redis unreachable: the frame may not have gone out).
        """
        message = result.message
        following = conversation_group(message.conversation_id, "all") in self.groups
        if following and not result.duplicate and not watch.failed:
            return
        await self.send_frame(
            frames.ack(
                client_id=message.client_id or "",
                seq=message.seq,
                duplicate=result.duplicate,
                conversation_id=conversation_id,
            )
        )

    async def send_error(
        self,
        code: AnyErrorCode,
        message: str,
        *,
        ref: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        if code in RETRYABLE:
            metrics.FRAMES_REFUSED.labels(code=code.value).inc()
        await self.send_frame(frames.error(code, message, ref=ref, retry_after=retry_after))

    async def chat_frame(self, event: dict[str, Any]) -> None:
        """A frame published to a group this socket is in."""
        await self.send_frame(event["frame"])


def _unavailable_frame(*, ref: str | None = None) -> frames.ErrorFrame:
    metrics.FRAMES_REFUSED.labels(code=ErrorCode.TEMPORARILY_UNAVAILABLE.value).inc()
    return frames.error(
        ErrorCode.TEMPORARILY_UNAVAILABLE,
        "The service is briefly unavailable; please try again in a moment.",
        ref=ref,
        retry_after=retry_hint(ErrorCode.TEMPORARILY_UNAVAILABLE),
    )


class StaffConsumer(FrameConsumer):
    """A socket of a logged-in staff member: it lives only as long as that login holds.

    On connect the socket is bound to its session (:meth:`bind_session`) and watched by the
    process's :func:`~chat.session_watch.session_watch`; a logout elsewhere arrives at once
    as ``session.ended`` through the user's staff group. Either way the socket gets
    ``session.revoked`` with the reason and is closed with 4401.
    """

    socket_role: ClassVar[SocketRole] = SocketRole.OFFICER
    binding: SessionBinding | None = None
    revoked: bool = False

    async def _add_group(self, group: str) -> None:
        if group not in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups.append(group)

    async def _discard_group(self, group: str) -> None:
        if group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups.remove(group)

    async def _follow(self, conversation_id: int) -> None:
        """Receive a conversation's staff events and its messages."""
        for group in conversation_groups(conversation_id, "staff"):
            await self._add_group(group)

    async def _unfollow(self, conversation_id: int) -> None:
        for group in conversation_groups(conversation_id, "staff"):
            await self._discard_group(group)

    async def bind_session(self) -> bool:
        """Bind an authenticated socket to its login; False (and closed) if it no longer holds."""
        binding = await database_sync_to_async(session_binding)(
            user=self.scope["user"], session=self.scope.get("session"), role=self.socket_role
        )
        if binding is None:
            await self.end_session(SessionEndReason.LOGGED_OUT)
            return False
        revoked = await database_sync_to_async(revoked_sessions)([binding])
        if binding in revoked:
            await self.end_session(revoked[binding])
            return False
        self.binding = binding
        group = staff_group(binding.user_id)
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups.append(group)
        session_watch().add(self.channel_name, binding, self.end_session)
        return True

    def unbind_session(self) -> None:
        session_watch().discard(self.channel_name)

    async def end_session(self, reason: SessionEndReason) -> None:
        """Tell the console why its login ended and close the socket with 4401."""
        if self.revoked:
            return
        self.revoked = True
        await self.send_frame(frames.session_revoked(reason))
        await self.close(code=4401)

    async def session_frame(self, frame: Mapping[str, Any]) -> bool:
        """Handle ``session.ended`` (True); any other frame is not this method's (False)."""
        if frame.get("type") != "session.ended":
            return False
        binding = self.binding
        if binding is not None and frame.get("session") == session_digest(binding.session_key):
            self.unbind_session()
            await self.end_session(SessionEndReason(frame["reason"]))
        return True

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.revoked:
            return
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def open_justified(
        self, service: Callable[..., T], frame: inbound.ConversationOpen, **kwargs: Any
    ) -> T:
        """Call an opening ``service`` with ``conversation_id`` and the frame's justification.

        If the service needs one (``justification_required``) and the frame brought none,
        the one given on a page for this conversation and still held by the session
        (``advice.access_reasons``) is used; without either the error reaches the client.
        """
        conversation_id = frame.conversation_id
        try:
            return await bridge.call(
                service,
                conversation_id=conversation_id,
                justification=frame.justification,
                **kwargs,
            )
        except DomainError as error:
            if error.code != ErrorCode.JUSTIFICATION_REQUIRED or frame.justification is not None:
                raise
            session = self.scope.get("session")
            stored = await bridge.call(
                justification_stored,
                session_key=getattr(session, "session_key", None),
                key=conversation_key(conversation_id or 0),
            )
            if stored is None:
                raise
            return await bridge.call(
                service, conversation_id=conversation_id, justification=stored, **kwargs
            )


def second_factor_ok(scope: dict[str, Any]) -> bool:
    """Whether the socket's session passed the second factor (where staff need one).

    Reads the session, so call it through ``database_sync_to_async``.
    """
    if not settings.STAFF_TWO_FACTOR:
        return True
    session = scope.get("session")
    return bool(session is not None and session.get(DEVICE_ID_SESSION_KEY))


async def refuse_without_second_factor(consumer: StaffConsumer) -> bool:
    """Close a staff socket whose session has not passed the second factor; True if closed."""
    if await database_sync_to_async(second_factor_ok)(consumer.scope):
        return False
    await consumer.send_error(ErrorCode.NOT_ALLOWED, "Log in again with your authenticator code.")
    await consumer.close(code=4403)
    return True
