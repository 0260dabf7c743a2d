"""Two-factor authentication of staff: TOTP devices enrolled and confirmed, with audit events."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from advice.audit import audit_record
from core.errors import DomainError, ErrorCode
from core.vocabulary import AuditAction

DEVICE_NAME = "Poradnia console"


def totp_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed TOTP device (created if needed), whose secret is being shown."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name=DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: AbstractBaseUser, token: object) -> TOTPDevice:
    """Confirm the pending device with a code from the authenticator app.

    Raises ``invalid_field`` for a wrong code; on success the device is the user's second
    factor from now on, and older confirmed devices are removed.
    """
    if not isinstance(token, str) or not token.strip().isdigit():
        raise DomainError(ErrorCode.INVALID_FIELD, "Enter the 6-digit code from your app.")
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
        )
        if device is None or not device.verify_token(token.strip()):
            raise DomainError(
                ErrorCode.INVALID_FIELD, "That code is not valid. Try the current one."
            )
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            action=AuditAction.STAFF_TWO_FACTOR_ENABLED,
            actor=user,
            object_type="user",
            object_id=user.pk,
        )
    return device


def has_second_factor(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def second_factor_check(*, user: AbstractBaseUser, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token``, or None."""
    device = match_token(user, token.strip())
    return device if isinstance(device, TOTPDevice) and device.confirmed else None
