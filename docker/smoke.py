"""One signed request per vendor against a running emulator: each vendor's joined-groups query
for USER, signed with the vendor's own client-side signer (``emulator.signing``) and its default
dev credentials, must answer the vendor's success envelope and name GROUP.

    python docker/smoke.py http://127.0.0.1:8000 alice g-hiking

Exit 0 when every vendor answered; prints one line per vendor.
"""

from __future__ import annotations

import sys
from typing import Any

import httpx

from emulator import signing

PAGE = 10
VENDORS = ("openim", "zego", "rongcloud", "tencent")


def auth(vendor: str) -> httpx.Auth:
    """The vendor's signer with the emulator's default credentials."""
    if hasattr(signing, "signer"):  # the vendor registry's signers
        return signing.signer(vendor)
    classes = {"openim": "OpenIMAuth", "zego": "ZegoAuth", "rongcloud": "RongCloudAuth",
               "tencent": "TencentAuth"}  # releases before the registry: the classes by name
    return getattr(signing, classes[vendor])()


def request(vendor: str, user: str) -> tuple[str, dict[str, Any]]:
    """The path and httpx keyword arguments of the vendor's joined-groups query."""
    if vendor == "openim":
        return "/group/get_joined_group_list", {
            "json": {"fromUserID": user, "pagination": {"pageNumber": 1, "showNumber": PAGE}}}
    if vendor == "zego":
        return "/?Action=QueryGroupsInfoOfUser", {
            "json": {"FromUserId": user, "Limit": PAGE, "Next": ""}}
    if vendor == "rongcloud":
        return "/user/group/query.json", {
            "data": {"userId": user, "page": "1", "size": str(PAGE)}}
    return "/v4/group_open_http_svc/get_joined_group_list", {
        "json": {"Member_Account": user, "Limit": PAGE, "Offset": 0}}


def succeeded(vendor: str, body: Any) -> bool:
    """Whether a parsed answer is the vendor's success envelope."""
    key, ok = {"openim": ("errCode", 0), "zego": ("Code", 0), "rongcloud": ("code", 200),
               "tencent": ("ErrorCode", 0)}[vendor]
    return isinstance(body, dict) and body.get(key) == ok


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, user, group = argv
    failed = 0
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for vendor in VENDORS:
            path, kwargs = request(vendor, user)
            try:
                response = client.post(path, auth=auth(vendor), **kwargs)
                body = response.json()
                good = response.status_code == 200 and succeeded(vendor, body) \
                    and group in response.text
                detail = f"HTTP {response.status_code} {response.text[:160]}"
            except Exception as exc:  # noqa: BLE001 - report every vendor, then fail
                good, detail = False, f"{type(exc).__name__}: {exc}"
            failed += not good
            print(f"  {'ok  ' if good else 'FAIL'} {vendor:<9} POST {path}: {detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
