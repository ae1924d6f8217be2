"""Each vendor's joined-groups request, pre-signed once so a load generator can replay it, and
how to tell its success envelope from an error.

Signatures are made at the given time: ZEGO's stays valid for ±600 s, the Tencent UserSig for a
day, OpenIM's admin token for 90 days; RongCloud has no freshness window by default.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from bench.loadgen import FixedRequest
from emulator.clock import ManualClock
from emulator.services import Services
from emulator.settings import Settings
from emulator.vendors import builders

PAGE = 10
ORIGIN = "http://im-emulator.test"


@dataclass(frozen=True)
class VendorCase:
    """How to build a vendor's signed joined-groups request and recognise its success."""

    build: Callable[[Settings, str, float], FixedRequest]
    ok: Callable[[Any], bool]
    success_code: int


def _fixed(auth: httpx.Auth, request: httpx.Request) -> FixedRequest:
    signed = next(auth.auth_flow(request))
    headers = {name: value for name, value in signed.headers.items()
               if name.lower() not in ("host", "content-length")}
    return FixedRequest(signed.method, signed.url.raw_path.decode("ascii"), headers,
                        signed.content)


def _zego(settings: Settings, user: str, now: float) -> FixedRequest:
    from emulator.vendors.zego.client import ZegoAuth
    auth = ZegoAuth(settings.zego_app_id, settings.zego_server_secret, clock=ManualClock(now))
    request = httpx.Request("POST", f"{ORIGIN}/?Action=QueryGroupsInfoOfUser",
                            json={"FromUserId": user, "Limit": PAGE, "Next": ""})
    return _fixed(auth, request)


def _rongcloud(settings: Settings, user: str, now: float) -> FixedRequest:
    from emulator.vendors.rongcloud.client import RongCloudAuth
    auth = RongCloudAuth(settings.rongcloud_app_key, settings.rongcloud_app_secret,
                         clock=ManualClock(now).now)
    request = httpx.Request("POST", f"{ORIGIN}/user/group/query.json",
                            data={"userId": user, "page": "1", "size": str(PAGE)})
    return _fixed(auth, request)


def _tencent(settings: Settings, user: str, now: float) -> FixedRequest:
    from emulator.vendors.tencent.client import TencentAuth
    auth = TencentAuth(settings.tencent_sdkappid, settings.tencent_key,
                       settings.tencent_admins[0], expire=86400, clock=ManualClock(now),
                       random=secrets.randbelow(2**32))
    request = httpx.Request("POST", f"{ORIGIN}/v4/group_open_http_svc/get_joined_group_list",
                            content=orjson.dumps({"Member_Account": user, "Limit": PAGE,
                                                  "Offset": 0}))
    return _fixed(auth, request)


def _openim(token: str, user: str) -> FixedRequest:
    body = orjson.dumps({"fromUserID": user,
                         "pagination": {"pageNumber": 1, "showNumber": PAGE}})
    return FixedRequest("POST", "/group/get_joined_group_list",
                        {"Content-Type": "application/json", "operationID": "bench-1",
                         "token": token}, body)


def openim_token_request(settings: Settings) -> httpx.Request:
    """The request for an OpenIM admin token (``/auth/get_admin_token``), relative to ORIGIN."""
    from emulator.vendors.openim.client import OpenIMAuth
    auth = OpenIMAuth(settings.openim_secret, settings.openim_admins[0], base_url=ORIGIN)
    return auth.token_request(httpx.Request("GET", ORIGIN))


def openim_token(status: int, body: bytes) -> str:
    """The token of a get_admin_token answer."""
    parsed = orjson.loads(body)
    if status != 200 or parsed.get("errCode") != 0:
        raise RuntimeError(f"OpenIM get_admin_token failed: {status} {body[:200]!r}")
    token: str = parsed["data"]["token"]
    return token


def fetch_openim_token(base_url: str, settings: Settings) -> str:
    """An OpenIM admin token from a running server."""
    request = openim_token_request(settings)
    response = httpx.post(base_url + request.url.raw_path.decode("ascii"),
                          headers={"operationID": "bench-token"}, content=request.content)
    return openim_token(response.status_code, response.content)


CASES: dict[str, VendorCase] = {
    "zego": VendorCase(_zego, lambda body: body.get("Code") == 0, 0),
    "rongcloud": VendorCase(_rongcloud, lambda body: body.get("code") == 200, 200),
    "tencent": VendorCase(_tencent, lambda body: body.get("ErrorCode") == 0, 0),
}
OPENIM_OK = VendorCase(lambda settings, user, now: FixedRequest("GET", "/"),
                       lambda body: body.get("errCode") == 0, 0)



def available() -> list[str]:
    """The vendors whose route sets are registered and whose request this module can build."""
    return [name for name in sorted(builders()) if name in CASES or name == "openim"]


def requests_for(settings: Settings, user: str, now: float,
                 openim: str | None = None) -> dict[str, FixedRequest]:
    """Each available vendor's signed joined-groups request for a user, signed at ``now``;
    OpenIM's only when an admin token (``openim``) is given."""
    requests = {}
    for name in available():
        if name == "openim":
            if openim is not None:
                requests[name] = _openim(openim, user)
        else:
            requests[name] = CASES[name].build(settings, user, now)
    return requests


async def in_process_requests(services: Services, client: httpx.AsyncClient,
                              user: str) -> dict[str, FixedRequest]:
    """The same requests for an in-process emulator, signed at its clock's time."""
    token = None
    if "openim" in available():
        request = openim_token_request(services.settings)
        response = await client.post(request.url.raw_path.decode("ascii"),
                                     headers={"operationID": "bench-token"},
                                     content=request.content)
        token = openim_token(response.status_code, response.content)
    return requests_for(services.settings, user, services.clock.now(), token)


def success_code(vendor: str) -> int:
    """The code a vendor's journal entries carry on success."""
    return (OPENIM_OK if vendor == "openim" else CASES[vendor]).success_code


def succeeded(vendor: str, status: int, body: bytes) -> bool:
    """True when a response is the vendor's success envelope."""
    if status != 200:
        return False
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    case = OPENIM_OK if vendor == "openim" else CASES[vendor]
    return isinstance(parsed, dict) and case.ok(parsed)
