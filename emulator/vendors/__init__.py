"""The vendor route sets; each module's ``build(services)`` returns its Vendor."""

from __future__ import annotations

from collections.abc import Callable

from emulator.services import Services
from emulator.vendors import openim
from emulator.vendors import rongcloud
from emulator.vendors import tencent
from emulator.vendors import zego
from emulator.vendors.base import Vendor

VendorBuilder = Callable[[Services], Vendor]


def builders() -> dict[str, VendorBuilder]:
    """Every vendor's builder, by vendor name."""
    return {
        "zego": zego.build,
        "openim": openim.build,
        "rongcloud": rongcloud.build,
        "tencent": tencent.build,
    }
