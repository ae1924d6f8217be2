"""Client-side signers for all four vendors, for tests and for users' own code.

Each is an ``httpx.Auth`` (or a helper that makes one) that adds the vendor's credentials to a
request exactly as the vendor's docs and SDKs do, so a client can be pointed at the emulator with
only its base URL changed.
"""

from emulator.vendors.zego.client import ZegoAuth, zego_signature  # noqa: F401
from emulator.vendors.rongcloud.client import RongCloudAuth, rongcloud_signature  # noqa: F401
from emulator.vendors.tencent.client import TencentAuth, tencent_usersig  # noqa: F401
from emulator.vendors.openim.client import OpenIMAuth  # noqa: F401
