"""Cryptocurrency wallet addresses: Bitcoin (base58check, bech32/bech32m), Ethereum (EIP-55
with Keccak-256) and Tron (base58check); checks with ``hashlib`` and a small Keccak.

``hashlib.sha3_256`` is *not* Ethereum's hash: SHA-3 pads with ``0x06`` where the original
Keccak submission (used by Ethereum) pads with ``0x01``, so the digests differ. Neither
OpenSSL 3.0 nor ``hashlib`` offer Keccak-256, so :func:`keccak256` implements it (the
Keccak-f[1600] permutation, rate 136 bytes), checked against the published test vectors.
"""

from __future__ import annotations

import hashlib
import re

from cases.indicators.base import Found

# --- Keccak-256 -------------------------------------------------------------------------

_MASK = (1 << 64) - 1
_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip
# Rotation offsets r[x][y] of the rho step.
_ROTATIONS = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)
_RATE = 136  # bytes: 1600 bits minus a capacity of 512 bits


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _keccak_f(lanes: list[int]) -> list[int]:
    """The Keccak-f[1600] permutation on 25 lanes indexed ``x + 5 * y``."""
    a = lanes
    for constant in _ROUND_CONSTANTS:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        a = [a[i] ^ d[i % 5] for i in range(25)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                b[y + 5 * ((2 * x + 3 * y) % 5)] = _rotl(a[x + 5 * y], _ROTATIONS[x][y])
        a = [
            b[i] ^ (~b[(i + 1) % 5 + 5 * (i // 5)] & b[(i + 2) % 5 + 5 * (i // 5)])
            for i in range(25)
        ]
        a[0] ^= constant
    return a


def sponge256(data: bytes, *, padding: int) -> bytes:
    """A 256-bit Keccak sponge: ``padding=0x01`` is Keccak-256, ``0x06`` is SHA3-256."""
    padded = bytearray(data)
    padded.append(padding)
    padded.extend(b"\x00" * (-len(padded) % _RATE))
    padded[-1] |= 0x80
    lanes = [0] * 25
    for start in range(0, len(padded), _RATE):
        block = padded[start : start + _RATE]
        for i in range(_RATE // 8):
            lanes[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        lanes = _keccak_f(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes[:4])


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as used by Ethereum (original Keccak padding, not SHA3-256)."""
    return sponge256(data, padding=0x01)


# --- Ethereum ---------------------------------------------------------------------------


def eth_checksum_address(address: str) -> str:
    """The EIP-55 mixed-case form of a 40-hex-digit address (with ``0x``)."""
    hex_part = address[2:].lower()
    digest = keccak256(hex_part.encode("ascii")).hex()
    return "0x" + "".join(
        ch.upper() if ch.isalpha() and int(digest[i], 16) >= 8 else ch
        for i, ch in enumerate(hex_part)
    )


def eth_address_valid(address: str) -> bool:
    """All-lowercase or all-uppercase addresses carry no checksum; mixed case must match."""
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", address):
        return False
    hex_part = address[2:]
    if hex_part == hex_part.lower() or hex_part == hex_part.upper():
        return True
    return eth_checksum_address(address) == address


# --- Base58check (Bitcoin legacy, Tron) ---------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check_decode(text: str) -> bytes | None:
    """The payload (version byte + data) if the checksum holds, else None."""
    value = 0
    for ch in text:
        index = _B58.find(ch)
        if index < 0:
            return None
        value = value * 58 + index
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(text) - len(text.lstrip("1"))) + raw
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


# --- Bech32 / bech32m (BIP-173, BIP-350) -----------------------------------------------

_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generator[i] if (top >> i) & 1 else 0
    return chk


def _convert_bits(data: list[int], from_bits: int, to_bits: int) -> list[int] | None:
    acc = bits = 0
    out: list[int] = []
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & ((1 << to_bits) - 1))
    if bits >= from_bits or (acc << (to_bits - bits)) & ((1 << to_bits) - 1):
        return None
    return out


def segwit_address_type(address: str) -> str | None:
    """``p2wpkh``, ``p2wsh``, ``p2tr`` or ``segwit_vN`` for a valid ``bc1`` address, else None."""
    if address != address.lower() and address != address.upper():
        return None
    address = address.lower()
    hrp, _, data_part = address.rpartition("1")
    if hrp != "bc" or not 6 < len(data_part) <= 87 or any(c not in _BECH32 for c in data_part):
        return None
    data = [_BECH32.index(c) for c in data_part]
    polymod = _bech32_polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data)
    version = data[0]
    expected = _BECH32_CONST if version == 0 else _BECH32M_CONST
    if polymod != expected or version > 16:
        return None
    program = _convert_bits(data[1:-6], 5, 8)
    if program is None or not 2 <= len(program) <= 40:
        return None
    if version == 0:
        return {20: "p2wpkh", 32: "p2wsh"}.get(len(program))
    if version == 1 and len(program) == 32:
        return "p2tr"
    return f"segwit_v{version}"


# --- Finding addresses in text ------------------------------------------------------------

_ETH_RE = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_BTC_LEGACY_RE = re.compile(r"(?<![0-9A-Za-z])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![0-9A-Za-z])")
_TRON_RE = re.compile(r"(?<![0-9A-Za-z])T[1-9A-HJ-NP-Za-km-z]{33}(?![0-9A-Za-z])")
_BECH32_RE = re.compile(r"(?<![0-9A-Za-z])(?:bc|BC)1[0-9A-Za-z]{6,87}(?![0-9A-Za-z])")


def find_crypto(text: str) -> list[Found]:
    """Checksum-valid wallet addresses in ``text``; invalid look-alikes are ignored."""
    found: list[Found] = []
    for match in _ETH_RE.finditer(text):
        address = match.group()
        if eth_address_valid(address):
            found.append(
                Found(
                    kind="crypto",
                    value=address.lower(),
                    display=eth_checksum_address(address),
                    details={"chain": "ETH", "address_type": "account"},
                    start=match.start(),
                    end=match.end(),
                )
            )
    for match in _BECH32_RE.finditer(text):
        address_type = segwit_address_type(match.group())
        if address_type is not None:
            value = match.group().lower()
            found.append(
                Found(
                    "crypto",
                    value,
                    value,
                    {"chain": "BTC", "address_type": address_type},
                    *match.span(),
                )
            )
    for match in _BTC_LEGACY_RE.finditer(text):
        payload = base58check_decode(match.group())
        if payload is not None and len(payload) == 21 and payload[0] in (0x00, 0x05):
            address_type = "p2pkh" if payload[0] == 0x00 else "p2sh"
            found.append(
                Found(
                    "crypto",
                    match.group(),
                    match.group(),
                    {"chain": "BTC", "address_type": address_type},
                    *match.span(),
                )
            )
    for match in _TRON_RE.finditer(text):
        payload = base58check_decode(match.group())
        if payload is not None and len(payload) == 21 and payload[0] == 0x41:
            found.append(
                Found(
                    "crypto",
                    match.group(),
                    match.group(),
                    {"chain": "TRX", "address_type": "account"},
                    *match.span(),
                )
            )
    return found
