"""RongCloud (融云) server REST API: any ``*.json`` path, four signature headers (plain or
``RC-`` prefixed), form bodies, ``{"code", "errorMessage"}`` errors with real HTTP statuses;
``/user/group/query.json`` and the group and user writes."""

from __future__ import annotations

from emulator.clock import Clock
from emulator.vendor import Vendor
from emulator.vendors.rongcloud.client import RongCloudAuth, rongcloud_signature
from emulator.vendors.rongcloud.protocol import RongCloudProtocol
from emulator.vendors.rongcloud.routes import COMMANDS
from emulator.vendors.rongcloud.settings import RongCloudSettings

SUFFIX = ".json"


def _claims(path: str, query_string: bytes) -> bool:
    return path.endswith(SUFFIX)


def _signer(settings: RongCloudSettings, clock: Clock | None = None) -> RongCloudAuth:
    return RongCloudAuth(settings.app_key, settings.app_secret,
                         clock=clock.now if clock is not None else None)


def _credentials(settings: RongCloudSettings) -> str:
    return f"App-Key={settings.app_key} AppSecret={settings.app_secret}"


# The documented API hosts, which emulator.intercept routes to the emulator (sources:
# https://docs.rongcloud.io/platform-chat-api/base-url (Server API domains: China (Beijing), the
# older domains still served, and the global data centers)).
HOSTS: tuple[str, ...] = (
    'api.rong-api.com',
    'api-b.rong-api.com',
    'api-cn.ronghub.com',
    'api2-cn.ronghub.com',
    'api.cn.ronghub.com',
    'api.sg-light-api.com',
    'api-b.sg-light-api.com',
    'api.sg-b-light-api.com',
    'api-b.sg-b-light-api.com',
    'api.us-light-api.com',
    'api-b.us-light-api.com',
    'api.sau-light-api.com',
    'api-b.sau-light-api.com',
)


VENDOR = Vendor(
    name="rongcloud", title="RongCloud", claims=_claims, settings=RongCloudSettings,
    protocol=RongCloudProtocol, commands=COMMANDS, signer=_signer, credentials=_credentials,
    exports={"RongCloudAuth": RongCloudAuth, "rongcloud_signature": rongcloud_signature}, hosts=HOSTS)
