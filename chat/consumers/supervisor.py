"""Supervisor websocket: live queue and staffing figures pushed to supervisors."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from advice import notify
from advice.errors import ErrorCode
from advice.selectors import is_supervisor
from chat.consumers.base import FrameConsumer, FrameHandler


class SupervisorConsumer(FrameConsumer):
    def frame_handlers(self) -> dict[str, FrameHandler]:
        return {}

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not await database_sync_to_async(is_supervisor)(user):
            await self.send_error(ErrorCode.NOT_ALLOWED, "Supervisors only.")
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(notify.SUPERVISOR_GROUP, self.channel_name)
        self.groups.append(notify.SUPERVISOR_GROUP)

    async def chat_frame(self, event: dict[str, Any]) -> None:
        await self.send_frame(event["frame"])
