"""The built-in vendors, one line each, in claim order (``emulator.registry`` loads them).

A vendor package exports ``VENDOR`` (an ``emulator.vendor.Vendor``); packages never import each
other. Tencent claims ``/v4/*`` before RongCloud claims ``*.json``; OpenIM, the fallback, takes
every path no other vendor claims.
"""

from __future__ import annotations

from emulator.vendor import Vendor
from emulator.vendors import openim, rongcloud, tencent, zego

VENDORS: tuple[Vendor, ...] = (
    openim.VENDOR,
    zego.VENDOR,
    tencent.VENDOR,
    rongcloud.VENDOR,
)
