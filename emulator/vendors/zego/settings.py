"""ZEGO's settings group (``zego_*`` settings, ``--zego-*`` flags)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.settings import setting


@dataclass(frozen=True)
class ZegoSettings:
    """The AppId, the ServerSecret, the code for an unknown AppId and the rate limit."""

    app_id: int = setting(1234567890, "ZEGO AppId", minimum=0, maximum=4294967295)
    server_secret: str = setting("0123456789abcdef0123456789abcdef", "ZEGO ServerSecret")
    unknown_app_code: int = setting(100000010, "ZEGO Code for an unknown AppId "
                                               "(unconfirmed: 100000010 or 100000011)")
    rate_limit: int = setting(20, "ZEGO requests per second per AppId per Action", minimum=1)
