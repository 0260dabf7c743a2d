"""Websocket transport: consumers, routing, frame parsing and the frames sent to clients."""
