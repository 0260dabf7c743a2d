"""The domain's event vocabulary and its delivery after commit.

- ``frames``: every frame the server sends to a client, one typed constructor each
  (documented in ``docs/protocol.md``; a test keeps the two equal);
- ``groups``: who receives what (channel-layer group names);
- ``outbox``: events leave only when the writing transaction commits;
- ``publish``: which events each change of a conversation sends.

The transport (``chat``) only delivers these frames; it never builds one.
"""
