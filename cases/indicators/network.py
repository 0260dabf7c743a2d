"""URLs, domains, e-mail addresses and social-media handles in text; defanged display."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from cases.indicators.base import Found

# Top-level domains accepted for a domain written without ``http://`` or ``www.``: country
# codes of the region and the generic ones scams use. ``zip`` and ``mov`` are left out on
# purpose: without a scheme they are far more often file names than domains.
_BARE_TLD_LIST = """
    com net org info biz io co me app dev xyz top site online shop store live club pro vip
    icu cc tv ws eu pl cz sk de at ch uk ua ru by lt lv ee no se dk fi fr it es nl be pt ro hu
    bg gr hr si rs ba md ge kz us ca au in cn jp kr br mx tr il ae sg hk tk ml ga cf gq buzz
    link click cyou rest cam sbs bond monster lol world website space fun tech cloud email
    support help finance money bank pay trade exchange market today news blog page art
"""
BARE_TLDS = frozenset(_BARE_TLD_LIST.split())

_URL_RE = re.compile(r"(?i)(?<![\w@])(?:https?://|www\.)[^\s<>\"'`]+")
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w-])"
)
_BARE_RE = re.compile(
    r"(?i)(?<![\w@./:-])((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+([a-z]{2,24}))"
    r"(/[^\s<>\"'`]*)?(?![\w-])"
)
_HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@])")
_TRAILING = ".,;:!?)]}'\""
# Profile URLs of platforms whose first path segment is the account's handle.
_PROFILE_HOSTS = {
    "t.me": "telegram",
    "telegram.me": "telegram",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "x.com": "x",
    "twitter.com": "x",
    "facebook.com": "facebook",
}
_NOT_HANDLES = {
    "share",
    "p",
    "reel",
    "reels",
    "watch",
    "status",
    "profile.php",
    "groups",
    "joinchat",
}

_REFANG = (
    (re.compile(r"(?i)\bhxxp(s?)://"), r"http\1://"),
    (re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)", re.IGNORECASE), "."),
    (re.compile(r"\[@\]|\[at\]", re.IGNORECASE), "@"),
)


def refang(text: str) -> str:
    """Undo common defanging (``hxxp``, ``[.]``, ``[@]``) so pasted indicators are found."""
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


def defang_host(host: str) -> str:
    return host.replace(".", "[.]")


def defang_url(url: str) -> str:
    """``https://example.com/a.b`` → ``hxxps://example[.]com/a.b``: readable, not clickable."""
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.replace('http', 'hxxp', 1)}://{defang_host(host)}{slash}{path}"


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _domain(host: str, start: int, end: int) -> Found:
    ascii_host = _ascii_host(host.lower().rstrip("."))
    value = ascii_host.removeprefix("www.")
    details = {"unicode": host.lower()} if ascii_host != host.lower() else {}
    return Found("domain", value, defang_host(value), details, start, end)


def _profile_handle(host: str, path: str, start: int, end: int) -> Found | None:
    platform = _PROFILE_HOSTS.get(host.removeprefix("www.").removeprefix("m."))
    segment = path.strip("/").split("/", 1)[0].removeprefix("@")
    if platform is None or not segment or segment.lower() in _NOT_HANDLES:
        return None
    if not re.fullmatch(r"[A-Za-z0-9_.]{2,64}", segment):
        return None
    value = "@" + segment.lower()
    return Found("handle", value, value, {"platform": platform}, start, end)


def _url(raw: str, start: int, *, assumed: bool) -> list[Found]:
    raw = raw.rstrip(_TRAILING)
    end = start + len(raw)
    with_scheme = raw if "://" in raw else "http://" + raw
    try:
        parts = urlsplit(with_scheme)
        port = parts.port
    except ValueError:
        return []
    host = parts.hostname or ""
    if "." not in host.strip("."):
        return []
    ascii_host = _ascii_host(host.rstrip("."))
    value = f"{parts.scheme.lower()}://{ascii_host}"
    if port:
        value += f":{port}"
    if parts.path not in ("", "/"):
        value += parts.path
    if parts.query:
        value += "?" + parts.query
    details = {"scheme_assumed": "true"} if assumed or "://" not in raw else {}
    found = [
        Found("url", value, defang_url(value), details, start, end),
        _domain(host, start, end),
    ]
    handle = _profile_handle(ascii_host, parts.path, start, end)
    if handle is not None:
        found.append(handle)
    return found


def find_urls(text: str) -> list[Found]:
    """URLs written with ``http(s)://`` or ``www.``, each with its domain."""
    found: list[Found] = []
    for match in _URL_RE.finditer(text):
        found.extend(_url(match.group(), match.start(), assumed=False))
    return found


def find_emails(text: str) -> list[Found]:
    found: list[Found] = []
    for match in _EMAIL_RE.finditer(text):
        local, _, host = match.group().rpartition("@")
        value = f"{local.lower()}@{host.lower()}"
        found.append(Found("email", value, value, {}, *match.span()))
    return found


def find_bare_domains(text: str) -> list[Found]:
    """Domains written without a scheme (``olx-pl.delivery-pay.com/item``) with a known TLD."""
    found: list[Found] = []
    for match in _BARE_RE.finditer(text):
        if match.group(2).lower() not in BARE_TLDS:
            continue
        if match.group(3) and match.group(3).rstrip(_TRAILING) not in ("", "/"):
            found.extend(_url(match.group(), match.start(), assumed=True))
        else:
            found.append(_domain(match.group(1), *match.span(1)))
    return found


def find_handles(text: str) -> list[Found]:
    found: list[Found] = []
    for match in _HANDLE_RE.finditer(text):
        value = "@" + match.group(1).lower()
        found.append(Found("handle", value, value, {}, *match.span()))
    return found
