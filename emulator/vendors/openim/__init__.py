"""OpenIM's REST API as its gin gateway answers it: admin and user tokens, user registration,
and the group endpoints ``get_joined_group_list`` and ``create_group``. OpenIM is the fallback
vendor: it takes every path no other vendor claims."""

from __future__ import annotations

from emulator.clock import Clock
from emulator.vendor import Vendor
from emulator.vendors.openim.client import OpenIMAuth
from emulator.vendors.openim.protocol import OpenIMProtocol
from emulator.vendors.openim.routes import COMMANDS
from emulator.vendors.openim.settings import OpenIMSettings


def _claims(path: str, query_string: bytes) -> bool:
    return False


def _signer(settings: OpenIMSettings, clock: Clock | None = None) -> OpenIMAuth:
    return OpenIMAuth(settings.secret, settings.admins[0])


def _credentials(settings: OpenIMSettings) -> str:
    return f"secret={settings.secret} admin={settings.admin}"


# Self-hosted: no API host of its own; users name theirs to emulator.intercept.
HOSTS: tuple[str, ...] = ()


VENDOR = Vendor(
    name="openim", title="OpenIM", claims=_claims, settings=OpenIMSettings,
    protocol=OpenIMProtocol, commands=COMMANDS, signer=_signer, credentials=_credentials,
    fallback=True, admit_first=True, exports={"OpenIMAuth": OpenIMAuth}, hosts=HOSTS)
