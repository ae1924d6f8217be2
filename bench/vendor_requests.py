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
    from emulator.vendors.tencent.usersig import encode
    admin = settings.tencent_admins[0]
    usersig = encode(settings.tencent_sdkappid, settings.tencent_key, admin, 86400, int(now))
    query = httpx.QueryParams({"sdkappid": str(settings.tencent_sdkappid), "identifier": admin,
                               "usersig": usersig, "random": str(secrets.randbelow(2**32)),
                               "contenttype": "json"})
    body = orjson.dumps({"Member_Account": user, "Limit": PAGE, "Offset": 0})
    return FixedRequest("POST", f"/v4/group_open_http_svc/get_joined_group_list?{query}", {},
                        body)


CASES: dict[str, VendorCase] = {
    "zego": VendorCase(_zego, lambda body: body.get("Code") == 0, 0),
    "rongcloud": VendorCase(_rongcloud, lambda body: body.get("code") == 200, 200),
    "tencent": VendorCase(_tencent, lambda body: body.get("ErrorCode") == 0, 0),
}


def available() -> list[str]:
    """The vendors whose route sets are registered and whose request this module can build."""
    return [name for name in sorted(builders()) if name in CASES]


def requests_for(settings: Settings, user: str, now: float) -> dict[str, FixedRequest]:
    """Each available vendor's signed joined-groups request for a user, signed at ``now``."""
    return {name: CASES[name].build(settings, user, now) for name in available()}


def in_process_requests(services: Services, user: str) -> dict[str, FixedRequest]:
    """The same requests for an in-process emulator, signed at its clock's time."""
    return requests_for(services.settings, user, services.clock.now())


def success_code(vendor: str) -> int:
    """The code a vendor's journal entries carry on success."""
    return CASES[vendor].success_code


def succeeded(vendor: str, status: int, body: bytes) -> bool:
    """True when a response is the vendor's success envelope."""
    if status != 200:
        return False
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and CASES[vendor].ok(parsed)
