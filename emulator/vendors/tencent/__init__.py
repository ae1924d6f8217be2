"""Tencent Cloud IM (Chat) REST API: ``POST /v4/<service>/<command>`` signed with an admin
UserSig in the query string, JSON bodies, one HTTP 200 envelope."""

from __future__ import annotations

from emulator.clock import Clock
from emulator.vendor import Vendor
from emulator.vendors.tencent.client import TencentAuth, tencent_usersig
from emulator.vendors.tencent.protocol import PREFIX, TencentProtocol
from emulator.vendors.tencent.routes import COMMANDS
from emulator.vendors.tencent.settings import TencentSettings


def _claims(path: str, query_string: bytes) -> bool:
    return path.startswith(PREFIX)


def _signer(settings: TencentSettings, clock: Clock | None = None) -> TencentAuth:
    return TencentAuth(settings.sdkappid, settings.key, settings.admins[0], clock=clock)


def _credentials(settings: TencentSettings) -> str:
    return f"SDKAppID={settings.sdkappid} key={settings.key} admin={settings.admin}"


# The documented API hosts, which emulator.intercept routes to the emulator (sources:
# https://www.tencentcloud.com/document/product/1047/34620 (REST API overview: each data center's
# domain and its backup); https://cloud.tencent.com/document/product/269/1519).
HOSTS: tuple[str, ...] = (
    'console.tim.qq.com',
    'adminapi.my-imcloud.com',
    'adminapisgp.im.qcloud.com',
    'adminapisgp.my-imcloud.com',
    'adminapikr.im.qcloud.com',
    'adminapikr.my-imcloud.com',
    'adminapiger.im.qcloud.com',
    'adminapiger.my-imcloud.com',
    'adminapiind.im.qcloud.com',
    'adminapiind.my-imcloud.com',
    'adminapiusa.im.qcloud.com',
    'adminapiusa.my-imcloud.com',
    'adminapiidn.im.qcloud.com',
    'adminapiidn.my-imcloud.com',
)


VENDOR = Vendor(
    name="tencent", title="Tencent", claims=_claims, settings=TencentSettings,
    protocol=TencentProtocol, commands=COMMANDS, signer=_signer, credentials=_credentials,
    exports={"TencentAuth": TencentAuth, "tencent_usersig": tencent_usersig}, hosts=HOSTS)
