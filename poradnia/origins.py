"""The one origin allow-list: which web origins may open websockets and post forms.

An origin is compared exactly — scheme, host and port (the scheme's default port when the
header omits it) — so ``http://localhost:6666`` is not ``http://localhost:8000``. The list is
built once by the settings (``WEBSOCKET_ALLOWED_ORIGINS`` and ``CSRF_TRUSTED_ORIGINS`` are the
same list) from, in this order of precedence:

1. ``WEBSOCKET_ALLOWED_ORIGINS`` in the environment, if set;
2. otherwise ``CSRF_TRUSTED_ORIGINS`` from the environment, plus
   - in the embedded mode, the origins the development server serves
     (``http://127.0.0.1:$PORT`` and ``http://localhost:$PORT``),
   - in production, if neither variable lists anything, ``https://<host>`` for each exact
     (non-wildcard) entry of ``ALLOWED_HOSTS``.

This module imports nothing from Django's settings: ``poradnia.settings`` uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]


class OriginError(ValueError):
    """An allow-list entry that is not a plain ``scheme://host[:port]`` origin."""


def origin_parse(value: str) -> Origin | None:
    """``(scheme, host, port)`` of an ``Origin`` header value, or None if it is not one.

    Only ``http`` and ``https`` origins without user info, path, query or fragment are
    origins; ``null`` and anything else is None. Hosts are compared in lower case.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.username or parts.password or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else DEFAULT_PORTS[scheme]


def origin_text(origin: Origin) -> str:
    """The canonical text of an origin (the default port left out, IPv6 in brackets)."""
    scheme, host, port = origin
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" if port == DEFAULT_PORTS[scheme] else f"{scheme}://{shown}:{port}"


def _split(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _canonical(entries: Iterable[str]) -> list[str]:
    result: list[str] = []
    for entry in entries:
        if "*" in entry:
            raise OriginError(f"Origin {entry!r}: wildcards are not allowed; list each origin.")
        parsed = origin_parse(entry)
        if parsed is None:
            raise OriginError(f"Origin {entry!r} is not of the form scheme://host[:port].")
        text = origin_text(parsed)
        if text not in result:
            result.append(text)
    return result


def origins_allow_list(
    *,
    explicit: str,
    csrf_trusted: str,
    allowed_hosts: Iterable[str],
    dev_port: int | None,
) -> list[str]:
    """The allow-list in canonical form (see the module docstring for the precedence).

    ``explicit`` and ``csrf_trusted`` are the comma-separated environment values;
    ``dev_port`` is the development server's port in the embedded mode, else None.
    Raises :class:`OriginError` for an entry that is not an exact origin.
    """
    if explicit.strip():
        return _canonical(_split(explicit))
    entries = _split(csrf_trusted)
    if dev_port is not None:
        entries += [f"http://127.0.0.1:{dev_port}", f"http://localhost:{dev_port}"]
    elif not entries:
        entries = [
            f"https://{host}"
            for host in allowed_hosts
            if host and "*" not in host and not host.startswith(".")
        ]
    return _canonical(entries)


def origin_allowed(value: str | None, allowed: Iterable[str]) -> bool:
    """Whether the ``Origin`` header ``value`` is exactly one of ``allowed``."""
    if value is None:
        return False
    parsed = origin_parse(value)
    return parsed is not None and any(origin_parse(entry) == parsed for entry in allowed)
