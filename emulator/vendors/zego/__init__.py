"""ZEGOCLOUD ZIM server API: signed ``/?Action=...`` requests (UserRegister, the group Actions in
``routes``), one HTTP 200 envelope."""

from __future__ import annotations

from urllib.parse import parse_qsl

from emulator.clock import Clock
from emulator.vendor import Vendor
from emulator.vendors.zego.client import ZegoAuth, zego_signature
from emulator.vendors.zego.protocol import ZegoProtocol
from emulator.vendors.zego.routes import COMMANDS
from emulator.vendors.zego.settings import ZegoSettings


def _claims(path: str, query_string: bytes) -> bool:
    """ZEGO routes on the ``Action`` query parameter of ``/``."""
    return path == "/" and b"Action" in query_string and (
        query_string.startswith(b"Action=") or b"&Action=" in query_string
        or any(key == "Action" for key, _ in parse_qsl(query_string.decode("latin-1"),
                                                       keep_blank_values=True)))


def _signer(settings: ZegoSettings, clock: Clock | None = None) -> ZegoAuth:
    return ZegoAuth(settings.app_id, settings.server_secret, clock=clock)


def _credentials(settings: ZegoSettings) -> str:
    return f"AppId={settings.app_id} ServerSecret={settings.server_secret}"


# The documented API hosts, which emulator.intercept routes to the emulator (sources:
# https://www.zegocloud.com/docs/zim-server/accessing-server-apis (the unified access address and
# the regional ones of the In-app Chat product)).
HOSTS: tuple[str, ...] = (
    'zim-api.zego.im',
    'zim-api-sha.zego.im',
    'zim-api-hkg.zego.im',
    'zim-api-fra.zego.im',
    'zim-api-lax.zego.im',
    'zim-api-bom.zego.im',
    'zim-api-sgp.zego.im',
)


VENDOR = Vendor(
    name="zego", title="ZEGO", claims=_claims, settings=ZegoSettings, protocol=ZegoProtocol,
    commands=COMMANDS, signer=_signer, credentials=_credentials,
    exports={"ZegoAuth": ZegoAuth, "zego_signature": zego_signature}, hosts=HOSTS)
