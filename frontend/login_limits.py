"""Staff login limits with django-axes: the address pseudonym and the wrong-code failure.

django-axes stores the address of each failed login in an IP-address column. What it stores
here is not the address but a pseudonym in the same form: the first 128 bits of
HMAC-SHA-256(``SECRET_KEY``, address), written as an IPv6 address in ``fd00::/8`` (a range no
real client comes from). The same address always gives the same pseudonym, so the lockout
per (user name, address) works; the address cannot be read back from it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest


def client_address_pseudonym(request: HttpRequest) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: the pseudonym of the request's client address."""
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[1:16]))


def second_factor_failed(*, request: HttpRequest | None, user: AbstractBaseUser) -> None:
    """Count a missing or wrong authenticator code as a failed login (towards the lockout)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
