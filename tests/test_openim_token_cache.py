"""The OpenIM token service remembers tokens that checked out, without weakening a check: the
time claims are read against the clock on every request, the token store (kicked, unknown) is
consulted every time, a different secret re-checks the signature, and the memory is bounded."""

from __future__ import annotations

import pytest

from emulator.clock import ManualClock
from emulator.errors import VendorError
from emulator.vendors.openim import errors as e
from emulator.vendors.openim import tokens
from emulator.vendors.openim.tokens import TokenService

START = 1_800_000_000.0


def service(clock: ManualClock, secret: str = "openIM123") -> TokenService:
    return TokenService(secret, ("imAdmin",), expire_days=1, clock=clock)


def code_of(service: TokenService, token: str) -> int:
    with pytest.raises(VendorError) as caught:
        service.verify(token)
    return caught.value.code


def test_a_remembered_token_still_expires_on_the_clock() -> None:
    clock = ManualClock(START)
    tokens_ = service(clock)
    for user in ("imAdmin", "u1"):
        token = tokens_.issue(user, 1)
        clock.set(START)
        assert tokens_.verify(token).user_id == user
        assert tokens_.verify(token).user_id == user
        clock.advance(86400)
        assert code_of(tokens_, token) == e.TOKEN_EXPIRED
        clock.set(START - 10)
        assert code_of(tokens_, token) == e.TOKEN_UNKNOWN
        clock.set(START)
        assert tokens_.verify(token).user_id == user


def test_a_remembered_token_is_still_kicked_by_a_newer_one() -> None:
    clock = ManualClock(START)
    tokens_ = service(clock)
    first = tokens_.issue("u1", 1)
    assert tokens_.verify(first).platform_id == 1
    clock.advance(1)
    tokens_.issue("u1", 1)
    assert code_of(tokens_, first) == e.TOKEN_KICKED


def test_a_token_known_to_one_service_is_checked_afresh_by_another() -> None:
    clock = ManualClock(START)
    issuer = service(clock)
    token = issuer.issue("u1", 1)
    assert issuer.verify(token).user_id == "u1"
    assert code_of(service(clock), token) == e.TOKEN_NOT_EXIST
    assert code_of(service(clock, secret="other"), token) == e.TOKEN_UNKNOWN
    issuer.key = b"other"
    assert code_of(issuer, token) == e.TOKEN_UNKNOWN


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "VERIFIED_CACHE_SIZE", 3)
    clock = ManualClock(START)
    tokens_ = service(clock)
    issued = []
    for second in range(6):
        clock.set(START + second)
        issued.append(tokens_.issue("imAdmin", 1))
    for token in issued:
        assert tokens_.verify(token).user_id == "imAdmin"
    assert tokens_.remembered == 3
    assert tokens_.verify(issued[0]).user_id == "imAdmin"
